/**
 * `npm run build:sdk` (and `prepack`): the partner package's build, after `hardhat compile`.
 * 1. dist/ is emptied;
 * 2. tsc -p tsconfig.build.json compiles src/ and typechain-types/ to dist/ with .d.ts files;
 * 3. the ABI of every deployable contract is written to dist/abi/<Contract>.json.
 * The deployment addresses ship as ignition/deployments/chain-<id>/deployed_addresses.json
 * (package.json "files").
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
  console.log(
    `built dist/ (SDK + TypeChain with .d.ts) and dist/abi/ (${artifacts.map((a) => a.contractName).join(", ")})`,
  );
}

main();
