/**
 * The histories the SDK shows — a lot's provenance, a patient's accounting of disclosures, a
 * participant's consent trail, a shipment inbox — from Carechain's indexer (services/indexer,
 * docs/INDEXER.md) when its URL is given, else from the node's event logs in pages of
 * `logPageSize` blocks (RPC providers cap eth_getLogs ranges). Both give the same entries in the
 * same order (test/indexer/sdk.e2e.ts); the indexer answers in one query at any chain length.
 */
import { carechainInterface } from "./contracts";
import { pagedQuery, providerOf } from "./history";
import { getAddress, type BaseContract } from "ethers";
import type { Disclosure } from "./records/history";
import type { ConsentTrailEntry } from "./trials/trail";
import { decodeScope } from "./trials/duo";
import type { SignatureMeaning, WithdrawalChoice } from "./trials/enums";
import { provenanceDetails, type ProvenanceEntry, type ShipmentRecord } from "./supply/provenance";

/** Where a history is read from. */
export interface HistoryOptions {
  /** The indexer's base URL, e.g. http://127.0.0.1:42069: the history is read from it. */
  indexer?: string;
  /** Without an indexer: blocks per eth_getLogs query (default 10,000). */
  logPageSize?: number;
}

export const DEFAULT_LOG_PAGE_SIZE = 10_000;

/**
 * `query(from, to)` (typically `contract.queryFilter(filter, from, to)`) over ranges of `pageSize`
 * blocks from `fromBlock` to `toBlock` (default: the block that was the head when it started),
 * oldest first.
 */
export async function queryLogsPaged<T>(
  contract: BaseContract,
  query: (from: number, to: number) => Promise<T[]>,
  fromBlock: number | string = 0,
  pageSize: number = DEFAULT_LOG_PAGE_SIZE,
  toBlock?: number,
): Promise<T[]> {
  const from = typeof fromBlock === "number" ? fromBlock : Number(BigInt(fromBlock));
  return pagedQuery(providerOf(contract.runner), query, { fromBlock: from, blockRange: pageSize, toBlock });
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const addr = (v: unknown): string => getAddress(String(v));

/** A client of the indexer's /history endpoints (services/indexer/src/api/index.ts). */
export class IndexerClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, "");
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(this.url + path);
    if (!response.ok) throw new Error(`indexer ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** A patient's accounting of disclosures, oldest first. */
  async disclosures(patient: string, fromBlock = 0): Promise<Disclosure[]> {
    const rows = await this.get<Row[]>(`/history/disclosures/${getAddress(patient)}`);
    return rows
      .filter((r) => num(r.blockNumber) >= fromBlock)
      .map((r) => ({
        recordId: String(r.recordId),
        discloser: addr(r.discloser),
        recipient: addr(r.recipient),
        purpose: num(r.purpose),
        at: BigInt(String(r.disclosedAt)),
        blockNumber: num(r.blockNumber),
        transactionHash: String(r.transactionHash),
      }));
  }

  /** A lot's provenance, in chain order, decoded as SupplyClient.provenance decodes logs. */
  async provenance(lotId: string, fromBlock = 0): Promise<ProvenanceEntry[]> {
    const iface = carechainInterface("SupplyChain");
    const rows = await this.get<Row[]>(`/history/provenance/${lotId}`);
    return rows
      .filter((r) => num(r.blockNumber) >= fromBlock)
      .map((r) => {
        const fragment = iface.getEvent(String(r.event) as Parameters<typeof iface.getEvent>[0]);
        if (!fragment) throw new Error(`the indexer returned an unknown event ${String(r.event)}`);
        const args = r.args as Record<string, unknown>;
        const values = fragment.inputs.map((input) => {
          if (input.name === "lotId") return lotId;
          const v = args[input.name];
          if (input.type === "address") return getAddress(String(v));
          if (input.type.startsWith("uint") || input.type.startsWith("int")) return BigInt(String(v));
          return v;
        });
        return {
          blockNumber: num(r.blockNumber),
          logIndex: num(r.logIndex),
          transactionHash: String(r.transactionHash),
          event: fragment.name,
          details: provenanceDetails(fragment, values),
        };
      });
  }

  /** A participant's consent trail with the trial's approved amendments, in chain order. */
  async consentTrail(trialId: string, participant: string, fromBlock = 0): Promise<ConsentTrailEntry[]> {
    const { events, amendments } = await this.get<{ events: Row[]; amendments: Row[] }>(
      `/history/consent/${trialId}/${getAddress(participant)}`,
    );
    const at = (r: Row) => ({
      blockNumber: num(r.blockNumber),
      logIndex: num(r.logIndex),
      transactionHash: String(r.transactionHash),
    });
    const entries: ConsentTrailEntry[] = events.map((r): ConsentTrailEntry => {
      switch (r.kind) {
        case "consent":
          return {
            ...at(r),
            kind: "consent",
            signer: addr(r.signer),
            meaning: num(r.meaning) as SignatureMeaning,
            protocolVersion: num(r.protocolVersion),
            consentFormHash: String(r.consentFormHash),
            scope: decodeScope(num(r.scope)),
            categories: num(r.categories),
            futureContact: Boolean(r.futureContact),
          };
        case "attestation":
          return {
            ...at(r),
            kind: "attestation",
            signer: addr(r.signer),
            meaning: num(r.meaning) as SignatureMeaning,
            site: addr(r.site),
          };
        case "withdrawal":
          return { ...at(r), kind: "withdrawal", by: addr(r.by), choice: num(r.choice) as WithdrawalChoice };
        case "enrollment":
          return { ...at(r), kind: "enrollment", site: addr(r.site), enrolled: num(r.enrolled) };
        default:
          throw new Error(`the indexer returned an unknown consent event kind ${String(r.kind)}`);
      }
    });
    for (const r of amendments) {
      entries.push({
        ...at(r),
        kind: "amendment",
        amendmentId: num(r.amendmentId),
        minVersionAll: num(r.minVersionAll),
        minVersionNew: num(r.minVersionNew),
      });
    }
    return entries
      .filter((e) => e.blockNumber >= fromBlock)
      .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  /** Shipments sent to `to` (optionally of one lot), each with whether it is in transit now. */
  async shipmentsTo(to: string, lotId?: string): Promise<(ShipmentRecord & { inTransit: boolean })[]> {
    const query = lotId ? `?lot=${lotId}` : "";
    const rows = await this.get<Row[]>(`/history/shipments-to/${getAddress(to)}${query}`);
    return rows.map((r) => ({
      shipmentId: String(r.shipmentId),
      lotId: String(r.lotId),
      from: addr(r.from),
      to: addr(r.to),
      quantity: BigInt(String(r.quantity)),
      eventHash: String(r.eventHash),
      blockNumber: num(r.blockNumber),
      inTransit: Boolean(r.inTransit),
    }));
  }
}
