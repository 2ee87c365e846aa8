import { expect } from "chai";
import fc from "fast-check";
import { arrayElements, BigJsonError, decodeSpan, objectMembers, valueEnd } from "../../lib/cli/bigJson.js";

describe("cli/bigJson: a JSON object read member by member (state files larger than a string)", () => {
  it("finds every member and every element of any JSON object, whatever its spacing and strings", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.constantFrom(0, 2),
        (head, items, indent) => {
          const whole: Record<string, unknown> = { ...head, groups: items };
          const buf = Buffer.from(`  ${JSON.stringify(whole, null, indent)}\n`);
          const members = objectMembers(buf);
          expect([...members.keys()]).to.deep.equal(Object.keys(whole));
          for (const [key, span] of members) {
            if (key !== "groups") expect(decodeSpan(buf, span)).to.deep.equal(whole[key]);
          }
          expect([...arrayElements(buf, members.get("groups")!)]).to.deep.equal(items);
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });
  it("strings holding brackets, quotes and backslashes do not end a value early", () => {
    const buf = Buffer.from('{"a\\"]}": ["]", "\\\\", {"x": "}\\""}], "b": 1}');
    const members = objectMembers(buf);
    expect([...arrayElements(buf, members.get('a"]}')!)]).to.deep.equal(["]", "\\", { x: '}"' }]);
    expect(valueEnd(buf, members.get("b")!.start)).to.equal(buf.length - 1);
  });
  it("refuses what is not one JSON object: a key twice, trailing bytes, an unterminated value", () => {
    for (const text of [
      '{"a": 1, "a": 2}',
      '{"a": 1} x',
      '{"a": [1, 2}',
      '{"a": "x}',
      "[1]",
      '{"a" 1}',
      '{"a": 1,}',
    ]) {
      expect(() => {
        const buf = Buffer.from(text);
        for (const span of objectMembers(buf).values()) decodeSpan(buf, span);
      }, text).to.throw(BigJsonError);
    }
  });
});
