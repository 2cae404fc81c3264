/**
 * anvil (Foundry 1.7.1) with Carechain deployed by the Ignition CLI — the second node
 * implementation, for the reorganisation test (`anvil_reorg`) and the indexer benchmark. The node
 * and the deployment come from the one e2e harness (test/e2e/consortium.ts, test/helpers/node.ts).
 */
import type { JsonRpcProvider } from "ethers";
import type { Deployment } from "../../src/deployments";
import { startConsortium, type E2EContext } from "../e2e/consortium";

export interface RunningAnvil {
  url: string;
  provider: JsonRpcProvider;
  chainId: bigint;
  deployment: Deployment;
  /** The e2e context over this node (actors, registry, …). */
  context: E2EContext;
  stop(): Promise<void>;
}

export async function startAnvilWithCarechain(): Promise<RunningAnvil> {
  const context = await startConsortium({ node: { kind: "anvil" } });
  return {
    url: context.node.url,
    provider: context.provider,
    chainId: context.chainId,
    deployment: context.deployment,
    context,
    stop: context.close,
  };
}

/** The e2e harness's context over anvil, for the load workloads (bench/workloads). */
export function anvilContext(anvil: RunningAnvil): E2EContext {
  return anvil.context;
}
