/**
 * EPCIS XML output of the SDK's JSON-LD documents: EPCIS 2.0 XML (`urn:epcglobal:epcis:xsd:2`), or
 * EPCIS 1.2 XML (`urn:epcglobal:epcis:xsd:1`, sourceList/destinationList inside <extension>) for older
 * repositories. CBV values are written as the CBV URNs XML partners use (`urn:epcglobal:cbv:bizstep:…`);
 * the Event Hash ID is the same as the JSON-LD event's. Reading XML: ./tree (xmlEventTrees).
 */
import type { EpcisEvent } from "./hash";
import type { EpcisDocument } from "./document";

const CBV_URN: Readonly<Record<string, string>> = {
  bizStep: "urn:epcglobal:cbv:bizstep:",
  disposition: "urn:epcglobal:cbv:disp:",
};
const TYPE_URN: Readonly<Record<string, string>> = {
  bizTransaction: "urn:epcglobal:cbv:btt:",
  source: "urn:epcglobal:cbv:sdt:",
  destination: "urn:epcglobal:cbv:sdt:",
};
const LIST_ITEM: Readonly<Record<string, string>> = {
  epcList: "epc",
  childEPCs: "epc",
  inputEPCList: "epc",
  outputEPCList: "epc",
  quantityList: "quantityElement",
  childQuantityList: "quantityElement",
  inputQuantityList: "quantityElement",
  outputQuantityList: "quantityElement",
};
const TYPED_LIST_ITEM: Readonly<Record<string, string>> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};
/** Fields EPCIS 1.2 carries inside the event's <extension>. */
const V12_EXTENSION = new Set(["quantityList", "sourceList", "destinationList", "ilmd"]);
const BARE = /^[a-z][a-z0-9_]*$/;

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function scalar(value: unknown): string {
  return typeof value === "boolean" ? (value ? "true" : "false") : String(value);
}

function element(name: string, value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    const item = LIST_ITEM[name];
    if (item)
      return `${indent}<${name}>\n${value.map((v) => element(item, v, indent + "  ")).join("")}${indent}</${name}>\n`;
    const typed = TYPED_LIST_ITEM[name];
    if (typed) {
      const items = value
        .map((v: Record<string, unknown>) => {
          const t = String(v.type);
          const type = BARE.test(t) ? TYPE_URN[typed] + t : t;
          return `${indent}  <${typed} type="${esc(type)}">${esc(String(v[typed]))}</${typed}>\n`;
        })
        .join("");
      return `${indent}<${name}>\n${items}${indent}</${name}>\n`;
    }
    if (name === "sensorElementList") {
      const items = value
        .map((se: Record<string, unknown>) => {
          const meta = se.sensorMetadata as Record<string, unknown> | undefined;
          const reports = (se.sensorReport as Record<string, unknown>[] | undefined) ?? [];
          const attrs = (o: Record<string, unknown>) =>
            Object.entries(o)
              .map(([k, v]) => ` ${k}="${esc(scalar(v))}"`)
              .join("");
          const metaXml = meta ? `${indent}    <sensorMetadata${attrs(meta)}/>\n` : "";
          const reportXml = reports.map((r) => `${indent}    <sensorReport${attrs(r)}/>\n`).join("");
          return `${indent}  <sensorElement>\n${metaXml}${reportXml}${indent}  </sensorElement>\n`;
        })
        .join("");
      return `${indent}<${name}>\n${items}${indent}</${name}>\n`;
    }
    return value.map((v) => element(name, v, indent)).join("");
  }
  if (typeof value === "object" && value !== null) {
    const inner = Object.entries(value)
      .map(([k, v]) => element(k, v, indent + "  "))
      .join("");
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  let text = scalar(value);
  if (CBV_URN[name] && BARE.test(text)) text = CBV_URN[name] + text;
  return `${indent}<${name}>${esc(text)}</${name}>\n`;
}

/** One event as an XML element (EPCIS 2.0 layout unless `version` is "1.2"). */
export function eventToXml(event: EpcisEvent, version: "2.0" | "1.2" = "2.0", indent = "      "): string {
  const { type, ...fields } = event;
  const entries = Object.entries(fields).filter(([k]) => !k.startsWith("@"));
  const main = version === "1.2" ? entries.filter(([k]) => !V12_EXTENSION.has(k)) : entries;
  const ext = version === "1.2" ? entries.filter(([k]) => V12_EXTENSION.has(k)) : [];
  let body = main.map(([k, v]) => element(k, v, indent + "  ")).join("");
  if (ext.length) {
    body += `${indent}  <extension>\n${ext.map(([k, v]) => element(k, v, indent + "    ")).join("")}${indent}  </extension>\n`;
  }
  return `${indent}<${type}>\n${body}${indent}</${type}>\n`;
}

/** An EPCIS document as XML text (EPCIS 2.0 by default, or 1.2). */
export function documentToXml(document: EpcisDocument, version: "2.0" | "1.2" = "2.0"): string {
  const ns = version === "1.2" ? "urn:epcglobal:epcis:xsd:1" : "urn:epcglobal:epcis:xsd:2";
  const events = document.epcisBody.eventList.map((e) => eventToXml(e, version)).join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<epcis:EPCISDocument xmlns:epcis="${ns}" schemaVersion="${version}" creationDate="${esc(document.creationDate)}">\n` +
    `  <EPCISBody>\n    <EventList>\n${events}    </EventList>\n  </EPCISBody>\n</epcis:EPCISDocument>\n`
  );
}
