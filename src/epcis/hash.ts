/**
 * The EPCIS Event Hash ID of GS1's Core Business Vocabulary 2.0 (section "EPCIS Event Hash ID"):
 * a representation-independent fingerprint of an event — the same event in JSON-LD, EPCIS 2.0 XML or
 * EPCIS 1.2 XML, with keys in any order, gives the same hash — meant for anchoring events on a
 * shared ledger. Algorithm (as GS1's reference implementation `epcis-event-hash-generator` computes it):
 *
 * 1. the pre-hash string starts with `eventType=<type>`;
 * 2. then the event's standard fields in the canonical order {@link CANONICAL_ORDER}, each as
 *    `name=value`, a field with children as `name` followed by its children in their canonical order;
 *    same-named fields (list items) are each rendered, then sorted and concatenated; a typed list's
 *    items (bizTransaction, source, destination) are `type=<t><name>=<v>`; CBV 2.0 writes no
 *    `sensorElementList` wrapper, only its `sensorElement`s;
 * 3. then `ilmd` (its fields rendered generically, siblings sorted), then the user extensions found
 *    inside standard fields, each prefixed by its path of field names (`readPoint{ns}x=…`,
 *    `sensorElementsensorReport{ns}y=…`), then the event's own extensions and any other field, sorted;
 *    `eventID`, `recordTime`, `errorDeclaration` and `certificationInfo` are left out;
 * 4. values are canonicalised: standard time fields to UTC with milliseconds (rounded half-up),
 *    decimal numbers canonical (`200.0` → `200`), EPC URIs and GS1 Digital Link URIs of any domain to
 *    the canonical Digital Link `https://id.gs1.org/…`, CBV values (bare JSON-LD terms, EPCIS 1.2 URNs
 *    `urn:epcglobal:cbv:bizstep:…`, CURIEs `cbv:…`) to web URIs `https://ref.gs1.org/cbv/BizStep-…`,
 *    GS1 vocabulary terms (`gs1:Temperature`, bare sensor types) to `https://ref.gs1.org/voc/…`;
 * 5. no separator; UTF-8; SHA-256; written `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920 named information).
 *
 * Conformance: test/src/epcis/vectors.ts checks the reference's own CBV2.0 vectors (docs/EPCIS.md).
 */
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { toCanonicalDigitalLink } from "./ids";
import { EpcisParseError, jsonEvents, treeFromJsonEvent, xmlEventTrees, type EventNode, type EventTree } from "./tree";

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
  ["bizTransactionList", null],
  ["sourceList", null],
  ["destinationList", null],
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

/** List fields whose items are (type, value) pairs: rendered `type=<t><item>=<v>`, the items sorted. */
const TYPED_LISTS = new Set(["bizTransactionList", "sourceList", "destinationList"]);

/** Top-level fields never hashed (certificationInfo is outside CBV 2.0's property order). */
const IGNORED = new Set(["eventID", "recordTime", "type", "errorDeclaration", "certificationInfo"]);

/** The version tag of the Event Hash ID. */
export const EVENT_HASH_VERSION = "CBV2.0";

const CBV = "https://ref.gs1.org/cbv/";
/** EPCIS 1.2 CBV URNs and their CBV 2.0 web-URI equivalents (replaced wherever they occur in a value). */
const CBV_URNS: ReadonlyArray<readonly [string, string]> = [
  ["urn:epcglobal:cbv:bizstep:", `${CBV}BizStep-`],
  ["urn:epcglobal:cbv:disp:", `${CBV}Disp-`],
  ["urn:epcglobal:cbv:btt:", `${CBV}BTT-`],
  ["urn:epcglobal:cbv:sdt:", `${CBV}SDT-`],
  ["urn:epcglobal:cbv:er:", `${CBV}ER-`],
];
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * An ISO 8601 date-time as UTC with millisecond precision (CBV 2.0 rule 9: sub-millisecond digits
 * rounded half-up, e.g. .1415 → .142; a time without zone is taken as UTC), or undefined.
 */
export function canonicalTime(text: string): string | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = "0", frac = "", zone = "Z"] = m;
  const micros = Number((frac + "000000").slice(0, 6));
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + Math.floor((micros + 500) / 1000);
  if (zone.toUpperCase() !== "Z") {
    const z = zone.replace(":", "");
    const offset = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5) || "0")) * 60_000;
    ms += z[0] === "+" ? -offset : offset;
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A decimal number in its canonical form (the reference's decimal arithmetic): an integral value as an
 * integer (`200.0` → `200`, `+007` → `7`), another without trailing zeros (`0.50` → `0.5`), else the text.
 */
export function canonicalNumber(text: string): string {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return text;
  const [, sign, int, frac = "", exp = "0"] = m;
  const exponent = Number(exp) - frac.length;
  const digits = (int + frac).replace(/^0+(?=\d)/, "");
  const neg = sign === "-" ? "-" : "";
  if (exponent >= 0) {
    if (exponent === 0 || /^0+$/.test(digits)) return neg + (exponent === 0 ? digits : "0");
    // Positive exponent: Python writes the unchanged decimal in scientific notation (2E+2, 1.5E+3).
    const adjusted = exponent + digits.length - 1;
    return `${neg}${digits[0]}${digits.length > 1 ? "." + digits.slice(1) : ""}E+${adjusted}`;
  }
  const point = digits.length + exponent;
  const whole = point > 0 ? digits.slice(0, point) : "0";
  const fraction = (point < 0 ? "0".repeat(-point) : "") + digits.slice(Math.max(point, 0));
  const trimmed = fraction.replace(/0+$/, "");
  const integer = whole.replace(/^0+(?=\d)/, "");
  return trimmed ? `${neg}${integer}.${trimmed}` : neg + integer;
}

/** A value as the pre-hash string writes it: CBV URNs as web URIs, numbers canonical, GS1 keys as Digital Link. */
export function canonicalValue(text: string): string {
  let value = text;
  for (const [urn, web] of CBV_URNS) value = value.split(urn).join(web);
  value = canonicalNumber(value);
  return toCanonicalDigitalLink(value) ?? value;
}

/** Python's default string order (by code point; equal to UTF-16 order for the BMP). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isUserExtension = (n: EventNode) => n.name.includes("{") && n.name.includes("/}");

/** CBV 2.0 writes no `sensorElementList` wrapper (2.1 does). */
const shown = (name: string) => (name === "sensorElementList" ? "" : name);

/** A typed list's items, each `type=<t><name>=<v>`, sorted. */
function typedItems(items: EventNode[]): string {
  return items
    .map((item) => {
      const type = item.children.find((c) => c.name === "type");
      const t = type && type.text.trim() ? `type=${canonicalValue(type.text.trim())}` : "";
      const v = item.text.trim() ? `=${canonicalValue(item.text.trim())}` : "";
      return t + item.name + v;
    })
    .sort(compareCodeUnits)
    .join("");
}

/** One standard field: `name=value` (times in UTC), then its children in their order. */
function standardField(node: EventNode, order: PropertyOrder | null): string {
  let inner = "";
  if (TYPED_LISTS.has(node.name)) {
    inner = typedItems(node.children);
    node.children = [];
  } else if (order) inner = ordered(node, order);
  let value = "";
  const text = node.text.trim();
  if (text) {
    const lower = node.name.toLowerCase();
    value = lower.includes("time") && !lower.includes("offset") ? (canonicalTime(text) ?? text) : canonicalValue(text);
    if (value) value = "=" + value;
  }
  return value || inner ? shown(node.name) + value + inner : "";
}

/**
 * Renders the children of `node` named in `order`, in that order (same-named ones sorted), and removes
 * each rendered child that has nothing left; what remains are extensions and fields outside the order.
 */
function ordered(node: EventNode, order: PropertyOrder): string {
  let out = "";
  for (const [name, sub] of order) {
    const values: string[] = [];
    for (const child of node.children.filter((c) => c.name === name)) {
      const value = standardField(child, sub);
      if (value) values.push(value);
      if (child.children.length === 0) node.children = node.children.filter((c) => c !== child);
    }
    out += values.sort(compareCodeUnits).join("");
  }
  return out;
}

/** Any fields (extensions, ilmd): `name=value` then children, recursively; siblings sorted. */
function generic(nodes: EventNode[]): string {
  const values = nodes.map((n) => {
    const text = n.text.trim();
    return n.name + (text ? "=" + canonicalValue(text) : "") + generic(n.children);
  });
  const typed = nodes.some((n) => n.name === "bizTransaction" || n.name === "source" || n.name === "destination");
  if (!typed) values.sort(compareCodeUnits);
  return values.join("");
}

/**
 * CBV 2.0: the user extensions inside standard fields, after ilmd, each prefixed by the path of field
 * names down to it; fields in property order (nested fields first, then the field's own extensions).
 */
function fieldExtensions(children: EventNode[], order: PropertyOrder): string {
  const parts: string[] = [];
  for (const [name, sub] of order) {
    if (!sub) continue;
    for (const child of children.filter((c) => c.name === name)) {
      const inner = fieldExtensions(child.children, sub);
      if (inner) parts.push(shown(name) + inner);
    }
  }
  const direct = children.filter(isUserExtension);
  if (direct.length) parts.push(generic(direct));
  return parts.join("");
}

function clone(nodes: EventNode[]): EventNode[] {
  return nodes.map((n) => ({ name: n.name, text: n.text, children: clone(n.children) }));
}

/** The pre-hash string of an event tree. */
export function preHashOfTree(tree: EventTree): string {
  const root: EventNode = { name: "", text: "", children: clone(tree.fields) };
  const standard = ordered(root, CANONICAL_ORDER);
  const ilmd = generic(root.children.filter((c) => c.name === "ilmd"));
  root.children = root.children.filter((c) => c.name !== "ilmd");
  const extensions: string[] = [];
  for (const [name, sub] of CANONICAL_ORDER) {
    if (!sub) continue;
    for (const child of root.children.filter((c) => c.name === name)) {
      const inner = fieldExtensions(child.children, sub);
      if (inner) {
        extensions.push(shown(name) + inner);
        root.children = root.children.filter((c) => c !== child);
      }
    }
  }
  const rest = generic(root.children.filter((c) => !IGNORED.has(c.name)));
  return `eventType=${tree.eventType}${standard}${ilmd}${extensions.join("")}${rest}`;
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
