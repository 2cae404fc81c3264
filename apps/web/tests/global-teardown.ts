/** Stops the stack the global setup started: its process group, by PID (SIGINT, then SIGKILL). */
import fs from "node:fs";
import { STACK_PID_FILE } from "./stack";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  if (!fs.existsSync(STACK_PID_FILE)) return;
  const pid = Number(fs.readFileSync(STACK_PID_FILE, "utf8"));
  fs.rmSync(STACK_PID_FILE);
  if (!pid || !alive(pid)) return;
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 60 && alive(pid); i++) await new Promise((r) => setTimeout(r, 250));
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group is gone
  }
}
