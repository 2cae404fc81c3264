/**
 * `npm run services`: the local stack in one command — a `hardhat node` on a free loopback port,
 * Carechain deployed to it with the Ignition CLI (as the e2e harness does), and the indexer
 * (services/indexer) on its embedded database (PGlite, in a fresh temporary folder), with its URLs
 * printed. Ctrl-C stops the indexer and the node by PID and deletes the deployment record.
 *
 * DATABASE_URL set: the indexer uses that PostgreSQL server instead (schema "carechain_local").
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startConsortium } from "../test/e2e/consortium";
import { startIndexer } from "../test/indexer/harness";

async function main(): Promise<void> {
  console.log("starting a hardhat node and deploying Carechain (Ignition)…");
  const ctx = await startConsortium();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-indexer-"));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the indexer and the node…");
    await indexer?.stop();
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  let indexer: Awaited<ReturnType<typeof startIndexer>> | undefined;
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  try {
    indexer = await startIndexer({
      rpcUrl: ctx.node.url,
      chainId: ctx.chainId,
      deploymentDir: ctx.deployment.dir,
      databaseUrl: process.env.DATABASE_URL,
      dataDir,
      schema: process.env.DATABASE_URL ? "carechain_local" : "carechain",
      pollingMs: 250,
    });
    // Backfill progress: the indexer's last block against the node's head, every 2 s until ready.
    const running = indexer;
    const progress = setInterval(() => {
      void Promise.all([running.indexedBlock(), ctx.provider.getBlockNumber()]).then(([done, head]) =>
        console.log(`indexing… block ${Math.max(done, 0)} of ${head}`),
      );
    }, 2_000);
    try {
      await indexer.waitReady();
    } finally {
      clearInterval(progress);
    }
    const lines = [
      `node (JSON-RPC)      ${ctx.node.url}   chain id ${ctx.chainId}`,
      `deployment record    ${path.relative(process.cwd(), ctx.deployment.dir)}`,
      ...Object.entries(ctx.deployment.addresses).map(([k, v]) => `  ${k.padEnd(18)} ${v}`),
      `indexer (pid ${indexer.pid})  ${indexer.url}`,
      `  GraphQL            ${indexer.url}/graphql`,
      `  SQL over HTTP      ${indexer.url}/sql/db`,
      `  health / ready     ${indexer.url}/health  ${indexer.url}/ready  ${indexer.url}/status`,
      `  histories          ${indexer.url}/history/{disclosures/:patient, provenance/:lotId, consent/:trialId/:participant, shipments-to/:to}`,
      `  database           ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${dataDir}`}`,
      "",
      `Use it: HARDHAT_VAR_LOCALHOST_URL=${ctx.node.url} npx hardhat --network localhost … ; Ctrl-C stops everything.`,
    ];
    console.log("\n" + lines.join("\n"));
    // Stays up until a signal.
    await new Promise(() => undefined);
  } catch (error) {
    console.error(error);
    if (indexer) console.error(indexer.output());
    await stop(1);
  }
}

void main();
