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
}
