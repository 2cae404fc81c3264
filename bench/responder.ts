/**
 * `npm run bench:responder` (issue 15): the verification responder at scale.
 *
 *  1. Builds a 1,000,000-pack lot's tree on worker threads beside the pure-keccak floor (same run).
 *  2. Imports it into the responder's store (PGlite, tree file + 1 MiB pages by binary COPY).
 *  3. Starts a `hardhat node` on a free port, deploys Carechain (Ignition), commissions the lots,
 *     ships 1,000 packs to the pharmacy; starts the responder as its own process
 *     (services/responder/src/main.ts) on a free port.
 *  4. Scan-to-answer: 10,000 signed GS1 Digital Link requests for random packs from 20 concurrent
 *     clients (signed before the clock starts; each answer includes the responder's on-chain calls:
 *     latest block + verifyUnit for the requester, membership and lot status once per block):
 *     median, p95, throughput.
 *  5. Peak memory (VmHWM) of the responder process serving 10 lots of that size after requests to
 *     all of them.
 *
 * Flags: --units N (1,000,000) --lots L (10) --requests R (10,000) --clients C (20)
 *        --threads T (cores) --node anvil|hardhat (anvil: a compiled node like a production
 *        client; hardhat's JS EVM answers eth_call about 100 times slower and bounds the latency). A smaller run (say --units 100000 --lots 3) says so in its table.
 * The machine is shared with other jobs: wall times are noisy (the load average is printed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, id } from "ethers";
import { startConsortium } from "../test/e2e/consortium";
import { SupplyChain__factory } from "../typechain-types";
import {
  gs1DateOfExpiry,
  gtinToString,
  lotIdOf,
  parseGLN,
  Role,
  sequentialSerials,
  sessionRequestHeaders,
  signResponderRequest,
  type ResponderSession,
  verificationPath,
  withCheckDigit,
} from "../src";
import { HashPool, buildSerialTreeParallel, keccakFloorMs } from "../src/supply/serialsParallel";
import { TreeFile, writeTreeFile } from "../src/supply/treeFile";
import { TreeStore, openDatabase } from "../services/responder/src/store";
import { saveSerialTree } from "../src/node/serialTreeFile";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1].replace(/_/g, ""));
}

const UNITS = flag("units", 1_000_000);
const LOTS = flag("lots", 10);
const REQUESTS = flag("requests", 10_000);
const CLIENTS = flag("clients", 20);
const THREADS = flag("threads", os.availableParallelism());
const NODE = (() => {
  const i = process.argv.indexOf("--node");
  const kind = i === -1 ? "anvil" : process.argv[i + 1];
  if (kind !== "anvil" && kind !== "hardhat") throw new Error(`--node ${kind}: anvil or hardhat`);
  return kind;
})();
const GTIN = BigInt(withCheckDigit("0950600099999"));
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

let timingLine = "";

async function startResponderProcess(
  rpc: string,
  supply: string,
  data: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join("services", "responder", "src", "main.ts"),
      "--rpc",
      rpc,
      "--supply",
      supply,
      "--data",
      data,
      "--port",
      "0",
      "--rate",
      "1000000",
      "--burst",
      "1000000",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "" } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /responder listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on("data", (d: Buffer) => {
      process.stderr.write(`[responder] ${d}`);
      const m = /timing per request \(ms, mean\): (.*)/.exec(d.toString());
      if (m) timingLine = m[1];
    });
    child.on("exit", (code) => reject(new Error(`responder exited (${code}): ${out}`)));
  });
  return { child, url };
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return hwm ? Number(hwm[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const rows: [string, string, string][] = [];
  const note = (what: string, value: string, detail = "") => {
    rows.push([what, value, detail]);
    console.log(`  ${what}: ${value} ${detail}`);
  };
  console.log(
    `responder benchmark: ${UNITS.toLocaleString("en")} packs per lot, ${LOTS} lots, ${REQUESTS} requests from ${CLIENTS} clients; ${os.availableParallelism()} cores, load average ${load()} (shared machine: noisy)`,
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-responder-"));
  const data = path.join(tmp, "data");
  const serials = sequentialSerials(UNITS, "BR");
  let consortium: Awaited<ReturnType<typeof startConsortium>> | undefined;
  let responder: ChildProcess | undefined;
  try {
    // 1. Build beside the floor.
    const pool = new HashPool(THREADS);
    const expiry = 1893456000n; // 2030-01-01
    const lotNumbers = Array.from({ length: LOTS }, (_, i) => `BR-${i + 1}`);
    const trees: string[] = [];
    let buildMs = 0;
    let floorMs = 0;
    try {
      await keccakFloorMs(1000, pool);
      floorMs = await keccakFloorMs(UNITS, pool);
      const started = performance.now();
      const tree = await buildSerialTreeParallel({ gtin: GTIN, lotNumber: lotNumbers[0], expiry }, serials, { pool });
      buildMs = performance.now() - started;
      note("build (worker threads)", s(buildMs), `${THREADS} threads, root ${tree.root.slice(0, 10)}…`);
      note("keccak floor (same hashes)", s(floorMs), `ratio build/floor ${(buildMs / floorMs).toFixed(2)}`);
      // 2. Import (what supply:commission wrote: serials JSON + node cache → tree file → database).
      const saved = path.join(tmp, "lot-1.serials.json");
      saveSerialTree(tree, saved);
      const store = new TreeStore(await openDatabase({ dataDir: path.join(data, "pglite") }), path.join(data, "trees"));
      await store.init();
      const importStarted = performance.now();
      await store.importFile(saved);
      note("import into PGlite", s(performance.now() - importStarted), "commission file → tree file + DB pages");
      trees.push(tree.root);
      fs.rmSync(saved);
      fs.rmSync(`${saved}.nodes`);
      // The other lots (same serials, other lot numbers: other trees), imported as tree files.
      for (let l = 1; l < LOTS; l++) {
        const other = await buildSerialTreeParallel({ gtin: GTIN, lotNumber: lotNumbers[l], expiry }, serials, {
          pool,
        });
        const file = path.join(tmp, `lot-${l + 1}.tree`);
        writeTreeFile(other, file);
        await store.importFile(file);
        fs.rmSync(file);
        trees.push(other.root);
        console.log(`  lot ${l + 1}/${LOTS} imported`);
      }
      await store.close();
    } finally {
      await pool.close();
    }

    // 3. The chain and the responder process.
    // after the builds, so that it does not compete with them
    consortium = await startConsortium({ node: { kind: NODE } });
    const { provider, actors, deployment } = consortium;
    const supplyAddress = deployment.addresses.supply!;
    const registrar = consortium.registry.connect(actors.registrar);
    for (const [n, who, role] of [
      [1, actors.manufacturer, Role.MANUFACTURER],
      [2, actors.pharmacy, Role.DISPENSER],
    ] as const) {
      await (
        await registrar.admitMember(who.address, parseGLN(withCheckDigit(`95060000010${n}`)), id(`bench ${n}`))
      ).wait();
      await (await registrar.grantRole(role, who.address)).wait();
    }
    const m = SupplyChain__factory.connect(supplyAddress, actors.manufacturer);
    await (await m.registerProduct(GTIN, id("bench product"))).wait();
    for (let l = 0; l < LOTS; l++)
      await (await m.commissionLot(GTIN, lotNumbers[l], expiry, UNITS, trees[l], id(`bench ${l}`))).wait();
    const lotId = lotIdOf(GTIN, lotNumbers[0]);
    await (await m.ship(lotId, actors.pharmacy.address, 1000, id("bench ship"))).wait();
    await (
      await SupplyChain__factory.connect(supplyAddress, actors.pharmacy).receiveShipment(
        lotId,
        actors.manufacturer.address,
        1000,
        id("bench ship"),
        id("bench recv"),
      )
    ).wait();
    const started = await startResponderProcess(consortium.node.url, supplyAddress, data);
    responder = started.child;
    const url = started.url;
    console.log(`  responder ${url} (pid ${responder.pid}), ${NODE} node ${consortium.node.url}`);

    // 4. Requests prepared before the clock: signed each (EIP-712), or inside a session (HMAC).
    const { chainId } = await provider.getNetwork();
    const printed = gs1DateOfExpiry(expiry);
    type Prepared = { path: string; headers: Record<string, string> };
    const prepare = async (count: number, lotOf: (i: number) => string, mode: "signed" | "session") => {
      const now = (await provider.getBlock("latest"))!.timestamp;
      const sign = (method: string, pathAndQuery: string) =>
        signResponderRequest(actors.pharmacy, {
          chainId,
          supplyChain: supplyAddress,
          method,
          pathAndQuery,
          now,
          ttl: 120,
        });
      let session: ResponderSession | undefined;
      if (mode === "session") {
        const res = await fetch(`${url}/session`, {
          method: "POST",
          body: "",
          headers: await sign("POST", "/session"),
        });
        session = (await res.json()) as ResponderSession;
      }
      const out: Prepared[] = [];
      for (let i = 0; i < count; i++) {
        const serial = serials[Math.floor(Math.random() * UNITS)];
        const p = verificationPath({ gtin: gtinToString(GTIN), lot: lotOf(i), serial, expiry: printed });
        out.push({ path: p, headers: session ? sessionRequestHeaders(session, "GET", p) : await sign("GET", p) });
      }
      return out;
    };
    const run = async (requests: Prepared[]) => {
      const latencies: number[] = [];
      const answers = new Map<string, number>();
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < requests.length) {
            const r = requests[next++];
            const t = performance.now();
            const res = await fetch(url + r.path, { headers: r.headers });
            const json = (await res.json()) as { verdict?: { answerName: string }; code?: string };
            latencies.push(performance.now() - t);
            const key = json.verdict?.answerName ?? `HTTP ${res.status} ${json.code}`;
            answers.set(key, (answers.get(key) ?? 0) + 1);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      return { latencies, seconds, answers };
    };
    for (const mode of ["signed", "session"] as const) {
      // Requests live ≤ 120 s: sign and send in batches.
      const batch = 2500;
      const all: number[] = [];
      let seconds = 0;
      const answers = new Map<string, number>();
      await run(await prepare(200, () => lotNumbers[0], mode)); // warm up
      for (let done = 0; done < REQUESTS; done += batch) {
        const r = await run(await prepare(Math.min(batch, REQUESTS - done), () => lotNumbers[0], mode));
        all.push(...r.latencies);
        seconds += r.seconds;
        r.answers.forEach((v, k) => answers.set(k, (answers.get(k) ?? 0) + v));
      }
      all.sort((a, b) => a - b);
      const label = mode === "signed" ? "signed request each (EIP-712)" : "session (1 signature, HMAC per request)";
      note(
        `${mode}: scan-to-answer median`,
        `${percentile(all, 50).toFixed(1)} ms`,
        `${label}; ${all.length} requests, ${CLIENTS} concurrent clients`,
      );
      note(
        `${mode}: scan-to-answer p95`,
        `${percentile(all, 95).toFixed(1)} ms`,
        `p99 ${percentile(all, 99).toFixed(1)} ms`,
      );
      note(
        `${mode}: throughput`,
        `${(all.length / seconds).toFixed(0)} answers/s`,
        [...answers].map(([k, v]) => `${k} ${v}`).join(", "),
      );
    }

    // The node's own ceiling: the same verifyUnit calls straight to the node, same concurrency.
    {
      const direct = new JsonRpcProvider(consortium.node.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
      const reader = SupplyChain__factory.connect(supplyAddress, direct);
      const tree = TreeFile.open(path.join(data, "trees", `${lotId}.tree`));
      const calls = Array.from({ length: Math.min(REQUESTS, 2000) }, () => {
        const found = tree.proofFor(serials[Math.floor(Math.random() * UNITS)])!;
        return found;
      });
      tree.close();
      const latencies: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < calls.length) {
            const c = calls[next++];
            const t = performance.now();
            await reader.verifyUnit(c.unit, c.proof, actors.pharmacy.address);
            latencies.push(performance.now() - t);
          }
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      note(
        "node alone: verifyUnit eth_call",
        `${(latencies.length / secs).toFixed(0)} calls/s`,
        `median ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, ${CLIENTS} concurrent, no responder (the ceiling)`,
      );
      direct.destroy();
    }

    // 5. All lots served; the responder's peak memory.
    const spread = await run(await prepare(Math.min(2000, REQUESTS), (i) => lotNumbers[i % LOTS], "session"));
    note(
      `peak RSS serving ${LOTS} lots`,
      `${peakRssMb(responder.pid!).toFixed(0)} MB`,
      `after ${spread.latencies.length} requests over all lots (p95 ${percentile(spread.latencies, 95).toFixed(1)} ms)`,
    );
  } finally {
    if (responder) {
      const exited = new Promise((resolve) => responder!.once("exit", resolve));
      responder.kill("SIGTERM");
      await exited;
      if (timingLine) rows.push(["responder time split (all requests)", "", timingLine]);
    }
    await consortium?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const scaled = UNITS !== 1_000_000 || LOTS !== 10 || REQUESTS !== 10_000 || CLIENTS !== 20;
  console.log(
    `\n${scaled ? "SCALED-DOWN RUN: " : ""}${UNITS.toLocaleString("en")} packs/lot, ${LOTS} lots, ${NODE} node; load average ${load()} (shared 2-core machine: noisy)`,
  );
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i].length), ["measure", "value", "detail"][i].length),
  );
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(widths[i])).join(" | ") + " |";
  console.log(line(["measure", "value", "detail"]));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  rows.forEach((r) => console.log(line(r)));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
