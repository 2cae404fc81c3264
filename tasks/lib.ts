/**
 * What every Carechain task shares: finding a deployed contract, choosing the sending account,
 * reading arguments, and reporting a failure in one line (`Error: …`, exit code 1, no stack trace).
 * Nothing here imports compiled artifacts at load time, so `hardhat compile` works on a fresh clone.
 */
import fs from "node:fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { describeError } from "../src/errors";
import { DeploymentError, type ContractKey } from "../src/deployments";
import { addressOf } from "../src/node/deployments";
import { GS1Error } from "../src/gs1/checkDigit";
import { hardhatErrorLine } from "./hardhatErrors";

/** A bad input the task explains in one line. */
export class TaskInputError extends Error {}

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** A contract's address: `override` (--address) when given, else Ignition's deployment record of this chain. */
export async function contractAddress(
  hre: HardhatRuntimeEnvironment,
  key: ContractKey,
  override?: string,
): Promise<string> {
  const target =
    override ?? addressOf((await hre.ethers.provider.getNetwork()).chainId, key, { root: hre.config.paths.root });
  const address = addressArg(hre, "address", target);
  if ((await hre.ethers.provider.getCode(address)) === "0x") throw new TaskInputError(`no contract at ${address}`);
  return address;
}

/**
 * `signer`, asking the chain before each transaction it sends: an eth_call of the same transaction
 * from the same account, so that one the chain would refuse is refused here (its custom error) and
 * never sent. A node that mines failing transactions (Hardhat's, when gas estimation fails) would
 * otherwise put the failed attempt on chain and charge its gas.
 */
function preflighted<S extends { call(tx: object): Promise<string>; sendTransaction(tx: object): Promise<unknown> }>(
  signer: S,
): S {
  const send = signer.sendTransaction.bind(signer);
  signer.sendTransaction = async (tx: object) => {
    await signer.call(tx);
    return send(tx);
  };
  return signer;
}

/** The sending account: --from as an account index or address of the network's accounts (default 0). */
export async function signerOf(hre: HardhatRuntimeEnvironment, from?: string) {
  return preflighted(await chooseSigner(hre, from));
}

async function chooseSigner(hre: HardhatRuntimeEnvironment, from?: string) {
  const signers = await hre.ethers.getSigners();
  if (signers.length === 0) {
    const variable = `${hre.network.name.toUpperCase()}_PRIVATE_KEYS`;
    throw new TaskInputError(
      `network "${hre.network.name}" has no accounts to send from: npx hardhat vars set ${variable} 0xKEY,0xKEY ` +
        "(development only; in production sign with a custody tool, docs/CONSORTIUM.md)",
    );
  }
  if (from === undefined || from === "") return signers[0];
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer)
      throw new TaskInputError(`--from ${from}: network "${hre.network.name}" has ${signers.length} accounts`);
    return signer;
  }
  const signer = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
  if (!signer) throw new TaskInputError(`--from ${from} is not an account of network "${hre.network.name}"`);
  return signer;
}

/**
 * An account from an address option (--to, --holder, --grantee, …): an address, or like --from an
 * account number of this network (its signers, in the order of its `accounts`).
 */
export async function accountArg(
  hre: HardhatRuntimeEnvironment,
  name: string,
  value: string | undefined,
): Promise<string> {
  if (value !== undefined && /^\d+$/.test(value.trim())) {
    const signers = await hre.ethers.getSigners();
    const signer = signers[Number(value)];
    if (!signer)
      throw new TaskInputError(`--${name} ${value}: network "${hre.network.name}" has ${signers.length} accounts`);
    return signer.address;
  }
  return addressArg(hre, name, value);
}

/** A checksummed address from --`name`. */
export function addressArg(hre: HardhatRuntimeEnvironment, name: string, value: string | undefined): string {
  if (!value || !hre.ethers.isAddress(value)) throw new TaskInputError(`--${name} "${value ?? ""}" is not an address`);
  return hre.ethers.getAddress(value);
}

/** A 32-byte hex value from --`name`. */
export function bytes32Arg(name: string, value: string | undefined): string {
  if (!value || !HASH.test(value))
    throw new TaskInputError(`--${name} "${value ?? ""}" is not 32 bytes of hex (0x + 64 digits)`);
  return value;
}

/**
 * A document argument (--metadata, --reason, --outcome, --protocol, --basis, …), one rule in every task:
 * `0x` + 64 hex digits is the document's hash, taken as is; `@path` hashes the file's bytes; any other
 * text is hashed as UTF-8 (keccak256, like ethers.id). Text that names an existing file is refused
 * (write `@path`), so that a file is never committed as its name. Empty: zero when optional.
 * Only the hash goes on chain, never the text.
 */
export function documentArg(
  hre: HardhatRuntimeEnvironment,
  name: string,
  value: string | undefined,
  optional = false,
): string {
  if (value === undefined || value === "") {
    if (optional) return hre.ethers.ZeroHash;
    throw new TaskInputError(`--${name} is required: text (hashed), @file (its bytes hashed) or a 0x… 32-byte hash`);
  }
  if (HASH.test(value)) return value.toLowerCase();
  if (/^0x[0-9a-fA-F]*$/.test(value))
    throw new TaskInputError(
      `--${name} ${value}: a hash is 0x + 64 hex digits (for text that looks like hex, reword it)`,
    );
  if (value.startsWith("@")) {
    const file = value.slice(1);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw new TaskInputError(`--${name} ${value}: no such file ${file}`);
    return hre.ethers.keccak256(fs.readFileSync(file));
  }
  if (fs.existsSync(value))
    throw new TaskInputError(`--${name} "${value}" names a file: write @${value} to hash the file, or other text`);
  return hre.ethers.id(value);
}

/** The help text of a document argument. */
export const DOCUMENT_HELP =
  "text (hashed), @file (its bytes hashed) or a 0x… 32-byte hash; only the hash goes on chain";

/** @deprecated the old name of {@link documentArg}. */
export const hashArg = documentArg;

/** Unix seconds from "2026-01-31", an ISO date-time, or a number of seconds. */
export function unixTimeArg(name: string, value: string): bigint {
  if (/^\d+$/.test(value)) return BigInt(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TaskInputError(`--${name} ${value} is neither a date nor unix seconds`);
  return BigInt(Math.floor(ms / 1000));
}

/** The value of a name in `table` (case-insensitive), or of its number. */
export function namedArg<T extends Record<string, number>>(table: T, name: string, value: string): number {
  const key = Object.keys(table).find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (key !== undefined) return table[key];
  const n = Number(value);
  if (Number.isInteger(n) && Object.values(table).includes(n)) return n;
  throw new TaskInputError(`unknown ${name} "${value}" (one of ${Object.keys(table).join(", ")})`);
}

/** A bitmask from a comma-separated list of names in `table`. */
export function maskArg<T extends Record<string, number>>(table: T, name: string, list: string): number {
  const parts = list.split(",").filter((p) => p.trim() !== "");
  if (parts.length === 0) throw new TaskInputError(`--${name} is empty`);
  return parts.reduce((m, p) => m | (1 << namedArg(table, name, p)), 0);
}

/**
 * Runs a task body. On failure prints one line — the input problem, or the decoded custom error
 * of `contracts` (artifact names; the registry's errors are always known) — and sets exit code 1.
 */
export async function runTask(
  hre: HardhatRuntimeEnvironment,
  contracts: readonly string[],
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error: unknown) {
    let message: string;
    const hardhat = hardhatErrorLine(error, Object.keys(hre.config.networks));
    if (error instanceof TaskInputError || error instanceof DeploymentError || error instanceof GS1Error) {
      message = error.message;
    } else if (hardhat !== undefined) {
      message = hardhat;
    } else {
      // In words (roles and enums by name, GTINs with their leading zeros, dates): every Carechain error.
      message = describeError(error);
      if (message.startsWith("reverted with unknown error data")) {
        // Not a Carechain error (a mock's, a library's): the compact form from the artifacts' ABIs.
        const abis = [];
        for (const name of new Set([...contracts, "MemberRegistry"])) {
          abis.push(new hre.ethers.Interface((await hre.artifacts.readArtifact(name)).abi));
        }
        message = describeError(error, abis);
      }
    }
    console.error(`Error: ${message}`);
    process.exitCode = 1;
  }
}
