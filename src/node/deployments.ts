/**
 * Deployment records read from disk (Node only): the `carechain/node` entry. The browser-safe part
 * (contract keys, parsing a deployed_addresses.json) is src/deployments.ts.
 */
import fs from "node:fs";
import path from "node:path";
import {
  DeploymentError,
  contractKeys,
  futureIdOf,
  parseDeployedAddresses,
  type ContractKey,
  type Deployment,
} from "../deployments";

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
  const source = path.join(root, "ignition", "deployments");
  // The installed package ships only the declared releases, under dist/deployments.
  const shipped = path.join(root, "dist", "deployments");
  return !fs.existsSync(source) && fs.existsSync(shipped) ? shipped : source;
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
