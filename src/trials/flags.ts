/**
 * Mirrors of contracts/libraries/TrialFlags.sol (the bits of `Trial.flags` and
 * `Participation.flags`) and the state sets of `TrialsUnexpectedStatus`, with named helpers so that
 * no consumer re-codes a bit. test/trials/mirrors.ts checks these against the compiled AST.
 */
import { RecordCategory } from "../categories";
import { TrialStatus } from "./enums";

/** Bits of `Trial.flags`. */
export const TrialFlag = {
  RefCommitted: 1 << 0,
  OutcomeCommitted: 1 << 1,
  WitnessRequired: 1 << 2,
} as const;
export type TrialFlagName = keyof typeof TrialFlag;

/** Bits of `Participation.flags`. */
export const ParticipationFlag = {
  Consented: 1 << 0,
  FutureContact: 1 << 1,
  Enrolled: 1 << 2,
  NoFurtherCollection: 1 << 3,
  WithdrawnData: 1 << 4,
  Attested: 1 << 5,
  Witnessed: 1 << 6,
} as const;
export type ParticipationFlagName = keyof typeof ParticipationFlag;

/** Either withdrawal (NoFurtherCollection or WithdrawnData). */
export const PARTICIPATION_WITHDRAWN = ParticipationFlag.NoFurtherCollection | ParticipationFlag.WithdrawnData;

/** The mask of every record category a consent may name (TrialFlags.ALL_CATEGORIES). */
export const ALL_TRIAL_CATEGORIES = (1 << Object.keys(RecordCategory).length) - 1;

type FlagWord = bigint | number;

function bitsOf(flags: FlagWord): number {
  return Number(flags);
}

/** The mask of the named participation flags (e.g. `participationFlags("Consented", "Attested")`). */
export function participationFlags(...names: ParticipationFlagName[]): bigint {
  return BigInt(names.reduce((mask, n) => mask | ParticipationFlag[n], 0));
}

/** The mask of the named trial flags. */
export function trialFlags(...names: TrialFlagName[]): bigint {
  return BigInt(names.reduce((mask, n) => mask | TrialFlag[n], 0));
}

/** Whether `flags` (a `Participation.flags` value) has the named flag. */
export function hasParticipationFlag(flags: FlagWord, name: ParticipationFlagName): boolean {
  return (bitsOf(flags) & ParticipationFlag[name]) !== 0;
}

/** Whether `flags` (a `Trial.flags` value) has the named flag. */
export function hasTrialFlag(flags: FlagWord, name: TrialFlagName): boolean {
  return (bitsOf(flags) & TrialFlag[name]) !== 0;
}

/** The participation flag names set in `flags`. */
export function participationFlagNames(flags: FlagWord): ParticipationFlagName[] {
  return (Object.keys(ParticipationFlag) as ParticipationFlagName[]).filter((n) => hasParticipationFlag(flags, n));
}

/** Whether the participant is enrolled (the bit survives re-consent and withdrawal). */
export function isEnrolled(flags: FlagWord): boolean {
  return hasParticipationFlag(flags, "Enrolled");
}

/** Whether the participant withdrew (either choice). */
export function isWithdrawn(flags: FlagWord): boolean {
  return (bitsOf(flags) & PARTICIPATION_WITHDRAWN) !== 0;
}

/** What the participant withdrew: "data" (WithdrawData), "no further collection", or "no". */
export function withdrawalOf(flags: FlagWord): "data" | "no further collection" | "no" {
  if (hasParticipationFlag(flags, "WithdrawnData")) return "data";
  if (hasParticipationFlag(flags, "NoFurtherCollection")) return "no further collection";
  return "no";
}

/**
 * The set of trial statuses as `TrialsUnexpectedStatus(trialId, current, expectedStates)` names
 * it: a bytes32 with bit i set for TrialStatus i (as OpenZeppelin Governor's state sets).
 */
export function trialStates(...statuses: TrialStatus[]): string {
  const mask = statuses.reduce((m, s) => m | (1n << BigInt(s)), 0n);
  return "0x" + mask.toString(16).padStart(64, "0");
}

/** The statuses in a `TrialsUnexpectedStatus` set. */
export function trialStatesOf(expectedStates: string | bigint): TrialStatus[] {
  const mask = BigInt(expectedStates);
  return (Object.values(TrialStatus).filter((v) => typeof v === "number") as TrialStatus[]).filter(
    (s) => ((mask >> BigInt(s)) & 1n) === 1n,
  );
}
