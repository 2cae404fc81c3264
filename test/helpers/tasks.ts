import hre from "hardhat";

/** What a task printed and the exit code it set. */
export interface TaskOutput {
  /** stdout lines (console.log). */
  out: string[];
  /** stderr lines (console.error): the one-line errors. */
  err: string[];
  /** Both, in the order printed: what a user sees. */
  lines: string[];
  /** process.exitCode as the task left it (undefined: success). */
  exitCode: string | number | undefined;
}

/** Runs a Hardhat task in-process, capturing its output; restores console and the exit code after. */
export async function runTaskCapturing(name: string, args: Record<string, unknown>): Promise<TaskOutput> {
  const result: TaskOutput = { out: [], err: [], lines: [], exitCode: undefined };
  const [log, error, previousExit] = [console.log, console.error, process.exitCode];
  console.log = (...parts: unknown[]) => {
    result.out.push(parts.join(" "));
    result.lines.push(parts.join(" "));
  };
  console.error = (...parts: unknown[]) => {
    result.err.push(parts.join(" "));
    result.lines.push(parts.join(" "));
  };
  process.exitCode = undefined;
  try {
    await hre.run(name, args);
  } finally {
    console.log = log;
    console.error = error;
    result.exitCode = process.exitCode;
    process.exitCode = previousExit;
  }
  return result;
}
