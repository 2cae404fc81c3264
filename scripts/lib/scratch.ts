/**
 * A scratch copy of the project, for runs that rewrite what the working tree's other users read:
 * the mutation harness patches artifacts, `hardhat coverage` compiles instrumented contracts into
 * artifacts/ and cache/. The copy holds the tracked and untracked (not ignored) files as they are in
 * the working tree, plus artifacts, cache and typechain-types; node_modules is linked, not copied.
 * The caller removes it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

export function makeScratch(prefix: string, root: string = ROOT): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const list = (...args: string[]) =>
    execFileSync("git", ["ls-files", "-z", ...args], { cwd: root, encoding: "utf8" })
      .split("\0")
      .filter(Boolean);
  for (const f of [...list(), ...list("--others", "--exclude-standard")]) {
    const from = path.join(root, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  for (const d of ["artifacts", "cache", "typechain-types"]) {
    if (fs.existsSync(path.join(root, d))) fs.cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
  }
  fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules")), path.join(dir, "node_modules"));
  return dir;
}
