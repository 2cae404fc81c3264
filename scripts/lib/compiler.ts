/**
 * The one solc the project uses, shared by hardhat.config.ts (builds) and scripts/smt-worker.ts
 * (model checker): solc 0.8.28 from the npm `solc` package (solc-js), so compiling never
 * downloads a binary. The bytecode targets the Cancun hard fork (OpenZeppelin >= 5.5 uses
 * `mcopy`); a chain must have Cancun active (Besu: `cancunTime` in genesis) to run it.
 */
export const SOLC_VERSION = "0.8.28";
export const SOLC_LONG_VERSION = "0.8.28+commit.7893614a";
export const EVM_VERSION = "cancun";
export const OPTIMIZER = { enabled: true, runs: 10_000 } as const;

/**
 * Per-file compiler settings where the default would not fit EIP-170 (issues 10, 11). ClinicalTrials
 * with its representative module was 22,206 bytes at 200 runs; the UUPS upgrade entry points
 * (issue 11: upgradeToAndCall, proxiableUUID, the governance check, about 2.4 kB) bring it to 25,001
 * at 200 runs and 24,450 even at 1 run. Compiled through the IR pipeline at 200 runs it is 22,602
 * (92%). RecordAccess, 25,621 bytes at 10,000 runs with its UUPS entry points, was 23,546 at 1,000;
 * with the key-possession proof (issue 19) 24,410 (99.3%), which left no room for any upgrade (the
 * rehearsal's v2, one field and one function, no longer deployed): at 200 runs it is 21,724 (88.4%).
 * Every consumer of the compiler settings (hardhat.config.ts `overrides`; foundry.toml's
 * `additional_compiler_profiles` when the forge suite compiles it) uses these.
 */
export const OPTIMIZER_OVERRIDES: Record<string, { enabled: true; runs: number; viaIR?: boolean }> = {
  "contracts/trials/ClinicalTrials.sol": { enabled: true, runs: 200, viaIR: true },
  "contracts/records/RecordAccess.sol": { enabled: true, runs: 200 },
  // The v2 mocks of the upgrade rehearsal (test/upgrades/rehearsal.ts) compile as their v1 does.
  "contracts/mocks/upgrades/ClinicalTrialsV2Mock.sol": { enabled: true, runs: 200, viaIR: true },
  "contracts/mocks/upgrades/RecordAccessV2Mock.sol": { enabled: true, runs: 200 },
};
