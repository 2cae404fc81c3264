/** Mirrors of the contracts' enums (the numeric values ethers returns). One place, used everywhere. */

/** IMemberRegistry.MemberStatus */
export enum MemberStatus {
  None = 0,
  Active = 1,
  Suspended = 2,
}
