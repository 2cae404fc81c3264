/** Permissions of MemberRegistry (contracts/access): see test/matrix/permissions.ts. */
import { ethers, network } from "hardhat";
import { Role } from "../../../src/roles";
import { testGLN } from "../../helpers/fixtures";
import type { FunctionPermission, MatrixEnv } from "../types";
import { upgradePermissions } from "./upgrades";

const ZERO_HASH = ethers.ZeroHash;
const DEFAULT_ADMIN = ethers.ZeroHash;

/** Advances the in-process chain by `seconds` and mines a block. */
async function elapse(seconds: number): Promise<void> {
  await network.provider.send("evm_increaseTime", [seconds]);
  await network.provider.send("evm_mine", []);
}

/** A registry registrar-only function refused to a non-registrar. */
function registrarOnly(
  name: string,
  args: (env: MatrixEnv) => unknown[],
  setup?: (env: MatrixEnv) => Promise<void>,
): FunctionPermission {
  return {
    permitted: "REGISTRAR_ROLE (operators appointed by governance)",
    refusals: [
      {
        name: `a non-registrar member calls ${name}`,
        caller: (e) => e.manufacturer,
        permitted: (e) => e.registrar,
        args,
        error: (e) => ["AccessControlUnauthorizedAccount", e.manufacturer.address, Role.REGISTRAR],
        setup,
      },
    ],
  };
}

/** A registry governance-only function refused to the registrar. */
function governanceOnly(name: string, args: (env: MatrixEnv) => unknown[]): FunctionPermission {
  return {
    permitted: "DEFAULT_ADMIN_ROLE (governance: a TimelockController or multisig)",
    refusals: [
      {
        name: `the registrar calls ${name}`,
        caller: (e) => e.registrar,
        permitted: (e) => e.governance,
        args,
        error: (e) => ["AccessControlUnauthorizedAccount", e.registrar.address, DEFAULT_ADMIN],
      },
    ],
  };
}

export const registryPermissions: Record<string, FunctionPermission> = {
  "admitMember(address,uint64,bytes32)": registrarOnly("admitMember", (e) => [
    e.outsider.address,
    testGLN(500),
    ethers.id("profile"),
  ]),
  "updateMemberMetadata(address,bytes32)": registrarOnly("updateMemberMetadata", (e) => [
    e.wholesaler.address,
    ethers.id("new profile"),
  ]),
  "suspendMember(address,bytes32)": registrarOnly("suspendMember", (e) => [e.wholesaler.address, ZERO_HASH]),
  "reinstateMember(address)": registrarOnly(
    "reinstateMember",
    (e) => [e.wholesaler.address],
    async (e) => {
      await e.registry.connect(e.registrar).suspendMember(e.wholesaler.address, ZERO_HASH);
    },
  ),
  "grantRole(bytes32,address)": {
    permitted:
      "the role's admin: REGISTRAR_ROLE for domain roles, governance for REGISTRAR_ROLE; DEFAULT_ADMIN_ROLE only by the two-step transfer",
    refusals: [
      {
        name: "a non-registrar member grants a domain role",
        caller: (e) => e.manufacturer,
        permitted: (e) => e.registrar,
        args: (e) => [Role.DISPENSER, e.wholesaler.address],
        error: (e) => ["AccessControlUnauthorizedAccount", e.manufacturer.address, Role.REGISTRAR],
      },
      {
        name: "the registrar appoints another registrar",
        caller: (e) => e.registrar,
        permitted: (e) => e.governance,
        args: (e) => [Role.REGISTRAR, e.outsider.address],
        error: (e) => ["AccessControlUnauthorizedAccount", e.registrar.address, DEFAULT_ADMIN],
      },
      {
        name: "governance grants DEFAULT_ADMIN_ROLE directly",
        caller: (e) => e.governance,
        nobody: "DEFAULT_ADMIN_ROLE changes hands only by begin/acceptDefaultAdminTransfer",
        args: (e) => [DEFAULT_ADMIN, e.outsider.address],
        error: () => ["AccessControlEnforcedDefaultAdminRules"],
      },
    ],
  },
  "revokeRole(bytes32,address)": {
    permitted: "the role's admin: REGISTRAR_ROLE for domain roles, governance for REGISTRAR_ROLE",
    refusals: [
      {
        name: "a non-registrar member revokes a domain role",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.registrar,
        args: (e) => [Role.MANUFACTURER, e.manufacturer.address],
        error: (e) => ["AccessControlUnauthorizedAccount", e.wholesaler.address, Role.REGISTRAR],
      },
      {
        name: "the registrar revokes a registrar",
        caller: (e) => e.registrar,
        permitted: (e) => e.governance,
        args: (e) => [Role.REGISTRAR, e.registrar.address],
        error: (e) => ["AccessControlUnauthorizedAccount", e.registrar.address, DEFAULT_ADMIN],
      },
      {
        name: "governance revokes DEFAULT_ADMIN_ROLE",
        caller: (e) => e.governance,
        nobody: "DEFAULT_ADMIN_ROLE is left only by a scheduled renounce or a transfer",
        args: (e) => [DEFAULT_ADMIN, e.governance.address],
        error: () => ["AccessControlEnforcedDefaultAdminRules"],
      },
    ],
  },
  "renounceRole(bytes32,address)": {
    permitted: "any account, for a role it holds itself (callerConfirmation must be the caller)",
    open: "an account can only give up its own role: renouncing never grants anything, and renouncing DEFAULT_ADMIN_ROLE needs the scheduled two-step transfer",
    refusals: [
      {
        name: "an outsider renounces a member's role for it",
        caller: (e) => e.outsider,
        permitted: (e) => e.manufacturer,
        args: (e) => [Role.MANUFACTURER, e.manufacturer.address],
        error: () => ["AccessControlBadConfirmation"],
      },
      {
        name: "governance renounces DEFAULT_ADMIN_ROLE without scheduling it",
        caller: (e) => e.governance,
        nobody: "renouncing the admin role needs beginDefaultAdminTransfer(0) and the delay first",
        args: (e) => [DEFAULT_ADMIN, e.governance.address],
        error: () => ["AccessControlEnforcedDefaultAdminDelay", 0],
      },
    ],
  },
  "beginDefaultAdminTransfer(address)": governanceOnly("beginDefaultAdminTransfer", (e) => [e.outsider.address]),
  "cancelDefaultAdminTransfer()": governanceOnly("cancelDefaultAdminTransfer", () => []),
  "changeDefaultAdminDelay(uint48)": governanceOnly("changeDefaultAdminDelay", () => [3600]),
  "rollbackDefaultAdminDelay()": governanceOnly("rollbackDefaultAdminDelay", () => []),
  "setEndpoint(bytes32,string)": {
    permitted: "any active member, for its own endpoints only",
    open: "a member writes only its own directory entry (keyed by msg.sender); nobody can publish for another",
    refusals: [
      {
        name: "an outsider publishes an endpoint",
        caller: (e) => e.outsider,
        permitted: (e) => e.manufacturer,
        args: () => [ethers.id("gs1:verificationService"), "https://verify.example"],
        error: (e) => ["MemberNotFound", e.outsider.address],
      },
      {
        name: "a suspended member publishes an endpoint",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.manufacturer,
        args: () => [ethers.id("gs1:verificationService"), "https://verify.example"],
        error: (e) => ["MemberUnexpectedStatus", e.wholesaler.address, 2],
        setup: async (e) => {
          await e.registry.connect(e.registrar).suspendMember(e.wholesaler.address, ZERO_HASH);
        },
      },
    ],
  },
  "acceptDefaultAdminTransfer()": {
    permitted: "the pending default admin named by governance, once the transfer delay has passed",
    refusals: [
      {
        name: "someone other than the pending admin accepts the transfer",
        caller: (e) => e.registrar,
        permitted: (e) => e.others[0],
        args: () => [],
        error: (e) => ["AccessControlInvalidDefaultAdmin", e.registrar.address],
        setup: async (e) => {
          const registry = e.registry;
          await registry.connect(e.governance).beginDefaultAdminTransfer(e.others[0].address);
          await elapse(Number(await registry.defaultAdminDelay()) + 1);
        },
      },
    ],
  },
  ...upgradePermissions(
    "registry",
    "initialize(address,uint48,address)",
    async () => [],
    (e) => [e.governance.address, 0, ethers.ZeroAddress],
  ),
};
