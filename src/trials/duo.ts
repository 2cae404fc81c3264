import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

/**
 * GA4GH Data Use Ontology terms as the bits of a consent's or a request's scope (uint16), the same
 * numbering as contracts/libraries/DataUse.sol.
 */
export const DUO = {
  GRU: { bit: 0, id: "DUO:0000042", label: "general research use" },
  HMB: { bit: 1, id: "DUO:0000006", label: "health or medical or biomedical research" },
  DS: { bit: 2, id: "DUO:0000007", label: "disease specific research" },
  NCU: { bit: 3, id: "DUO:0000046", label: "non-commercial use only" },
  NPU: { bit: 4, id: "DUO:0000045", label: "not-for-profit organisation use only" },
  PUB: { bit: 5, id: "DUO:0000019", label: "publication required" },
  COL: { bit: 6, id: "DUO:0000020", label: "collaboration required" },
  IRB: { bit: 7, id: "DUO:0000021", label: "ethics approval required" },
  TS: { bit: 8, id: "DUO:0000025", label: "time limit on use" },
} as const;
export type DuoCode = keyof typeof DUO;

/** The primary permissions: a consent has exactly one; GRU covers HMB covers DS. */
export const PRIMARY_CODES: readonly DuoCode[] = ["GRU", "HMB", "DS"];
const ALL_CODES = Object.keys(DUO) as DuoCode[];
const ALL_BITS = ALL_CODES.reduce((m, c) => m | (1 << DUO[c].bit), 0);

/** Encodes DUO codes ("GRU", "NCU", …) or DUO ids ("DUO:0000042", …) as a scope bitmask. */
export function encodeScope(terms: readonly string[]): number {
  return terms.reduce((mask, term) => mask | (1 << DUO[duoCodeOf(term)].bit), 0);
}

/** The DUO codes set in `scope`; throws on bits that are no DUO term of Carechain. */
export function decodeScope(scope: number | bigint): DuoCode[] {
  const mask = Number(scope);
  if (mask < 0 || (mask & ~ALL_BITS) !== 0) throw new Error(`scope 0x${mask.toString(16)} has unknown DUO bits`);
  return ALL_CODES.filter((c) => (mask >> DUO[c].bit) & 1);
}

/** The DUO ids of `scope`, e.g. ["DUO:0000006", "DUO:0000046"]. */
export function duoIdsOf(scope: number | bigint): string[] {
  return decodeScope(scope).map((c) => DUO[c].id);
}

/** A code ("HMB"), case-insensitive, or an id ("DUO:0000006") → its code; throws when unknown. */
export function duoCodeOf(term: string): DuoCode {
  const upper = term.trim().toUpperCase();
  if (upper in DUO) return upper as DuoCode;
  const byId = ALL_CODES.find((c) => DUO[c].id === upper);
  if (!byId) throw new Error(`unknown DUO term "${term}" (use ${ALL_CODES.join(", ")} or their DUO ids)`);
  return byId;
}

/** Whether `scope` is a valid consent scope: known bits and exactly one primary permission. */
export function isValidConsentScope(scope: number): boolean {
  if ((scope & ~ALL_BITS) !== 0) return false;
  return PRIMARY_CODES.filter((c) => (scope >> DUO[c].bit) & 1).length === 1;
}

/**
 * The salted hash of a disease code (e.g. an ICD-10 or MONDO code) for a DS consent. The salt is a
 * trial secret shared with the trial's researchers off chain, so that the code cannot be found by
 * hashing every known code. Never put the code itself on chain.
 */
export function diseaseCodeHash(code: string, salt: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "string"], [salt, code.trim().toUpperCase()]));
}

/** Hash of a public registry reference (an NCT number is public, so it needs no salt). */
export function registryRefHash(reference: string): string {
  return keccak256(toUtf8Bytes(reference.trim().toUpperCase()));
}
