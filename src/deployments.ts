/**
 * Where Carechain's contracts live on each chain, read from Hardhat Ignition's deployment records:
 * `ignition/deployments/<deployment id>/deployed_addresses.json`, whose keys are Ignition future
 * ids "<Module>#<Contract>". The default deployment id of a chain is `chain-<chainId>`.
 *
 * The records of the public deployments ship inside the npm package (package.json "files"), so a
 * partner's code finds the addresses by chain id without any configuration; a deployment of their
 * own is read by passing `root` (a project folder) or `dir` (a deployment folder).
 *
 * This module is browser-safe (parsing only). Reading records from disk (`loadDeployment`,
 * `addressOf`, `deployedChainIds`, …) is Node-only: `import { loadDeployment } from "carechain/node"`.
 */
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
  /** Addresses of the deployable contracts found in the record, checksummed: the ERC-1967 proxies users call. */
  addresses: CarechainAddresses;
  /**
   * The UUPS implementation behind each proxy at deployment ("<Module>#<Contract>Implementation"),
   * checksummed. After an upgrade the proxy's ERC-1967 implementation slot is the truth.
   */
  implementations: CarechainAddresses;
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

/**
 * The Ignition future id of a deployable contract's implementation as first deployed, e.g.
 * "Registry#MemberRegistryImplementation" (ignition/modules/proxy.ts).
 */
export function implementationFutureIdOf(key: ContractKey): string {
  return `${futureIdOf(key)}Implementation`;
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
  const implementations: CarechainAddresses = {};
  for (const key of contractKeys()) {
    const address = futures[futureIdOf(key)];
    if (address !== undefined) addresses[key] = address;
    const implementation = futures[implementationFutureIdOf(key)];
    if (implementation !== undefined) implementations[key] = implementation;
  }
  return { dir, addresses, implementations, futures };
}
