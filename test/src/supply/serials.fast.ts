import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256 } from "ethers";
import { GS1Error } from "../../../src/gs1";
import { SerialTree, UNIT_LEAF_ENCODING, sequentialSerials, verifyUnitProof } from "../../../src/supply";
import { keccak256Wasm, keccakWasmBytes } from "../../../src/supply/keccakWasm";
import { HASH_WASM_VERSION } from "../../../src/supply/keccakWasmBinary";
import { HashPool, buildSerialTreeParallel } from "../../../src/supply/serialsParallel";
import { TreeFile, writeTreeFile } from "../../../src/supply/treeFile";
import { loadSerialTree, saveSerialTree } from "../../../src/node/serialTreeFile";

const LOT = { gtin: 9506000134352n, lotNumber: "L-2026/01", expiry: 1861920000n };

/** Serials of every length 1..20 and odd CSET 82 characters, shuffled deterministically. */
function mixedSerials(n: number): string[] {
  const chars = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = (i % 20) + 1;
    let s = i.toString(36);
    while (s.length < len) s = chars[(i * 7 + s.length * 13) % chars.length] + s;
    out.push(s.slice(s.length - Math.max(len, i.toString(36).length)));
  }
  return [...new Set(out)];
}

describe("serial trees at scale (src/supply: WebAssembly keccak, worker threads, tree files)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "serials-fast-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("embeds hash-wasm's own keccak module, byte for byte, and hashes as ethers does", function () {
    const pkg = JSON.parse(fs.readFileSync(require.resolve("hash-wasm/package.json"), "utf8"));
    expect(pkg.version).to.equal(HASH_WASM_VERSION);
    const dist = fs.readFileSync(require.resolve("hash-wasm"), "utf8");
    const embedded = /var name\$\w+ = "sha3";\s*var data\$\w+ = "([^"]+)"/.exec(dist)?.[1];
    expect(embedded, "hash-wasm's sha3 module").to.be.a("string");
    expect(Buffer.from(keccakWasmBytes()).equals(Buffer.from(embedded!, "base64"))).to.equal(true);
    for (const len of [0, 1, 32, 64, 135, 136, 137, 288, 1000]) {
      const data = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 0xff);
      expect("0x" + Buffer.from(keccak256Wasm(data)).toString("hex")).to.equal(keccak256(data));
    }
  });

  it("builds StandardMerkleTree's root and proofs for small lots and a 10,000-unit lot (1 thread and workers)", async function () {
    const pool = new HashPool(2);
    try {
      for (const serials of [["A"], ["A", "B"], mixedSerials(3), mixedSerials(257), mixedSerials(10_000)]) {
        const n = serials.length;
        const single = SerialTree.build(LOT, serials);
        const parallel = await buildSerialTreeParallel(LOT, serials, { pool });
        const oz = StandardMerkleTree.of(
          serials.map((s, i) => [i, LOT.gtin, s, LOT.lotNumber, LOT.expiry]),
          [...UNIT_LEAF_ENCODING],
        );
        expect(single.root, `root of ${n}`).to.equal(oz.root);
        expect(parallel.root, `parallel root of ${n}`).to.equal(oz.root);
        const picks = [...new Set([0, 1 % n, Math.floor(n / 3), n - 1])];
        for (const i of picks) {
          expect(single.proof(i)).to.deep.equal(oz.getProof(i));
          expect(parallel.proof(i)).to.deep.equal(oz.getProof(i));
          expect(single.indexOf(serials[i])).to.equal(i);
          expect(verifyUnitProof(single.unit(i), single.proof(i), oz.root)).to.equal(true);
        }
        if (n === 10_000) {
          // The dump (node order and every value's tree index) is StandardMerkleTree's, field for field.
          expect(single.toStandardDump()).to.deep.equal(oz.dump());
          expect(StandardMerkleTree.load(parallel.toStandardDump()).root).to.equal(oz.root);
        }
      }
    } finally {
      await pool.close();
    }
  });

  it("refuses a duplicate serial (naming both units) on either builder, and a non-GS1 serial", async function () {
    const serials = sequentialSerials(5000);
    serials[4321] = serials[17];
    expect(() => SerialTree.build(LOT, serials)).to.throw(GS1Error, /appears twice \(units 17 and 4321\)/);
    let error: unknown;
    await buildSerialTreeParallel(LOT, serials, { threads: 1 }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(GS1Error);
    expect(() => SerialTree.build(LOT, ["OK", "é"])).to.throw(GS1Error, /character set 82/);
    expect(() => SerialTree.build(LOT, ["X".repeat(21)])).to.throw(GS1Error);
  });

  it("saves and reloads (the supply:commission files) without rehashing: same root and proofs", function () {
    const tree = SerialTree.build(LOT, mixedSerials(3000));
    const file = path.join(tmp, "lot.serials.json");
    saveSerialTree(tree, file);
    const loaded = loadSerialTree(file, () => {
      throw new Error("rehashed");
    });
    expect(loaded.root).to.equal(tree.root);
    expect(loaded.proofFor(tree.serials[2999])!.proof).to.deep.equal(tree.proof(2999));
  });

  it("writes a compact tree file whose lookups answer proofs without loading the tree", function () {
    const serials = mixedSerials(10_000);
    const tree = SerialTree.build(LOT, serials);
    const file = path.join(tmp, "lot.tree");
    const header = writeTreeFile(tree, file);
    expect(header.root).to.equal(tree.root);
    const tf = TreeFile.open(file, tree.root);
    try {
      expect(tf.size).to.equal(serials.length);
      for (const i of [0, 1, 4999, serials.length - 1]) {
        expect(tf.indexOf(serials[i])).to.equal(i);
        expect(tf.proofFor(serials[i])).to.deep.equal({ unit: tree.unit(i), proof: tree.proof(i) });
      }
      expect(tf.indexOf("NOT-IN-LOT")).to.equal(undefined);
      expect(tf.proofFor("NOT-IN-LOT")).to.equal(undefined);
    } finally {
      tf.close();
    }
    expect(() => TreeFile.open(file, "0x" + "00".repeat(32))).to.throw(GS1Error, /holds root/);
    // A damaged node is never served as a proof.
    const bytes = fs.readFileSync(file);
    const nodesAt = header.sections.nodes[0];
    bytes.fill(0xab, nodesAt + 32, nodesAt + 32 * 200);
    fs.writeFileSync(file, bytes);
    const damaged = TreeFile.open(file);
    try {
      const hits = serials.slice(0, 1500).map((s) => {
        try {
          damaged.proofFor(s);
          return "ok";
        } catch (e) {
          return (e as Error).message;
        }
      });
      expect(hits.filter((h) => /corrupt at unit/.test(h)).length).to.be.greaterThan(0);
    } finally {
      damaged.close();
    }
    fs.writeFileSync(file, bytes.subarray(0, 5000));
    expect(() => TreeFile.open(file)).to.throw(GS1Error, /truncated/);
  });
});
