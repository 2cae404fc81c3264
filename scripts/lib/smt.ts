/**
 * What `npm run verify:smt` analyses with solc's model checker (hardhat.smt.config.ts,
 * scripts/verify-smt.ts). Domains add their deployable contracts (and library mocks) here.
 */
import path from "node:path";

/** [source, contract] pairs, analysed one per compiler run so that one slow or crashing contract does not hide the others. */
export const SMT_CONTRACTS: readonly (readonly [source: string, contract: string])[] = [
  ["contracts/mocks/GS1Mock.sol", "GS1Mock"],
];

/**
 * Contracts the model checker cannot analyse here, each with what happened when it was tried.
 * verify:smt prints them on every run; docs/SECURITY.md ("SMTChecker") says what covers them instead.
 */
export const SMT_NOT_ANALYSED: readonly (readonly [contract: string, why: string])[] = [
  [
    "MemberRegistry",
    "soljson 0.8.28 exhausts its memory (std::bad_alloc after ~14 min, all six targets) and, with " +
      'invariants: ["contract"], fails an internal assertion after ~10 min: the CHC encoding of ' +
      "OpenZeppelin AccessControlDefaultAdminRules' state is too large for the wasm build",
  ],
];

export const SMT_TARGETS = ["assert", "underflow", "overflow", "divByZero", "outOfBounds", "popEmptyArray"];

export const SMT_DIR = path.resolve(__dirname, "..", "..", "cache", "smt");

/** One diagnostic of the model checker (or of the compiler while it ran). */
export interface SmtFinding {
  severity: "error" | "warning" | "info";
  errorCode: string | null;
  message: string;
  file: string | null;
  line: number | null;
}

/** The result of analysing one contract, written to cache/smt/<contract>.json. */
export interface SmtResult {
  source: string;
  contract: string;
  seconds: number;
  findings: SmtFinding[];
}
