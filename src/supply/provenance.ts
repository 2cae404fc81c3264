/**
 * A lot's provenance entries and shipments as the SDK reports them, decoded the same way from the
 * node's logs (SupplyClient) and from the indexer (IndexerClient). No contract bindings here, so
 * that the indexer client and the CLI load without the generated TypeChain files.
 */
import type { EventFragment } from "ethers";
import { gtinToString } from "./ids";
import { DecommissionReason, HoldOrigin, LotStatus, RecallClass, UnitCheck } from "./enums";

/** One step of a lot's history, decoded from its event. */
export interface ProvenanceEntry {
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  event: string;
  /** The event's arguments by name, enums by name, values as strings. */
  details: Record<string, string>;
}

/** A shipment as ShipmentSent recorded it. */
export interface ShipmentRecord {
  shipmentId: string;
  lotId: string;
  from: string;
  to: string;
  quantity: bigint;
  eventHash: string;
  blockNumber: number;
}

const ENUM_FIELDS: Record<string, Record<number, string>> = {
  reason: DecommissionReason,
  answer: UnitCheck,
  recallClass: RecallClass,
  status: LotStatus,
  origin: HoldOrigin,
};

/** A provenance entry's details: the event's arguments but the lot id, enums by name, GTINs as 14 digits. */
export function provenanceDetails(fragment: EventFragment, values: readonly unknown[]): Record<string, string> {
  const details: Record<string, string> = {};
  fragment.inputs.forEach((input, i) => {
    if (input.name === "lotId") return;
    const value = values[i];
    const names = ENUM_FIELDS[input.name];
    if (input.name === "gtin") details.gtin = gtinToString(BigInt(value as bigint));
    else details[input.name] = names ? (names[Number(value)] ?? String(value)) : String(value);
  });
  return details;
}

/** The events that carry an indexed lot id, i.e. a lot's provenance. */
export const PROVENANCE_EVENTS = [
  "LotCommissioned",
  "ShipmentSent",
  "ShipmentReceived",
  "ShipmentRejected",
  "ShipmentCancelled",
  "UnitDecommissioned",
  "UnitDecommissionUndone",
  "SuspectPackAlert",
  "LotQuarantined",
  "LotReleased",
  "LotRecalled",
  "LotDestroyed",
  "ColdChainExcursion",
] as const;
