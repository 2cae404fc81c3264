import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { trialIdOf } from "../../src/trials";
import { deployTrialsFixture } from "./fixture";
import { runTaskCapturing } from "../helpers/tasks";

async function runTask(name: string, args: Record<string, unknown>) {
  const { out, err, exitCode } = await runTaskCapturing(name, args);
  return { out, err, code: exitCode };
}

describe("tasks: trials", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-trials-"));

  async function registered() {
    const ctx = await deployTrialsFixture();
    const address = await ctx.trials.getAddress();
    const r = await runTask("trials:register", {
      salt: "ACME-ONC-002",
      protocol: ethers.id("protocol"),
      consentForm: ethers.id("form"),
      irb: ctx.irb.address,
      cap: 10,
      registryRef: "NCT07654321",
      outcome: ethers.id("outcome"),
      witness: false,
      address,
      from: ctx.sponsor.address,
    });
    return { ...ctx, address, id: trialIdOf(ctx.sponsor.address, ethers.id("ACME-ONC-002")), r };
  }

  it("registers, approves, relays a signed consent, amends and withdraws, with one-line outputs", async function () {
    const ctx = await loadFixture(registered);
    expect(ctx.r.code).to.equal(undefined);
    expect(ctx.r.out).to.deep.equal([`registered trial ${ctx.id}`]);
    const { address, id } = ctx;
    expect((await runTask("trials:approve", { trial: id, address, from: ctx.irb.address })).out).to.deep.equal([
      `trial ${id} approved`,
    ]);
    await ctx.trials.connect(ctx.sponsor).setSite(id, ctx.site.address, true);
    await ctx.trials.connect(ctx.site).setInvestigator(id, ctx.investigator.address, true);
    const p = ctx.participants[0].address;
    const file = path.join(tmp, "consent.json");
    const signed = await runTask("trials:sign-consent", {
      trial: id,
      participant: p,
      investigator: ctx.investigator.address,
      scope: "HMB,DUO:0000046",
      categories: "Labs,Medications",
      futureContact: true,
      out: file,
      address,
    });
    expect(signed.err).to.deep.equal([]);
    const relayed = await runTask("trials:consent", { file, address, from: ctx.site.address });
    expect(relayed.out).to.deep.equal([`consent of ${p} recorded; valid: true`]);
    const check = await runTask("trials:check", {
      trial: id,
      participant: p,
      scope: "HMB,NCU",
      researcher: ctx.researcher.address,
      address,
    });
    expect(check.out[0]).to.match(/: Approved, protocol v0, .*enrolled 0\/10/);
    expect(check.out[1]).to.contain(
      "valid true, scope HMB+NCU (DUO:0000006, DUO:0000046), categories Labs,Medications",
    );
    expect(check.out[2]).to.equal("mayUse(HMB,NCU): true");
    expect(check.out[3]).to.equal(`researchCategories(${ctx.researcher.address}): none`);

    const amended = await runTask("trials:amend", {
      trial: id,
      protocol: ethers.id("protocol v1"),
      consentForm: ethers.id("form v1"),
      reconsent: "all",
      address,
      from: ctx.sponsor.address,
    });
    expect(amended.out).to.deep.equal([`amendment 1 proposed for ${id}; awaiting IRB approval`]);
    const approved = await runTask("trials:approve", { trial: id, amendment: 1, address, from: ctx.irb.address });
    expect(approved.out[0]).to.equal(
      "amendment 1 approved: protocol version 1, minimum consent version 1 (all) / 1 (new enrollees)",
    );
    const withdrawn = await runTask("trials:withdraw", {
      trial: id,
      participant: p,
      choice: "withdraw-data",
      address,
      from: p,
    });
    expect(withdrawn.out).to.deep.equal([`${p} withdrew from ${id} (withdraw-data)`]);
  });

  it("prints one decoded line and sets exit code 1 when the contract refuses", async function () {
    const ctx = await loadFixture(registered);
    const r = await runTask("trials:approve", { trial: ctx.id, address: ctx.address, from: ctx.sponsor.address });
    expect(r.code).to.equal(1);
    expect(r.err).to.have.length(1);
    expect(r.err[0]).to.match(
      /^Error: MemberGatedUnauthorized: 0x[0-9a-fA-F]{40} is not an active member holding the \w+ role$/,
    );
  });

  it("prints one line for bad input and changes nothing", async function () {
    const ctx = await loadFixture(registered);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "trials:check",
        { trial: "0x1234", address: ctx.address },
        /^Error: --trial "0x1234" is not a 0x… 32-byte trial id$/,
      ],
      ["trials:check", { trial: ethers.id("none"), address: ctx.address }, /is not registered$/],
      [
        "trials:amend",
        { trial: ctx.id, protocol: "@/nope.pdf", consentForm: ethers.id("f"), reconsent: "all", address: ctx.address },
        /^Error: --protocol @\/nope\.pdf: no such file \/nope\.pdf$/,
      ],
      [
        "trials:amend",
        { trial: ctx.id, protocol: tmp, consentForm: ethers.id("f"), reconsent: "all", address: ctx.address },
        /^Error: --protocol ".*" names a file: write @.* to hash the file, or other text$/,
      ],
      [
        "trials:amend",
        { trial: ctx.id, protocol: "0x1234", consentForm: ethers.id("f"), reconsent: "all", address: ctx.address },
        /^Error: --protocol 0x1234: a hash is 0x \+ 64 hex digits/,
      ],
      [
        "trials:amend",
        {
          trial: ctx.id,
          protocol: ethers.id("p"),
          consentForm: ethers.id("f"),
          reconsent: "some",
          address: ctx.address,
        },
        /--reconsent "some" must be one of none, all, new/,
      ],
      ["trials:consent", { file: path.join(tmp, "missing.json"), address: ctx.address }, /no such file/],
      ["trials:check", { trial: ctx.id, address: ctx.outsider.address }, /no contract at/],
      [
        "trials:register",
        { salt: "x", protocol: ethers.id("p"), consentForm: ethers.id("f"), irb: "bob", cap: 1, address: ctx.address },
        /--irb "bob" is not an address/,
      ],
      [
        "trials:withdraw",
        { trial: ctx.id, participant: ctx.outsider.address, choice: "all-of-it", address: ctx.address },
        /--choice "all-of-it" must be one of no-further-collection, withdraw-data/,
      ],
    ];
    for (const [name, args, pattern] of cases) {
      const r = await runTask(name, args);
      expect(r.code, name).to.equal(1);
      expect(r.err, name).to.have.length(1);
      expect(r.err[0], name).to.match(pattern);
    }
    const bad = path.join(tmp, "bad.json");
    fs.writeFileSync(bad, "{}");
    const r = await runTask("trials:consent", { file: bad, address: ctx.address });
    expect(r.err).to.deep.equal([`Error: ${bad}: consent file has no "terms" object`]);
    expect((await ctx.trials.trial(ctx.id)).lastAmendmentId).to.equal(0);
  });
});
