import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";

/** Fees that order a transaction behind any other of its block (no tip), yet always includable. */
export interface BehindFees {
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

/**
 * A race, for real, on the in-process node: with automine off, `start()` sets off the code under
 * test, which sends one transaction from `sender`; as soon as it is pending, `send(fees)` queues a
 * second one behind it in the same block (no tip), and the block is mined. Automine is restored
 * whatever happens. `abort()` (polled while waiting) ends the wait with its message, e.g. when the
 * code under test answered without sending. Returns the hash of the transaction `send` made.
 */
export async function mineBehindNextTransaction(options: {
  sender: { getNonce(blockTag: "latest" | "pending"): Promise<number> };
  start: () => void;
  send: (fees: BehindFees) => Promise<ContractTransactionResponse>;
  /** What the code under test is, for the error when it sends nothing. */
  what: string;
  abort?: () => Promise<string | undefined>;
}): Promise<string> {
  const sent = await options.sender.getNonce("latest");
  await ethers.provider.send("evm_setAutomine", [false]);
  try {
    options.start();
    for (let i = 0; (await options.sender.getNonce("pending")) === sent; i++) {
      const why = await options.abort?.();
      if (why !== undefined) throw new Error(why);
      if (i > 600) throw new Error(`${options.what} sent no transaction`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const base = (await ethers.provider.getBlock("latest"))!.baseFeePerGas!;
    const { hash } = await options.send({ maxPriorityFeePerGas: 0n, maxFeePerGas: base * 2n + 1n });
    await ethers.provider.send("evm_mine", []);
    return hash;
  } finally {
    await ethers.provider.send("evm_setAutomine", [true]);
  }
}
