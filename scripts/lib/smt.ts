/**
 * What `npm run verify:smt` analyses with solc's model checker (hardhat.smt.config.ts,
 * scripts/verify-smt.ts). Domains add their deployable contracts (and library mocks) here.
 */
import path from "node:path";

export const SMT_TARGETS = ["assert", "underflow", "overflow", "divByZero", "outOfBounds", "popEmptyArray"];

/**
 * What is analysed, one compiler run per entry, so that one slow or crashing contract does not
 * hide the others. `targets` narrows SMT_TARGETS where the full set cannot finish; `note` says why
 * (printed by every run).
 */
export const SMT_CONTRACTS: readonly {
  source: string;
  contract: string;
  targets?: readonly string[];
  note?: string;
}[] = [
  { source: "contracts/mocks/GS1Mock.sol", contract: "GS1Mock" },
  {
    source: "contracts/access/MemberRegistry.sol",
    contract: "MemberRegistry",
    targets: ["underflow", "overflow"],
    note:
      "underflow and overflow only: with all six targets soljson 0.8.28 exhausts its memory " +
      '(std::bad_alloc after ~14 min) and with invariants: ["contract"] it fails an internal ' +
      "assertion (~10 min) — the CHC encoding of OpenZeppelin AccessControlDefaultAdminRules is too " +
      "large for the wasm build",
  },
  {
    source: "contracts/supply/SupplyChain.sol",
    contract: "SupplyChain",
    targets: ["underflow", "overflow"],
    note: "underflow and overflow only, for the same wasm memory limit as MemberRegistry (~3 min)",
  },
  // Not listed, with the reason (docs/SECURITY.md §4): RecordAccess and ClinicalTrials make soljson
  // 0.8.28 fail with "InternalCompilerError: Unreported fatal error: std::exception" after about
  // 4 minutes even for underflow and overflow alone (tried 2026-11-24).
];

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
  targets: readonly string[];
  seconds: number;
  findings: SmtFinding[];
}
