/**
 * The record gateway's benchmark (`npm run bench:gateway`): request-to-plaintext latency (median,
 * p95) for 1 KB and 1 MB FHIR records with 20 concurrent requesters, and disclosure-logging
 * throughput — through services/gateway (HTTP, signed request, checks, logDisclosure, wrap, the
 * client's decryption with the content hash from the chain) and, in the same run, the same flow
 * without the gateway (the SDK in-process: canAccess, logDisclosure, wrapForAllowedReaders,
 * openRecord), as a ratio. On the in-process Hardhat network (automine): chain calls are cheap and
 * every logDisclosure is mined at once, so the figures are the gateway's own overhead, not a real
 * chain's block time. A table, not a timed test. ROUNDS=n sets the reads per requester (default 3).
 */
import { ethers } from "hardhat";
import type { Wallet } from "ethers";
import { deployConsortiumFixture } from "../test/helpers/fixtures";
import {
  Action,
  MAX_UINT40,
  Purpose,
  RecordsGatewayClient,
  categoryMask,
  encryptionKeyProof,
  recordsDomain,
  openRecord,
  purposeMask,
  unwrapDataKey,
  wrapForAllowedReaders,
} from "../src/records";
import { startGateway } from "../services/gateway/src/server";
import { RecordStore, openDatabase } from "../services/gateway/src/store";
import type { RecordAccess } from "../typechain-types";

const REQUESTERS = 20;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const env = await deployConsortiumFixture();
  const records = env.deployed.records as unknown as RecordAccess;
  const patient = env.others[0];
  const hospital = env.hospital;
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const domain = await recordsDomain(records, ethers.provider);
  // 20 requesters (not members: family, as far as the chain cares), each with a key and a grant.
  const requesters: { wallet: Wallet; key: string }[] = [];
  for (let i = 0; i < REQUESTERS; i++) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider) as unknown as Wallet;
    await (await env.deployer.sendTransaction({ to: wallet.address, value: ethers.parseEther("1") })).wait();
    const key = ethers.id(`bench requester ${i}`);
    const { publicKey, proof } = encryptionKeyProof(key, domain, wallet.address);
    await (await records.connect(wallet).registerEncryptionKey(publicKey, proof)).wait();
    await (
      await records.connect(patient).grant(patient.address, wallet.address, {
        categories: categoryMask(["Labs"]),
        actions: Action.Read,
        purposes: purposeMask(["Treatment"]),
        validFrom: BigInt(now),
        validUntil: BigInt(now) + 30n * 86400n,
        dataFrom: 0n,
        dataUntil: MAX_UINT40,
      })
    ).wait();
    requesters.push({ wallet, key });
  }
  const gatewayKey = ethers.id("bench gateway key");
  const store = new RecordStore(await openDatabase({}));
  await store.init();
  const gateway = await startGateway({
    store,
    custodian: hospital,
    recordAccess: await records.getAddress(),
    encryptionPrivateKey: gatewayKey,
  });
  const custodian = await RecordsGatewayClient.connect(gateway.url, hospital);
  const clients = await Promise.all(
    requesters.map((r) => RecordsGatewayClient.connect(gateway.url, r.wallet, { encryptionPrivateKey: r.key })),
  );
  const rows: Record<string, string>[] = [];
  try {
    for (const [label, size] of [
      ["1 KB", 1024],
      ["1 MB", 1 << 20],
    ] as const) {
      const stored = await custodian.upload({
        patient: patient.address,
        localId: `bench-${label}`,
        category: "Labs",
        resource: {
          resourceType: "Observation",
          status: "final",
          code: { text: "bench" },
          valueString: "x".repeat(size),
        },
      });
      const args = { patient: patient.address, recordId: stored.recordId, purpose: Purpose.Treatment };

      // Through the gateway: 20 requesters at once, ROUNDS reads each.
      const viaGateway: number[] = [];
      let t0 = performance.now();
      await Promise.all(
        clients.map(async (c) => {
          for (let r = 0; r < ROUNDS; r++) {
            const s = performance.now();
            await c.read(args);
            viaGateway.push(performance.now() - s);
          }
        }),
      );
      const gatewaySeconds = (performance.now() - t0) / 1000;

      // The same flow with the SDK only (the custodian's code in-process, no HTTP, no signed request).
      const row = (await store.get(patient.address, stored.recordId))!;
      const context = {
        chainId: (await ethers.provider.getNetwork()).chainId,
        recordAccess: await records.getAddress(),
        patient: patient.address,
        recordId: stored.recordId,
        keyEpoch: 0,
      };
      const asHospital = records.connect(hospital);
      let queue: Promise<unknown> = Promise.resolve();
      const serially = <T>(work: () => Promise<T>): Promise<T> => {
        const next = queue.then(work, work);
        queue = next.catch(() => undefined);
        return next;
      };
      const sdkOnly: number[] = [];
      t0 = performance.now();
      await Promise.all(
        requesters.map(async ({ wallet, key }) => {
          for (let r = 0; r < ROUNDS; r++) {
            const s = performance.now();
            const [allowed] = await records.canAccess(patient.address, wallet.address, stored.recordId, 0);
            if (!allowed) throw new Error("not allowed");
            const receipt = await serially(async () =>
              (await asHospital.logDisclosure(patient.address, stored.recordId, wallet.address, 0)).wait(),
            );
            const dataKey = unwrapDataKey(row.wrappedKey, gatewayKey, context);
            const [w] = await wrapForAllowedReaders(
              records,
              dataKey,
              context,
              [wallet.address],
              receipt!.blockNumber,
              [0],
            );
            const hash = (await records.recordOf(patient.address, stored.recordId)).contentHash;
            openRecord({
              envelope: row.envelope,
              wrappedKey: w.wrappedKey!,
              privateKey: key,
              context,
              expectedContentHash: hash,
            });
            sdkOnly.push(performance.now() - s);
          }
        }),
      );
      const sdkSeconds = (performance.now() - t0) / 1000;
      const g = stats(viaGateway);
      const d = stats(sdkOnly);
      const n = REQUESTERS * ROUNDS;
      rows.push({
        record: label,
        requests: String(n),
        "gateway median ms": g.median.toFixed(1),
        "gateway p95 ms": g.p95.toFixed(1),
        "SDK-only median ms": d.median.toFixed(1),
        "SDK-only p95 ms": d.p95.toFixed(1),
        "median ratio": (g.median / d.median).toFixed(2),
        "gateway disclosures/s": (n / gatewaySeconds).toFixed(1),
        "SDK-only disclosures/s": (n / sdkSeconds).toFixed(1),
        "throughput ratio": (n / gatewaySeconds / (n / sdkSeconds)).toFixed(2),
      });
    }
  } finally {
    await gateway.close();
    await store.close();
  }
  console.log(`record gateway: ${REQUESTERS} concurrent requesters × ${ROUNDS} reads, in-process Hardhat network`);
  console.table(rows);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
