/**
 * Node-only: builds a serial tree on worker threads. Not exported from the SDK's main entry (which
 * stays browser-safe); import it as "carechain/dist/src/supply/serialsParallel" or from source.
 *
 * The main thread checks and packs the serials into SharedArrayBuffers, the workers hash leaves in
 * chunks (hash-wasm's WebAssembly keccak, one instance per worker, the same kernels as
 * SerialTree.build: src/supply/treeKernels.ts, shipped to the workers as source text so no extra
 * file or loader is needed) while the main thread checks the serials for duplicates; the main thread
 * sorts the leaves and the workers hash the inner nodes level by level (nodes of one level are
 * independent). The result is the same tree, byte for byte, as SerialTree.build.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { GS1Error } from "../gs1/checkDigit";
import { keccakWasmModule } from "./keccakWasm";
import {
  SerialLookup,
  SerialTree,
  leafTemplate,
  packSerials,
  type LotDescriptor,
  type ProgressCallback,
} from "./serials";
import { SERIAL_SLOT, hashInnerRange, hashLeafRange, keccakFloor } from "./treeKernels";
import { createKeccakWasm } from "./keccakWasm";

const LEAF_CHUNK = 50_000;
/** Levels with fewer inner nodes than this are hashed on the main thread (a round trip costs more). */
const PARALLEL_LEVEL_MIN = 16_384;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const hashLeafRange = ${hashLeafRange.toString()};
const hashInnerRange = ${hashInnerRange.toString()};
const keccakFloor = ${keccakFloor.toString()};
const ex = new WebAssembly.Instance(workerData.module, {}).exports;
const k = { buffer: new Uint8Array(ex.memory.buffer, ex.Hash_GetBuffer(), 16384), hash: (n) => ex.Hash_Calculate(n, 256, 1) };
let leaves, slots, lengths, template, nodes;
parentPort.on("message", (job) => {
  try {
    if (job.kind === "setup") {
      template = job.template; slots = new Uint8Array(job.slots); lengths = new Uint8Array(job.lengths);
      leaves = new Uint8Array(job.leaves);
    } else if (job.kind === "leaves") {
      hashLeafRange(k, template, slots, lengths, job.start, job.end, leaves.subarray(job.start * 32, job.end * 32));
    } else if (job.kind === "nodes") {
      nodes = new Uint8Array(job.nodes);
    } else if (job.kind === "inner") {
      hashInnerRange(k, nodes, job.from, job.to);
    } else if (job.kind === "floor") {
      keccakFloor(k, job.leaves, job.inner);
    }
    parentPort.postMessage({ id: job.id });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e && e.stack || e) });
  }
});
`;

/** A small pool of hashing workers (terminate it with {@link HashPool.close}). */
export class HashPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(readonly size: number = defaultThreads()) {
    const module = keccakWasmModule();
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module } });
      w.on("message", (m: { id: number; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(new Error(`hash worker: ${m.error}`));
        else p?.resolve();
      });
      w.on("error", (e) => this.pending.forEach((p) => p.reject(e)));
      return w;
    });
  }

  /** Runs `job` on worker `w`. */
  run(w: number, job: Record<string, unknown>): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[w].postMessage({ ...job, id });
    });
  }

  /** Runs `jobs` over all workers, each taking the next job when it finishes one. */
  async runAll(jobs: Record<string, unknown>[], onDone?: (job: Record<string, unknown>) => void): Promise<void> {
    let next = 0;
    await Promise.all(
      this.workers.map(async (_, w) => {
        while (next < jobs.length) {
          const job = jobs[next++];
          await this.run(w, job);
          onDone?.(job);
        }
      }),
    );
  }

  /** Sends the same job to every worker. */
  broadcast(job: Record<string, unknown>): Promise<void> {
    return Promise.all(this.workers.map((_, w) => this.run(w, job))).then(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Worker threads to use by default: the machine's parallelism, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
}

/** Options of {@link buildSerialTreeParallel}. */
export interface ParallelBuildOptions {
  /** Worker threads (default: available parallelism, ≤ 8). */
  threads?: number;
  /** A pool to reuse (not closed afterwards). */
  pool?: HashPool;
  onProgress?: ProgressCallback;
}

/**
 * The same tree as SerialTree.build(lot, serials), hashed on worker threads (1M serials: ~2-3 s on
 * 2 idle cores).
 */
export async function buildSerialTreeParallel(
  lot: LotDescriptor,
  serials: readonly string[],
  options: ParallelBuildOptions = {},
): Promise<SerialTree> {
  const n = SerialTree.checkCount(serials);
  if (n > 0x7fffffff / 32) throw new GS1Error("a lot this large needs SerialTree.build");
  const template = leafTemplate(lot);
  const slotsBuffer = new SharedArrayBuffer(n * SERIAL_SLOT);
  const lengthsBuffer = new SharedArrayBuffer(n);
  packSerials(serials, new Uint8Array(slotsBuffer), new Uint8Array(lengthsBuffer));
  const pool = options.pool ?? new HashPool(options.threads);
  try {
    const leavesBuffer = new SharedArrayBuffer(n * 32);
    await pool.broadcast({ kind: "setup", template, slots: slotsBuffer, lengths: lengthsBuffer, leaves: leavesBuffer });
    const jobs: Record<string, unknown>[] = [];
    for (let start = 0; start < n; start += LEAF_CHUNK)
      jobs.push({ kind: "leaves", start, end: Math.min(n, start + LEAF_CHUNK) });
    let done = 0;
    const hashing = pool.runAll(jobs, (job) => {
      done += (job.end as number) - (job.start as number);
      options.onProgress?.("leaves", done, n);
    });
    // Duplicates are checked while the workers hash (a duplicate fails the build either way).
    let lookup: SerialLookup;
    try {
      lookup = SerialLookup.of(serials);
    } finally {
      await hashing;
    }
    const leaves = new Uint8Array(leavesBuffer);
    const nodesBuffer = new SharedArrayBuffer((2 * n - 1) * 32);
    const nodes = new Uint8Array(nodesBuffer);
    let innerJobs: Promise<void> = Promise.resolve();
    const tree = SerialTree.fromLeafHashes(lot, serials, leaves, lookup, undefined, nodes, (all, internal) => {
      innerJobs = hashInnerParallel(pool, nodesBuffer, internal, options.onProgress);
    });
    await innerJobs;
    return tree;
  } finally {
    if (!options.pool) await pool.close();
  }
}

/** Inner nodes level by level, deepest first; big levels split over the pool, small ones here. */
async function hashInnerParallel(
  pool: HashPool,
  nodesBuffer: SharedArrayBuffer,
  internal: number,
  onProgress?: ProgressCallback,
): Promise<void> {
  await pool.broadcast({ kind: "nodes", nodes: nodesBuffer });
  const nodes = new Uint8Array(nodesBuffer);
  const k = createKeccakWasm();
  // Level d holds nodes [2^d - 1, 2^(d+1) - 1); the inner ones are those < internal.
  let depth = 0;
  while (2 ** (depth + 1) - 1 < internal) depth++;
  let done = 0;
  for (let d = depth; d >= 0; d--) {
    const from = 2 ** d - 1;
    const to = Math.min(internal, 2 ** (d + 1) - 1);
    if (from >= to) continue;
    const count = to - from;
    if (count < PARALLEL_LEVEL_MIN) hashInnerRange(k, nodes, from, to);
    else {
      const parts = pool.size * 2;
      const jobs: Record<string, unknown>[] = [];
      for (let p = 0; p < parts; p++) {
        const a = from + Math.floor((count * p) / parts);
        const b = from + Math.floor((count * (p + 1)) / parts);
        if (a < b) jobs.push({ kind: "inner", from: a, to: b });
      }
      await pool.runAll(jobs);
    }
    done += count;
    onProgress?.("nodes", done, internal);
  }
}

/**
 * The pure-keccak floor of a tree of `n` units: the same number of keccak calls on the same inputs'
 * sizes (per unit 288 + 32 bytes, per inner node 64 bytes), with no encoding, copying or sorting;
 * on this thread (threads = 0) or split over a pool. Returns milliseconds.
 */
export async function keccakFloorMs(n: number, pool?: HashPool): Promise<number> {
  const started = performance.now();
  if (!pool) keccakFloor(createKeccakWasm(), n, n - 1);
  else {
    const jobs: Record<string, unknown>[] = [];
    for (let p = 0; p < pool.size; p++) {
      const a = Math.floor((n * p) / pool.size);
      const b = Math.floor((n * (p + 1)) / pool.size);
      jobs.push({ kind: "floor", leaves: b - a, inner: b - a - (p === 0 ? 1 : 0) });
    }
    await Promise.all(jobs.map((job, w) => pool.run(w, job)));
  }
  return performance.now() - started;
}
