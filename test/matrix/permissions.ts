/**
 * THE permissions table (issue 6, invariant 4): for every state-changing function of every
 * deployable contract (src/deployments.ts DEPLOYABLE_CONTRACTS), who may call it, and at least
 * one refusal case — an unauthorised caller, a valid call otherwise, and the exact custom error.
 * test/matrix/access-control.ts derives the functions from the compiled ABIs, fails on any
 * function missing here (or any entry here that no longer exists), and runs every case: the
 * unauthorised caller must get exactly `error`, and the `permitted` caller must succeed with the
 * same arguments (so the refusal is about the caller, not the arguments).
 *
 * Functions anyone may call (signed actions relayed for patients, renouncing one's own role) are
 * listed with `open: "<why that is safe>"`; they still list the refusals they have (a bad
 * signature, someone else's role) where there are any.
 *
 * A domain adds `<key>: { "<signature>": { … } }` for each contract it deploys; the key is the
 * contract's key in DEPLOYABLE_CONTRACTS and in the root Ignition module's result.
 */
import { ethers, network } from "hardhat";
import type { BaseContract, Signer } from "ethers";
import type { ContractKey } from "../../src/deployments";
import { Role } from "../../src/roles";
import type { deployConsortiumFixture } from "../helpers/fixtures";
import { testGLN } from "../helpers/fixtures";

/** The consortium fixture plus every deployable contract by key. */
export type MatrixEnv = Awaited<ReturnType<typeof deployConsortiumFixture>> & {
  contracts: Record<ContractKey, BaseContract>;
};

/** `[errorName, ...args]` of the custom error the refused call must revert with. */
export type ExpectedError = readonly [name: string, ...args: unknown[]];

export interface RefusalCase {
  /** What is attempted, e.g. "a non-registrar admits a member". */
  name: string;
  /** The caller that must be refused. */
  caller: (env: MatrixEnv) => Signer;
  /** A caller that may make the same call (proved with a static call after `setup`). */
  permitted?: (env: MatrixEnv) => Signer;
  /** Instead of `permitted`: why no caller at all may make this call. */
  nobody?: string;
  /** Arguments of a call that is valid for `permitted`. */
  args: (env: MatrixEnv) => unknown[];
  error: (env: MatrixEnv) => ExpectedError;
  /** State needed first (e.g. a pending admin transfer whose delay has passed). */
  setup?: (env: MatrixEnv) => Promise<void>;
}

export interface FunctionPermission {
  /** Who may call it, in words. */
  permitted: string;
  /** Set when anyone may call it: why that is safe. */
  open?: string;
  refusals: RefusalCase[];
}

export type PermissionsTable = Record<ContractKey, Record<string, FunctionPermission>>;

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

export const PERMISSIONS: PermissionsTable = {
  registry: {
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
  },
};
