/**
 * The record gateway's wire protocol (services/gateway), in the SDK — the one place that knows
 * encodings. Used by the gateway (server side) and {@link RecordsGatewayClient} (client side).
 * Browser-safe.
 *
 * Both signed structs live in the domain {name: the gateway's name, version "1", chainId,
 * verifyingContract: RecordAccess}; the signer is in each struct (`requester`), so an ERC-1271
 * wallet is named as requester and its owner key signs.
 *
 * - A request for a record:
 *     RecordRequest(address requester, address patient, bytes32 recordId, uint8 purpose,
 *                   bytes32 trialId, bytes32 nonce, uint64 expiry)
 *   trialId is zero unless a trial's researcher asks under the participant's research consent.
 * - Every other signed call (a custodian's upload or update, a search, a Consent query):
 *     GatewayCall(address requester, bytes32 target, bytes32 nonce, uint64 expiry)
 *   with target = keccak256(utf8(METHOD + " " + path-and-query + "\n" + body)), carried in headers.
 *
 * The nonce is random and never accepted twice; the expiry is unix seconds at most
 * {@link GATEWAY_MAX_TTL} ahead of the chain's latest block.
 */
import { ZeroHash, hexlify, keccak256, randomBytes, toUtf8Bytes, type Signer } from "ethers";
import type { EthersTypedData, TypedDataTypes } from "../signatures";

export const GATEWAY_DOMAIN_VERSION = "1";
/** The longest a signed gateway request may live (seconds). */
export const GATEWAY_MAX_TTL = 120;

export const RECORD_REQUEST_TYPES: TypedDataTypes = {
  RecordRequest: [
    { name: "requester", type: "address" },
    { name: "patient", type: "address" },
    { name: "recordId", type: "bytes32" },
    { name: "purpose", type: "uint8" },
    { name: "trialId", type: "bytes32" },
    { name: "nonce", type: "bytes32" },
    { name: "expiry", type: "uint64" },
  ],
};

export const GATEWAY_CALL_TYPES: TypedDataTypes = {
  GatewayCall: [
    { name: "requester", type: "address" },
    { name: "target", type: "bytes32" },
    { name: "nonce", type: "bytes32" },
    { name: "expiry", type: "uint64" },
  ],
};

/** HTTP headers carrying a signed GatewayCall. */
export const GATEWAY_HEADERS = {
  requester: "x-carechain-requester",
  nonce: "x-carechain-nonce",
  expiry: "x-carechain-expiry",
  signature: "x-carechain-signature",
} as const;

/** The gateway's EIP-712 domain. */
export interface GatewayDomain {
  /** The gateway's name (GET /health). */
  name: string;
  chainId: bigint;
  /** The RecordAccess contract. */
  recordAccess: string;
}

/** A request for one record. */
export interface RecordRequest extends Record<string, unknown> {
  requester: string;
  patient: string;
  recordId: string;
  purpose: number;
  /** ZeroHash unless asked under a trial's research consent. */
  trialId: string;
  nonce: string;
  expiry: bigint;
}

/** A signed call's fields. */
export interface GatewayCall extends Record<string, unknown> {
  requester: string;
  target: string;
  nonce: string;
  expiry: bigint;
}

function domainOf(d: GatewayDomain) {
  return { name: d.name, version: GATEWAY_DOMAIN_VERSION, chainId: d.chainId, verifyingContract: d.recordAccess };
}

export function recordRequestTypedData(d: GatewayDomain, request: RecordRequest): EthersTypedData<RecordRequest> {
  return { domain: domainOf(d), types: RECORD_REQUEST_TYPES, primaryType: "RecordRequest", message: request };
}

export function gatewayCallTypedData(d: GatewayDomain, call: GatewayCall): EthersTypedData<GatewayCall> {
  return { domain: domainOf(d), types: GATEWAY_CALL_TYPES, primaryType: "GatewayCall", message: call };
}

/** keccak256(utf8(METHOD + " " + pathAndQuery + "\n" + body)): what a GatewayCall binds. */
export function gatewayTarget(method: string, pathAndQuery: string, body = ""): string {
  return keccak256(toUtf8Bytes(`${method.toUpperCase()} ${pathAndQuery}\n${body}`));
}

/** A fresh random nonce. */
export function gatewayNonce(): string {
  return hexlify(randomBytes(32));
}

/** Signs a request for a record; `requester` defaults to the signer (else an ERC-1271 wallet it owns). */
export async function signRecordRequest(
  signer: Signer,
  d: GatewayDomain,
  fields: { patient: string; recordId: string; purpose: number; trialId?: string; requester?: string },
  /** Unix seconds of the chain's latest block; the request expires `ttl` seconds later. */
  now: number,
  ttl = 60,
): Promise<{ request: RecordRequest; signature: string }> {
  const request: RecordRequest = {
    requester: fields.requester ?? (await signer.getAddress()),
    patient: fields.patient,
    recordId: fields.recordId,
    purpose: fields.purpose,
    trialId: fields.trialId ?? ZeroHash,
    nonce: gatewayNonce(),
    expiry: BigInt(now + Math.min(ttl, GATEWAY_MAX_TTL)),
  };
  const t = recordRequestTypedData(d, request);
  return { request, signature: await signer.signTypedData(t.domain, t.types, t.message) };
}

/** Signs a call to `method pathAndQuery` with `body`; returns its headers. */
export async function signGatewayCall(
  signer: Signer,
  d: GatewayDomain,
  call: { method: string; pathAndQuery: string; body?: string; requester?: string },
  now: number,
  ttl = 60,
): Promise<Record<string, string>> {
  const c: GatewayCall = {
    requester: call.requester ?? (await signer.getAddress()),
    target: gatewayTarget(call.method, call.pathAndQuery, call.body ?? ""),
    nonce: gatewayNonce(),
    expiry: BigInt(now + Math.min(ttl, GATEWAY_MAX_TTL)),
  };
  const t = gatewayCallTypedData(d, c);
  return {
    [GATEWAY_HEADERS.requester]: c.requester,
    [GATEWAY_HEADERS.nonce]: c.nonce,
    [GATEWAY_HEADERS.expiry]: c.expiry.toString(),
    [GATEWAY_HEADERS.signature]: await signer.signTypedData(t.domain, t.types, t.message),
  };
}

/** A RecordRequest as JSON (bigint as a decimal string). */
export function recordRequestToJSON(r: RecordRequest): Record<string, string | number> {
  return { ...r, expiry: r.expiry.toString() } as Record<string, string | number>;
}

/** What GET /health answers. */
export interface GatewayHealth {
  status: "ok";
  name: string;
  chainId: string;
  recordAccess: string;
  custodian: string;
  records: number;
  database: "pglite" | "postgres";
}

/** Which record version a ciphertext is (the RecordContext as JSON). */
export interface RecordContextJSON {
  chainId: string;
  recordAccess: string;
  patient: string;
  recordId: string;
  keyEpoch: string;
}

/** What POST /records/request answers when the chain allows it. */
export interface RecordRelease {
  /** The envelope, base64. */
  envelope: string;
  /** The data key wrapped to the requester's registered encryption key (hex). */
  wrappedKey: string;
  context: RecordContextJSON;
  category: number;
  recordDate: number;
  /** The AccessReason name the chain gave (Granted, BreakGlass, ResearchConsent, Patient, Custodian). */
  reason: string;
  emergency: boolean;
  disclosure: { transactionHash: string; blockNumber: number };
}

/** What a custodian's upload (POST /records) or update (PUT /records/{patient}/{recordId}) answers. */
export interface RecordStored {
  patient: string;
  recordId: string;
  category: number;
  recordDate: number;
  keyEpoch: number;
  contentHash: string;
  transactionHash: string;
  blockNumber: number;
  /** On update: the readers the new key was wrapped for, or why not. */
  wraps?: { reader: string; wrapped: boolean; skipped?: string }[];
}

/** One entry of a search (POST /records/search). */
export interface RecordListing {
  recordId: string;
  category: number;
  categoryName: string;
  recordDate: number;
  keyEpoch: number;
}

/** A refusal's JSON body: `code` is stable; for a chain refusal it is the AccessReason name. */
export interface GatewayErrorBody {
  error: string;
  code: string;
}
