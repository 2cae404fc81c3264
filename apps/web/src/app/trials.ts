/** Shared words for trials: statuses, amendments, DUO scopes, a participant's standing. */
import {
  AmendmentStatus,
  DUO,
  TrialStatus,
  decodeScope,
  hasParticipationFlag,
  isEnrolled,
  withdrawalOf,
} from "carechain";

export const STATUS_WORDS: Record<number, string> = {
  [TrialStatus.None]: "not registered",
  [TrialStatus.Registered]: "registered, awaiting IRB approval",
  [TrialStatus.Approved]: "approved by the IRB",
  [TrialStatus.Recruiting]: "recruiting",
  [TrialStatus.Closed]: "closed",
  [TrialStatus.ResultsPosted]: "results posted",
};

export const AMENDMENT_WORDS: Record<number, string> = {
  [AmendmentStatus.None]: "none",
  [AmendmentStatus.Proposed]: "awaiting IRB decision",
  [AmendmentStatus.Approved]: "approved",
  [AmendmentStatus.Rejected]: "rejected",
};

export function scopeWords(scope: number | bigint): string {
  return decodeScope(scope)
    .map((c) => DUO[c].label)
    .join("; ");
}

/** A participant's standing in plain words, from the SDK's participation flags. */
export function participationWords(flags: bigint | number, valid: boolean): string {
  const withdrawal = withdrawalOf(flags);
  if (withdrawal === "data") return "You withdrew, and asked for your data to be withdrawn too.";
  if (withdrawal === "no further collection") return "You withdrew: no new data is collected.";
  if (valid)
    return isEnrolled(flags) ? "Your consent is in effect and you are enrolled." : "Your consent is in effect.";
  if (hasParticipationFlag(flags, "Consented")) {
    return "Your consent is recorded; it counts once the investigator has attested it.";
  }
  return "You have not consented to this trial.";
}
