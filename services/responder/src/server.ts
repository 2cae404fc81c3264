/**
 * The verification responder's HTTP server (node:http, no framework). Routes:
 *
 *   GET  /health                                       unsigned: status, lots held, chain, database
 *   GET  /01/{gtin}/10/{lot}/21/{serial}?17=YYMMDD&linkType=gs1:verificationService
 *                                                      one pack (GS1 Digital Link); linkType=all → linkset
 *   POST /scan        body: the raw scan (any form the SDK parses)   one pack
 *   POST /bundle      body: {"shipmentId","gtin","lot","serials":[…]}  the shipment's proofs
 *
 * Every route but /health needs a signed request (src/supply/responder.ts): the signature (EOA or
 * ERC-1271 wallet), its expiry (≤ 120 s ahead of the latest block), its nonce (never twice) and the
 * requester's standing at the latest block (MemberRegistry.hasActiveRole for MANUFACTURER,
 * WHOLESALER, DISPENSER or REGULATOR) are checked before anything is looked up. Refusals are JSON
 * {error, code} with 400/401/403/404/413/429. Each answer carries the chain's verifyUnit verdict for
 * the requester at that block. The serial list is never served: a requester must name each serial.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Contract, getAddress, isAddress, type Provider } from "ethers";
import { MemberRegistry__factory, SupplyChain__factory } from "../../../typechain-types";
import type { MemberRegistry, SupplyChain } from "../../../typechain-types";
import { GS1Error } from "../../../src/gs1/checkDigit";
import { parsePack, type PackIdentity } from "../../../src/gs1/elementString";
import { Role } from "../../../src/roles";
import { LotStatus } from "../../../src/supply/enums";
import { lotIdOf, unitOf } from "../../../src/supply/ids";
import { unitCheckName } from "../../../src/supply/client";
import {
  RESPONDER_HEADERS,
  RESPONDER_MAX_TTL,
  RESPONDER_SESSION_HEADERS,
  VERIFICATION_LINK_TYPE,
  recoverResponderRequest,
  responderRequestDigest,
  responderTarget,
  unitToJSON,
  type ProofBundle,
  type ResponderLotJSON,
  type ResponderRequest,
  type ResponderSession,
  type VerificationAnswer,
} from "../../../src/supply/responder";
import type { StoredLot, TreeStore } from "./store";
import { listen, sendJson } from "../../lib/http";

/** The roles that may ask for proofs. */
export const TRADING_ROLES = ["MANUFACTURER", "WHOLESALER", "DISPENSER", "REGULATOR"] as const;
const ERC1271_MAGIC = "0x1626ba7e";

export interface ResponderOptions {
  store: TreeStore;
  provider: Provider;
  supplyChain: string;
  /** 0 = any free port. */
  port?: number;
  host?: string;
  /** Requests per second per member (token bucket refill) and burst (default 50/s, 100). */
  ratePerSecond?: number;
  rateBurst?: number;
  /** Most serials in one bundle (default 10,000). */
  bundleMax?: number;
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

interface ChainView {
  blockNumber: number;
  timestamp: number;
  hash: string;
}

/** A running responder. */
export interface Responder {
  url: string;
  server: http.Server;
  /** Milliseconds summed over requests: total handling, authentication, proof lookup, chain calls. */
  timing(): { requests: number; total: number; auth: number; answers: number; lookup: number; chain: number };
  close(): Promise<void>;
}

export async function startResponder(options: ResponderOptions): Promise<Responder> {
  const { store, provider } = options;
  const supply = SupplyChain__factory.connect(options.supplyChain, provider) as SupplyChain;
  const registry = MemberRegistry__factory.connect(await supply.registry(), provider) as MemberRegistry;
  const { chainId } = await provider.getNetwork();
  const supplyChain = getAddress(options.supplyChain);
  const ratePerSecond = options.ratePerSecond ?? 50;
  const rateBurst = options.rateBurst ?? 100;
  const bundleMax = options.bundleMax ?? 10_000;

  // Per-block caches: everything asked "at the latest block" is asked once per block.
  let blockCache: ChainView | undefined;
  const memberCache = new Map<string, Promise<boolean>>();
  const lotCache = new Map<string, Promise<ISupplyLot>>();
  const codeCache = new Map<string, Promise<boolean>>();
  // Keyed by block hash: a reorganisation (or a test's snapshot revert) never reuses a stale answer.
  // Concurrent requests share one in-flight fetch of the latest block (it is the latest as of that
  // fetch, which started after each of them arrived).
  let inFlight: Promise<ChainView> | undefined;
  function latest(): Promise<ChainView> {
    inFlight ??= fetchLatest().finally(() => (inFlight = undefined));
    return inFlight;
  }
  async function fetchLatest(): Promise<ChainView> {
    const block = await provider.getBlock("latest");
    if (!block?.hash) throw new HttpError(503, "chain_unavailable", "the node returned no latest block");
    if (blockCache?.hash !== block.hash) {
      blockCache = { blockNumber: block.number, timestamp: block.timestamp, hash: block.hash };
      memberCache.clear();
      lotCache.clear();
      codeCache.clear();
    }
    return blockCache;
  }

  const nonces = new Map<string, number>(); // requester:nonce → expiry
  const buckets = new Map<string, { tokens: number; at: number }>();

  function pruneNonces(now: number): void {
    if (nonces.size < 10_000) return;
    for (const [k, expiry] of nonces) if (expiry < now) nonces.delete(k);
    for (const [k, session] of sessions) if (session.expiry < now) sessions.delete(k);
  }

  function takeToken(requester: string): number | undefined {
    const now = performance.now() / 1000;
    const b = buckets.get(requester) ?? { tokens: rateBurst, at: now };
    b.tokens = Math.min(rateBurst, b.tokens + (now - b.at) * ratePerSecond);
    b.at = now;
    buckets.set(requester, b);
    if (b.tokens < 1) return Math.ceil((1 - b.tokens) / ratePerSecond);
    b.tokens -= 1;
    return undefined;
  }

  async function isContract(address: string): Promise<boolean> {
    let p = codeCache.get(address);
    if (!p) {
      p = provider.getCode(address).then((c) => c !== "0x");
      codeCache.set(address, p);
    }
    return p;
  }

  async function isTradingMember(address: string, blockTag: number): Promise<boolean> {
    let p = memberCache.get(address);
    if (!p) {
      p = Promise.all(TRADING_ROLES.map((r) => registry.hasActiveRole(Role[r], address, { blockTag }))).then((a) =>
        a.some(Boolean),
      );
      memberCache.set(address, p);
      p.catch(() => memberCache.delete(address));
    }
    return p;
  }

  /** Where request time goes (ms, summed): see Responder.timing. */
  const timing = { requests: 0, total: 0, auth: 0, answers: 0, lookup: 0, chain: 0 };

  const sessions = new Map<string, { requester: string; secret: Buffer; expiry: number }>();

  function header(req: http.IncomingMessage, name: string): string | undefined {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  /** Authenticates (session MAC or signature), then checks replay, standing and rate. */
  async function authorise(
    req: http.IncomingMessage,
    body: string,
  ): Promise<{ requester: string; view: ChainView; expiry: number }> {
    const started = performance.now();
    try {
      return await authenticate(req, body);
    } finally {
      timing.auth += performance.now() - started;
    }
  }

  async function authenticate(
    req: http.IncomingMessage,
    body: string,
  ): Promise<{ requester: string; view: ChainView; expiry: number }> {
    const id = header(req, RESPONDER_SESSION_HEADERS.session);
    if (id === undefined) return authoriseSigned(req, body);
    const session = sessions.get(id);
    const nonce = header(req, RESPONDER_SESSION_HEADERS.nonce);
    const mac = header(req, RESPONDER_SESSION_HEADERS.mac);
    const viewing = latest();
    viewing.catch(() => undefined);
    if (!session) throw new HttpError(401, "unknown_session", "no such session (open one with a signed POST /session)");
    if (!nonce || !/^0x[0-9a-fA-F]{64}$/.test(nonce))
      throw new HttpError(401, "bad_nonce", "the nonce must be 32 bytes hex");
    if (!mac || !/^0x[0-9a-fA-F]{64}$/.test(mac)) throw new HttpError(401, "bad_mac", "the MAC must be 32 bytes hex");
    const target = responderTarget(req.method ?? "GET", req.url ?? "/", body);
    const expected = crypto
      .createHmac("sha256", session.secret)
      .update(Buffer.concat([Buffer.from(target.slice(2), "hex"), Buffer.from(nonce.slice(2), "hex")]))
      .digest();
    if (!crypto.timingSafeEqual(expected, Buffer.from(mac.slice(2), "hex")))
      throw new HttpError(401, "bad_mac", "the MAC is not this session's over this request");
    const view = await viewing;
    if (session.expiry <= view.timestamp) {
      sessions.delete(id);
      throw new HttpError(401, "expired", `the session expired at ${session.expiry} (latest block: ${view.timestamp})`);
    }
    await standing(session.requester, nonce.toLowerCase(), session.expiry, view);
    return { requester: session.requester, view, expiry: session.expiry };
  }

  /** Replay, membership at the latest block, rate limit. */
  async function standing(requester: string, nonce: string, expiry: number, view: ChainView): Promise<void> {
    const key = `${requester}:${nonce}`;
    if (nonces.has(key)) throw new HttpError(401, "replayed", "this request (nonce) was already answered");
    pruneNonces(view.timestamp);
    nonces.set(key, expiry);
    if (!(await isTradingMember(requester, view.blockNumber)))
      throw new HttpError(
        403,
        "not_a_trading_member",
        `${requester} is not an active member with a trading role (${TRADING_ROLES.join(", ")}) at block ${view.blockNumber}`,
      );
    const wait = takeToken(requester);
    if (wait !== undefined) throw new HttpError(429, "rate_limited", `too many requests; retry in ${wait} s`);
  }

  /** Checks a request's signature, expiry, nonce, standing and rate; returns the requester and block. */
  async function authoriseSigned(
    req: http.IncomingMessage,
    body: string,
  ): Promise<{ requester: string; view: ChainView; expiry: number }> {
    const h = (name: string) => header(req, name);
    const requesterRaw = h(RESPONDER_HEADERS.requester);
    const nonce = h(RESPONDER_HEADERS.nonce);
    const expiryRaw = h(RESPONDER_HEADERS.expiry);
    const signature = h(RESPONDER_HEADERS.signature);
    if (!requesterRaw || !nonce || !expiryRaw || !signature)
      throw new HttpError(401, "unsigned", "a signed request is required (x-carechain-* headers)");
    if (!isAddress(requesterRaw)) throw new HttpError(401, "bad_requester", "the requester is not an address");
    if (!/^0x[0-9a-fA-F]{64}$/.test(nonce)) throw new HttpError(401, "bad_nonce", "the nonce must be 32 bytes hex");
    if (!/^\d{1,20}$/.test(expiryRaw)) throw new HttpError(401, "bad_expiry", "the expiry must be unix seconds");
    if (!/^0x([0-9a-fA-F]{2})*$/.test(signature)) throw new HttpError(401, "bad_signature", "malformed signature");
    const requester = getAddress(requesterRaw);
    const expiry = Number(expiryRaw);
    const viewing = latest(); // in flight while the signature is recovered
    viewing.catch(() => undefined);
    const request: ResponderRequest = {
      requester,
      target: responderTarget(req.method ?? "GET", req.url ?? "/", body),
      nonce: nonce.toLowerCase(),
      expiry: BigInt(expiry),
    };
    let valid = false;
    try {
      valid = recoverResponderRequest(chainId, supplyChain, request, signature) === requester;
    } catch {
      valid = false;
    }
    const view = await viewing;
    if (expiry <= view.timestamp)
      throw new HttpError(401, "expired", `the request expired at ${expiry} (latest block: ${view.timestamp})`);
    if (expiry > view.timestamp + RESPONDER_MAX_TTL)
      throw new HttpError(401, "expiry_too_far", `a request may live at most ${RESPONDER_MAX_TTL} s`);
    if (!valid && (await isContract(requester))) {
      const wallet = new Contract(
        requester,
        ["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"],
        provider,
      );
      try {
        const magic: string = await wallet.isValidSignature(
          responderRequestDigest(chainId, supplyChain, request),
          signature,
          { blockTag: view.blockNumber },
        );
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
    await standing(requester, request.nonce, expiry, view);
    return { requester, view, expiry };
  }

  interface ISupplyLot {
    status: bigint;
    serialsRoot: string;
  }

  async function lotJSON(stored: StoredLot, blockTag: number): Promise<ResponderLotJSON> {
    let p = lotCache.get(stored.lotId);
    if (!p) {
      p = supply.lotOf(stored.lotId, { blockTag }).then((l) => ({ status: l.status, serialsRoot: l.serialsRoot }));
      lotCache.set(stored.lotId, p);
      p.catch(() => lotCache.delete(stored.lotId));
    }
    const onChain = await p;
    return {
      lotId: stored.lotId,
      gtin: stored.gtin,
      lotNumber: stored.lotNumber,
      expiry: stored.expiry,
      units: stored.units,
      root: stored.root,
      status: LotStatus[Number(onChain.status)] ?? String(onChain.status),
      onChainRoot: onChain.serialsRoot,
    };
  }

  function held(pack: { gtin: string; lot: string }) {
    const lotId = lotIdOf(pack.gtin, pack.lot);
    const entry = store.get(lotId);
    if (!entry) throw new HttpError(404, "unknown_lot", `this responder holds no lot ${pack.lot} of GTIN ${pack.gtin}`);
    return entry;
  }

  async function answerPack(pack: PackIdentity, requester: string, view: ChainView): Promise<VerificationAnswer> {
    const t0 = performance.now();
    const { lot, file } = held(pack);
    const found = file.proofFor(pack.serial);
    const unit = unitOf(pack, found?.unit.index ?? 0);
    const proof = found?.proof ?? [];
    const t1 = performance.now();
    const [lotInfo, answer] = await Promise.all([
      lotJSON(lot, view.blockNumber),
      supply.verifyUnit(unit, proof, requester, { blockTag: view.blockNumber }),
    ]);
    timing.lookup += t1 - t0;
    timing.chain += performance.now() - t1;
    timing.answers++;
    return {
      pack,
      found: found !== undefined,
      unit: unitToJSON(unit),
      proof,
      lot: lotInfo,
      verdict: {
        answer: Number(answer),
        answerName: unitCheckName(answer),
        holder: requester,
        blockNumber: view.blockNumber,
      },
    };
  }

  async function answerBundle(body: string, requester: string, view: ChainView): Promise<ProofBundle> {
    let input: { shipmentId?: unknown; gtin?: unknown; lot?: unknown; serials?: unknown };
    try {
      input = JSON.parse(body);
    } catch {
      throw new HttpError(400, "bad_request", "the body must be JSON {shipmentId, gtin, lot, serials}");
    }
    const { shipmentId, gtin, lot, serials } = input;
    if (
      typeof shipmentId !== "string" ||
      !/^0x[0-9a-fA-F]{64}$/.test(shipmentId) ||
      typeof gtin !== "string" ||
      typeof lot !== "string" ||
      !Array.isArray(serials) ||
      !serials.every((s) => typeof s === "string")
    )
      throw new HttpError(400, "bad_request", "the body must be JSON {shipmentId, gtin, lot, serials: string[]}");
    if (serials.length > bundleMax)
      throw new HttpError(413, "bundle_too_large", `a bundle holds at most ${bundleMax} serials`);
    const entry = held({ gtin, lot });
    // The shipment must exist on chain and the requester must be its sender or recipient.
    const [sent, received] = await Promise.all([
      supply.queryFilter(supply.filters.ShipmentSent(entry.lot.lotId, requester), 0, view.blockNumber),
      supply.queryFilter(supply.filters.ShipmentSent(entry.lot.lotId, undefined, requester), 0, view.blockNumber),
    ]);
    const shipment = [...sent, ...received].find((l) => l.args.shipmentId.toLowerCase() === shipmentId.toLowerCase());
    if (!shipment)
      throw new HttpError(403, "not_your_shipment", `no shipment ${shipmentId} of this lot from or to ${requester}`);
    if (serials.length > Number(shipment.args.quantity))
      throw new HttpError(
        413,
        "bundle_too_large",
        `shipment ${shipmentId} carries ${shipment.args.quantity} units, not ${serials.length}`,
      );
    const units: ProofBundle["units"] = [];
    const missing: string[] = [];
    for (const serial of serials as string[]) {
      const found = entry.file.proofFor(serial);
      if (found) units.push({ unit: unitToJSON(found.unit), proof: found.proof });
      else missing.push(serial);
    }
    return {
      format: "carechain-proof-bundle-v1",
      shipmentId,
      lot: await lotJSON(entry.lot, view.blockNumber),
      units,
      missing,
      blockNumber: view.blockNumber,
    };
  }

  function linkset(pathAndQuery: string): unknown {
    const anchor = pathAndQuery.split("?")[0];
    return {
      linkset: [
        {
          anchor,
          [`https://gs1.org/voc/${VERIFICATION_LINK_TYPE.slice(4)}`]: [
            {
              href: anchor,
              title: "Carechain verification responder (signed request required)",
              type: "application/json",
            },
          ],
        },
      ],
    };
  }

  async function handle(req: http.IncomingMessage, body: string): Promise<[number, unknown]> {
    const started = performance.now();
    try {
      return await route(req, body);
    } finally {
      timing.total += performance.now() - started;
      timing.requests++;
    }
  }

  async function route(req: http.IncomingMessage, body: string): Promise<[number, unknown]> {
    const url = new URL(req.url ?? "/", "http://responder");
    if (req.method === "GET" && url.pathname === "/health") {
      const view = await latest();
      return [
        200,
        {
          status: "ok",
          lots: store.lots().length,
          chainId: chainId.toString(),
          supplyChain,
          blockNumber: view.blockNumber,
          database: store.db.kind,
        },
      ];
    }
    if (req.method === "GET" && url.pathname.startsWith("/01/")) {
      const linkType = url.searchParams.get("linkType") ?? VERIFICATION_LINK_TYPE;
      if (linkType === "all") return [200, linkset(req.url ?? "/")];
      if (linkType !== VERIFICATION_LINK_TYPE)
        throw new HttpError(404, "unknown_link_type", `this resolver answers linkType=${VERIFICATION_LINK_TYPE}`);
      const { requester, view } = await authorise(req, body);
      let pack: PackIdentity;
      try {
        pack = parsePack(`http://responder${req.url}`);
      } catch (e) {
        throw new HttpError(400, "bad_digital_link", (e as Error).message);
      }
      return [200, await answerPack(pack, requester, view)];
    }
    if (req.method === "POST" && url.pathname === "/scan") {
      const { requester, view } = await authorise(req, body);
      let pack: PackIdentity;
      try {
        pack = parsePack(body.replace(/\\x1d|<GS>/g, "\u001d"));
      } catch (e) {
        throw new HttpError(400, "bad_scan", (e as Error).message);
      }
      return [200, await answerPack(pack, requester, view)];
    }
    if (req.method === "POST" && url.pathname === "/session") {
      if (header(req, RESPONDER_SESSION_HEADERS.session) !== undefined)
        throw new HttpError(401, "unsigned", "a session is opened with a signed request, not from another session");
      const { requester, expiry } = await authorise(req, body);
      const session: ResponderSession = {
        session: "0x" + crypto.randomBytes(32).toString("hex"),
        secret: "0x" + crypto.randomBytes(32).toString("hex"),
        requester,
        expiry,
      };
      sessions.set(session.session, { requester, secret: Buffer.from(session.secret.slice(2), "hex"), expiry });
      return [200, session];
    }
    if (req.method === "POST" && url.pathname === "/bundle") {
      const { requester, view } = await authorise(req, body);
      return [200, await answerBundle(body, requester, view)];
    }
    throw new HttpError(404, "not_found", `no route ${req.method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 4 << 20) {
        sendJson(res, 413, { error: "request body over 4 MiB", code: "body_too_large" });
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      handle(req, Buffer.concat(chunks).toString("utf8"))
        .then(([status, json]) => sendJson(res, status, json))
        .catch((e: unknown) => {
          if (e instanceof HttpError) sendJson(res, e.status, { error: e.message, code: e.code });
          else if (e instanceof GS1Error) sendJson(res, 400, { error: e.message, code: "bad_request" });
          else {
            options.log?.(`error: ${(e as Error).stack ?? e}`);
            sendJson(res, 500, { error: "internal error", code: "internal" });
          }
        });
    });
  });
  server.keepAliveTimeout = 65_000; // longer than clients keep idle sockets (a close while a client reuses one fails its request)
  server.headersTimeout = 66_000;
  const { url, close } = await listen(server, options.port, options.host);
  return { url, server, timing: () => ({ ...timing }), close };
}
