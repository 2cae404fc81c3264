/**
 * Record envelopes: everything a custodian needs to keep a record's content off chain and let
 * grantees read it, computed locally — nothing plaintext (neither the record nor a data key)
 * leaves the caller; only the envelope, the wrapped keys and the content hash are meant to.
 *
 * The format is specified, with known-answer vectors, in docs/records-crypto.md; in short
 * (version 2, byte strings concatenated with ‖):
 *
 * - Context C = chainId (32 bytes BE) ‖ RecordAccess address (20) ‖ patient (20) ‖ recordId (32) ‖
 *   keyEpoch (8 bytes BE) — 112 bytes: which record, of whom, on which deployment, which version.
 * - Record: a fresh random 32-byte data key K and 12-byte nonce N;
 *   envelope = 0x02 ‖ N ‖ AES-256-GCM_K,N(plaintext, aad = "carechain/records/envelope/v2" ‖ C).
 *   contentHash = keccak256(envelope) — what RecordAccess stores, and what every open checks.
 * - Key wrap for a grantee with registered secp256k1 key G (33 bytes compressed), key id
 *   kid = first 8 bytes of keccak256(G): ephemeral pair (e, E); S = x(e·G);
 *   KEK = HKDF-SHA256(ikm = S, salt = E ‖ G, info = "carechain/records/key-wrap/v2" ‖ C, 32);
 *   header = 0x02 ‖ kid ‖ E; wrapped = header ‖ N' ‖ AES-256-GCM_KEK,N'(K, aad = header ‖ C) — 102 bytes.
 *
 * A swapped envelope or wrap (another patient's, another deployment's, another version's) fails
 * authentication; a wrap made for a key the grantee has since rotated is reported as such.
 * Version 1 (record id only in the AAD, no key id) is still opened, never produced.
 *
 * Libraries: @noble/ciphers (AES-GCM), @noble/curves (secp256k1 ECDH), @noble/hashes (HKDF,
 * SHA-256, random bytes). Revocation is forward-only: a grantee who unwrapped K keeps what it read;
 * new versions get a new K, wrapped only for those the chain still allows (see ./custodian.ts).
 */
import { gcm } from "@noble/ciphers/aes";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hkdf } from "@noble/hashes/hkdf";
import { sha256 } from "@noble/hashes/sha2";
import { randomBytes } from "@noble/hashes/utils";
import { concat, getAddress, getBytes, hexlify, isHexString, keccak256, toBeHex, toUtf8Bytes } from "ethers";

const V1 = 1;
const V2 = 2;
const NONCE_BYTES = 12;
const KEY_BYTES = 32;
const TAG_BYTES = 16;
const PUBLIC_KEY_BYTES = 33;
const KEY_ID_BYTES = 8;
const WRAP_INFO_V1 = toUtf8Bytes("carechain/records/key-wrap/v1");
const WRAP_INFO_V2 = toUtf8Bytes("carechain/records/key-wrap/v2");
const ENVELOPE_AAD_V2 = toUtf8Bytes("carechain/records/envelope/v2");
const WRAP_V1_BYTES = 1 + PUBLIC_KEY_BYTES + NONCE_BYTES + KEY_BYTES + TAG_BYTES; // 94
const WRAP_V2_HEADER_BYTES = 1 + KEY_ID_BYTES + PUBLIC_KEY_BYTES; // 42
const WRAP_V2_BYTES = WRAP_V2_HEADER_BYTES + NONCE_BYTES + KEY_BYTES + TAG_BYTES; // 102

/** Bytes or 0x-hex. */
export type BytesLike = Uint8Array | string;

/** Which record a ciphertext belongs to: bound into every envelope and key wrap (version 2). */
export interface RecordContext {
  chainId: bigint | number;
  /** The RecordAccess contract's address. */
  recordAccess: string;
  patient: string;
  /** The on-chain record id (bytes32). */
  recordId: string;
  /** The record's key epoch on chain for this version (0 when registered, +1 per content update). */
  keyEpoch: bigint | number;
}

/** Why a record or key could not be opened; `reason` is stable for programs, the message for people. */
export class RecordCryptoError extends Error {
  constructor(
    readonly reason:
      | "bad-input"
      | "unknown-version"
      | "content-hash-mismatch"
      | "envelope-authentication"
      | "wrapped-to-other-key"
      | "wrap-authentication",
    message: string,
  ) {
    super(message);
    this.name = "RecordCryptoError";
  }
}

/** A sealed record: what may leave the custodian (envelope, hash) and its secret data key. */
export interface SealedRecord {
  /** 0x02 ‖ nonce ‖ ciphertext ‖ tag: store it off chain at the custodian. */
  envelope: Uint8Array;
  /** keccak256(envelope): register it on chain. */
  contentHash: string;
  /** The AES-256 data key: secret; keep it, or wrap it for yourself, and never send it in clear. */
  dataKey: Uint8Array;
}

function bytes(value: BytesLike): Uint8Array {
  return typeof value === "string" ? getBytes(value) : value;
}

function bad(message: string): RecordCryptoError {
  return new RecordCryptoError("bad-input", message);
}

function uint64(value: bigint | number, name: string): Uint8Array {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << 64n) throw bad(`${name} must fit in 8 bytes`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
}

function recordId32(recordId: string): Uint8Array {
  if (!isHexString(recordId, 32)) throw bad("record id must be bytes32 (0x + 64 hex digits)");
  return getBytes(recordId);
}

function dataKey32(dataKey: Uint8Array): Uint8Array {
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== KEY_BYTES) throw bad("data key must be 32 bytes");
  return dataKey;
}

/** The 112 context bytes bound into version-2 envelopes and wraps (docs/records-crypto.md). */
export function recordContextBytes(ctx: RecordContext): Uint8Array {
  const chainId = BigInt(ctx.chainId);
  if (chainId <= 0n || chainId >= 1n << 256n) throw bad("chain id must be a positive 256-bit integer");
  let contract: string, patient: string;
  try {
    contract = getAddress(ctx.recordAccess);
    patient = getAddress(ctx.patient);
  } catch {
    throw bad("record access contract and patient must be addresses");
  }
  return getBytes(
    concat([toBeHex(chainId, 32), contract, patient, recordId32(ctx.recordId), uint64(ctx.keyEpoch, "key epoch")]),
  );
}

/** The key id of an encryption public key: the first 8 bytes of keccak256 of its 33 compressed bytes. */
export function encryptionKeyId(publicKey: BytesLike): string {
  return hexlify(getBytes(keccak256(compressedPoint(publicKey))).subarray(0, KEY_ID_BYTES));
}

function compressedPoint(publicKey: BytesLike): Uint8Array {
  const key = bytes(publicKey);
  if (key.length !== PUBLIC_KEY_BYTES) throw bad("encryption public key must be 33 bytes (compressed)");
  try {
    secp256k1.ProjectivePoint.fromHex(key).assertValidity();
  } catch {
    throw bad("encryption public key is not a point of secp256k1");
  }
  return key;
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

/** Encrypts a record under a fresh data key and nonce, bound to its context (version 2). */
export function encryptRecord(plaintext: BytesLike, context: RecordContext): SealedRecord {
  return encryptRecordWith(plaintext, context, randomBytes(KEY_BYTES), randomBytes(NONCE_BYTES));
}

/**
 * {@link encryptRecord} with a given key and nonce — for known-answer vectors only: a nonce must
 * never be used twice with one key.
 */
export function encryptRecordWith(
  plaintext: BytesLike,
  context: RecordContext,
  dataKey: Uint8Array,
  nonce: Uint8Array,
): SealedRecord {
  dataKey32(dataKey);
  if (nonce.length !== NONCE_BYTES) throw bad("nonce must be 12 bytes");
  const aad = getBytes(concat([ENVELOPE_AAD_V2, recordContextBytes(context)]));
  const sealed = gcm(dataKey, nonce, aad).encrypt(bytes(plaintext));
  const envelope = getBytes(concat([new Uint8Array([V2]), nonce, sealed]));
  return { envelope, contentHash: contentHashOf(envelope), dataKey };
}

/**
 * Decrypts an envelope with its data key after checking it against the content hash on chain
 * (mandatory: the chain, not the sender, says which ciphertext is the record). Opens version 2
 * (bound to `context`) and version 1 (bound to the record id only). Throws {@link RecordCryptoError}.
 */
export function decryptRecord(
  envelope: BytesLike,
  dataKey: Uint8Array,
  context: RecordContext,
  expectedContentHash: string,
): Uint8Array {
  const env = bytes(envelope);
  dataKey32(dataKey);
  if (!isHexString(expectedContentHash, 32)) throw bad("the content hash from the chain is required (bytes32)");
  if (contentHashOf(env).toLowerCase() !== expectedContentHash.toLowerCase()) {
    throw new RecordCryptoError(
      "content-hash-mismatch",
      "record envelope does not match the content hash on chain (not this record's current version)",
    );
  }
  if (env.length < 1 + NONCE_BYTES + TAG_BYTES || (env[0] !== V1 && env[0] !== V2)) {
    throw new RecordCryptoError("unknown-version", `not a record envelope of version 1 or 2 (first byte ${env[0]})`);
  }
  const nonce = env.subarray(1, 1 + NONCE_BYTES);
  const aad =
    env[0] === V2 ? getBytes(concat([ENVELOPE_AAD_V2, recordContextBytes(context)])) : recordId32(context.recordId);
  try {
    return gcm(dataKey, nonce, aad).decrypt(env.subarray(1 + NONCE_BYTES));
  } catch {
    throw new RecordCryptoError(
      "envelope-authentication",
      "record envelope failed authentication: tampered, wrong data key, or another record " +
        "(chain, contract, patient, record id or key epoch differ)",
    );
  }
}

function keyEncryptionKey(info: Uint8Array, sharedX: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array) {
  return hkdf(sha256, sharedX, getBytes(concat([ephemeral, recipient])), info, KEY_BYTES);
}

/** Wraps a data key for the holder of `recipientPublicKey` (33 bytes compressed) with ECIES, version 2. Hex. */
export function wrapDataKey(dataKey: Uint8Array, recipientPublicKey: BytesLike, context: RecordContext): string {
  return wrapDataKeyWith(
    dataKey,
    recipientPublicKey,
    context,
    secp256k1.utils.randomPrivateKey(),
    randomBytes(NONCE_BYTES),
  );
}

/**
 * {@link wrapDataKey} with a given ephemeral key and nonce — for known-answer vectors only.
 */
export function wrapDataKeyWith(
  dataKey: Uint8Array,
  recipientPublicKey: BytesLike,
  context: RecordContext,
  ephemeralPrivateKey: BytesLike,
  nonce: Uint8Array,
): string {
  dataKey32(dataKey);
  const recipient = compressedPoint(recipientPublicKey);
  if (nonce.length !== NONCE_BYTES) throw bad("nonce must be 12 bytes");
  const ctx = recordContextBytes(context);
  const ephemeralPrivate = bytes(ephemeralPrivateKey);
  const ephemeral = secp256k1.getPublicKey(ephemeralPrivate, true);
  const sharedX = secp256k1.getSharedSecret(ephemeralPrivate, recipient, true).subarray(1);
  const kek = keyEncryptionKey(getBytes(concat([WRAP_INFO_V2, ctx])), sharedX, ephemeral, recipient);
  const header = getBytes(concat([new Uint8Array([V2]), encryptionKeyId(recipient), ephemeral]));
  const wrapped = gcm(kek, nonce, getBytes(concat([header, ctx]))).encrypt(dataKey);
  return hexlify(concat([header, nonce, wrapped]));
}

/** The key id a wrapped key was made for (version 2), or undefined for version 1 (which carries none). */
export function wrappedKeyId(wrapped: BytesLike): string | undefined {
  const w = bytes(wrapped);
  return w[0] === V2 && w.length === WRAP_V2_BYTES ? hexlify(w.subarray(1, 1 + KEY_ID_BYTES)) : undefined;
}

/**
 * Unwraps a data key with the recipient's encryption private key (versions 2 and 1). Throws
 * {@link RecordCryptoError}: "wrapped-to-other-key" when the wrap names another key id (a key the
 * recipient has since rotated away from, or someone else's), else an authentication failure.
 */
export function unwrapDataKey(wrapped: BytesLike, recipientPrivateKey: BytesLike, context: RecordContext): Uint8Array {
  const w = bytes(wrapped);
  const priv = bytes(recipientPrivateKey);
  const recipient = secp256k1.getPublicKey(priv, true);
  if (w.length === WRAP_V2_BYTES && w[0] === V2) {
    const header = w.subarray(0, WRAP_V2_HEADER_BYTES);
    const kid = hexlify(header.subarray(1, 1 + KEY_ID_BYTES));
    const mine = encryptionKeyId(recipient);
    if (kid !== mine) {
      throw new RecordCryptoError(
        "wrapped-to-other-key",
        `the data key was wrapped to encryption key ${kid}, not to yours (${mine}): if that was your previous ` +
          "key, ask the custodian to wrap it again for the key now registered on chain",
      );
    }
    const ephemeral = header.subarray(1 + KEY_ID_BYTES);
    const ctx = recordContextBytes(context);
    const sharedX = sharedXOf(priv, ephemeral);
    const kek = keyEncryptionKey(getBytes(concat([WRAP_INFO_V2, ctx])), sharedX, ephemeral, recipient);
    const nonce = w.subarray(WRAP_V2_HEADER_BYTES, WRAP_V2_HEADER_BYTES + NONCE_BYTES);
    return openWrap(kek, nonce, getBytes(concat([header, ctx])), w.subarray(WRAP_V2_HEADER_BYTES + NONCE_BYTES));
  }
  if (w.length === WRAP_V1_BYTES && w[0] === V1) {
    const recordId = recordId32(context.recordId);
    const ephemeral = w.subarray(1, 1 + PUBLIC_KEY_BYTES);
    const nonce = w.subarray(1 + PUBLIC_KEY_BYTES, 1 + PUBLIC_KEY_BYTES + NONCE_BYTES);
    const info = getBytes(concat([WRAP_INFO_V1, recordId, uint64(context.keyEpoch, "key epoch")]));
    const kek = keyEncryptionKey(info, sharedXOf(priv, ephemeral), ephemeral, recipient);
    return openWrap(kek, nonce, recordId, w.subarray(1 + PUBLIC_KEY_BYTES + NONCE_BYTES));
  }
  throw new RecordCryptoError(
    "unknown-version",
    `not a wrapped key of version 2 (${WRAP_V2_BYTES} bytes) or 1 (${WRAP_V1_BYTES} bytes)`,
  );
}

function sharedXOf(priv: Uint8Array, ephemeral: Uint8Array): Uint8Array {
  try {
    return secp256k1.getSharedSecret(priv, ephemeral, true).subarray(1);
  } catch {
    throw new RecordCryptoError(
      "wrap-authentication",
      "wrapped key is corrupt (its ephemeral key is not a curve point)",
    );
  }
}

function openWrap(kek: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  try {
    return gcm(kek, nonce, aad).decrypt(sealed);
  } catch {
    throw new RecordCryptoError(
      "wrap-authentication",
      "wrapped key failed authentication: tampered, wrong private key, or made for another record " +
        "(chain, contract, patient, record id or key epoch differ)",
    );
  }
}

/** A grantee's whole read: unwrap the data key, check the content hash from the chain, decrypt. */
export function openRecord(args: {
  envelope: BytesLike;
  wrappedKey: BytesLike;
  privateKey: BytesLike;
  context: RecordContext;
  /** RecordAccess.recordOf(patient, recordId).contentHash at the version being read: required. */
  expectedContentHash: string;
}): Uint8Array {
  const dataKey = unwrapDataKey(args.wrappedKey, args.privateKey, args.context);
  return decryptRecord(args.envelope, dataKey, args.context, args.expectedContentHash);
}
