/**
 * GS1 standard check digit (GS1 General Specifications 7.9.1): from the digit left of the check
 * digit, weights alternate 3, 1, 3, ...; the check digit brings the weighted sum to a multiple of 10.
 */

/** Lengths of the GS1 keys Carechain uses. */
export const GS1_KEY_LENGTH = { GTIN: 14, GLN: 13, SSCC: 18 } as const;

/** What a GS1 parse or check refused: `ai` is the application identifier concerned, `rule` the rule broken. */
export interface GS1ErrorDetails {
  /** The AI concerned, e.g. "17", when the error is about one AI. */
  ai?: string;
  /**
   * The rule broken: a GS1 Barcode Syntax Dictionary linter ("csum", "yymmd0", ...), a character set
   * ("cset 82"), "length", "req", "ex", "duplicate", "unknown-ai", or a Digital Link rule ("dl-...").
   */
  rule?: string;
}

export class GS1Error extends Error {
  readonly ai?: string;
  readonly rule?: string;

  constructor(message: string, details: GS1ErrorDetails = {}) {
    super(message);
    this.name = "GS1Error";
    this.ai = details.ai;
    this.rule = details.rule;
  }
}

/** The check digit for `body`, the key's digits without its check digit. */
export function gs1CheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new GS1Error(`not a string of digits: "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether `key` is all digits, `length` long when given, with a correct check digit. */
export function isValidGS1Key(key: string, length?: number): boolean {
  if (!/^\d{2,18}$/.test(key)) return false;
  if (length !== undefined && key.length !== length) return false;
  return gs1CheckDigit(key.slice(0, -1)) === Number(key[key.length - 1]);
}

/** `body` with its check digit appended. */
export function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** A GTIN-8/12/13/14 as the 14-digit form the contracts hold (left-padded with zeros), validated. */
export function normalizeGTIN(gtin: string): string {
  const trimmed = gtin.trim();
  if (![8, 12, 13, 14].includes(trimmed.length) || !/^\d+$/.test(trimmed)) {
    throw new GS1Error(`GTIN must be 8, 12, 13 or 14 digits: "${gtin}"`);
  }
  const padded = trimmed.padStart(GS1_KEY_LENGTH.GTIN, "0");
  if (!isValidGS1Key(padded)) throw new GS1Error(`GTIN check digit is wrong: "${gtin}"`);
  return padded;
}

/** A 13-digit GLN, validated, as the bigint the contracts hold. */
export function parseGLN(gln: string): bigint {
  const trimmed = gln.trim();
  if (!isValidGS1Key(trimmed, GS1_KEY_LENGTH.GLN)) {
    throw new GS1Error(`GLN must be 13 digits with a valid check digit: "${gln}"`);
  }
  return BigInt(trimmed);
}

/** A GLN's canonical 13-digit string from the bigint the contracts hold. */
export function formatGLN(gln: bigint): string {
  return gln.toString().padStart(GS1_KEY_LENGTH.GLN, "0");
}
