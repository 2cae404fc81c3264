/**
 * EPCIS 2.0 JSON-LD events for every Carechain supply act (GS1 EPCIS 2.0, CBV 2.0 terms). Each
 * builder returns an ObjectEvent whose `eventID` is its own Event Hash ID; anchor it on chain with
 * {@link eventHashBytes32} (the contract's `eventHash` / `reasonHash` / `attestationHash`).
 *
 * | act | action | bizStep | disposition | what |
 * |---|---|---|---|---|
 * | commissioning | ADD | commissioning | active | SGTINs (serials given) or the LGTIN with a quantity |
 * | shipping | OBSERVE | shipping | in_transit | LGTIN × quantity (or SGTINs); source/destination owning party + location |
 * | receiving | OBSERVE | receiving | in_progress | as shipping |
 * | rejection | OBSERVE | receiving | returned | as shipping: the receiver refused it, it goes back |
 * | cancellation | OBSERVE | void_shipping | in_progress | as shipping: the sender took it back (recipient cannot receive) |
 * | dispensing | OBSERVE | dispensing | dispensed | the pack's SGTIN |
 * | decommissioning | DELETE | decommissioning | inactive (stolen: stolen) | the pack's SGTIN |
 * | destruction (pack or lot) | DELETE | destroying | destroyed | SGTIN, or the LGTIN |
 * | recall | OBSERVE | holding | recalled | the LGTIN |
 * | quarantine | OBSERVE | holding | non_sellable_other | the LGTIN |
 * | release | OBSERVE | inspecting | active | the LGTIN |
 * | cold-chain excursion | OBSERVE | sensor_reporting | non_sellable_other | the LGTIN + sensorElementList |
 */
import { eventHashId, type EpcisEvent } from "./hash";
import { DEFAULT_COMPANY_PREFIX_LENGTH, lgtinURI, pglnURI, sglnURI, sgtinURI } from "./ids";

/** When an event happened: a Date, an ISO 8601 string, or unix seconds (chain time). */
export type EventTime = Date | string | bigint | number;

/** What every builder takes. */
export interface EventBase {
  eventTime: EventTime;
  /** The local offset the event is reported in (default "+00:00"). */
  eventTimeZoneOffset?: string;
  /** GS1 Company Prefix length of the identifiers (6-12, default 7); see ./ids. */
  companyPrefixLength?: number;
}

/** A lot (GTIN + AI (10) lot number), and optionally its serials or a quantity of units. */
export interface LotRef {
  gtin: string | bigint;
  lot: string;
  /** The serials concerned: the event lists their SGTINs instead of the LGTIN. */
  serials?: readonly string[];
  /** Units of the lot (class-level events). */
  quantity?: number | bigint;
}

/** A custody hand-over between two members, by their GLNs. */
export interface Transfer extends EventBase, LotRef {
  fromGln: string | bigint;
  toGln: string | bigint;
}

function isoTime(t: EventTime): string {
  if (t instanceof Date) return t.toISOString();
  if (typeof t === "string") return new Date(t).toISOString();
  return new Date(Number(t) * 1000).toISOString();
}

/** The fields of every event: time, offset, action, bizStep, disposition. */
function head(base: EventBase, action: string, bizStep: string, disposition: string) {
  return {
    type: "ObjectEvent",
    eventTime: isoTime(base.eventTime),
    eventTimeZoneOffset: base.eventTimeZoneOffset ?? "+00:00",
    action,
    bizStep,
    disposition,
  };
}

function what(ref: LotRef, cpl: number): Record<string, unknown> {
  if (ref.serials && ref.serials.length > 0) return { epcList: ref.serials.map((s) => sgtinURI(ref.gtin, s, cpl)) };
  const element: Record<string, unknown> = { epcClass: lgtinURI(ref.gtin, ref.lot, cpl) };
  if (ref.quantity !== undefined) element.quantity = Number(ref.quantity);
  return { quantityList: [element] };
}

function where(gln: string | bigint, cpl: number) {
  const id = sglnURI(gln, cpl);
  return { readPoint: { id }, bizLocation: { id } };
}

/** Sets `eventID` to the event's own Event Hash ID (the hash leaves eventID out, so it is stable). */
export function withEventId<T extends EpcisEvent>(event: T): T {
  return { ...event, eventID: eventHashId(event) };
}

function order(event: Record<string, unknown>): EpcisEvent {
  // EPCIS documents list the standard fields in the standard's order; the hash does not depend on it.
  const keys = [
    "type",
    "eventTime",
    "eventTimeZoneOffset",
    "epcList",
    "action",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "quantityList",
  ];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (event[k] !== undefined) out[k] = event[k];
  for (const [k, v] of Object.entries(event)) if (!(k in out)) out[k] = v;
  return withEventId(out as EpcisEvent);
}

/** Commissioning a lot: ADD of its serials' SGTINs, or of its LGTIN with the unit count. */
export function commissioningEvent(a: EventBase & LotRef & { manufacturerGln: string | bigint }): EpcisEvent {
  const cpl = a.companyPrefixLength ?? DEFAULT_COMPANY_PREFIX_LENGTH;
  return order({
    ...head(a, "ADD", "commissioning", "active"),
    ...what(a, cpl),
    ...where(a.manufacturerGln, cpl),
  });
}

function transfer(a: Transfer, bizStep: string, disposition: string, at: "from" | "to"): EpcisEvent {
  const cpl = a.companyPrefixLength ?? DEFAULT_COMPANY_PREFIX_LENGTH;
  return order({
    ...head(a, "OBSERVE", bizStep, disposition),
    ...what(a, cpl),
    ...where(at === "from" ? a.fromGln : a.toGln, cpl),
    sourceList: [
      { type: "owning_party", source: pglnURI(a.fromGln, cpl) },
      { type: "location", source: sglnURI(a.fromGln, cpl) },
    ],
    destinationList: [
      { type: "owning_party", destination: pglnURI(a.toGln, cpl) },
      { type: "location", destination: sglnURI(a.toGln, cpl) },
    ],
  });
}

/** Shipping (ISupplyChain.ship): the sender's event, goods in transit. */
export function shippingEvent(a: Transfer): EpcisEvent {
  return transfer(a, "shipping", "in_transit", "from");
}

/** Receiving (receiveShipment): the recipient's event, goods in progress at its site. */
export function receivingEvent(a: Transfer): EpcisEvent {
  return transfer(a, "receiving", "in_progress", "to");
}

/**
 * Rejection (rejectShipment): the recipient's receiving step that refused the goods. CBV has no
 * "rejected" disposition; `returned` ("sent back by a downstream party") says where custody goes.
 */
export function rejectionEvent(a: Transfer): EpcisEvent {
  return transfer(a, "receiving", "returned", "to");
}

/**
 * Cancellation (cancelShipment): the sender voids its shipping step because the recipient cannot receive
 * (suspended, no trading role); the units are back in progress at the sender's site.
 */
export function cancellationEvent(a: Transfer): EpcisEvent {
  return transfer(a, "void_shipping", "in_progress", "from");
}

/** One pack at one member's site. */
export interface PackAct extends EventBase {
  gtin: string | bigint;
  serial: string;
  /** The acting member's GLN (pharmacy, wholesaler, …). */
  actorGln: string | bigint;
}

/** Dispensing a pack to a patient (dispense): no patient data, only the pack and the site. */
export function dispensingEvent(a: PackAct): EpcisEvent {
  const cpl = a.companyPrefixLength ?? DEFAULT_COMPANY_PREFIX_LENGTH;
  return order({
    ...head(a, "OBSERVE", "dispensing", "dispensed"),
    epcList: [sgtinURI(a.gtin, a.serial, cpl)],
    ...where(a.actorGln, cpl),
  });
}

/** Why a pack is decommissioned (ISupplyChain.DecommissionReason other than Dispensed). */
export type DecommissionKind = "Destroyed" | "Sample" | "Exported" | "Stolen";

/** Decommissioning a pack for a reason other than dispensing (decommission). */
export function decommissioningEvent(a: PackAct & { reason: DecommissionKind }): EpcisEvent {
  const cpl = a.companyPrefixLength ?? DEFAULT_COMPANY_PREFIX_LENGTH;
  const [bizStep, disposition] =
    a.reason === "Destroyed"
      ? ["destroying", "destroyed"]
      : a.reason === "Stolen"
        ? ["decommissioning", "stolen"]
        : ["decommissioning", "inactive"];
  return order({
    ...head(a, "DELETE", bizStep, disposition),
    epcList: [sgtinURI(a.gtin, a.serial, cpl)],
    ...where(a.actorGln, cpl),
  });
}

/** A lot-level act by a member (manufacturer, regulator, holder). */
export interface LotAct extends EventBase, LotRef {
  actorGln: string | bigint;
}

function lotAct(a: LotAct, action: string, bizStep: string, disposition: string, extra = {}): EpcisEvent {
  const cpl = a.companyPrefixLength ?? DEFAULT_COMPANY_PREFIX_LENGTH;
  return order({ ...head(a, action, bizStep, disposition), ...what(a, cpl), ...where(a.actorGln, cpl), ...extra });
}

/** Destruction of the whole lot (destroyLot). */
export function destructionEvent(a: LotAct): EpcisEvent {
  return lotAct(a, "DELETE", "destroying", "destroyed");
}

/** Recall of the lot (recallLot); CBV has no recall bizStep, the lot is held with disposition recalled. */
export function recallEvent(a: LotAct): EpcisEvent {
  return lotAct(a, "OBSERVE", "holding", "recalled");
}

/** Quarantine of the lot (quarantineLot): held, not sellable. */
export function quarantineEvent(a: LotAct): EpcisEvent {
  return lotAct(a, "OBSERVE", "holding", "non_sellable_other");
}

/** Release from quarantine (releaseLot): inspected, active again. */
export function releaseEvent(a: LotAct): EpcisEvent {
  return lotAct(a, "OBSERVE", "inspecting", "active");
}

/** One temperature reading of a logger (°C unless `uom` says otherwise, UN/ECE rec. 20 code). */
export interface SensorReading {
  time?: EventTime;
  value?: number;
  minValue?: number;
  maxValue?: number;
  uom?: string;
}

/** A sensor report: the logger and its readings. */
export interface SensorReport {
  /** The logger, e.g. a GIAI Digital Link or URN. */
  deviceID?: string;
  readings: readonly SensorReading[];
}

/** A cold-chain excursion (reportExcursion), with the sensor report where there is one. */
export function excursionEvent(a: LotAct & { sensor?: SensorReport }): EpcisEvent {
  const extra: Record<string, unknown> = {};
  if (a.sensor && a.sensor.readings.length > 0) {
    const metadata: Record<string, unknown> = {};
    if (a.sensor.deviceID) metadata.deviceID = a.sensor.deviceID;
    const sensorReport = a.sensor.readings.map((r) => {
      const report: Record<string, unknown> = { type: "gs1:Temperature" };
      if (r.time !== undefined) report.time = isoTime(r.time);
      if (r.value !== undefined) report.value = r.value;
      if (r.minValue !== undefined) report.minValue = r.minValue;
      if (r.maxValue !== undefined) report.maxValue = r.maxValue;
      report.uom = r.uom ?? "CEL";
      return report;
    });
    extra.sensorElementList = [
      Object.keys(metadata).length ? { sensorMetadata: metadata, sensorReport } : { sensorReport },
    ];
  }
  return lotAct(a, "OBSERVE", "sensor_reporting", "non_sellable_other", extra);
}
