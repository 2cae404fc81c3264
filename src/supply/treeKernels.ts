/**
 * The hot loops of building a serial tree, as self-contained functions (no imports, no closures):
 * the main thread calls them directly, and src/supply/serialsParallel.ts ships their source text to
 * worker threads, so the one implementation runs everywhere. Browser-safe.
 *
 * Leaf layout (UNIT_LEAF_ENCODING, abi.encode of (uint32 index, uint64 gtin, string serial,
 * string lot, uint40 expiry)): a GS1 serial and lot are 1-20 CSET-82 (ASCII) characters, so every
 * leaf is exactly 288 bytes: 5 head words (index, gtin, 0xa0, 0xe0, expiry), serial length, serial
 * (one padded word), lot length, lot (one padded word). Only the index, the serial length and the
 * serial bytes change between units; the rest is a per-lot template.
 */

/** The fixed ABI-encoded size of a unit leaf. */
export const LEAF_BYTES = 288;
/** Bytes reserved per serial in a packed serial buffer (a GS1 serial has at most 20). */
export const SERIAL_SLOT = 32;

/** The keccak instance the kernels use (see KeccakWasm). */
export interface KernelHasher {
  readonly buffer: Uint8Array;
  hash(length: number): void;
}

/**
 * Leaf hashes keccak256(keccak256(leaf)) of units [start, end) into `out` (32 bytes each, from
 * out[0]). `template` is the 288-byte leaf with index 0 and an empty serial; `slots` holds each
 * serial's bytes at i * 32, `lengths` their lengths.
 */
export function hashLeafRange(
  k: KernelHasher,
  template: Uint8Array,
  slots: Uint8Array,
  lengths: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
): void {
  const mem = k.buffer;
  let o = 0;
  for (let i = start; i < end; i++) {
    mem.set(template, 0);
    mem[28] = i >>> 24;
    mem[29] = (i >>> 16) & 0xff;
    mem[30] = (i >>> 8) & 0xff;
    mem[31] = i & 0xff;
    const len = lengths[i];
    mem[191] = len;
    const s = i * 32;
    for (let j = 0; j < len; j++) mem[192 + j] = slots[s + j];
    k.hash(288);
    k.hash(32);
    for (let j = 0; j < 32; j++) out[o + j] = mem[j];
    o += 32;
  }
}

/**
 * Inner nodes i in [from, to), highest first, of a StandardMerkleTree node array (children of i at
 * 2i+1 and 2i+2): node = keccak256(sorted pair). Children must already be set.
 */
export function hashInnerRange(k: KernelHasher, nodes: Uint8Array, from: number, to: number): void {
  const mem = k.buffer;
  for (let i = to - 1; i >= from; i--) {
    const l = (2 * i + 1) * 32;
    const r = l + 32;
    let c = 0;
    for (let j = 0; j < 32; j++) {
      c = nodes[l + j] - nodes[r + j];
      if (c !== 0) break;
    }
    if (c <= 0) {
      for (let j = 0; j < 64; j++) mem[j] = nodes[l + j];
    } else {
      for (let j = 0; j < 32; j++) {
        mem[j] = nodes[r + j];
        mem[32 + j] = nodes[l + j];
      }
    }
    k.hash(64);
    const o = i * 32;
    for (let j = 0; j < 32; j++) nodes[o + j] = mem[j];
  }
}

/** The same work as {@link hashLeafRange} on a constant input: the pure-keccak floor of `count` leaves. */
export function keccakFloor(k: KernelHasher, leaves: number, innerNodes: number): void {
  const mem = k.buffer;
  for (let i = 0; i < leaves; i++) {
    mem[0] = i & 0xff;
    k.hash(288);
    k.hash(32);
  }
  for (let i = 0; i < innerNodes; i++) {
    mem[0] = i & 0xff;
    k.hash(64);
  }
}
