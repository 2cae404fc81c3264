/**
 * Serial trees on disk (Node only; the `carechain/node` entry): the compact JSON form plus a binary
 * node cache, so loading a big lot does not rehash it.
 */
import fs from "node:fs";
import { hexlify } from "ethers";
import { gtinToUint } from "../supply/ids";
import { SerialTree, type ProgressCallback, type SerialTreeFile } from "../supply/serials";

/**
 * Writes the compact JSON form of `tree` to `path`, and the built nodes to `<path>.nodes` (32 bytes
 * per node, then 4 bytes per unit for its leaf position) so that {@link loadSerialTree} need not
 * rehash a big lot (1M units: 68 MB, read in well under a second instead of minutes of hashing).
 */
export function saveSerialTree(tree: SerialTree, path: string): void {
  const { nodes, leafPosition } = tree.builtNodes();
  fs.writeFileSync(path, JSON.stringify(tree.toJSON()));
  const positions = Buffer.alloc(leafPosition.length * 4);
  leafPosition.forEach((p, i) => positions.writeUInt32LE(p, i * 4));
  fs.writeFileSync(`${path}.nodes`, Buffer.concat([nodes, positions]));
}

/**
 * Reads a tree saved with {@link saveSerialTree}. With a `<path>.nodes` file of the right size whose
 * root is the saved root, the nodes are used as they are (each proof handed out is still checked
 * against the recomputed leaf, see {@link SerialTree.proofFor}); otherwise the tree is rebuilt from
 * the serials and its root checked.
 */
export function loadSerialTree(path: string, onProgress?: ProgressCallback): SerialTree {
  const file = JSON.parse(fs.readFileSync(path, "utf8")) as SerialTreeFile;
  const cache = `${path}.nodes`;
  const n = file.serials?.length ?? 0;
  if (file.format === "carechain-serials-v1" && n > 0 && fs.existsSync(cache)) {
    const bytes = fs.readFileSync(cache);
    const nodeBytes = (2 * n - 1) * 32;
    if (bytes.length === nodeBytes + 4 * n && hexlify(bytes.subarray(0, 32)) === file.root) {
      const nodes = new Uint8Array(bytes.subarray(0, nodeBytes));
      const leafPosition = new Uint32Array(n);
      for (let i = 0; i < n; i++) leafPosition[i] = bytes.readUInt32LE(nodeBytes + i * 4);
      const lot = { gtin: gtinToUint(file.gtin), lotNumber: file.lotNumber, expiry: BigInt(file.expiry) };
      return SerialTree.fromBuiltNodes(lot, file.serials, nodes, leafPosition);
    }
  }
  return SerialTree.fromJSON(file, onProgress);
}
