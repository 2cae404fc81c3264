/**
 * The compiled artifacts of Carechain's deployable contracts (src/deployments.ts
 * DEPLOYABLE_CONTRACTS), read from Hardhat's artifacts/ folder without starting Hardhat. Shared by
 * the size check, the ABI export and the access-control matrix, so that all three cover the same
 * contracts.
 */
import fs from "node:fs";
import path from "node:path";
import type { InterfaceAbi } from "ethers";
import { DEPLOYABLE_CONTRACTS, contractKeys, type ContractKey } from "../../src/deployments";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface DeployableArtifact {
  key: ContractKey;
  contractName: string;
  /** e.g. contracts/access/MemberRegistry.sol */
  sourceName: string;
  abi: InterfaceAbi & readonly { type: string; name?: string; stateMutability?: string }[];
  /** 0x-prefixed initcode without constructor arguments. */
  bytecode: string;
  /** 0x-prefixed runtime code. */
  deployedBytecode: string;
}

interface HardhatArtifact {
  contractName: string;
  sourceName: string;
  abi: DeployableArtifact["abi"];
  bytecode: string;
  deployedBytecode: string;
}

/** Every `<Name>.json` artifact file of contracts/ (not the .dbg.json files), recursively. */
function artifactFiles(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...artifactFiles(full, name));
    else if (entry.name === `${name}.json`) found.push(full);
  }
  return found;
}

/** The artifact of the Solidity contract `contractName` compiled from contracts/. */
export function readArtifact(contractName: string, root = PROJECT_ROOT): HardhatArtifact {
  const files = artifactFiles(path.join(root, "artifacts", "contracts"), contractName);
  if (files.length === 0) {
    throw new Error(`no artifact for ${contractName}: run \`npx hardhat compile\` first`);
  }
  if (files.length > 1) {
    throw new Error(`${contractName} is ambiguous: ${files.map((f) => path.relative(root, f)).join(", ")}`);
  }
  return JSON.parse(fs.readFileSync(files[0], "utf8")) as HardhatArtifact;
}

/** The artifacts of every deployable contract, in DEPLOYABLE_CONTRACTS order. */
export function deployableArtifacts(root = PROJECT_ROOT): DeployableArtifact[] {
  return contractKeys().map((key) => {
    const { contract } = DEPLOYABLE_CONTRACTS[key];
    const artifact = readArtifact(contract, root);
    return {
      key,
      contractName: artifact.contractName,
      sourceName: artifact.sourceName,
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      deployedBytecode: artifact.deployedBytecode,
    };
  });
}

/** Byte length of 0x-prefixed hex. */
export function byteLength(hex: string): number {
  return (hex.length - 2) / 2;
}
