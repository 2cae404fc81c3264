/**
 * Carechain's indexer configuration. Everything comes from the environment and the deployment
 * record (src/deployment.ts): no address, ABI or block number is written here.
 *
 * - CARECHAIN_RPC_URL (default http://127.0.0.1:8545): the node's JSON-RPC.
 * - CARECHAIN_CHAIN_ID (default 31337) and CARECHAIN_DEPLOYMENT_DIR / CARECHAIN_DEPLOYMENT_ID:
 *   the deployment record (default ignition/deployments/chain-<chain id>).
 * - DATABASE_URL: a PostgreSQL server; without it, embedded PGlite in CARECHAIN_INDEXER_DATA
 *   (default services/indexer/.ponder/pglite).
 * - CARECHAIN_POLLING_MS (default 1000; ≥ 100): how often the head is polled.
 */
import { createConfig } from "ponder";
import { deploymentDirFromEnv, loadIndexedDeployment } from "./src/deployment";

const chainId = Number(process.env.CARECHAIN_CHAIN_ID ?? "31337");
const deployment = loadIndexedDeployment(deploymentDirFromEnv());
// Development chains (hardhat, anvil) reuse their chain id after every restart: Ponder's RPC cache
// (the ponder_sync schema) would serve blocks of a previous chain, so it is off there.
const devChain = chainId === 31337 || chainId === 1337;

const contract = (name: keyof typeof deployment.contracts) => ({
  chain: "carechain" as const,
  abi: deployment.contracts[name].abi,
  address: deployment.contracts[name].address,
  startBlock: deployment.contracts[name].startBlock,
});

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.CARECHAIN_INDEXER_DATA ?? ".ponder/pglite" },
  chains: {
    carechain: {
      id: chainId,
      rpc: process.env.CARECHAIN_RPC_URL ?? "http://127.0.0.1:8545",
      pollingInterval: Number(process.env.CARECHAIN_POLLING_MS ?? "1000"),
      disableCache: devChain || process.env.CARECHAIN_RPC_CACHE === "off",
      ...(process.env.CARECHAIN_GETLOGS_RANGE
        ? { ethGetLogsBlockRange: Number(process.env.CARECHAIN_GETLOGS_RANGE) }
        : {}),
    },
  },
  contracts: {
    MemberRegistry: contract("MemberRegistry"),
    SupplyChain: contract("SupplyChain"),
    RecordAccess: contract("RecordAccess"),
    ClinicalTrials: contract("ClinicalTrials"),
  },
});
