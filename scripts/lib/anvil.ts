/**
 * A second node for rehearsals: anvil (Foundry 1.7.1, from npm: node_modules/.bin/anvil) on a free
 * loopback port, Cancun, chain id 1337, 30 funded accounts of the development mnemonic (the same
 * accounts as the hardhat node). Stopped by its PID only.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const LOOPBACK = "127.0.0.1";

export interface AnvilNode {
  url: string;
  port: number;
  chainId: bigint;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function chainIdAt(url: string): Promise<bigint> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  const body = (await res.json()) as { result: string };
  return BigInt(body.result);
}

/** Starts anvil; resolves when it answers JSON-RPC. */
export async function startAnvil(options: { chainId?: number; timeoutMs?: number } = {}): Promise<AnvilNode> {
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const bin = path.join(ROOT, "node_modules", ".bin", "anvil");
  const child = spawn(
    bin,
    [
      "--host",
      LOOPBACK,
      "--port",
      String(port),
      "--hardfork",
      "cancun",
      "--accounts",
      "30",
      "--chain-id",
      String(options.chainId ?? 1337),
      "--silent",
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited (${child.exitCode}) before answering:\n${log}`);
    try {
      const chainId = await chainIdAt(url);
      return { url, port, chainId, pid: child.pid!, output: () => log, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`anvil did not answer on ${url} in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
