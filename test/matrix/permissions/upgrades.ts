/**
 * The upgrade entry points every deployable contract has since it became a UUPS implementation behind an
 * ERC-1967 proxy (issue 11): `upgradeToAndCall` (governance only) and `initialize` (once, by the proxy's
 * constructor: nobody may call it again). See test/matrix/permissions.ts.
 */
import { ethers } from "hardhat";
import type { ContractKey } from "../../../src/deployments";
import { DEPLOYABLE_CONTRACTS } from "../../../src/deployments";
import type { FunctionPermission, MatrixEnv } from "../types";

const DEFAULT_ADMIN = ethers.ZeroHash;

/**
 * `upgradeToAndCall` and `initialize` of contract `key`. `constructorArgs` builds a fresh implementation
 * (the upgrade target of the permitted call); `initializeArgs` are valid arguments of `initialize`.
 */
export function upgradePermissions(
  key: ContractKey,
  initializeSignature: string,
  constructorArgs: (env: MatrixEnv) => Promise<unknown[]>,
  initializeArgs: (env: MatrixEnv) => unknown[],
): Record<string, FunctionPermission> {
  const { contract } = DEPLOYABLE_CONTRACTS[key];
  let implementation = "";
  const deployImplementation = async (e: MatrixEnv): Promise<void> => {
    const deployed = await ethers.deployContract(contract, await constructorArgs(e));
    implementation = await deployed.getAddress();
  };
  return {
    "upgradeToAndCall(address,bytes)": {
      permitted:
        key === "registry"
          ? "DEFAULT_ADMIN_ROLE (governance: the consortium's TimelockController)"
          : "governance: the registry's default admin (the consortium's TimelockController)",
      refusals: [
        {
          name: "the deployer (not governance) upgrades",
          caller: (e) => e.deployer,
          permitted: (e) => e.governance,
          args: () => [implementation, "0x"],
          error: (e) =>
            key === "registry"
              ? ["AccessControlUnauthorizedAccount", e.deployer.address, DEFAULT_ADMIN]
              : ["MemberGatedUnauthorizedUpgrade", e.deployer.address, e.governance.address],
          setup: deployImplementation,
        },
        {
          name: "the registrar upgrades",
          caller: (e) => e.registrar,
          permitted: (e) => e.governance,
          args: () => [implementation, "0x"],
          error: (e) =>
            key === "registry"
              ? ["AccessControlUnauthorizedAccount", e.registrar.address, DEFAULT_ADMIN]
              : ["MemberGatedUnauthorizedUpgrade", e.registrar.address, e.governance.address],
          setup: deployImplementation,
        },
      ],
    },
    [initializeSignature]: {
      permitted: "nobody: the proxy's constructor called it once, at deployment",
      refusals: [
        {
          name: "anyone initialises the deployed proxy again",
          caller: (e) => e.governance,
          nobody:
            "initialize runs once, in the ERC1967Proxy's constructor (ignition/modules/proxy.ts); the implementation disables it in its own constructor",
          args: initializeArgs,
          error: () => ["InvalidInitialization"],
        },
      ],
    },
  };
}
