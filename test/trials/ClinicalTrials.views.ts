import { expect } from "chai";
import { ethers } from "hardhat";
import { TypedDataEncoder } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Role } from "../../src/roles";
import { categoryMask } from "../../src/categories";
import { ReconsentPolicy, WithdrawalChoice, diseaseCodeHash, encodeScope } from "../../src/trials";
import { DEFAULT_CATEGORIES, consent, consentPackage, recruitingTrialFixture, relaySignature } from "./fixture";

const SALT = ethers.id("trial secret salt");
const C50 = diseaseCodeHash("C50", SALT);
const E11 = diseaseCodeHash("E11", SALT);

/** Three complete consents: GRU, HMB + NCU + PUB, DS(C50). */
async function scopedFixture() {
  const ctx = await recruitingTrialFixture();
  const [gru, hmb, ds] = ctx.participants;
  await consent(ctx, gru, { scope: encodeScope(["GRU"]) });
  await consent(ctx, hmb, { scope: encodeScope(["HMB", "NCU", "PUB"]) });
  await consent(ctx, ds, { scope: encodeScope(["DS"]), diseaseCodeHash: C50 });
  return ctx;
}

describe("ClinicalTrials: views", function () {
  describe("isConsentValid", function () {
    it("is false for an unknown participant or trial", async function () {
      const ctx = await loadFixture(scopedFixture);
      expect(await ctx.trials.isConsentValid(ctx.trialId, ctx.outsider.address)).to.equal(false);
      expect(await ctx.trials.isConsentValid(ethers.id("none"), ctx.participants[0].address)).to.equal(false);
    });

    it("is true for a complete consent and false once only the signature of a new one is in", async function () {
      const ctx = await loadFixture(scopedFixture);
      const p = ctx.participants[0];
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
      await relaySignature(ctx, await consentPackage(ctx, p));
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
    });
  });

  describe("mayUse", function () {
    const cases: [string, number, string[], boolean][] = [
      ["a GRU consent covers general research", 0, ["GRU"], true],
      ["a GRU consent covers health/medical research", 0, ["HMB"], true],
      ["a GRU consent covers disease-specific research", 0, ["DS"], true],
      ["an HMB consent refuses general research", 1, ["GRU", "NCU", "PUB"], false],
      ["an HMB+NCU+PUB consent covers a non-commercial, published HMB use", 1, ["HMB", "NCU", "PUB"], true],
      ["an HMB+NCU+PUB consent refuses a use that will not be published", 1, ["HMB", "NCU"], false],
      ["an HMB+NCU+PUB consent refuses a commercial use", 1, ["HMB", "PUB"], false],
      ["an HMB+NCU+PUB consent covers a DS use meeting its conditions", 1, ["DS", "NCU", "PUB", "COL"], true],
      ["a DS consent refuses HMB research", 2, ["HMB"], false],
      ["a DS consent refuses a DS use without naming the disease", 2, ["DS"], false],
    ];
    for (const [name, who, request, expected] of cases) {
      it(`${expected ? "is true" : "is false"}: ${name}`, async function () {
        const ctx = await loadFixture(scopedFixture);
        expect(await ctx.trials.mayUse(ctx.trialId, ctx.participants[who].address, encodeScope(request))).to.equal(
          expected,
        );
      });
    }

    it("is false for a request with no or several primary uses, or unknown bits", async function () {
      const ctx = await loadFixture(scopedFixture);
      const p = ctx.participants[0].address;
      for (const scope of [encodeScope(["NCU"]), encodeScope(["GRU", "HMB"]), encodeScope(["GRU"]) | (1 << 12)]) {
        expect(await ctx.trials.mayUse(ctx.trialId, p, scope)).to.equal(false);
      }
    });

    it("is false for a participant without a complete consent", async function () {
      const ctx = await loadFixture(scopedFixture);
      expect(await ctx.trials.mayUse(ctx.trialId, ctx.outsider.address, encodeScope(["DS"]))).to.equal(false);
    });

    it("holds a consent's non-profit (NPU) and ethics-approval (IRB) conditions", async function () {
      // The DUO modifiers no other case uses: each bit is its own condition, met only when the request names it.
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      await consent(ctx, ctx.participants[0], { scope: encodeScope(["HMB", "NPU", "IRB"]) });
      const answers = [];
      for (const request of [
        ["HMB", "NPU", "IRB"],
        ["HMB", "IRB"],
        ["HMB", "NPU"],
      ]) {
        answers.push(await ctx.trials.mayUse(ctx.trialId, p, encodeScope(request)));
      }
      expect(answers).to.deep.equal([true, false, false]);
      // A disease-specific use is within HMB, under the same two conditions.
      expect(await ctx.trials.mayUseFor(ctx.trialId, p, encodeScope(["DS", "NPU", "IRB"]), C50)).to.equal(true);
      expect(await ctx.trials.mayUseFor(ctx.trialId, p, encodeScope(["DS", "IRB"]), C50)).to.equal(false);
    });

    it("is false once a TS time limit has passed", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      const until = BigInt(await time.latest()) + 1000n;
      await consent(ctx, ctx.participants[0], { scope: encodeScope(["HMB", "TS"]), useUntil: until });
      expect(await ctx.trials.mayUse(ctx.trialId, p, encodeScope(["HMB"]))).to.equal(true);
      // The limit's own second is still within it (asked of the block stamped `until`, not a pending one).
      await time.increaseTo(until);
      const blockTag = await ethers.provider.getBlockNumber();
      expect(await ctx.trials.mayUse(ctx.trialId, p, encodeScope(["HMB"]), { blockTag })).to.equal(true);
      await time.increaseTo(until + 1n);
      expect(await ctx.trials.mayUse(ctx.trialId, p, encodeScope(["HMB"]))).to.equal(false);
    });

    it("is false after an amendment requiring re-consent until the participant re-consents", async function () {
      const ctx = await loadFixture(scopedFixture);
      const p = ctx.participants[0];
      await ctx.trials
        .connect(ctx.sponsor)
        .proposeAmendment(
          ctx.trialId,
          ethers.id("p1"),
          ethers.id("f1"),
          ReconsentPolicy.AllParticipants,
          ethers.ZeroHash,
        );
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, encodeScope(["GRU"]))).to.equal(false);
      await consent(ctx, p, { scope: encodeScope(["GRU"]) });
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, encodeScope(["GRU"]))).to.equal(true);
    });
  });

  describe("mayUseFor", function () {
    it("is true for a DS consent's own disease and false for another", async function () {
      const ctx = await loadFixture(scopedFixture);
      const p = ctx.participants[2].address;
      expect(await ctx.trials.mayUseFor(ctx.trialId, p, encodeScope(["DS"]), C50)).to.equal(true);
      expect(await ctx.trials.mayUseFor(ctx.trialId, p, encodeScope(["DS"]), E11)).to.equal(false);
    });
  });

  describe("researchCategories", function () {
    it("returns the consented categories to an active researcher of the trial", async function () {
      const ctx = await loadFixture(scopedFixture);
      expect(
        await ctx.trials.researchCategories(ctx.trialId, ctx.participants[0].address, ctx.researcher.address),
      ).to.equal(DEFAULT_CATEGORIES);
    });

    it("returns 0 to a researcher who is not of the trial, was removed, or is suspended", async function () {
      const ctx = await loadFixture(scopedFixture);
      const p = ctx.participants[0].address;
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.hospital.address)).to.equal(0);
      await ctx.registry.connect(ctx.registrar).suspendMember(ctx.researcher.address, ethers.ZeroHash);
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(0);
      await ctx.registry.connect(ctx.registrar).reinstateMember(ctx.researcher.address);
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(DEFAULT_CATEGORIES);
      await ctx.registry.connect(ctx.registrar).revokeRole(Role.RESEARCHER, ctx.researcher.address);
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(0);
      await ctx.registry.connect(ctx.registrar).grantRole(Role.RESEARCHER, ctx.researcher.address);
      await ctx.trials.connect(ctx.sponsor).setResearcher(ctx.trialId, ctx.researcher.address, false);
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(0);
    });

    it("returns 0 in the block of a withdrawal, whichever the choice", async function () {
      const ctx = await loadFixture(scopedFixture);
      const [a, b] = ctx.participants;
      await ctx.trials.connect(a).withdraw(ctx.trialId, a.address, WithdrawalChoice.NoFurtherCollection);
      await ctx.trials.connect(b).withdraw(ctx.trialId, b.address, WithdrawalChoice.WithdrawData);
      for (const p of [a, b]) {
        expect(await ctx.trials.researchCategories(ctx.trialId, p.address, ctx.researcher.address)).to.equal(0);
      }
    });

    it("returns 0 after an approved re-consent amendment until re-consent, then the new categories", async function () {
      const ctx = await loadFixture(scopedFixture);
      const p = ctx.participants[0];
      await ctx.trials
        .connect(ctx.sponsor)
        .proposeAmendment(
          ctx.trialId,
          ethers.id("p1"),
          ethers.id("f1"),
          ReconsentPolicy.AllParticipants,
          ethers.ZeroHash,
        );
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1);
      expect(await ctx.trials.researchCategories(ctx.trialId, p.address, ctx.researcher.address)).to.equal(0);
      const labs = categoryMask(["Labs"]);
      await consent(ctx, p, { categories: labs });
      expect(await ctx.trials.researchCategories(ctx.trialId, p.address, ctx.researcher.address)).to.equal(labs);
    });

    it("returns 0 once a TS time limit has passed", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      const until = BigInt(await time.latest()) + 1000n;
      await consent(ctx, ctx.participants[0], { scope: encodeScope(["HMB", "TS"]), useUntil: until });
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(DEFAULT_CATEGORIES);
      await time.increaseTo(until + 1n);
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(0);
    });
  });

  describe("nonces and DOMAIN_SEPARATOR", function () {
    it("count every signature kind of a signer and match the SDK's domain", async function () {
      const ctx = await loadFixture(scopedFixture);
      expect(await ctx.trials.nonces(ctx.investigator.address)).to.equal(3);
      expect(await ctx.trials.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(ctx.domain));
    });
  });

  describe("registry", function () {
    it("is the consortium registry", async function () {
      const ctx = await loadFixture(scopedFixture);
      expect(await ctx.trials.registry()).to.equal(await ctx.registry.getAddress());
    });
  });
});
