import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployRegistryFixture, testGLN } from "../helpers/fixtures";
import { MemberStatus } from "../helpers/enums";
import { Role } from "../../src/roles";
import { formatGLN } from "../../src/gs1/checkDigit";
import { runTaskCapturing } from "../helpers/tasks";

async function runTask(name: string, args: Record<string, unknown>) {
  const { lines, exitCode } = await runTaskCapturing(name, args);
  return { lines, exitCode };
}

describe("access tasks", function () {
  async function fixture() {
    const f = await deployRegistryFixture();
    return { ...f, address: await f.registry.getAddress(), member: f.signers[20], from: f.registrar.address };
  }

  it("admits a member with roles, lists it, suspends and reinstates it", async function () {
    const { registry, address, member, from } = await loadFixture(fixture);
    const gln = formatGLN(testGLN(77));
    const admitted = await runTask("access:admit", {
      address,
      from,
      account: member.address,
      gln,
      metadata: "",
      roles: "manufacturer,REGULATOR_ROLE",
    });
    expect(admitted).to.deep.equal({
      lines: [`admitted ${member.address} with GLN ${gln}, roles manufacturer,REGULATOR_ROLE`],
      exitCode: undefined,
    });
    expect(await registry.hasActiveRole(Role.REGULATOR, member.address)).to.equal(true);

    const listed = await runTask("access:members", { address, fromBlock: "0" });
    expect(listed.lines).to.deep.equal([`${member.address}  GLN ${gln}  Active  MANUFACTURER,REGULATOR`]);

    expect(
      (await runTask("access:suspend", { address, from, account: member.address, reason: "" })).lines,
    ).to.deep.equal([`suspended ${member.address}`]);
    expect((await registry.memberOf(member.address)).status).to.equal(MemberStatus.Suspended);
    expect((await runTask("access:reinstate", { address, from, account: member.address })).lines).to.deep.equal([
      `reinstated ${member.address}`,
    ]);
    expect(
      (await runTask("access:revoke-role", { address, from, account: member.address, role: "regulator" })).lines,
    ).to.deep.equal([`revoked REGULATOR of ${member.address}`]);
    expect(
      (await runTask("access:grant-role", { address, from, account: member.address, role: "dispenser" })).lines,
    ).to.deep.equal([`granted DISPENSER to ${member.address}`]);
    expect(await registry.hasActiveRole(Role.DISPENSER, member.address)).to.equal(true);
  });

  it("says there are no members of an empty registry", async function () {
    const { address } = await loadFixture(fixture);
    expect((await runTask("access:members", { address, fromBlock: "0" })).lines).to.deep.equal(["no members"]);
  });

  it("prints one line for bad input or a refused call, sets exit code 1 and changes nothing", async function () {
    const { registry, address, member, from } = await loadFixture(fixture);
    const base = { address, from, account: member.address, metadata: "", roles: "" };
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "access:admit",
        { ...base, gln: "4000000000018" },
        'Error: GLN must be 13 digits with a valid check digit: "4000000000018"',
      ],
      [
        "access:admit",
        { ...base, gln: formatGLN(testGLN(1)), roles: "PHARMACIST" },
        `Error: unknown role "PHARMACIST" (one of REGISTRAR, MANUFACTURER, WHOLESALER, DISPENSER, PROVIDER, SPONSOR, IRB, TRIAL_SITE, RESEARCHER, REGULATOR, SENSOR_ORACLE, PRIVACY_OFFICER)`,
      ],
      [
        "access:admit",
        { ...base, account: "0x12", gln: formatGLN(testGLN(1)) },
        'Error: --account "0x12" is not an address',
      ],
      [
        "access:admit",
        { ...base, from: "0", gln: formatGLN(testGLN(1)) },
        `Error: AccessControlUnauthorizedAccount: ${(await ethers.getSigners())[0].address} does not hold the REGISTRAR role`,
      ],
      [
        "access:reinstate",
        { address, from, account: member.address },
        `Error: MemberNotFound: ${member.address} is not a member`,
      ],
      [
        "access:members",
        { address: ethers.ZeroAddress.replace(/0$/, "1"), fromBlock: "0" },
        "Error: no contract at 0x0000000000000000000000000000000000000001",
      ],
      [
        "access:suspend",
        { address, from: "99", account: member.address, reason: "" },
        `Error: --from 99: network "hardhat" has 30 accounts`,
      ],
    ];
    for (const [name, args, line] of cases) {
      const out = await runTask(name, args);
      expect(out, name).to.deep.equal({ lines: [line], exitCode: 1 });
    }
    expect((await registry.memberOf(member.address)).status).to.equal(MemberStatus.None);
  });
});

describe("access:onboard", function () {
  it("admits the localhost members file's organisations once, and a second run changes nothing", async function () {
    const { registry, registrar } = await loadFixture(deployRegistryFixture);
    const args = {
      address: await registry.getAddress(),
      from: registrar.address,
      file: "ignition/parameters/localhost.members.json",
    };
    const first = await runTaskCapturing("access:onboard", args);
    expect(first.lines).to.deep.equal(["onboarded 12 members: 12 admitted, 12 roles granted"]);
    const [, , , manufacturer] = await ethers.getSigners();
    expect(await registry.hasActiveRole(Role.MANUFACTURER, manufacturer.address)).to.equal(true);
    const again = await runTaskCapturing("access:onboard", args);
    expect(again.lines).to.deep.equal(["onboarded 12 members: 0 admitted, 0 roles granted"]);
  });

  it("refuses a file with a bad GLN before sending anything", async function () {
    const { registry, registrar, signers } = await loadFixture(deployRegistryFixture);
    const file = path.join(os.tmpdir(), `carechain-members-${process.pid}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify([
        { account: signers[20].address, gln: formatGLN(testGLN(1)), roles: ["MANUFACTURER"] },
        { account: signers[21].address, gln: "4000000000018", roles: [] },
      ]),
    );
    const out = await runTaskCapturing("access:onboard", {
      address: await registry.getAddress(),
      from: registrar.address,
      file,
    });
    fs.rmSync(file);
    expect(out.lines).to.deep.equal(['Error: GLN must be 13 digits with a valid check digit: "4000000000018"']);
    expect(out.exitCode).to.equal(1);
    expect((await registry.memberOf(signers[20].address)).status).to.equal(MemberStatus.None);
  });
});
