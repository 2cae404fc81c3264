/**
 * Hardhat's own errors (HH100 unknown network, HH108 node not reachable, HH301 bad value, HH306
 * missing option, …) as one line that says what to do, as every Carechain task prints its own.
 * `hardhatErrorLine` is used by {@link runTask} (errors inside a task) and by the CLI filter that
 * hardhat.config.ts installs (errors Hardhat raises before a task runs: parsing, network choice).
 */

/** What a user does about a Hardhat error, by its number. */
function hint(code: number, message: string, networks: readonly string[]): string {
  const task = process.argv.slice(2).find((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--network"));
  const help = task ? `npx hardhat help ${task}` : "npx hardhat help <task>";
  switch (code) {
    case 100:
      return `use one of the networks of hardhat.config.ts: ${networks.join(", ")}`;
    case 108:
    case 111:
    case 112:
      return (
        "start the node, or point the network at it: npx hardhat vars set LOCALHOST_URL http://127.0.0.1:PORT " +
        "(or HARDHAT_VAR_LOCALHOST_URL=…; BESU_URL for besu)"
      );
    case 301:
    case 302:
    case 303:
    case 305:
    case 306:
    case 307:
    case 308:
    case 309:
      return /Unrecognized task/i.test(message) ? "npx hardhat --help lists the tasks" : `${help} lists its options`;
    case 700:
    case 701:
      return "compile first: npx hardhat compile";
    default:
      return `see https://v2.hardhat.org/HH${code}`;
  }
}

/** One line for a Hardhat error (`HH<n>: message…`): its first sentence and what to do; undefined if not one. */
export function hardhatErrorLine(error: unknown, networks: readonly string[] = []): string | undefined {
  const e = error as { _isHardhatError?: boolean; errorDescriptor?: { number?: number }; message?: string };
  if (!e || typeof e !== "object" || !e._isHardhatError || typeof e.errorDescriptor?.number !== "number") {
    return undefined;
  }
  return lineOf(e.errorDescriptor.number, e.message ?? "", networks);
}

function lineOf(code: number, message: string, networks: readonly string[]): string {
  const text = message
    .replace(/^HH\d+:\s*/, "")
    .split("\n")[0]
    .trim();
  return `${text} (HH${code}): ${hint(code, message, networks)}`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Replaces the Hardhat CLI's report of its own errors ("Error HH306: …", a blank line, "For more info
 * go to …") by one line `Error: … (HH306): <what to do>`. Only in the Hardhat CLI process and without
 * --show-stack-traces; tests and scripts that load the config are untouched.
 */
export function installHardhatErrorLines(networks: readonly string[]): void {
  const cli = /hardhat[\\/](internal[\\/]cli[\\/]cli|cli)\.js$|[\\/]hardhat$/.test(process.argv[1] ?? "");
  if (!cli || process.argv.includes("--show-stack-traces") || process.env.HARDHAT_SHOW_STACK_TRACES) return;
  const original = console.error.bind(console);
  let swallowMoreInfo = false;
  console.error = (...parts: unknown[]) => {
    const label = typeof parts[0] === "string" ? parts[0].replace(ANSI, "") : undefined;
    const message = typeof parts[1] === "string" ? parts[1].replace(ANSI, "") : undefined;
    const m = message ? /^HH(\d+):/.exec(message) : null;
    if (label === "Error" && m && parts.length === 2) {
      swallowMoreInfo = true;
      original(`Error: ${lineOf(Number(m[1]), message!, networks)}`);
      return;
    }
    // What follows the report: "For more info go to …", or on CI servers the stack trace (the error itself).
    const stack = parts.length === 1 && (parts[0] as { _isHardhatError?: boolean } | null)?._isHardhatError === true;
    if (swallowMoreInfo && (stack || (typeof parts[0] === "string" && parts[0].startsWith("For more info go to")))) {
      swallowMoreInfo = false;
      return;
    }
    original(...parts);
  };
}
