import fs from "node:fs";
import path from "node:path";
import { DEPLOYABLE_CONTRACTS } from "../../src/deployments";

export interface ErrorFragment {
  name: string;
  inputs: { name: string; type: string; internalType: string }[];
}

interface AbiItem {
  type: string;
  name?: string;
  inputs?: { name: string; type: string; internalType?: string }[];
}

/** Every custom error of the deployable contracts' compiled ABIs, once each, sorted by name. */
export function carechainErrorFragments(root = path.join(__dirname, "..", "..")): ErrorFragment[] {
  const byName = new Map<string, ErrorFragment>();
  for (const { contract } of Object.values(DEPLOYABLE_CONTRACTS)) {
    const dir = path.join(root, "artifacts", "contracts");
    const file = findArtifact(dir, `${contract}.json`);
    const abi = (JSON.parse(fs.readFileSync(file, "utf8")) as { abi: AbiItem[] }).abi;
    for (const item of abi) {
      if (item.type !== "error" || !item.name) continue;
      const fragment: ErrorFragment = {
        name: item.name,
        inputs: (item.inputs ?? []).map((i) => ({
          name: i.name,
          type: i.type,
          internalType: i.internalType ?? i.type,
        })),
      };
      const seen = byName.get(item.name);
      if (seen && JSON.stringify(seen) !== JSON.stringify(fragment)) {
        throw new Error(`two errors named ${item.name} with different arguments`);
      }
      byName.set(item.name, fragment);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function findArtifact(dir: string, name: string): string {
  const found = findArtifactOrUndefined(dir, name);
  if (!found) throw new Error(`no artifact ${name} under ${dir} (run hardhat compile)`);
  return found;
}

function findArtifactOrUndefined(dir: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findArtifactOrUndefined(p, name);
      if (found) return found;
    } else if (entry.name === name) return p;
  }
  return undefined;
}
