/** Shared words for trials: statuses, amendments, DUO scopes, a participant's standing. */
import {
  AmendmentStatus,
  DUO,
  TrialStatus,
  decodeScope,
  describeRevertData,
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

/** Submits JSON to the site's consent intake; its answer or a readable refusal. */
export async function postToSite(url: string, body: unknown): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  });
  const answer = (await response.json()) as { hash?: string; error?: string; data?: string };
  if (!response.ok) {
    // The chain's refusal, decoded by the SDK when the site passed its revert data on.
    const reason = (answer.data && describeRevertData(answer.data)) || answer.error || response.statusText;
    throw new Error(`The site could not submit it: ${reason}`);
  }
  return answer.hash ?? "";
}
