import { expect } from "chai";
import { z } from "zod";
import { HingeLoss, InvalidOptionsError } from "../../lib/index.js";
import { invalidOption, parseOptions, prettyOptionsError } from "../../lib/options/index.js";

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("did not throw");
};

describe("parseOptions: Error.message is a plain sentence; the ✖ form is the CLI's (issue 12)", () => {
  it("a bad value names the option, the value and what is allowed, with no ✖ and no → at", () => {
    const e = thrown(() => new HingeLoss({ multiclassMode: "x" } as never));
    expect(e).to.be.instanceOf(InvalidOptionsError);
    expect(e.message).to.equal('option multiclassMode must be "crammer-singer" or "one-vs-all", got "x"');
  });
  it("several problems are joined by '; ' in one line; an unknown key names its camelCase form", () => {
    const e = thrown(() => new HingeLoss({ squared: 1, numClasses: 1.5, multiclass_mode: 1 } as never));
    expect(e.message).to.equal(
      "option squared must be a boolean, got 1; option numClasses must be an integer ≥ 2, got 1.5; " +
        'unknown option "multiclass_mode" for HingeLoss: did you mean "multiclassMode"?',
    );
    expect(e.message).to.not.match(/[✖→\n]/);
  });
  it("zod's own messages are rewritten in the same grammar (enum, type, bounds)", () => {
    const schema = z.strictObject({
      mode: z.enum(["a", "b"]).optional(),
      n: z.number().min(3).optional(),
      m: z.number().max(3).optional(),
      flag: z.boolean().optional(),
    });
    const message = (input: unknown) => thrown(() => parseOptions(schema, input, "T")).message;
    expect(message({ mode: "c" })).to.equal('option mode must be one of "a", "b", got "c"');
    expect(message({ n: 1 })).to.equal("option n must be ≥ 3, got 1");
    expect(message({ m: 4 })).to.equal("option m must be ≤ 3, got 4");
    expect(message({ flag: "yes" })).to.equal('option flag must be a boolean, got "yes"');
    expect(message({ zz: 1 })).to.equal('unknown option "zz" for T: allowed keys: mode, n, m, flag');
    expect(message(null)).to.equal("T options must be an object, got null");
  });
  it("prettyOptionsError renders the same problems as ✖ … → at … lines for the terminal", () => {
    const e = thrown(() => new HingeLoss({ squared: 1, multiclass_mode: 1 } as never));
    expect(prettyOptionsError(e)).to.equal(
      "✖ option squared must be a boolean, got 1\n  → at squared\n" +
        '✖ unknown option "multiclass_mode" for HingeLoss: did you mean "multiclassMode"?\n  → at multiclass_mode',
    );
    expect(prettyOptionsError(new InvalidOptionsError("plain"))).to.equal("✖ plain");
  });
  it("invalidOption: one problem found outside a schema, in the same two forms", () => {
    const e = invalidOption("emit", 'option emit "epoch" needs the epochs option');
    expect(e).to.be.instanceOf(InvalidOptionsError);
    expect(e.message).to.equal('option emit "epoch" needs the epochs option');
    expect(prettyOptionsError(e)).to.equal('✖ option emit "epoch" needs the epochs option\n  → at emit');
  });
  it("hostile options: a throwing getter or Proxy trap, a BigInt, an inherited option (issue 12, fuzz)", () => {
    const getter = {
      get squared(): boolean {
        throw new Error("boom");
      },
    };
    expect(() => new HingeLoss(getter)).to.throw(
      InvalidOptionsError,
      /^HingeLoss options could not be read: reading them threw Error: boom$/,
    );
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("keys");
        },
      },
    );
    expect(() => new HingeLoss(trap)).to.throw(
      InvalidOptionsError,
      /could not be read: reading them threw Error: keys$/,
    );
    expect(() => new HingeLoss({ squared: 1n } as never)).to.throw(
      InvalidOptionsError,
      /^option squared must be a boolean, got 1n$/,
    );
    expect(() => new HingeLoss(Object.create({ squared: true }) as never)).to.throw(
      InvalidOptionsError,
      /^option squared of HingeLoss is inherited from the options' prototype/,
    );
    const once = { calls: 0 };
    const counted = {
      get squared(): boolean {
        once.calls++;
        return true;
      },
    };
    expect(new HingeLoss(counted).options.squared).to.equal(true);
    expect(once.calls).to.equal(1);
  });
});
