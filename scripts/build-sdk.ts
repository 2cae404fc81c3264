/**
 * `npm run build:sdk` (and `prepack`): the partner package's build, after `hardhat compile`.
 * 1. dist/ is emptied;
 * 2. tsc -p tsconfig.build.json compiles src/ and typechain-types/ to dist/ with .d.ts files;
 * 3. the ABI of every deployable contract is written to dist/abi/<Contract>.json;
 * 4. the deployment records of the declared releases (ignition/releases.json) are copied to
 *    dist/deployments/chain-<id>/deployed_addresses.json: only those ship. A rehearsal (chain 31337,
 *    or a chain 1337 dry run) left in ignition/deployments never reaches partners.
 *    CARECHAIN_IGNITION_DIR names another folder holding releases.json and deployments/ (the package
 *    test packs from a temporary one, so that it never writes into the working tree).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT, deployableArtifacts } from "./lib/artifacts";

function main(): void {
  const dist = path.join(PROJECT_ROOT, "dist");
  fs.rmSync(dist, { recursive: true, force: true });

  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
  });
  if (tsc.status !== 0) {
    console.error("Error: tsc -p tsconfig.build.json failed");
    process.exitCode = 1;
    return;
  }

  const abiDir = path.join(dist, "abi");
  fs.mkdirSync(abiDir, { recursive: true });
  const artifacts = deployableArtifacts();
  for (const a of artifacts) {
    fs.writeFileSync(path.join(abiDir, `${a.contractName}.json`), JSON.stringify(a.abi, null, 2) + "\n");
  }
  const shipped = copyReleases(dist);
  console.log(`deployment records shipped (ignition/releases.json): ${shipped.join(", ") || "none"}`);
  console.log(
    `built dist/ (SDK + TypeChain with .d.ts) and dist/abi/ (${artifacts.map((a) => a.contractName).join(", ")})`,
  );
}

interface Release {
  chainId: number | string;
  /** The Ignition deployment id (default chain-<chainId>). */
  deploymentId?: string;
}

/** Copies each declared release's deployed_addresses.json to dist/deployments/chain-<id>/. */
function copyReleases(dist: string): string[] {
  const ignitionDir = process.env.CARECHAIN_IGNITION_DIR ?? path.join(PROJECT_ROOT, "ignition");
  const file = path.join(ignitionDir, "releases.json");
  const { releases } = JSON.parse(fs.readFileSync(file, "utf8")) as { releases: Release[] };
  const shipped: string[] = [];
  for (const r of releases) {
    const chainId = BigInt(r.chainId);
    if (chainId === 31337n) throw new Error(`${file}: chain 31337 is Hardhat's own network, never a release`);
    const source = path.join(ignitionDir, "deployments", r.deploymentId ?? `chain-${chainId}`);
    const record = path.join(source, "deployed_addresses.json");
    if (!fs.existsSync(record)) throw new Error(`${file}: release of chain ${chainId} has no ${record}`);
    const target = path.join(dist, "deployments", `chain-${chainId}`);
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(record, path.join(target, "deployed_addresses.json"));
    shipped.push(`chain-${chainId}`);
  }
  return shipped;
}

main();
