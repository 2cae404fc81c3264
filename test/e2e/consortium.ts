/**
 * The end-to-end harness: a `hardhat node` on a free loopback port, Carechain deployed to it by
 * the Ignition CLI exactly as an operator does (`hardhat ignition deploy … --network localhost
 * --parameters …`), and the consortium's organisations as ethers wallets holding their own keys,
 * talking JSON-RPC through the SDK. Nothing here uses the in-process Hardhat network.
 *
 * The deployment record is written under a unique deployment id and deleted by `close()`, so
 * running the tests leaves nothing in ignition/deployments.
 */
import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider, Wallet } from "ethers";
import { PROJECT_ROOT, runHardhat, startNode, type RunningNode, type StartNodeOptions } from "../helpers/node";
import type { Deployment } from "../../src/deployments";
import { loadDeployment } from "../../src/node/deployments";
import { ACTOR_INDEX, type ActorName } from "../../scripts/lib/actors";
import { MemberRegistry__factory, type MemberRegistry } from "../../typechain-types";

/** Hardhat's default accounts (the node funds the first 30 of them, as hardhat.config.ts asks). */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

// The organisations of the story, on the same account indexes as the fixtures and the demo.
export { ACTOR_INDEX, type ActorName } from "../../scripts/lib/actors";

// Derived once: deriving from the phrase runs PBKDF2 each time.
let accountsRoot: HDNodeWallet | undefined;

/** The wallet of Hardhat default account `index`, connected to `provider`. */
export function hardhatWallet(index: number, provider: JsonRpcProvider): HDNodeWallet {
  accountsRoot ??= HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0");
  return accountsRoot.deriveChild(index).connect(provider);
}

export interface E2EContext {
  node: RunningNode;
  provider: JsonRpcProvider;
  chainId: bigint;
  /** The deployment record the SDK read (addresses by SDK name). */
  deployment: Deployment;
  /** The registry bound to the provider (read-only); `.connect(wallet)` to act. */
  registry: MemberRegistry;
  actors: Record<ActorName, HDNodeWallet>;
  /** Accounts 16-26: patients, participants, relayers (not members). */
  others: HDNodeWallet[];
  /** Stops the node and deletes the deployment record. */
  close(): Promise<void>;
}

export interface StartConsortiumOptions {
  /** Ignition parameters file (default: the repo's ignition/parameters/localhost.json). */
  parameters?: string;
  /**
   * A node already running (e.g. anvil, scripts/lib/anvil.ts), stopped by close(); or the options of
   * the node to start (default: a hardhat node).
   */
  node?: RunningNode | StartNodeOptions;
}

/** Removes the entry Ignition keeps for `deploymentId` in cache/.hardhat-network-instances.json. */
function forgetNetworkInstance(deploymentId: string): void {
  const file = path.join(PROJECT_ROOT, "cache", ".hardhat-network-instances.json");
  if (!fs.existsSync(file)) return;
  const instances = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  if (!(deploymentId in instances)) return;
  delete instances[deploymentId];
  fs.writeFileSync(file, JSON.stringify(instances, null, 2) + "\n");
}

/** Starts a node, deploys the root module to it with the Ignition CLI and connects the SDK. */
export async function startConsortium(options: StartConsortiumOptions = {}): Promise<E2EContext> {
  const given = options.node;
  const node = given !== undefined && "url" in given ? given : await startNode(given);
  const deploymentId = `e2e-${process.pid}-${Date.now()}`;
  const deploymentDir = path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId);
  const provider = new JsonRpcProvider(node.url, undefined, {
    staticNetwork: true,
    pollingInterval: 50,
    // ethers caches identical calls for 250 ms by default: back-to-back transactions would reuse a nonce.
    cacheTimeout: -1,
  });
  const close = async () => {
    provider.destroy();
    fs.rmSync(deploymentDir, { recursive: true, force: true });
    forgetNetworkInstance(deploymentId);
    await node.stop();
  };
  try {
    await runHardhat(
      [
        "ignition",
        "deploy",
        path.join("ignition", "modules", "Carechain.ts"),
        "--network",
        "localhost",
        "--parameters",
        options.parameters ?? path.join("ignition", "parameters", "localhost.json"),
        "--deployment-id",
        deploymentId,
      ],
      // hardhat.config.ts reads vars.get("LOCALHOST_URL"); HARDHAT_VAR_<NAME> sets a configuration variable.
      // Ignition asks before deploying to a chain other than 31337 (anvil runs 1337): this answers yes.
      { HARDHAT_VAR_LOCALHOST_URL: node.url, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" },
    );
    const chainId = (await provider.getNetwork()).chainId;
    const deployment = loadDeployment(chainId, { dir: deploymentDir });
    if (deployment.addresses.registry === undefined) throw new Error("the deployment has no registry");
    const actors = Object.fromEntries(
      Object.entries(ACTOR_INDEX).map(([name, index]) => [name, hardhatWallet(index, provider)]),
    ) as Record<ActorName, HDNodeWallet>;
    const others = Array.from({ length: 11 }, (_, i) => hardhatWallet(16 + i, provider));
    return {
      node,
      provider,
      chainId,
      deployment,
      registry: MemberRegistry__factory.connect(deployment.addresses.registry, provider),
      actors,
      others,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A wallet with a fresh random key and no ether, connected to `provider`. */
export function emptyWallet(provider: JsonRpcProvider): HDNodeWallet {
  return Wallet.createRandom().connect(provider);
}

/**
 * One step of a partner's flow over JSON-RPC. A step runs after the steps listed before it in
 * the e2e file, against the same deployment; it adds `it`s inside its own describe.
 */
export interface E2EStep {
  name: string;
  define(ctx: () => E2EContext): void;
}
