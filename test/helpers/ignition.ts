/**
 * Faster Ignition deploys in the test process. Ignition reads a contract's whole build info (5-12 MB
 * of JSON here) for every contract it deploys, to store it beside the deployment; an in-process
 * (ephemeral) deployment then throws it away. A consortium deploy took ~1.8 s, 1.5 s of it parsing
 * build infos, and fixtures redeploy the consortium hundreds of times a run (a `loadFixture` of one
 * fixture discards the snapshots taken after it). Here each build info file is parsed once per
 * process and reused while its file is unchanged (path and modification time); what Ignition deploys
 * (the artifact's bytecode) is still read fresh each time, so a recompiled or patched artifact (the
 * mutation run's) is what gets deployed.
 */
import fs from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const PATCHED = Symbol.for("carechain.test.buildInfoCache");

interface Resolver {
  _hre: HardhatRuntimeEnvironment;
  _resolvePath(contractName: string): Promise<string | undefined>;
  getBuildInfo(contractName: string): Promise<unknown>;
}

export function cacheIgnitionBuildInfo(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HardhatArtifactResolver } = require("@nomicfoundation/hardhat-ignition/helpers") as {
    HardhatArtifactResolver: { prototype: Resolver & { [PATCHED]?: true } };
  };
  const proto = HardhatArtifactResolver.prototype;
  if (proto[PATCHED]) return;
  const original = proto.getBuildInfo;
  const cache = new Map<string, { mtimeMs: number; buildInfo: unknown }>();
  proto.getBuildInfo = async function (this: Resolver, contractName: string): Promise<unknown> {
    // A fully qualified name, or an Ignition without this private lookup: Ignition's own path, uncached.
    if (contractName.includes(":") || typeof this._resolvePath !== "function") {
      return original.call(this, contractName);
    }
    const artifactPath = await this._resolvePath(contractName);
    if (artifactPath === undefined) return original.call(this, contractName);
    const debugPath = artifactPath.replace(/\.json$/, ".dbg.json");
    const debug = JSON.parse(await fs.promises.readFile(debugPath, "utf8")) as { buildInfo: string };
    const buildInfoPath = path.join(path.dirname(debugPath), debug.buildInfo);
    const { mtimeMs } = await fs.promises.stat(buildInfoPath);
    const hit = cache.get(buildInfoPath);
    if (hit && hit.mtimeMs === mtimeMs) return hit.buildInfo;
    const buildInfo = JSON.parse(await fs.promises.readFile(buildInfoPath, "utf8")) as unknown;
    cache.set(buildInfoPath, { mtimeMs, buildInfo });
    return buildInfo;
  };
  proto[PATCHED] = true;
}
