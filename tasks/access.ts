/**
 * Consortium operator tasks: `npx hardhat access:<verb> --network <net> …` — admit, suspend and
 * reinstate member organisations, grant and revoke their roles, show a member or list them all.
 * The sender (--from) must be a registrar (roles, admission) or governance (registrars).
 */
import fs from "node:fs";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { MemberRegistry } from "../typechain-types";
import {
  DOCUMENT_HELP,
  TaskInputError,
  accountArg,
  addressArg,
  contractAddress,
  documentArg,
  runTask,
  signerOf,
} from "./lib";
import { Role, RoleName, roleName } from "../src/roles";
import { formatGLN, parseGLN } from "../src/gs1/checkDigit";
import { MemberStatus } from "../src/enums";

interface Common {
  address?: string;
  from?: string;
}

async function registryAt(hre: HardhatRuntimeEnvironment, args: Common): Promise<MemberRegistry> {
  const at = await contractAddress(hre, "registry", args.address);
  return (await hre.ethers.getContractAt(
    "MemberRegistry",
    at,
    await signerOf(hre, args.from),
  )) as unknown as MemberRegistry;
}

function roleArg(value: string): string {
  const name = value
    .trim()
    .toUpperCase()
    .replace(/_ROLE$/, "") as RoleName;
  if (!(name in Role)) throw new TaskInputError(`unknown role "${value}" (one of ${Object.keys(Role).join(", ")})`);
  return Role[name];
}

function operatorTask(name: string, description: string) {
  return task(name, description)
    .addOptionalParam("address", "MemberRegistry address (default: Ignition deployment of this chain)")
    .addOptionalParam("from", "account index or address to send from (default 0)");
}

operatorTask("access:admit", "Admit a member organisation with its GS1 GLN, and optionally grant it roles")
  .addParam("account", "the organisation's address")
  .addParam("gln", "13-digit GLN (check digit validated)")
  .addOptionalParam("metadata", `profile document: ${DOCUMENT_HELP}`, "")
  .addOptionalParam("roles", "comma-separated roles to grant, e.g. MANUFACTURER,REGULATOR", "")
  .setAction(async (args: Common & { account: string; gln: string; metadata: string; roles: string }, hre) =>
    runTask(hre, [], async () => {
      const account = await accountArg(hre, "account", args.account);
      const gln = parseGLN(args.gln);
      const roles = args.roles
        .split(",")
        .filter((r) => r.trim() !== "")
        .map(roleArg);
      const registry = await registryAt(hre, args);
      await (await registry.admitMember(account, gln, documentArg(hre, "metadata", args.metadata, true))).wait();
      for (const role of roles) await (await registry.grantRole(role, account)).wait();
      console.log(`admitted ${account} with GLN ${formatGLN(gln)}${roles.length ? `, roles ${args.roles}` : ""}`);
    }),
  );

for (const [verb, grant] of [
  ["grant-role", true],
  ["revoke-role", false],
] as const) {
  operatorTask(`access:${verb}`, `${grant ? "Grant" : "Revoke"} a role of a member`)
    .addParam("account", "the member's address")
    .addParam("role", "MANUFACTURER, WHOLESALER, DISPENSER, PROVIDER, … or REGISTRAR (governance only)")
    .setAction(async (args: Common & { account: string; role: string }, hre) =>
      runTask(hre, [], async () => {
        const account = await accountArg(hre, "account", args.account);
        const role = roleArg(args.role);
        const registry = await registryAt(hre, args);
        await (await (grant ? registry.grantRole(role, account) : registry.revokeRole(role, account))).wait();
        console.log(`${grant ? "granted" : "revoked"} ${roleName(role)} ${grant ? "to" : "of"} ${account}`);
      }),
    );
}

operatorTask("access:suspend", "Suspend a member: it acts in no domain until reinstated")
  .addParam("account", "the member's address")
  .addOptionalParam("reason", `reason: ${DOCUMENT_HELP}`, "")
  .setAction(async (args: Common & { account: string; reason: string }, hre) =>
    runTask(hre, [], async () => {
      const account = await accountArg(hre, "account", args.account);
      const registry = await registryAt(hre, args);
      await (await registry.suspendMember(account, documentArg(hre, "reason", args.reason, true))).wait();
      console.log(`suspended ${account}`);
    }),
  );

operatorTask("access:reinstate", "Reinstate a suspended member")
  .addParam("account", "the member's address")
  .setAction(async (args: Common & { account: string }, hre) =>
    runTask(hre, [], async () => {
      const account = await accountArg(hre, "account", args.account);
      await (await (await registryAt(hre, args)).reinstateMember(account)).wait();
      console.log(`reinstated ${account}`);
    }),
  );

operatorTask(
  "access:set-endpoint",
  "Publish (or withdraw) your own service endpoint in the registry's directory, e.g. a manufacturer's " +
    "verification responder, which pharmacies then find from the lot's manufacturer on chain",
)
  .addParam("url", 'the service\'s http(s) URL, or "" to withdraw it')
  .addOptionalParam("linkType", "GS1 link type of the service", "gs1:verificationService")
  .setAction(async (args: Common & { url: string; linkType: string }, hre) =>
    runTask(hre, [], async () => {
      const { linkTypeKey } = await import("../src/supply/endpoints");
      if (args.url !== "" && !/^https?:\/\/./.test(args.url)) {
        throw new TaskInputError(`--url "${args.url}" is not an http(s) URL (lower-case scheme)`);
      }
      const registry = await registryAt(hre, args);
      const me = (await signerOf(hre, args.from)).address;
      const key = linkTypeKey(args.linkType);
      if ((await registry.endpointOf(me, key)) === args.url) {
        console.log(`nothing changed: ${args.linkType} of ${me} is already "${args.url}"`);
        return;
      }
      await registry.setEndpoint.staticCall(key, args.url);
      const receipt = await (await registry.setEndpoint(key, args.url)).wait();
      console.log(
        args.url === ""
          ? `withdrew ${args.linkType} of ${me} (tx ${receipt!.hash})`
          : `published ${args.linkType} of ${me}: ${args.url} (tx ${receipt!.hash})`,
      );
    }),
  );

operatorTask("access:members", "List the member organisations (from MemberAdmitted events) with status and roles")
  .addOptionalParam("fromBlock", "first block to read events from", "0")
  .setAction(async (args: Common & { fromBlock: string }, hre) =>
    runTask(hre, [], async () => {
      const registry = await registryAt(hre, args);
      const admitted = await registry.queryFilter(registry.filters.MemberAdmitted(), Number(args.fromBlock));
      if (admitted.length === 0) {
        console.log("no members");
        return;
      }
      for (const event of admitted) {
        const account = event.args.account;
        const member = await registry.memberOf(account);
        const roles: string[] = [];
        for (const name of Object.keys(Role) as RoleName[]) {
          if (await registry.hasRole(Role[name], account)) roles.push(name);
        }
        console.log(
          `${account}  GLN ${formatGLN(member.gln)}  ${MemberStatus[Number(member.status)]}  ${roles.join(",") || "-"}`,
        );
      }
    }),
  );

/** One entry of a members file (ignition/parameters/<network>.members.json). */
interface MemberEntry {
  account: string;
  gln: string;
  roles?: string[];
  metadata?: string;
}

operatorTask(
  "access:onboard",
  "Admit the initial members listed in a members file and grant their roles; skips what is already done",
)
  .addParam("file", "JSON array of { account, gln, roles, metadata }, e.g. ignition/parameters/localhost.members.json")
  .setAction(async (args: Common & { file: string }, hre) =>
    runTask(hre, [], async () => {
      if (!fs.existsSync(args.file)) throw new TaskInputError(`no such file: ${args.file}`);
      let entries: MemberEntry[];
      try {
        entries = JSON.parse(fs.readFileSync(args.file, "utf8")) as MemberEntry[];
      } catch {
        throw new TaskInputError(`${args.file} is not JSON`);
      }
      if (!Array.isArray(entries)) throw new TaskInputError(`${args.file} must hold a JSON array of members`);
      // Validate the whole file before the first transaction, so a typo changes nothing.
      const plan = entries.map((e, i) => ({
        account: addressArg(hre, `file[${i}].account`, e.account),
        gln: parseGLN(String(e.gln)),
        roles: (e.roles ?? []).map(roleArg),
        metadata: documentArg(hre, `file[${i}].metadata`, e.metadata, true),
      }));
      const registry = await registryAt(hre, args);
      let admitted = 0;
      let granted = 0;
      for (const m of plan) {
        if (Number((await registry.memberOf(m.account)).status) === MemberStatus.None) {
          await (await registry.admitMember(m.account, m.gln, m.metadata)).wait();
          admitted += 1;
        }
        for (const role of m.roles) {
          if (!(await registry.hasRole(role, m.account))) {
            await (await registry.grantRole(role, m.account)).wait();
            granted += 1;
          }
        }
      }
      console.log(`onboarded ${plan.length} members: ${admitted} admitted, ${granted} roles granted`);
    }),
  );
