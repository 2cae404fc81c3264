/**
 * GS1 identifiers as EPCIS writes them: EPC URIs (GS1 EPC Tag Data Standard 2.x, section 6/7:
 * `urn:epc:id:sgtin:…`, `urn:epc:class:lgtin:…`, `urn:epc:id:sgln:…`, `urn:epc:id:pgln:…`) and their
 * canonical GS1 Digital Link URIs (`https://id.gs1.org/01/…/21/…`), the form the Event Hash ID uses.
 *
 * GS1 Company Prefix length: an EPC URI splits a key into company prefix and reference, and the
 * split is not derivable from the key (GS1 assigns prefixes of 6 to 12 digits; the length is looked up
 * in GS1's GCP length table). Builders therefore take `companyPrefixLength` (default
 * {@link DEFAULT_COMPANY_PREFIX_LENGTH}); partners with another length pass theirs. The choice does not
 * change an Event Hash ID: the hash converts EPC URIs to Digital Link, which has no split.
 */
import { GS1Error, gs1CheckDigit, normalizeGTIN, withCheckDigit } from "../gs1/checkDigit";

/** The company prefix length used when none is given: 7 digits, GS1's most common assignment. */
export const DEFAULT_COMPANY_PREFIX_LENGTH = 7;

function checkPrefixLength(length: number): void {
  if (!Number.isInteger(length) || length < 6 || length > 12)
    throw new GS1Error(`a GS1 Company Prefix has 6 to 12 digits, got ${length}`);
}

/**
 * Escapes a serial or lot for an EPC URI (TDS 2.x, table "characters permitted"): alphanumerics and
 * `!'()*+,-.:;=_` stay, `"%&/<>?` are percent-encoded.
 */
export function escapeEpcComponent(value: string): string {
  return value.replace(/["%&/<>?]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

function gtinParts(gtin: string | bigint, prefixLength: number): { prefix: string; itemRef: string } {
  checkPrefixLength(prefixLength);
  const g = normalizeGTIN(typeof gtin === "bigint" ? gtin.toString().padStart(14, "0") : gtin);
  return { prefix: g.slice(1, 1 + prefixLength), itemRef: g[0] + g.slice(1 + prefixLength, 13) };
}

/** `urn:epc:id:sgtin:<company prefix>.<indicator+item ref>.<serial>` of a serialised pack. */
export function sgtinURI(gtin: string | bigint, serial: string, prefixLength = DEFAULT_COMPANY_PREFIX_LENGTH): string {
  const { prefix, itemRef } = gtinParts(gtin, prefixLength);
  return `urn:epc:id:sgtin:${prefix}.${itemRef}.${escapeEpcComponent(serial)}`;
}

/** `urn:epc:class:lgtin:<company prefix>.<indicator+item ref>.<lot>`: a lot (class-level identity). */
export function lgtinURI(gtin: string | bigint, lot: string, prefixLength = DEFAULT_COMPANY_PREFIX_LENGTH): string {
  const { prefix, itemRef } = gtinParts(gtin, prefixLength);
  return `urn:epc:class:lgtin:${prefix}.${itemRef}.${escapeEpcComponent(lot)}`;
}

function glnParts(gln: string | bigint, prefixLength: number): { prefix: string; ref: string } {
  checkPrefixLength(prefixLength);
  const g = typeof gln === "bigint" ? gln.toString().padStart(13, "0") : gln;
  if (!/^\d{13}$/.test(g) || gs1CheckDigit(g.slice(0, 12)) !== Number(g[12]))
    throw new GS1Error(`"${g}" is not a GLN (13 digits with a valid check digit)`);
  return { prefix: g.slice(0, prefixLength), ref: g.slice(prefixLength, 12) };
}

/** `urn:epc:id:sgln:<company prefix>.<location ref>.<extension>` of a location GLN (extension "0": none). */
export function sglnURI(gln: string | bigint, prefixLength = DEFAULT_COMPANY_PREFIX_LENGTH, extension = "0"): string {
  const { prefix, ref } = glnParts(gln, prefixLength);
  return `urn:epc:id:sgln:${prefix}.${ref}.${escapeEpcComponent(extension)}`;
}

/** `urn:epc:id:pgln:<company prefix>.<party ref>` of a party GLN. */
export function pglnURI(gln: string | bigint, prefixLength = DEFAULT_COMPANY_PREFIX_LENGTH): string {
  const { prefix, ref } = glnParts(gln, prefixLength);
  return `urn:epc:id:pgln:${prefix}.${ref}`;
}

/** GS1 Digital Link URI syntax 1.2, table 7-1: characters a path component percent-encodes. */
function dlEncode(value: string): string {
  return value.replace(/[!()*+,:]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

const EPC = /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/;
const DL = /^https?:\/\/[^/?#]+((?:\/[^/?#]+)+)\/?(?:[?#].*)?$/;
/** Digital Link primary keys the normaliser rewrites, with the key's length when it carries a check digit. */
const DL_KEYS: Readonly<Record<string, number | undefined>> = {
  "00": 18,
  "01": 14,
  "253": undefined,
  "255": undefined,
  "401": undefined,
  "402": 17,
  "414": 13,
  "417": 13,
  "8003": undefined,
  "8004": undefined,
  "8006": undefined,
  "8010": undefined,
  "8017": 18,
  "8018": 18,
};

function fromEpc(kind: string, scheme: string, body: string): string | undefined {
  const parts = body.split(".");
  const key = (prefix: string, ref: string, indicatorFirst: boolean) =>
    withCheckDigit(indicatorFirst ? ref[0] + prefix + ref.slice(1) : prefix + ref);
  if (kind === "id" && scheme === "sgtin" && parts.length >= 3) {
    if (parts[0].length + parts[1].length !== 13) return undefined;
    return `https://id.gs1.org/01/${key(parts[0], parts[1], true)}/21/${dlEncode(parts.slice(2).join("."))}`;
  }
  if (kind === "class" && scheme === "lgtin" && parts.length >= 3) {
    if (parts[0].length + parts[1].length !== 13) return undefined;
    return `https://id.gs1.org/01/${key(parts[0], parts[1], true)}/10/${dlEncode(parts.slice(2).join("."))}`;
  }
  if (kind === "idpat") return fromPattern(scheme, parts, key);
  if (kind !== "id") return undefined;
  switch (scheme) {
    case "sscc":
      return parts.length === 2 && parts[0].length + parts[1].length === 17
        ? `https://id.gs1.org/00/${key(parts[0], parts[1], true)}`
        : undefined;
    case "sgln": {
      if (parts.length < 3 || parts[0].length + parts[1].length !== 12) return undefined;
      const ext = parts.slice(2).join(".");
      const gln = key(parts[0], parts[1], false);
      return ext === "0" ? `https://id.gs1.org/414/${gln}` : `https://id.gs1.org/414/${gln}/254/${dlEncode(ext)}`;
    }
    case "pgln":
      return parts.length === 2 && parts[0].length + parts[1].length === 12
        ? `https://id.gs1.org/417/${key(parts[0], parts[1], false)}`
        : undefined;
    case "grai":
      return parts.length >= 3 && parts[0].length + parts[1].length === 12
        ? `https://id.gs1.org/8003/0${key(parts[0], parts[1], false)}${dlEncode(parts.slice(2).join("."))}`
        : undefined;
    case "giai":
      return parts.length >= 2 ? `https://id.gs1.org/8004/${parts[0]}${dlEncode(parts.slice(1).join("."))}` : undefined;
    case "gdti":
      return parts.length >= 3 && parts[0].length + parts[1].length === 12
        ? `https://id.gs1.org/253/${key(parts[0], parts[1], false)}${dlEncode(parts.slice(2).join("."))}`
        : undefined;
    case "gsrn":
      return parts.length === 2 ? `https://id.gs1.org/8018/${key(parts[0], parts[1], false)}` : undefined;
    case "gsrnp":
      return parts.length === 2 ? `https://id.gs1.org/8017/${key(parts[0], parts[1], false)}` : undefined;
    case "cpi": {
      // The component/part reference may itself contain dots; the serial is after the last one.
      if (parts.length < 3) return undefined;
      const ref = parts.slice(1, -1).join(".");
      return `https://id.gs1.org/8010/${dlEncode(parts[0] + ref)}/8011/${parts[parts.length - 1]}`;
    }
    case "sgcn":
      return parts.length === 3 && parts[0].length + parts[1].length === 12
        ? `https://id.gs1.org/255/${key(parts[0], parts[1], false)}${parts[2]}`
        : undefined;
    case "ginc":
      return parts.length >= 2 ? `https://id.gs1.org/401/${parts[0]}${dlEncode(parts.slice(1).join("."))}` : undefined;
    case "gsin":
      return parts.length === 2 && parts[0].length + parts[1].length === 16
        ? `https://id.gs1.org/402/${key(parts[0], parts[1], false)}`
        : undefined;
    case "itip":
      return parts.length >= 5 && parts[0].length + parts[1].length === 13
        ? `https://id.gs1.org/8006/${key(parts[0], parts[1], true)}${parts[2]}${parts[3]}/21/${dlEncode(parts.slice(4).join("."))}`
        : undefined;
    case "upui":
      return parts.length >= 3 && parts[0].length + parts[1].length === 13
        ? `https://id.gs1.org/01/${key(parts[0], parts[1], true)}/235/${dlEncode(parts.slice(2).join("."))}`
        : undefined;
    default:
      return undefined;
  }
}

/** An EPC ID pattern with its serial part `*`: the class-level key as Digital Link. */
function fromPattern(
  scheme: string,
  parts: string[],
  key: (prefix: string, ref: string, indicatorFirst: boolean) => string,
): string | undefined {
  if (parts[parts.length - 1] !== "*") return undefined;
  const [prefix, ref] = parts;
  switch (scheme) {
    case "sgtin":
    case "upui":
      return parts.length === 3 ? `https://id.gs1.org/01/${key(prefix, ref, true)}` : undefined;
    case "grai":
      return parts.length === 3 ? `https://id.gs1.org/8003/0${key(prefix, ref, false)}` : undefined;
    case "gdti":
      return parts.length === 3 ? `https://id.gs1.org/253/${key(prefix, ref, false)}` : undefined;
    case "sgcn":
      return parts.length === 3 ? `https://id.gs1.org/255/${key(prefix, ref, false)}` : undefined;
    case "cpi":
      return parts.length >= 3
        ? `https://id.gs1.org/8010/${dlEncode(prefix + parts.slice(1, -1).join("."))}`
        : undefined;
    case "itip":
      return parts.length === 5 ? `https://id.gs1.org/8006/${key(prefix, ref, true)}${parts[2]}${parts[3]}` : undefined;
    default:
      return undefined;
  }
}

/** GS1 Digital Link's short names of primary keys and qualifiers, and their AIs. */
const DL_SHORT_NAMES: Readonly<Record<string, string>> = {
  gtin: "01",
  itip: "8006",
  cpid: "8010",
  gln: "414",
  party: "417",
  gsrnp: "8017",
  gsrn: "8018",
  gcn: "255",
  sscc: "00",
  gdti: "253",
  ginc: "401",
  gsin: "402",
  grai: "8003",
  giai: "8004",
  cpv: "22",
  lot: "10",
  ser: "21",
};

function fromDigitalLink(path: string): string | undefined {
  const seg = path
    .split("/")
    .filter(Boolean)
    .map((x) => DL_SHORT_NAMES[x] ?? x);
  // The primary key is the first AI path segment (a resolver may prefix its own path).
  const at = seg.findIndex((x, i) => x in DL_KEYS && /^\d{4}/.test(seg[i + 1] ?? ""));
  if (at < 0) return undefined;
  const [ai, raw, ...rest] = seg.slice(at);
  const length = DL_KEYS[ai];
  const value = length && /^\d+$/.test(raw) ? raw.padStart(length, "0") : raw;
  const qualifiers = new Map<string, string>();
  for (let i = 0; i + 1 < rest.length; i += 2) qualifiers.set(rest[i], rest[i + 1]);
  const base = `https://id.gs1.org/${ai}/${value}`;
  if (ai === "01" || ai === "8006") {
    // The most fine-grained level only: serial, else lot (else, for a GTIN, a third-party id), else the
    // key itself; CPV (22) dropped.
    if (qualifiers.has("21")) return `${base}/21/${qualifiers.get("21")}`;
    if (qualifiers.has("10")) return `${base}/10/${qualifiers.get("10")}`;
    if (ai === "01" && qualifiers.has("235")) return `${base}/235/${qualifiers.get("235")}`;
    return base;
  }
  if (ai === "8010" && qualifiers.has("8011")) return `${base}/8011/${qualifiers.get("8011")}`;
  if (ai === "414" && qualifiers.has("254")) return `${base}/254/${qualifiers.get("254")}`;
  return base;
}

/**
 * The canonical GS1 Digital Link URI of an EPC URI, EPC class URI, EPC ID pattern or any-domain GS1
 * Digital Link URI (lowest identification level, no query string), or undefined when `uri` is none of
 * these (the value is then hashed as it is).
 */
export function toCanonicalDigitalLink(uri: string): string | undefined {
  const epc = EPC.exec(uri);
  if (epc) {
    try {
      return fromEpc(epc[1], epc[2], epc[3]);
    } catch {
      return undefined;
    }
  }
  const dl = DL.exec(uri);
  return dl ? fromDigitalLink(dl[1]) : undefined;
}
