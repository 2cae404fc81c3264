/**
 * EPCIS 2.0 documents: wrapping events, and a lot's provenance as one document (the caller's own
 * events that the chain anchors, plus events rebuilt from the chain for the steps it has no event for).
 */
import { eventHashBytes32, type EpcisEvent } from "./hash";
import {
  commissioningEvent,
  destructionEvent,
  excursionEvent,
  quarantineEvent,
  recallEvent,
  receivingEvent,
  rejectionEvent,
  releaseEvent,
  shippingEvent,
  cancellationEvent,
  type EventTime,
} from "./events";
import type { AnchoredStep } from "./match";

/** The root JSON-LD context of EPCIS 2.0. */
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** Namespace of the extension that marks an event rebuilt from the chain (`carechain:anchor`). */
export const CARECHAIN_NAMESPACE = "https://ns.carechain.example/epcis/";

/** An EPCIS 2.0 JSON-LD document. */
export interface EpcisDocument {
  "@context": (string | Record<string, string>)[];
  type: "EPCISDocument";
  schemaVersion: "2.0";
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

/** One EPCIS 2.0 document of `events`; `creationDate` defaults to now. */
export function epcisDocument(events: readonly EpcisEvent[], creationDate: EventTime = new Date()): EpcisDocument {
  const created =
    creationDate instanceof Date
      ? creationDate.toISOString()
      : typeof creationDate === "string"
        ? creationDate
        : new Date(Number(creationDate) * 1000).toISOString();
  const extended = events.some((e) => Object.keys(e).some((k) => k.startsWith("carechain:")));
  return {
    "@context": extended ? [EPCIS_CONTEXT, { carechain: CARECHAIN_NAMESPACE }] : [EPCIS_CONTEXT],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: created,
    epcisBody: { eventList: [...events] },
  };
}

/** Input of {@link provenanceAsEpcis}. */
export interface ProvenanceInput {
  gtin: string | bigint;
  lot: string;
  /** The lot's anchoring steps, e.g. fetchAnchoredSteps(provider, supply, { lotId, timestamps: true }). */
  steps: readonly AnchoredStep[];
  /** The caller's own EPCIS events of the lot (from its repository). */
  own?: readonly EpcisEvent[];
  /** A member's GLN by address (the member registry's memberOf(address).gln); unknown → undefined. */
  glnOf: (address: string) => string | bigint | undefined;
  companyPrefixLength?: number;
  creationDate?: EventTime;
}

/** The outcome of {@link provenanceAsEpcis}: the document and where each event came from. */
export interface Provenance {
  document: EpcisDocument;
  /** Own events whose hash a step anchors. */
  anchored: number;
  /** Events rebuilt from the chain (marked with the `carechain:anchor` extension). */
  rebuilt: number;
  /** Own events the chain does not anchor (included as the caller's claims). */
  unanchored: number;
}

function rebuild(step: AnchoredStep, input: ProvenanceInput, quantities: Map<string, string>): EpcisEvent | undefined {
  const base = {
    eventTime: step.timestamp ?? 0,
    gtin: input.gtin,
    lot: input.lot,
    companyPrefixLength: input.companyPrefixLength,
  };
  const gln = (a: string | undefined) => (a ? input.glnOf(a) : undefined);
  const a = step.args;
  let event: EpcisEvent | undefined;
  const actor = gln(a.manufacturer ?? a.by ?? a.reporter ?? a.to ?? a.from);
  switch (step.event) {
    case "LotCommissioned":
      if (actor !== undefined)
        event = commissioningEvent({ ...base, quantity: BigInt(a.unitCount), manufacturerGln: actor });
      break;
    case "ShipmentSent":
    case "ShipmentReceived":
    case "ShipmentRejected":
    case "ShipmentCancelled": {
      const sent = step.event === "ShipmentSent" ? step : undefined;
      const info = sent
        ? { from: a.from, to: a.to, quantity: a.quantity }
        : JSON.parse(quantities.get(a.shipmentId) ?? "{}");
      const fromGln = gln(info.from);
      const toGln = gln(info.to ?? a.to);
      if (fromGln === undefined || toGln === undefined) break;
      const t = { ...base, fromGln, toGln, quantity: info.quantity !== undefined ? BigInt(info.quantity) : undefined };
      event =
        step.event === "ShipmentSent"
          ? shippingEvent(t)
          : step.event === "ShipmentReceived"
            ? receivingEvent(t)
            : step.event === "ShipmentRejected"
              ? rejectionEvent(t)
              : cancellationEvent(t);
      break;
    }
    case "LotDestroyed":
      if (actor !== undefined) event = destructionEvent({ ...base, actorGln: actor });
      break;
    case "LotQuarantined":
      if (actor !== undefined) event = quarantineEvent({ ...base, actorGln: actor });
      break;
    case "LotReleased":
      if (actor !== undefined) event = releaseEvent({ ...base, actorGln: actor });
      break;
    case "LotRecalled":
      if (actor !== undefined) event = recallEvent({ ...base, actorGln: actor });
      break;
    case "ColdChainExcursion":
      if (actor !== undefined) event = excursionEvent({ ...base, actorGln: actor });
      break;
  }
  if (!event) return undefined;
  const { eventID: _ignored, ...rest } = event as EpcisEvent & { eventID?: string };
  void _ignored;
  return {
    ...rest,
    "carechain:anchor": {
      "carechain:chainEvent": step.event,
      "carechain:transactionHash": step.transactionHash,
      "carechain:anchoredHash": step.hash,
    },
  } as EpcisEvent;
}

/**
 * A lot's provenance as one EPCIS 2.0 document: for each anchoring step, the caller's own event with
 * that hash, else an event rebuilt from the chain (time = block time, parties by GLN, marked with a
 * `carechain:anchor` extension naming the step, so it is never mistaken for the anchored original);
 * then the caller's events the chain does not anchor. Events in time order.
 */
export function provenanceAsEpcis(input: ProvenanceInput): Provenance {
  const own = input.own ?? [];
  const ownByHash = new Map(own.map((e) => [eventHashBytes32(e), e]));
  const quantities = new Map<string, string>();
  for (const s of input.steps) {
    if (s.event === "ShipmentSent")
      quantities.set(
        s.args.shipmentId,
        JSON.stringify({ from: s.args.from, to: s.args.to, quantity: s.args.quantity }),
      );
  }
  const used = new Set<string>();
  const events: EpcisEvent[] = [];
  let anchored = 0;
  let rebuilt = 0;
  for (const step of input.steps) {
    const mine = ownByHash.get(step.hash);
    if (mine) {
      if (!used.has(step.hash)) {
        events.push(mine);
        anchored++;
      }
      used.add(step.hash);
      continue;
    }
    const event = rebuild(step, input, quantities);
    if (event) {
      events.push(event);
      rebuilt++;
    }
  }
  const rest = own.filter((e) => !used.has(eventHashBytes32(e)));
  events.push(...rest);
  events.sort((x, y) => String(x.eventTime).localeCompare(String(y.eventTime)));
  return { document: epcisDocument(events, input.creationDate), anchored, rebuilt, unanchored: rest.length };
}
