/**
 * GS1 element strings as printed and scanned on medicine packs (GS1 General Specifications 3 and 7.8,
 * GS1 Digital Link URI syntax 1.x): the bracketed human-readable form "(01)…(17)…(10)…(21)…", the raw
 * scan with FNC1 as the ASCII group separator (GS, 0x1D) behind the scanner's AIM symbology identifier
 * (ISO/IEC 15424), and Digital Link URIs "https://id.gs1.org/01/…/10/…/21/…?17=…".
 *
 * Every AI of the GS1 Barcode Syntax Dictionary is read (the table is generated from it, see
 * aiTable.generated.ts) and checked as GS1's own Syntax Engine checks it: lengths, character sets,
 * check digits, dates, the other linters the dictionary names, and the AI pairings it requires (req)
 * or forbids (ex). Errors are GS1Errors whose message names the AI and the rule (also in `.ai`, `.rule`).
 */
import type { AIEntry } from "./aiTypes";
import { GS1Error, isValidGS1Key } from "./checkDigit";
import {
  escapeDigitalLinkValue,
  splitDigitalLink,
  type DigitalLinkOptions,
  type DigitalLinkParts,
} from "./digitalLink";
import { AI_ENTRIES, aiAtStartOf, predefinedLength, requireAI, validateAIValue, validateAssociations } from "./syntax";

/** Every AI of the GS1 Barcode Syntax Dictionary, by AI (title, flags, components, req/ex, dlpkey). */
export const AI: Readonly<Record<string, AIEntry>> = Object.fromEntries(AI_ENTRIES);

/** Options of the parsers. The defaults follow GS1's Syntax Engine. */
export interface GS1ParseOptions extends DigitalLinkOptions {
  /**
   * Check the AI pairings (req / ex) over the data read (default true). Turn off when the data of
   * one item is spread over several carriers, and call validateAssociations on the combined AIs.
   */
  checkAssociations?: boolean;
}

/**
 * AIM symbology identifiers (ISO/IEC 15424) whose data is a GS1 AI element string: GS1 DataMatrix,
 * GS1 QR Code, GS1-128, GS1 DataBar (and GS1 Composite), GS1 DotCode.
 */
export const GS1_AI_SYMBOLOGY_IDENTIFIERS: readonly string[] = ["]d2", "]Q3", "]C1", "]e0", "]J1"];
/** Identifiers of plain-data symbols that may carry a GS1 Digital Link URI: DataMatrix, QR Code, DotCode, Code 128. */
export const PLAIN_SYMBOLOGY_IDENTIFIERS: readonly string[] = ["]d1", "]Q1", "]J0", "]C0"];
/** Identifiers of EAN/UPC symbols: "]E0" EAN-13, UPC-A and UPC-E (13 digits), "]E4" EAN-8. */
export const EAN_UPC_SYMBOLOGY_IDENTIFIERS: readonly string[] = ["]E0", "]E4"];

/** The ASCII group separator a scanner emits for FNC1. */
export const GS = "\u001d";

/** A parsed element string: every AI read, in order, with its value. */
export type ElementString = Map<string, string>;

/** What parseGS1 read: the AIs, the form they came in, and the scanner's symbology identifier if any. */
export interface GS1Data {
  form: "bracketed" | "element-string" | "digital-link" | "ean-upc";
  /** The AIM symbology identifier that prefixed the scan, e.g. "]d2". */
  symbologyId?: string;
  elements: ElementString;
  /** For a Digital Link: origin, custom path prefix, non-GS1 query parameters. */
  digitalLink?: Omit<DigitalLinkParts, "elements">;
}

/** The four data elements FMD/DSCSA require on a pack (GTIN, serial, lot, expiry). */
export interface PackIdentity {
  /** GTIN-14. */
  gtin: string;
  serial: string;
  lot: string;
  /** AI (17) as printed: YYMMDD (DD may be 00, meaning the end of the month). */
  expiry: string;
}

function put(result: ElementString, ai: string, value: string): void {
  validateAIValue(ai, value);
  const before = result.get(ai);
  if (before !== undefined && before !== value) {
    throw new GS1Error(`AI (${ai}) ${AI[ai].title} appears twice with different values: "${before}" and "${value}"`, {
      ai,
      rule: "duplicate",
    });
  }
  result.set(ai, value);
}

function finish(result: ElementString, options: GS1ParseOptions): ElementString {
  if (options.checkAssociations !== false) validateAssociations(result.keys());
  return result;
}

/**
 * Parses the bracketed human-readable form, e.g. "(01)09506000134352(17)281231(10)A1(21)SN1".
 * A "(" inside a value is written "\(" (as GS1's Syntax Engine reads it).
 */
export function parseBracketed(text: string, options: GS1ParseOptions = {}): ElementString {
  const result: ElementString = new Map();
  // Leading blanks and a trailing line break are not data; anything else is (e.g. "(10) " is a bad value).
  const input = text.replace(/^\s+/, "").replace(/[\r\n]+$/, "");
  if (!input.startsWith("(")) throw new GS1Error(`bracketed element string must start with "(": "${text}"`);
  let i = 0;
  while (i < input.length) {
    if (input[i] !== "(") throw new GS1Error(`unexpected text at position ${i} of "${text}"`);
    const close = input.indexOf(")", i);
    const ai = close === -1 ? "" : input.slice(i + 1, close);
    if (!/^\d{2,4}$/.test(ai)) throw new GS1Error(`malformed AI at position ${i} of "${text}"`, { rule: "unknown-ai" });
    requireAI(ai);
    let value = "";
    let j = close + 1;
    while (j < input.length && input[j] !== "(") {
      if (input[j] === "\\" && input[j + 1] === "(") {
        value += "(";
        j += 2;
      } else {
        value += input[j++];
      }
    }
    put(result, ai, value);
    i = j;
  }
  return finish(result, options);
}

/** Reads AI data after the symbology identifier: fixed-length AIs by length, the others ended by GS. */
function parseAIData(data: string, options: GS1ParseOptions): ElementString {
  let input = data;
  if (input.startsWith(GS)) input = input.slice(1); // a leading FNC1 some scanners transmit
  if (input.length === 0) throw new GS1Error("empty scan");
  const result: ElementString = new Map();
  let i = 0;
  while (i < input.length) {
    const entry = aiAtStartOf(input.slice(i));
    if (!entry) {
      throw new GS1Error(
        `unsupported or malformed AI at position ${i}: no AI of the GS1 Barcode Syntax Dictionary starts "${input.slice(i, i + 4)}"`,
        { rule: "unknown-ai" },
      );
    }
    i += entry.ai.length;
    let value: string;
    const fixed = predefinedLength(entry);
    if (fixed !== undefined) {
      value = input.slice(i, i + fixed);
      if (value.includes(GS)) value = value.slice(0, value.indexOf(GS));
      i += value.length;
      if (input[i] === GS) i += 1; // a superfluous separator after a fixed field is tolerated
    } else {
      const end = input.indexOf(GS, i);
      const stop = end === -1 ? input.length : end;
      value = input.slice(i, stop);
      i = end === -1 ? stop : stop + 1;
    }
    put(result, entry.ai, value);
  }
  return finish(result, options);
}

/**
 * Parses a raw scan of GS1 AI data: AIs and values, variable-length fields ended by GS (FNC1),
 * optionally behind a GS1 symbology identifier ("]d2", "]Q3", "]C1", "]e0", "]J1").
 */
export function parseRaw(scan: string, options: GS1ParseOptions = {}): ElementString {
  const input = scan.replace(/[\r\n]+$/, "");
  if (input.startsWith("]")) {
    const id = input.slice(0, 3);
    if (!GS1_AI_SYMBOLOGY_IDENTIFIERS.includes(id)) {
      throw new GS1Error(`symbology identifier "${id}" does not announce GS1 AI data: use parseElementString`, {
        rule: "symbology",
      });
    }
    return parseAIData(input.slice(3), options);
  }
  return parseAIData(input, options);
}

/** Parses a GS1 Digital Link URI: the primary key and qualifiers in the path, data attributes in the query. */
export function parseDigitalLink(uri: string, options: GS1ParseOptions = {}): ElementString {
  return digitalLinkData(uri, options).elements;
}

function digitalLinkData(uri: string, options: GS1ParseOptions): GS1Data {
  const { elements, ...rest } = splitDigitalLink(uri, options);
  const result: ElementString = new Map();
  for (const [ai, value] of elements) put(result, ai, value);
  return { form: "digital-link", elements: finish(result, options), digitalLink: rest };
}

function eanUpc(id: string, body: string, options: GS1ParseOptions): GS1Data {
  const length = id === "]E4" ? 8 : 13;
  const primary = body.slice(0, length);
  if (!new RegExp(`^\\d{${length}}$`).test(primary)) {
    throw new GS1Error(`${id} scan must start with ${length} digits: "${body}"`, { ai: "01", rule: "cset N" });
  }
  if (!isValidGS1Key(primary)) {
    throw new GS1Error(`AI (01) GTIN: incorrect check digit in ${id} scan "${primary}" (rule: csum)`, {
      ai: "01",
      rule: "csum",
    });
  }
  const result: ElementString = new Map([["01", primary.padStart(14, "0")]]);
  const rest = body.slice(length);
  if (rest !== "") {
    // A composite component follows as a new message "|]e0…" (GS1 Syntax Engine scandata).
    if (!rest.startsWith("|]e0")) throw new GS1Error(`${id} scan has unexpected data after the GTIN: "${rest}"`);
    for (const [ai, value] of parseAIData(rest.slice(4), { ...options, checkAssociations: false }))
      put(result, ai, value);
  }
  return { form: "ean-upc", symbologyId: id, elements: finish(result, options) };
}

/**
 * Parses anything a GS1 scanner or label gives, chosen by its shape: an AIM symbology identifier
 * ("]d2" etc. for AI data; "]Q1", "]d1", "]J0", "]C0" before a Digital Link URI; "]E0"/"]E4" EAN/UPC),
 * a Digital Link URI, the bracketed form, or a raw element string.
 */
export function parseGS1(input: string, options: GS1ParseOptions = {}): GS1Data {
  const text = input.replace(/^\s+/, "").replace(/[\r\n]+$/, "");
  if (text.startsWith("]")) {
    const id = text.slice(0, 3);
    const body = text.slice(3);
    if (GS1_AI_SYMBOLOGY_IDENTIFIERS.includes(id)) {
      return { form: "element-string", symbologyId: id, elements: parseAIData(body, options) };
    }
    if (PLAIN_SYMBOLOGY_IDENTIFIERS.includes(id)) {
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(body)) {
        throw new GS1Error(`symbology identifier "${id}" carries plain data that is not a GS1 Digital Link URI`, {
          rule: "symbology",
        });
      }
      return { ...digitalLinkData(body, options), symbologyId: id };
    }
    if (EAN_UPC_SYMBOLOGY_IDENTIFIERS.includes(id)) return eanUpc(id, body, options);
    throw new GS1Error(`unsupported symbology identifier "${id}"`, { rule: "symbology" });
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return digitalLinkData(text, options);
  if (text.startsWith("(")) return { form: "bracketed", elements: parseBracketed(text, options) };
  return { form: "element-string", elements: parseAIData(text, options) };
}

/** Parses any of the forms, chosen by the input's shape (see parseGS1), into its AIs. */
export function parseElementString(input: string, options: GS1ParseOptions = {}): ElementString {
  return parseGS1(input, options).elements;
}

/** The pack identity (01, 21, 10, 17) of a scanned code; throws naming what is missing. */
export function parsePack(input: string, options: GS1ParseOptions = {}): PackIdentity {
  const elements = parseElementString(input, options);
  const missing = ["01", "21", "10", "17"].filter((ai) => !elements.has(ai));
  if (missing.length > 0) {
    throw new GS1Error(
      `not a serialised pack code: missing ${missing.map((ai) => `(${ai}) ${AI[ai].title}`).join(", ")}`,
      { ai: missing[0], rule: "pack" },
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
  const enc = (v: string) => escapeDigitalLinkValue(v);
  return `${domain.replace(/\/$/, "")}/01/${pack.gtin}/10/${enc(pack.lot)}/21/${enc(pack.serial)}?17=${pack.expiry}`;
}

/** Checks a serial or lot number for AI (21)/(10): 1-20 characters of GS1 character set 82. */
export function checkSerialOrLot(ai: "10" | "21", value: string): string {
  validateAIValue(ai, value);
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
