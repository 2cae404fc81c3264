/**
 * The encodings of the supply domain, in ONE place (mirrored by contracts/supply/SupplyChain.sol):
 * lot ids, shipment ids and the serialised-unit leaf of the lot's Merkle tree.
 */
import { AbiCoder, keccak256 } from "ethers";
import { normalizeGTIN } from "../gs1/checkDigit";
import { expiryTimestamp, type PackIdentity } from "../gs1/elementString";

const abi = AbiCoder.defaultAbiCoder();

/**
 * The StandardMerkleTree leaf encoding of a unit: (index, GTIN, serial, lot number, expiry).
 * The unit index is inside the leaf so that the bitmap bit a proof flips is bound to the serial.
 */
export const UNIT_LEAF_ENCODING = ["uint32", "uint64", "string", "string", "uint40"] as const;

/** A unit's leaf value, in {@link UNIT_LEAF_ENCODING} order. */
export type UnitLeafValue = [index: number, gtin: bigint, serial: string, lotNumber: string, expiry: bigint];

/** ISupplyChain.Unit as the contract takes it. */
export interface UnitStruct {
  gtin: bigint;
  expiry: bigint;
  index: number;
  serial: string;
  lotNumber: string;
}

/** A GTIN (8-14 digits, validated) as the uint64 the contract holds. */
export function gtinToUint(gtin: string | bigint): bigint {
  return typeof gtin === "bigint"
    ? BigInt(normalizeGTIN(gtin.toString().padStart(14, "0")))
    : BigInt(normalizeGTIN(gtin));
}

/** The GTIN-14 string of the uint64 the contract holds. */
export function gtinToString(gtin: bigint): string {
  return gtin.toString().padStart(14, "0");
}

/** keccak256(abi.encode(uint64 gtin, string lotNumber)) — ISupplyChain.lotIdOf. */
export function lotIdOf(gtin: string | bigint, lotNumber: string): string {
  return keccak256(abi.encode(["uint64", "string"], [gtinToUint(gtin), lotNumber]));
}

/** keccak256(abi.encode(lotId, from, to, quantity, eventHash)) — ISupplyChain.shipmentIdOf. */
export function shipmentIdOf(
  lotId: string,
  from: string,
  to: string,
  quantity: bigint | number,
  eventHash: string,
): string {
  return keccak256(
    abi.encode(["bytes32", "address", "address", "uint32", "bytes32"], [lotId, from, to, quantity, eventHash]),
  );
}

/** The Unit struct of unit `index` of a pack identity (what dispense/verifyUnit take). */
export function unitOf(pack: PackIdentity, index: number, reference?: Date): UnitStruct {
  return {
    gtin: gtinToUint(pack.gtin),
    expiry: expiryTimestamp(pack.expiry, reference),
    index,
    serial: pack.serial,
    lotNumber: pack.lot,
  };
}

/** The leaf value of a Unit struct. */
export function leafValueOf(unit: UnitStruct): UnitLeafValue {
  return [unit.index, unit.gtin, unit.serial, unit.lotNumber, unit.expiry];
}
