/**
 * What `npm run verify:smt` analyses with solc's model checker (hardhat.smt.config.ts,
 * scripts/verify-smt.ts). Domains add their deployable contracts (and library mocks) here.
 */
import path from "node:path";

/** [source, contract] pairs, analysed one per compiler run so that one slow or crashing contract does not hide the others. */
export const SMT_CONTRACTS: readonly (readonly [source: string, contract: string])[] = [
  ["contracts/mocks/GS1Mock.sol", "GS1Mock"],
  ["contracts/access/MemberRegistry.sol", "MemberRegistry"],
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
