import { expect } from "chai";
import { ethers } from "ethers";
import {
  contentHashOf,
  decryptRecord,
  encryptRecord,
  encryptionKeyId,
  encryptionPublicKeyOf,
  newEncryptionKeyPair,
  openRecord,
  recordContextBytes,
  recordIdOf,
  RecordCryptoError,
  unwrapDataKey,
  wrapDataKey,
  wrappedKeyId,
  type RecordContext,
} from "../../../src/records";

const text = (s: string) => new TextEncoder().encode(s);
const RECORD = "HbA1c 6.1 %, fasting glucose 5.9 mmol/L";

/** Runs `f`, expecting a RecordCryptoError with `reason`; returns its message. */
function refused(f: () => unknown, reason: RecordCryptoError["reason"]): string {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(RecordCryptoError);
    expect((e as RecordCryptoError).reason, (e as Error).message).to.equal(reason);
    return (e as Error).message;
  }
  throw new Error("not refused");
}

describe("records SDK: envelope (version 2)", function () {
  const recordId = recordIdOf(ethers.id("salt"), "lab-2026-0001");
  const context: RecordContext = {
    chainId: 31337n,
    recordAccess: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    patient: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    recordId,
    keyEpoch: 0n,
  };
  /** The same record id in every other respect changed, one field at a time. */
  const others: [string, RecordContext][] = [
    ["chain", { ...context, chainId: 1n }],
    ["contract", { ...context, recordAccess: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" }],
    ["patient", { ...context, patient: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" }],
    ["record id", { ...context, recordId: ethers.id("other") }],
    ["key epoch", { ...context, keyEpoch: 1n }],
  ];
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

  describe("recordContextBytes", function () {
    it("is chain id (32) ‖ contract (20) ‖ patient (20) ‖ record id (32) ‖ key epoch (8)", function () {
      const bytes = recordContextBytes({ ...context, keyEpoch: 258n });
      expect(bytes.length).to.equal(112);
      expect(ethers.hexlify(bytes)).to.equal(
        ethers.concat([
          ethers.toBeHex(31337, 32),
          context.recordAccess.toLowerCase(),
          context.patient.toLowerCase(),
          recordId,
          "0x0000000000000102",
        ]),
      );
    });

    it("refuses a record id that is not bytes32, a bad address and a zero chain id", function () {
      expect(refused(() => recordContextBytes({ ...context, recordId: "0x1234" }), "bad-input")).to.match(/bytes32/);
      expect(refused(() => recordContextBytes({ ...context, patient: "0x12" }), "bad-input")).to.match(/address/);
      expect(refused(() => recordContextBytes({ ...context, chainId: 0n }), "bad-input")).to.match(/chain id/);
    });
  });

  describe("encryptRecord / decryptRecord", function () {
    it("round-trips a record and hashes the envelope, not the plaintext", function () {
      const sealed = encryptRecord(text(RECORD), context);
      expect(sealed.contentHash).to.equal(ethers.keccak256(sealed.envelope));
      expect(sealed.contentHash).to.equal(contentHashOf(ethers.hexlify(sealed.envelope)));
      expect(Buffer.from(sealed.envelope).includes(Buffer.from(RECORD))).to.equal(false);
      expect(sealed.envelope[0]).to.equal(2);
      expect(sealed.envelope.length).to.equal(1 + 12 + text(RECORD).length + 16);
      const plain = decryptRecord(sealed.envelope, sealed.dataKey, context, sealed.contentHash);
      expect(new TextDecoder().decode(plain)).to.equal(RECORD);
    });

    it("uses a fresh key and nonce each time", function () {
      const a = encryptRecord(text(RECORD), context);
      const b = encryptRecord(text(RECORD), context);
      expect(a.contentHash).to.not.equal(b.contentHash);
      expect(ethers.hexlify(a.dataKey)).to.not.equal(ethers.hexlify(b.dataKey));
    });

    it("requires the content hash from the chain and refuses an envelope that does not match it", function () {
      const sealed = encryptRecord(text(RECORD), context);
      const other = encryptRecord(text(RECORD), context);
      expect(
        refused(
          () => decryptRecord(sealed.envelope, sealed.dataKey, context, other.contentHash),
          "content-hash-mismatch",
        ),
      ).to.match(/does not match the content hash on chain/);
      expect(
        refused(
          () => decryptRecord(sealed.envelope, sealed.dataKey, context, undefined as unknown as string),
          "bad-input",
        ),
      ).to.match(/content hash from the chain is required/);
    });

    it("fails authentication, saying what may be wrong, for a tampered envelope or a wrong key", function () {
      const sealed = encryptRecord(text(RECORD), context);
      const tampered = Uint8Array.from(sealed.envelope);
      tampered[20] ^= 1;
      const message = refused(
        () => decryptRecord(tampered, sealed.dataKey, context, contentHashOf(tampered)),
        "envelope-authentication",
      );
      expect(message).to.match(/^record envelope failed authentication: tampered, wrong data key, or another record/);
      refused(
        () => decryptRecord(sealed.envelope, new Uint8Array(32), context, sealed.contentHash),
        "envelope-authentication",
      );
    });

    for (const [what, ctx] of others) {
      it(`refuses to open the envelope as another ${what}'s record (a swapped envelope)`, function () {
        const sealed = encryptRecord(text(RECORD), context);
        refused(
          () => decryptRecord(sealed.envelope, sealed.dataKey, ctx, sealed.contentHash),
          "envelope-authentication",
        );
      });
    }

    it("refuses an unknown version, a data key that is not 32 bytes, a record id that is not bytes32", function () {
      const sealed = encryptRecord(text(RECORD), context);
      const v9 = Uint8Array.from(sealed.envelope);
      v9[0] = 9;
      refused(() => decryptRecord(v9, sealed.dataKey, context, contentHashOf(v9)), "unknown-version");
      refused(() => decryptRecord(sealed.envelope, new Uint8Array(16), context, sealed.contentHash), "bad-input");
      refused(() => encryptRecord(text(RECORD), { ...context, recordId: "lab-2026-0001" }), "bad-input");
    });
  });

  describe("wrapDataKey / unwrapDataKey (ECIES over secp256k1)", function () {
    it("lets the grantee, and only the grantee, open the record; the wrap names the key it was made for", function () {
      const sealed = encryptRecord(text(RECORD), context);
      const wrapped = wrapDataKey(sealed.dataKey, specialist.publicKey, context);
      expect(ethers.getBytes(wrapped).length).to.equal(102);
      expect(wrappedKeyId(wrapped)).to.equal(encryptionKeyId(specialist.publicKey));
      const plain = openRecord({
        envelope: sealed.envelope,
        wrappedKey: wrapped,
        privateKey: specialist.privateKey,
        context,
        expectedContentHash: sealed.contentHash,
      });
      expect(new TextDecoder().decode(plain)).to.equal(RECORD);
      expect(refused(() => unwrapDataKey(wrapped, other.privateKey, context), "wrapped-to-other-key")).to.match(
        /wrapped to encryption key 0x[0-9a-f]{16}, not to yours \(0x[0-9a-f]{16}\): if that was your previous key/,
      );
    });

    for (const [what, ctx] of others) {
      it(`binds the wrapped key to the ${what} (a swapped wrap does not open)`, function () {
        const sealed = encryptRecord(text(RECORD), context);
        const wrapped = wrapDataKey(sealed.dataKey, specialist.publicKey, context);
        refused(() => unwrapDataKey(wrapped, specialist.privateKey, ctx), "wrap-authentication");
      });
    }

    it("fails on a tampered wrapped key: header, ephemeral key, nonce or ciphertext", function () {
      const sealed = encryptRecord(text(RECORD), context);
      const wrapped = ethers.getBytes(wrapDataKey(sealed.dataKey, specialist.publicKey, context));
      refused(() => {
        const t = Uint8Array.from(wrapped);
        t[3] ^= 1; // key id
        unwrapDataKey(t, specialist.privateKey, context);
      }, "wrapped-to-other-key");
      for (const at of [20, 45, 60, 101]) {
        const t = Uint8Array.from(wrapped);
        t[at] ^= 1;
        expect(() => unwrapDataKey(t, specialist.privateKey, context), `byte ${at}`).to.throw(RecordCryptoError);
      }
      refused(() => unwrapDataKey(wrapped.subarray(0, 90), specialist.privateKey, context), "unknown-version");
    });

    it("refuses a recipient key that is not a compressed curve point, and a data key that is not 32 bytes", function () {
      const key = new Uint8Array(32);
      expect(refused(() => wrapDataKey(key, "0x04" + "11".repeat(64), context), "bad-input")).to.match(/33 bytes/);
      expect(refused(() => wrapDataKey(key, "0x02" + "00".repeat(32), context), "bad-input")).to.match(/not a point/);
      expect(refused(() => wrapDataKey(new Uint8Array(31), specialist.publicKey, context), "bad-input")).to.match(
        /data key must be 32 bytes/,
      );
    });

    it("derives the public key the contract takes from the private key", function () {
      expect(encryptionPublicKeyOf(specialist.privateKey)).to.equal(specialist.publicKey);
      expect(specialist.publicKey).to.equal(ethers.SigningKey.computePublicKey(specialist.privateKey, true));
    });
  });
});
