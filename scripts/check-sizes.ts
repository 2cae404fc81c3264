/**
 * `npm run check:sizes` (issue 6): every deployable contract within EIP-170 (runtime code ≤ 24,576
 * bytes) and EIP-3860 (initcode ≤ 49,152 bytes). Prints a table; exits 1 on a breach, or when a
 * concrete contract is missing from DEPLOYABLE_CONTRACTS (src/deployments.ts).
 */
import { DEPLOYABLE_CONTRACTS } from "../src/deployments";
import { INITCODE_LIMIT, RUNTIME_LIMIT, concreteContracts, contractSizes } from "./lib/sizes";

function main(): void {
  const rows = contractSizes();
  console.log("| contract                 |  runtime | of 24,576 | initcode | of 49,152 | ok |");
  console.log("|--------------------------|----------|-----------|----------|-----------|----|");
  for (const r of rows) {
    console.log(
      `| ${r.contract.padEnd(24)} | ${String(r.runtime).padStart(8)} | ${`${((r.runtime / RUNTIME_LIMIT) * 100).toFixed(1)}%`.padStart(9)} | ${String(r.initcode).padStart(8)} | ${`${((r.initcode / INITCODE_LIMIT) * 100).toFixed(1)}%`.padStart(9)} | ${r.ok ? "ok" : "NO"} |`,
    );
  }
  const over = rows.filter((r) => !r.ok);
  const listed = new Set<string>(Object.values(DEPLOYABLE_CONTRACTS).map((c) => c.contract));
  const unlisted = concreteContracts().filter((name) => !listed.has(name));
  if (unlisted.length > 0) {
    console.error(`\nError: not in DEPLOYABLE_CONTRACTS (src/deployments.ts), so not checked: ${unlisted.join(", ")}`);
    process.exitCode = 1;
  }
  if (over.length > 0) {
    console.error(`\nError: over the EIP-170 / EIP-3860 limits: ${over.map((r) => r.contract).join(", ")}`);
    process.exitCode = 1;
  } else {
    console.log(`\n${rows.length} contract(s) within EIP-170 and EIP-3860`);
  }
}

main();
