/**
 * The custodian's side of forward-only revocation, in one operation each: a new version of a record
 * is encrypted under a new data key bound to the epoch it will have, registered on chain, and its key
 * wrapped only for the readers the chain allows at the block that registered it — never for a
 * revoked, expired, denied or category-less grantee, and never with a stale epoch.
 * Browser-safe (ethers contracts only).
 */
import type { ContractTransactionReceipt } from "ethers";
import type { RecordAccess } from "../../typechain-types";
import { Purpose } from "../categories";
import { activeGrants } from "./history";
import { encryptRecord, wrapDataKey, type RecordContext, type SealedRecord, RecordCryptoError } from "./envelope";

/** A data key wrapped for one reader, or why that reader got none. */
export interface WrapOutcome {
  reader: string;
  /** The wrapped key (hex), when the chain allows `reader` and it has an encryption key. */
  wrappedKey?: string;
  /** Why no key was wrapped: "no access" (canAccess refused every purpose) or "no encryption key". */
  skipped?: "no access" | "no encryption key";
}

/** Each purpose code, as canAccess takes it. */
const ALL_PURPOSE_CODES = Object.values(Purpose);

/**
 * Whether the chain lets `reader` read `recordId` of `patient` for any of `purposes` at `blockTag`.
 * The same O(1) view the gateway asks before releasing anything.
 */
export async function mayRead(
  records: RecordAccess,
  patient: string,
  reader: string,
  recordId: string,
  blockTag: number | "latest",
  purposes: readonly number[] = ALL_PURPOSE_CODES,
): Promise<boolean> {
  for (const purpose of purposes) {
    const [allowed] = await records.canAccess(patient, reader, recordId, purpose, { blockTag });
    if (allowed) return true;
  }
  return false;
}

/**
 * Wraps `dataKey` for each of `readers` that the chain allows at `blockTag`, to the encryption key
 * registered for it at that block. A reader the chain refuses, or one without a key, gets nothing.
 */
export async function wrapForAllowedReaders(
  records: RecordAccess,
  dataKey: Uint8Array,
  context: RecordContext,
  readers: readonly string[],
  blockTag: number | "latest",
  purposes?: readonly number[],
): Promise<WrapOutcome[]> {
  const out: WrapOutcome[] = [];
  for (const reader of new Set(readers.map((r) => r.toLowerCase()))) {
    const account = readers.find((r) => r.toLowerCase() === reader)!;
    if (!(await mayRead(records, context.patient, account, context.recordId, blockTag, purposes))) {
      out.push({ reader: account, skipped: "no access" });
      continue;
    }
    const key = await records.encryptionKeyOf(account, { blockTag });
    if (key === "0x") {
      out.push({ reader: account, skipped: "no encryption key" });
      continue;
    }
    out.push({ reader: account, wrappedKey: wrapDataKey(dataKey, key, context) });
  }
  return out;
}

/** What {@link updateRecordVersion} did. */
export interface RecordVersion {
  sealed: SealedRecord;
  context: RecordContext;
  receipt: ContractTransactionReceipt;
  wraps: WrapOutcome[];
}

/**
 * A new version of a record, by its custodian (`records` connected to the custodian's signer):
 * encrypts `plaintext` under a fresh key bound to the epoch the update will give the record,
 * calls updateRecordContent, reads the new epoch from the receipt's RecordContentUpdated event
 * (and refuses if it is not the one the envelope is bound to), then wraps the key for the readers
 * `canAccess` allows at that block. `readers` defaults to the grantees of the patient's live
 * grants (filtered by the chain, so categories, deny rules and data periods are honoured).
 */
export async function updateRecordVersion(
  records: RecordAccess,
  args: { patient: string; recordId: string; plaintext: Uint8Array; readers?: readonly string[] },
): Promise<RecordVersion> {
  const runner = records.runner;
  const provider = runner?.provider;
  if (!runner || !provider) throw new Error("updateRecordVersion needs a RecordAccess connected to a signer");
  const { chainId } = await provider.getNetwork();
  const recordAccess = await records.getAddress();
  const current = await records.recordOf(args.patient, args.recordId);
  const predicted: RecordContext = {
    chainId,
    recordAccess,
    patient: args.patient,
    recordId: args.recordId,
    keyEpoch: current.keyEpoch + 1n,
  };
  const sealed = encryptRecord(args.plaintext, predicted);
  const receipt = (await (await records.updateRecordContent(args.patient, args.recordId, sealed.contentHash)).wait())!;
  let epoch: bigint | undefined;
  for (const log of receipt.logs) {
    const parsed = records.interface.parseLog(log);
    if (parsed?.name === "RecordContentUpdated" && parsed.args.recordId === args.recordId) epoch = parsed.args.keyEpoch;
  }
  if (epoch !== BigInt(predicted.keyEpoch)) {
    throw new RecordCryptoError(
      "bad-input",
      `the record's key epoch became ${epoch} while the envelope is bound to ${predicted.keyEpoch} ` +
        "(another update of the same record raced this one): update it again",
    );
  }
  const readers =
    args.readers ?? (await activeGrants(records, args.patient)).filter((g) => g.inEffect).map((g) => g.grantee);
  const wraps = await wrapForAllowedReaders(records, sealed.dataKey, predicted, readers, receipt.blockNumber);
  return { sealed, context: predicted, receipt, wraps };
}
