import { expect } from "chai";
import { TestScheduler } from "rxjs/testing";

interface Frame {
  frame: number;
  notification: { kind: string; value?: unknown; error?: unknown };
}

/** Errors compare by class name and message (chai's deep equality compares Error objects by reference). */
function plain(frames: unknown): unknown {
  if (!Array.isArray(frames)) return frames;
  return (frames as Frame[]).map((f) =>
    f.notification?.kind === "E" && f.notification.error instanceof Error
      ? {
          ...f,
          notification: {
            ...f.notification,
            error: { name: f.notification.error.name, message: f.notification.error.message },
          },
        }
      : f,
  );
}

/** A TestScheduler asserting with chai (block-bodied comparator, STYLE item 4). */
export function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(plain(actual)).to.deep.equal(plain(expected));
  });
}
