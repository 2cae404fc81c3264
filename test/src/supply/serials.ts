import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  SerialTree,
  UNIT_LEAF_ENCODING,
  gtinToString,
  gtinToUint,
  lotIdOf,
  parseSerialsCsv,
  sequentialSerials,
  shipmentIdOf,
  unitOf,
} from "../../../src/supply";
import { GS1Error } from "../../../src/gs1";
import { AbiCoder, id, keccak256 } from "ethers";
import { loadSerialTree, saveSerialTree } from "../../../src/node/serialTreeFile";

const LOT = { gtin: 9506000134352n, lotNumber: "A1-B", expiry: 1861920000n };

describe("supply SDK (src/supply)", function () {
  describe("SerialTree", function () {
    it("matches @openzeppelin/merkle-tree's StandardMerkleTree root and proofs", function () {
      for (const n of [1, 2, 3, 17, 300]) {
        const serials = sequentialSerials(n, "X");
        const tree = SerialTree.build(LOT, serials);
        const oz = StandardMerkleTree.of(
          serials.map((s, i) => [i, LOT.gtin, s, LOT.lotNumber, LOT.expiry]),
          [...UNIT_LEAF_ENCODING],
        );
        expect(tree.root).to.equal(oz.root);
        for (const i of [0, n - 1, Math.floor(n / 2)]) {
          expect(tree.proof(i)).to.deep.equal(oz.getProof(i));
          expect(
            StandardMerkleTree.verify(tree.root, [...UNIT_LEAF_ENCODING], tree.leafValue(i), tree.proof(i)),
          ).to.equal(true);
        }
      }
    });

    it("exports a standard-v1 dump that StandardMerkleTree.load validates", function () {
      const tree = SerialTree.build(LOT, ["S1", "S2", "longer-serial-20char"]);
      const loaded = StandardMerkleTree.load(tree.toStandardDump());
      expect(loaded.root).to.equal(tree.root);
    });

    it("saves and loads its compact JSON, and refuses a corrupt file", function () {
      const tree = SerialTree.build(LOT, sequentialSerials(50));
      const file = path.join(os.tmpdir(), `serials-${process.pid}.json`);
      saveSerialTree(tree, file);
      const loaded = loadSerialTree(file);
      expect(loaded.root).to.equal(tree.root);
      expect(loaded.proofFor("SN0000000007")!.proof).to.deep.equal(tree.proof(7));
      const json = tree.toJSON();
      json.serials[3] = "TAMPERED";
      expect(() => SerialTree.fromJSON(json)).to.throw(GS1Error, /corrupt/);
      fs.unlinkSync(file);
      fs.unlinkSync(`${file}.nodes`);
    });

    it("loads from its node cache, and never hands out a proof from a damaged cache", function () {
      const tree = SerialTree.build(LOT, sequentialSerials(50));
      const file = path.join(os.tmpdir(), `serials-cache-${process.pid}.json`);
      saveSerialTree(tree, file);
      expect(loadSerialTree(file).proofFor("SN0000000007")!.proof).to.deep.equal(tree.proof(7));
      const bytes = fs.readFileSync(`${file}.nodes`);
      bytes.fill(0, 32, 99 * 32); // every node but the root
      fs.writeFileSync(`${file}.nodes`, bytes);
      expect(() => loadSerialTree(file).proofFor("SN0000000007")).to.throw(GS1Error, /corrupt at unit 7/);
      fs.writeFileSync(`${file}.nodes`, bytes.subarray(0, 64)); // wrong size: rebuilt from the serials
      expect(loadSerialTree(file).proofFor("SN0000000007")!.proof).to.deep.equal(tree.proof(7));
      fs.unlinkSync(file);
      fs.unlinkSync(`${file}.nodes`);
    });

    it("rejects duplicate serials, bad characters, an empty lot and out-of-range indexes", function () {
      expect(() => SerialTree.build(LOT, ["A", "B", "A"])).to.throw(GS1Error, /appears twice/);
      expect(() => SerialTree.build(LOT, ["A B"])).to.throw(GS1Error, /character set 82/);
      expect(() => SerialTree.build(LOT, [])).to.throw(GS1Error, /at least one/);
      expect(() => SerialTree.build(LOT, ["A"]).proof(1)).to.throw(RangeError);
      expect(SerialTree.build(LOT, ["A"]).indexOf("B")).to.equal(undefined);
    });

    it("reports progress for leaves and nodes", function () {
      const seen = new Set<string>();
      SerialTree.build(LOT, sequentialSerials(40_001), (stage, done, total) => {
        expect(done).to.be.at.most(total);
        seen.add(stage);
      });
      expect([...seen]).to.deep.equal(["leaves", "nodes"]);
    });
  });

  describe("parseSerialsCsv", function () {
    it("reads one serial per line, or the column named serial", function () {
      expect(parseSerialsCsv("A\nB\r\n\nC\n")).to.deep.equal(["A", "B", "C"]);
      expect(parseSerialsCsv("gtin,serial\n0950,S1\n0950,S2")).to.deep.equal(["S1", "S2"]);
      expect(() => parseSerialsCsv("serial,x\n,1")).to.throw(GS1Error, /line 2/);
    });
  });

  describe("ids", function () {
    it("encodes lot ids, shipment ids and GTINs as the contract does", function () {
      const abi = AbiCoder.defaultAbiCoder();
      expect(lotIdOf("09506000134352", "A1")).to.equal(keccak256(abi.encode(["uint64", "string"], [LOT.gtin, "A1"])));
      expect(lotIdOf(LOT.gtin, "A1")).to.equal(lotIdOf("9506000134352", "A1"));
      const lot = lotIdOf(LOT.gtin, "A1");
      const a = "0x" + "11".repeat(20);
      const b = "0x" + "22".repeat(20);
      const h = id("an EPCIS event hash");
      expect(shipmentIdOf(lot, a, b, 5, h)).to.equal(
        keccak256(abi.encode(["bytes32", "address", "address", "uint32", "bytes32"], [lot, a, b, 5, h])),
      );
      expect(gtinToString(gtinToUint("6291041500213"))).to.equal("06291041500213");
      expect(() => gtinToUint("6291041500214")).to.throw(GS1Error);
      const unit = unitOf(
        { gtin: "09506000134352", serial: "S", lot: "A1", expiry: "281231" },
        3,
        new Date("2026-01-01"),
      );
      expect(unit).to.deep.equal({ gtin: LOT.gtin, expiry: 1861920000n, index: 3, serial: "S", lotNumber: "A1" });
    });
  });
});
