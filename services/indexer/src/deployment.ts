/**
 * The one source of truth for what the indexer watches: a Hardhat Ignition deployment record.
 *
 * - addresses: `<dir>/deployed_addresses.json` (future id "<Module>#<Contract>" → address);
 * - ABIs: `<dir>/artifacts/<future id>.json`, the artifact Ignition recorded when it deployed
 *   (exactly the code at that address), falling back to the project's compiled `artifacts/`;
 * - start blocks: the block of each contract's deployment transaction, from `<dir>/journal.jsonl`.
 *
 * Nothing is copied: point CARECHAIN_DEPLOYMENT_DIR (a deployment folder) or
 * CARECHAIN_DEPLOYMENT_ID (a folder under <project>/ignition/deployments) at the record.
 * Plain Node (no Ponder import), so tests and scripts can read the same record.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi } from "viem";

/** The four contracts indexed: indexer name → Ignition future id (the SDK's DEPLOYABLE_CONTRACTS). */
export const INDEXED_CONTRACTS = {
  MemberRegistry: "Registry#MemberRegistry",
  SupplyChain: "Supply#SupplyChain",
  RecordAccess: "Records#RecordAccess",
  ClinicalTrials: "Trials#ClinicalTrials",
} as const;

export type IndexedContract = keyof typeof INDEXED_CONTRACTS;

export interface IndexedDeployment {
  dir: string;
  contracts: Record<IndexedContract, { address: `0x${string}`; abi: Abi; startBlock: number }>;
}

/** The repository root (services/indexer/src/deployment.ts → ../../..). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The deployment folder named by the environment (default: ignition/deployments/chain-<CARECHAIN_CHAIN_ID or 31337>). */
export function deploymentDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CARECHAIN_DEPLOYMENT_DIR) return path.resolve(env.CARECHAIN_DEPLOYMENT_DIR);
  const id = env.CARECHAIN_DEPLOYMENT_ID ?? `chain-${env.CARECHAIN_CHAIN_ID ?? "31337"}`;
  return path.join(PROJECT_ROOT, "ignition", "deployments", id);
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The block of each future's deployment transaction, from Ignition's journal. */
export function deploymentBlocks(dir: string): Record<string, number> {
  const file = path.join(dir, "journal.jsonl");
  const blocks: Record<string, number> = {};
  if (!fs.existsSync(file)) return blocks;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const message = JSON.parse(line) as {
      type?: string;
      futureId?: string;
      receipt?: { blockNumber?: number; contractAddress?: string };
    };
    if (message.type !== "TRANSACTION_CONFIRM" || !message.futureId || !message.receipt?.contractAddress) continue;
    if (typeof message.receipt.blockNumber === "number") blocks[message.futureId] = message.receipt.blockNumber;
  }
  return blocks;
}

/** The ABI of `futureId`: Ignition's recorded artifact, else the project's compiled artifact of `contract`. */
function abiOf(dir: string, futureId: string, contract: string): Abi {
  const recorded = path.join(dir, "artifacts", `${futureId}.json`);
  if (fs.existsSync(recorded)) return (readJson(recorded) as { abi: Abi }).abi;
  const compiled = findCompiledArtifact(contract);
  if (!compiled) throw new Error(`no artifact for ${futureId} in ${dir}/artifacts or ${PROJECT_ROOT}/artifacts`);
  return (readJson(compiled) as { abi: Abi }).abi;
}

/** <project>/artifacts/contracts/**\/<contract>.sol/<contract>.json, if compiled. */
export function findCompiledArtifact(contract: string, root = PROJECT_ROOT): string | undefined {
  const base = path.join(root, "artifacts", "contracts");
  if (!fs.existsSync(base)) return undefined;
  for (const domain of fs.readdirSync(base)) {
    const file = path.join(base, domain, `${contract}.sol`, `${contract}.json`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Reads the deployment record in `dir`; throws with a clear message when something is missing. */
export function loadIndexedDeployment(dir: string = deploymentDirFromEnv()): IndexedDeployment {
  const addressesFile = path.join(dir, "deployed_addresses.json");
  if (!fs.existsSync(addressesFile)) {
    throw new Error(
      `no deployment record at ${addressesFile}: set CARECHAIN_DEPLOYMENT_DIR or CARECHAIN_DEPLOYMENT_ID (see docs/INDEXER.md)`,
    );
  }
  const addresses = readJson(addressesFile) as Record<string, string>;
  const blocks = deploymentBlocks(dir);
  const contracts = {} as IndexedDeployment["contracts"];
  for (const [name, futureId] of Object.entries(INDEXED_CONTRACTS) as [IndexedContract, string][]) {
    const address = addresses[futureId];
    if (!address) throw new Error(`${futureId} is not in ${addressesFile}`);
    contracts[name] = {
      address: address as `0x${string}`,
      abi: abiOf(dir, futureId, name),
      // A proxied contract (ignition/modules/proxy.ts) is a contractAt future: its block is its proxy's.
      startBlock: blocks[futureId] ?? blocks[`${futureId}Proxy`] ?? 0,
    };
  }
  return { dir, contracts };
}
