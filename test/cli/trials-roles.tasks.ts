/**
 * A trial's whole life from the command line, each act by the role that may do it (sponsor, IRB,
 * site), with "already …" when nothing would change and one decoded Error line for a refusal.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { OutcomeReport, TrialStatus, trialIdOf } from "../../src/trials";
import { deployTrialsFixture } from "../trials/fixture";
import { runTaskCapturing } from "../helpers/tasks";

describe("trials tasks by role: sites, researchers, investigators, recruitment, enrollment, results (test/cli)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-trial-roles-"));

  async function registered() {
    const ctx = await deployTrialsFixture();
    const address = await ctx.trials.getAddress();
    const r = await runTaskCapturing("trials:register", {
      salt: "ROLES-1",
      protocol: "protocol v0",
      consentForm: "consent form v0",
      irb: ctx.irb.address,
      cap: 2,
      witness: false,
      address,
      from: ctx.sponsor.address,
    });
    expect(r.exitCode, r.lines.join("\n")).to.equal(undefined);
    return { ...ctx, address, id: trialIdOf(ctx.sponsor.address, ethers.id("ROLES-1")) };
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
    expect(r.lines[0]).to.match(expected);
    expect(await ethers.provider.getBlockNumber(), "nothing sent").to.equal(block);
  }

  it("names a site, a researcher and an investigator, commits the registration, opens, enrolls, closes and posts results", async function () {
    const ctx = await loadFixture(registered);
    const { address, id, trials } = ctx;
    const sponsor = { address, trial: id, from: ctx.sponsor.address };
    const site = { address, trial: id, from: ctx.site.address };
    await ok("trials:approve", { trial: id, address, from: ctx.irb.address });

    expect(await ok("trials:set-site", { ...sponsor, site: ctx.site.address })).to.deep.equal([
      `${ctx.site.address} is now a site of ${id} (tx ${(await lastTx()).hash})`,
    ]);
    expect(await ok("trials:set-site", { ...sponsor, site: ctx.site.address })).to.deep.equal([
      `${ctx.site.address} is already a site of ${id}: nothing changed, nothing sent`,
    ]);
    expect(await trials.isSite(id, ctx.site.address)).to.equal(true);
    await ok("trials:set-researcher", { ...sponsor, researcher: ctx.researcher.address });
    expect(await trials.isResearcher(id, ctx.researcher.address)).to.equal(true);
    await ok("trials:set-investigator", { ...site, investigator: ctx.investigator.address });

    // Enrollment needs the registry reference and the outcome committed.
    await ok("trials:open", sponsor);
    expect(await ok("trials:open", sponsor)).to.deep.equal([
      `${id} is already recruiting: nothing changed, nothing sent`,
    ]);
    await ok("trials:commit-registration", { ...sponsor, registryRef: "NCT01112222", outcome: "overall survival" });
    expect(await trials.currentOutcomeHash(id)).to.equal(ethers.id("overall survival"));

    const p = ctx.participants[0].address;
    const file = path.join(tmp, "consent.json");
    await ok("trials:sign-consent", {
      trial: id,
      participant: p,
      investigator: ctx.investigator.address,
      scope: "HMB",
      categories: "Labs",
      futureContact: false,
      out: file,
      address,
    });
    await ok("trials:consent", { file, address, from: ctx.site.address });
    expect(await ok("trials:enroll", { ...site, participant: p })).to.deep.equal([
      `${p} enrolled in ${id} (1/2; tx ${(await lastTx()).hash})`,
    ]);
    expect(await ok("trials:enroll", { ...site, participant: p })).to.deep.equal([
      `${p} is already enrolled in ${id}: nothing changed, nothing sent`,
    ]);

    await ok("trials:close", sponsor);
    expect(await ok("trials:close", sponsor)).to.deep.equal([`${id} is already closed: nothing changed, nothing sent`]);
    expect(
      await ok("trials:post-results", { ...sponsor, results: "the results", outcome: "overall survival" }),
    ).to.deep.equal([
      `results of ${id} posted: outcome ${OutcomeReport[OutcomeReport.AsRegistered]} (tx ${(await lastTx()).hash})`,
    ]);
    expect((await trials.trial(id)).status).to.equal(TrialStatus.ResultsPosted);
    expect(await trials.resultsHash(id)).to.equal(ethers.id("the results"));
  });

  it("refuses each act from the wrong role in one decoded line, sending nothing", async function () {
    const ctx = await loadFixture(registered);
    const { address, id } = ctx;
    const stranger = { address, trial: id, from: ctx.stranger.address };
    await refused("trials:set-site", { ...stranger, site: ctx.site.address }, /^Error: \w+: /);
    await refused("trials:set-researcher", { ...stranger, researcher: ctx.researcher.address }, /^Error: \w+: /);
    await refused("trials:open", { address, trial: id, from: ctx.sponsor.address }, /^Error: \w+: /); // not approved yet
    await refused("trials:close", stranger, /^Error: \w+: /);
    await refused("trials:set-investigator", { ...stranger, investigator: ctx.investigator.address }, /^Error: \w+: /);
    await refused("trials:enroll", { ...stranger, participant: ctx.participants[0].address }, /^Error: \w+: /);
    await refused(
      "trials:post-results",
      { address, trial: id, from: ctx.sponsor.address, results: "r", outcome: "o" },
      /^Error: \w+: /,
    );
    await refused(
      "trials:commit-registration",
      { address, trial: id, from: ctx.sponsor.address },
      /^Error: give --registry-ref and\/or --outcome$/,
    );
    await refused(
      "trials:open",
      { address, trial: "0x12", from: ctx.sponsor.address },
      /^Error: --trial "0x12" is not a 0x… 32-byte trial id$/,
    );
  });
});

async function lastTx() {
  const block = await ethers.provider.getBlock("latest", false);
  return { hash: block!.transactions[block!.transactions.length - 1] };
}
