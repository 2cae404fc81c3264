import { expect } from "chai";
import { ethers } from "ethers";
import {
  contentHashOf,
  decryptRecord,
  encryptRecord,
  encryptionPublicKeyOf,
  newEncryptionKeyPair,
  openRecord,
  recordIdOf,
  unwrapDataKey,
  wrapDataKey,
} from "../../../src/records";

const text = (s: string) => new TextEncoder().encode(s);
const RECORD = "HbA1c 6.1 %, fasting glucose 5.9 mmol/L";

describe("records SDK: envelope", function () {
  const recordId = recordIdOf(ethers.id("salt"), "lab-2026-0001");
  const specialist = newEncryptionKeyPair();
  const other = newEncryptionKeyPair();

  describe("recordIdOf", function () {
    it("is deterministic for a salt and local id, and changes with either", function () {
      expect(recordIdOf(ethers.id("salt"), "lab-2026-0001")).to.equal(recordId);
      expect(recordIdOf(ethers.id("salt2"), "lab-2026-0001")).to.not.equal(recordId);
      expect(recordIdOf(ethers.id("salt"), "lab-2026-0002")).to.not.equal(recordId);
    });

    it("refuses a salt that is not 32 bytes", function () {
      expect(() => recordIdOf("0x1234", "x")).to.throw("salt must be 32 bytes");
    });
  });

  describe("encryptRecord / decryptRecord", function () {
    it("round-trips a record and hashes the envelope, not the plaintext", function () {
      const sealed = encryptRecord(text(RECORD), recordId);
      expect(sealed.contentHash).to.equal(ethers.keccak256(sealed.envelope));
      expect(sealed.contentHash).to.equal(contentHashOf(ethers.hexlify(sealed.envelope)));
      expect(Buffer.from(sealed.envelope).includes(Buffer.from(RECORD))).to.equal(false);
      expect(sealed.envelope.length).to.equal(1 + 12 + text(RECORD).length + 16);
      const plain = decryptRecord(sealed.envelope, sealed.dataKey, recordId, sealed.contentHash);
      expect(new TextDecoder().decode(plain)).to.equal(RECORD);
    });

    it("uses a fresh key and nonce each time", function () {
      const a = encryptRecord(text(RECORD), recordId);
      const b = encryptRecord(text(RECORD), recordId);
      expect(a.contentHash).to.not.equal(b.contentHash);
      expect(ethers.hexlify(a.dataKey)).to.not.equal(ethers.hexlify(b.dataKey));
    });

    it("fails on a tampered envelope, a wrong key, another record id or a content hash mismatch", function () {
      const sealed = encryptRecord(text(RECORD), recordId);
      const tampered = Uint8Array.from(sealed.envelope);
      tampered[20] ^= 1;
      expect(() => decryptRecord(tampered, sealed.dataKey, recordId)).to.throw();
      expect(() => decryptRecord(tampered, sealed.dataKey, recordId, sealed.contentHash)).to.throw("content hash");
      expect(() => decryptRecord(sealed.envelope, new Uint8Array(32), recordId)).to.throw();
      expect(() => decryptRecord(sealed.envelope, sealed.dataKey, ethers.id("other"))).to.throw();
      const wrongVersion = Uint8Array.from(sealed.envelope);
      wrongVersion[0] = 2;
      expect(() => decryptRecord(wrongVersion, sealed.dataKey, recordId)).to.throw("version 1");
    });
  });

  describe("wrapDataKey / unwrapDataKey (ECIES over secp256k1)", function () {
    it("lets the grantee, and only the grantee, open the record", function () {
      const sealed = encryptRecord(text(RECORD), recordId);
      const wrapped = wrapDataKey(sealed.dataKey, specialist.publicKey, recordId, 0);
      expect(ethers.getBytes(wrapped).length).to.equal(94);
      const plain = openRecord({
        envelope: sealed.envelope,
        wrappedKey: wrapped,
        privateKey: specialist.privateKey,
        recordId,
        keyEpoch: 0,
        expectedContentHash: sealed.contentHash,
      });
      expect(new TextDecoder().decode(plain)).to.equal(RECORD);
      expect(() => unwrapDataKey(wrapped, other.privateKey, recordId, 0)).to.throw();
    });

    it("binds the wrapped key to the record id and the key epoch", function () {
      const sealed = encryptRecord(text(RECORD), recordId);
      const wrapped = wrapDataKey(sealed.dataKey, specialist.publicKey, recordId, 3);
      expect(() => unwrapDataKey(wrapped, specialist.privateKey, recordId, 4)).to.throw();
      expect(() => unwrapDataKey(wrapped, specialist.privateKey, ethers.id("other"), 3)).to.throw();
      expect(ethers.hexlify(unwrapDataKey(wrapped, specialist.privateKey, recordId, 3))).to.equal(
        ethers.hexlify(sealed.dataKey),
      );
    });

    it("fails on a tampered wrapped key", function () {
      const sealed = encryptRecord(text(RECORD), recordId);
      const wrapped = ethers.getBytes(wrapDataKey(sealed.dataKey, specialist.publicKey, recordId, 0));
      for (const at of [5, 40, 60, 93]) {
        const t = Uint8Array.from(wrapped);
        t[at] ^= 1;
        expect(() => unwrapDataKey(t, specialist.privateKey, recordId, 0)).to.throw();
      }
      expect(() => unwrapDataKey(wrapped.subarray(0, 90), specialist.privateKey, recordId, 0)).to.throw("version 1");
    });

    it("refuses a recipient key that is not a compressed curve point", function () {
      const key = new Uint8Array(32);
      expect(() => wrapDataKey(key, "0x04" + "11".repeat(64), recordId, 0)).to.throw("33 bytes");
      expect(() => wrapDataKey(key, "0x02" + "00".repeat(32), recordId, 0)).to.throw();
    });

    it("derives the public key the contract takes from the private key", function () {
      expect(encryptionPublicKeyOf(specialist.privateKey)).to.equal(specialist.publicKey);
      expect(specialist.publicKey).to.equal(ethers.SigningKey.computePublicKey(specialist.privateKey, true));
    });
  });
});
