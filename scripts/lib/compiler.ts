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
