/**
 * The project's contracts compiled with solc's built-in model checker (SMTChecker, CHC engine,
 * Z3 inside soljson). Run it with `npm run verify:smt` (scripts/verify-smt.ts), which analyses
 * each contract of scripts/lib/smt.ts in its own run (environment variable SMT_CONTRACT =
 * "<source>:<contract>"; without it, all at once). Artifacts and cache go to cache/smt/ so the
 * normal build is untouched; each run writes cache/smt/<contract>.json.
 *
 * Deliberately no `modelChecker.timeout`: soljson crashes with it.
 */
import fs from "node:fs";
import path from "node:path";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_COMPILE } from "hardhat/builtin-tasks/task-names";
import baseConfig from "./hardhat.config";
import { SMT_CONTRACTS, SMT_DIR, SMT_TARGETS, type SmtFinding, type SmtResult } from "./scripts/lib/smt";

const selected = process.env.SMT_CONTRACT
  ? SMT_CONTRACTS.filter(({ source, contract }) => `${source}:${contract}` === process.env.SMT_CONTRACT)
  : SMT_CONTRACTS;
if (selected.length === 0) throw new Error(`SMT_CONTRACT=${process.env.SMT_CONTRACT} is not in scripts/lib/smt.ts`);

const contracts: Record<string, string[]> = {};
for (const { source, contract } of selected) (contracts[source] ??= []).push(contract);
// One contract: its own targets; all at once: the union.
const targets = [...new Set(selected.flatMap((c) => c.targets ?? SMT_TARGETS))];

interface SolcDiagnostic {
  severity: "error" | "warning" | "info";
  errorCode?: string;
  type?: string;
  message: string;
  sourceLocation?: { file: string; start: number; end: number };
}

/** The line (1-based) of a byte offset in a source file of this project or of a dependency. */
function lineOf(file: string, start: number): number | null {
  const full = [path.join(__dirname, file), path.join(__dirname, "node_modules", file)].find((f) => fs.existsSync(f));
  if (full === undefined || start < 0) return null;
  return fs.readFileSync(full).subarray(0, start).toString("utf8").split("\n").length;
}

subtask(TASK_COMPILE_SOLIDITY_COMPILE).setAction(async (args, _hre, runSuper) => {
  const started = Date.now();
  const result = (await runSuper(args)) as { output: { errors?: SolcDiagnostic[] } };
  const seconds = Math.round((Date.now() - started) / 1000);
  // The model checker's diagnostics, and any compiler error (an internal error ends the analysis).
  const findings: SmtFinding[] = (result.output.errors ?? [])
    .filter(
      (d) =>
        d.severity === "error" ||
        /^(CHC|BMC):/.test(d.message) ||
        /SMTChecker|[Aa]ssertion checker|model checker/.test(d.message),
    )
    .map((d) => ({
      severity: d.severity,
      errorCode: d.errorCode ?? null,
      message: d.type === "InternalCompilerError" ? `InternalCompilerError: ${d.message}` : d.message,
      file: d.sourceLocation?.file ?? null,
      line: d.sourceLocation ? lineOf(d.sourceLocation.file, d.sourceLocation.start) : null,
    }));
  fs.mkdirSync(SMT_DIR, { recursive: true });
  for (const { source, contract } of selected) {
    const report: SmtResult = { source, contract, targets, seconds, findings };
    fs.writeFileSync(path.join(SMT_DIR, `${contract}.json`), JSON.stringify(report, null, 2) + "\n");
  }
  return result;
});

const config: HardhatUserConfig = {
  ...baseConfig,
  solidity: {
    version: "0.8.28",
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "cancun",
      modelChecker: {
        engine: "chc",
        contracts,
        targets,
        showUnproved: true,
        showUnsupported: true,
        showProvedSafe: true,
      },
    },
  },
  paths: { ...baseConfig.paths, artifacts: "cache/smt/artifacts", cache: "cache/smt/cache" },
  typechain: { ...baseConfig.typechain, outDir: "cache/smt/typechain-types", dontOverrideCompile: true },
};

export default config;
