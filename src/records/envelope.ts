/**
 * Record envelopes: everything a custodian needs to keep a record's content off chain and let
 * grantees read it, computed locally — nothing plaintext (neither the record nor a data key)
 * leaves the caller; only the envelope, the wrapped keys and the content hash are meant to.
 *
 * Scheme (version 1), all byte strings concatenated with ‖:
 *
 * - Record: a fresh random 32-byte data key K and 12-byte nonce N;
 *   envelope = 0x01 ‖ N ‖ AES-256-GCM_K,N(plaintext, aad = recordId) (ciphertext ‖ 16-byte tag).
 *   contentHash = keccak256(envelope) — what RecordAccess stores.
 * - Key wrap for a grantee with registered secp256k1 public key G (33 bytes, compressed):
 *   ephemeral key pair (e, E = e·G₀); S = x-coordinate of e·G (32 bytes, ECDH);
 *   KEK = HKDF-SHA256(ikm = S, salt = E ‖ G, info = "carechain/records/key-wrap/v1" ‖ recordId ‖
 *   keyEpoch as 8 bytes big-endian, length 32);
 *   wrapped = 0x01 ‖ E ‖ N' ‖ AES-256-GCM_KEK,N'(K, aad = recordId) (32 + 16 bytes) — 94 bytes.
 *   Binding the record id and key epoch into the KEK means a wrapped key cannot be replayed for
 *   another record or another version of the same record.
 * - A grantee unwraps with its private key g (S = x of g·E), decrypts, and checks the content hash
 *   against the chain.
 *
 * Libraries: @noble/ciphers (AES-GCM), @noble/curves (secp256k1 ECDH), @noble/hashes (HKDF,
 * SHA-256, random bytes). Revocation is forward-only: a grantee who unwrapped K keeps what it read;
 * new versions get a new K, wrapped only for the remaining grantees.
 */
import { gcm } from "@noble/ciphers/aes";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hkdf } from "@noble/hashes/hkdf";
import { sha256 } from "@noble/hashes/sha2";
import { randomBytes } from "@noble/hashes/utils";
import { concat, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";

const VERSION = 1;
const NONCE_BYTES = 12;
const KEY_BYTES = 32;
const PUBLIC_KEY_BYTES = 33;
const WRAP_INFO = toUtf8Bytes("carechain/records/key-wrap/v1");

/** Bytes or 0x-hex. */
export type BytesLike = Uint8Array | string;

/** A sealed record: what may leave the custodian (envelope, hash) and its secret data key. */
export interface SealedRecord {
  /** 0x01 ‖ nonce ‖ ciphertext ‖ tag: store it off chain at the custodian. */
  envelope: Uint8Array;
  /** keccak256(envelope): register it on chain. */
  contentHash: string;
  /** The AES-256 data key: secret; keep it, or wrap it for yourself, and never send it in clear. */
  dataKey: Uint8Array;
}

function bytes(value: BytesLike): Uint8Array {
  return typeof value === "string" ? getBytes(value) : value;
}

function epochBytes(keyEpoch: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(keyEpoch));
  return out;
}

/** A fresh secp256k1 key pair for encryption (keep it apart from the account's signing key). */
export function newEncryptionKeyPair(): { privateKey: string; publicKey: string } {
  const privateKey = secp256k1.utils.randomPrivateKey();
  return { privateKey: hexlify(privateKey), publicKey: hexlify(secp256k1.getPublicKey(privateKey, true)) };
}

/** The 33-byte compressed public key of an encryption private key (what registerEncryptionKey takes). */
export function encryptionPublicKeyOf(privateKey: BytesLike): string {
  return hexlify(secp256k1.getPublicKey(bytes(privateKey), true));
}

/** keccak256 of an envelope: the content hash RecordAccess stores. */
export function contentHashOf(envelope: BytesLike): string {
  return keccak256(bytes(envelope));
}

/** Encrypts a record under a fresh data key, bound to its record id. */
export function encryptRecord(plaintext: BytesLike, recordId: string): SealedRecord {
  const dataKey = randomBytes(KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = gcm(dataKey, nonce, getBytes(recordId)).encrypt(bytes(plaintext));
  const envelope = getBytes(concat([new Uint8Array([VERSION]), nonce, sealed]));
  return { envelope, contentHash: contentHashOf(envelope), dataKey };
}

/**
 * Decrypts an envelope with its data key. Throws when the envelope was tampered with, the key or
 * record id is wrong, or `expectedContentHash` (from the chain) does not match.
 */
export function decryptRecord(
  envelope: BytesLike,
  dataKey: Uint8Array,
  recordId: string,
  expectedContentHash?: string,
): Uint8Array {
  const env = bytes(envelope);
  if (expectedContentHash !== undefined && contentHashOf(env).toLowerCase() !== expectedContentHash.toLowerCase()) {
    throw new Error("record envelope does not match the content hash on chain");
  }
  if (env.length < 1 + NONCE_BYTES + 16 || env[0] !== VERSION) throw new Error("not a version 1 record envelope");
  const nonce = env.subarray(1, 1 + NONCE_BYTES);
  return gcm(dataKey, nonce, getBytes(recordId)).decrypt(env.subarray(1 + NONCE_BYTES));
}

function keyEncryptionKey(
  sharedX: Uint8Array,
  ephemeral: Uint8Array,
  recipient: Uint8Array,
  recordId: string,
  keyEpoch: bigint | number,
): Uint8Array {
  const info = getBytes(concat([WRAP_INFO, recordId, epochBytes(keyEpoch)]));
  return hkdf(sha256, sharedX, getBytes(concat([ephemeral, recipient])), info, KEY_BYTES);
}

/** Wraps a data key for the holder of `recipientPublicKey` (33 bytes compressed) with ECIES. Returns hex. */
export function wrapDataKey(
  dataKey: Uint8Array,
  recipientPublicKey: BytesLike,
  recordId: string,
  keyEpoch: bigint | number,
): string {
  const recipient = bytes(recipientPublicKey);
  if (recipient.length !== PUBLIC_KEY_BYTES) throw new Error("recipient public key must be 33 bytes (compressed)");
  secp256k1.ProjectivePoint.fromHex(recipient); // throws when not a point of the curve
  const ephemeralPrivate = secp256k1.utils.randomPrivateKey();
  const ephemeral = secp256k1.getPublicKey(ephemeralPrivate, true);
  const sharedX = secp256k1.getSharedSecret(ephemeralPrivate, recipient, true).subarray(1);
  const kek = keyEncryptionKey(sharedX, ephemeral, recipient, recordId, keyEpoch);
  const nonce = randomBytes(NONCE_BYTES);
  const wrapped = gcm(kek, nonce, getBytes(recordId)).encrypt(dataKey);
  return hexlify(concat([new Uint8Array([VERSION]), ephemeral, nonce, wrapped]));
}

/** Unwraps a data key with the recipient's encryption private key. Throws on a wrong key or tampering. */
export function unwrapDataKey(
  wrapped: BytesLike,
  recipientPrivateKey: BytesLike,
  recordId: string,
  keyEpoch: bigint | number,
): Uint8Array {
  const w = bytes(wrapped);
  if (w.length !== 1 + PUBLIC_KEY_BYTES + NONCE_BYTES + KEY_BYTES + 16 || w[0] !== VERSION) {
    throw new Error("not a version 1 wrapped key");
  }
  const ephemeral = w.subarray(1, 1 + PUBLIC_KEY_BYTES);
  const nonce = w.subarray(1 + PUBLIC_KEY_BYTES, 1 + PUBLIC_KEY_BYTES + NONCE_BYTES);
  const priv = bytes(recipientPrivateKey);
  const recipient = secp256k1.getPublicKey(priv, true);
  const sharedX = secp256k1.getSharedSecret(priv, ephemeral, true).subarray(1);
  const kek = keyEncryptionKey(sharedX, ephemeral, recipient, recordId, keyEpoch);
  return gcm(kek, nonce, getBytes(recordId)).decrypt(w.subarray(1 + PUBLIC_KEY_BYTES + NONCE_BYTES));
}

/** A grantee's whole read: unwrap the data key, check the content hash, decrypt. */
export function openRecord(args: {
  envelope: BytesLike;
  wrappedKey: BytesLike;
  privateKey: BytesLike;
  recordId: string;
  keyEpoch: bigint | number;
  expectedContentHash?: string;
}): Uint8Array {
  const dataKey = unwrapDataKey(args.wrappedKey, args.privateKey, args.recordId, args.keyEpoch);
  return decryptRecord(args.envelope, dataKey, args.recordId, args.expectedContentHash);
}
