/**
 * Runs a custodian's record gateway:
 *
 *   CUSTODIAN_KEY=0x… GATEWAY_ENCRYPTION_KEY=0x… \
 *   node -r ts-node/register/transpile-only services/gateway/src/main.ts \
 *     --rpc http://127.0.0.1:8545 --records 0xRecordAccess [--name "St. Mary's record gateway"] \
 *     [--port 0] [--host 127.0.0.1] [--data ./gateway-data]
 *
 * (or `npm start -- …` inside services/gateway). CUSTODIAN_KEY is the custodian's account (a PROVIDER
 * member: it registers records and logs disclosures); GATEWAY_ENCRYPTION_KEY the gateway's own
 * secp256k1 key its data keys are kept wrapped to. DATABASE_URL set → PostgreSQL; otherwise PGlite in
 * <data>/pglite. Prints "gateway listening on URL" once ready. Keys come from the environment only,
 * never from arguments (which other users of the machine can read).
 */
import path from "node:path";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { startGateway } from "./server";
import { RecordStore, openDatabase } from "./store";

function args(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--")) throw new Error(`unexpected argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const rpc = a.rpc ?? process.env.RPC_URL;
  const recordAccess = a.records ?? process.env.RECORD_ACCESS;
  const key = process.env.CUSTODIAN_KEY;
  const encryptionKey = process.env.GATEWAY_ENCRYPTION_KEY;
  if (!rpc || !recordAccess) throw new Error("--rpc URL and --records ADDRESS are required");
  if (!key || !encryptionKey) throw new Error("CUSTODIAN_KEY and GATEWAY_ENCRYPTION_KEY must be set");
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true });
  const custodian = new NonceManager(new Wallet(key, provider));
  const data = path.resolve(a.data ?? "gateway-data");
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(data, "pglite") });
  const store = new RecordStore(db);
  await store.init();
  const gateway = await startGateway({
    store,
    custodian,
    recordAccess,
    encryptionPrivateKey: encryptionKey,
    name: a.name,
    port: Number(a.port ?? "0"),
    host: a.host ?? "127.0.0.1",
    log: (line) => console.error(line),
  });
  console.log(`gateway listening on ${gateway.url} (${db.kind}, ${await store.count()} records)`);
  const stop = async () => {
    await gateway.close();
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
