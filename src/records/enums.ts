/** Mirrors of the records domain's enums and codes (contracts/interfaces/records/*.sol; tested against their ASTs in test/src/mirrors/enums.ts). */
export { RecordCategory, Purpose, categoryMask, purposeMask, categoriesOf } from "../categories";
export type { RecordCategoryName, PurposeName } from "../categories";

/** IRecordAccess.AccessReason: why canAccess answered as it did. */
export enum AccessReason {
  None = 0,
  Patient = 1,
  Custodian = 2,
  Granted = 3,
  BreakGlass = 4,
  ResearchConsent = 5,
  UnknownRecord = 6,
  NoGrant = 7,
  Revoked = 8,
  NotYetValid = 9,
  Expired = 10,
  CategoryNotGranted = 11,
  ActionNotGranted = 12,
  PurposeNotGranted = 13,
  OutsideDataPeriod = 14,
  Denied = 15,
  InactiveMember = 16,
  NoResearchConsent = 17,
}

/** Grant actions (bits of GrantTerms.actions). */
export const Action = { Read: 1, Append: 2 } as const;

/** Guardian powers (bits of Guardian.powers). */
export const GuardianPower = { Grant: 1, Revoke: 2, Deny: 4, ReviewEmergency: 8 } as const;
export const ALL_GUARDIAN_POWERS = 0x0f;

/** Scope of a deny rule (setDenyRule's `scope`). */
export enum DenyScope {
  None = 0,
  /** The categories are denied to one actor. */
  Actor = 1,
  /** The categories are denied to everyone except one actor (or everyone, with the zero address). */
  AllExcept = 2,
}

/** Break-glass reason codes: committed to, salted, by `emergencyReasonCommitment` (never on chain in clear). */
export enum EmergencyReason {
  None = 0,
  PatientIncapacitated = 1,
  LifeThreatening = 2,
  SeriousThreat = 3,
  Other = 4,
}

/** Every category (nine bits). */
export const ALL_CATEGORIES = 0x1ff;
/** Every purpose (six bits). */
export const ALL_PURPOSES = 0x3f;
/** The largest uint40: an open end of a period. */
export const MAX_UINT40 = (1n << 40n) - 1n;
/** How long a break-glass access lasts (RecordAccess.EMERGENCY_ACCESS_DURATION). */
export const EMERGENCY_ACCESS_SECONDS = 24 * 3600;
