/**
 * The indexer is correct (issue 14), on a real `hardhat node` with Carechain deployed by Ignition:
 * - after the load workload of bench/load.ts (registry, supply, records, trials; backfilled), every indexed entity equals the contracts' views (test/indexer/compare.ts walks them
 *   all) and every event is indexed exactly once;
 * - a restart on the same database resumes from where it stopped without duplicates, and indexes
 *   the blocks mined meanwhile and after (live);
 * - a fresh index of the same chain equals the live one, table by table;
 * - the SDK's histories read from it equal those read from the node's paged logs.
 * On PGlite always, and on PostgreSQL too when INDEXER_TEST_DATABASE_URL is set (.ci/run starts a
 * PostgreSQL 15 and sets it). Run by `npm run test:indexer` (CARECHAIN_INDEXER_TESTS=1); skipped in
 * plain `npm test` (each run starts a node and Ponder twice: ~2 minutes) and under coverage.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { id } from "ethers";
import { underCoverage } from "../helpers/node";
import { startConsortium, type E2EContext } from "../e2e/consortium";
import { parseGLN, withCheckDigit } from "../../src";
import { startIndexer, type RunningIndexer } from "./harness";
import { compareWithContracts, dumpAll } from "./compare";
import { runLoad } from "./workload";
import { expectSameHistories, logSomeDisclosures } from "./sdk";

const TX_PER_SIGNER = Number(process.env.INDEXER_TEST_TX_PER_SIGNER ?? 2);

interface Backend {
  name: string;
  databaseUrl?: string;
  schema: string;
  dataDir?: string;
}

function backends(): Backend[] {
  const list: Backend[] = [
    { name: "PGlite", schema: "carechain", dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "idx-test-")) },
  ];
  if (process.env.INDEXER_TEST_DATABASE_URL) {
    list.push({ name: "PostgreSQL", databaseUrl: process.env.INDEXER_TEST_DATABASE_URL, schema: `t${process.pid}` });
  }
  return list;
}

describe("indexer: equals the contracts after the load workload; restart; fresh index", function () {
  this.timeout(1_200_000);
  let ctx: E2EContext | undefined;
  const list = backends();
  const running = new Map<string, RunningIndexer>();
  const start = (b: Backend, overrides: Partial<Backend> = {}) => {
    const c = ctx!;
    return startIndexer({
      rpcUrl: c.node.url,
      chainId: c.chainId,
      deploymentDir: c.deployment.dir,
      databaseUrl: overrides.databaseUrl ?? b.databaseUrl,
      dataDir: overrides.dataDir ?? b.dataDir,
      schema: overrides.schema ?? b.schema,
    });
  };

  before(async function () {
    if (process.env.CARECHAIN_INDEXER_TESTS !== "1" || underCoverage(hre)) this.skip();
    ctx = await startConsortium();
    const load = await runLoad(ctx, TX_PER_SIGNER);
    expect(load.problems, "the workload's own model check").to.deep.equal([]);
    expect(load.transactions).to.equal(4 * 20 * TX_PER_SIGNER);
    await logSomeDisclosures(ctx);
    // Started after the load: it backfills the workload; the restart test then indexes new blocks live.
    for (const b of list) running.set(b.name, await start(b));
    for (const b of list) await running.get(b.name)!.waitReady();
  });

  after(async function () {
    for (const indexer of running.values()) await indexer.stop();
    await ctx?.close();
    for (const b of list) if (b.dataDir) fs.rmSync(b.dataDir, { recursive: true, force: true });
  });

  for (const b of list) {
    // Restart and fresh index take about a minute each: with a PostgreSQL server (CI) they run on it,
    // the production backend; without one, on PGlite. The equivalence and history tests run on both.
    const long: Mocha.TestFunction =
      b.name === "PostgreSQL" || !process.env.INDEXER_TEST_DATABASE_URL
        ? it
        : (((title: string) => void title) as unknown as Mocha.TestFunction);
    describe(`on ${b.name}`, function () {
      it("holds every entity exactly as the contracts' views say, and every event once", async function () {
        const c = ctx!;
        const head = await c.provider.getBlockNumber();
        const indexer = running.get(b.name)!;
        await indexer.waitForBlock(head);
        const { compared, problems } = await compareWithContracts(
          indexer.url,
          c.provider,
          c.deployment.addresses,
          head,
        );
        expect(problems).to.deep.equal([]);
        // The workload reached every domain: these tables are not trivially equal.
        for (const table of [
          "member",
          "roleMember",
          "product",
          "lot",
          "custody",
          "shipment",
          "decommission",
          "record",
          "grant",
          "trial",
          "participation",
          "representation",
        ]) {
          expect(compared[table], table).to.be.greaterThan(0);
        }
      });

      it("gives the SDK the same histories as the node's paged logs (provenance, disclosures, consent trail, inbox)", async function () {
        const c = ctx!;
        const indexer = running.get(b.name)!;
        await indexer.waitForBlock(await c.provider.getBlockNumber());
        await expectSameHistories(c, indexer.url);
      });

      long("resumes after a restart from where it stopped, without duplicates", async function () {
        const c = ctx!;
        await running.get(b.name)!.stop();
        // Blocks mined while it is down.
        const registrar = c.registry.connect(c.actors.registrar);
        for (let n = 0; n < 3; n++) {
          const account = "0x" + id(`indexer-restart-${b.name}-${n}`).slice(-40);
          await (
            await registrar.admitMember(
              account,
              parseGLN(withCheckDigit(String(477770000000 + n + (b.name === "PGlite" ? 0 : 50)))),
              id("r"),
            )
          ).wait();
        }
        const indexer = await start(b);
        running.set(b.name, indexer);
        const head = await c.provider.getBlockNumber();
        await indexer.waitForBlock(head);
        // Ponder's resume path (same build, same schema): it continues from its checkpoint.
        expect(indexer.output(), "resumed, not rebuilt").to.match(/Detected crash recovery/);
        const { problems } = await compareWithContracts(indexer.url, c.provider, c.deployment.addresses, head);
        expect(problems).to.deep.equal([]);
      });

      long("equals, table by table, a fresh index of the same chain", async function () {
        const c = ctx!;
        const head = await c.provider.getBlockNumber();
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-fresh-"));
        const fresh = await start(b, { dataDir, schema: `${b.schema}_fresh` });
        try {
          await fresh.waitReady();
          await fresh.waitForBlock(head);
          await running.get(b.name)!.waitForBlock(head);
          const [live, rebuilt] = await Promise.all([dumpAll(running.get(b.name)!.url), dumpAll(fresh.url)]);
          expect(live).to.deep.equal(rebuilt);
        } finally {
          await fresh.stop();
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      });
    });
  }
});
