import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import {
  JUSTIFIED_COUNTEREXAMPLES,
  SMT_SUBJECTS,
  SMT_TARGETS,
  isJustified,
  outcomeOf,
  runFile,
  verdictOf,
  type SmtFinding,
} from "../../scripts/lib/smt";

/** The judgement of `npm run verify:smt` (the analyses themselves run in CI as their own step). */
describe("SMTChecker gate (scripts/lib/smt.ts)", function () {
  const finding = (over: Partial<SmtFinding>): SmtFinding => ({
    severity: "warning",
    errorCode: "4984",
    message: "CHC: Overflow (resulting value larger than 2**256 - 1) might happen here.",
    file: "contracts/supply/SupplyChain.sol",
    line: 58,
    code: "uint40 t = uint40(block.timestamp + 1);",
    ...over,
  });
  const gs1 = SMT_SUBJECTS.find((s) => s.contract === "GS1Mock")!;
  const registry = SMT_SUBJECTS.find((s) => s.contract === "MemberRegistry")!;

  it("classifies the checker's messages", function () {
    expect(verdictOf(finding({}))).to.equal("unproved");
    expect(
      verdictOf(
        finding({ severity: "info", message: "CHC: Overflow (resulting value larger than 2**256 - 1) check is safe!" }),
      ),
    ).to.equal("safe");
    expect(
      verdictOf(finding({ message: "CHC: Underflow (resulting value less than 0) happens here.\nCounterexample: …" })),
    ).to.equal("counterexample");
    expect(verdictOf(finding({ message: "Assertion checker does not yet implement type error" }))).to.equal(
      "unsupported",
    );
    expect(verdictOf(finding({ severity: "error", message: "InternalCompilerError: std::exception" }))).to.equal(
      "error",
    );
  });

  it("accepts only the listed counterexamples, by file, target and source text", function () {
    const listed = finding({
      message: "CHC: Underflow (resulting value less than 0) happens here.",
      file: "contracts/libraries/GS1.sol",
      line: 25,
      code: "if (digits < 2 || digits > 18 || key > 10 ** digits - 1) return false;",
    });
    expect(isJustified(listed)).to.equal(true);
    expect(isJustified({ ...listed, line: 99 }), "a moved line still matches").to.equal(true);
    expect(isJustified({ ...listed, message: listed.message.replace("Underflow", "Overflow") })).to.equal(false);
    expect(isJustified({ ...listed, code: "return a - b;" })).to.equal(false);
    expect(isJustified({ ...listed, file: "contracts/supply/SupplyChain.sol" })).to.equal(false);
  });

  it("every justified counterexample points at code that exists", function () {
    for (const j of JUSTIFIED_COUNTEREXAMPLES) {
      expect(fs.readFileSync(path.join(__dirname, "..", "..", j.file), "utf8"), j.file).to.include(j.code);
    }
  });

  it("fails a run that could not analyse, unless it ran out of memory on a subject marked for it", function () {
    expect(outcomeOf(registry, [])).to.equal("analysed");
    expect(
      outcomeOf(registry, ["Unknown exception during compilation: Dynamic exception type: std::bad_alloc"]),
    ).to.equal("inconclusive");
    expect(outcomeOf(registry, ["InternalCompilerError: Unreported fatal error: std::exception"])).to.equal("failed");
    expect(outcomeOf(registry, ["std::bad_alloc", "ParserError: Expected ';'"])).to.equal("failed");
    expect(outcomeOf(gs1, ["Unknown exception during compilation: Dynamic exception type: std::bad_alloc"])).to.equal(
      "failed",
    );
  });

  it("analyses every subject for known targets, each run in its own file", function () {
    const files = SMT_SUBJECTS.flatMap((s) => s.runs.map((t) => runFile(s.contract, t)));
    expect(new Set(files).size).to.equal(files.length);
    for (const s of SMT_SUBJECTS) {
      expect(fs.existsSync(path.join(__dirname, "..", "..", s.source)), s.source).to.equal(true);
      for (const t of s.runs.flat()) expect(SMT_TARGETS as readonly string[]).to.include(t);
    }
  });
});
