/** Mirrors of ISupplyChain's enums (the numeric values ethers returns). */

/** ISupplyChain.LotStatus */
export enum LotStatus {
  None = 0,
  Active = 1,
  Quarantined = 2,
  Recalled = 3,
  Destroyed = 4,
}

/** ISupplyChain.RecallClass */
export enum RecallClass {
  None = 0,
  ClassI = 1,
  ClassII = 2,
  ClassIII = 3,
}

/** ISupplyChain.DecommissionReason */
export enum DecommissionReason {
  None = 0,
  Dispensed = 1,
  Destroyed = 2,
  Sample = 3,
  Exported = 4,
  Stolen = 5,
}

/** ISupplyChain.UnitCheck — the answer of a pack verification. */
export enum UnitCheck {
  None = 0,
  Genuine = 1,
  UnknownProduct = 2,
  UnknownLot = 3,
  UnknownSerial = 4,
  AlreadyDecommissioned = 5,
  LotDestroyed = 6,
  Recalled = 7,
  Quarantined = 8,
  Expired = 9,
  NotInYourCustody = 10,
  /** The pack is one of the asker's own latest decommissions in the lot (a repeat scan): no alert. */
  AlreadyDecommissionedByYou = 11,
}

/** ISupplyChain.HoldOrigin — who or what imposed a lot's hold (quarantine). */
export enum HoldOrigin {
  None = 0,
  /** The lot's manufacturer: it or a regulator lifts the hold. */
  Manufacturer = 1,
  /** A regulator: only a regulator lifts it. */
  Regulator = 2,
  /** A custodian scanned a serial outside the lot's root: only a regulator lifts it. */
  CounterfeitAlert = 3,
  /** A custodian scanned a pack decommissioned by someone else: only a regulator lifts it. */
  DuplicateAlert = 4,
  /** A cold-chain excursion: the manufacturer or a regulator lifts it. */
  ColdChain = 5,
}

/** Whether a hold of `origin` may be lifted by the lot's manufacturer (otherwise only by a regulator). */
export function manufacturerMayRelease(origin: HoldOrigin): boolean {
  return origin === HoldOrigin.Manufacturer || origin === HoldOrigin.ColdChain;
}

/**
 * The set of lot statuses as LotUnexpectedStatus's `allowedStatuses` carries it: a bytes32 bitmap
 * with bit `status` set for each (OpenZeppelin Governor's `expectedStates` pattern).
 */
export function lotStatusSet(...statuses: readonly LotStatus[]): string {
  const bits = statuses.reduce((mask, status) => mask | (1n << BigInt(status)), 0n);
  return "0x" + bits.toString(16).padStart(64, "0");
}

/** The statuses in an `allowedStatuses` bitmap (LotUnexpectedStatus), in enum order. */
export function lotStatusesOf(set: string | bigint): LotStatus[] {
  const bits = BigInt(set);
  return (Object.values(LotStatus).filter((v) => typeof v === "number") as LotStatus[]).filter(
    (status) => (bits >> BigInt(status)) & 1n,
  );
}
