/**
 * Event history in pages of blocks: RPC providers cap `eth_getLogs` ranges (often 1,000–10,000
 * blocks), so a query from the deployment block to the latest block runs as consecutive ranges.
 * Browser-safe.
 */
import type { ContractRunner, Provider } from "ethers";

/** Where a history query starts and how many blocks one `eth_getLogs` may span. */
export interface HistoryRange {
  /** The first block to read: the deployment's block (default 0). */
  fromBlock?: number;
  /** Blocks per `eth_getLogs` request (default 10,000). */
  blockRange?: number;
  /** The last block to read (default: the latest block when the query starts). */
  toBlock?: number;
}

export const DEFAULT_BLOCK_RANGE = 10_000;

/** The provider behind a runner (a provider itself, or a signer's). */
export function providerOf(runner: ContractRunner | null | undefined): Provider {
  const provider = (runner as { provider?: Provider | null } | null)?.provider ?? (runner as Provider | null);
  if (!provider || typeof (provider as Provider).getBlockNumber !== "function") {
    throw new Error("history queries need a runner with a provider");
  }
  return provider as Provider;
}

/**
 * Runs `query(from, to)` over consecutive block ranges from `range.fromBlock` to `range.toBlock`
 * (default the latest block) and concatenates the results in block order.
 */
export async function pagedQuery<T>(
  provider: Pick<Provider, "getBlockNumber">,
  query: (fromBlock: number, toBlock: number) => Promise<T[]>,
  range: HistoryRange = {},
): Promise<T[]> {
  const step = range.blockRange ?? DEFAULT_BLOCK_RANGE;
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`blockRange ${step} is not a positive integer`);
  const latest = range.toBlock ?? (await provider.getBlockNumber());
  const out: T[] = [];
  for (let from = range.fromBlock ?? 0; from <= latest; from += step) {
    out.push(...(await query(from, Math.min(from + step - 1, latest))));
  }
  return out;
}
