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
