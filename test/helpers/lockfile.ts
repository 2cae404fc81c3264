/**
 * A lockfile for a throw-away consumer project, cut from this repository's package-lock.json, so
 * that a test can `npm ci --offline` a package into it with nothing resolved from the registry:
 * `npm ci` installs every entry by its integrity from the npm cache that this repository's own
 * `npm ci` filled, and never needs a registry's metadata (an `npm install --offline` does, and
 * failed when the cache held the tarball but not the metadata).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface Lockfile {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** What a lockfile entry needs of a package's package.json. */
export interface PackageManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Where Node would find `name` from the package installed at `from` (a lockfile key). */
function resolveFrom(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[key]) return key;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

/** A registry package's tarball address, as npm builds it: <registry>/<name>/-/<unscoped name>-<version>.tgz. */
function tarballUrl(registry: string, key: string, entry: LockEntry): string {
  const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
  const base = name.slice(name.lastIndexOf("/") + 1);
  return `${registry.replace(/\/+$/, "")}/${name}/-/${base}-${entry.version}.tgz`;
}

/** The sha512 SRI integrity of a file, as npm writes it. */
export function integrityOf(file: string): string {
  return `sha512-${crypto.createHash("sha512").update(fs.readFileSync(file)).digest("base64")}`;
}

/**
 * The consumer's lockfile: `tarball` (a package `npm pack` made, with its package.json) installed
 * as a `file:` dependency, plus `extra` packages by name at the versions this repository locks, and
 * every package they need, placed where this repository's lockfile places them.
 * @param registry the npm registry's URL (`npm config get registry`): this repository's lockfile
 * records no `resolved` addresses, and `npm ci` needs one per entry to skip the metadata look-up
 * @param consumerDir the consumer's folder (the tarball's `resolved` path is relative to it)
 */
export function consumerLockfile(
  registry: string,
  rootLockFile: string,
  consumerDir: string,
  tarball: { file: string; manifest: PackageManifest },
  extra: readonly string[],
): { lock: Lockfile; dependencies: Record<string, string> } {
  const root = JSON.parse(fs.readFileSync(rootLockFile, "utf8")) as Lockfile;
  const spec = `file:${path.relative(consumerDir, tarball.file).split(path.sep).join("/")}`;
  const dependencies: Record<string, string> = { [tarball.manifest.name]: spec };
  const packages: Record<string, LockEntry> = {
    "": { name: "consumer", dependencies },
    [`node_modules/${tarball.manifest.name}`]: {
      version: tarball.manifest.version,
      resolved: spec,
      integrity: integrityOf(tarball.file),
      ...(tarball.manifest.dependencies ? { dependencies: tarball.manifest.dependencies } : {}),
      ...(tarball.manifest.peerDependencies ? { peerDependencies: tarball.manifest.peerDependencies } : {}),
    },
  };
  const queue: { from: string; name: string; optional: boolean }[] = [];
  const need = (
    from: string,
    entry: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> },
  ) => {
    for (const name of Object.keys(entry.dependencies ?? {})) queue.push({ from, name, optional: false });
    for (const name of Object.keys(entry.optionalDependencies ?? {})) queue.push({ from, name, optional: true });
  };
  need("", tarball.manifest);
  for (const name of extra) {
    const entry = root.packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`${name} is not installed at the top of ${rootLockFile}`);
    dependencies[name] = entry.version;
    queue.push({ from: "", name, optional: false });
  }
  while (queue.length > 0) {
    const { from, name, optional } = queue.shift()!;
    const key = resolveFrom(root.packages, from, name);
    if (key === undefined) {
      if (optional) continue;
      throw new Error(`${name} (needed from ${from || "the consumer"}) is not in ${rootLockFile}`);
    }
    if (packages[key]) continue;
    // The repository's dev/peer markings mean nothing to the consumer, for which all are its own.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = root.packages[key];
    packages[key] = { ...entry, resolved: entry.resolved ?? tarballUrl(registry, key, entry) };
    need(key, entry);
  }
  return { lock: { name: "consumer", lockfileVersion: 3, requires: true, packages }, dependencies };
}
