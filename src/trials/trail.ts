import type { ClinicalTrials } from "../../typechain-types";
import { SignatureMeaning, WithdrawalChoice } from "./enums";
import { decodeScope, DuoCode } from "./duo";
import { IndexerClient, queryLogsPaged, type HistoryOptions } from "../indexer";

/** One entry of a participant's consent trail, in chain order. */
export type ConsentTrailEntry = {
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
} & (
  | {
      kind: "consent";
      signer: string;
      meaning: SignatureMeaning;
      protocolVersion: number;
      consentFormHash: string;
      scope: DuoCode[];
      categories: number;
      futureContact: boolean;
    }
  | { kind: "attestation"; signer: string; meaning: SignatureMeaning; site: string }
  | { kind: "withdrawal"; by: string; choice: WithdrawalChoice }
  | { kind: "enrollment"; site: string; enrolled: number }
  | { kind: "amendment"; amendmentId: number; minVersionAll: number; minVersionNew: number }
);

/**
 * A participant's full consent trail in a trial — every consent signature, attestation,
 * withdrawal and enrollment, and the trial's approved amendments (which may have made a consent
 * stale: compare its protocol version with the minimum versions) — read from indexed events (trialId and participant are topics, so the
 * node filters; nothing is scanned client-side). `fromBlock` defaults to 0. From the indexer when
 * `options.indexer` is its URL, else from the node's logs in pages of `options.logPageSize` blocks.
 */
export async function consentTrail(
  trials: ClinicalTrials,
  trialId: string,
  participant: string,
  fromBlock = 0,
  options: HistoryOptions = {},
): Promise<ConsentTrailEntry[]> {
  if (options.indexer) return new IndexerClient(options.indexer).consentTrail(trialId, participant, fromBlock);
  const paged = <T>(query: (a: number, b: number) => Promise<T[]>) =>
    queryLogsPaged(trials, query, fromBlock, options.logPageSize);
  const f = trials.filters;
  const [signed, attested, withdrawn, enrolled, amended] = await Promise.all([
    paged((a, b) => trials.queryFilter(f.ConsentSigned(trialId, participant), a, b)),
    paged((a, b) => trials.queryFilter(f.ConsentAttested(trialId, participant), a, b)),
    paged((a, b) => trials.queryFilter(f.ConsentWithdrawn(trialId, participant), a, b)),
    paged((a, b) => trials.queryFilter(f.ParticipantEnrolled(trialId, participant), a, b)),
    paged((a, b) => trials.queryFilter(f.AmendmentApproved(trialId), a, b)),
  ]);
  const at = (e: { blockNumber: number; index: number; transactionHash: string }) => ({
    blockNumber: e.blockNumber,
    logIndex: e.index,
    transactionHash: e.transactionHash,
  });
  const entries: ConsentTrailEntry[] = [
    ...signed.map((e) => ({
      ...at(e),
      kind: "consent" as const,
      signer: e.args.signer,
      meaning: Number(e.args.meaning) as SignatureMeaning,
      protocolVersion: Number(e.args.protocolVersion),
      consentFormHash: e.args.consentFormHash,
      scope: decodeScope(e.args.scope),
      categories: Number(e.args.categories),
      futureContact: e.args.futureContact,
    })),
    ...attested.map((e) => ({
      ...at(e),
      kind: "attestation" as const,
      signer: e.args.signer,
      meaning: Number(e.args.meaning) as SignatureMeaning,
      site: e.args.site,
    })),
    ...withdrawn.map((e) => ({
      ...at(e),
      kind: "withdrawal" as const,
      by: e.args.by,
      choice: Number(e.args.choice) as WithdrawalChoice,
    })),
    ...enrolled.map((e) => ({
      ...at(e),
      kind: "enrollment" as const,
      site: e.args.site,
      enrolled: Number(e.args.enrolled),
    })),
    ...amended.map((e) => ({
      ...at(e),
      kind: "amendment" as const,
      amendmentId: Number(e.args.amendmentId),
      minVersionAll: Number(e.args.minVersionAll),
      minVersionNew: Number(e.args.minVersionNew),
    })),
  ];
  return entries.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}
