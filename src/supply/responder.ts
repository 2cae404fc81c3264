/**
 * The verification responder's wire protocol, in the SDK (the one place that knows encodings): the
 * EIP-712 request a member signs, the headers that carry it, the GS1 Digital Link path of a pack, and
 * the JSON answers. Used by services/responder (server side) and HttpProofSource (client side).
 * Browser-safe.
 *
 * A request is authorised by a signature of its requester over
 *   ResponderRequest(address requester, bytes32 target, bytes32 nonce, uint64 expiry)
 * in the domain {name: "Carechain Responder", version: "1", chainId, verifyingContract: SupplyChain},
 * where target = keccak256(utf8(METHOD + " " + path-and-query + "\n" + body)) binds the signature to
 * this one request, nonce is random (the responder refuses a nonce twice) and expiry is a unix time
 * at most {@link RESPONDER_MAX_TTL} seconds ahead of the chain's latest block.
 *
 * Sessions (the "or a Sign-In-With-Ethereum session"): a member may POST /session with such
 * a signed request and receive a session id and a 32-byte secret that live until that request's
 * expiry (≤ 120 s). Its later requests carry the session id, a fresh nonce and
 * HMAC-SHA256(secret, target ‖ nonce) instead of an ECDSA signature (the responder's cost per request
 * drops from one secp256k1 recovery, ~2 ms of CPU in JavaScript, to microseconds); expiry, replay,
 * the member's standing at the latest block and the rate limit are checked on every request alike.
 * Run a responder behind TLS: the secret is handed out in the /session answer.
 */
import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";
import {
  TypedDataEncoder,
  getBytes,
  hexlify,
  keccak256,
  randomBytes,
  toUtf8Bytes,
  verifyTypedData,
  type Signer,
} from "ethers";
import type { EthersTypedData, TypedDataTypes } from "../signatures";
import { gtinToString, type UnitStruct } from "./ids";

export const RESPONDER_DOMAIN_NAME = "Carechain Responder";
export const RESPONDER_DOMAIN_VERSION = "1";
/** The longest a signed request may live (seconds). */
export const RESPONDER_MAX_TTL = 120;
/** The GS1 link type a responder answers (GS1 Web Vocabulary). */
export const VERIFICATION_LINK_TYPE = "gs1:verificationService";

export const RESPONDER_REQUEST_TYPES: TypedDataTypes = {
  ResponderRequest: [
    { name: "requester", type: "address" },
    { name: "target", type: "bytes32" },
    { name: "nonce", type: "bytes32" },
    { name: "expiry", type: "uint64" },
  ],
};

/** HTTP headers carrying a signed request. */
export const RESPONDER_HEADERS = {
  requester: "x-carechain-requester",
  nonce: "x-carechain-nonce",
  expiry: "x-carechain-expiry",
  signature: "x-carechain-signature",
} as const;

/** HTTP headers of a request inside a session. */
export const RESPONDER_SESSION_HEADERS = {
  session: "x-carechain-session",
  nonce: "x-carechain-nonce",
  mac: "x-carechain-mac",
} as const;

/** What POST /session answers. */
export interface ResponderSession {
  session: string;
  secret: string;
  requester: string;
  /** Unix seconds (chain time): the signed request's expiry. */
  expiry: number;
}

/** HMAC-SHA256(secret, target ‖ nonce) as 0x-hex: a session request's authenticator. */
export function responderSessionMac(secret: string, target: string, nonce: string): string {
  const message = new Uint8Array(64);
  message.set(getBytes(target), 0);
  message.set(getBytes(nonce), 32);
  return hexlify(hmac(sha256, getBytes(secret), message));
}

/** Headers of a request to `method pathAndQuery` with `body` inside `session`. */
export function sessionRequestHeaders(
  session: ResponderSession,
  method: string,
  pathAndQuery: string,
  body = "",
): Record<string, string> {
  const nonce = hexlify(randomBytes(32));
  return {
    [RESPONDER_SESSION_HEADERS.session]: session.session,
    [RESPONDER_SESSION_HEADERS.nonce]: nonce,
    [RESPONDER_SESSION_HEADERS.mac]: responderSessionMac(
      session.secret,
      responderTarget(method, pathAndQuery, body),
      nonce,
    ),
  };
}

/** A signed request's fields. */
export interface ResponderRequest extends Record<string, unknown> {
  requester: string;
  target: string;
  nonce: string;
  expiry: bigint;
}

/** keccak256(utf8(METHOD + " " + pathAndQuery + "\n" + body)): what a signature binds. */
export function responderTarget(method: string, pathAndQuery: string, body = ""): string {
  return keccak256(toUtf8Bytes(`${method.toUpperCase()} ${pathAndQuery}\n${body}`));
}

/** The typed data of a responder request. */
export function responderRequestTypedData(
  chainId: bigint,
  supplyChain: string,
  request: ResponderRequest,
): EthersTypedData<ResponderRequest> {
  return {
    domain: {
      name: RESPONDER_DOMAIN_NAME,
      version: RESPONDER_DOMAIN_VERSION,
      chainId,
      verifyingContract: supplyChain,
    },
    types: RESPONDER_REQUEST_TYPES,
    primaryType: "ResponderRequest",
    message: request,
  };
}

/** The EIP-712 digest of a request (what an ERC-1271 wallet's isValidSignature receives). */
export function responderRequestDigest(chainId: bigint, supplyChain: string, request: ResponderRequest): string {
  const d = responderRequestTypedData(chainId, supplyChain, request);
  return TypedDataEncoder.hash(d.domain, d.types, d.message);
}

/** The EOA that signed a request (for an ERC-1271 requester, the wallet's owner key, or garbage). */
export function recoverResponderRequest(
  chainId: bigint,
  supplyChain: string,
  request: ResponderRequest,
  signature: string,
): string {
  const d = responderRequestTypedData(chainId, supplyChain, request);
  return verifyTypedData(d.domain, d.types, d.message, signature);
}

/**
 * Signs a request to `method pathAndQuery` with `body` and returns its headers. `requester` is the
 * member's address: the signer's own, or an ERC-1271 wallet whose owner `signer` is.
 */
export async function signResponderRequest(
  signer: Signer,
  options: {
    chainId: bigint;
    supplyChain: string;
    method: string;
    pathAndQuery: string;
    body?: string;
    /** Unix seconds (from the chain's latest block); the request expires `ttl` seconds later. */
    now: number;
    ttl?: number;
    requester?: string;
  },
): Promise<Record<string, string>> {
  const requester = options.requester ?? (await signer.getAddress());
  const request: ResponderRequest = {
    requester,
    target: responderTarget(options.method, options.pathAndQuery, options.body ?? ""),
    nonce: hexlify(randomBytes(32)),
    expiry: BigInt(options.now + Math.min(options.ttl ?? 60, RESPONDER_MAX_TTL)),
  };
  const d = responderRequestTypedData(options.chainId, options.supplyChain, request);
  const signature = await signer.signTypedData(d.domain, d.types, d.message);
  return {
    [RESPONDER_HEADERS.requester]: request.requester,
    [RESPONDER_HEADERS.nonce]: request.nonce,
    [RESPONDER_HEADERS.expiry]: request.expiry.toString(),
    [RESPONDER_HEADERS.signature]: signature,
  };
}

/** The GS1 Digital Link path of one pack, asking for its verification service. */
export function verificationPath(pack: {
  gtin: string | bigint;
  lot: string;
  serial: string;
  expiry?: string;
}): string {
  const gtin = typeof pack.gtin === "bigint" ? gtinToString(pack.gtin) : pack.gtin.padStart(14, "0");
  const q = new URLSearchParams();
  if (pack.expiry) q.set("17", pack.expiry);
  q.set("linkType", VERIFICATION_LINK_TYPE);
  return `/01/${gtin}/10/${encodeURIComponent(pack.lot)}/21/${encodeURIComponent(pack.serial)}?${q.toString()}`;
}

/** A unit as JSON (bigints as decimal strings). */
export interface UnitJSON {
  gtin: string;
  expiry: string;
  index: number;
  serial: string;
  lotNumber: string;
}

export function unitToJSON(unit: UnitStruct): UnitJSON {
  return {
    gtin: gtinToString(BigInt(unit.gtin)),
    expiry: unit.expiry.toString(),
    index: unit.index,
    serial: unit.serial,
    lotNumber: unit.lotNumber,
  };
}

export function unitFromJSON(unit: UnitJSON): UnitStruct {
  return {
    gtin: BigInt(unit.gtin),
    expiry: BigInt(unit.expiry),
    index: unit.index,
    serial: unit.serial,
    lotNumber: unit.lotNumber,
  };
}

/** The lot as the responder holds it and as the chain has it at `blockNumber`. */
export interface ResponderLotJSON {
  lotId: string;
  gtin: string;
  lotNumber: string;
  expiry: string;
  units: number;
  /** The root of the responder's tree. */
  root: string;
  /** The chain's LotStatus name and the root it committed ("0x00…" if no such lot). */
  status: string;
  onChainRoot: string;
}

/** The answer to one pack (GET Digital Link or POST /scan). */
export interface VerificationAnswer {
  pack: { gtin: string; lot: string; serial: string; expiry?: string };
  /** Whether the responder's tree holds the serial (if not, unit.index is 0 and proof empty). */
  found: boolean;
  unit: UnitJSON;
  proof: string[];
  lot: ResponderLotJSON;
  /** verifyUnit(unit, proof, requester) at `blockNumber`. */
  verdict: { answer: number; answerName: string; holder: string; blockNumber: number };
}

/** A proof bundle for a shipment: every unit's proof against the lot's on-chain root. */
export interface ProofBundle {
  format: "carechain-proof-bundle-v1";
  shipmentId: string;
  lot: ResponderLotJSON;
  units: { unit: UnitJSON; proof: string[] }[];
  /** Serials asked for that the lot does not hold. */
  missing: string[];
  blockNumber: number;
}

/** A refusal's JSON body. */
export interface ResponderError {
  error: string;
  code: string;
}
