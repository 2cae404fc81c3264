/**
 * The shape of one application identifier as the GS1 Barcode Syntax Dictionary describes it
 * (scripts/gs1/gs1-syntax-dictionary.txt, header "Syntax:"). The table itself, aiTable.generated.ts,
 * is generated from the dictionary by scripts/gen-gs1-ais.ts; a test regenerates it and compares.
 */

/** Character sets of the dictionary: N digits, X GS1 AI encodable set 82, Y set 39, Z set 64 (base64url). */
export type CharacterSet = "N" | "X" | "Y" | "Z";

/** One component of an AI's data field, e.g. "N13,csum,gcppos1" or "[X..17]". */
export interface AIComponent {
  cset: CharacterSet;
  min: number;
  max: number;
  /** Written "[...]" in the dictionary: may be absent once the data is exhausted. */
  optional: boolean;
  /** Names of the GS1 linters (syntax tests) applied to this component, in order. */
  linters: readonly string[];
}

export interface AIEntry {
  /** The AI, 2 to 4 digits. */
  ai: string;
  /** The data title, e.g. "BATCH/LOT". */
  title: string;
  /** False for the AIs of predefined length that need no FNC1 separator (dictionary flag "*"). */
  fnc1: boolean;
  /** Permitted as a GS1 Digital Link data attribute (query parameter; dictionary flag "?"). */
  dlAttr: boolean;
  components: readonly AIComponent[];
  /**
   * "req=" attributes: each must be satisfied. One attribute lists alternatives (comma), each an
   * AND-group (plus) of AI patterns ("n" matches any digit), e.g. req=01+21,03+21.
   */
  req: readonly (readonly (readonly string[])[])[];
  /** "ex=" attributes: AI patterns this AI must not appear with (an AI never excludes itself). */
  ex: readonly (readonly string[])[];
  /**
   * "dlpkey": this AI is a Digital Link primary key; each element is one permitted sequence of
   * optional key qualifiers, in order ([] when none). Undefined when the AI is not a primary key.
   */
  dlpkey?: readonly (readonly string[])[];
}

/** One row of the generated table: one dictionary line, possibly a range of AIs ("3100-3105"). */
export interface AITableRow extends Omit<AIEntry, "ai"> {
  /** The first AI of the row. */
  ai: string;
  /** The last AI of a range row (same length as `ai`); absent for a single AI. */
  last?: string;
}
