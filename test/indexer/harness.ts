/**
 * The indexer (services/indexer, Ponder) as a child process, for `npm run services`, the indexer
 * tests and the indexer benchmark. Started as `node node_modules/.bin/ponder start` in its own
 * process group so that the PID held is the server; loopback only, on a free port; stopped by
 * PID. No database server is started here: pass `databaseUrl` for PostgreSQL, else PGlite in
 * `dataDir`.
 */
import path from "node:path";
import { PROJECT_ROOT, freePort, spawnGroup } from "../helpers/node";

export const INDEXER_ROOT = path.join(PROJECT_ROOT, "services", "indexer");

export interface StartIndexerOptions {
  rpcUrl: string;
  chainId: bigint | number;
  /** The Ignition deployment folder (deployed_addresses.json, journal.jsonl, artifacts/). */
  deploymentDir: string;
  /** PostgreSQL connection string; without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data folder (default: services/indexer/.ponder/pglite). */
  dataDir?: string;
  /** Database schema Ponder writes to (default "carechain"). */
  schema?: string;
  port?: number;
  /** Head polling interval, ms (default 100 here: local chains). */
  pollingMs?: number;
  /** Print the indexer's output to this process's stdout. */
  inheritOutput?: boolean;
}

export interface RunningIndexer {
  url: string;
  port: number;
  pid: number;
  output(): string;
  /** Resolves when the backfill is done (GET /ready answers 200). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Resolves when the indexer has processed block `block` (GET /status). */
  waitForBlock(block: number, timeoutMs?: number): Promise<void>;
  /** The latest block the indexer has processed, or -1. */
  indexedBlock(): Promise<number>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startIndexer(options: StartIndexerOptions): Promise<RunningIndexer> {
  const port = options.port ?? (await freePort());
  const schema = options.schema ?? "carechain";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "true",
    CARECHAIN_RPC_URL: options.rpcUrl,
    CARECHAIN_CHAIN_ID: String(options.chainId),
    CARECHAIN_DEPLOYMENT_DIR: options.deploymentDir,
    CARECHAIN_POLLING_MS: String(options.pollingMs ?? 100),
    NODE_ENV: "production",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  delete env.DATABASE_SCHEMA;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.CARECHAIN_INDEXER_DATA = options.dataDir;
  const args = [
    path.join(INDEXER_ROOT, "node_modules", ".bin", "ponder"),
    "start",
    "--schema",
    schema,
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
    "--log-format",
    "json",
  ];
  const { child, output, kill } = spawnGroup(process.execPath, args, { cwd: INDEXER_ROOT, env });
  if (options.inheritOutput) {
    child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  }
  const url = `http://127.0.0.1:${port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const get = async (p: string): Promise<Response | undefined> => {
    try {
      return await fetch(url + p);
    } catch {
      return undefined;
    }
  };
  const indexedBlock = async () => {
    const response = await get("/status");
    if (!response?.ok) return -1;
    const status = (await response.json()) as Record<string, { block?: { number?: number } }>;
    return status.carechain?.block?.number ?? -1;
  };
  const poll = async (what: string, done: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited())
        throw new Error(`the indexer exited (${child.exitCode ?? child.signalCode}) while ${what}:\n${output()}`);
      if (await done()) return;
      if (Date.now() > deadline) throw new Error(`the indexer timed out ${what}:\n${output()}`);
      await sleep(50);
    }
  };
  return {
    url,
    port,
    pid: child.pid!,
    output,
    indexedBlock,
    waitReady: (timeoutMs = 600_000) =>
      poll("backfilling", async () => (await get("/ready"))?.status === 200, timeoutMs),
    waitForBlock: (block, timeoutMs = 300_000) =>
      poll(`waiting for block ${block}`, async () => (await indexedBlock()) >= block, timeoutMs),
    stop: kill,
  };
}
