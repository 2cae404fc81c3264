/**
 * The SMTChecker configuration of `npm run verify:smt` (issue 6): what solc's model checker (CHC
 * engine, Z3 inside soljson) analyses, with which targets, and which of its counterexamples are
 * known false positives. scripts/verify-smt.ts runs it; scripts/smt-worker.ts is one compiler run.
 *
 * Why not a Hardhat config: Hardhat builds the compiler input from a directory listing and an
 * asynchronous import walk, so the input's byte layout differs between machines, and the checker
 * is chaotic in it — the same commit took 190 s here and 752 s ending in std::bad_alloc on CI.
 * The worker gives solc one source and answers its import callbacks itself, so the input, and
 * with it the analysis, is the same everywhere. Deliberately no `modelChecker.timeout`: soljson
 * crashes with it.
 */
import path from "node:path";

export const SMT_TARGETS = ["assert", "underflow", "overflow", "divByZero", "outOfBounds", "popEmptyArray"] as const;

export interface SmtSubject {
  source: string;
  contract: string;
  /** One compiler run (its own process) per entry: each run encodes the whole contract again. */
  runs: readonly (readonly string[])[];
  /**
   * Set when the checker is known to run close to soljson's 2 GiB heap: a run that ends in
   * std::bad_alloc is then reported as inconclusive instead of failing the gate. The text says why.
   */
  mayExhaustMemory?: string;
}

export const SMT_SUBJECTS: readonly SmtSubject[] = [
  { source: "contracts/mocks/GS1Mock.sol", contract: "GS1Mock", runs: [SMT_TARGETS] },
  {
    source: "contracts/access/MemberRegistry.sol",
    contract: "MemberRegistry",
    runs: [["underflow"], ["overflow"]],
    mayExhaustMemory:
      "the CHC encoding of OpenZeppelin AccessControlDefaultAdminRules is large: all six targets in one " +
      "run exhaust soljson's 2 GiB heap (std::bad_alloc after ~14 min); one run per target peaks at " +
      "0.6-0.8 GB here",
  },
  // Not listed, with the reason (docs/SECURITY.md §4): RecordAccess, ClinicalTrials and, since its
  // v2 modules and value types (issue 11), SupplyChain make soljson 0.8.28 fail with
  // "InternalCompilerError: Unreported fatal error: std::exception" even for one target per run
  // (SupplyChain after 16-23 s at 300 MB: not the heap).
];

/**
 * Counterexamples ("… happens here") the checker reports that cannot happen, each with its
 * reason in docs/SECURITY.md §4. A counterexample not matched here fails `npm run verify:smt`.
 * Matched by file, target and the text of the reported source line, so edits elsewhere in the
 * file do not break the match.
 */
export const JUSTIFIED_COUNTEREXAMPLES: readonly { file: string; target: string; code: string; why: string }[] = [
  {
    file: "contracts/libraries/GS1.sol",
    target: "Underflow",
    code: "10 ** digits - 1",
    why: "`**` with a variable exponent is not modelled; digits is in [2, 18] on this line",
  },
];

export const SMT_DIR = path.resolve(__dirname, "..", "..", "cache", "smt");

/** One diagnostic of the model checker (or of the compiler while it ran). */
export interface SmtFinding {
  severity: "error" | "warning" | "info";
  errorCode: string | null;
  message: string;
  file: string | null;
  line: number | null;
  /** The reported source line, trimmed. */
  code: string | null;
}

/** What one run of scripts/smt-worker.ts writes to cache/smt/<contract>.<targets>.json. */
export interface SmtRunResult {
  source: string;
  contract: string;
  targets: readonly string[];
  compiler: string;
  seconds: number;
  peakMegabytes: number;
  findings: SmtFinding[];
}

export function runFile(contract: string, targets: readonly string[]): string {
  return path.join(SMT_DIR, `${contract}.${targets.length === SMT_TARGETS.length ? "all" : targets.join("+")}.json`);
}

/** The classes of a finding that the report counts. */
export type SmtVerdict = "safe" | "unproved" | "counterexample" | "unsupported" | "error" | "other";

export function verdictOf(f: SmtFinding): SmtVerdict {
  if (f.severity === "error") return "error";
  if (/^(CHC|BMC):.*is safe/.test(f.message)) return "safe";
  if (/^(CHC|BMC):.*happens here/.test(f.message)) return "counterexample";
  if (/^(CHC|BMC):/.test(f.message)) return "unproved";
  if (f.severity === "warning") return "unsupported";
  return "other";
}

export function isJustified(f: SmtFinding): boolean {
  return JUSTIFIED_COUNTEREXAMPLES.some(
    (j) => f.file === j.file && f.message.includes(j.target) && (f.code ?? "").includes(j.code),
  );
}

/** How solc-js says that the checker ran out of the wasm heap. */
export const OUT_OF_MEMORY = /bad_alloc|out of memory|Cannot enlarge memory|Aborted\(OOM\)/i;

export type SmtOutcome = "analysed" | "inconclusive" | "failed";

/** A run's outcome from the errors it ended with (compiler diagnostics or the worker's own exit). */
export function outcomeOf(subject: SmtSubject, errors: readonly string[]): SmtOutcome {
  if (errors.length === 0) return "analysed";
  return subject.mayExhaustMemory !== undefined && errors.every((e) => OUT_OF_MEMORY.test(e))
    ? "inconclusive"
    : "failed";
}
