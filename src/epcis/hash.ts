/**
 * The EPCIS Event Hash ID of GS1's Core Business Vocabulary 2.0 (section "EPCIS Event Hash ID"):
 * a representation-independent fingerprint of an event — the same event in JSON-LD, EPCIS 2.0 XML or
 * EPCIS 1.2 XML, with keys in any order, gives the same hash — meant for anchoring events on a
 * shared ledger. Algorithm (as GS1's reference implementation `epcis-event-hash-generator` computes it):
 *
 * 1. the pre-hash string starts with `eventType=<type>`;
 * 2. then the event's standard fields in the canonical order {@link CANONICAL_ORDER}, each as
 *    `name=value`, a field with children as `name` followed by its children in their canonical order;
 *    repeated fields (list items) are each rendered, then sorted lexically and concatenated;
 * 3. then every other field (user extensions, `{namespace}localName`, and standard fields outside the
 *    order, e.g. `ilmd`) rendered generically and sorted; `eventID` and `recordTime` are left out;
 * 4. values are canonicalised: times to UTC with milliseconds (`2020-03-04T10:00:30.000Z`), numbers
 *    without leading `+`/zeros or trailing zeros, EPC URIs and GS1 Digital Link URIs of any domain to
 *    the canonical Digital Link `https://id.gs1.org/…`, CBV values (bare JSON words, EPCIS 1.2 URNs
 *    `urn:epcglobal:cbv:bizstep:…`, CURIEs `cbv:…`) to web URIs `https://ref.gs1.org/cbv/BizStep-…`;
 * 5. no separator; UTF-8; SHA-256; written `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920 named information).
 */
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { toCanonicalDigitalLink } from "./ids";
import {
  EpcisParseError,
  WELL_KNOWN_NAMESPACES,
  jsonEvents,
  treeFromJsonEvent,
  xmlEventTrees,
  type EventNode,
  type EventTree,
} from "./tree";

/** A property order: field names, each with the order of its children (or null for a plain value). */
export type PropertyOrder = ReadonlyArray<readonly [string, PropertyOrder | null]>;

const QUANTITY: PropertyOrder = [
  [
    "quantityElement",
    [
      ["epcClass", null],
      ["quantity", null],
      ["uom", null],
    ],
  ],
];
const EPCS: PropertyOrder = [["epc", null]];

/** CBV 2.0's canonical property order of the Event Hash ID. */
export const CANONICAL_ORDER: PropertyOrder = [
  ["eventTime", null],
  ["eventTimeZoneOffset", null],
  ["epcList", EPCS],
  ["parentID", null],
  ["inputEPCList", EPCS],
  ["childEPCs", EPCS],
  ["quantityList", QUANTITY],
  ["childQuantityList", QUANTITY],
  ["inputQuantityList", QUANTITY],
  ["outputEPCList", EPCS],
  ["outputQuantityList", QUANTITY],
  ["action", null],
  ["transformationID", null],
  ["bizStep", null],
  ["disposition", null],
  [
    "persistentDisposition",
    [
      ["set", null],
      ["unset", null],
    ],
  ],
  ["readPoint", [["id", null]]],
  ["bizLocation", [["id", null]]],
  ["bizTransactionList", [["bizTransaction", [["type", null]]]]],
  ["sourceList", [["source", [["type", null]]]]],
  ["destinationList", [["destination", [["type", null]]]]],
  [
    "sensorElementList",
    [
      [
        "sensorElement",
        [
          [
            "sensorMetadata",
            [
              ["time", null],
              ["startTime", null],
              ["endTime", null],
              ["deviceID", null],
              ["deviceMetadata", null],
              ["rawData", null],
              ["dataProcessingMethod", null],
              ["bizRules", null],
            ],
          ],
          [
            "sensorReport",
            [
              ["type", null],
              ["exception", null],
              ["deviceID", null],
              ["deviceMetadata", null],
              ["rawData", null],
              ["dataProcessingMethod", null],
              ["time", null],
              ["microorganism", null],
              ["chemicalSubstance", null],
              ["value", null],
              ["component", null],
              ["stringValue", null],
              ["booleanValue", null],
              ["hexBinaryValue", null],
              ["uriValue", null],
              ["minValue", null],
              ["maxValue", null],
              ["meanValue", null],
              ["sDev", null],
              ["percRank", null],
              ["percValue", null],
              ["uom", null],
              ["coordinateReferenceSystem", null],
            ],
          ],
        ],
      ],
    ],
  ],
];

/** Fields never hashed. */
const IGNORED = new Set(["eventID", "recordTime"]);

/** The version tag of the Event Hash ID. */
export const EVENT_HASH_VERSION = "CBV2.0";

const CBV = "https://ref.gs1.org/cbv/";
/** EPCIS 1.2 CBV URN prefixes and their CBV 2.0 web-URI equivalents. */
const CBV_URNS: ReadonlyArray<readonly [string, string]> = [
  ["urn:epcglobal:cbv:bizstep:", `${CBV}BizStep-`],
  ["urn:epcglobal:cbv:disp:", `${CBV}Disp-`],
  ["urn:epcglobal:cbv:btt:", `${CBV}BTT-`],
  ["urn:epcglobal:cbv:sdt:", `${CBV}SDT-`],
  ["urn:epcglobal:cbv:er:", `${CBV}ER-`],
];
/** Fields whose bare JSON-LD values are CBV terms (the EPCIS context maps `shipping` to `cbv:BizStep-shipping`). */
const BARE_TERM: Readonly<Record<string, string>> = {
  bizStep: `${CBV}BizStep-`,
  disposition: `${CBV}Disp-`,
  set: `${CBV}Disp-`,
  unset: `${CBV}Disp-`,
  reason: `${CBV}ER-`,
  component: `${CBV}Comp-`,
};
/** Typed-list `type` values are CBV terms of the list's kind. */
const BARE_TYPE: Readonly<Record<string, string>> = {
  bizTransaction: `${CBV}BTT-`,
  source: `${CBV}SDT-`,
  destination: `${CBV}SDT-`,
};
const BARE_WORD = /^[a-z][a-z0-9_]*$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An ISO 8601 date-time as UTC with millisecond precision (fraction truncated), or undefined. */
export function canonicalTime(text: string): string | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = "0", frac = "", zone = "Z"] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number((frac + "000").slice(0, 3)));
  if (zone.toUpperCase() !== "Z") {
    const z = zone.replace(":", "");
    const offset = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    ms += z[0] === "+" ? -offset : offset;
  }
  return new Date(ms).toISOString();
}

/** A number without sign, leading or trailing zeros (the reference's float round trip), else the text. */
function canonicalNumber(text: string): string {
  if (!NUMBER.test(text)) return text;
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

function expandCurie(text: string): string {
  const colon = text.indexOf(":");
  if (colon > 0) {
    const prefix = text.slice(0, colon);
    if (prefix === "gs1" || prefix === "cbv") return WELL_KNOWN_NAMESPACES[prefix] + text.slice(colon + 1);
  }
  return text;
}

/** A value as the pre-hash string writes it; `name` is its field, `parent` the enclosing field. */
export function canonicalValue(text: string, name: string, parent?: string): string {
  const lower = name.toLowerCase();
  if (lower.includes("time") && !lower.includes("offset")) {
    const t = canonicalTime(text);
    if (t) return t;
  }
  if (BARE_WORD.test(text)) {
    const vocab = name === "type" && parent ? BARE_TYPE[parent] : BARE_TERM[name];
    if (vocab) return vocab + text;
    if (parent === "sensorReport" && name === "type") return WELL_KNOWN_NAMESPACES.gs1 + text;
  }
  let value = text;
  for (const [urn, web] of CBV_URNS) if (value.startsWith(urn)) value = web + value.slice(urn.length);
  value = expandCurie(value);
  value = canonicalNumber(value);
  return toCanonicalDigitalLink(value) ?? value;
}

function render(node: EventNode, order: PropertyOrder | null, parent?: string): string {
  const text = node.text.trim();
  const value = text ? "=" + canonicalValue(text, node.name, parent) : "";
  const inner = order ? ordered(node, order) : "";
  return value || inner ? node.name + value + inner : "";
}

/** Renders and consumes the children of `node` named in `order`; leftovers stay in node.children. */
function ordered(node: EventNode, order: PropertyOrder): string {
  let out = "";
  for (const [name, sub] of order) {
    const matches = node.children.filter((c) => c.name === name);
    const values = matches.map((c) => render(c, sub, node.name)).filter(Boolean);
    node.children = node.children.filter((c) => !(c.name === name && c.children.length === 0));
    values.sort(compareCodeUnits);
    out += values.join("");
  }
  return out;
}

function generic(nodes: EventNode[], parent?: string): string {
  return nodes
    .map((n) => {
      const text = n.text.trim();
      return n.name + (text ? "=" + canonicalValue(text, n.name, parent) : "") + generic(n.children, n.name);
    })
    .sort(compareCodeUnits)
    .join("");
}

/** Python's default string order (by code point; equal to UTF-16 order for the BMP). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clone(nodes: EventNode[]): EventNode[] {
  return nodes.map((n) => ({ name: n.name, text: n.text, children: clone(n.children) }));
}

/** The pre-hash string of an event tree. */
export function preHashOfTree(tree: EventTree): string {
  const root: EventNode = { name: "", text: "", children: clone(tree.fields).filter((n) => !IGNORED.has(n.name)) };
  const head = ordered(root, CANONICAL_ORDER);
  return `eventType=${tree.eventType}${head}${generic(root.children)}`;
}

/** An EPCIS 2.0 JSON-LD event, as the SDK's builders produce and partners send. */
export type EpcisEvent = Record<string, unknown> & { type: string };

/** The pre-hash string of one JSON-LD event; `context` is the document's @context (for extension prefixes). */
export function eventPreHash(event: EpcisEvent, context?: unknown): string {
  return preHashOfTree(treeFromJsonEvent(event, context));
}

/** The SHA-256 digest of a pre-hash string. */
function digest(preHash: string): Uint8Array {
  return sha256(utf8ToBytes(preHash));
}

/** The Event Hash ID (`ni:///sha-256;<hex>?ver=CBV2.0`) of a pre-hash string. */
export function hashIdOfPreHash(preHash: string): string {
  return `ni:///sha-256;${bytesToHex(digest(preHash))}?ver=${EVENT_HASH_VERSION}`;
}

/** The Event Hash ID of a JSON-LD event. */
export function eventHashId(event: EpcisEvent, context?: unknown): string {
  return hashIdOfPreHash(eventPreHash(event, context));
}

/** The 32-byte value anchored on chain for an event: the SHA-256 digest of its pre-hash string (0x…). */
export function eventHashBytes32(event: EpcisEvent, context?: unknown): string {
  return "0x" + bytesToHex(digest(eventPreHash(event, context)));
}

/** The bytes32 inside an Event Hash ID (`ni:///sha-256;<hex>?…` → 0x<hex>). */
export function hashIdToBytes32(hashId: string): string {
  const m = /^ni:\/\/\/sha-256;([0-9a-f]{64})(\?.*)?$/i.exec(hashId);
  if (!m) throw new EpcisParseError(`not a SHA-256 Event Hash ID: "${hashId}"`);
  return "0x" + m[1].toLowerCase();
}

/** One event of a document with its pre-hash string and hashes. */
export interface HashedEvent {
  /** Position in the document's event list. */
  index: number;
  eventType: string;
  preHash: string;
  hashId: string;
  bytes32: string;
  /** The JSON-LD event (absent for XML input). */
  event?: EpcisEvent;
}

function hashed(index: number, tree: EventTree, event?: EpcisEvent): HashedEvent {
  const preHash = preHashOfTree(tree);
  const hex = bytesToHex(digest(preHash));
  return {
    index,
    eventType: tree.eventType,
    preHash,
    hashId: `ni:///sha-256;${hex}?ver=${EVENT_HASH_VERSION}`,
    bytes32: "0x" + hex,
    event,
  };
}

/**
 * Hashes every event of an EPCIS document: JSON-LD (object or text) or XML (EPCIS 2.0 or 1.2 text,
 * recognised by a leading `<`).
 */
export function hashEpcisDocument(document: string | Record<string, unknown>): HashedEvent[] {
  if (typeof document === "string") {
    const text = document.replace(/^\uFEFF/, "").trimStart();
    if (text.startsWith("<")) return xmlEventTrees(text).map((tree, i) => hashed(i, tree));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new EpcisParseError(`neither XML nor JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null) throw new EpcisParseError("not an EPCIS document");
    return hashEpcisDocument(parsed as Record<string, unknown>);
  }
  const { events, context } = jsonEvents(document);
  return events.map((e, i) => hashed(i, treeFromJsonEvent(e, context), e as EpcisEvent));
}
