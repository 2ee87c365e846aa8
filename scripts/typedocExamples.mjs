// typedoc plugin: the project's documentation rule on top of typedoc's own `notDocumented` validation.
// - every exported name of every entry point has a summary;
// - every exported function and class (what a user calls) has an `@example` that writes its result
//   (`// => value`, or `// throws …` for an error); interfaces, type aliases, enums and constants need an
//   example only where there is something to show (a value of the type may illustrate it). Every example
//   is executed by `npm run doctest` (scripts/doctest.mjs), and each written result is asserted.
// - every own property, accessor and method of an exported class or interface has a comment. typedoc's
//   `Property` / `Method` / `Function` kinds would also demand comments on the members of anonymous inline
//   types (zod's inferred shapes, `{ dataSync(): … }`), so typedoc.json leaves them out and this plugin
//   checks the named ones. Members inherited from outside the package (Error's `message`, …) are skipped.
// - a bare `{@link Name}` that TypeScript cannot resolve in its file (the name is exported by another entry
//   point, e.g. `{@link InvalidOptionsError}` in lib/rx/) links to the one public export of that name.
// Each miss is a typedoc warning, and typedoc.json sets `treatWarningsAsErrors`.
import { Application, ReflectionKind } from "typedoc";

const REQUIRED = ReflectionKind.Class | ReflectionKind.Function;
const EXPORTED =
  REQUIRED |
  ReflectionKind.Variable |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Enum;
const MEMBER = ReflectionKind.Property | ReflectionKind.Accessor | ReflectionKind.Method;

function commentOf(ref) {
  return ref.comment ?? ref.signatures?.find((s) => s.comment)?.comment;
}

function text(parts) {
  return (parts ?? []).map((p) => p.text).join("");
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.addUnknownSymbolResolver((ref, reflection) => {
    const path = ref.symbolReference?.path;
    if (ref.moduleSource !== undefined || !path || path.length !== 1) return undefined;
    const name = path[0].path;
    const project = reflection.project;
    const found = project
      .getReflectionsByKind(EXPORTED)
      .filter(
        (r) =>
          r.name === name &&
          r.parent &&
          (r.parent.kindOf(ReflectionKind.Module) || r.parent.kindOf(ReflectionKind.Project)),
      );
    // the same declaration re-exported by several entry points: prefer the root one
    const target = found.find((r) => r.parent?.name === "index") ?? found[0];
    return target === undefined ? undefined : { target, caption: name };
  });
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const warn = (msg) => app.logger.warn(msg);
    for (const ref of project.getReflectionsByKind(EXPORTED)) {
      // only names exported from an entry point (a module or the project itself), not nested declarations
      if (
        !ref.parent ||
        !(ref.parent.kindOf(ReflectionKind.Module) || ref.parent.kindOf(ReflectionKind.Project))
      )
        continue;
      const where = `${ref.getFriendlyFullName()} (${ReflectionKind[ref.kind]})`;
      const comment = commentOf(ref);
      if (!comment || text(comment.summary).trim() === "") {
        warn(`${where} has no TSDoc summary`);
        continue;
      }
      const examples = comment.blockTags.filter((t) => t.tag === "@example").map((t) => text(t.content));
      if (!ref.kindOf(REQUIRED)) continue;
      if (examples.length === 0) warn(`${where} has no @example`);
      else if (!examples.some((e) => /\/\/ (=>|throws)/.test(e)))
        warn(`${where} has an @example without a result written "// => value" (or "// throws …")`);
    }
    for (const ref of project.getReflectionsByKind(MEMBER)) {
      const parent = ref.parent;
      if (!parent || !parent.kindOf(ReflectionKind.Class | ReflectionKind.Interface)) continue;
      if (ref.flags.isPrivate || ref.flags.isProtected) continue;
      const symbol = project.getSymbolIdFromReflection(ref);
      if (symbol && symbol.packageName !== project.packageName) continue; // inherited from a dependency
      const comment =
        ref.comment ??
        ref.getSignature?.comment ??
        ref.setSignature?.comment ??
        ref.signatures?.find((s) => s.comment)?.comment;
      if (!comment || text(comment.summary).trim() === "")
        warn(`${ref.getFriendlyFullName()} (${ReflectionKind[ref.kind]}) has no TSDoc summary`);
    }
  });
}
