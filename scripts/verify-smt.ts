/**
 * `npm run verify:smt` (issue 6): solc's model checker (CHC) on the subjects of scripts/lib/smt.ts,
 * one process per run (scripts/smt-worker.ts). Prints what was proved safe, what was not proved,
 * counterexamples, what the checker does not support and any compiler failure, with file:line;
 * writes cache/smt/report.json. Every target not proved safe is justified in docs/SECURITY.md §4.
 *
 * Fails (exit 1) when
 *  - a run could not analyse its contract (compiler error, internal error, crash), unless the
 *    subject is marked `mayExhaustMemory` and the run ran out of memory: then it is inconclusive;
 *  - the checker reports a counterexample that is not in JUSTIFIED_COUNTEREXAMPLES.
 * "Might happen" (unproved) is printed, not a failure: the checker could not decide, and each such
 * site needs a human's justification in docs/SECURITY.md.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  SMT_DIR,
  SMT_SUBJECTS,
  SMT_TARGETS,
  isJustified,
  outcomeOf,
  runFile,
  verdictOf,
  type SmtFinding,
  type SmtOutcome,
  type SmtRunResult,
  type SmtSubject,
} from "./lib/smt";
import { markdownTable } from "./lib/table";

const ROOT = path.resolve(__dirname, "..");
interface RunReport extends SmtRunResult {
  outcome: SmtOutcome;
  reason?: string;
}

function analyse(subject: SmtSubject, targets: readonly string[]): RunReport {
  const file = runFile(subject.contract, targets);
  fs.rmSync(file, { force: true });
  console.log(`analysing ${subject.contract} (${subject.source}) for ${targets.join(", ")} …`);
  if (subject.mayExhaustMemory && targets === subject.runs[0]) console.log(`  note: ${subject.mayExhaustMemory}`);
  const child = spawnSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(__dirname, "smt-worker.ts"),
      subject.source,
      subject.contract,
      targets.join(","),
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  const base: SmtRunResult = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as SmtRunResult)
    : {
        source: subject.source,
        contract: subject.contract,
        targets,
        compiler: "",
        seconds: 0,
        peakMegabytes: 0,
        findings: [],
      };
  const errors = base.findings.filter((f) => f.severity === "error").map((f) => f.message);
  if (!fs.existsSync(file)) {
    const said = (child.stderr || child.stdout || "").split("\n").find((l) => /error|abort|memory/i.test(l));
    errors.push(`worker exited ${child.status ?? child.signal}: ${said ?? "(no output)"}`);
  }
  const outcome = outcomeOf(subject, errors);
  return outcome === "analysed" ? { ...base, outcome } : { ...base, outcome, reason: errors.join("; ").split("\n")[0] };
}

function count(findings: SmtFinding[], verdict: string): number {
  return findings.filter((f) => verdictOf(f) === verdict).length;
}

function where(f: SmtFinding): string {
  return `${f.file ?? ""}${f.line ? `:${f.line}` : ""}`;
}

function main(): void {
  const runs: RunReport[] = [];
  for (const subject of SMT_SUBJECTS) {
    for (const targets of subject.runs) runs.push(analyse(subject, targets));
  }

  const rows = runs.map((r) => ({
    contract: r.contract,
    targets: r.targets.length === SMT_TARGETS.length ? "all six" : r.targets.join(", "),
    seconds: r.seconds,
    "peak MB": r.peakMegabytes,
    safe: count(r.findings, "safe"),
    unproved: count(r.findings, "unproved"),
    counterexamples: count(r.findings, "counterexample"),
    unsupported: count(r.findings, "unsupported"),
    outcome: r.outcome,
  }));
  console.log(["", ...markdownTable(rows)].join("\n"));

  const unjustified: string[] = [];
  for (const r of runs) {
    const notable = r.findings.filter((f) => ["unproved", "counterexample", "unsupported"].includes(verdictOf(f)));
    if (notable.length === 0 && !r.reason) continue;
    console.log(`\n${r.contract} (${r.targets.join(", ")}):`);
    if (r.reason) console.log(`  [${r.outcome}] ${r.reason}`);
    for (const f of notable) {
      const verdict = verdictOf(f);
      const mark =
        verdict === "counterexample" ? (isJustified(f) ? "counterexample, justified" : "COUNTEREXAMPLE") : verdict;
      console.log(`  [${mark}] ${where(f)} ${f.message.split("\n")[0]}`);
      if (verdict === "counterexample" && !isJustified(f))
        unjustified.push(`${r.contract}: ${where(f)} ${f.message.split("\n")[0]}`);
    }
  }

  const report = path.join(SMT_DIR, "report.json");
  fs.mkdirSync(SMT_DIR, { recursive: true });
  fs.writeFileSync(report, JSON.stringify({ runs }, null, 2) + "\n");
  console.log(`\nreport: ${path.relative(ROOT, report)} (justifications: docs/SECURITY.md §4, "SMTChecker")`);

  const failed = runs.filter((r) => r.outcome === "failed");
  for (const r of runs.filter((x) => x.outcome === "inconclusive")) {
    console.log(`inconclusive: ${r.contract} (${r.targets.join(", ")}) ran out of soljson's heap — not a finding`);
  }
  if (failed.length > 0)
    console.error(`Error: not analysed: ${failed.map((r) => `${r.contract} (${r.targets.join(", ")})`).join("; ")}`);
  if (unjustified.length > 0)
    console.error(`Error: counterexamples not justified in scripts/lib/smt.ts:\n  ${unjustified.join("\n  ")}`);
  if (failed.length > 0 || unjustified.length > 0) process.exitCode = 1;
}

main();
