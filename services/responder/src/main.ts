/**
 * Runs a verification responder:
 *
 *   node -r ts-node/register/transpile-only services/responder/src/main.ts \
 *     --rpc http://127.0.0.1:8545 --supply 0xSupplyChain [--port 0] [--host 127.0.0.1] \
 *     [--data ./responder-data] [--import lot.serials.json ...] [--rate 50] [--burst 100]
 *     [--bundle-max 10000]
 *
 * (or `npm start -- …` inside services/responder). DATABASE_URL set → PostgreSQL; otherwise PGlite in
 * <data>/pglite. Tree files live in <data>/trees. Prints "responder listening on URL" once ready.
 */
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { startResponder } from "./server";
import { TreeStore, openDatabase } from "./store";

function args(argv: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith("--")) throw new Error(`unexpected argument ${argv[i]}`);
    (out[argv[i].slice(2)] ??= []).push(argv[i + 1]);
    i++;
  }
  return out;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const one = (k: string, fallback?: string) => a[k]?.[a[k].length - 1] ?? fallback;
  const rpc = one("rpc", process.env.RPC_URL);
  const supply = one("supply", process.env.SUPPLY_CHAIN);
  if (!rpc || !supply) throw new Error("--rpc URL and --supply ADDRESS are required");
  const data = path.resolve(one("data", "responder-data")!);
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(data, "pglite") });
  const store = new TreeStore(db, path.join(data, "trees"));
  await store.init();
  for (const file of a.import ?? []) {
    const started = performance.now();
    const { lot, imported } = await store.importFile(file);
    console.log(
      `${imported ? "imported" : "already held"} lot ${lot.lotNumber} of ${lot.gtin} (${lot.units} units, root ${lot.root}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const responder = await startResponder({
    store,
    provider,
    supplyChain: supply,
    port: Number(one("port", "0")),
    host: one("host", "127.0.0.1"),
    ratePerSecond: Number(one("rate", "50")),
    rateBurst: Number(one("burst", "100")),
    bundleMax: Number(one("bundle-max", "10000")),
    log: (line) => console.error(line),
  });
  console.log(`responder listening on ${responder.url} (${db.kind}, ${store.lots().length} lots)`);
  const stop = async () => {
    const t = responder.timing();
    const per = (x: number, n: number) => (n ? (x / n).toFixed(2) : "-");
    console.error(
      `timing per request (ms, mean): handling ${per(t.total, t.requests)}, auth ${per(t.auth, t.requests)}, proof lookup ${per(t.lookup, t.answers)}, chain calls ${per(t.chain, t.answers)} over ${t.requests} requests`,
    );
    await responder.close();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
