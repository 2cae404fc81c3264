/**
 * `npm run bench:indexer` (issue 14): the indexer's figures, printed as a table (not asserted).
 *
 * On anvil (node_modules/.bin/anvil, Carechain deployed by Ignition):
 * 1. the load workload of bench/load.ts (registry, supply, records, trials: 20 signers ×
 *    LOAD_TX_PER_SIGNER, default 50 → 4,000 transactions), then a fresh index of it — backfill
 *    throughput (events/s, from the server answering to /ready) on PGlite and on PostgreSQL 15
 *    (BENCH_DATABASE_URL, else one started by scripts/indexer/postgres.sh when installed);
 * 2. the lag from a block being mined to its event being queryable (an admission, polled through
 *    GraphQL every 5 ms): median and p95 over LAG_SAMPLES blocks, on PGlite;
 * 3. BENCH_DISCLOSURES (default 100,000) more disclosures (500 per block), a fresh index, then a
 *    patient's accounting of disclosures and a lot's provenance through the SDK — from the indexer
 *    and from paged eth_getLogs (BENCH_LOG_PAGE blocks per query, default 2,000: a provider's cap) —
 *    p95 of each and their ratio, in the same run (on PGlite; also on PostgreSQL with
 *    BENCH_BIG_ON_POSTGRES=1).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { id } from "ethers";
import { parseGLN, withCheckDigit, accountingOfDisclosures, SupplyClient } from "../src";
import { RecordAccess__factory, SupplyChain__factory } from "../typechain-types";
import { PROJECT_ROOT } from "../test/helpers/node";
import { startAnvilWithCarechain, anvilContext } from "../test/indexer/anvil";
import { startIndexer, type RunningIndexer } from "../test/indexer/harness";
import { runLoad } from "../test/indexer/workload";
import { graphql } from "../test/indexer/compare";

const TX_PER_SIGNER = Number(process.env.LOAD_TX_PER_SIGNER ?? 50);
const DISCLOSURES = Number(process.env.BENCH_DISCLOSURES ?? 100_000);
const LOG_PAGE = Number(process.env.BENCH_LOG_PAGE ?? 2_000);
const LAG_SAMPLES = Number(process.env.LAG_SAMPLES ?? 40);
const QUERY_SAMPLES = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function jsonRpc(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** Starts an indexer, returns it and the backfill figures. */
async function backfill(
  label: string,
  events: number,
  options: Parameters<typeof startIndexer>[0],
): Promise<{ indexer: RunningIndexer; row: string[] }> {
  const started = performance.now();
  const indexer = await startIndexer(options);
  while ((await fetch(indexer.url + "/health").catch(() => undefined))?.status !== 200) await sleep(20);
  const serving = performance.now();
  await indexer.waitReady(1_800_000);
  const ready = performance.now();
  const seconds = (ready - serving) / 1000;
  return {
    indexer,
    row: [
      label,
      String(events),
      ((ready - started) / 1000).toFixed(1),
      seconds.toFixed(1),
      (events / seconds).toFixed(0),
    ],
  };
}

async function countLogs(url: string, addresses: string[], toBlock: number): Promise<number> {
  let n = 0;
  for (const address of addresses) {
    const body = (await jsonRpc(url, {
      jsonrpc: "2.0",
      id: 1,
      method: "eth_getLogs",
      params: [{ address, fromBlock: "0x0", toBlock: "0x" + toBlock.toString(16) }],
    })) as { result: unknown[] };
    n += body.result.length;
  }
  return n;
}

function postgres(): { url: string; stop: () => void } | undefined {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: () => undefined };
  if (!fs.existsSync("/usr/lib/postgresql/15/bin/initdb")) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pg-"));
  const script = path.join(PROJECT_ROOT, "scripts", "indexer", "postgres.sh");
  const url = execFileSync("bash", [script, "start", dir], { encoding: "utf8" }).trim();
  return { url, stop: () => execFileSync("bash", [script, "stop", dir]) };
}

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(`\n${title}\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const anvil = await startAnvilWithCarechain();
  const ctx = anvilContext(anvil);
  const pg = postgres();
  const dirs: string[] = [];
  const indexers: RunningIndexer[] = [];
  const dataDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "bench-idx-"));
    dirs.push(d);
    return d;
  };
  const base = { rpcUrl: anvil.url, chainId: anvil.chainId, deploymentDir: anvil.deployment.dir };
  const addresses = Object.values(anvil.deployment.addresses) as string[];
  try {
    console.log(`anvil ${anvil.url}; load workload: 20 signers × ${TX_PER_SIGNER} transactions × 4 workloads…`);
    const load = await runLoad(ctx, TX_PER_SIGNER, false); // checked by test/indexer; here only its events count
    if (load.problems.length) throw new Error(`workload check failed: ${load.problems.join("; ")}`);
    const head = await anvil.provider.getBlockNumber();
    const events = await countLogs(anvil.url, addresses, head);
    console.log(`${load.transactions} load transactions; ${events} events in ${head} blocks`);

    // 1. Backfill throughput.
    const backfillRows: string[][] = [];
    const lite = await backfill("PGlite (embedded)", events, { ...base, dataDir: dataDir() });
    indexers.push(lite.indexer);
    backfillRows.push(lite.row);
    if (pg) {
      const p = await backfill("PostgreSQL 15", events, { ...base, databaseUrl: pg.url, schema: `bench${Date.now()}` });
      backfillRows.push(p.row);
      await p.indexer.stop();
    }

    console.log("backfilled; measuring the lag…");
    // 2. Lag from mined to queryable (PGlite, polling the node every 100 ms).
    const registrar = ctx.registry.connect(ctx.actors.registrar);
    const lags: number[] = [];
    for (let n = 0; n < LAG_SAMPLES; n++) {
      const account = ("0x" + id(`bench-lag-${n}`).slice(-40)).toLowerCase();
      await (
        await registrar.admitMember(account, parseGLN(withCheckDigit(String(488880000000 + n))), id("lag"))
      ).wait();
      const mined = performance.now();
      for (;;) {
        const data = await graphql<{ member: unknown }>(
          lite.indexer.url,
          `
            query ($a: String!) {
              member(account: $a) {
                gln
              }
            }
          `,
          {
            a: account,
          },
        );
        if (data.member) break;
        await sleep(5);
      }
      lags.push(performance.now() - mined);
    }
    await lite.indexer.stop();

    // 3. 100,000 disclosures, then the histories both ways.
    const records = RecordAccess__factory.connect(anvil.deployment.addresses.records!, anvil.provider);
    const registered = await records.queryFilter(records.filters.RecordRegistered());
    console.log(`\nlogging ${DISCLOSURES} disclosures of ${registered.length} patients' records (500 per block)…`);
    await jsonRpc(anvil.url, { jsonrpc: "2.0", id: 1, method: "evm_setAutomine", params: [false] });
    const iface = records.interface;
    const recordsAddress = await records.getAddress();
    const recipient = ctx.others[0].address;
    // Nonces assigned here: anvil would give concurrent requests of one sender the same pending nonce.
    const nonces = new Map<string, number>();
    for (const r of registered) {
      if (!nonces.has(r.args.custodian))
        nonces.set(r.args.custodian, await anvil.provider.getTransactionCount(r.args.custodian, "pending"));
    }
    const nextNonce = (sender: string) => {
      const n = nonces.get(sender)!;
      nonces.set(sender, n + 1);
      return n;
    };
    for (let sent = 0; sent < DISCLOSURES; sent += 500) {
      const batch = Array.from({ length: Math.min(500, DISCLOSURES - sent) }, (_, j) => {
        const r = registered[(sent + j) % registered.length];
        return {
          jsonrpc: "2.0",
          id: j,
          method: "eth_sendTransaction",
          params: [
            {
              from: r.args.custodian,
              nonce: "0x" + nextNonce(r.args.custodian).toString(16),
              to: recordsAddress,
              gas: "0x30000",
              data: iface.encodeFunctionData("logDisclosure", [
                r.args.patient,
                r.args.recordId,
                recipient,
                (sent + j) % 3,
              ]),
            },
          ],
        };
      });
      const answers = (await jsonRpc(anvil.url, batch)) as { error?: { message: string } }[];
      const failed = answers.find((a) => a.error);
      if (failed) throw new Error(`eth_sendTransaction: ${failed.error!.message}`);
      await jsonRpc(anvil.url, { jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] });
    }
    for (;;) {
      const status = (await jsonRpc(anvil.url, { jsonrpc: "2.0", id: 1, method: "txpool_status", params: [] })) as {
        result: { pending: string };
      };
      if (Number(status.result.pending) === 0) break;
      await jsonRpc(anvil.url, { jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] });
    }
    await jsonRpc(anvil.url, { jsonrpc: "2.0", id: 1, method: "evm_setAutomine", params: [true] });
    const head2 = await anvil.provider.getBlockNumber();
    const events2 = await countLogs(anvil.url, addresses, head2);
    console.log(`${events2} events in ${head2} blocks; indexing them afresh…`);
    const big = await backfill("PGlite, + disclosures", events2, { ...base, dataDir: dataDir() });
    indexers.push(big.indexer);
    backfillRows.push(big.row);
    if (pg && process.env.BENCH_BIG_ON_POSTGRES === "1") {
      const p = await backfill("PostgreSQL 15, + disclosures", events2, {
        ...base,
        databaseUrl: pg.url,
        schema: `bench${Date.now()}`,
      });
      backfillRows.push(p.row);
      indexers.push(p.indexer);
    }

    const supply = new SupplyClient(anvil.deployment.addresses.supply!, anvil.provider);
    const supplyContract = SupplyChain__factory.connect(anvil.deployment.addresses.supply!, anvil.provider);
    const lotId = (await supplyContract.queryFilter(supplyContract.filters.LotCommissioned()))[0].args.lotId;
    const patients = [...new Set(registered.map((r) => r.args.patient))];
    const time = async (f: () => Promise<unknown[]>) => {
      const t = performance.now();
      const n = (await f()).length;
      return { ms: performance.now() - t, n };
    };
    const queryRows: string[][] = [];
    for (const indexer of indexers.slice(1)) {
      const db = indexer === big.indexer ? "PGlite" : "PostgreSQL";
      const measure = async (
        what: string,
        viaIndexer: () => Promise<unknown[]>,
        viaLogs: () => Promise<unknown[]>,
        samples: number,
      ) => {
        const a: number[] = [];
        const b: number[] = [];
        let rows = 0;
        for (let i = 0; i < samples; i++) {
          const x = await time(viaIndexer);
          a.push(x.ms);
          rows = x.n;
          if (i < Math.min(samples, 10)) b.push((await time(viaLogs)).ms);
        }
        const pi = percentile(a, 95);
        const pl = percentile(b, 95);
        queryRows.push([`${what} (${db})`, String(rows), pi.toFixed(1), pl.toFixed(1), (pl / pi).toFixed(1)]);
      };
      await measure(
        "accounting of disclosures",
        () =>
          accountingOfDisclosures(records, patients[Math.floor(Math.random() * patients.length)], 0, {
            indexer: indexer.url,
          }),
        () =>
          accountingOfDisclosures(records, patients[Math.floor(Math.random() * patients.length)], 0, {
            logPageSize: LOG_PAGE,
          }),
        QUERY_SAMPLES,
      );
      await measure(
        "lot provenance",
        () => supply.provenance(lotId, 0, { indexer: indexer.url }),
        () => supply.provenance(lotId, 0, { logPageSize: LOG_PAGE }),
        QUERY_SAMPLES,
      );
    }

    table(
      `Backfill (anvil; load workload ${load.transactions} transactions; then + ${DISCLOSURES} disclosures)`,
      ["database", "events", "start→ready s", "indexing s", "events/s"],
      backfillRows,
    );
    table(
      `Lag from a block mined to its event queryable (PGlite, polling 100 ms, ${LAG_SAMPLES} blocks)`,
      ["median ms", "p95 ms", "max ms"],
      [[percentile(lags, 50).toFixed(0), percentile(lags, 95).toFixed(0), Math.max(...lags).toFixed(0)]],
    );
    table(
      `Histories with ${events2} events in the database (${head2} blocks); paged eth_getLogs at ${LOG_PAGE} blocks per query`,
      ["query", "entries", "indexer p95 ms", "eth_getLogs p95 ms", "ratio"],
      queryRows,
    );
  } finally {
    for (const i of indexers) await i.stop();
    await anvil.stop();
    pg?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
