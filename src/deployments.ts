/**
 * Where Carechain's contracts live on each chain, read from Hardhat Ignition's deployment records:
 * `ignition/deployments/<deployment id>/deployed_addresses.json`, whose keys are Ignition future
 * ids "<Module>#<Contract>". The default deployment id of a chain is `chain-<chainId>`.
 *
 * The records of the public deployments ship inside the npm package (package.json "files"), so a
 * partner's code finds the addresses by chain id without any configuration; a deployment of their
 * own is read by passing `root` (a project folder) or `dir` (a deployment folder).
 */
import fs from "node:fs";
import path from "node:path";
import { getAddress } from "ethers";

/**
 * Every contract Carechain deploys: the SDK's name for it → its Ignition module and Solidity
 * contract name (the future id is "<module>#<contract>"). THE one list of deployable contracts:
 * the size check, the ABI export, the access-control matrix and this module all read it.
 * A domain adds its contracts here when its Ignition module lands.
 */
export const DEPLOYABLE_CONTRACTS = {
  registry: { module: "Registry", contract: "MemberRegistry" },
  supply: { module: "Supply", contract: "SupplyChain" },
  trials: { module: "Trials", contract: "ClinicalTrials" },
  records: { module: "Records", contract: "RecordAccess" },
} as const satisfies Record<string, { module: string; contract: string }>;

/** The SDK's name of a deployable contract ("registry", …). */
export type ContractKey = keyof typeof DEPLOYABLE_CONTRACTS;

/** Addresses by SDK name; a deployment of only some modules has only some. */
export type CarechainAddresses = Partial<Record<ContractKey, string>>;

/** One deployment record. */
export interface Deployment {
  /** The folder the record was read from. */
  dir: string;
  /** Addresses of the deployable contracts found in the record, checksummed. */
  addresses: CarechainAddresses;
  /** Every future id of the record → its address, checksummed (includes helper contracts). */
  futures: Record<string, string>;
}

export class DeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentError";
  }
}

/** The Ignition future id of a deployable contract, e.g. "Registry#MemberRegistry". */
export function futureIdOf(key: ContractKey): string {
  const { module, contract } = DEPLOYABLE_CONTRACTS[key];
  return `${module}#${contract}`;
}

/** The keys of every deployable contract, in declaration order. */
export function contractKeys(): ContractKey[] {
  return Object.keys(DEPLOYABLE_CONTRACTS) as ContractKey[];
}

/**
 * Typed addresses from the content of a deployed_addresses.json. Throws DeploymentError on
 * anything that is not a map of future ids to addresses.
 */
export function parseDeployedAddresses(json: unknown, dir = "<memory>"): Deployment {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DeploymentError(`${dir}: deployed_addresses.json is not an object`);
  }
  const futures: Record<string, string> = {};
  for (const [futureId, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value !== "string") throw new DeploymentError(`${dir}: ${futureId} is not an address`);
    try {
      futures[futureId] = getAddress(value);
    } catch {
      throw new DeploymentError(`${dir}: ${futureId} is not an address: ${value}`);
    }
  }
  const addresses: CarechainAddresses = {};
  for (const key of contractKeys()) {
    const address = futures[futureIdOf(key)];
    if (address !== undefined) addresses[key] = address;
  }
  return { dir, addresses, futures };
}

/**
 * The folder holding this package's package.json: the repository when the SDK runs from
 * source, node_modules/carechain when it runs from the installed package (dist/src/…).
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      if (name === "carechain") return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new DeploymentError(`no carechain package.json above ${from}`);
    dir = parent;
  }
}

/** The Ignition deployments folder of `root` (default: this package). */
export function deploymentsDir(root: string = packageRoot()): string {
  return path.join(root, "ignition", "deployments");
}

export interface DeploymentLocation {
  /** A project folder holding ignition/deployments (default: this package). */
  root?: string;
  /** A deployment folder holding deployed_addresses.json (overrides root and the chain id). */
  dir?: string;
  /** An Ignition deployment id other than `chain-<chainId>`. */
  deploymentId?: string;
}

/** The deployment folder of `chainId` (or of `location.dir` / `location.deploymentId`). */
export function deploymentDirOf(chainId: bigint | number, location: DeploymentLocation = {}): string {
  if (location.dir !== undefined) return location.dir;
  return path.join(deploymentsDir(location.root), location.deploymentId ?? `chain-${BigInt(chainId)}`);
}

/** The deployment record of `chainId`, or undefined when there is none. */
export function findDeployment(chainId: bigint | number, location: DeploymentLocation = {}): Deployment | undefined {
  const dir = deploymentDirOf(chainId, location);
  const file = path.join(dir, "deployed_addresses.json");
  if (!fs.existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new DeploymentError(`${file}: ${(error as Error).message}`);
  }
  return parseDeployedAddresses(json, dir);
}

/** The deployment record of `chainId`; throws DeploymentError when there is none. */
export function loadDeployment(chainId: bigint | number, location: DeploymentLocation = {}): Deployment {
  const deployment = findDeployment(chainId, location);
  if (!deployment) {
    const known = deployedChainIds(location.root).join(", ") || "none";
    throw new DeploymentError(
      `no Carechain deployment for chain ${BigInt(chainId)} in ${deploymentDirOf(chainId, location)} (chains with one: ${known})`,
    );
  }
  return deployment;
}

/** The address of `key` on `chainId`; throws DeploymentError when it was not deployed there. */
export function addressOf(chainId: bigint | number, key: ContractKey, location: DeploymentLocation = {}): string {
  const deployment = loadDeployment(chainId, location);
  const address = deployment.addresses[key];
  if (address === undefined) {
    throw new DeploymentError(`${futureIdOf(key)} is not in the deployment record ${deployment.dir}`);
  }
  return address;
}

/** The chain ids that have a `chain-<id>` deployment record under `root`, ascending. */
export function deployedChainIds(root?: string): bigint[] {
  const dir = deploymentsDir(root);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => /^chain-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && fs.existsSync(path.join(dir, m[0], "deployed_addresses.json")))
    .map((m) => BigInt(m[1]))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
