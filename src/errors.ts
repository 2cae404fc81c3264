import { Interface, isError } from "ethers";

/** Finds revert data (0x…) inside an ethers / Hardhat error, however deeply it is nested. */
function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== "object") return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.data === "string" && /^0x[0-9a-fA-F]{8}/.test(e.data)) return e.data;
  if (e.data && typeof e.data === "object") {
    const inner = findRevertData(e.data, depth + 1);
    if (inner) return inner;
  }
  for (const key of ["error", "info", "cause", "revert"]) {
    const inner = findRevertData(e[key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * One line that says why a call failed: the decoded custom error with its arguments when one of
 * `abis` declares it (e.g. `LotUnknown(0x12…)`), else the provider's short message.
 */
export function describeError(error: unknown, abis: readonly Interface[] = []): string {
  const data = findRevertData(error);
  if (data) {
    for (const abi of abis) {
      try {
        const parsed = abi.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map((a) => String(a)).join(", ")})`;
      } catch {
        // not this ABI's error; try the next
      }
    }
    return `reverted with unknown error data ${data.slice(0, 10)}`;
  }
  const message = error as { shortMessage?: string; message?: string };
  if (isError(error, "CALL_EXCEPTION") && message.shortMessage) return message.shortMessage;
  const text = message.message ?? String(error);
  const custom = /reverted with custom error '([^']+)'/.exec(text);
  if (custom) return custom[1];
  return message.shortMessage ?? text.split("\n")[0];
}
