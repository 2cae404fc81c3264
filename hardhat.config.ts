import { HardhatUserConfig, subtask, vars } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";
import { rootHooks } from "./test/helpers/clock";
import { EVM_VERSION, OPTIMIZER, OPTIMIZER_OVERRIDES, SOLC_LONG_VERSION, SOLC_VERSION } from "./scripts/lib/compiler";

// Compiler: scripts/lib/compiler.ts (solc-js from npm, never downloaded; Cancun bytecode).
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: SOLC_LONG_VERSION,
  };
});

/** Remote networks read configuration variables; unset variables leave the network unusable, never the config. */
function remoteAccounts(name: string): string[] {
  return vars.has(name)
    ? vars
        .get(name)
        .split(",")
        .map((k) => k.trim())
    : [];
}

const config: HardhatUserConfig = {
  solidity: {
    // The `compilers` form: Hardhat ignores `overrides` next to a top-level `version`.
    compilers: [{ version: SOLC_VERSION, settings: { optimizer: { ...OPTIMIZER }, evmVersion: EVM_VERSION } }],
    overrides: Object.fromEntries(
      Object.entries(OPTIMIZER_OVERRIDES).map(([file, optimizer]) => [
        file,
        { version: SOLC_VERSION, settings: { optimizer: { ...optimizer }, evmVersion: EVM_VERSION } },
      ]),
    ),
  },
  defaultNetwork: "hardhat",
  networks: {
    hardhat: {
      hardfork: EVM_VERSION,
      // Lots of 1,000,000 serials and the load test need more than the default 20 signers.
      accounts: { count: 30 },
    },
    localhost: { url: vars.get("LOCALHOST_URL", "http://127.0.0.1:8545") },
    sepolia: {
      url: vars.get("SEPOLIA_URL", "http://127.0.0.1:1"),
      accounts: remoteAccounts("SEPOLIA_PRIVATE_KEYS"),
    },
    besu: {
      url: vars.get("BESU_URL", "http://127.0.0.1:8545"),
      chainId: Number(vars.get("BESU_CHAIN_ID", "1337")),
      accounts: remoteAccounts("BESU_PRIVATE_KEYS"),
      // QBFT consortium chains usually run with free gas (min-gas-price 0).
      gasPrice: Number(vars.get("BESU_GAS_PRICE", "0")),
    },
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    currency: "USD",
    offline: true,
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  // The root hook pins the chain clock across fixture reverts (test/helpers/clock.ts, issue 17).
  // The timeout only catches a hang: 15 min, so that no test fails for being slow on a loaded
  // machine (the longest, the partner package and the e2e flows, take minutes under load).
  mocha: { timeout: 900_000, rootHooks },
};

export default config;
