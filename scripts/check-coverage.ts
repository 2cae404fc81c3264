/**
 * The coverage gate CI enforces: every contract under contracts/ (mocks excluded by .solcover.js)
 * at 100% of lines and functions and at least 95% of branches, per file and in total, read from
 * solidity-coverage's json-summary report (coverage/coverage-summary.json).
 * Usage: npx ts-node scripts/check-coverage.ts [path/to/coverage-summary.json]
 */
import fs from "node:fs";
import path from "node:path";

interface Metric {
  total: number;
  covered: number;
  pct: number | string;
}
type Summary = Record<string, { lines: Metric; functions: Metric; branches: Metric; statements: Metric }>;

const GATE = { lines: 100, functions: 100, branches: 95 } as const;

function pct(m: Metric): number {
  return m.total === 0 ? 100 : (100 * m.covered) / m.total;
}

function main(): void {
  const file = process.argv[2] ?? path.join("coverage", "coverage-summary.json");
  if (!fs.existsSync(file)) {
    console.error(`coverage gate: ${file} not found (run \`npm run coverage\` first)`);
    process.exit(1);
  }
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as Summary;
  const failures: string[] = [];
  const rows: string[] = [];
  for (const [name, entry] of Object.entries(summary)) {
    const label = name === "total" ? "total" : path.relative(process.cwd(), name);
    if (label.includes(`${path.sep}mocks${path.sep}`)) continue;
    const values = { lines: pct(entry.lines), functions: pct(entry.functions), branches: pct(entry.branches) };
    rows.push(
      `${label.padEnd(48)} lines ${values.lines.toFixed(2).padStart(6)}%  functions ${values.functions.toFixed(2).padStart(6)}%  branches ${values.branches.toFixed(2).padStart(6)}%`,
    );
    for (const key of Object.keys(GATE) as (keyof typeof GATE)[]) {
      if (values[key] + 1e-9 < GATE[key]) failures.push(`${label}: ${key} ${values[key].toFixed(2)}% < ${GATE[key]}%`);
    }
  }
  console.log(rows.join("\n"));
  if (failures.length > 0) {
    console.error(`\ncoverage gate FAILED:\n  ${failures.join("\n  ")}`);
    process.exit(1);
  }
  console.log(
    `\ncoverage gate passed (lines ${GATE.lines}%, functions ${GATE.functions}%, branches >= ${GATE.branches}%)`,
  );
}

main();
