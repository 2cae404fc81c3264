/**
 * A pharmacy's (or wholesaler's) way to a manufacturer's verification responder: signed requests for
 * one pack's proof, a scan, or a shipment's proof bundle. Browser-safe (global fetch, ethers Signer).
 *
 * SupplyClient.verifyPack/dispense take a synchronous {@link ProofSource}; an HTTP source is
 * asynchronous, so {@link HttpProofSource.sourceFor} fetches the one proof a scan needs first and
 * hands back a ProofSource that answers it:
 *
 *   const responder = await HttpProofSource.connect(url, pharmacySigner, supplyAddress);
 *   const v = await client.verifyPack(scan, await responder.sourceFor(scan), pharmacy);
 *
 * The chain stays the judge: the client sends the proof to verifyUnit/dispense itself, and the
 * responder's own verdict is informative only.
 */
import type { Signer } from "ethers";
import { parsePack, type PackIdentity } from "../gs1/elementString";
import type { ProofSource } from "./client";
import type { UnitStruct } from "./ids";
import {
  RESPONDER_MAX_TTL,
  sessionRequestHeaders,
  signResponderRequest,
  type ResponderSession,
  unitFromJSON,
  verificationPath,
  type ProofBundle,
  type ResponderError,
  type VerificationAnswer,
} from "./responder";
import { verifyUnitProof } from "./serials";

/** A proof source that must ask someone (a responder) and so answers asynchronously, per pack. */
export interface AsyncProofSource {
  proofForPack(pack: PackIdentity): Promise<{ unit: UnitStruct; proof: string[] } | undefined>;
}

/** A responder's refusal (HTTP status, machine code, message). */
export class ResponderRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`responder refused (${status} ${code}): ${message}`);
    this.name = "ResponderRequestError";
  }
}

export interface HttpProofSourceOptions {
  chainId: bigint;
  /** The SupplyChain address (the signature domain's verifyingContract). */
  supplyChain: string;
  /** The member address when it is an ERC-1271 wallet that `signer` owns (default: the signer's). */
  requester?: string;
  /** Seconds a request lives (≤ 120; default 60). */
  ttl?: number;
  /** Unix seconds now (default: the latest block's timestamp from the signer's provider). */
  now?: () => Promise<number>;
  fetch?: typeof fetch;
  /**
   * Sign once per session (POST /session, renewed before it expires) and authenticate each request
   * with the session's HMAC instead of a signature per request. Default false.
   */
  session?: boolean;
}

export class HttpProofSource implements AsyncProofSource {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    readonly signer: Signer,
    readonly options: HttpProofSourceOptions,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    if ((options.ttl ?? 60) > RESPONDER_MAX_TTL) throw new RangeError(`ttl is at most ${RESPONDER_MAX_TTL} s`);
  }

  /** A source for `baseUrl` whose chain id comes from the signer's provider. */
  static async connect(
    baseUrl: string,
    signer: Signer,
    supplyChain: string,
    options: Partial<HttpProofSourceOptions> = {},
  ): Promise<HttpProofSource> {
    if (!signer.provider) throw new Error("the signer needs a provider");
    const { chainId } = await signer.provider.getNetwork();
    return new HttpProofSource(baseUrl, signer, { chainId, supplyChain, ...options });
  }

  private async now(): Promise<number> {
    if (this.options.now) return this.options.now();
    const block = await this.signer.provider?.getBlock("latest");
    if (!block) throw new Error("no latest block to date the request");
    return block.timestamp;
  }

  private session?: ResponderSession;

  /** The current session, opened (or renewed when < 15 s of it are left) with a signed request. */
  async openSession(): Promise<ResponderSession> {
    const now = await this.now();
    if (!this.session || this.session.expiry - now < 15) {
      this.session = await this.send<ResponderSession>(
        "POST",
        "/session",
        "",
        await this.signedHeaders("POST", "/session", "", now),
      );
    }
    return this.session;
  }

  private async signedHeaders(method: string, pathAndQuery: string, body: string, now?: number) {
    return signResponderRequest(this.signer, {
      chainId: this.options.chainId,
      supplyChain: this.options.supplyChain,
      method,
      pathAndQuery,
      body,
      now: now ?? (await this.now()),
      ttl: this.options.ttl,
      requester: this.options.requester,
    });
  }

  /** Sends an authenticated request and parses its JSON answer (a refusal throws ResponderRequestError). */
  async request<T>(method: "GET" | "POST", pathAndQuery: string, body?: string): Promise<T> {
    const headers = this.options.session
      ? sessionRequestHeaders(await this.openSession(), method, pathAndQuery, body ?? "")
      : await this.signedHeaders(method, pathAndQuery, body ?? "");
    return this.send<T>(method, pathAndQuery, body, headers);
  }

  private async send<T>(
    method: string,
    pathAndQuery: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<T> {
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(this.baseUrl + pathAndQuery, {
      method,
      headers: { ...headers, ...(body !== undefined ? { "content-type": "text/plain; charset=utf-8" } : {}) },
      body,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ResponderRequestError(response.status, "bad_response", text.slice(0, 200));
    }
    if (!response.ok) {
      const e = json as ResponderError;
      throw new ResponderRequestError(response.status, e.code ?? "error", e.error ?? text);
    }
    return json as T;
  }

  /** The responder's answer for one pack, asked as a GS1 Digital Link (linkType=gs1:verificationService). */
  async verify(scannedOrPack: string | PackIdentity): Promise<VerificationAnswer> {
    const pack = typeof scannedOrPack === "string" ? parsePack(scannedOrPack) : scannedOrPack;
    return this.request<VerificationAnswer>("GET", verificationPath(pack));
  }

  /** The responder's answer for a raw scan string (any form the SDK parses). */
  async scan(scanned: string): Promise<VerificationAnswer> {
    return this.request<VerificationAnswer>("POST", "/scan", scanned);
  }

  /**
   * The proofs of `serials` of one lot for shipment `shipmentId` (the requester must be its sender or
   * recipient); each proof is checked here against the lot's on-chain root before it is returned.
   */
  async bundle(shipmentId: string, gtin: string, lot: string, serials: readonly string[]): Promise<ProofBundle> {
    const bundle = await this.request<ProofBundle>(
      "POST",
      "/bundle",
      JSON.stringify({ shipmentId, gtin, lot, serials }),
    );
    const bad = verifyProofBundle(bundle);
    if (bad.length > 0) throw new Error(`bundle proofs do not lead to the on-chain root: ${bad.join(", ")}`);
    return bundle;
  }

  async proofForPack(pack: PackIdentity): Promise<{ unit: UnitStruct; proof: string[] } | undefined> {
    const answer = await this.verify(pack);
    if (!answer.found) return undefined;
    return { unit: unitFromJSON(answer.unit), proof: answer.proof };
  }

  /** A synchronous ProofSource holding the proof of the pack `scanned` (for SupplyClient). */
  async sourceFor(scanned: string): Promise<ProofSource> {
    const pack = parsePack(scanned);
    const found = await this.proofForPack(pack);
    return fixedProofSource(pack.serial, found);
  }
}

/** A ProofSource that knows one serial's proof (or knows the serial is not in the lot). */
export function fixedProofSource(
  serial: string,
  found: { unit: UnitStruct; proof: string[] } | undefined,
): ProofSource {
  return { proofFor: (s: string) => (s === serial ? found : undefined) };
}

/** A ProofSource over a proof bundle (offline verification of a received shipment). */
export function bundleProofSource(bundle: ProofBundle): ProofSource {
  const bySerial = new Map(bundle.units.map((u) => [u.unit.serial, { unit: unitFromJSON(u.unit), proof: u.proof }]));
  return { proofFor: (s: string) => bySerial.get(s) };
}

/** The serials of a bundle whose proofs do NOT lead to the lot's on-chain root (empty = all good). */
export function verifyProofBundle(bundle: ProofBundle): string[] {
  const root = bundle.lot.onChainRoot;
  return bundle.units.filter((u) => !verifyUnitProof(unitFromJSON(u.unit), u.proof, root)).map((u) => u.unit.serial);
}
