/**
 * Starts the stack with the same script as `npm run app` (its own node, deployment and services on free
 * loopback ports, a fresh `vite build` served by `vite preview` — never an existing server) and waits
 * until it serves. The process group's PID is kept for the teardown.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT, STACK_FILE, STACK_LOG, STACK_PID_FILE } from "./stack";

export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(path.dirname(STACK_FILE), { recursive: true });
  fs.mkdirSync(path.dirname(STACK_LOG), { recursive: true });
  fs.rmSync(STACK_FILE, { force: true });
  const log = fs.openSync(STACK_LOG, "w");
  const child = spawn(
    process.execPath,
    // Histories from the node's logs: the indexer path of the SDK is tested in test/indexer (same results).
    ["-r", "ts-node/register/transpile-only", "scripts/app.ts", "--ready-file", STACK_FILE, "--no-indexer"],
    {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, TS_NODE_PROJECT: "tsconfig.json" },
    },
  );
  fs.writeFileSync(STACK_PID_FILE, String(child.pid));
  const deadline = Date.now() + 10 * 60_000;
  while (!fs.existsSync(STACK_FILE)) {
    if (child.exitCode !== null)
      throw new Error(`the stack exited (${child.exitCode}):\n${fs.readFileSync(STACK_LOG, "utf8")}`);
    if (Date.now() > deadline)
      throw new Error(`the stack did not start in time:\n${fs.readFileSync(STACK_LOG, "utf8")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  child.unref();
}
