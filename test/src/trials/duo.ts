import { expect } from "chai";
import {
  DUO,
  decodeScope,
  diseaseCodeHash,
  duoCodeOf,
  duoIdsOf,
  encodeScope,
  isValidConsentScope,
  registryRefHash,
} from "../../../src/trials";

describe("SDK trials: DUO scopes", function () {
  describe("encodeScope / decodeScope", function () {
    it("encodes codes and DUO ids to the contract's bits and back", function () {
      expect(encodeScope(["GRU"])).to.equal(1);
      expect(encodeScope(["HMB", "NCU"])).to.equal(0b1010);
      expect(encodeScope(["DUO:0000006", "duo:0000046"])).to.equal(0b1010);
      expect(encodeScope(["TS"])).to.equal(1 << 8);
      expect(decodeScope(0b1010)).to.deep.equal(["HMB", "NCU"]);
      expect(decodeScope(511n)).to.deep.equal(Object.keys(DUO));
    });

    it("maps every code to its GA4GH DUO id", function () {
      expect(duoIdsOf(encodeScope(["GRU", "HMB", "DS", "NCU", "NPU", "PUB", "COL", "IRB", "TS"]))).to.deep.equal([
        "DUO:0000042",
        "DUO:0000006",
        "DUO:0000007",
        "DUO:0000046",
        "DUO:0000045",
        "DUO:0000019",
        "DUO:0000020",
        "DUO:0000021",
        "DUO:0000025",
      ]);
    });

    it("throws on unknown terms and bits", function () {
      expect(() => encodeScope(["XYZ"])).to.throw(/unknown DUO term "XYZ"/);
      expect(() => duoCodeOf("DUO:0000001")).to.throw(/unknown DUO term/);
      expect(() => decodeScope(1 << 9)).to.throw(/unknown DUO bits/);
      expect(() => decodeScope(-1)).to.throw(/unknown DUO bits/);
    });
  });

  describe("isValidConsentScope", function () {
    it("wants exactly one primary permission and known bits", function () {
      expect(isValidConsentScope(encodeScope(["HMB", "NCU", "TS"]))).to.equal(true);
      expect(isValidConsentScope(encodeScope(["NCU"]))).to.equal(false);
      expect(isValidConsentScope(encodeScope(["GRU", "DS"]))).to.equal(false);
      expect(isValidConsentScope(encodeScope(["GRU"]) | (1 << 10))).to.equal(false);
    });
  });

  describe("diseaseCodeHash / registryRefHash", function () {
    it("salts the disease code and normalises case and spaces", function () {
      const salt = "0x" + "11".repeat(32);
      expect(diseaseCodeHash(" c50 ", salt)).to.equal(diseaseCodeHash("C50", salt));
      expect(diseaseCodeHash("C50", salt)).to.not.equal(diseaseCodeHash("C50", "0x" + "22".repeat(32)));
      expect(registryRefHash("nct01234567")).to.equal(registryRefHash("NCT01234567"));
    });
  });
});
