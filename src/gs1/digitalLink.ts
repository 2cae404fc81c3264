/**
 * GS1 Digital Link URIs (GS1 Digital Link URI syntax 1.x), read as GS1's reference implementation
 * reads them (gs1/gs1-syntax-engine, src/c-lib/dl.c): scheme "http"/"https" in all-lower or
 * all-upper case; any domain and custom path prefix ("stem") before the rightmost primary key; the
 * primary key and its key qualifiers in the path, in the order the dictionary's "dlpkey" gives; data
 * attributes as numeric query parameters; percent-encoding; no trailing slash. Compressed Digital
 * Link URIs are refused with a message saying so (this SDK does not decompress them).
 */
import type { AIEntry } from "./aiTypes";
import { GS1Error } from "./checkDigit";
import { AI_ENTRIES, aiLabel, lookupAI } from "./syntax";

export interface DigitalLinkOptions {
  /** Accept a GTIN-8/12/13 as the path's (01) and pad it to 14 digits (legacy; GS1's default: refuse). */
  permitZeroSuppressedGTIN?: boolean;
  /** Accept the deprecated convenience alphas ("gtin", "lot", "ser", ...) in the path (GS1's default: refuse). */
  permitConvenienceAlphas?: boolean;
}

/** A Digital Link read into AIs, with what surrounds them. */
export interface DigitalLinkParts {
  /** Scheme and domain, e.g. "https://id.gs1.org". */
  origin: string;
  /** The custom path before the primary key ("" when none), e.g. "/some/prefix". */
  stem: string;
  /** The AIs of the path (primary key first, then key qualifiers) and the query, in URI order. */
  elements: [ai: string, value: string][];
  /** How many of `elements` came from the path. */
  pathCount: number;
  /** Non-GS1 query parameters (e.g. linkType), undecoded, in order; a parameter without "=" has value undefined. */
  otherParams: [name: string, value: string | undefined][];
}

/** Convenience alphas of GS1 Digital Link 1.0 (deprecated), as the reference implementation lists them. */
const CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = {
  cpid: "8010",
  cpsn: "8011",
  cpv: "22",
  gcn: "255",
  gdti: "253",
  giai: "8004",
  ginc: "401",
  gln: "414",
  glnx: "254",
  gmn: "8013",
  grai: "8003",
  gsin: "402",
  gsrn: "8018",
  gsrnp: "8017",
  gtin: "01",
  itip: "8006",
  lot: "10",
  party: "417",
  refno: "8020",
  ser: "21",
  srin: "8019",
  sscc: "00",
};

/** Characters permitted anywhere in a URI (RFC 3986 reserved and unreserved, and "%"). */
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
/** Characters of URI_CHARS that a domain must not hold. */
const BAD_DOMAIN_CHARS = /[_~?#@!$&'()*+,;=%]/;
/** The last path segment of a compressed GS1 Digital Link URI (DL URI syntax 1.2 section 6). */
const COMPRESSED_SEGMENT = /^[0-9A-Za-z_-]{10,}$/;

function dlError(message: string, rule: string, ai?: string): GS1Error {
  return new GS1Error(`Digital Link: ${message}`, { ai, rule });
}

/** Percent-decoding as GS1 does: "%XX" with two hex digits decoded, other "%" kept; "+" is a space in the query. */
function unescape(text: string, query: boolean, ai: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "%" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      const code = parseInt(text.slice(i + 1, i + 3), 16);
      if (code === 0) throw dlError(`${aiLabel(ai)} decodes to a NUL character`, "dl-percent-encoding", ai);
      out += String.fromCharCode(code);
      i += 2;
    } else {
      out += query && c === "+" ? " " : c;
    }
  }
  return out;
}

/** Percent-encodes every character outside the URI unreserved set (as GS1's generator does); space is "+" in a query. */
export function escapeDigitalLinkValue(value: string, query = false): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else if (query && c === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function padGTIN(value: string): string {
  return [8, 12, 13].includes(value.length) ? value.padStart(14, "0") : value;
}

/** Whether `seq` (primary key then qualifiers) is a valid key-qualifier path of the dictionary. */
function isValidPathSequence(seq: readonly string[]): boolean {
  const key = AI_ENTRIES.get(seq[0]);
  if (!key?.dlpkey) return false;
  const qualifiers = seq.slice(1);
  return key.dlpkey.some((alt) => {
    let at = 0;
    for (const q of qualifiers) {
      while (at < alt.length && alt[at] !== q) at++;
      if (at === alt.length) return false;
      at++;
    }
    return true;
  });
}

function describeQualifiers(key: AIEntry): string {
  const alts = (key.dlpkey ?? []).filter((a) => a.length > 0).map((a) => a.map((q) => `(${q})`).join(", "));
  return alts.length === 0 ? "no key qualifiers" : `key qualifiers in the order ${alts.join(" or ")}`;
}

/** Parses a GS1 Digital Link URI into its AIs (AI values and pairings are checked by the caller). */
export function splitDigitalLink(uri: string, options: DigitalLinkOptions = {}): DigitalLinkParts {
  const text = uri.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!scheme) throw new GS1Error(`not a URI: "${uri}"`, { rule: "dl-scheme" });
  if (!URI_CHARS.test(text)) {
    const bad = [...text].find((c) => !URI_CHARS.test(c));
    throw dlError(`the URI holds a character not allowed in a URI ("${bad}"): percent-encode it`, "dl-uri-characters");
  }
  if (!["http", "https", "HTTP", "HTTPS"].includes(scheme[1])) {
    if (/^https?$/i.test(scheme[1])) {
      throw dlError(
        `scheme "${scheme[1]}" mixes upper and lower case; GS1 accepts "http", "https", "HTTP" or "HTTPS" only`,
        "dl-scheme",
      );
    }
    throw dlError(`not an http(s) URI (scheme "${scheme[1]}"): "${uri}"`, "dl-scheme");
  }
  const rest = text.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  if (slash <= 0) throw dlError(`the URI has no domain or no path: "${uri}"`, "dl-domain");
  const domain = rest.slice(0, slash);
  if (BAD_DOMAIN_CHARS.test(domain)) throw dlError(`the domain "${domain}" holds an illegal character`, "dl-domain");
  let afterDomain = rest.slice(slash);
  const hash = afterDomain.indexOf("#");
  if (hash !== -1) afterDomain = afterDomain.slice(0, hash); // the fragment is not data
  const q = afterDomain.indexOf("?");
  const path = q === -1 ? afterDomain : afterDomain.slice(0, q);
  const query = q === -1 ? "" : afterDomain.slice(q + 1);

  const resolve = (segment: string): AIEntry | undefined => {
    if (options.permitConvenienceAlphas && /^[a-z]{3,5}$/.test(segment) && CONVENIENCE_ALPHAS[segment]) {
      return lookupAI(CONVENIENCE_ALPHAS[segment]);
    }
    return /^\d{2,4}$/.test(segment) ? lookupAI(segment) : undefined;
  };

  if (path.length > 1 && path.endsWith("/")) {
    throw dlError(`the path must not end with "/": "${uri}"`, "dl-trailing-slash");
  }
  const segments = path.split("/").slice(1);
  // The rightmost primary key starts the GS1 path: walk back over /AI/value pairs from the end.
  let root = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const entry = resolve(segments[i]);
    if (!entry) break;
    if (entry.dlpkey) {
      root = i;
      break;
    }
  }
  if (root === -1) {
    const last = segments[segments.length - 1] ?? "";
    // All digits is far likelier an unknown key or a value without its AI than compressed data.
    if (COMPRESSED_SEGMENT.test(last) && !/^\d+$/.test(last) && query === "") {
      throw dlError(
        `"${uri}" looks like a compressed GS1 Digital Link URI (its path ends in base64url data); ` +
          "this SDK does not decompress Digital Links: decode it with GS1's Digital Link toolkit, or scan the uncompressed URI",
        "dl-compressed",
      );
    }
    throw dlError(`no GS1 primary key (e.g. /01/<GTIN>) found at the end of the path of "${uri}"`, "dl-primary-key");
  }

  const elements: [string, string][] = [];
  for (let i = root; i < segments.length; i += 2) {
    const entry = resolve(segments[i])!;
    const raw = segments[i + 1];
    if (raw.length === 0) throw dlError(`${aiLabel(entry.ai)} has an empty value in the path`, "length", entry.ai);
    let value = unescape(raw, false, entry.ai);
    if (entry.ai === "01" && options.permitZeroSuppressedGTIN) value = padGTIN(value);
    elements.push([entry.ai, value]);
  }
  const pathAIs = elements.map(([ai]) => ai);
  if (!isValidPathSequence(pathAIs)) {
    const key = AI_ENTRIES.get(pathAIs[0])!;
    throw dlError(
      `path AIs ${pathAIs.map((a) => `(${a})`).join(" ")} are not a valid key-qualifier sequence: ` +
        `primary key (${key.ai}) takes ${describeQualifiers(key)}`,
      "dl-key-qualifiers",
      pathAIs[0],
    );
  }
  const pathCount = elements.length;

  const otherParams: [string, string | undefined][] = [];
  for (const param of query.split("&")) {
    if (param === "") continue;
    const eq = param.indexOf("=");
    if (eq === -1) {
      otherParams.push([param, undefined]);
      continue;
    }
    const name = param.slice(0, eq);
    if (!/^\d+$/.test(name)) {
      otherParams.push([name, param.slice(eq + 1)]);
      continue;
    }
    const entry = lookupAI(name);
    if (!entry) {
      throw new GS1Error(`Digital Link: unknown AI (${name}) in the query`, { ai: name, rule: "unknown-ai" });
    }
    const raw = param.slice(eq + 1);
    if (raw.length === 0) throw dlError(`${aiLabel(name)} has an empty value in the query`, "length", name);
    let value = unescape(raw, true, name);
    if (name === "01") value = padGTIN(value);
    if (elements.some(([ai]) => ai === name)) {
      throw dlError(`${aiLabel(name)} appears twice`, "duplicate", name);
    }
    if (!entry.dlAttr) {
      throw dlError(
        `${aiLabel(name)} is not permitted as a Digital Link data attribute (query parameter)`,
        "dl-attribute",
        name,
      );
    }
    for (let j = 1; j <= pathCount; j++) {
      if (isValidPathSequence([...pathAIs.slice(0, j), name, ...pathAIs.slice(j)])) {
        throw dlError(
          `${aiLabel(name)} is a key qualifier of (${pathAIs[0]}) and belongs in the path, not the query`,
          "dl-key-qualifiers",
          name,
        );
      }
    }
    elements.push([name, value]);
  }
  return {
    origin: `${scheme[1]}://${domain}`,
    stem: segments.slice(0, root).length > 0 ? `/${segments.slice(0, root).join("/")}` : "",
    elements,
    pathCount,
    otherParams,
  };
}
