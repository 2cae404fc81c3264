/**
 * A `hardhat node` as a child process, for the end-to-end tests and the load benchmark: the same
 * JSON-RPC a partner's SDK talks to. Loopback only, on a free port; `stop()` kills the whole
 * process tree (the node runs in its own process group), and so does the test process exiting
 * for any reason while a node is still up.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import net from "node:net";
import path from "node:path";

/** The repository root (this file is test/helpers/node.ts). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

const LOOPBACK = "127.0.0.1";

export interface RunningNode {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The chain id the node answered with. */
  chainId: bigint;
  /** The node's process id (the leader of its process group); none for a node started elsewhere. */
  pid?: number;
  /** The last lines the node printed (for failure messages). */
  output(): string;
  /** Stops the node and its children; resolves when the process has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface StartNodeOptions {
  /**
   * Which node: `hardhat` (default; the JS EVM the tests use) or `anvil` (Foundry's node, from the
   * npm package @foundry-rs/anvil-linux-amd64: the same accounts, chain id 31337, cancun; answers
   * calls about 100 times faster, closer to a production client).
   */
  kind?: "hardhat" | "anvil";
  /** anvil only: the chain id (default 31337, the hardhat node's; 1337 for a Besu-like rehearsal). */
  chainId?: number;
  /**
   * anvil only: free gas like a Besu QBFT chain with `zeroBaseFee` and `min-gas-price 0` (base fee 0,
   * no minimum priority fee), so that a fee of zero is accepted.
   */
  zeroFee?: boolean;
  /** A Hardhat config file other than the project's (e.g. the consortium-chain one). */
  config?: string;
  /** Extra environment variables for the node process. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for JSON-RPC to answer (ms). */
  timeoutMs?: number;
}

/** A TCP port on the loopback interface that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not read the bound port"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** The command line that runs the project's own Hardhat CLI (what `npx hardhat` resolves to). */
export function hardhatCommand(args: readonly string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [require.resolve("hardhat/internal/cli/cli"), ...args] };
}

/** Environment for a child Hardhat process: the parent's, minus what would redirect it, plus `extra`. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", ...extra };
  // A parent started as `HARDHAT_NETWORK=x npm test` must not send the child to network x.
  if (!("HARDHAT_NETWORK" in extra)) delete env.HARDHAT_NETWORK;
  return env;
}

// Every live process group started here, killed when this process exits however it exits.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of liveGroups) killGroup(pid, "SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const pid of liveGroups) killGroup(pid, "SIGKILL");
      liveGroups.clear();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * Spawns `command` in its own process group and registers the group for cleanup; the caller
 * must call the returned `kill` (which waits for exit).
 */
export function spawnGroup(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): { child: ChildProcess; output: () => string; kill: () => Promise<void> } {
  installExitHook();
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  liveGroups.add(pid);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n"));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
  });
  const kill = async () => {
    if (!exited) {
      killGroup(pid, "SIGTERM");
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), 5_000);
      await exit;
      clearTimeout(timer);
    }
    // children of the node (if any) may outlive the leader: make sure the group is gone
    killGroup(pid, "SIGKILL");
    liveGroups.delete(pid);
  };
  return { child, output: () => lines.join("\n"), kill };
}

/** One JSON-RPC call over HTTP; throws if the node does not answer or answers with an error. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/**
 * Starts `hardhat node --hostname 127.0.0.1 --port <free port>` (or anvil, `kind: "anvil"`) from the
 * project root and resolves once `eth_chainId` answers. Rejects (having killed the process) if the node exits or
 * does not answer within `timeoutMs`.
 */
export async function startNode(options: StartNodeOptions = {}): Promise<RunningNode> {
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const kind = options.kind ?? "hardhat";
  const configArgs = options.config ? ["--config", options.config] : [];
  const { command, args } =
    kind === "anvil"
      ? anvilCommand(port, options.chainId ?? 31337, options.zeroFee)
      : hardhatCommand([...configArgs, "node", "--hostname", LOOPBACK, "--port", String(port)]);
  const { child, output, kill } = spawnGroup(command, args, { cwd: PROJECT_ROOT, env: childEnv(options.env) });

  let stopped = false;
  const stop = async () => {
    stopped = true;
    await kill();
  };
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${kind} node exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
      }
      try {
        const chainId = BigInt((await rpc(url, "eth_chainId")) as string);
        return { url, port, chainId, pid: child.pid!, output, stop };
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${kind} node did not answer on ${url} in time:\n${output()}`);
      if (stopped) throw new Error("stopped while starting");
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await kill();
    throw error;
  }
}

/** The hardhat node's accounts (its default mnemonic), so that the same actors exist on anvil. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** anvil on the loopback `port` with the hardhat node's accounts and hardfork, and `chainId` (free gas: `zeroFee`). */
export function anvilCommand(port: number, chainId: number, zeroFee = false): { command: string; args: string[] } {
  return {
    command: path.join(PROJECT_ROOT, "node_modules", ".bin", "anvil"),
    args: [
      ...["--host", LOOPBACK, "--port", String(port), "--hardfork", "cancun", "--chain-id", String(chainId)],
      ...["--accounts", "30", "--mnemonic", DEV_MNEMONIC, "--balance", "10000", "--silent"],
      ...(zeroFee ? ["--base-fee", "0", "--no-priority-fee"] : []),
    ],
  };
}

/** Runs a Hardhat CLI command (e.g. `ignition deploy …`) to completion; rejects with its output on failure. */
export async function runHardhat(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 600_000,
): Promise<string> {
  const { command, args: full } = hardhatCommand(args);
  const { child, output, kill } = spawnGroup(command, full, { cwd: PROJECT_ROOT, env: childEnv(env) });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  await kill();
  if (code !== 0) {
    throw new Error(`hardhat ${args.join(" ")} ${code === null ? "timed out" : `exited ${code}`}:\n${output()}`);
  }
  return output();
}

/**
 * Whether `hardhat coverage` runs the tests. It compiles instrumented contracts into artifacts/;
 * a child Hardhat process (node, Ignition CLI, npm pack) would recompile them back and silently
 * zero the coverage, and bytecode sizes are meaningless instrumented. Tests that spawn Hardhat or
 * measure bytecode skip themselves then (they run in `npm test`).
 */
export function underCoverage(hre: object): boolean {
  return (hre as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}
