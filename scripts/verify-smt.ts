/**
 * `npm run verify:smt` (issue 6): solc's model checker (CHC) on each contract of
 * scripts/lib/smt.ts, one compiler run per contract (hardhat.smt.config.ts with SMT_CONTRACT).
 * Prints what was proved safe, what was not proved or was violated (with file:line), what the
 * checker does not support, and compiler failures; writes cache/smt/report.json.
 * Every target that is not proved safe is justified in docs/SECURITY.md ("SMTChecker").
 *
 * Exit code 1 when a contract could not be analysed (compiler error or crash) — a finding the
 * checker reports about the code is printed, not a failure: it needs a human's justification.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SMT_CONTRACTS, SMT_DIR, type SmtResult } from "./lib/smt";

const ROOT = path.resolve(__dirname, "..");

function main(): void {
  const results: (SmtResult & { analysed: boolean })[] = [];
  for (const { source, contract, targets, note } of SMT_CONTRACTS) {
    const file = path.join(SMT_DIR, `${contract}.json`);
    fs.rmSync(file, { force: true });
    console.log(`analysing ${contract} (${source}) for ${(targets ?? ["all targets"]).join(", ")} …`);
    if (note) console.log(`  note: ${note}`);
    const run = spawnSync(
      process.execPath,
      [
        require.resolve("hardhat/internal/cli/cli"),
        "--config",
        "hardhat.smt.config.ts",
        "compile",
        "--force",
        "--quiet",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, SMT_CONTRACT: `${source}:${contract}` },
        encoding: "utf8",
        maxBuffer: 256 << 20,
      },
    );
    if (!fs.existsSync(file)) {
      console.error(`  no result: hardhat exited ${run.status}\n${(run.stderr || run.stdout).slice(-2000)}`);
      results.push({ source, contract, targets: targets ?? [], seconds: 0, findings: [], analysed: false });
      continue;
    }
    const result = JSON.parse(fs.readFileSync(file, "utf8")) as SmtResult;
    const crashed = result.findings.some((f) => f.severity === "error");
    results.push({ ...result, analysed: !crashed });
  }

  console.log("\n| contract         | seconds | proved safe | not proved / violated | unsupported | analysed |");
  console.log("|------------------|---------|-------------|-----------------------|-------------|----------|");
  for (const r of results) {
    const safe = r.findings.filter((f) => f.severity === "info" && /is safe/.test(f.message)).length;
    const open = r.findings.filter((f) => f.severity === "warning" && /^(CHC|BMC):/.test(f.message)).length;
    const unsupported = r.findings.filter((f) => f.severity === "warning" && !/^(CHC|BMC):/.test(f.message)).length;
    console.log(
      `| ${r.contract.padEnd(16)} | ${String(r.seconds).padStart(7)} | ${String(safe).padStart(11)} | ${String(open).padStart(21)} | ${String(unsupported).padStart(11)} | ${(r.analysed ? "yes" : "NO").padEnd(8)} |`,
    );
  }
  for (const r of results) {
    const notable = r.findings.filter((f) => f.severity !== "info");
    if (notable.length === 0) continue;
    console.log(`\n${r.contract}:`);
    for (const f of notable) {
      console.log(`  [${f.severity}] ${f.file ?? ""}${f.line ? `:${f.line}` : ""} ${f.message.split("\n")[0]}`);
    }
  }
  const report = path.join(SMT_DIR, "report.json");
  fs.mkdirSync(SMT_DIR, { recursive: true });
  fs.writeFileSync(report, JSON.stringify({ results }, null, 2) + "\n");
  console.log(`\nreport: ${path.relative(ROOT, report)} (justifications: docs/SECURITY.md, "SMTChecker")`);
  const failed = results.filter((r) => !r.analysed);
  if (failed.length > 0) {
    console.error(`Error: not analysed: ${failed.map((r) => r.contract).join(", ")}`);
    process.exitCode = 1;
  }
}

main();
