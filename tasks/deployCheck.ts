/**
 * `npx hardhat ignition deploy` checks Carechain's deployment parameters before Ignition starts (a
 * failed or half-done deployment on a shared chain costs an operator far more than one line): the
 * parameters file exists and is JSON; governance is an address, not zero, not a placeholder, not a
 * development account on a real network (an account rather than a timelock is named with a warning);
 * the registrar
 * likewise when given; the admin-transfer delay is at least an hour. One line, exit code 1.
 */
import fs from "node:fs";
import path from "node:path";
import { scope } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** The local node's default accounts 0-29 (mnemonic "test test … junk"): never governance on a real chain. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Placeholders people leave in parameter files. */
const PLACEHOLDERS = new Set([
  "0x0000000000000000000000000000000000000000",
  "0x000000000000000000000000000000000000dead",
  "0xdeaddeaddeaddeaddeaddeaddeaddeaddeaddead",
  "0x1111111111111111111111111111111111111111",
  "0x1234567890123456789012345678901234567890",
]);

/** The problems of Carechain's parameters for `network` (empty: fine). */
export async function deploymentProblems(
  hre: HardhatRuntimeEnvironment,
  modulePath: string,
  parametersFile: string | undefined,
): Promise<string[]> {
  if (!/(Carechain|Registry|Governance)\.ts$/.test(modulePath)) return [];
  if (!parametersFile) {
    return [`${modulePath} needs --parameters ignition/parameters/<network>.json (governance has no default)`];
  }
  if (!fs.existsSync(parametersFile)) return [`--parameters ${parametersFile}: no such file`];
  let params: Record<string, Record<string, unknown>>;
  try {
    params = JSON.parse(fs.readFileSync(parametersFile, "utf8"));
  } catch (e) {
    return [`--parameters ${parametersFile}: not JSON (${(e as Error).message})`];
  }
  const problems: string[] = [];
  const local = hre.network.name === "hardhat" || hre.network.name === "localhost";
  const { HDNodeWallet, Mnemonic, isAddress, getAddress } = hre.ethers;
  const mnemonic = Mnemonic.fromPhrase(DEV_MNEMONIC);
  const devAccounts = new Set(
    Array.from({ length: 30 }, (_, i) => HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`).address),
  );
  const file = path.basename(parametersFile);
  const registry = params.Registry ?? {};
  const check = async (name: string, value: unknown, required: boolean, contract: boolean) => {
    if (value === undefined || value === "") {
      if (required) problems.push(`${file}: Registry.${name} is missing`);
      return;
    }
    if (typeof value !== "string" || !isAddress(value)) {
      problems.push(`${file}: Registry.${name} "${String(value)}" is not an address`);
      return;
    }
    const address = getAddress(value);
    if (PLACEHOLDERS.has(address.toLowerCase())) {
      if (required || address !== "0x0000000000000000000000000000000000000000") {
        problems.push(`${file}: Registry.${name} is a placeholder (${address}): put the real ${name} address`);
      }
      return;
    }
    if (local) return;
    if (devAccounts.has(address)) {
      problems.push(
        `${file}: Registry.${name} ${address} is a public development account (its key is known): not on ${hre.network.name}`,
      );
    } else if (contract && (await hre.ethers.provider.getCode(address)) === "0x") {
      // An interim admin account is legitimate (it hands over with gov:handover); said, not refused.
      console.error(
        `Warning: ${file}: Registry.${name} ${address} is an account, not a contract: once deployed, hand the ` +
          "admin role to the timelock (ignition/modules/Governance.ts, npx hardhat gov:handover)",
      );
    }
  };
  await check("governance", registry.governance, true, true);
  await check("registrar", registry.registrar, false, false);
  const delay = registry.adminTransferDelay;
  if (delay !== undefined && (!Number.isInteger(Number(delay)) || Number(delay) < 3600)) {
    problems.push(`${file}: Registry.adminTransferDelay ${String(delay)} must be at least 3600 seconds`);
  }
  return problems;
}

scope("ignition")
  .task("deploy")
  .setAction(async (args: { modulePath: string; parameters?: string }, hre, runSuper) => {
    const problems = await deploymentProblems(hre, args.modulePath, args.parameters);
    if (problems.length > 0) {
      console.error(`Error: ${problems.join("; ")}; nothing was deployed`);
      process.exitCode = 1;
      return;
    }
    return runSuper(args);
  });
