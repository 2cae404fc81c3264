/**
 * The client side of a custodian's record gateway (services/gateway): request a record and decrypt
 * it; for the custodian, upload and update. Every call is signed by the client's key (EOA, or the
 * owner key of an ERC-1271 wallet named as `requester`). Decryption checks the envelope against the
 * content hash RecordAccess has at the disclosure's block (mandatory). Browser-safe (fetch, ethers).
 */
import { getAddress, type Provider, type Signer } from "ethers";
import type { RecordAccess } from "../../typechain-types";
import { connectContract } from "../contracts";
import { openRecord, type RecordContext } from "./envelope";
import {
  signGatewayCall,
  signRecordRequest,
  recordRequestToJSON,
  type GatewayDomain,
  type GatewayErrorBody,
  type GatewayHealth,
  type RecordListing,
  type RecordRelease,
  type RecordStored,
} from "./gatewayTypes";

/** A refusal by the gateway: `code` is stable (the AccessReason name for a chain refusal). */
export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GatewayRequestError";
  }
}

export interface RecordsGatewayClientOptions {
  /** The account requests are made for: an ERC-1271 wallet the signer owns (default: the signer). */
  requester?: string;
  /** The client's encryption private key (whose public key it registered on chain), to decrypt. */
  encryptionPrivateKey?: string;
  /** Lifetime of a signed request, seconds (≤ 120; default 60). */
  ttl?: number;
}

export class RecordsGatewayClient {
  private constructor(
    readonly url: string,
    readonly signer: Signer,
    readonly domain: GatewayDomain,
    readonly health: GatewayHealth,
    private readonly records: RecordAccess,
    private readonly options: RecordsGatewayClientOptions,
  ) {}

  /** Connects to the gateway at `url` (reads its name, chain and RecordAccess from /health). */
  static async connect(
    url: string,
    signer: Signer,
    options: RecordsGatewayClientOptions = {},
  ): Promise<RecordsGatewayClient> {
    const base = url.replace(/\/$/, "");
    const provider = signer.provider as Provider;
    if (!provider) throw new Error("the signer must be connected to a provider");
    const health = (await (await fetch(`${base}/health`)).json()) as GatewayHealth;
    const { chainId } = await provider.getNetwork();
    if (BigInt(health.chainId) !== chainId)
      throw new Error(`the gateway is on chain ${health.chainId}, the signer on ${chainId}`);
    const domain: GatewayDomain = { name: health.name, chainId, recordAccess: getAddress(health.recordAccess) };
    const records: RecordAccess = connectContract("RecordAccess", domain.recordAccess, provider);
    return new RecordsGatewayClient(base, signer, domain, health, records, options);
  }

  private async now(): Promise<number> {
    return (await this.signer.provider!.getBlock("latest"))!.timestamp;
  }

  private async call<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers = await signGatewayCall(
      this.signer,
      this.domain,
      { method, pathAndQuery, body: text, requester: this.options.requester },
      await this.now(),
      this.options.ttl,
    );
    return this.send<T>(method, pathAndQuery, text, headers);
  }

  private async send<T>(method: string, path: string, text: string, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: method === "GET" ? undefined : text,
    });
    const json = (await res.json()) as T | GatewayErrorBody;
    if (!res.ok) {
      const e = json as GatewayErrorBody;
      throw new GatewayRequestError(res.status, e.code, e.error);
    }
    return json as T;
  }

  /** Asks for one record (signed RecordRequest). Throws {@link GatewayRequestError} when refused. */
  async request(args: {
    patient: string;
    recordId: string;
    purpose: number;
    trialId?: string;
  }): Promise<RecordRelease> {
    const { request, signature } = await signRecordRequest(
      this.signer,
      this.domain,
      { ...args, requester: this.options.requester },
      await this.now(),
      this.options.ttl,
    );
    return this.send<RecordRelease>(
      "POST",
      "/records/request",
      JSON.stringify({ request: recordRequestToJSON(request), signature }),
    );
  }

  /** Opens a release: unwraps the key, checks the content hash on chain at the disclosure's block, decrypts. */
  async open(release: RecordRelease): Promise<Uint8Array> {
    if (!this.options.encryptionPrivateKey) throw new Error("an encryption private key is needed to decrypt");
    const context: RecordContext = {
      chainId: BigInt(release.context.chainId),
      recordAccess: release.context.recordAccess,
      patient: release.context.patient,
      recordId: release.context.recordId,
      keyEpoch: BigInt(release.context.keyEpoch),
    };
    if (context.chainId !== this.domain.chainId || getAddress(context.recordAccess) !== this.domain.recordAccess)
      throw new Error("the release is for another deployment");
    const onChain = await this.records.recordOf(context.patient, context.recordId, {
      blockTag: release.disclosure.blockNumber,
    });
    return openRecord({
      envelope: Buffer.from(release.envelope, "base64"),
      wrappedKey: release.wrappedKey,
      privateKey: this.options.encryptionPrivateKey,
      context,
      expectedContentHash: onChain.contentHash,
    });
  }

  /** request + open + JSON.parse: the FHIR resource. */
  async read(args: { patient: string; recordId: string; purpose: number; trialId?: string }): Promise<{
    resource: Record<string, unknown>;
    release: RecordRelease;
  }> {
    const release = await this.request(args);
    const resource = JSON.parse(new TextDecoder().decode(await this.open(release))) as Record<string, unknown>;
    return { resource, release };
  }

  /** The records of `patient` the chain lets this requester read for `purpose` (ids, categories, dates). */
  async search(patient: string, purpose?: number): Promise<RecordListing[]> {
    return (await this.call<{ records: RecordListing[] }>("POST", "/records/search", { patient, purpose })).records;
  }

  /** The patient's directives as a FHIR R4 Bundle of Consent resources. */
  async consents(patient: string, trials: readonly string[] = []): Promise<Record<string, unknown>> {
    const q = new URLSearchParams({ patient });
    for (const t of trials) q.append("trial", t);
    return this.call("GET", `/fhir/Consent?${q.toString()}`);
  }

  /** The custodian's upload of a FHIR resource as a new record of `patient`. */
  async upload(args: {
    patient: string;
    localId: string;
    category: number | string;
    resource: Record<string, unknown>;
    recordDate?: number;
  }): Promise<RecordStored> {
    return this.call<RecordStored>("POST", "/records", args);
  }

  /** The custodian's new version of a record (new key; wrapped only for readers the chain allows). */
  async update(args: {
    patient: string;
    recordId: string;
    resource: Record<string, unknown>;
    readers?: string[];
  }): Promise<RecordStored> {
    return this.call<RecordStored>("PUT", `/records/${getAddress(args.patient)}/${args.recordId}`, {
      resource: args.resource,
      readers: args.readers,
    });
  }
}
