/**
 * The mutation harness's own checks (scripts/mutation/, issue 17): the operators it promises, mutants
 * applied where they say, ids that survive unrelated edits, and the two lists it trusts — the
 * declared equivalents and the test files that judge each contract — pointing at things that exist.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { applyMutant, generateMutants } from "../../scripts/mutation/mutants";
import { FIRST_FOR_SOURCE, TESTS_BY_CONTRACT } from "../../scripts/mutation/targets";

const ROOT = path.resolve(__dirname, "../..");

const SOURCE = `pragma solidity ^0.8.24;
contract Sample {
    uint256 internal constant LIMIT = 1 << 4;
    uint256 public total;
    event Added(uint256 amount);
    error TooMuch(uint256 amount);
    function add(uint256 amount, bool ok) external {
        if (amount > LIMIT && !ok) revert TooMuch(amount);
        require(amount != 0, "zero");
        total += amount * 2;
        emit Added(amount);
    }
}
`;

function sources(dir = path.join(ROOT, "contracts")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".sol") ? [path.relative(ROOT, full).split(path.sep).join("/")] : [];
  });
}

describe("mutation harness (scripts/mutation)", function () {
  const mutants = generateMutants("contracts/Sample.sol", SOURCE);
  const find = (operator: string, original: string, replacement: string) =>
    mutants.find((m) => m.operator === operator && m.original === original && m.replacement === replacement);

  it("generates each operator it documents", function () {
    const expected: [string, string, string][] = [
      ["AOR", "*", "/"],
      ["AOR", "+=", "-="],
      ["ROR", ">", ">="],
      ["ROR", "!=", "=="],
      ["LOR", "&&", "||"],
      ["BOR", "<<", ">>"],
      ["UOR", "!ok", "ok"],
      ["SDL", "emit Added(amount);", "{}"],
      ["RRD", "revert TooMuch(amount);", "{}"],
      ["CCH", "4", "5"],
    ];
    for (const [operator, original, replacement] of expected) {
      expect(find(operator, original, replacement), `${operator} ${original} -> ${replacement}`).to.not.equal(
        undefined,
      );
    }
    expect(mutants.some((m) => m.operator === "CNG" && m.scope === "Sample.add")).to.equal(true);
    expect(mutants.some((m) => m.operator === "RRD" && m.original.startsWith("require("))).to.equal(true);
  });

  it("applies a mutant at its own range and line, nowhere else", function () {
    const m = find("ROR", ">", ">=")!;
    expect(m.line).to.equal(8);
    const mutated = applyMutant(SOURCE, m);
    expect(mutated).to.equal(SOURCE.replace("amount > LIMIT", "amount >= LIMIT"));
  });

  it("keeps a mutant's id when the file changes elsewhere", function () {
    const edited = SOURCE.replace("contract Sample {", "// a comment\ncontract Sample {\n    uint256 public other;");
    const before = new Set(mutants.map((m) => m.id));
    const after = generateMutants("contracts/Sample.sol", edited);
    expect(after.map((m) => m.id).filter((id) => before.has(id)).length).to.equal(mutants.length);
    expect(new Set(mutants.map((m) => m.id)).size).to.equal(mutants.length);
  });

  it("declares as equivalent only current mutants, each with its reason", function () {
    const current = new Set(
      sources()
        .filter((s) => !s.startsWith("contracts/interfaces/") && !s.startsWith("contracts/mocks/"))
        .flatMap((s) => generateMutants(s, fs.readFileSync(path.join(ROOT, s), "utf8")).map((m) => m.id)),
    );
    const declared = JSON.parse(fs.readFileSync(path.join(ROOT, "scripts/mutation/equivalent.json"), "utf8")) as {
      id: string;
      reason: string;
    }[];
    const stale = declared.filter((e) => !current.has(e.id)).map((e) => e.id);
    expect(stale, "equivalent.json names mutants that no longer exist").to.deep.equal([]);
    for (const e of declared) expect(e.reason.length, e.id).to.be.greaterThan(40);
  });

  it("judges every contract with test files that exist", function () {
    for (const [contract, files] of Object.entries(TESTS_BY_CONTRACT)) {
      for (const f of files) expect(fs.existsSync(path.join(ROOT, f)), `${contract}: ${f}`).to.equal(true);
    }
    for (const [source, files] of Object.entries(FIRST_FOR_SOURCE)) {
      expect(fs.existsSync(path.join(ROOT, source)), source).to.equal(true);
      for (const f of files) expect(Object.values(TESTS_BY_CONTRACT).flat(), `${source}: ${f}`).to.include(f);
    }
  });
});
