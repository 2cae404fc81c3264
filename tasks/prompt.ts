/**
 * Asking the person at the terminal (a yes/no decision a task cannot take alone, e.g. recording a
 * suspect-pack alert). A task asks only when both stdin and stdout are a terminal; in a pipe, a
 * script or CI it never waits for an answer and the caller decides from its flags alone.
 * Tests replace the terminal with {@link setAsk}.
 */
import { createInterface } from "node:readline/promises";

/** Shows `question` and resolves with the line typed (empty on Ctrl-C or end of input). */
export type Ask = (question: string) => Promise<string>;

let injected: { ask: Ask | undefined } | undefined;

/**
 * Replaces how tasks ask: a function (a scripted person), `undefined` (no terminal: never ask), or
 * `"terminal"` (back to the default: readline when stdin and stdout are a TTY).
 */
export function setAsk(ask: Ask | undefined | "terminal"): void {
  injected = ask === "terminal" ? undefined : { ask };
}

/** How to ask the person running the task now, or `undefined` when nobody is at a terminal. */
export function terminalAsk(): Ask | undefined {
  if (injected) return injected.ask;
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return readlineAsk;
}

async function readlineAsk(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const controller = new AbortController();
  // Ctrl-C or Ctrl-D at the prompt is a "no", not a hang and not a stack trace.
  const cancel = () => controller.abort();
  rl.once("SIGINT", cancel);
  rl.once("close", cancel);
  try {
    return await rl.question(question, { signal: controller.signal });
  } catch {
    process.stdout.write("\n");
    return "";
  } finally {
    rl.off("close", cancel);
    rl.close();
  }
}

/** Whether an answer is a yes ("y" or "yes", any case). Anything else, including nothing, is a no. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}
