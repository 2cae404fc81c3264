/**
 * A second node for rehearsals: anvil (Foundry 1.7.1, from npm: node_modules/.bin/anvil) on a free
 * loopback port, Cancun, chain id 1337 (Besu's default), 30 funded accounts of the development
 * mnemonic (the same accounts as the hardhat node); with `zeroFee`, free gas like a Besu QBFT chain. Stopped by its PID only. One starter for every
 * node: test/helpers/node.ts.
 */
import { startNode, type RunningNode } from "../../test/helpers/node";

export type AnvilNode = RunningNode;

/** Starts anvil; resolves when it answers JSON-RPC. */
export async function startAnvil(
  options: { chainId?: number; zeroFee?: boolean; timeoutMs?: number } = {},
): Promise<AnvilNode> {
  return startNode({
    kind: "anvil",
    chainId: options.chainId ?? 1337,
    zeroFee: options.zeroFee,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}
