import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { gs1CheckDigit, isValidGS1Key } from "../../src/gs1/checkDigit";

describe("GS1 (library)", function () {
  async function fixture() {
    return { gs1: await ethers.deployContract("GS1Mock") };
  }

  // Vectors from the GS1 General Specifications (section 7.9.1 example and published keys).
  const validGTINs = ["00614141000012", "09506000134352", "00012345678905", "04006381333931"];
  const validGLNs = ["0614141000012", "5412345000013", "4012345000016"];

  describe("isValidGTIN", function () {
    it("accepts GTIN-14s with correct check digits, leading zeros included", async function () {
      const { gs1 } = await loadFixture(fixture);
      for (const g of validGTINs) expect(await gs1.isValidGTIN(BigInt(g)), g).to.equal(true);
    });

    it("refuses a wrong check digit, zero and more than 14 digits", async function () {
      const { gs1 } = await loadFixture(fixture);
      expect(await gs1.isValidGTIN(614141000013n)).to.equal(false);
      expect(await gs1.isValidGTIN(0n)).to.equal(false);
      expect(await gs1.isValidGTIN(106141410000126n)).to.equal(false);
      // 15 digits with the right check digit for 15: refused for its length alone.
      const long = "1" + validGTINs[0].slice(0, -1);
      const key = BigInt(long + gs1CheckDigit(long));
      expect(await gs1.isValidKey(key, 15)).to.equal(true);
      expect(await gs1.isValidGTIN(key)).to.equal(false);
    });
  });

  describe("isValidGLN", function () {
    it("accepts GLNs with correct check digits", async function () {
      const { gs1 } = await loadFixture(fixture);
      for (const g of validGLNs) expect(await gs1.isValidGLN(BigInt(g)), g).to.equal(true);
    });

    it("refuses a wrong check digit, zero and 14-digit values", async function () {
      const { gs1 } = await loadFixture(fixture);
      expect(await gs1.isValidGLN(5412345000014n)).to.equal(false);
      expect(await gs1.isValidGLN(0n)).to.equal(false);
      expect(await gs1.isValidGLN(15412345000013n)).to.equal(false);
      // 14 digits with the right check digit for 14: refused for its length alone.
      const long = "1" + validGLNs[1].slice(0, -1);
      const key = BigInt(long + gs1CheckDigit(long));
      expect(await gs1.isValidKey(key, 14)).to.equal(true);
      expect(await gs1.isValidGLN(key)).to.equal(false);
    });
  });

  describe("isValidKey", function () {
    it("refuses lengths outside 2..18", async function () {
      const { gs1 } = await loadFixture(fixture);
      expect(await gs1.isValidKey(0n, 1)).to.equal(false);
      expect(await gs1.isValidKey(0n, 19)).to.equal(false);
      expect(await gs1.isValidKey(0n, 2)).to.equal(true); // "00": check digit 0 of body "0"
    });

    it("bounds the value at 10^digits - 1, inclusive", async function () {
      const { gs1 } = await loadFixture(fixture);
      // The largest 10-digit value, ten nines, has a correct check digit: it is a key.
      expect(gs1CheckDigit("999999999")).to.equal(9);
      expect(await gs1.isValidKey(10n ** 10n - 1n, 10)).to.equal(true);
      // 10^14 has fifteen digits; its last fourteen (all zeros) would pass the check-digit arithmetic.
      expect(await gs1.isValidKey(10n ** 14n, 14)).to.equal(false);
      expect(await gs1.isValidGTIN(10n ** 14n)).to.equal(false);
    });

    it("validates an SSCC (18 digits)", async function () {
      const { gs1 } = await loadFixture(fixture);
      expect(await gs1.isValidKey(106141411234567897n, 18)).to.equal(true);
      expect(await gs1.isValidKey(106141411234567898n, 18)).to.equal(false);
    });

    it("agrees with the SDK's check digit for random keys of every length (property, seeded)", async function () {
      const { gs1 } = await loadFixture(fixture);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 2, max: 18 }),
          fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }),
          async (len, raw) => {
            const key = (raw % 10n ** BigInt(len)).toString().padStart(len, "0");
            expect(await gs1.isValidKey(BigInt(key), len)).to.equal(isValidGS1Key(key, len));
            const fixed = key.slice(0, -1) + String(gs1CheckDigit(key.slice(0, -1)));
            expect(await gs1.isValidKey(BigInt(fixed), len)).to.equal(true);
          },
        ),
        { seed: 42, numRuns: 100 },
      );
    });
  });
});
