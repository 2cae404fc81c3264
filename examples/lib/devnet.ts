/**
 * A throw-away chain for the examples: anvil (Foundry's node, this repository's dev dependency) on a
 * free loopback port, with Carechain deployed on it by the project's own Hardhat Ignition modules
 * (ignition/modules/Carechain.ts, run in memory by @nomicfoundation/ignition-core: no deployment
 * folder is written). A partner on a real network skips all of this and connects to a declared
 * release: `connect(loadDeployment(chainId), signer)` (docs/PARTNER.md).
 *
 * Not part of the package: the examples import only "carechain" and "carechain/node".
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { deploy, type Artifact, type ArtifactResolver, type EIP1193Provider } from "@nomicfoundation/ignition-core";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Network } from "ethers";
import { describeError, parseDeployedAddresses, type ConnectableDeployment } from "carechain";
import CarechainModule from "../../ignition/modules/Carechain";

const ROOT = path.resolve(__dirname, "..", "..");
const LOOPBACK = "127.0.0.1";
/** anvil's (and hardhat's) development mnemonic: public test keys, never for real funds. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const ACCOUNTS = 20;

export interface Devnet {
  /** http://127.0.0.1:<port> */
  url: string;
  chainId: bigint;
  provider: JsonRpcProvider;
  /** The development accounts' private keys (index 0 deployed the contracts). */
  privateKeys: string[];
  /** The development accounts as ethers wallets on `provider`. */
  wallets: HDNodeWallet[];
  /** Carechain's addresses and the block its history starts at, as `connect` takes them. */
  deployment: ConnectableDeployment;
  /** Stops the node (idempotent). */
  stop(): Promise<void>;
}

/** Who the Ignition deployment appoints: governance (admin) and the registrar, by account index. */
export const GOVERNANCE = 1;
export const REGISTRAR = 2;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      server.close(() => resolve(address.port));
    });
  });
}

/** Reads compiled artifacts (artifacts/, written by `hardhat compile`) by contract name. */
function artifactResolver(): ArtifactResolver {
  const index = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "build-info") walk(full);
      else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        const source = path.relative(path.join(ROOT, "artifacts"), path.dirname(full)).split(path.sep).join("/");
        const name = entry.name.slice(0, -".json".length);
        index.set(`${source}:${name}`, full);
        if (!index.has(name)) index.set(name, full);
      }
    }
  };
  const dir = path.join(ROOT, "artifacts");
  if (!fs.existsSync(dir)) throw new Error("no artifacts/: run `npx hardhat compile` first");
  walk(dir);
  return {
    async loadArtifact(name: string): Promise<Artifact> {
      const file = index.get(name);
      if (!file) throw new Error(`no artifact for ${name}: run \`npx hardhat compile\``);
      return JSON.parse(fs.readFileSync(file, "utf8")) as Artifact;
    },
    async getBuildInfo() {
      return undefined;
    },
  };
}

/** Waits until the node answers `eth_chainId`; returns the chain id. */
async function waitForRpc(url: string, child: ChildProcess, output: () => string): Promise<bigint> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      return BigInt(((await response.json()) as { result: string }).result);
    } catch {
      if (Date.now() > deadline) throw new Error(`anvil did not answer in 30 s:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts anvil on a free port and deploys Carechain with the project's Ignition modules. */
export async function startDevnet(): Promise<Devnet> {
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const anvil = path.join(ROOT, "node_modules", ".bin", "anvil");
  const child = spawn(
    anvil,
    [
      ...["--host", LOOPBACK, "--port", String(port), "--hardfork", "cancun", "--silent"],
      ...["--accounts", String(ACCOUNTS), "--mnemonic", DEV_MNEMONIC, "--balance", "10000"],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", kill);
  const stop = async () => {
    process.removeListener("exit", kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };

  try {
    const chainId = await waitForRpc(url, child, () => log);
    // A local node mines each transaction at once: poll receipts every 50 ms, and turn off ethers'
    // 250 ms sharing of identical requests (it would hand a wallet its previous nonce).
    const provider = new JsonRpcProvider(url, Network.from(chainId), {
      staticNetwork: true,
      pollingInterval: 50,
      cacheTimeout: -1,
    });
    const mnemonic = Mnemonic.fromPhrase(DEV_MNEMONIC);
    const wallets = Array.from({ length: ACCOUNTS }, (_, i) =>
      HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`).connect(provider),
    );
    const fromBlock = await provider.getBlockNumber();

    // Ignition talks EIP-1193; anvil's accounts are unlocked, so it sends with eth_sendTransaction.
    const eip1193: EIP1193Provider = {
      request: async ({ method, params }) => provider.send(method, (params as unknown[] | undefined) ?? []),
    };
    const accounts = wallets.map((w) => w.address.toLowerCase());
    const result = await deploy({
      config: { requiredConfirmations: 1, blockPollingInterval: 50 },
      artifactResolver: artifactResolver(),
      provider: eip1193,
      ignitionModule: CarechainModule,
      deploymentParameters: {
        Registry: { governance: wallets[GOVERNANCE].address, registrar: wallets[REGISTRAR].address },
      },
      accounts,
      defaultSender: accounts[0],
    });
    if (result.type !== "SUCCESSFUL_DEPLOYMENT") {
      throw new Error(`Ignition deployment failed: ${JSON.stringify(result, null, 2)}`);
    }
    // The same shape as ignition/deployments/<id>/deployed_addresses.json: future id → address.
    const record = Object.fromEntries(Object.values(result.contracts).map((c) => [c.id, c.address] as const));
    const { addresses } = parseDeployedAddresses(record);
    return {
      url,
      chainId,
      provider,
      privateKeys: wallets.map((w) => w.privateKey),
      wallets,
      deployment: { addresses, fromBlock },
      stop: async () => {
        provider.destroy();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs an example: starts the devnet, runs `body`, stops the devnet; prints the time taken, and on
 * failure the error and exit code 1.
 */
export function runExample(name: string, body: (devnet: Devnet) => Promise<void>): void {
  const started = Date.now();
  let devnet: Devnet | undefined;
  startDevnet()
    .then(async (d) => {
      devnet = d;
      await body(d);
      console.log(`${name}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    })
    .catch((error: unknown) => {
      // A Carechain revert in words (role names, enum names, dates), then the whole error.
      console.error(`${name}: FAILED: ${describeError(error)}`);
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => devnet?.stop());
}
