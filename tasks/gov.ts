/**
 * Consortium governance from the command line: the registry's admin is a TimelockController
 * (ignition/modules/Governance.ts); its proposers propose an action, everyone sees it waiting for
 * the delay, then anyone executes it. `gov:handover` starts the registry's two-step admin transfer
 * to the timelock; the timelock accepts it by its own proposal (`--action accept-admin`).
 */
import fs from "node:fs";
import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Interface as EthersInterface, type Contract, type Interface } from "ethers";
import TimelockArtifact from "@openzeppelin/contracts/build/contracts/TimelockController.json";
import { TaskInputError, accountArg, contractAddress, documentArg, runTask, signerOf } from "./lib";

interface Common {
  timelock?: string;
  registry?: string;
  from?: string;
}

/** TimelockController's OperationState (OpenZeppelin 5). */
const STATE = ["Unset", "Waiting", "Ready", "Done"] as const;

function timelockAbi(): Interface {
  return new EthersInterface(TimelockArtifact.abi);
}

/** The timelock: --timelock, else Ignition's record "Governance#TimelockController" of this chain. */
async function timelockAt(hre: HardhatRuntimeEnvironment, args: Common): Promise<Contract> {
  let address = args.timelock;
  if (!address) {
    const chainId = (await hre.ethers.provider.getNetwork()).chainId;
    const file = path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`, "deployed_addresses.json");
    const record = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    address = record["Governance#TimelockController"];
    if (!address) {
      throw new TaskInputError(
        `no timelock deployed on chain ${chainId}: give --timelock, or deploy ignition/modules/Governance.ts`,
      );
    }
  }
  const at = await accountArg(hre, "timelock", address);
  if ((await hre.ethers.provider.getCode(at)) === "0x") throw new TaskInputError(`no contract at ${at}`);
  return new hre.ethers.Contract(at, timelockAbi(), await signerOf(hre, args.from));
}

async function registryAt(hre: HardhatRuntimeEnvironment, args: Common) {
  const at = await contractAddress(hre, "registry", args.registry);
  return hre.ethers.getContractAt("MemberRegistry", at, await signerOf(hre, args.from));
}

function run(hre: HardhatRuntimeEnvironment, body: () => Promise<void>): Promise<void> {
  return runTask(hre, ["MemberRegistry"], async () => {
    try {
      await body();
    } catch (e) {
      // The timelock's own errors (TimelockUnexpectedOperationState, AccessControlUnauthorizedAccount, …).
      if (e instanceof TaskInputError) throw e;
      const { describeError } = await import("../src/errors");
      // In words when the SDK knows the error (a missing PROPOSER role names the role); the timelock's
      // own operation errors in the compact form of its ABI.
      const readable = describeError(e);
      if (readable !== describeError(e, [])) throw new TaskInputError(readable); // revert data the SDK decoded
      const decoded = describeError(e, [timelockAbi()]);
      if (/^\w+\(.*\)$/.test(decoded)) throw new TaskInputError(decoded);
      throw e;
    }
  });
}

const when = (t: bigint) => new Date(Number(t) * 1000).toISOString();

task("gov:handover", "The registry's current admin starts handing its admin role to the timelock (step 1 of 2)")
  .addOptionalParam("timelock", "the TimelockController (default: Ignition's Governance deployment of this chain)")
  .addOptionalParam("registry", "MemberRegistry address (default: Ignition deployment)")
  .addOptionalParam("from", "the registry's current admin: an account number or address")
  .setAction(async (args: Common, hre) =>
    run(hre, async () => {
      const timelock = await timelockAt(hre, args);
      const to = await timelock.getAddress();
      const registry = await registryAt(hre, args);
      if ((await registry.defaultAdmin()) === to) {
        console.log(`${to} is already the registry's admin: nothing changed, nothing sent`);
        return;
      }
      const [pending, schedule] = await registry.pendingDefaultAdmin();
      if (pending === to) {
        console.log(`already handing over to ${to}: the timelock may accept from ${when(schedule)}; nothing sent`);
        return;
      }
      await registry.beginDefaultAdminTransfer.staticCall(to);
      const receipt = await (await registry.beginDefaultAdminTransfer(to)).wait();
      const [, at] = await registry.pendingDefaultAdmin();
      console.log(
        `admin transfer to ${to} begun (tx ${receipt?.hash}); from ${when(at)} the timelock accepts it: ` +
          "gov:propose --action accept-admin, then gov:execute",
      );
    }),
  );

/** The registry call of a governance action. */
async function actionCall(
  hre: HardhatRuntimeEnvironment,
  registry: Awaited<ReturnType<typeof registryAt>>,
  args: { action: string; account?: string; seconds?: number },
): Promise<{ data: string; what: string }> {
  const { Role } = await import("../src/roles");
  const i = registry.interface;
  const account = async () => {
    if (!args.account) throw new TaskInputError(`--action ${args.action} needs --account`);
    return accountArg(hre, "account", args.account);
  };
  switch (args.action) {
    case "appoint-registrar": {
      const a = await account();
      return { data: i.encodeFunctionData("grantRole", [Role.REGISTRAR, a]), what: `appoint ${a} registrar` };
    }
    case "remove-registrar": {
      const a = await account();
      return { data: i.encodeFunctionData("revokeRole", [Role.REGISTRAR, a]), what: `remove registrar ${a}` };
    }
    case "accept-admin":
      return { data: i.encodeFunctionData("acceptDefaultAdminTransfer"), what: "accept the registry's admin role" };
    case "change-admin-delay": {
      if (args.seconds === undefined) throw new TaskInputError("--action change-admin-delay needs --seconds");
      return {
        data: i.encodeFunctionData("changeDefaultAdminDelay", [args.seconds]),
        what: `change the admin-transfer delay to ${args.seconds} s`,
      };
    }
    default:
      throw new TaskInputError(
        `unknown --action "${args.action}" (one of appoint-registrar, remove-registrar, accept-admin, change-admin-delay)`,
      );
  }
}

task("gov:propose", "A proposer schedules a governance action on the registry; it waits the timelock's delay")
  .addParam("action", "appoint-registrar | remove-registrar | accept-admin | change-admin-delay")
  .addOptionalParam("account", "the account the action is about: an address or account number")
  .addOptionalParam("seconds", "with change-admin-delay: the new delay", undefined, types.int)
  .addOptionalParam(
    "description",
    "why (text hashed, @file, or 0x… hash): the operation's salt, so the same action can be proposed again",
    "",
  )
  .addOptionalParam("timelock", "the TimelockController (default: Ignition's Governance deployment of this chain)")
  .addOptionalParam("registry", "MemberRegistry address (default: Ignition deployment)")
  .addOptionalParam("from", "a proposer (the multisig or a founding member): an account number or address")
  .setAction(async (args: Common & { action: string; account?: string; seconds?: number; description: string }, hre) =>
    run(hre, async () => {
      const timelock = await timelockAt(hre, args);
      const registry = await registryAt(hre, args);
      const target = await registry.getAddress();
      const { data, what } = await actionCall(hre, registry, args);
      const salt = documentArg(hre, "description", args.description, true);
      const predecessor = hre.ethers.ZeroHash;
      const id: string = await timelock.hashOperation(target, 0, data, predecessor, salt);
      const state = Number(await timelock.getOperationState(id));
      if (state !== 0) {
        console.log(
          `already proposed: ${id} (${STATE[state]}); nothing sent (another --description proposes it again)`,
        );
        return;
      }
      const delay: bigint = await timelock.getMinDelay();
      await timelock.schedule.staticCall(target, 0, data, predecessor, salt, delay);
      const receipt = await (await timelock.schedule(target, 0, data, predecessor, salt, delay)).wait();
      const ready: bigint = await timelock.getTimestamp(id);
      console.log(`proposed ${id}: ${what}; executable from ${when(ready)} (tx ${receipt?.hash})`);
    }),
  );

/** The scheduled operations of the timelock, from its events. */
async function operations(timelock: Contract) {
  const scheduled = await timelock.queryFilter(timelock.filters.CallScheduled());
  const salts = await timelock.queryFilter(timelock.filters.CallSalt());
  const saltOf = new Map(
    salts.map((l) => {
      const e = l as unknown as { args: { id: string; salt: string } };
      return [e.args.id, e.args.salt];
    }),
  );
  return scheduled.map((l) => {
    // An ethers Result does not spread into its names: read each field.
    const a = (
      l as unknown as { args: { id: string; target: string; value: bigint; data: string; predecessor: string } }
    ).args;
    return {
      id: a.id,
      target: a.target,
      value: a.value,
      data: a.data,
      predecessor: a.predecessor,
      salt: saltOf.get(a.id) ?? "0x" + "00".repeat(32),
    };
  });
}

task("gov:list", "Lists the timelock's governance actions: waiting, ready or done, and what each does")
  .addOptionalParam("timelock", "the TimelockController (default: Ignition's Governance deployment of this chain)")
  .addOptionalParam("registry", "MemberRegistry address (default: Ignition deployment)")
  .setAction(async (args: Common, hre) =>
    run(hre, async () => {
      const timelock = await timelockAt(hre, args);
      const registry = await registryAt(hre, args);
      const { roleName } = await import("../src/roles");
      const ops = await operations(timelock);
      if (ops.length === 0) {
        console.log("no governance action proposed");
        return;
      }
      for (const op of ops) {
        const state = STATE[Number(await timelock.getOperationState(op.id))];
        let call = op.data.slice(0, 10);
        try {
          const parsed = registry.interface.parseTransaction({ data: op.data });
          if (parsed) {
            const shown = parsed.args.map((a) => (typeof a === "string" && roleName(a) ? roleName(a) : String(a)));
            call = `${parsed.name}(${shown.join(", ")})`;
          }
        } catch {
          // not a registry call: its selector is shown
        }
        const ready: bigint = await timelock.getTimestamp(op.id);
        console.log(
          `${op.id}  ${state.padEnd(7)}  ${call} on ${op.target}${state === "Waiting" ? `  ready ${when(ready)}` : ""}`,
        );
      }
    }),
  );

task("gov:execute", "Executes a governance action whose delay has passed (anyone may, unless executors are set)")
  .addParam("id", "the operation id printed by gov:propose or gov:list")
  .addOptionalParam("timelock", "the TimelockController (default: Ignition's Governance deployment of this chain)")
  .addOptionalParam("from", "the executing account: an account number or address")
  .setAction(async (args: Common & { id: string }, hre) =>
    run(hre, async () => {
      const timelock = await timelockAt(hre, args);
      const op = (await operations(timelock)).find((o) => o.id.toLowerCase() === args.id.toLowerCase());
      if (!op) throw new TaskInputError(`no governance action ${args.id} on this timelock (see gov:list)`);
      const state = Number(await timelock.getOperationState(op.id));
      if (state === 3) {
        console.log(`${op.id} was already executed: nothing sent`);
        return;
      }
      if (state === 1) {
        throw new TaskInputError(`${op.id} is waiting: executable from ${when(await timelock.getTimestamp(op.id))}`);
      }
      await timelock.execute.staticCall(op.target, op.value, op.data, op.predecessor, op.salt);
      const receipt = await (await timelock.execute(op.target, op.value, op.data, op.predecessor, op.salt)).wait();
      console.log(`executed ${op.id} (tx ${receipt?.hash})`);
    }),
  );
