/**
 * The syntax-neutral model of an EPCIS event that the Event Hash ID is computed from: a tree of
 * named nodes with a text value. XML elements and attributes, and JSON-LD keys, both map onto it
 * (as in GS1's reference implementation `epcis-event-hash-generator`), so that the same event in
 * JSON-LD, EPCIS 2.0 XML or EPCIS 1.2 XML gives the same tree.
 */
import { DOMParser, type Element, type Node as XmlNode } from "@xmldom/xmldom";

/** One element (or attribute, or JSON key) of an event. */
export interface EventNode {
  /** Field name; a user extension is `{namespace-uri}localName`. */
  name: string;
  /** Its text value ("" when it only has children). */
  text: string;
  children: EventNode[];
}

/** An event as a tree: its type (ObjectEvent, …) and its fields. */
export interface EventTree {
  eventType: string;
  fields: EventNode[];
}

export class EpcisParseError extends Error {}

/** The namespaces the EPCIS 2.0 JSON-LD context defines (prefix → IRI). */
export const WELL_KNOWN_NAMESPACES: Readonly<Record<string, string>> = {
  gs1: "https://ref.gs1.org/voc/",
  cbv: "https://ref.gs1.org/cbv/",
  epcis: "https://ref.gs1.org/epcis/",
  cbvmda: "urn:epcglobal:cbv:mda",
};

/** JSON list fields and the XML element name of their items. */
const LIST_ITEM: Readonly<Record<string, string>> = {
  epcList: "epc",
  childEPCs: "epc",
  inputEPCList: "epc",
  outputEPCList: "epc",
  quantityList: "quantityElement",
  childQuantityList: "quantityElement",
  inputQuantityList: "quantityElement",
  outputQuantityList: "quantityElement",
  sensorElementList: "sensorElement",
  correctiveEventIDs: "correctiveEventID",
};

/** JSON list fields whose items carry their value in a key of the item's name plus a `type` attribute. */
const TYPED_LIST_ITEM: Readonly<Record<string, string>> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};

/** Top-level keys that are not part of an event's content. */
const SKIPPED_JSON_KEYS = new Set(["type", "#text", "rdfs:comment", "comment", "@context", "@id"]);
/** Keys of nested objects that are not content (a nested `type`, e.g. a sensor report's, is content). */
const SKIPPED_NESTED_KEYS = new Set(["#text", "rdfs:comment", "comment", "@context", "@id"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "string") return String(value);
  if (value === null || value === undefined) return "";
  throw new EpcisParseError(`unexpected JSON value ${JSON.stringify(value)}`);
}

const CBV = WELL_KNOWN_NAMESPACES.cbv;
/** Fields whose bare JSON-LD values are CBV terms (the EPCIS context maps `shipping` to `cbv:BizStep-shipping`). */
const BARE_TERM: Readonly<Record<string, string>> = {
  bizStep: `${CBV}BizStep-`,
  disposition: `${CBV}Disp-`,
  set: `${CBV}Disp-`,
  unset: `${CBV}Disp-`,
  reason: `${CBV}ER-`,
  component: `${CBV}Comp-`,
  exception: WELL_KNOWN_NAMESPACES.gs1,
  // GS1 Web Vocabulary master data (masterDataAvailableFor): a location's role is a code list term.
  locationRoleType: `${WELL_KNOWN_NAMESPACES.gs1}LocationRoleType-`,
};
/** Typed-list `type` values are CBV terms of the list's kind; a sensor report's type is a GS1 vocabulary term. */
const BARE_TYPE: Readonly<Record<string, string>> = {
  bizTransaction: `${CBV}BTT-`,
  source: `${CBV}SDT-`,
  destination: `${CBV}SDT-`,
  sensorReport: WELL_KNOWN_NAMESPACES.gs1,
};
const BARE_WORD = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A JSON-LD value as its expanded IRI where the EPCIS context makes it one: a bare CBV term of a
 * vocabulary-typed field, or a CURIE of a GS1 namespace (`gs1:`, `cbv:`; a user namespace's CURIE stays).
 */
function jsonValue(text: string, key: string, parent: string | undefined, ns: Record<string, string>): string {
  if (BARE_WORD.test(text)) {
    const vocab = key === "type" && parent ? BARE_TYPE[parent] : BARE_TERM[key];
    return vocab ? vocab + text : text;
  }
  const colon = text.indexOf(":");
  if (colon > 0) {
    const iri = ns[text.slice(0, colon)];
    if (iri !== undefined && (iri.startsWith("https://ref.gs1.org") || iri.startsWith("https://gs1.org")))
      return iri + text.slice(colon + 1);
  }
  return text;
}

/** Collects prefix → IRI from a JSON-LD @context (strings are remote contexts and define nothing here). */
export function namespacesOf(context: unknown, into: Record<string, string> = { ...WELL_KNOWN_NAMESPACES }) {
  const entries = Array.isArray(context) ? context : [context];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    for (const [prefix, iri] of Object.entries(entry)) if (typeof iri === "string") into[prefix] = iri;
  }
  return into;
}

function jsonName(key: string, ns: Record<string, string>): string {
  const colon = key.indexOf(":");
  if (colon > 0) {
    const prefix = key.slice(0, colon);
    if (ns[prefix] !== undefined) return `{${ns[prefix]}}${key.slice(colon + 1)}`;
  }
  return key;
}

function jsonNodes(key: string, value: unknown, ns: Record<string, string>, parent?: string): EventNode[] {
  const name = jsonName(key, ns);
  if (Array.isArray(value)) {
    const item = LIST_ITEM[key];
    const typed = TYPED_LIST_ITEM[key];
    if (item) return [{ name, text: "", children: value.flatMap((v) => jsonNodes(item, v, ns, key)) }];
    if (typed) {
      const children = value.map((v): EventNode => {
        if (!isObject(v)) throw new EpcisParseError(`${key} items must be objects`);
        const rest = Object.entries(v).filter(([k]) => k !== typed);
        return {
          name: typed,
          text: jsonValue(scalarText(v[typed]), typed, key, ns),
          children: rest.flatMap(([k, x]) => jsonNodes(k, x, ns, typed)),
        };
      });
      return [{ name, text: "", children }];
    }
    // Repeated element (sensorReport, persistentDisposition set/unset, extension arrays).
    return value.flatMap((v) => jsonNodes(key, v, ns, parent));
  }
  if (isObject(value)) {
    if (value["@context"] !== undefined) ns = namespacesOf(value["@context"], { ...ns });
    const children = Object.entries(value)
      .filter(([k]) => !SKIPPED_NESTED_KEYS.has(k) && !k.startsWith("@xmlns"))
      .flatMap(([k, v]) => jsonNodes(k, v, ns, key));
    return [{ name, text: value["#text"] !== undefined ? scalarText(value["#text"]) : "", children }];
  }
  return [{ name, text: jsonValue(scalarText(value), key, parent, ns), children: [] }];
}

/** The tree of one JSON-LD event; `context` is the document's @context (for extension prefixes). */
export function treeFromJsonEvent(event: Record<string, unknown>, context?: unknown): EventTree {
  if (typeof event.type !== "string") throw new EpcisParseError("an event needs a string `type`");
  let ns = namespacesOf(context);
  if (event["@context"] !== undefined) ns = namespacesOf(event["@context"], ns);
  ns.gs1 = WELL_KNOWN_NAMESPACES.gs1; // the GS1 Web Vocabulary is https://ref.gs1.org/voc/ whatever a context says
  const fields = Object.entries(event)
    .filter(([k]) => !SKIPPED_JSON_KEYS.has(k))
    .flatMap(([k, v]) => jsonNodes(k, v, ns));
  return { eventType: event.type, fields: sortedTree(fields) };
}

/** The events of a JSON-LD EPCIS document (eventList, a query document's resultsBody, or a single event). */
export function jsonEvents(document: Record<string, unknown>): { events: Record<string, unknown>[]; context: unknown } {
  const body = document.epcisBody;
  if (!isObject(body)) {
    if (typeof document.type === "string" && document.type.endsWith("Event"))
      return { events: [document], context: document["@context"] };
    throw new EpcisParseError("not an EPCIS document: no epcisBody");
  }
  let list: unknown = body.eventList;
  if (list === undefined && isObject(body.queryResults)) {
    const results = body.queryResults.resultsBody;
    list = isObject(results) ? results.eventList : undefined;
  }
  if (list === undefined && body.event !== undefined) list = [body.event];
  if (!Array.isArray(list)) throw new EpcisParseError("not an EPCIS document: no eventList");
  return { events: list.filter(isObject), context: document["@context"] };
}

/**
 * Orders sibling nodes the way the reference implementation does before it renders them (Python's
 * tuple order on (name, text, children)); it decides the order of a field's extensions in the pre-hash.
 */
export function compareNodes(a: EventNode, b: EventNode): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.text !== b.text) return a.text < b.text ? -1 : 1;
  const n = Math.min(a.children.length, b.children.length);
  for (let i = 0; i < n; i++) {
    const c = compareNodes(a.children[i], b.children[i]);
    if (c) return c;
  }
  return a.children.length - b.children.length;
}

function sortedTree(nodes: EventNode[]): EventNode[] {
  for (const n of nodes) n.children = sortedTree(n.children);
  return nodes.sort(compareNodes);
}

/** XML values in the GS1 namespaces' CURIE form (`gs1:Temperature`) are written as IRIs. */
const XML_VALUE_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ["gs1:", WELL_KNOWN_NAMESPACES.gs1],
  ["cbv:", WELL_KNOWN_NAMESPACES.cbv],
];

function xmlValue(text: string): string {
  for (const [prefix, iri] of XML_VALUE_PREFIXES) if (text.startsWith(prefix)) return iri + text.slice(prefix.length);
  return text;
}

const WRAPPERS = new Set(["extension", "baseExtension"]);

function xmlName(el: Element | { namespaceURI: string | null; localName: string | null; nodeName: string }): string {
  const local = el.localName ?? el.nodeName;
  return el.namespaceURI ? `{${el.namespaceURI}}${local}` : local;
}

/** Element children, with EPCIS 1.2's <extension>/<baseExtension> wrappers flattened away. */
function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n: XmlNode | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const child = n as Element;
    if (!child.namespaceURI && WRAPPERS.has(child.localName ?? "")) out.push(...elementChildren(child));
    else out.push(child);
  }
  return out;
}

function xmlNode(el: Element): EventNode {
  const children: EventNode[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i);
    if (
      !attr ||
      attr.name === "xmlns" ||
      attr.prefix === "xmlns" ||
      attr.namespaceURI === "http://www.w3.org/2001/XMLSchema-instance"
    )
      continue;
    children.push({ name: xmlName(attr), text: xmlValue(attr.value.trim()), children: [] });
  }
  for (const child of elementChildren(el)) children.push(xmlNode(child));
  let text = "";
  for (let n: XmlNode | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 3 || n.nodeType === 4) text += n.nodeValue ?? "";
  }
  return { name: xmlName(el), text: xmlValue(text.trim()), children: sortedTree(children) };
}

function findEventList(el: Element): Element | undefined {
  for (const child of elementChildren(el)) {
    if (child.localName === "EventList") return child;
    const found = findEventList(child);
    if (found) return found;
  }
  return undefined;
}

/** The event trees of an EPCIS 2.0 or 1.2 XML document (or query document), in document order. */
export function xmlEventTrees(xml: string): EventTree[] {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => level !== "warning" && errors.push(msg) }).parseFromString(
    xml,
    "text/xml",
  );
  if (errors.length || !doc.documentElement) throw new EpcisParseError(`not well-formed XML: ${errors[0] ?? "empty"}`);
  const list = findEventList(doc.documentElement as unknown as Element);
  if (!list) throw new EpcisParseError("not an EPCIS XML document: no EventList");
  return elementChildren(list).map((ev) => {
    const node = xmlNode(ev);
    return { eventType: ev.localName ?? ev.nodeName, fields: node.children };
  });
}
