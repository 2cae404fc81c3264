/**
 * supply:dispense at a real terminal: run under a pseudo-terminal by test/cli/dispense-confirm.tasks.ts
 * (`script -qfec "npx hardhat run test/cli/support/dispense-at-terminal.ts" /dev/null`), which answers
 * the first question n and the second y. Prints what happened on chain after each answer. Does
 * nothing when loaded by mocha.
 */
import hre, { ethers } from "hardhat";
import { ACTOR_INDEX } from "../../../scripts/lib/actors";
import { formatRaw } from "../../../src/gs1";
import { LotStatus } from "../../../src/supply";
import { EXPIRY, GTIN, LOT, pharmacyWithStock } from "./pharmacy-stock";

async function main(): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new Error("not a terminal: run under `script`");
  console.log("terminal: stdin and stdout are a TTY");
  const { address, treeFile, supply, lotId } = await pharmacyWithStock();
  for (const [serial, answer] of [
    ["FAKE1", "n"],
    ["FAKE2", "y"],
  ]) {
    const block = await ethers.provider.getBlockNumber();
    process.exitCode = undefined;
    await hre.run("supply:dispense", {
      address,
      from: String(ACTOR_INDEX.pharmacy),
      code: formatRaw({ gtin: GTIN, serial, lot: LOT, expiry: EXPIRY }),
      tree: treeFile,
    });
    const exitCode = process.exitCode ?? 0;
    process.exitCode = undefined;
    const blocks = (await ethers.provider.getBlockNumber()) - block;
    const status = LotStatus[Number((await supply.lotOf(lotId)).status)];
    const alerts = (await supply.queryFilter(supply.filters.SuspectPackAlert(lotId))).length;
    console.log(`after ${answer}: exit code ${exitCode}, ${blocks} blocks, lot ${status}, ${alerts} alerts`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
