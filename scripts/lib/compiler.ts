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
 * Per-file optimizer settings where the default would not fit EIP-170 (issue 10). ClinicalTrials
 * with its representative module (contracts/trials/TrialRepresentatives.sol) is 26,998 bytes at
 * 10,000 runs, 24,190 at 1,000 (98%, no headroom) and 22,331 at 200 (91%); 200 runs trades a
 * little runtime gas for size until the module becomes its own contract. Every consumer of the
 * compiler settings (hardhat.config.ts `overrides`; foundry.toml's `additional_compiler_profiles`
 * when the forge suite compiles it) uses these.
 */
export const OPTIMIZER_OVERRIDES: Record<string, { enabled: true; runs: number }> = {
  "contracts/trials/ClinicalTrials.sol": { enabled: true, runs: 200 },
};
