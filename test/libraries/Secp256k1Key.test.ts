import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SigningKey, computeAddress, concat, toBeHex } from "ethers";

/**
 * Secp256k1Key (the point decompression RecordIndex uses to accept a patient's encryption key),
 * against ethers' secp256k1: a compressed key decompresses to the point and address ethers derives;
 * every refusal returns (false, 0, 0), as the library documents.
 */
describe("Secp256k1Key (library)", function () {
  const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

  async function fixture() {
    return { key: await ethers.deployContract("Secp256k1KeyMock") };
  }

  function compressedWithX(prefix: number, x: bigint): string {
    return concat([toBeHex(prefix, 1), toBeHex(x, 32)]);
  }

  it("decompresses compressed keys to ethers' point and address, for both parities", async function () {
    const { key } = await loadFixture(fixture);
    for (const seed of ["a", "b", "c", "d"]) {
      const signing = new SigningKey(ethers.id(seed));
      const uncompressed = signing.publicKey; // 0x04 ‖ x ‖ y
      const x = BigInt("0x" + uncompressed.slice(4, 68));
      const y = BigInt("0x" + uncompressed.slice(68));
      const [valid, rx, ry] = await key.decompress(signing.compressedPublicKey);
      expect([valid, rx, ry]).to.deep.equal([true, x, y]);
      expect(await key.toAddress(rx, ry)).to.equal(computeAddress(signing.publicKey));
      // The other prefix names the negated point: same x, y' = p - y.
      const flipped = compressedWithX(Number(BigInt(signing.compressedPublicKey.slice(0, 4)) ^ 1n), x);
      expect(await key.decompress(flipped)).to.deep.equal([true, x, P - y]);
    }
  });

  it("returns (false, 0, 0) for a wrong length, a wrong prefix, x at or above p, and x off the curve", async function () {
    const { key } = await loadFixture(fixture);
    const good = new SigningKey(ethers.id("a")).compressedPublicKey;
    const x = BigInt("0x" + good.slice(4));
    // x = 5: 5³ + 7 = 132 is not a square mod p (Euler: 132^((p-1)/2) = p - 1), so no point has that x.
    const refused = [
      "0x",
      good.slice(0, -2), // 32 bytes
      good + "00", // 34 bytes
      new SigningKey(ethers.id("a")).publicKey, // 65 bytes, uncompressed
      compressedWithX(0x04, x),
      compressedWithX(0x00, x),
      compressedWithX(0x02, P),
      compressedWithX(0x03, P + 1n),
      compressedWithX(0x02, 2n ** 256n - 1n),
      compressedWithX(0x02, 5n),
      compressedWithX(0x03, 5n),
    ];
    for (const publicKey of refused) {
      expect(await key.decompress(publicKey), publicKey).to.deep.equal([false, 0n, 0n]);
    }
  });
});
