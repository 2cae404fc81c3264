/**
 * Node-only (node:fs): a lot's serial tree as one compact binary file that answers one pack's proof
 * with a few positioned reads, without loading the tree, a serial map or JSON into memory (what a
 * responder serves from). Not exported from the SDK's browser-safe main entry.
 *
 * Layout ("carechain-tree-v1", little-endian), n units:
 *   0      "CCTREE01"
 *   8      u32 header length H, then H bytes of JSON: format, leafEncoding, gtin, lotNumber, expiry,
 *          root, units, and each section's [offset, length]
 *   nodes      (2n-1) × 32   StandardMerkleTree node array (root first, sorted leaves last, reversed)
 *   positions  n × u32       unit index → node position of its leaf
 *   hashes     n × u32       FNV-1a of each serial, ascending (SerialLookup)
 *   order      n × u32       the unit index of each entry of `hashes`
 *   serials    n × 21        unit index → serial length (1 byte) + ASCII serial (20 bytes, zero-padded)
 * 1,000,000 units: 97 MB. A lookup is a binary search over `hashes` (≤ 21 reads of 4 bytes), a
 * comparison with the serial record, then one read per proof level (20 for 1M): ~45 reads served from
 * the OS page cache, none of them kept.
 */
import fs from "node:fs";
import { GS1Error } from "../gs1/checkDigit";
import { UNIT_LEAF_ENCODING, gtinToString, gtinToUint, type UnitStruct } from "./ids";
import { fnv1a, verifyUnitProof, type LotDescriptor, type SerialTree } from "./serials";

export const TREE_FILE_MAGIC = "CCTREE01";
const SERIAL_RECORD = 21;
const ALIGN = 4096;

type Section = [offset: number, length: number];

/** The JSON header of a tree file. */
export interface TreeFileHeader {
  format: "carechain-tree-v1";
  leafEncoding: readonly string[];
  gtin: string;
  lotNumber: string;
  expiry: string;
  root: string;
  units: number;
  sections: { nodes: Section; positions: Section; hashes: Section; order: Section; serials: Section };
}

function u32Bytes(values: Uint32Array): Uint8Array {
  // This machine's typed arrays are little-endian on every platform Node supports in practice;
  // write explicitly so that the file is portable anyway.
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeUInt32LE(values[i], i * 4);
  return out;
}

/** Writes `tree` as a "carechain-tree-v1" file at `path` (atomically: a temporary file, then renamed). */
export function writeTreeFile(tree: SerialTree, path: string): TreeFileHeader {
  const n = tree.size;
  const { nodes, leafPosition } = tree.rawNodes();
  const { hashes, order } = tree.lookup().toArrays();
  const serials = Buffer.alloc(n * SERIAL_RECORD);
  for (let i = 0; i < n; i++) {
    const s = tree.serials[i];
    serials[i * SERIAL_RECORD] = s.length;
    serials.write(s, i * SERIAL_RECORD + 1, "latin1");
  }
  const bodies: [keyof TreeFileHeader["sections"], Uint8Array][] = [
    ["nodes", nodes],
    ["positions", u32Bytes(leafPosition)],
    ["hashes", u32Bytes(hashes)],
    ["order", u32Bytes(order)],
    ["serials", serials],
  ];
  const sections = {} as TreeFileHeader["sections"];
  let offset = ALIGN;
  for (const [name, body] of bodies) {
    sections[name] = [offset, body.length];
    offset += Math.ceil(body.length / 8) * 8;
  }
  const header: TreeFileHeader = {
    format: "carechain-tree-v1",
    leafEncoding: [...UNIT_LEAF_ENCODING],
    gtin: gtinToString(tree.lot.gtin),
    lotNumber: tree.lot.lotNumber,
    expiry: tree.lot.expiry.toString(),
    root: tree.root,
    units: n,
    sections,
  };
  const json = Buffer.from(JSON.stringify(header));
  if (json.length > ALIGN - 12) throw new GS1Error("tree file header too long");
  const head = Buffer.alloc(ALIGN);
  head.write(TREE_FILE_MAGIC, 0, "latin1");
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, head, 0, head.length, 0);
    for (const [name, body] of bodies) fs.writeSync(fd, body, 0, body.length, sections[name][0]);
    const end = Math.max(...Object.values(sections).map(([o, l]) => o + Math.ceil(l / 8) * 8));
    fs.ftruncateSync(fd, end);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
  return header;
}

/** Reads the header of a tree file (throws a GS1Error if it is not one or is truncated). */
export function readTreeFileHeader(path: string): TreeFileHeader {
  const fd = fs.openSync(path, "r");
  try {
    return headerOf(fd, fs.fstatSync(fd).size, path);
  } finally {
    fs.closeSync(fd);
  }
}

function headerOf(fd: number, size: number, path: string): TreeFileHeader {
  const head = Buffer.alloc(ALIGN);
  fs.readSync(fd, head, 0, ALIGN, 0);
  if (head.toString("latin1", 0, 8) !== TREE_FILE_MAGIC) throw new GS1Error(`${path} is not a carechain tree file`);
  const header = JSON.parse(head.toString("utf8", 12, 12 + head.readUInt32LE(8))) as TreeFileHeader;
  const n = header.units;
  const expected = { nodes: (2 * n - 1) * 32, positions: 4 * n, hashes: 4 * n, order: 4 * n, serials: 21 * n };
  for (const [name, length] of Object.entries(expected)) {
    const [offset, len] = header.sections[name as keyof typeof expected];
    if (len !== length || offset + len > size) throw new GS1Error(`${path}: section ${name} is truncated or wrong`);
  }
  return header;
}

/** A tree file opened for lookups (keep one per lot; {@link close} it). */
export class TreeFile {
  readonly header: TreeFileHeader;
  readonly lot: LotDescriptor;
  private readonly buf = Buffer.alloc(32);

  private constructor(
    private readonly fd: number,
    header: TreeFileHeader,
  ) {
    this.header = header;
    this.lot = { gtin: gtinToUint(header.gtin), lotNumber: header.lotNumber, expiry: BigInt(header.expiry) };
  }

  /** Opens `path`; with `root`, refuses a file of another tree. */
  static open(path: string, root?: string): TreeFile {
    const fd = fs.openSync(path, "r");
    try {
      const header = headerOf(fd, fs.fstatSync(fd).size, path);
      if (header.format !== "carechain-tree-v1") throw new GS1Error(`${path}: unknown format ${header.format}`);
      const file = new TreeFile(fd, header);
      if (file.read(header.sections.nodes[0], 32).toString("hex") !== header.root.slice(2).toLowerCase())
        throw new GS1Error(`${path}: root node differs from the header's root`);
      if (root && header.root.toLowerCase() !== root.toLowerCase())
        throw new GS1Error(`${path} holds root ${header.root}, not ${root}`);
      return file;
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  get root(): string {
    return this.header.root;
  }

  get size(): number {
    return this.header.units;
  }

  private read(offset: number, length: number): Buffer {
    const out = length <= 32 ? this.buf : Buffer.alloc(length);
    const got = fs.readSync(this.fd, out, 0, length, offset);
    if (got !== length) throw new GS1Error("tree file is truncated");
    return out;
  }

  private u32(section: Section, i: number): number {
    return this.read(section[0] + 4 * i, 4).readUInt32LE(0);
  }

  /** The serial of unit `index`. */
  serialAt(index: number): string {
    const record = this.read(this.header.sections.serials[0] + SERIAL_RECORD * index, SERIAL_RECORD);
    return record.toString("latin1", 1, 1 + record[0]);
  }

  /** The unit index of `serial`, or undefined (binary search over the sorted serial hashes). */
  indexOf(serial: string): number | undefined {
    const { hashes, order } = this.header.sections;
    const h = fnv1a(serial);
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.u32(hashes, mid) < h) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.size && this.u32(hashes, k) === h; k++) {
      const index = this.u32(order, k);
      if (this.serialAt(index) === serial) return index;
    }
    return undefined;
  }

  /** The Unit struct of unit `index`. */
  unit(index: number): UnitStruct {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new RangeError(`unit index ${index} is outside 0..${this.size - 1}`);
    return { ...this.lot, index, serial: this.serialAt(index) };
  }

  /** The Merkle proof of unit `index`. */
  proof(index: number): string[] {
    let i = this.u32(this.header.sections.positions, index);
    const nodes = this.header.sections.nodes[0];
    const proof: string[] = [];
    while (i > 0) {
      const sibling = i % 2 === 1 ? i + 1 : i - 1;
      proof.push("0x" + this.read(nodes + 32 * sibling, 32).toString("hex"));
      i = (i - 1) >>> 1;
    }
    return proof;
  }

  /** The unit and its proof, checked against the root (a damaged file never yields a wrong proof). */
  proofFor(serial: string): { unit: UnitStruct; proof: string[] } | undefined {
    const index = this.indexOf(serial);
    if (index === undefined) return undefined;
    const unit = this.unit(index);
    const proof = this.proof(index);
    if (!verifyUnitProof(unit, proof, this.root)) throw new GS1Error(`serial tree is corrupt at unit ${index}`);
    return { unit, proof };
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
