/**
 * The upgrade rehearsal, last for each deployable contract: it alone checks what only an upgrade would
 * show (the implementation refuses `initialize`, storage carried across) and it runs only for a mutant
 * every other file let through (`--bail`).
 */
const REHEARSAL = "test/upgrades/rehearsal.ts";

/**
 * The project-wide matrices, after a contract's own suites: every state-changing function refuses an
 * unauthorised caller with its exact error (access-control) and every signature-consuming function
 * refuses a bad signature (signed-actions: replay, wrong signer, chain, contract, expired deadline).
 * Some functions' signature checks are tested only there: without them, deleting the check of
 * appointRepresentativeBySig survived (mutant dfba664967). About 6 s each.
 */
const MATRICES = ["test/matrix/signed-actions.ts", "test/matrix/access-control.ts"];

/**
 * Which test files judge a mutant (issue 17). Tests are listed per compiled contract, most specific
 * and fastest first; a mutant of a source file runs the tests of every contract the change reaches
 * (a module or library mutant reaches each contract that inherits or inlines it), smallest
 * contract's tests first. `--bail` stops at the first failing test. Keyed by contract name, so
 * splitting a contract into modules needs no change here.
 */
export const TESTS_BY_CONTRACT: Record<string, string[]> = {
  GS1Mock: ["test/libraries/GS1.test.ts"],
  Secp256k1KeyMock: ["test/libraries/Secp256k1Key.test.ts"],
  AccessBasesMock: ["test/access/bases.test.ts"],
  MemberRegistry: ["test/access/MemberRegistry.test.ts", "test/access/bases.test.ts", ...MATRICES, REHEARSAL],
  SupplyChain: [
    "test/supply/SupplyChain.ts",
    "test/supply/SupplyChain.bounds.ts",
    "test/supply/SupplyChain.properties.ts",
    ...MATRICES,
    REHEARSAL,
  ],
  RecordAccess: [
    "test/records/RecordAccess.ts",
    "test/records/signed.ts",
    "test/records/signedActions.ts",
    "test/records/RecordAccess.properties.ts",
    "test/integration/researchAccess.ts",
    ...MATRICES,
    REHEARSAL,
  ],
  ClinicalTrials: [
    "test/trials/ClinicalTrials.consent.ts",
    "test/trials/ClinicalTrials.registry.ts",
    "test/trials/ClinicalTrials.amendments.ts",
    "test/trials/ClinicalTrials.views.ts",
    "test/trials/ClinicalTrials.representatives.ts",
    "test/trials/ClinicalTrials.properties.ts",
    "test/integration/researchAccess.ts",
    ...MATRICES,
    REHEARSAL,
  ],
};

/**
 * The suite that tests a module's own functions, run first for that module's mutants (`--bail` stops at
 * the first failure, so a mutant caught by the fifth file otherwise pays for the four before it).
 */
export const FIRST_FOR_SOURCE: Record<string, string[]> = {
  "contracts/trials/TrialRepresentatives.sol": ["test/trials/ClinicalTrials.representatives.ts"],
  "contracts/trials/TrialRegistry.sol": [
    "test/trials/ClinicalTrials.registry.ts",
    "test/trials/ClinicalTrials.amendments.ts",
  ],
  "contracts/libraries/DataUse.sol": ["test/trials/ClinicalTrials.views.ts"],
};

/** Order in which contracts' tests run for a shared source: small, fast suites first. */
export const CONTRACT_ORDER = [
  "GS1Mock",
  "Secp256k1KeyMock",
  "AccessBasesMock",
  "MemberRegistry",
  "SupplyChain",
  "RecordAccess",
  "ClinicalTrials",
];

/** Sources never mutated: interfaces (no code) and test mocks. */
export function isMutable(sourceName: string): boolean {
  return (
    sourceName.startsWith("contracts/") &&
    !sourceName.startsWith("contracts/interfaces/") &&
    !sourceName.startsWith("contracts/mocks/")
  );
}

/** The test files for a mutant of `sourceName` reaching `contracts`. */
export function testsFor(contracts: readonly string[], sourceName = ""): string[] {
  const ordered = [...contracts].sort(
    (a, b) => (CONTRACT_ORDER.indexOf(a) + 1 || 99) - (CONTRACT_ORDER.indexOf(b) + 1 || 99),
  );
  const files: string[] = [...(FIRST_FOR_SOURCE[sourceName] ?? [])];
  for (const c of ordered) for (const f of TESTS_BY_CONTRACT[c] ?? []) if (!files.includes(f)) files.push(f);
  return files;
}
