import { expect } from "chai";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import {
  DICTIONARY_PATH,
  TABLE_PATH,
  expandRows,
  generateAITableSource,
  parseDictionary,
} from "../../../scripts/gen-gs1-ais";
import { AI_DICTIONARY_SHA256, AI_ENTRIES, lookupAI, validateAIValue } from "../../../src/gs1";
import { LINTERS, UNCHECKED_LINTERS } from "../../../src/gs1/linters";

const dictionary = readFileSync(DICTIONARY_PATH, "utf8");

/**
 * The dictionary's data lines read with no code shared with the generator: AI or range, flags,
 * the specification as written. Syntax from the dictionary's own header.
 */
function independentRead(): { ai: string; flags: string; spec: string }[] {
  const out: { ai: string; flags: string; spec: string }[] = [];
  for (const line of dictionary.split("\n")) {
    if (/^\s*(#|$)/.test(line)) continue;
    const fields = line.replace(/#.*$/, "").trim().split(/\s+/);
    const [range, maybeFlags] = fields;
    const flags = /^[*?]+$/.test(maybeFlags) ? maybeFlags : "";
    const spec = fields
      .slice(flags ? 2 : 1)
      .filter((f) => !/^(req=|ex=|dlpkey)/.test(f))
      .join(" ");
    const [from, to = from] = range.split("-");
    for (let n = Number(from); n <= Number(to); n++)
      out.push({ ai: String(n).padStart(from.length, "0"), flags, spec });
  }
  return out;
}

describe("GS1 AI table generated from the GS1 Barcode Syntax Dictionary (src/gs1/aiTable.generated.ts)", function () {
  it("is what scripts/gen-gs1-ais.ts generates from the committed dictionary (regenerate and compare)", async function () {
    const regenerated = await generateAITableSource(dictionary);
    expect(regenerated === readFileSync(TABLE_PATH, "utf8"), "run: npx ts-node -T scripts/gen-gs1-ais.ts").to.equal(
      true,
    );
    expect(AI_DICTIONARY_SHA256).to.equal(createHash("sha256").update(dictionary).digest("hex"));
  });

  it("the committed dictionary is GS1's file as shared with the project (when the shared copy is present)", function () {
    const shared = "/work/shared/gs1/gs1-syntax-dictionary.txt";
    if (!existsSync(shared)) this.skip();
    expect(readFileSync(shared, "utf8") === dictionary).to.equal(true);
  });

  it("holds every AI of the dictionary, with its FNC1 and Digital Link attribute flags and its specification", function () {
    const lines = independentRead();
    expect(lines.length).to.be.greaterThan(500);
    for (const { ai, flags, spec } of lines) {
      const entry = lookupAI(ai);
      expect(entry, `AI (${ai})`).to.not.equal(undefined);
      expect(entry!.fnc1, `AI (${ai}) FNC1`).to.equal(!flags.includes("*"));
      expect(entry!.dlAttr, `AI (${ai}) DL attribute`).to.equal(flags.includes("?"));
      const written = entry!.components
        .map((c) => {
          const t = `${c.cset}${c.min === c.max ? c.max : `${c.min === 1 ? "" : c.min}..${c.max}`}`;
          return (c.optional ? `[${t}]` : t) + c.linters.map((l) => `,${l}`).join("");
        })
        .join(" ");
      expect(written, `AI (${ai}) specification`).to.equal(spec);
    }
    expect(AI_ENTRIES.size).to.equal(lines.length);
    expect(expandRows(parseDictionary(dictionary)).length).to.equal(lines.length);
  });

  it("has the attributes of the lines the issue names: 714 (NHRN AIM), 240, 414 (dlpkey=254|7040), 01, 3100", function () {
    expect(lookupAI("714")).to.deep.include({ title: "NHRN AIM", fnc1: true, req: [[["01"]]] });
    expect(lookupAI("240")).to.deep.include({ title: "ADDITIONAL ID", dlAttr: true });
    expect(lookupAI("414")!.dlpkey).to.deep.equal([["254"], ["7040"]]);
    expect(lookupAI("01")!.dlpkey).to.deep.equal([["22", "10", "21"], ["235"]]);
    expect(lookupAI("01")!.ex).to.deep.equal([["255", "37"]]);
    expect(lookupAI("3100")!.ex).to.deep.equal([["310n"]]);
    expect(lookupAI("3105")!.fnc1).to.equal(false);
    expect(lookupAI("3106")).to.equal(undefined);
    expect(lookupAI("99")!.components[0]).to.deep.include({ cset: "X", min: 1, max: 90 });
  });

  it("knows every linter the dictionary names (or lists it as unchecked, documented in docs/GS1.md)", function () {
    const named = new Set([...AI_ENTRIES.values()].flatMap((e) => e.components.flatMap((c) => c.linters as string[])));
    const unknown = [...named].filter((l) => !(l in LINTERS) && !UNCHECKED_LINTERS.has(l));
    expect(unknown).to.deep.equal([]);
    expect([...UNCHECKED_LINTERS].sort()).to.deep.equal(["couponcode", "couponposoffer", "packagetype"]);
  });

  it("accepts a well-formed value for every AI whose components are plain digits or characters", function () {
    // A value of the minimum lengths: digits for N, "A" for X/Y/Z; AIs with linters are covered by the conformance table.
    for (const entry of AI_ENTRIES.values()) {
      if (entry.components.some((c) => c.linters.length > 0)) continue;
      const value = entry.components
        .filter((c) => !c.optional)
        .map((c) => (c.cset === "N" ? "1" : "A").repeat(c.min))
        .join("");
      expect(() => validateAIValue(entry.ai, value), `AI (${entry.ai}) "${value}"`).to.not.throw();
    }
  });
});
