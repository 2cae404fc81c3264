/** Where the global setup leaves the running stack's details for the tests. */
import fs from "node:fs";
import path from "node:path";

export const WEB_ROOT = path.resolve(__dirname, "..");
export const PROJECT_ROOT = path.resolve(WEB_ROOT, "..", "..");
export const STACK_FILE = path.join(WEB_ROOT, ".stack", "stack.json");
export const STACK_PID_FILE = path.join(WEB_ROOT, ".stack", "pid");
export const STACK_LOG = path.join(WEB_ROOT, "test-results", "stack.log");
export const SCREENSHOTS = path.join(WEB_ROOT, "test-results", "screenshots");

export interface StackInfo {
  url: string;
  configFile: string;
  rpcUrl: string;
  trialId: string;
  lotId: string;
  packs: { genuine: string; genuineIndex: number; forged: string };
}

export function stack(): StackInfo {
  return JSON.parse(fs.readFileSync(STACK_FILE, "utf8")) as StackInfo;
}
