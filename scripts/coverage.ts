/**
 * `npm run coverage`: solidity-coverage on the suites that exercise the contracts, in a scratch copy of
 * the project (scripts/lib/scratch.ts). `hardhat coverage` compiles instrumented contracts into
 * artifacts/ and cache/ (Hardhat's default paths); in the copy, the working tree's artifacts stay as
 * they are, so coverage can run beside the tests or a node (.ci/run runs it on the second core). The
 * report (coverage/, coverage.json) is copied back; `npx ts-node scripts/check-coverage.ts
 * coverage/coverage-summary.json` is the gate. Arguments are passed to `hardhat coverage` (`--testfiles`
 * replaces the default suites).
 *
 * The suites: test/{access,supply,records,trials,matrix,libraries,integration,compliance,upgrades};
 * the SDK, CLI, service and e2e suites reach no contract branch these miss (docs/TESTING.md).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { makeScratch } from "./lib/scratch";

const ROOT = path.resolve(__dirname, "..");
const SUITES = "test/{access,supply,records,trials,matrix,libraries,integration,compliance,upgrades}/**/*.ts";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const scratch = makeScratch("carechain-coverage-");
  const cleanUp = () => fs.rmSync(scratch, { recursive: true, force: true });
  let child: ChildProcess | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      child?.kill("SIGKILL"); // never left running in a folder that is gone
      cleanUp();
      process.exit(130);
    });
  }
  try {
    const hardhat = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
    const code = await new Promise<number>((resolve, reject) => {
      child = spawn(
        process.execPath,
        [hardhat, "coverage", ...(args.includes("--testfiles") ? [] : ["--testfiles", SUITES]), ...args],
        {
          cwd: scratch,
          stdio: "inherit",
        },
      );
      child.on("error", reject);
      child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    });
    for (const out of ["coverage", "coverage.json"]) {
      const from = path.join(scratch, out);
      const to = path.join(ROOT, out);
      if (!fs.existsSync(from)) continue;
      fs.rmSync(to, { recursive: true, force: true });
      fs.cpSync(from, to, { recursive: true });
    }
    // The reports name the copy's files: point them at the working tree's.
    for (const report of [
      "coverage.json",
      "coverage/coverage-summary.json",
      "coverage/coverage-final.json",
      "coverage/lcov.info",
    ]) {
      const file = path.join(ROOT, report);
      if (fs.existsSync(file)) fs.writeFileSync(file, fs.readFileSync(file, "utf8").split(scratch).join(ROOT));
    }
    process.exitCode = code;
  } finally {
    cleanUp();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
