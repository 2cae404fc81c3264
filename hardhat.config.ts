import { HardhatUserConfig, subtask, vars } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";
import { installHardhatErrorLines } from "./tasks/hardhatErrors";
import { rootHooks } from "./test/helpers/rootHooks";
import { EVM_VERSION, OPTIMIZER, OPTIMIZER_OVERRIDES, SOLC_LONG_VERSION, SOLC_VERSION } from "./scripts/lib/compiler";

// Compiler: scripts/lib/compiler.ts (solc-js from npm, never downloaded; Cancun bytecode).

/**
 * Hardhat's default outputs plus `storageLayout`, which `npm run check:upgrades` (scripts/check-upgrades.ts,
 * @openzeppelin/upgrades-core) reads from the build info. Output selection is not part of the metadata:
 * the bytecode is the same with or without it.
 */
const OUTPUT_SELECTION = {
  "*": {
    "*": ["abi", "evm.bytecode", "evm.deployedBytecode", "evm.methodIdentifiers", "metadata", "storageLayout"],
    "": ["ast"],
  },
};
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: SOLC_LONG_VERSION,
  };
});

/** The network this command asked for: --network NAME, else HARDHAT_NETWORK. */
function requestedNetwork(): string | undefined {
  const i = process.argv.indexOf("--network");
  if (i !== -1) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith("--network="));
  return eq ? eq.slice("--network=".length) : process.env.HARDHAT_NETWORK;
}

/**
 * A remote network's URL variable: required when the command asks for that network (one line naming
 * the variable, exit code 1, never a silent fall-back to localhost); elsewhere the network stays
 * defined but unreachable, so that every other command works without it.
 */
function remoteUrl(network: string, variable: string): string {
  if (vars.has(variable)) return vars.get(variable);
  if (requestedNetwork() === network) {
    console.error(
      `Error: network ${network} needs ${variable}: npx hardhat vars set ${variable} https://your-node:8545 ` +
        `(or HARDHAT_VAR_${variable}=… for one command)`,
    );
    process.exit(1);
  }
  return "http://unset.invalid"; // never contacted: the check above stops any command that would use it
}

/** Remote networks read configuration variables; unset variables leave the network unusable, never the config. */
function remoteAccounts(name: string): string[] {
  return vars.has(name)
    ? vars
        .get(name)
        .split(",")
        .map((k) => k.trim())
    : [];
}

/**
 * Under `hardhat coverage` the IR pipeline is not used: it is there only for ClinicalTrials' size
 * (EIP-170, which coverage lifts), and a single viaIR file makes solidity-coverage instrument every
 * contract with `abi.encode` hooks, several times slower to run (the coverage run took 3-6× longer).
 */
const UNDER_COVERAGE = process.argv.includes("coverage");

/**
 * The mutation harness (scripts/mutation/, issue 17) compiles ClinicalTrials' mutants without the IR
 * pipeline, as coverage does (5x faster with solc-js): the legacy code is over EIP-170's 24 KB, so
 * its test runs, and only those, lift the limit on the in-process network.
 */
const MUTATION_LEGACY_CODEGEN = process.env.CARECHAIN_MUTATION_LEGACY_CODEGEN === "1";

const config: HardhatUserConfig = {
  solidity: {
    // The `compilers` form: Hardhat ignores `overrides` next to a top-level `version`.
    compilers: [
      {
        version: SOLC_VERSION,
        settings: { optimizer: { ...OPTIMIZER }, evmVersion: EVM_VERSION, outputSelection: OUTPUT_SELECTION },
      },
    ],
    overrides: Object.fromEntries(
      Object.entries(OPTIMIZER_OVERRIDES).map(([file, { viaIR, ...optimizer }]) => [
        file,
        {
          version: SOLC_VERSION,
          settings: {
            optimizer: { ...optimizer },
            evmVersion: EVM_VERSION,
            outputSelection: OUTPUT_SELECTION,
            ...(viaIR && !UNDER_COVERAGE ? { viaIR } : {}),
          },
        },
      ]),
    ),
  },
  defaultNetwork: "hardhat",
  networks: {
    hardhat: {
      hardfork: EVM_VERSION,
      ...(MUTATION_LEGACY_CODEGEN ? { allowUnlimitedContractSize: true } : {}),
      // Lots of 1,000,000 serials and the load test need more than the default 20 signers.
      accounts: { count: 30 },
    },
    localhost: { url: vars.get("LOCALHOST_URL", "http://127.0.0.1:8545") },
    sepolia: {
      url: remoteUrl("sepolia", "SEPOLIA_URL"),
      accounts: remoteAccounts("SEPOLIA_PRIVATE_KEYS"),
    },
    besu: {
      url: remoteUrl("besu", "BESU_URL"),
      chainId: Number(vars.get("BESU_CHAIN_ID", "1337")),
      accounts: remoteAccounts("BESU_PRIVATE_KEYS"),
      // QBFT consortium chains usually run with free gas (min-gas-price 0).
      gasPrice: Number(vars.get("BESU_GAS_PRICE", "0")),
    },
  },
  // Ignition waits `blockPollingInterval` for the next block between batches: 1 s by default, right for
  // a real chain. The in-process network automines, so the next block is already there: the tests'
  // fixtures and the demo deploy without waiting (a consortium deploy took 4.5 s, nearly all of it
  // spent waiting; issue 17, where the mutation run repeats the suites hundreds of times).
  // Left unset elsewhere: Ignition then builds its own config object, which scripts may adjust
  // (scripts/anvil-rehearsal.ts sets 50 ms for anvil); a user-config object would be read-only.
  ...([undefined, "hardhat"].includes(requestedNetwork()) ? { ignition: { blockPollingInterval: 1 } } : {}),
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    currency: "USD",
    offline: true,
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  // The root hooks (test/helpers/rootHooks.ts): the chain clock pinned across fixture reverts (issue 17), Ignition build infos parsed once.
  // The timeout only catches a hang: 15 min, so that no test fails for being slow on a loaded
  // machine (the longest, the partner package and the e2e flows, take minutes under load).
  mocha: { timeout: 900_000, rootHooks },
};

installHardhatErrorLines(Object.keys(config.networks ?? {}));

export default config;
