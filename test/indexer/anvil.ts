/**
 * anvil (Foundry 1.7.1, node_modules/.bin/anvil) on a free loopback port with Hardhat's accounts,
 * Carechain deployed to it by the Ignition CLI: the second node implementation, used for the
 * reorganisation test (`anvil_reorg`) and the indexer benchmark. Stopped by PID.
 */
import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { PROJECT_ROOT, freePort, rpc, runHardhat, spawnGroup } from "../helpers/node";
import { loadDeployment, type Deployment } from "../../src/deployments";
import { ACTOR_INDEX, hardhatWallet, type ActorName, type E2EContext } from "../e2e/consortium";
import { MemberRegistry__factory } from "../../typechain-types";

export interface RunningAnvil {
  url: string;
  provider: JsonRpcProvider;
  chainId: bigint;
  deployment: Deployment;
  stop(): Promise<void>;
}

const MNEMONIC = "test test test test test test test test test test test junk";

export async function startAnvilWithCarechain(extraArgs: string[] = []): Promise<RunningAnvil> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const binary = path.join(PROJECT_ROOT, "node_modules", ".bin", "anvil");
  const args = ["--port", String(port), "--host", "127.0.0.1", "--hardfork", "cancun", "--accounts", "30"];
  args.push("--mnemonic", MNEMONIC, "--chain-id", "31337", "--silent", ...extraArgs);
  const { child, output, kill } = spawnGroup(binary, args, { cwd: PROJECT_ROOT });
  const deploymentId = `anvil-${process.pid}-${Date.now()}`;
  const dir = path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId);
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const stop = async () => {
    provider.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    const instances = path.join(PROJECT_ROOT, "cache", ".hardhat-network-instances.json");
    if (fs.existsSync(instances)) {
      const map = JSON.parse(fs.readFileSync(instances, "utf8")) as Record<string, string>;
      if (deploymentId in map) {
        delete map[deploymentId];
        fs.writeFileSync(instances, JSON.stringify(map, null, 2) + "\n");
      }
    }
    await kill();
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`anvil exited: ${output()}`);
      try {
        await rpc(url, "eth_chainId");
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`anvil did not answer: ${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await runHardhat(
      [
        "ignition",
        "deploy",
        path.join("ignition", "modules", "Carechain.ts"),
        "--network",
        "localhost",
        "--parameters",
        path.join("ignition", "parameters", "localhost.json"),
        "--deployment-id",
        deploymentId,
      ],
      { HARDHAT_VAR_LOCALHOST_URL: url },
    );
    const chainId = BigInt((await rpc(url, "eth_chainId")) as string);
    return { url, provider, chainId, deployment: loadDeployment(chainId, { dir }), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The e2e harness's context over anvil, for the load workloads (bench/workloads). */
export function anvilContext(anvil: RunningAnvil): E2EContext {
  const actors = Object.fromEntries(
    Object.entries(ACTOR_INDEX).map(([name, index]) => [name, hardhatWallet(index, anvil.provider)]),
  ) as E2EContext["actors"] & Record<ActorName, unknown>;
  return {
    node: {
      url: anvil.url,
      port: Number(new URL(anvil.url).port),
      chainId: anvil.chainId,
      output: () => "",
      stop: anvil.stop,
    },
    provider: anvil.provider,
    chainId: anvil.chainId,
    deployment: anvil.deployment,
    registry: MemberRegistry__factory.connect(anvil.deployment.addresses.registry!, anvil.provider),
    actors,
    others: Array.from({ length: 11 }, (_, i) => hardhatWallet(16 + i, anvil.provider)),
    close: anvil.stop,
  };
}
