/**
 * Governance end to end: the registry's admin role is handed to a TimelockController in two steps,
 * then a founding member proposes appointing a registrar, everyone sees it wait, and it is executed
 * once the delay has passed (time advanced on the chain).
 */
import { expect } from "chai";
import { ethers, ignition } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import { runTaskCapturing } from "../helpers/tasks";
import GovernanceModule from "../../ignition/modules/Governance";
import { Role } from "../../src/roles";

const DELAY = 3600;

describe("governance: timelock module, gov:handover, gov:propose, gov:list, gov:execute (test/cli)", function () {
  async function fixture() {
    const f = await deployConsortiumFixture();
    const founders = [f.signers[16], f.signers[17]];
    const { timelock } = await ignition.deploy(GovernanceModule, {
      parameters: { Governance: { proposers: founders.map((s) => s.address), minDelay: DELAY } },
    });
    return {
      ...f,
      founders,
      timelock: await timelock.getAddress(),
      registryAddress: await f.registry.getAddress(),
    };
  }

  async function ok(name: string, args: Record<string, unknown>): Promise<string[]> {
    const r = await runTaskCapturing(name, args);
    expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(undefined);
    return r.out;
  }

  async function refused(name: string, args: Record<string, unknown>, expected: RegExp): Promise<void> {
    const block = await ethers.provider.getBlockNumber();
    const r = await runTaskCapturing(name, args);
    expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(1);
    expect(r.lines, name).to.have.length(1);
    expect(r.lines[0], name).to.match(expected);
    expect(await ethers.provider.getBlockNumber(), "nothing sent").to.equal(block);
  }

  it("hands the registry to the timelock, then appoints a registrar through it after the delay", async function () {
    const { registry, timelock, registryAddress, signers } = await loadFixture(fixture);
    const at = { timelock, registry: registryAddress };
    expect((await ok("gov:handover", { ...at, from: "1" }))[0]).to.match(
      new RegExp(`^admin transfer to ${timelock} begun \\(tx 0x[0-9a-f]{64}\\); from .* the timelock accepts it`),
    );
    expect((await ok("gov:handover", { ...at, from: "1" }))[0]).to.match(/^already handing over to .*; nothing sent$/);

    const proposed = await ok("gov:propose", { ...at, from: "16", action: "accept-admin", description: "" });
    const acceptId = /^proposed (0x[0-9a-f]{64}): accept the registry's admin role; executable from /.exec(
      proposed[0],
    )![1];
    await refused("gov:execute", { ...at, id: acceptId }, /^Error: 0x[0-9a-f]{64} is waiting: executable from /);
    await refused(
      "gov:propose",
      { ...at, from: "15", action: "appoint-registrar", account: "20", description: "" },
      /^Error: AccessControlUnauthorizedAccount: .*the timelock's PROPOSER/,
    );
    expect((await ok("gov:list", at))[0]).to.match(
      new RegExp(`^${acceptId}  Waiting  acceptDefaultAdminTransfer\\(\\) on ${registryAddress}  ready `),
    );

    // Past both the timelock's delay and the registry's admin-transfer delay (1 day in the fixture).
    await time.increase(86_400 + 1);
    await ok("gov:execute", { ...at, id: acceptId, from: "20" });
    expect(await registry.defaultAdmin()).to.equal(timelock);

    const appoint = await ok("gov:propose", {
      ...at,
      from: "17",
      action: "appoint-registrar",
      account: "20",
      description: "second registrar, board minutes 2026-11",
    });
    const appointId = /^proposed (0x[0-9a-f]{64}): appoint 0x[0-9a-fA-F]{40} registrar/.exec(appoint[0])![1];
    await time.increase(DELAY + 1);
    expect(await ok("gov:execute", { ...at, id: appointId })).to.have.length(1);
    expect(await registry.hasRole(Role.REGISTRAR, signers[20].address)).to.equal(true);
    expect(await ok("gov:execute", { ...at, id: appointId })).to.deep.equal([
      `${appointId} was already executed: nothing sent`,
    ]);
    const list = await ok("gov:list", at);
    expect(list).to.deep.equal([
      `${acceptId}  Done     acceptDefaultAdminTransfer() on ${registryAddress}`,
      `${appointId}  Done     grantRole(REGISTRAR, ${signers[20].address}) on ${registryAddress}`,
    ]);
    // The former admin can no longer appoint anyone directly.
    await expect(
      registry.connect(signers[1]).grantRole(Role.REGISTRAR, signers[21].address),
    ).to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount");
  });

  it("refuses an unknown action, a missing account, an unknown id and a missing timelock in one line", async function () {
    const { timelock, registryAddress } = await loadFixture(fixture);
    const at = { timelock, registry: registryAddress };
    await refused(
      "gov:propose",
      { ...at, from: "16", action: "dissolve", description: "" },
      /^Error: unknown --action "dissolve"/,
    );
    await refused(
      "gov:propose",
      { ...at, from: "16", action: "appoint-registrar", description: "" },
      /^Error: --action appoint-registrar needs --account$/,
    );
    await refused(
      "gov:execute",
      { ...at, id: ethers.ZeroHash },
      /^Error: no governance action 0x0{64} on this timelock/,
    );
    await refused(
      "gov:list",
      { registry: registryAddress },
      /^Error: no timelock deployed on chain 31337: give --timelock/,
    );
  });
});
