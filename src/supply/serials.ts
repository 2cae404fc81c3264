/**
 * A lot's serialised units as a Merkle tree, in the exact format of @openzeppelin/merkle-tree's
 * StandardMerkleTree (leaf = keccak256(keccak256(abi.encode(index, gtin, serial, lot, expiry))),
 * sorted leaves, sorted-pair node hash), so that OZ MerkleProof verifies its proofs on chain.
 *
 * Why not StandardMerkleTree.of directly: it encodes each leaf through a generic ABI coder and keeps
 * every node as a hex string plus a hash lookup object (100,000 leaves in ~40 s here). This builder
 * keeps the same leaf encoding and tree layout (tests compare roots, proofs and dumps) but writes each
 * fixed-size 288-byte leaf into a per-lot template inside hash-wasm's WebAssembly keccak buffer and
 * hashes it in place (src/supply/treeKernels.ts), sorts leaves with a native typed-array sort, and
 * finds serials through a hash-sorted index instead of a Map. 1,000,000 serials: ~5 s on one thread
 * of this shared 2-core VM (was ~108 s with @noble/hashes), at about the pure-keccak floor; see
 * `npm run bench:trees` and src/supply/serialsParallel.ts for worker threads (Node only).
 * `saveSerialTree` ("carechain/node", src/node/serialTreeFile.ts) writes the serials as JSON plus a
 * binary node cache, so loading a big lot does not rehash it; src/supply/treeFile.ts (Node) writes the
 * compact file a responder serves from.
 */
import type { StandardMerkleTreeData } from "@openzeppelin/merkle-tree/dist/standard";
import { GS1Error } from "../gs1/checkDigit";
import { checkSerialOrLot } from "../gs1/elementString";
import { UNIT_LEAF_ENCODING, gtinToString, gtinToUint, type UnitStruct, type UnitLeafValue } from "./ids";
import { createKeccakWasm, keccak256Wasm } from "./keccakWasm";
import { LEAF_BYTES, SERIAL_SLOT, hashInnerRange, hashLeafRange } from "./treeKernels";

/** The lot a tree commits: GTIN, lot number and on-chain expiry (unix seconds). */
export interface LotDescriptor {
  gtin: bigint;
  lotNumber: string;
  expiry: bigint;
}

/** Called while building: `stage` is "leaves" then "nodes"; `done` of `total`. */
export type ProgressCallback = (stage: "leaves" | "nodes", done: number, total: number) => void;

/** What {@link SerialTree.save} writes: the lot, its root and the serials in index order. */
export interface SerialTreeFile {
  format: "carechain-serials-v1";
  leafEncoding: readonly string[];
  gtin: string;
  lotNumber: string;
  expiry: string;
  root: string;
  serials: string[];
}

const encoder = new TextEncoder();
const PROGRESS_EVERY = 20_000;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 0x-hex of bytes (browser-safe: no Buffer). */
function hex(bytes: Uint8Array): string {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

function writeUint(buf: Uint8Array, wordOffset: number, value: bigint): void {
  let v = value;
  for (let i = 31; i >= 0 && v > 0n; i--) {
    buf[wordOffset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The ABI encoding of (uint32 index, uint64 gtin, string serial, string lot, uint40 expiry),
 * written by hand for this fixed shape: five head words, then each string's length and padded bytes.
 */
export function encodeUnitLeaf(
  index: number,
  gtinWord: Uint8Array,
  serial: string,
  lotWords: Uint8Array,
  expiryWord: Uint8Array,
): Uint8Array {
  const serialBytes = encoder.encode(serial);
  const serialPadded = Math.ceil(serialBytes.length / 32) * 32;
  const size = 160 + 32 + serialPadded + lotWords.length;
  const buf = new Uint8Array(size);
  // index (uint32) in word 0
  buf[28] = (index >>> 24) & 0xff;
  buf[29] = (index >>> 16) & 0xff;
  buf[30] = (index >>> 8) & 0xff;
  buf[31] = index & 0xff;
  buf.set(gtinWord, 32);
  // offset of serial = 0xa0 (five head words)
  buf[95] = 0xa0;
  // offset of lot = 0xa0 + 32 + padded serial
  const lotOffset = 160 + 32 + serialPadded;
  buf[126] = (lotOffset >>> 8) & 0xff;
  buf[127] = lotOffset & 0xff;
  buf.set(expiryWord, 128);
  // serial length and bytes
  const len = serialBytes.length;
  buf[188] = (len >>> 24) & 0xff;
  buf[189] = (len >>> 16) & 0xff;
  buf[190] = (len >>> 8) & 0xff;
  buf[191] = len & 0xff;
  buf.set(serialBytes, 192);
  buf.set(lotWords, lotOffset);
  return buf;
}

/** The lot-number tail of a leaf encoding (length word + padded bytes), the same for every unit. */
function encodeStringTail(value: string): Uint8Array {
  const bytes = encoder.encode(value);
  const out = new Uint8Array(32 + Math.ceil(bytes.length / 32) * 32);
  writeUint(out, 0, BigInt(bytes.length));
  out.set(bytes, 32);
  return out;
}

function word(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeUint(out, 0, value);
  return out;
}

/** CSET 82 (GS1 General Specifications 7.11), as a lookup table over ASCII codes. */
const CSET82_TABLE = (() => {
  const table = new Uint8Array(128);
  for (const c of "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
    table[c.charCodeAt(0)] = 1;
  return table;
})();

/** FNV-1a (32 bits) of a string's UTF-16 code units: the bucket of the serial lookup. */
export function fnv1a(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Indices 0..n-1 ordered by `key(i)` (a uint32), ties by index: a native BigUint64Array sort of
 * (key << 32 | i) written through a Uint32Array view (no BigInt per element). ~0.1 s for 1M.
 */
function orderByKey(n: number, key: (i: number) => number): { keys: Uint32Array; order: Uint32Array } {
  const keys = new Uint32Array(n);
  const order = new Uint32Array(n);
  if (LITTLE_ENDIAN) {
    const packed = new BigUint64Array(n);
    const words = new Uint32Array(packed.buffer);
    for (let i = 0; i < n; i++) {
      words[2 * i] = i;
      words[2 * i + 1] = key(i);
    }
    packed.sort();
    for (let k = 0; k < n; k++) {
      order[k] = words[2 * k];
      keys[k] = words[2 * k + 1];
    }
  } else {
    const raw = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      raw[i] = key(i);
      order[i] = i;
    }
    order.sort((a, b) => raw[a] - raw[b] || a - b);
    for (let k = 0; k < n; k++) keys[k] = raw[order[k]];
  }
  return { keys, order };
}

/**
 * serial → unit index without a Map: unit indices sorted by the serial's 32-bit FNV-1a hash, looked
 * up by binary search, candidates compared as strings (8 bytes per unit, built in ~0.2 s for 1M).
 */
export class SerialLookup {
  private constructor(
    private readonly hashes: Uint32Array,
    private readonly order: Uint32Array,
  ) {}

  /** Builds the lookup; throws a GS1Error naming both units if a serial appears twice. */
  static of(serials: readonly string[]): SerialLookup {
    const { keys, order } = orderByKey(serials.length, (i) => fnv1a(serials[i]));
    for (let k = 1; k < keys.length; k++) {
      if (keys[k] !== keys[k - 1]) continue;
      for (let m = k - 1; m >= 0 && keys[m] === keys[k]; m--) {
        if (serials[order[m]] === serials[order[k]])
          throw new GS1Error(`serial "${serials[order[k]]}" appears twice (units ${order[m]} and ${order[k]})`);
      }
    }
    return new SerialLookup(keys, order);
  }

  /** The lookup's arrays: FNV-1a hashes ascending, and the unit index of each (for a tree file). */
  toArrays(): { hashes: Uint32Array; order: Uint32Array } {
    return { hashes: this.hashes, order: this.order };
  }

  /** The unit index of `serial` in `serials` (the list this lookup was built from), or undefined. */
  find(serial: string, serials: readonly string[]): number | undefined {
    const h = fnv1a(serial);
    let lo = 0;
    let hi = this.hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.hashes.length && this.hashes[k] === h; k++) {
      if (serials[this.order[k]] === serial) return this.order[k];
    }
    return undefined;
  }
}

/** A lot's serials packed for the hashing kernels (see src/supply/treeKernels.ts). */
export interface PackedSerials {
  /** Serial i's ASCII bytes at i * 32 (zero-padded). */
  slots: Uint8Array;
  /** Serial i's length (1-20). */
  lengths: Uint8Array;
}

/**
 * Checks every serial (GS1 AI (21): 1-20 CSET 82 characters) and packs it into `slots`/`lengths`
 * (which may be SharedArrayBuffer-backed for worker threads).
 */
export function packSerials(serials: readonly string[], slots: Uint8Array, lengths: Uint8Array): void {
  for (let i = 0; i < serials.length; i++) {
    const serial = serials[i];
    const len = serial.length;
    let ok = len >= 1 && len <= 20;
    const o = i * SERIAL_SLOT;
    for (let j = 0; ok && j < len; j++) {
      const c = serial.charCodeAt(j);
      if (c >= 128 || CSET82_TABLE[c] === 0) ok = false;
      else slots[o + j] = c;
    }
    if (!ok) {
      checkSerialOrLot("21", serial); // throws the precise GS1Error
      throw new GS1Error(`serial "${serial}" is not a GS1 serial`);
    }
    lengths[i] = len;
  }
}

/** The 288-byte leaf of unit 0 with an empty serial: what {@link hashLeafRange} starts each leaf from. */
export function leafTemplate(lot: LotDescriptor): Uint8Array {
  checkSerialOrLot("10", lot.lotNumber);
  const t = encodeUnitLeaf(0, word(gtinToUint(lot.gtin)), "X", encodeStringTail(lot.lotNumber), word(lot.expiry));
  if (t.length !== LEAF_BYTES) throw new GS1Error(`unexpected leaf size ${t.length}`);
  t[191] = 0;
  t[192] = 0;
  return t;
}

/**
 * The order of leaves by hash (StandardMerkleTree sorts its leaves): a native sort on each hash's
 * first 4 bytes, then the rare runs with equal prefixes (~n²/2³³ pairs) re-sorted on all 32 bytes.
 */
function sortLeaves(leaves: Uint8Array, n: number): Uint32Array {
  const { keys, order } = orderByKey(
    n,
    (i) => ((leaves[i * 32] << 24) | (leaves[i * 32 + 1] << 16) | (leaves[i * 32 + 2] << 8) | leaves[i * 32 + 3]) >>> 0,
  );
  const leaf = (i: number) => leaves.subarray(i * 32, i * 32 + 32);
  for (let k = 0; k < n;) {
    let e = k + 1;
    while (e < n && keys[e] === keys[k]) e++;
    if (e - k > 1) {
      const run = Array.from(order.subarray(k, e)).sort((a, b) => compareBytes(leaf(a), leaf(b)));
      order.set(run, k);
    }
    k = e;
  }
  return order;
}

/**
 * Whether `proof` leads from `unit`'s recomputed leaf (UNIT_LEAF_ENCODING, double keccak) to `root`
 * (sorted-pair hashing, as OZ MerkleProof and StandardMerkleTree): what a pharmacy can check offline
 * against the root the lot committed on chain.
 */
export function verifyUnitProof(unit: UnitStruct, proof: readonly string[], root: string): boolean {
  let node: Uint8Array = keccak256Wasm(
    keccak256Wasm(
      encodeUnitLeaf(
        unit.index,
        word(gtinToUint(unit.gtin)),
        unit.serial,
        encodeStringTail(unit.lotNumber),
        word(BigInt(unit.expiry)),
      ),
    ),
  );
  const pair = new Uint8Array(64);
  for (const sibling of proof) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(sibling)) return false;
    const other = hexToBytes(sibling);
    if (compareBytes(node, other) <= 0) {
      pair.set(node, 0);
      pair.set(other, 32);
    } else {
      pair.set(other, 0);
      pair.set(node, 32);
    }
    node = keccak256Wasm(pair);
  }
  return hex(node) === root.toLowerCase();
}

function hexToBytes(value: string): Uint8Array {
  const out = new Uint8Array((value.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** A lot's serial Merkle tree (StandardMerkleTree-compatible). Unit index = position in `serials`. */
export class SerialTree {
  readonly lot: LotDescriptor;
  /** Serials in unit-index order. */
  readonly serials: readonly string[];
  /** Nodes, 32 bytes each, in StandardMerkleTree order (root first, leaves last in reverse sorted order). */
  private readonly nodes: Uint8Array;
  /** Node position of each unit's leaf. */
  private readonly leafPosition: Uint32Array;
  private serialLookup?: SerialLookup;

  private constructor(
    lot: LotDescriptor,
    serials: readonly string[],
    nodes: Uint8Array,
    leafPosition: Uint32Array,
    lookup?: SerialLookup,
  ) {
    this.lot = lot;
    this.serials = serials;
    this.nodes = nodes;
    this.leafPosition = leafPosition;
    this.serialLookup = lookup;
  }

  /**
   * Builds the tree of `serials` (unique, GS1 AI (21) syntax) for `lot`, on this thread with
   * hash-wasm's WebAssembly keccak (1M serials: a few seconds; see
   * src/supply/serialsParallel.ts's buildSerialTreeParallel for worker threads in Node).
   */
  static build(lot: LotDescriptor, serials: readonly string[], onProgress?: ProgressCallback): SerialTree {
    const n = SerialTree.checkCount(serials);
    const template = leafTemplate(lot);
    const slots = new Uint8Array(n * SERIAL_SLOT);
    const lengths = new Uint8Array(n);
    packSerials(serials, slots, lengths);
    const lookup = SerialLookup.of(serials);
    const k = createKeccakWasm();
    const leaves = new Uint8Array(n * 32);
    for (let start = 0; start < n; start += PROGRESS_EVERY) {
      const end = Math.min(n, start + PROGRESS_EVERY);
      hashLeafRange(k, template, slots, lengths, start, end, leaves.subarray(start * 32, end * 32));
      onProgress?.("leaves", end, n);
    }
    return SerialTree.fromLeafHashes(lot, serials, leaves, lookup, onProgress);
  }

  /** @internal The number of units, checked (1 .. 2^32-1). */
  static checkCount(serials: readonly string[]): number {
    const n = serials.length;
    if (n === 0) throw new GS1Error("a lot needs at least one serial");
    if (n > 0xffffffff) throw new GS1Error("a lot holds at most 2^32-1 units");
    return n;
  }

  /**
   * @internal Completes a tree from its units' leaf hashes (unit order, 32 bytes each): sorts them
   * and hashes the inner nodes (`hashInner` may split that work, e.g. over worker threads).
   */
  static fromLeafHashes(
    lot: LotDescriptor,
    serials: readonly string[],
    leaves: Uint8Array,
    lookup: SerialLookup,
    onProgress?: ProgressCallback,
    nodes?: Uint8Array,
    hashInner?: (nodes: Uint8Array, internal: number) => void,
  ): SerialTree {
    const n = serials.length;
    const order = sortLeaves(leaves, n);
    const total = 2 * n - 1;
    const all = nodes ?? new Uint8Array(total * 32);
    const leafPosition = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const position = total - 1 - k;
      const u = order[k];
      all.set(leaves.subarray(u * 32, u * 32 + 32), position * 32);
      leafPosition[u] = position;
    }
    const internal = total - n;
    if (hashInner) hashInner(all, internal);
    else {
      const k = createKeccakWasm();
      for (let to = internal; to > 0; to -= PROGRESS_EVERY) {
        hashInnerRange(k, all, Math.max(0, to - PROGRESS_EVERY), to);
        onProgress?.("nodes", internal - Math.max(0, to - PROGRESS_EVERY), internal);
      }
    }
    onProgress?.("nodes", internal, internal);
    return new SerialTree({ ...lot, gtin: gtinToUint(lot.gtin) }, serials, all, leafPosition, lookup);
  }

  /** The Merkle root the lot commits on chain. */
  get root(): string {
    return hex(this.nodes.subarray(0, 32));
  }

  /** Units in the lot. */
  get size(): number {
    return this.serials.length;
  }

  /** The unit index of `serial`, or undefined if it is not in the lot. */
  indexOf(serial: string): number | undefined {
    return this.lookup().find(serial, this.serials);
  }

  /** The Unit struct of unit `index`. */
  unit(index: number): UnitStruct {
    this.checkIndex(index);
    return {
      gtin: this.lot.gtin,
      expiry: this.lot.expiry,
      index,
      serial: this.serials[index],
      lotNumber: this.lot.lotNumber,
    };
  }

  /** The leaf value of unit `index` in {@link UNIT_LEAF_ENCODING} order. */
  leafValue(index: number): UnitLeafValue {
    this.checkIndex(index);
    return [index, this.lot.gtin, this.serials[index], this.lot.lotNumber, this.lot.expiry];
  }

  /** The leaf hash of unit `index`. */
  leafHash(index: number): string {
    this.checkIndex(index);
    return hex(this.nodes.subarray(this.leafPosition[index] * 32, this.leafPosition[index] * 32 + 32));
  }

  /** The Merkle proof of unit `index` (sibling hashes from leaf to root). */
  proof(index: number): string[] {
    this.checkIndex(index);
    const proof: string[] = [];
    let i = this.leafPosition[index];
    while (i > 0) {
      const sibling = i % 2 === 1 ? i + 1 : i - 1;
      proof.push(hex(this.nodes.subarray(sibling * 32, sibling * 32 + 32)));
      i = Math.floor((i - 1) / 2);
    }
    return proof;
  }

  /** The unit and proof of `serial`, or undefined if the serial is not in this lot. */
  proofFor(serial: string): { unit: UnitStruct; proof: string[] } | undefined {
    const index = this.indexOf(serial);
    if (index === undefined) return undefined;
    const proof = this.proof(index);
    // Recomputed from the unit itself (about 20 hashes), so that a damaged node cache can never
    // send a wrong proof to the chain (where it would raise a counterfeit alert).
    if (!this.verifyProof(index, proof)) throw new GS1Error(`serial tree is corrupt at unit ${index}`);
    return { unit: this.unit(index), proof };
  }

  /** Whether `proof` leads from unit `index`'s recomputed leaf to this tree's root. */
  verifyProof(index: number, proof: readonly string[]): boolean {
    this.checkIndex(index);
    return verifyUnitProof(this.unit(index), proof, this.root);
  }

  /** @internal The node array (StandardMerkleTree order, 32 bytes each) and each unit's leaf position. */
  rawNodes(): { nodes: Uint8Array; leafPosition: Uint32Array } {
    return { nodes: this.nodes, leafPosition: this.leafPosition };
  }

  /** @internal The serial lookup (built on first use). */
  lookup(): SerialLookup {
    this.serialLookup ??= SerialLookup.of(this.serials);
    return this.serialLookup;
  }

  /** The tree as @openzeppelin/merkle-tree's "standard-v1" dump (StandardMerkleTree.load reads it). */
  toStandardDump(): StandardMerkleTreeData<[number, string, string, string, string]> {
    const total = this.nodes.length / 32;
    const tree: string[] = new Array(total);
    for (let i = 0; i < total; i++) tree[i] = hex(this.nodes.subarray(i * 32, i * 32 + 32));
    return {
      format: "standard-v1",
      leafEncoding: [...UNIT_LEAF_ENCODING],
      tree,
      values: this.serials.map((serial, i) => ({
        value: [i, this.lot.gtin.toString(), serial, this.lot.lotNumber, this.lot.expiry.toString()],
        treeIndex: this.leafPosition[i],
      })),
    };
  }

  /** The compact JSON form: the lot, its root and the serials (the tree is rebuilt and checked on load). */
  toJSON(): SerialTreeFile {
    return {
      format: "carechain-serials-v1",
      leafEncoding: [...UNIT_LEAF_ENCODING],
      gtin: gtinToString(this.lot.gtin),
      lotNumber: this.lot.lotNumber,
      expiry: this.lot.expiry.toString(),
      root: this.root,
      serials: [...this.serials],
    };
  }

  /** Rebuilds a tree from its compact JSON form; throws if the rebuilt root differs from the saved one. */
  static fromJSON(file: SerialTreeFile, onProgress?: ProgressCallback): SerialTree {
    if (file.format !== "carechain-serials-v1") throw new GS1Error(`unknown serial tree format "${file.format}"`);
    const tree = SerialTree.build(
      { gtin: gtinToUint(file.gtin), lotNumber: file.lotNumber, expiry: BigInt(file.expiry) },
      file.serials,
      onProgress,
    );
    if (tree.root !== file.root)
      throw new GS1Error(`serial tree file is corrupt: root ${tree.root} ≠ saved ${file.root}`);
    return tree;
  }

  /** The built nodes (root first) and each unit's leaf position: what `saveSerialTree` caches. */
  builtNodes(): { nodes: Uint8Array; leafPosition: Uint32Array } {
    return { nodes: this.nodes, leafPosition: this.leafPosition };
  }

  /**
   * A tree from nodes built earlier (the `<path>.nodes` cache of `saveSerialTree` in "carechain/node"):
   * nothing is rehashed; every proof handed out is still checked against its recomputed leaf
   * ({@link SerialTree.proofFor}). `nodes` must hold 2n−1 nodes whose first is the root.
   */
  static fromBuiltNodes(
    lot: LotDescriptor,
    serials: string[],
    nodes: Uint8Array,
    leafPosition: Uint32Array,
  ): SerialTree {
    if (nodes.length !== (2 * serials.length - 1) * 32 || leafPosition.length !== serials.length) {
      throw new GS1Error(`serial tree cache does not fit ${serials.length} units`);
    }
    return new SerialTree(lot, serials, nodes, leafPosition);
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.serials.length) {
      throw new RangeError(`unit index ${index} is outside 0..${this.serials.length - 1}`);
    }
  }
}

/**
 * The serials of a CSV: one per line, first column; an optional header line naming a "serial" (or
 * "serial number") column, case-insensitive, selects that column. Blank lines are skipped. Quotes are not supported: GS1
 * serials have no commas.
 */
export function parseSerialsCsv(text: string): string[] {
  const lines = text.split(/\r?\n/);
  let column = 0;
  let start = 0;
  const header = lines[0]?.split(",").map((c) => c.trim().toLowerCase()) ?? [];
  // Only unambiguous header names: a short word such as "SN" could be a serial itself.
  const named = header.findIndex((c) => c === "serial" || c === "serial number" || c === "serialnumber");
  if (named !== -1) {
    column = named;
    start = 1;
  }
  const serials: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const value = line.split(",")[column]?.trim() ?? "";
    if (value === "") throw new GS1Error(`serials CSV line ${i + 1} has no serial in column ${column + 1}`);
    serials.push(value);
  }
  return serials;
}

/** `count` deterministic demo/test serials "<prefix><n, 10 digits>". */
export function sequentialSerials(count: number, prefix = "SN"): string[] {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = prefix + String(i).padStart(10, "0");
  return out;
}
