/**
 * A patient's history, rebuilt from RecordAccess events with indexed filters (the patient is the
 * first indexed topic of every event used here) — never by scanning the chain.
 */
import type { RecordAccess } from "../../typechain-types";
import type { GrantTerms } from "./typedData";
import { IndexerClient, queryLogsPaged, type HistoryOptions } from "../indexer";

/** One entry of a patient's accounting of disclosures (HIPAA §164.528). */
export interface Disclosure {
  recordId: string;
  /** The provider that disclosed. */
  discloser: string;
  recipient: string;
  /** Purpose of use code (src/categories.ts Purpose). */
  purpose: number;
  /** Unix seconds. */
  at: bigint;
  blockNumber: number;
  transactionHash: string;
}

/** A grant that is neither revoked nor expired, as the events say. */
export type ActiveGrant = GrantTerms & {
  grantee: string;
  /** Who granted: the patient or its guardian. */
  grantedBy: string;
  /** The patient's epoch at grant time. */
  epoch: bigint;
  /** False while the grant's validFrom is still ahead. */
  inEffect: boolean;
};

/**
 * The patient's accounting of disclosures, oldest first: from the indexer when `options.indexer`
 * is its URL, else from the node's logs in pages of `options.logPageSize` blocks.
 */
export async function accountingOfDisclosures(
  records: RecordAccess,
  patient: string,
  fromBlock: number = 0,
  options: HistoryOptions = {},
): Promise<Disclosure[]> {
  if (options.indexer) return new IndexerClient(options.indexer).disclosures(patient, fromBlock);
  const filter = records.filters.DisclosureLogged(patient);
  const logs = await queryLogsPaged(
    records,
    (a, b) => records.queryFilter(filter, a, b),
    fromBlock,
    options.logPageSize,
  );
  return logs.map((log) => ({
    recordId: log.args.recordId,
    discloser: log.args.discloser,
    recipient: log.args.recipient,
    purpose: Number(log.args.purpose),
    at: log.args.disclosedAt,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
  }));
}

/**
 * The patient's grants that still count or will (not revoked, not superseded by a revokeAll,
 * not made by a guardian since replaced or removed, not expired at `now`), rebuilt by replaying
 * AccessGranted, AccessRevoked, AllAccessRevoked and GuardianSet in chain order. `now` defaults to
 * the latest block's timestamp. The logs are read from `fromBlock` (the deployment's block; default
 * 0) to `toBlock` (default the latest) in pages of `logPageSize` blocks (RPC providers cap ranges).
 */
export async function activeGrants(
  records: RecordAccess,
  patient: string,
  options: { fromBlock?: number; toBlock?: number; now?: bigint; logPageSize?: number } = {},
): Promise<ActiveGrant[]> {
  const paged = <T>(query: (from: number, to: number) => Promise<T[]>) =>
    queryLogsPaged(records, query, options.fromBlock ?? 0, options.logPageSize, options.toBlock);
  const f = records.filters;
  const [granted, revoked, revokedAll, guardianSet] = await Promise.all([
    paged((a, b) => records.queryFilter(f.AccessGranted(patient), a, b)),
    paged((a, b) => records.queryFilter(f.AccessRevoked(patient), a, b)),
    paged((a, b) => records.queryFilter(f.AllAccessRevoked(patient), a, b)),
    paged((a, b) => records.queryFilter(f.GuardianSet(patient), a, b)),
  ]);
  type Step = { block: number; index: number; apply: (state: Map<string, ActiveGrant>) => void };
  const steps: Step[] = [
    ...granted.map((log) => ({
      block: log.blockNumber,
      index: log.index,
      apply: (state: Map<string, ActiveGrant>) => {
        const t = log.args.terms;
        state.set(log.args.grantee.toLowerCase(), {
          grantee: log.args.grantee,
          grantedBy: log.args.actor,
          categories: Number(t.categories),
          actions: Number(t.actions),
          purposes: Number(t.purposes),
          validFrom: t.validFrom,
          validUntil: t.validUntil,
          dataFrom: t.dataFrom,
          dataUntil: t.dataUntil,
          epoch: log.args.epoch,
          inEffect: false,
        });
      },
    })),
    ...revoked.map((log) => ({
      block: log.blockNumber,
      index: log.index,
      apply: (state: Map<string, ActiveGrant>) => void state.delete(log.args.grantee.toLowerCase()),
    })),
    ...revokedAll.map((log) => ({
      block: log.blockNumber,
      index: log.index,
      apply: (state: Map<string, ActiveGrant>) => state.clear(),
    })),
    // Naming, replacing or removing the guardian ends every grant a guardian made (a new guardian epoch).
    ...guardianSet.map((log) => ({
      block: log.blockNumber,
      index: log.index,
      apply: (state: Map<string, ActiveGrant>) => {
        for (const [k, g] of state) if (g.grantedBy.toLowerCase() !== patient.toLowerCase()) state.delete(k);
      },
    })),
  ];
  steps.sort((a, b) => a.block - b.block || a.index - b.index);
  const state = new Map<string, ActiveGrant>();
  for (const s of steps) s.apply(state);
  let now = options.now;
  if (now === undefined) {
    const block = await records.runner?.provider?.getBlock("latest");
    if (!block) throw new Error("activeGrants needs a provider or an explicit `now`");
    now = BigInt(block.timestamp);
  }
  const at = now;
  return [...state.values()].filter((g) => g.validUntil >= at).map((g) => ({ ...g, inEffect: g.validFrom <= at }));
}
