/**
 * The record envelope and key wrap against their known-answer vectors (test/vectors/records-crypto.json,
 * written by scripts/records-crypto-vectors.ts, specified in docs/records-crypto.md): the SDK
 * reproduces them byte for byte, and an independent implementation from Node's own crypto
 * (ECDH, HKDF, AES-256-GCM — what a partner would write from the document) opens them and
 * produces the same bytes.
 */
import { expect } from "chai";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { concat, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";
import {
  encryptRecordWith,
  openRecord,
  recordContextBytes,
  wrapDataKeyWith,
  type RecordContext,
} from "../../../src/records/envelope";

const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "vectors", "records-crypto.json"), "utf8"),
) as {
  recipientPrivateKey: string;
  recipientPublicKey: string;
  v2: {
    context: Record<string, string>;
    contextBytes: string;
    plaintextUtf8: string;
    dataKey: string;
    envelopeNonce: string;
    envelope: string;
    contentHash: string;
    ephemeralPrivateKey: string;
    ephemeralPublicKey: string;
    sharedX: string;
    kek: string;
    wrapNonce: string;
    recipientKeyId: string;
    wrappedKey: string;
  }[];
  v1: {
    context: Record<string, string>;
    plaintextUtf8: string;
    envelope: string;
    contentHash: string;
    wrappedKey: string;
  };
};

function contextOf(c: Record<string, string>): RecordContext {
  return {
    chainId: BigInt(c.chainId),
    recordAccess: c.recordAccess,
    patient: c.patient,
    recordId: c.recordId,
    keyEpoch: BigInt(c.keyEpoch),
  };
}

const buf = (h: string) => Buffer.from(getBytes(h));

/** The independent implementation: Node's crypto only (keccak256 for the key id aside). */
const independent = {
  contextBytes(c: Record<string, string>): Buffer {
    const chain = Buffer.alloc(32);
    chain.writeBigUInt64BE(BigInt(c.chainId), 24);
    const epoch = Buffer.alloc(8);
    epoch.writeBigUInt64BE(BigInt(c.keyEpoch));
    return Buffer.concat([chain, buf(c.recordAccess), buf(c.patient), buf(c.recordId), epoch]);
  },
  gcmOpen(key: Buffer, nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer {
    const d = crypto.createDecipheriv("aes-256-gcm", key, nonce);
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  },
  gcmSeal(key: Buffer, nonce: Buffer, aad: Buffer, plain: Buffer): Buffer {
    const c = crypto.createCipheriv("aes-256-gcm", key, nonce);
    c.setAAD(aad);
    return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  },
  sharedX(privateKey: Buffer, publicKey: Buffer): Buffer {
    const ecdh = crypto.createECDH("secp256k1");
    ecdh.setPrivateKey(privateKey);
    return ecdh.computeSecret(publicKey); // the x coordinate, 32 bytes
  },
  kek(sharedX: Buffer, ephemeral: Buffer, recipient: Buffer, info: Buffer): Buffer {
    return Buffer.from(crypto.hkdfSync("sha256", sharedX, Buffer.concat([ephemeral, recipient]), info, 32));
  },
};

describe("records crypto: known-answer vectors (docs/records-crypto.md)", function () {
  const recipient = buf(vectors.recipientPublicKey);
  const recipientPrivate = buf(vectors.recipientPrivateKey);

  vectors.v2.forEach((v, i) => {
    describe(`version 2, vector ${i}`, function () {
      const context = contextOf(v.context);

      it("the SDK reproduces the context bytes, envelope, content hash and wrapped key byte for byte", function () {
        expect(hexlify(recordContextBytes(context))).to.equal(v.contextBytes);
        const sealed = encryptRecordWith(
          toUtf8Bytes(v.plaintextUtf8),
          context,
          getBytes(v.dataKey),
          getBytes(v.envelopeNonce),
        );
        expect(hexlify(sealed.envelope)).to.equal(v.envelope);
        expect(sealed.contentHash).to.equal(v.contentHash);
        expect(
          wrapDataKeyWith(
            getBytes(v.dataKey),
            vectors.recipientPublicKey,
            context,
            v.ephemeralPrivateKey,
            getBytes(v.wrapNonce),
          ),
        ).to.equal(v.wrappedKey);
        const plain = openRecord({
          envelope: v.envelope,
          wrappedKey: v.wrappedKey,
          privateKey: vectors.recipientPrivateKey,
          context,
          expectedContentHash: v.contentHash,
        });
        expect(new TextDecoder().decode(plain)).to.equal(v.plaintextUtf8);
      });

      it("an independent implementation (Node's crypto) unwraps and decrypts it, and seals the same bytes", function () {
        const ctx = independent.contextBytes(v.context);
        expect("0x" + ctx.toString("hex")).to.equal(v.contextBytes);
        const wrapped = buf(v.wrappedKey);
        expect(wrapped[0]).to.equal(2);
        const keyId = wrapped.subarray(1, 9);
        expect("0x" + keyId.toString("hex")).to.equal(v.recipientKeyId);
        expect(v.recipientKeyId).to.equal(hexlify(getBytes(keccak256(recipient)).subarray(0, 8)));
        const ephemeral = wrapped.subarray(9, 42);
        const header = wrapped.subarray(0, 42);
        const nonce = wrapped.subarray(42, 54);
        const sharedX = independent.sharedX(recipientPrivate, ephemeral);
        expect("0x" + sharedX.toString("hex")).to.equal(v.sharedX);
        const info = Buffer.concat([Buffer.from("carechain/records/key-wrap/v2"), ctx]);
        const kek = independent.kek(sharedX, ephemeral, recipient, info);
        expect("0x" + kek.toString("hex")).to.equal(v.kek);
        const dataKey = independent.gcmOpen(kek, nonce, Buffer.concat([header, ctx]), wrapped.subarray(54));
        expect("0x" + dataKey.toString("hex")).to.equal(v.dataKey);

        const envelope = buf(v.envelope);
        expect(keccak256(envelope)).to.equal(v.contentHash);
        expect(envelope[0]).to.equal(2);
        const aad = Buffer.concat([Buffer.from("carechain/records/envelope/v2"), ctx]);
        const plain = independent.gcmOpen(dataKey, envelope.subarray(1, 13), aad, envelope.subarray(13));
        expect(plain.toString("utf8")).to.equal(v.plaintextUtf8);
        // and sealing with the same inputs gives the same envelope and wrap
        const resealed = Buffer.concat([
          Buffer.from([2]),
          envelope.subarray(1, 13),
          independent.gcmSeal(dataKey, envelope.subarray(1, 13), aad, plain),
        ]);
        expect("0x" + resealed.toString("hex")).to.equal(v.envelope);
        const rewrapped = Buffer.concat([
          header,
          nonce,
          independent.gcmSeal(kek, nonce, Buffer.concat([header, ctx]), dataKey),
        ]);
        expect("0x" + rewrapped.toString("hex")).to.equal(v.wrappedKey);
      });
    });
  });

  it("version 1 (record id only, no key id) is still opened by the SDK", function () {
    const v = vectors.v1;
    const plain = openRecord({
      envelope: v.envelope,
      wrappedKey: v.wrappedKey,
      privateKey: vectors.recipientPrivateKey,
      context: contextOf(v.context),
      expectedContentHash: v.contentHash,
    });
    expect(new TextDecoder().decode(plain)).to.equal(v.plaintextUtf8);
    expect(hexlify(concat([getBytes(v.envelope).subarray(0, 1)]))).to.equal("0x01");
  });
});
