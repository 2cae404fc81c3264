/**
 * `npm run bench:check` — the gas regression gate (issue 6). Run after `npm run bench`.
 *
 * Compares bench/out/gas.json (this run) with bench/baseline.json (committed). An operation is a
 * row keyed by domain, operation and scale.
 *
 * The rule:
 * - an operation whose gas grew by more than 2% over its baseline FAILS the gate;
 * - so does an operation with no baseline (new) or a baseline with no measurement (gone);
 * - UNLESS bench/baseline.json changed in the same commit: HEAD's committed baseline differs from
 *   HEAD~1's (git). Then every difference is reported and the gate passes: updating the baseline
 *   is how a deliberate cost change is accepted, and it is visible in review.
 * - An uncommitted edit of the baseline does not count (CI checks out commits), and neither does
 *   a missing HEAD~1 (a shallow clone): fetch at least 2 commits (`fetch-depth: 2`).
 * - Improvements of more than 2% pass, with a hint to lower the baseline.
 *
 * `npm run bench:check -- --update` writes bench/baseline.json from bench/out/gas.json, keeping
 * each row's `reason` (why its figure is what it is, written by hand beside a raised figure)
 * while the figure stays within the tolerance; a row whose figure moved loses its reason and is
 * listed, so that the new figure gets a reason of its own.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const TOLERANCE = 0.02;
const BASELINE_PATH = "bench/baseline.json";
const ROOT = path.resolve(__dirname, "..");

export interface MeasuredRow {
  domain: string;
  operation: string;
  scale: number | null;
  gasUsed: number;
}

/** A baseline row: a measured figure and, where it was raised on purpose, why. */
export interface BaselineRow extends MeasuredRow {
  reason?: string;
}

export type Verdict = "ok" | "regressed" | "improved" | "new" | "missing";

export interface Comparison {
  key: string;
  baseline: number | null;
  current: number | null;
  /** (current - baseline) / baseline, or null when one side is missing. */
  change: number | null;
  verdict: Verdict;
}

export function rowKey(row: Pick<MeasuredRow, "domain" | "operation" | "scale">): string {
  return `${row.domain}/${row.operation}${row.scale === null ? "" : `@${row.scale}`}`;
}

/** Compares every row of `current` with `baseline`; pure. */
export function compareGas(
  baseline: readonly MeasuredRow[],
  current: readonly MeasuredRow[],
  tolerance = TOLERANCE,
): Comparison[] {
  const base = new Map(baseline.map((r) => [rowKey(r), r.gasUsed]));
  const seen = new Set<string>();
  const result: Comparison[] = [];
  for (const row of current) {
    const key = rowKey(row);
    if (seen.has(key)) throw new Error(`duplicate measurement ${key}`);
    seen.add(key);
    const before = base.get(key);
    if (before === undefined) {
      result.push({ key, baseline: null, current: row.gasUsed, change: null, verdict: "new" });
      continue;
    }
    const change = (row.gasUsed - before) / before;
    const verdict: Verdict = change > tolerance ? "regressed" : change < -tolerance ? "improved" : "ok";
    result.push({ key, baseline: before, current: row.gasUsed, change, verdict });
  }
  for (const [key, before] of base) {
    if (!seen.has(key)) result.push({ key, baseline: before, current: null, change: null, verdict: "missing" });
  }
  return result;
}

/** Whether the comparison fails the gate, given whether the baseline changed in the same commit. */
export function gateFails(comparisons: readonly Comparison[], baselineChangedInCommit: boolean): boolean {
  if (baselineChangedInCommit) return false;
  return comparisons.some((c) => c.verdict === "regressed" || c.verdict === "new" || c.verdict === "missing");
}

/**
 * The new baseline from this run's rows: each keeps the old row's `reason` while its figure is
 * within `tolerance` of the old one; `stale` lists the reasons dropped because the figure moved.
 */
export function nextBaseline(
  previous: readonly BaselineRow[],
  current: readonly MeasuredRow[],
  tolerance = TOLERANCE,
): { rows: BaselineRow[]; stale: string[] } {
  const old = new Map(previous.map((r) => [rowKey(r), r]));
  const stale: string[] = [];
  const rows = current.map((row): BaselineRow => {
    const before = old.get(rowKey(row));
    if (before?.reason === undefined) return { ...row };
    if (Math.abs(row.gasUsed - before.gasUsed) <= before.gasUsed * tolerance) return { ...row, reason: before.reason };
    stale.push(rowKey(row));
    return { ...row };
  });
  return { rows, stale };
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

/**
 * Whether HEAD changed bench/baseline.json relative to HEAD~1 (added or modified). False when
 * HEAD~1 is unavailable (first commit, shallow clone) — the gate then stays strict.
 */
export function baselineChangedInHead(cwd = ROOT): { changed: boolean; why: string } {
  const atHead = git(["show", `HEAD:${BASELINE_PATH}`], cwd);
  if (git(["rev-parse", "--verify", "--quiet", "HEAD~1"], cwd) === undefined) {
    return { changed: false, why: "HEAD~1 is not available (first commit or shallow clone)" };
  }
  const atParent = git(["show", `HEAD~1:${BASELINE_PATH}`], cwd);
  if (atHead === undefined) return { changed: false, why: `${BASELINE_PATH} is not committed at HEAD` };
  if (atParent === undefined) return { changed: true, why: `HEAD adds ${BASELINE_PATH}` };
  return atHead === atParent
    ? { changed: false, why: `HEAD does not change ${BASELINE_PATH}` }
    : { changed: true, why: `HEAD changes ${BASELINE_PATH}` };
}

function readRows(file: string): MeasuredRow[] {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { rows?: MeasuredRow[] };
  if (!Array.isArray(json.rows)) throw new Error(`${file} has no "rows" array`);
  return json.rows.map(({ domain, operation, scale, gasUsed }) => ({ domain, operation, scale, gasUsed }));
}

function percent(change: number | null): string {
  return change === null ? "-" : `${change >= 0 ? "+" : ""}${(change * 100).toFixed(2)}%`;
}

function main(): void {
  const currentFile = path.join(ROOT, "bench", "out", "gas.json");
  const baselineFile = path.join(ROOT, BASELINE_PATH);
  if (!fs.existsSync(currentFile)) {
    console.error("Error: bench/out/gas.json not found: run `npm run bench` first");
    process.exitCode = 1;
    return;
  }
  const current = readRows(currentFile);
  if (process.argv.includes("--update")) {
    const previous = fs.existsSync(baselineFile)
      ? ((JSON.parse(fs.readFileSync(baselineFile, "utf8")) as { rows?: BaselineRow[] }).rows ?? [])
      : [];
    const { rows, stale } = nextBaseline(previous, current);
    fs.writeFileSync(baselineFile, JSON.stringify({ rows }, null, 2) + "\n");
    console.log(`wrote ${BASELINE_PATH} (${rows.length} rows); commit it to accept these figures`);
    if (stale.length > 0) console.log(`reasons dropped (the figure moved; write a new one): ${stale.join(", ")}`);
    return;
  }
  if (!fs.existsSync(baselineFile)) {
    console.error(`Error: ${BASELINE_PATH} not found: create it with \`npm run bench:check -- --update\``);
    process.exitCode = 1;
    return;
  }
  const comparisons = compareGas(readRows(baselineFile), current);
  const { changed, why } = baselineChangedInHead();

  console.log("| operation                          |  baseline |   current |   change | verdict   |");
  console.log("|------------------------------------|-----------|-----------|----------|-----------|");
  for (const c of comparisons) {
    console.log(
      `| ${c.key.padEnd(34)} | ${String(c.baseline ?? "-").padStart(9)} | ${String(c.current ?? "-").padStart(9)} | ${percent(c.change).padStart(8)} | ${c.verdict.padEnd(9)} |`,
    );
  }
  const bad = comparisons.filter((c) => c.verdict === "regressed" || c.verdict === "new" || c.verdict === "missing");
  const improved = comparisons.filter((c) => c.verdict === "improved");
  console.log(`\nbaseline: ${why}`);
  if (improved.length > 0) {
    console.log(`${improved.length} operation(s) cheaper by more than ${TOLERANCE * 100}%: consider \`--update\``);
  }
  if (gateFails(comparisons, changed)) {
    console.error(
      `\nError: ${bad.length} operation(s) regressed by more than ${TOLERANCE * 100}%, new or missing: ${bad.map((c) => c.key).join(", ")}.` +
        `\nIf the change is intended, run \`npm run bench:check -- --update\` and commit ${BASELINE_PATH} in the same commit.`,
    );
    process.exitCode = 1;
  } else if (bad.length > 0) {
    console.log(`${bad.length} difference(s) accepted: ${BASELINE_PATH} changed in this commit`);
  } else {
    console.log(`gas within ${TOLERANCE * 100}% of the baseline`);
  }
}

if (require.main === module) main();
