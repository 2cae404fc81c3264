/**
 * Contract size limits: EIP-170 (runtime code ≤ 24,576 bytes) and EIP-3860 (initcode ≤ 49,152
 * bytes). Measured on the compiled artifacts with the project's optimizer settings; the initcode
 * figure excludes constructor arguments (ABI-encoded words, a few hundred bytes at most).
 */
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT, byteLength, deployableArtifacts, readArtifact } from "./artifacts";

export const RUNTIME_LIMIT = 24_576;
export const INITCODE_LIMIT = 49_152;

export interface SizeRow {
  contract: string;
  runtime: number;
  initcode: number;
  ok: boolean;
}

/** Sizes of every deployable contract. */
export function contractSizes(root = PROJECT_ROOT): SizeRow[] {
  return deployableArtifacts(root).map((a) => {
    const runtime = byteLength(a.deployedBytecode);
    const initcode = byteLength(a.bytecode);
    return { contract: a.contractName, runtime, initcode, ok: runtime <= RUNTIME_LIMIT && initcode <= INITCODE_LIMIT };
  });
}

/** A library's runtime code starts with PUSH20 <address> ADDRESS EQ (the call guard solc adds). */
function isLibrary(deployedBytecode: string): boolean {
  return /^0x73[0-9a-fA-F]{40}3014/.test(deployedBytecode);
}

/**
 * Every concrete, non-library contract compiled from contracts/ outside contracts/mocks/: the
 * contracts that must be listed in DEPLOYABLE_CONTRACTS (src/deployments.ts).
 */
export function concreteContracts(root = PROJECT_ROOT): string[] {
  const base = path.join(root, "artifacts", "contracts");
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path.relative(base, full) !== "mocks") walk(full);
      } else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        const name = entry.name.slice(0, -".json".length);
        const artifact = readArtifact(name, root);
        if (artifact.deployedBytecode !== "0x" && !isLibrary(artifact.deployedBytecode)) names.push(name);
      }
    }
  };
  walk(base);
  return names.sort();
}
