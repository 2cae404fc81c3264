/**
 * GS1 element strings as printed and scanned on medicine packs (GS1 General Specifications 3 and 7.8,
 * GS1 Digital Link URI syntax 1.2): the bracketed human-readable form "(01)…(17)…(10)…(21)…", the raw
 * scan with FNC1 as the ASCII group separator (GS, 0x1D) with or without a symbology identifier
 * ("]d2" GS1 DataMatrix, "]Q3" GS1 QR, "]C1" GS1-128, "]e0" GS1 DataBar), and Digital Link URIs
 * "https://id.gs1.org/01/…/10/…/21/…?17=…".
 */
import { GS1Error, isValidGS1Key, normalizeGTIN } from "./checkDigit";

/** What Carechain knows of each application identifier: its name and format. */
interface AIDefinition {
  title: string;
  /** Fixed data length, or undefined for variable length (terminated by FNC1 in raw scans). */
  fixed?: number;
  max: number;
  kind: "gtin" | "sscc" | "date" | "x";
}

/** The application identifiers Carechain reads (a subset of GS1 GenSpecs 3.2). */
export const AI: Readonly<Record<string, AIDefinition>> = {
  "00": { title: "SSCC", fixed: 18, max: 18, kind: "sscc" },
  "01": { title: "GTIN", fixed: 14, max: 14, kind: "gtin" },
  "02": { title: "CONTENT", fixed: 14, max: 14, kind: "gtin" },
  "10": { title: "BATCH/LOT", max: 20, kind: "x" },
  "11": { title: "PROD DATE", fixed: 6, max: 6, kind: "date" },
  "15": { title: "BEST BEFORE", fixed: 6, max: 6, kind: "date" },
  "17": { title: "USE BY / EXPIRY", fixed: 6, max: 6, kind: "date" },
  "21": { title: "SERIAL", max: 20, kind: "x" },
};

/** Digital Link short names some encoders still emit (DL 1.0), mapped to their AI. */
const DIGITAL_LINK_ALIASES: Readonly<Record<string, string>> = {
  gtin: "01",
  sscc: "00",
  lot: "10",
  ser: "21",
  exp: "17",
};

/** Symbology identifiers that announce GS1 data (ISO/IEC 15424), stripped from raw scans. */
const SYMBOLOGY_PREFIXES = ["]d2", "]Q3", "]C1", "]e0", "]J1"];

/** The ASCII group separator a scanner emits for FNC1. */
export const GS = "\u001d";

/** GS1 AI encodable character set 82 (GenSpecs 7.11, figure 7.11-1). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

/** A parsed element string: every AI read, in order, with its value. */
export type ElementString = Map<string, string>;

/** The four data elements FMD/DSCSA require on a pack (GTIN, serial, lot, expiry). */
export interface PackIdentity {
  /** GTIN-14. */
  gtin: string;
  serial: string;
  lot: string;
  /** AI (17) as printed: YYMMDD (DD may be 00, meaning the end of the month). */
  expiry: string;
}

function checkValue(ai: string, value: string): void {
  const def = AI[ai];
  if (!def) throw new GS1Error(`unsupported application identifier (${ai})`);
  if (value.length === 0) throw new GS1Error(`AI (${ai}) ${def.title} is empty`);
  if (def.fixed !== undefined && value.length !== def.fixed) {
    throw new GS1Error(`AI (${ai}) ${def.title} must be ${def.fixed} characters, got ${value.length}: "${value}"`);
  }
  if (value.length > def.max) {
    throw new GS1Error(`AI (${ai}) ${def.title} is at most ${def.max} characters, got ${value.length}`);
  }
  switch (def.kind) {
    case "gtin":
      if (!isValidGS1Key(value, 14)) throw new GS1Error(`AI (${ai}) GTIN check digit is wrong: "${value}"`);
      break;
    case "sscc":
      if (!isValidGS1Key(value, 18)) throw new GS1Error(`AI (00) SSCC check digit is wrong: "${value}"`);
      break;
    case "date":
      parseGS1Date(value);
      break;
    case "x":
      if (!CSET82.test(value)) {
        throw new GS1Error(`AI (${ai}) ${def.title} has characters outside GS1 character set 82: "${value}"`);
      }
      break;
  }
}

function put(result: ElementString, ai: string, value: string): void {
  if (result.has(ai)) throw new GS1Error(`AI (${ai}) appears twice`);
  checkValue(ai, value);
  result.set(ai, value);
}

/** Parses the bracketed human-readable form, e.g. "(01)09506000134352(17)281231(10)A1(21)SN1". */
export function parseBracketed(text: string): ElementString {
  const result: ElementString = new Map();
  const input = text.trim();
  if (!input.startsWith("(")) throw new GS1Error(`bracketed element string must start with "(": "${text}"`);
  const pattern = /\((\d{2,4})\)([^(]*)/g;
  let consumed = 0;
  for (const match of input.matchAll(pattern)) {
    if (match.index !== consumed) throw new GS1Error(`unexpected text at position ${consumed} of "${text}"`);
    put(result, match[1], match[2]);
    consumed = match.index + match[0].length;
  }
  if (consumed !== input.length) throw new GS1Error(`unexpected text at position ${consumed} of "${text}"`);
  return result;
}

/** Parses a raw scan: AIs and values, variable-length fields ended by GS (FNC1), optional "]d2"-style prefix. */
export function parseRaw(scan: string): ElementString {
  let input = scan.replace(/[\r\n]+$/, "");
  const prefix = SYMBOLOGY_PREFIXES.find((p) => input.startsWith(p));
  if (prefix) input = input.slice(prefix.length);
  if (input.startsWith(GS)) input = input.slice(1); // a leading FNC1 some scanners transmit
  const result: ElementString = new Map();
  let i = 0;
  if (input.length === 0) throw new GS1Error("empty scan");
  while (i < input.length) {
    const ai = input.slice(i, i + 2);
    const def = AI[ai];
    if (!/^\d\d$/.test(ai) || !def) throw new GS1Error(`unsupported or malformed AI "${ai}" at position ${i}`);
    i += 2;
    let value: string;
    if (def.fixed !== undefined) {
      value = input.slice(i, i + def.fixed);
      i += def.fixed;
      if (input[i] === GS) i += 1; // a superfluous separator after a fixed field is tolerated
    } else {
      const end = input.indexOf(GS, i);
      const stop = end === -1 ? input.length : end;
      value = input.slice(i, stop);
      i = end === -1 ? stop : stop + 1;
    }
    put(result, ai, value);
  }
  return result;
}

/** Parses a GS1 Digital Link URI: AIs in the path (key first), others as query parameters. */
export function parseDigitalLink(uri: string): ElementString {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new GS1Error(`not a URI: "${uri}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new GS1Error(`not an http(s) URI: "${uri}"`);
  const segments = url.pathname.split("/").filter((s) => s.length > 0);
  const keyAt = segments.findIndex((s) => s === "01" || s === "00" || s === "gtin" || s === "sscc");
  if (keyAt === -1) throw new GS1Error(`Digital Link has no primary key (01) or (00): "${uri}"`);
  const pathPairs = segments.slice(keyAt);
  if (pathPairs.length % 2 !== 0) throw new GS1Error(`Digital Link path has an AI without value: "${uri}"`);
  const result: ElementString = new Map();
  for (let k = 0; k < pathPairs.length; k += 2) {
    const ai = DIGITAL_LINK_ALIASES[pathPairs[k]] ?? pathPairs[k];
    let value = decodeURIComponent(pathPairs[k + 1]);
    if (ai === "01" || ai === "02") value = normalizeGTIN(value); // DL allows GTIN-8/12/13
    put(result, ai, value);
  }
  for (const [key, raw] of url.searchParams) {
    const ai = DIGITAL_LINK_ALIASES[key] ?? key;
    if (!/^\d{2,4}$/.test(ai)) continue; // non-GS1 query parameters (e.g. linkType) are ignored
    put(result, ai, raw);
  }
  return result;
}

/** Parses any of the three forms, chosen by the input's shape. */
export function parseElementString(input: string): ElementString {
  const text = input.replace(/^\s+/, "");
  if (/^https?:\/\//i.test(text)) return parseDigitalLink(text);
  if (text.startsWith("(")) return parseBracketed(text);
  return parseRaw(text);
}

/** The pack identity (01, 21, 10, 17) of a scanned code; throws naming what is missing. */
export function parsePack(input: string): PackIdentity {
  const elements = parseElementString(input);
  const missing = ["01", "21", "10", "17"].filter((ai) => !elements.has(ai));
  if (missing.length > 0) {
    throw new GS1Error(
      `not a serialised pack code: missing ${missing.map((ai) => `(${ai}) ${AI[ai].title}`).join(", ")}`,
    );
  }
  return {
    gtin: elements.get("01")!,
    serial: elements.get("21")!,
    lot: elements.get("10")!,
    expiry: elements.get("17")!,
  };
}

/** The bracketed form of a pack identity (what a label prints under the code). */
export function formatBracketed(pack: PackIdentity): string {
  return `(01)${pack.gtin}(17)${pack.expiry}(10)${pack.lot}(21)${pack.serial}`;
}

/** The raw GS1 DataMatrix content of a pack: fixed fields first, variable fields ended by GS. */
export function formatRaw(pack: PackIdentity, symbologyPrefix = "]d2"): string {
  return `${symbologyPrefix}01${pack.gtin}17${pack.expiry}10${pack.lot}${GS}21${pack.serial}`;
}

/** The GS1 Digital Link URI of a pack on `domain` (default id.gs1.org). */
export function formatDigitalLink(pack: PackIdentity, domain = "https://id.gs1.org"): string {
  const enc = encodeURIComponent;
  return `${domain}/01/${pack.gtin}/10/${enc(pack.lot)}/21/${enc(pack.serial)}?17=${pack.expiry}`;
}

/** Checks a serial or lot number for AI (21)/(10): 1-20 characters of GS1 character set 82. */
export function checkSerialOrLot(ai: "10" | "21", value: string): string {
  checkValue(ai, value);
  return value;
}

/**
 * A YYMMDD date's calendar parts. The century follows GenSpecs 7.12: YY more than 50 years ahead of
 * the reference year's last two digits is the previous century; 50 or more years behind, the next.
 */
export function parseGS1Date(
  yymmdd: string,
  reference: Date = new Date(),
): { year: number; month: number; day: number } {
  if (!/^\d{6}$/.test(yymmdd)) throw new GS1Error(`date must be YYMMDD: "${yymmdd}"`);
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const refYear = reference.getUTCFullYear();
  const refCentury = refYear - (refYear % 100);
  const diff = yy - (refYear % 100);
  const century = diff >= 51 ? refCentury - 100 : diff <= -50 ? refCentury + 100 : refCentury;
  const year = century + yy;
  if (month < 1 || month > 12) throw new GS1Error(`date has no month ${month}: "${yymmdd}"`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth)
    throw new GS1Error(`date has no day ${day} in ${year}-${String(month).padStart(2, "0")}: "${yymmdd}"`);
  return { year, month, day: day === 0 ? daysInMonth : day };
}

/**
 * The on-chain expiry of an AI (17) date: the first second (unix, UTC) at which the pack is expired,
 * i.e. 00:00 UTC of the day after the printed date (DD = 00 means the last day of the month).
 */
export function expiryTimestamp(yymmdd: string, reference: Date = new Date()): bigint {
  const { year, month, day } = parseGS1Date(yymmdd, reference);
  return BigInt(Date.UTC(year, month - 1, day + 1) / 1000);
}

/** The AI (17) date (YYMMDD) whose on-chain expiry is `timestamp` (inverse of {@link expiryTimestamp}). */
export function gs1DateOfExpiry(timestamp: bigint): string {
  const d = new Date(Number(timestamp) * 1000 - 86_400_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
}

/** Validates an SSCC (18 digits with its check digit). */
export function isValidSSCC(sscc: string): boolean {
  return isValidGS1Key(sscc, 18);
}

/** Validates a GTIN-14. */
export function isValidGTIN14(gtin: string): boolean {
  return isValidGS1Key(gtin, 14);
}
