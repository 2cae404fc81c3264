/**
 * `npm run bench`: measures every budgeted operation on the in-process Hardhat network (the
 * configured hardfork, optimizer on), prints a table and writes bench/out/gas.json.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { PROXY_ALLOWANCE, type GasRow } from "./rows";
import { accessGasRows } from "./access";
import { supplyGasRows } from "./supply";
import { recordsGasRows } from "./records";
import { trialsGasRows } from "./trials";

async function main(): Promise<void> {
  const rows: GasRow[] = [];
  for (const measure of [accessGasRows, supplyGasRows, recordsGasRows, trialsGasRows]) {
    rows.push(...(await measure(hre)));
  }
  const outDir = path.join(__dirname, "out");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "gas.json"), JSON.stringify({ rows }, null, 2) + "\n");

  console.log("| domain  | operation                | scale     |   gasUsed |    budget | ok |");
  console.log("|---------|--------------------------|-----------|-----------|-----------|----|");
  for (const r of rows) {
    const ok = r.gasUsed <= r.budget + PROXY_ALLOWANCE ? "ok" : "OVER";
    console.log(
      `| ${r.domain.padEnd(7)} | ${r.operation.padEnd(24)} | ${String(r.scale ?? "-").padStart(9)} | ${String(r.gasUsed).padStart(9)} | ${String(r.budget).padStart(9)} | ${ok.padEnd(2)} |`,
    );
  }
  const over = rows.filter((r) => r.gasUsed > r.budget + PROXY_ALLOWANCE);
  if (over.length > 0) {
    console.error(`\n${over.length} operation(s) over budget: ${over.map((r) => r.operation).join(", ")}`);
    process.exitCode = 1;
  }
  console.log(`\nwrote bench/out/gas.json (${rows.length} rows)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
