/** One measured operation in bench/out/gas.json. */
export interface GasRow {
  domain: "access" | "supply" | "records" | "trials";
  operation: string;
  /** What the measurement was taken at (units in a lot, existing grants, …), or null. */
  scale: number | null;
  gasUsed: number;
  budget: number;
}

/** gasUsed of a mined transaction. */
export async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction was not mined");
  return Number(receipt.gasUsed);
}

/**
 * Every operation's budget was set for its logic when the contracts were deployed directly. Since issue 11
 * every call enters an ERC-1967 proxy (cold implementation slot 2,100 + cold implementation account 2,600 +
 * the delegatecall's copies: about 4.9k gas measured), and a call that asks the registry enters the
 * registry's proxy too (about 9.8k in all; the most, dispense of a later unit, +9,818). The budgets stay
 * the logic's; the proxies get this one stated allowance. bench:check (+2% against bench/baseline.json)
 * stays the tight gate.
 */
export const PROXY_ALLOWANCE = 10_000;
