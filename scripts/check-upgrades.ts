/**
 * `npm run check:upgrades` (issue 11): every deployable contract (src/deployments.ts) is upgrade-safe and
 * its storage layout is compatible with the last release's.
 *
 * 1. Upgrade safety, by @openzeppelin/upgrades-core on Hardhat's build info (hardhat.config.ts emits
 *    `storageLayout`): no constructor that writes state (immutables and constructors only where annotated
 *    `@custom:oz-upgrades-unsafe-allow`), no selfdestruct or delegatecall, a UUPS `upgradeToAndCall`,
 *    valid ERC-7201 namespaces (their layouts come from the library's namespaced compilation of the same
 *    input, run here with the project's solc-js).
 * 2. Layout: each contract's layout (namespaces included) against the committed snapshot of the last
 *    release, upgrades/layout/<Contract>.json; an incompatible change (a field reordered, retyped or
 *    deleted, a namespace moved) fails with the library's report. Appending at a namespace's end passes.
 *
 * `--update` writes the snapshots (at a release, after a compatible change has been reviewed).
 * `--root DIR` checks another compiled project against this one's snapshots (the demonstration in
 * docs/SECURITY.md uses a scratch copy with a field reordered); `--contract NAME` checks only NAME.
 * Exit 1 on any failure.
 */
import fs from "node:fs";
import path from "node:path";
import {
  type SolcInput,
  type SolcOutput,
  type StorageLayout,
  type ValidationDataCurrent,
  type ValidationRunData,
  assertUpgradeSafe,
  concatRunData,
  getContractVersion,
  getStorageLayout,
  getStorageUpgradeReport,
  makeNamespacedInput,
  solcInputOutputDecoder,
  validate,
  withValidationDefaults,
} from "@openzeppelin/upgrades-core";
import { DEPLOYABLE_CONTRACTS } from "../src/deployments";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc") as { compile(input: string, options?: unknown): string };

const ROOT = path.resolve(__dirname, "..");
const LAYOUT_DIR = path.join(ROOT, "upgrades", "layout");

/** `<contract>.sol/<contract>.dbg.json` names the build info the current artifact came from. */
function buildInfoOf(root: string, contract: string): string {
  const base = path.join(root, "artifacts", "contracts");
  for (const domain of fs.readdirSync(base)) {
    const dbg = path.join(base, domain, `${contract}.sol`, `${contract}.dbg.json`);
    if (fs.existsSync(dbg)) {
      return path.resolve(
        path.dirname(dbg),
        (JSON.parse(fs.readFileSync(dbg, "utf8")) as { buildInfo: string }).buildInfo,
      );
    }
  }
  throw new Error(`${contract} is not compiled under ${base}: run npx hardhat compile`);
}

interface BuildInfo {
  solcVersion: string;
  input: SolcInput;
  output: SolcOutput;
}

function args(): { update: boolean; root: string; only?: string } {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const root = value("--root");
  return { update: argv.includes("--update"), root: root ? path.resolve(root) : ROOT, only: value("--contract") };
}

/** Reads an import for solc-js: the project first, then node_modules. */
function findImport(file: string): { contents: string } | { error: string } {
  for (const base of [ROOT, path.join(ROOT, "node_modules")]) {
    const candidate = path.join(base, file);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
  }
  return { error: `not found: ${file}` };
}

/** The library's namespaced compilation of a build's input (storage layouts of ERC-7201 structs). */
function namespacedOutput(build: BuildInfo): SolcOutput {
  const input = makeNamespacedInput(build.input, build.output, build.solcVersion);
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput & {
    errors?: { severity: string; formattedMessage: string }[];
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0)
    throw new Error(`namespaced compilation failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  return output;
}

/** Validation data of the builds the current artifacts of `names` come from, and each name's run. */
function validations(
  root: string,
  names: Set<string>,
): { data: ValidationDataCurrent; runs: Map<string, ValidationRunData> } {
  let data: ValidationDataCurrent | undefined;
  const runs = new Map<string, ValidationRunData>();
  const byFile = new Map<string, ValidationRunData>();
  for (const name of names) {
    const file = buildInfoOf(root, name);
    let run = byFile.get(file);
    if (run === undefined) {
      const build = JSON.parse(fs.readFileSync(file, "utf8")) as BuildInfo;
      run = validate(
        build.output,
        solcInputOutputDecoder(build.input, build.output),
        build.solcVersion,
        build.input,
        namespacedOutput(build),
      );
      byFile.set(file, run);
      data = concatRunData(run, data);
    }
    runs.set(name, run);
  }
  if (data === undefined) throw new Error("no deployable contract");
  return { data, runs };
}

function main(): void {
  const { update, root, only } = args();
  const names = new Set<string>(
    Object.values(DEPLOYABLE_CONTRACTS)
      .map((c) => c.contract)
      .filter((c) => only === undefined || c === only),
  );
  if (names.size === 0) throw new Error(`${only} is not a deployable contract (src/deployments.ts)`);
  const { data, runs } = validations(root, names);
  const opts = withValidationDefaults({ kind: "uups" });
  let failed = false;
  for (const name of names) {
    const run = runs.get(name);
    if (!run) {
      console.error(`${name}: not found in the build info`);
      failed = true;
      continue;
    }
    const version = getContractVersion(run, name);
    try {
      assertUpgradeSafe(data, version, opts);
    } catch (e) {
      console.error(`${name}: not upgrade-safe\n${(e as Error).message}`);
      failed = true;
      continue;
    }
    const layout = getStorageLayout(data, version);
    const namespaces = Object.keys(layout.namespaces ?? {});
    const snapshot = path.join(LAYOUT_DIR, `${name}.json`);
    if (update) {
      fs.mkdirSync(LAYOUT_DIR, { recursive: true });
      fs.writeFileSync(snapshot, JSON.stringify(layout, null, 2) + "\n");
      console.log(
        `${name}: upgrade-safe; layout written to ${path.relative(ROOT, snapshot)} (${namespaces.join(", ")})`,
      );
      continue;
    }
    if (!fs.existsSync(snapshot)) {
      console.error(
        `${name}: no layout snapshot ${path.relative(ROOT, snapshot)} (npm run check:upgrades -- --update)`,
      );
      failed = true;
      continue;
    }
    const released = JSON.parse(fs.readFileSync(snapshot, "utf8")) as StorageLayout;
    const report = getStorageUpgradeReport(released, layout, opts);
    if (report.ok) {
      console.log(
        `${name}: upgrade-safe; layout compatible with ${path.relative(ROOT, snapshot)} (${namespaces.join(", ")})`,
      );
    } else {
      console.error(`${name}: layout incompatible with ${path.relative(ROOT, snapshot)}\n${report.explain()}`);
      failed = true;
    }
  }
  if (failed) process.exitCode = 1;
}

main();
