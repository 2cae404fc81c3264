/**
 * The custodian's record gateway (node:http, no framework): the enforcement point between a
 * requester and a record. Routes:
 *
 *   GET  /health                         unsigned: name, chain, RecordAccess, custodian, records held
 *   POST /records                        the custodian's upload (signed GatewayCall by the custodian):
 *                                        {patient, localId, category, recordDate?, resource}
 *   PUT  /records/{patient}/{recordId}   the custodian's new version: {resource, readers?}
 *   POST /records/request                {request: RecordRequest, signature}: one record, if the chain allows
 *   POST /records/search                 signed GatewayCall: {patient, purpose?} → the records it may read
 *   GET  /fhir/Consent?patient=…         signed GatewayCall: the patient's directives as FHIR R4 Consents
 *
 * A record is a FHIR R4 resource, validated against the FHIR R4 JSON schema, then sealed in a
 * version-2 envelope (src/records/envelope.ts) bound to chain, RecordAccess, patient, record id and
 * key epoch; its data key is kept wrapped to the gateway's own encryption key. Its on-chain id is
 * recordIdOf(random salt, localId), the salt kept beside it.
 *
 * A request is checked at the chain's latest block — signature (EOA, or ERC-1271 isValidSignature),
 * expiry (≤ 120 s ahead), nonce (never twice: every answered call's nonce — record request, upload,
 * update, search, Consent — is kept in the database, so a replay is refused after a restart too), then canAccess (canAccessForResearch with a trial id),
 * and the requester's registered encryption key. A refusal names the AccessReason and changes
 * nothing: no transaction, no database row. When allowed, the disclosure is logged on chain
 * (logDisclosure) BEFORE anything is released, the key is wrapped (wrapForAllowedReaders) for the
 * requester only if the chain still allows it at the disclosure's block, and the envelope, wrapped
 * key and context are returned. Log lines carry method, path, status and code — never a body.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Contract, ZeroHash, getAddress, isAddress, isHexString, verifyTypedData, type Signer } from "ethers";
import { RecordAccess__factory } from "../../../typechain-types";
import type { RecordAccess } from "../../../typechain-types";
import { describeError } from "../../../src/errors";
import {
  AccessReason,
  Purpose,
  RecordCategory,
  RecordCryptoError,
  encryptRecord,
  encryptionPublicKeyOf,
  newSalt,
  recordIdOf,
  unwrapDataKey,
  updateRecordVersion,
  wrapDataKey,
  wrapForAllowedReaders,
  type RecordContext,
} from "../../../src/records";
import {
  GATEWAY_HEADERS,
  GATEWAY_MAX_TTL,
  gatewayCallTypedData,
  gatewayTarget,
  recordRequestTypedData,
  type GatewayDomain,
  type GatewayHealth,
  type RecordListing,
  type RecordRelease,
  type RecordRequest,
  type RecordStored,
} from "../../../src/records/gatewayTypes";
import { typedDataDigest } from "../../../src/signatures";
import { consentsOf } from "../../../src/records/fhirConsent";
import { FhirValidationError, validateFhirResource, warmFhirValidator } from "./fhir";
import type { RecordStore, StoredRecord } from "./store";
import { listen, sendJson } from "../../lib/http";

const ERC1271_MAGIC = "0x1626ba7e";
const BODY_LIMIT = 16 << 20;

export interface GatewayOptions {
  store: RecordStore;
  /** The custodian's account (a PROVIDER member), connected to the chain: it registers and discloses. */
  custodian: Signer;
  recordAccess: string;
  /** The gateway's own secp256k1 encryption private key: data keys are kept wrapped to it. */
  encryptionPrivateKey: string;
  /** The EIP-712 domain name requests are signed in (default "Carechain Record Gateway"). */
  name?: string;
  /** 0 = any free port. */
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A running gateway. */
export interface Gateway {
  url: string;
  name: string;
  server: http.Server;
  close(): Promise<void>;
}

interface Block {
  number: number;
  timestamp: number;
}

const CATEGORY_NAMES = Object.fromEntries(Object.entries(RecordCategory).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { store, custodian } = options;
  const provider = custodian.provider;
  if (!provider) throw new Error("the custodian's signer must be connected to a provider");
  const records = RecordAccess__factory.connect(options.recordAccess, custodian) as RecordAccess;
  const reader = records.connect(provider) as RecordAccess;
  const custodianAddress = getAddress(await custodian.getAddress());
  const { chainId } = await provider.getNetwork();
  const recordAccess = getAddress(options.recordAccess);
  const name = options.name ?? "Carechain Record Gateway";
  const domain: GatewayDomain = { name, chainId, recordAccess };
  const ownKey = encryptionPublicKeyOf(options.encryptionPrivateKey);
  const log = options.log ?? (() => undefined);
  warmFhirValidator();

  /** The custodian's transactions, one at a time (one account, one nonce sequence). */
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  async function latest(): Promise<Block> {
    const b = await provider!.getBlock("latest");
    if (!b) throw new HttpError(503, "chain_unavailable", "the node returned no latest block");
    return { number: b.number, timestamp: b.timestamp };
  }

  /** Nonces of requests being handled or answered (requester:nonce → expiry); served ones also in the database. */
  const seen = new Map<string, number>();

  /** Signature (EOA or ERC-1271), expiry, nonce: the requester, or an HttpError. */
  async function authenticate(
    requester: string,
    nonce: string,
    expiry: number,
    digestOf: () => string,
    recover: () => string,
    signature: string,
    block: Block,
  ): Promise<void> {
    if (expiry <= block.timestamp)
      throw new HttpError(401, "expired", `the request expired at ${expiry} (latest block: ${block.timestamp})`);
    if (expiry > block.timestamp + GATEWAY_MAX_TTL)
      throw new HttpError(401, "expiry_too_far", `a request may live at most ${GATEWAY_MAX_TTL} s`);
    let valid = false;
    try {
      valid = recover() === requester;
    } catch {
      valid = false;
    }
    if (!valid && (await provider!.getCode(requester, block.number)) !== "0x") {
      const wallet = new Contract(
        requester,
        ["function isValidSignature(bytes32,bytes) view returns (bytes4)"],
        provider,
      );
      try {
        const magic: string = await wallet.isValidSignature(digestOf(), signature, { blockTag: block.number });
        valid = magic.toLowerCase() === ERC1271_MAGIC;
      } catch {
        valid = false;
      }
    }
    if (!valid)
      throw new HttpError(
        401,
        "bad_signature",
        `the signature is not ${requester}'s over this request (EOA or ERC-1271)`,
      );
    const key = `${requester.toLowerCase()}:${nonce.toLowerCase()}`;
    if (seen.has(key) || (await store.nonceUsed(requester, nonce)))
      throw new HttpError(401, "replayed", "this request (nonce) was already used");
    if (seen.size > 10_000) for (const [k, e] of seen) if (e < block.timestamp) seen.delete(k);
    seen.set(key, expiry);
  }

  function header(req: http.IncomingMessage, h: string): string | undefined {
    const v = req.headers[h];
    return Array.isArray(v) ? v[0] : v;
  }

  /** A signed GatewayCall in the headers: its requester and the latest block. */
  async function authenticateCall(
    req: http.IncomingMessage,
    body: string,
  ): Promise<{ requester: string; block: Block; nonce: string; expiry: number }> {
    const requesterRaw = header(req, GATEWAY_HEADERS.requester);
    const nonce = header(req, GATEWAY_HEADERS.nonce);
    const expiryRaw = header(req, GATEWAY_HEADERS.expiry);
    const signature = header(req, GATEWAY_HEADERS.signature);
    if (!requesterRaw || !nonce || !expiryRaw || !signature)
      throw new HttpError(401, "unsigned", "a signed request is required (x-carechain-* headers)");
    if (!isAddress(requesterRaw)) throw new HttpError(401, "bad_requester", "the requester is not an address");
    if (!isHexString(nonce, 32)) throw new HttpError(401, "bad_nonce", "the nonce must be 32 bytes hex");
    if (!/^\d{1,15}$/.test(expiryRaw)) throw new HttpError(401, "bad_expiry", "the expiry must be unix seconds");
    if (!/^0x([0-9a-fA-F]{2})*$/.test(signature)) throw new HttpError(401, "bad_signature", "malformed signature");
    const requester = getAddress(requesterRaw);
    const expiry = Number(expiryRaw);
    const call = {
      requester,
      target: gatewayTarget(req.method ?? "GET", req.url ?? "/", body),
      nonce: nonce.toLowerCase(),
      expiry: BigInt(expiry),
    };
    const typed = gatewayCallTypedData(domain, call);
    const block = await latest();
    await authenticate(
      requester,
      call.nonce,
      expiry,
      () => typedDataDigest(typed),
      () => verifyTypedData(typed.domain, typed.types, typed.message, signature),
      signature,
      block,
    );
    return { requester, block, nonce: call.nonce, expiry };
  }

  function parseJSON(body: string): Record<string, unknown> {
    try {
      const v = JSON.parse(body) as unknown;
      if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new HttpError(400, "bad_json", "the body must be a JSON object");
  }

  function address(v: unknown, what: string): string {
    if (typeof v !== "string" || !isAddress(v)) throw new HttpError(400, "bad_request", `${what} must be an address`);
    return getAddress(v);
  }

  function bytes32(v: unknown, what: string): string {
    if (typeof v !== "string" || !isHexString(v, 32))
      throw new HttpError(400, "bad_request", `${what} must be bytes32`);
    return v.toLowerCase();
  }

  function contextOf(r: StoredRecord, keyEpoch = r.keyEpoch): RecordContext {
    return { chainId, recordAccess, patient: getAddress(r.patient), recordId: r.recordId, keyEpoch };
  }

  function describe(e: unknown): string {
    return describeError(e, [records.interface]);
  }

  /** The FHIR resource in `input.resource`, validated and serialised (or a 422 naming what is wrong). */
  function fhirOf(input: Record<string, unknown>): { resourceType: string; plaintext: Uint8Array } {
    try {
      const resourceType = validateFhirResource(input.resource);
      return { resourceType, plaintext: new TextEncoder().encode(JSON.stringify(input.resource)) };
    } catch (e) {
      if (e instanceof FhirValidationError) throw new HttpError(422, "invalid_fhir", e.message);
      throw e;
    }
  }

  async function upload(req: http.IncomingMessage, body: string): Promise<[number, RecordStored]> {
    const call = await authenticateCall(req, body);
    if (call.requester !== custodianAddress)
      throw new HttpError(403, "not_custodian", `only the custodian ${custodianAddress} uploads to this gateway`);
    const input = parseJSON(body);
    const patient = address(input.patient, "patient");
    if (typeof input.localId !== "string" || input.localId.length === 0 || input.localId.length > 256)
      throw new HttpError(400, "bad_request", "localId must be a non-empty string (≤ 256 characters)");
    const category =
      typeof input.category === "string"
        ? RecordCategory[input.category as keyof typeof RecordCategory]
        : input.category;
    if (typeof category !== "number" || CATEGORY_NAMES[category] === undefined)
      throw new HttpError(400, "bad_request", `category must be one of ${Object.keys(RecordCategory).join(", ")}`);
    const recordDate = input.recordDate === undefined ? call.block.timestamp : Number(input.recordDate);
    if (!Number.isInteger(recordDate) || recordDate <= 0 || recordDate > call.block.timestamp)
      throw new HttpError(400, "bad_request", "recordDate must be unix seconds, not after the latest block");
    const { resourceType, plaintext } = fhirOf(input);
    if (await store.hasLocalId(patient, input.localId))
      throw new HttpError(409, "record_exists", "this gateway already holds a record of that local id for the patient");
    const salt = newSalt();
    const recordId = recordIdOf(salt, input.localId).toLowerCase();
    const context: RecordContext = { chainId, recordAccess, patient, recordId, keyEpoch: 0 };
    const sealed = encryptRecord(plaintext, context);
    const stored: StoredRecord = {
      patient,
      recordId,
      localId: input.localId,
      salt,
      category,
      recordDate,
      resourceType,
      keyEpoch: 0,
      contentHash: sealed.contentHash,
      envelope: sealed.envelope,
      wrappedKey: wrapDataKey(sealed.dataKey, ownKey, context),
    };
    sealed.dataKey.fill(0);
    // Validate the transaction first (a refusal leaves no row), then keep the row before it is sent.
    try {
      await records.registerRecord.staticCall(patient, recordId, category, sealed.contentHash, recordDate);
    } catch (e) {
      throw new HttpError(409, "chain_refused", `the chain refused the record: ${describe(e)}`);
    }
    await store.insert(stored);
    let receipt;
    try {
      receipt = await serially(async () =>
        (await records.registerRecord(patient, recordId, category, sealed.contentHash, recordDate)).wait(),
      );
    } catch (e) {
      await store.remove(patient, recordId);
      throw new HttpError(409, "chain_refused", `the chain refused the record: ${describe(e)}`);
    }
    await store.useNonce(call.requester, call.nonce, call.expiry, call.block.timestamp);
    return [
      201,
      {
        patient,
        recordId,
        category,
        recordDate,
        keyEpoch: 0,
        contentHash: sealed.contentHash,
        transactionHash: receipt!.hash,
        blockNumber: receipt!.blockNumber,
      },
    ];
  }

  async function update(
    req: http.IncomingMessage,
    body: string,
    patientRaw: string,
    idRaw: string,
  ): Promise<[number, RecordStored]> {
    const call = await authenticateCall(req, body);
    if (call.requester !== custodianAddress)
      throw new HttpError(
        403,
        "not_custodian",
        `only the custodian ${custodianAddress} updates this gateway's records`,
      );
    const patient = address(patientRaw, "patient");
    const recordId = bytes32(idRaw, "record id");
    const input = parseJSON(body);
    const stored = await store.get(patient, recordId);
    if (!stored) throw new HttpError(404, "unknown_record", "this gateway holds no such record of the patient");
    const readers =
      input.readers === undefined ? undefined : (input.readers as unknown[]).map((r) => address(r, "reader"));
    const { resourceType, plaintext } = fhirOf(input);
    let version;
    try {
      version = await serially(() => updateRecordVersion(records, { patient, recordId, plaintext, readers }));
    } catch (e) {
      throw new HttpError(
        409,
        "chain_refused",
        `the chain refused the update: ${e instanceof RecordCryptoError ? e.message : describe(e)}`,
      );
    }
    const keyEpoch = Number(version.context.keyEpoch);
    await store.replaceVersion(patient, recordId, {
      resourceType,
      keyEpoch,
      contentHash: version.sealed.contentHash,
      envelope: version.sealed.envelope,
      wrappedKey: wrapDataKey(version.sealed.dataKey, ownKey, version.context),
    });
    version.sealed.dataKey.fill(0);
    await store.useNonce(call.requester, call.nonce, call.expiry, call.block.timestamp);
    return [
      200,
      {
        patient,
        recordId,
        category: stored.category,
        recordDate: stored.recordDate,
        keyEpoch,
        contentHash: version.sealed.contentHash,
        transactionHash: version.receipt.hash,
        blockNumber: version.receipt.blockNumber,
        wraps: version.wraps.map((w) => ({
          reader: w.reader,
          wrapped: w.wrappedKey !== undefined,
          skipped: w.skipped,
        })),
      },
    ];
  }

  /** The chain's answer for a request at `blockTag`: [allowed, reason name]. */
  async function access(r: RecordRequest, blockTag: number): Promise<[boolean, string]> {
    const [allowed, reason] =
      r.trialId === ZeroHash
        ? await reader.canAccess(r.patient, r.requester, r.recordId, r.purpose, { blockTag })
        : await reader.canAccessForResearch(r.trialId, r.patient, r.requester, r.recordId, { blockTag });
    return [allowed, AccessReason[Number(reason)] ?? String(reason)];
  }

  function parseRequest(body: string): { request: RecordRequest; signature: string } {
    const input = parseJSON(body);
    const r = (input.request ?? {}) as Record<string, unknown>;
    if (typeof input.signature !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(input.signature))
      throw new HttpError(401, "bad_signature", "malformed signature");
    const purpose = Number(r.purpose);
    if (!Number.isInteger(purpose) || purpose < 0 || purpose > 255)
      throw new HttpError(400, "bad_request", "purpose must be a purpose code (uint8)");
    if (typeof r.expiry !== "string" && typeof r.expiry !== "number")
      throw new HttpError(401, "bad_expiry", "the expiry must be unix seconds");
    if (!/^\d{1,15}$/.test(String(r.expiry))) throw new HttpError(401, "bad_expiry", "the expiry must be unix seconds");
    const request: RecordRequest = {
      requester: address(r.requester, "requester"),
      patient: address(r.patient, "patient"),
      recordId: bytes32(r.recordId, "record id"),
      purpose,
      trialId: r.trialId === undefined ? ZeroHash : bytes32(r.trialId, "trial id"),
      nonce: bytes32(r.nonce, "nonce"),
      expiry: BigInt(String(r.expiry)),
    };
    return { request, signature: input.signature };
  }

  async function requestRecord(body: string): Promise<[number, RecordRelease]> {
    const { request, signature } = parseRequest(body);
    const typed = recordRequestTypedData(domain, request);
    const block = await latest();
    await authenticate(
      request.requester,
      request.nonce,
      Number(request.expiry),
      () => typedDataDigest(typed),
      () => verifyTypedData(typed.domain, typed.types, typed.message, signature),
      signature,
      block,
    );
    const nonceKey = `${request.requester.toLowerCase()}:${request.nonce}`;
    const stored = await store.get(request.patient, request.recordId);
    if (!stored) throw new HttpError(404, "unknown_record", "this gateway holds no such record of the patient");
    if (request.trialId !== ZeroHash && request.purpose !== Purpose.Research)
      throw new HttpError(400, "bad_request", "a request under a trial's research consent has purpose Research");
    const [allowed, reason] = await access(request, block.number);
    if (!allowed)
      throw new HttpError(
        403,
        reason,
        `the chain refuses ${request.requester} this record at block ${block.number}: ${reason}`,
      );
    const key = await reader.encryptionKeyOf(request.requester, { blockTag: block.number });
    if (key === "0x")
      throw new HttpError(409, "no_encryption_key", `${request.requester} has registered no encryption key on chain`);
    // The disclosure goes on chain before anything is released.
    let receipt;
    try {
      receipt = await serially(async () =>
        (await records.logDisclosure(request.patient, request.recordId, request.requester, request.purpose)).wait(),
      );
    } catch (e) {
      seen.delete(nonceKey);
      throw new HttpError(409, "chain_refused", `the disclosure could not be logged: ${describe(e)}`);
    }
    const at = receipt!.blockNumber;
    // Still allowed at the disclosure's block (a revocation mined in between wins), key wrapped then.
    const context = contextOf(stored);
    const dataKey = unwrapDataKey(stored.wrappedKey, options.encryptionPrivateKey, context);
    let wrappedKey: string | undefined;
    const [stillAllowed, reasonThen] = await access(request, at);
    if (stillAllowed) {
      if (request.trialId === ZeroHash) {
        const [w] = await wrapForAllowedReaders(reader, dataKey, context, [request.requester], at, [request.purpose]);
        wrappedKey = w.wrappedKey;
      } else {
        const keyThen = await reader.encryptionKeyOf(request.requester, { blockTag: at });
        if (keyThen !== "0x") wrappedKey = wrapDataKey(dataKey, keyThen, context);
      }
    }
    dataKey.fill(0);
    const emergency = reasonThen === "BreakGlass";
    await store.useNonce(request.requester, request.nonce, Number(request.expiry), block.timestamp);
    await store.logDisclosure({
      patient: request.patient,
      recordId: request.recordId,
      recipient: request.requester,
      purpose: request.purpose,
      reason: stillAllowed ? reasonThen : `withheld:${reasonThen}`,
      emergency,
      transactionHash: receipt!.hash,
      blockNumber: at,
    });
    if (!wrappedKey)
      throw new HttpError(403, reasonThen, `access ended at block ${at} before the record was released: ${reasonThen}`);
    return [
      200,
      {
        envelope: Buffer.from(stored.envelope).toString("base64"),
        wrappedKey,
        context: {
          chainId: chainId.toString(),
          recordAccess,
          patient: context.patient,
          recordId: stored.recordId,
          keyEpoch: String(stored.keyEpoch),
        },
        category: stored.category,
        recordDate: stored.recordDate,
        reason: reasonThen,
        emergency,
        disclosure: { transactionHash: receipt!.hash, blockNumber: at },
      },
    ];
  }

  async function search(
    req: http.IncomingMessage,
    body: string,
  ): Promise<[number, { records: RecordListing[]; blockNumber: number }]> {
    const call = await authenticateCall(req, body);
    const input = parseJSON(body);
    const patient = address(input.patient, "patient");
    const purpose = input.purpose === undefined ? Purpose.Treatment : Number(input.purpose);
    if (!Number.isInteger(purpose) || purpose < 0 || purpose > 255)
      throw new HttpError(400, "bad_request", "purpose must be a purpose code (uint8)");
    const held = await store.ofPatient(patient);
    const answers = await Promise.all(
      held.map((r) => reader.canAccess(patient, call.requester, r.recordId, purpose, { blockTag: call.block.number })),
    );
    // Answered: its nonce is kept in the database, so a replay is refused after a restart too.
    await store.useNonce(call.requester, call.nonce, call.expiry, call.block.timestamp);
    return [
      200,
      {
        records: held
          .filter((_, i) => answers[i][0])
          .map((r) => ({
            recordId: r.recordId,
            category: r.category,
            categoryName: CATEGORY_NAMES[r.category],
            recordDate: r.recordDate,
            keyEpoch: r.keyEpoch,
          })),
        blockNumber: call.block.number,
      },
    ];
  }

  async function consent(req: http.IncomingMessage, url: URL): Promise<[number, unknown]> {
    const call = await authenticateCall(req, "");
    const patient = address(url.searchParams.get("patient"), "patient");
    const bundle = await consentsOf(reader, patient, {
      trials: url.searchParams.getAll("trial").map((t) => bytes32(t, "trial")),
    });
    await store.useNonce(call.requester, call.nonce, call.expiry, call.block.timestamp);
    return [200, bundle];
  }

  async function route(req: http.IncomingMessage, body: string): Promise<[number, unknown]> {
    const url = new URL(req.url ?? "/", "http://gateway");
    const method = req.method ?? "GET";
    const p = url.pathname;
    if (method === "GET" && p === "/health") {
      const health: GatewayHealth = {
        status: "ok",
        name,
        chainId: chainId.toString(),
        recordAccess,
        custodian: custodianAddress,
        records: await store.count(),
        database: store.db.kind,
      };
      return [200, health];
    }
    if (method === "POST" && p === "/records") return upload(req, body);
    if (method === "POST" && p === "/records/request") return requestRecord(body);
    if (method === "POST" && p === "/records/search") return search(req, body);
    if (method === "GET" && p === "/fhir/Consent") return consent(req, url);
    const m = /^\/records\/([^/]+)\/([^/]+)$/.exec(p);
    if (method === "PUT" && m) return update(req, body, m[1], m[2]);
    throw new HttpError(404, "not_found", `no route ${method} ${p}`);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0];
      const done = (status: number, json: unknown, code = "ok") => {
        log(`${req.method} ${path} ${status} ${code}`);
        sendJson(res, status, json);
      };
      if (tooLarge) return done(413, { error: `the body exceeds ${BODY_LIMIT} bytes`, code: "too_large" }, "too_large");
      route(req, Buffer.concat(chunks).toString("utf8"))
        .then(([status, json]) => done(status, json))
        .catch((e: unknown) => {
          if (e instanceof HttpError) return done(e.status, { error: e.message, code: e.code }, e.code);
          // Unexpected: the message may not be ours to repeat (it could quote input); the log gets its class only.
          log(`internal error: ${(e as Error)?.name ?? typeof e}`);
          done(500, { error: "internal error", code: "internal" }, "internal");
        });
    });
  });
  const { url, close } = await listen(server, options.port, options.host);
  return { url, name, server, close };
}
