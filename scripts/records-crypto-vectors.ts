/**
 * Writes the known-answer vectors of the record envelope and key wrap (docs/records-crypto.md) to
 * test/vectors/records-crypto.json: `npx ts-node -T scripts/records-crypto-vectors.ts`.
 * Every input is fixed (keys, nonces, ephemeral keys), so the outputs are reproducible; the test
 * test/src/records/cryptoVectors.ts checks the SDK and an independent implementation against them.
 * Version 1 (record id only) is produced here by hand, since the SDK only opens it now.
 */
import fs from "node:fs";
import path from "node:path";
import { gcm } from "@noble/ciphers/aes";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hkdf } from "@noble/hashes/hkdf";
import { sha256 } from "@noble/hashes/sha2";
import { concat, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";
import {
  encryptRecordWith,
  encryptionKeyId,
  encryptionPublicKeyOf,
  recordContextBytes,
  wrapDataKeyWith,
  type RecordContext,
} from "../src/records/envelope";

const hex = (label: string, n: number) => getBytes(keccak256(toUtf8Bytes(label))).subarray(0, n);
const recipientPrivateKey = hexlify(hex("carechain vector: recipient key", 32));
const recipientPublicKey = encryptionPublicKeyOf(recipientPrivateKey);

const contexts: RecordContext[] = [
  {
    chainId: 31337n,
    recordAccess: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    patient: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    recordId: keccak256(toUtf8Bytes("carechain vector: record 1")),
    keyEpoch: 0n,
  },
  {
    chainId: 1337n,
    recordAccess: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    patient: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    recordId: keccak256(toUtf8Bytes("carechain vector: record 2")),
    keyEpoch: 7n,
  },
];
const plaintexts = [
  '{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},"valueQuantity":{"value":6.1,"unit":"%"}}',
  "",
];

const v2 = contexts.map((context, i) => {
  const dataKey = hex(`carechain vector: data key ${i}`, 32);
  const nonce = hex(`carechain vector: envelope nonce ${i}`, 12);
  const ephemeralPrivateKey = hexlify(hex(`carechain vector: ephemeral key ${i}`, 32));
  const wrapNonce = hex(`carechain vector: wrap nonce ${i}`, 12);
  const sealed = encryptRecordWith(toUtf8Bytes(plaintexts[i]), context, dataKey, nonce);
  const wrapped = wrapDataKeyWith(dataKey, recipientPublicKey, context, ephemeralPrivateKey, wrapNonce);
  // Intermediate values, for an implementer to find where theirs first differs.
  const ephemeralPublicKey = secp256k1.getPublicKey(getBytes(ephemeralPrivateKey), true);
  const sharedX = secp256k1
    .getSharedSecret(getBytes(ephemeralPrivateKey), getBytes(recipientPublicKey), true)
    .subarray(1);
  const kek = hkdf(
    sha256,
    sharedX,
    getBytes(concat([ephemeralPublicKey, recipientPublicKey])),
    getBytes(concat([toUtf8Bytes("carechain/records/key-wrap/v2"), recordContextBytes(context)])),
    32,
  );
  return {
    context: { ...context, chainId: context.chainId.toString(), keyEpoch: context.keyEpoch.toString() },
    contextBytes: hexlify(recordContextBytes(context)),
    plaintextUtf8: plaintexts[i],
    dataKey: hexlify(dataKey),
    envelopeNonce: hexlify(nonce),
    envelope: hexlify(sealed.envelope),
    contentHash: sealed.contentHash,
    ephemeralPrivateKey,
    wrapNonce: hexlify(wrapNonce),
    ephemeralPublicKey: hexlify(ephemeralPublicKey),
    sharedX: hexlify(sharedX),
    kek: hexlify(kek),
    recipientKeyId: encryptionKeyId(recipientPublicKey),
    wrappedKey: wrapped,
  };
});

// Version 1, by hand: envelope AAD = record id; KEK info = "…/key-wrap/v1" ‖ recordId ‖ epoch (8 bytes).
const v1 = (() => {
  const context = contexts[0];
  const dataKey = hex("carechain vector: v1 data key", 32);
  const nonce = hex("carechain vector: v1 envelope nonce", 12);
  const plaintext = "v1 record";
  const envelope = getBytes(
    concat([
      new Uint8Array([1]),
      nonce,
      gcm(dataKey, nonce, getBytes(context.recordId)).encrypt(toUtf8Bytes(plaintext)),
    ]),
  );
  const e = hex("carechain vector: v1 ephemeral key", 32);
  const E = secp256k1.getPublicKey(e, true);
  const G = getBytes(recipientPublicKey);
  const S = secp256k1.getSharedSecret(e, G, true).subarray(1);
  const epoch = new Uint8Array(8);
  const info = getBytes(concat([toUtf8Bytes("carechain/records/key-wrap/v1"), context.recordId, epoch]));
  const kek = hkdf(sha256, S, getBytes(concat([E, G])), info, 32);
  const wrapNonce = hex("carechain vector: v1 wrap nonce", 12);
  const wrapped = concat([
    new Uint8Array([1]),
    E,
    wrapNonce,
    gcm(kek, wrapNonce, getBytes(context.recordId)).encrypt(dataKey),
  ]);
  return {
    context: { ...context, chainId: context.chainId.toString(), keyEpoch: context.keyEpoch.toString() },
    plaintextUtf8: plaintext,
    envelope: hexlify(envelope),
    contentHash: keccak256(envelope),
    wrappedKey: wrapped,
  };
})();

const out = {
  description:
    "Carechain record envelope and key wrap known-answer vectors (docs/records-crypto.md). All byte strings are 0x-hex.",
  recipientPrivateKey,
  recipientPublicKey,
  v2,
  v1,
};
const file = path.join(__dirname, "..", "test", "vectors", "records-crypto.json");
fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${v2.length} version-2 vectors and 1 version-1 vector to ${path.relative(process.cwd(), file)}`);
