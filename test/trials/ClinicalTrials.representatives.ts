/**
 * Issue 10: representative authority (findings 1), the lower-severity trial findings (2) and the
 * binding of attestations to the exact consent terms. Every `it` here failed on the contract
 * before issue 10.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { categoryMask } from "../../src/categories";
import {
  ALL_TRIAL_CATEGORIES,
  ReconsentPolicy,
  SignatureMeaning,
  WithdrawalChoice,
  consentHash,
  signAttestation,
  signRepresentativeDetermination,
  signRepresentativeRevocation,
  signWithdrawal,
} from "../../src/trials";
import {
  DEFAULT_SCOPE,
  OUTCOME_V0,
  TrialsContext,
  appoint,
  consent,
  consentPackage,
  recruitingTrialFixture,
  relayInvestigator,
  relaySignature,
} from "./fixture";
import { consentedFixture, representedFixture, signedAppointment } from "./signedCases";

const BASIS = ethers.id("capacity assessment and LAR document, kept at the site");

/** The representative signs a consent for participants[0] (with the investigator's attestation). */
function repConsent(ctx: TrialsContext, options = {}) {
  return consentPackage(ctx, ctx.participants[0], {
    signer: ctx.representative.address,
    key: ctx.representative,
    ...options,
  });
}

/** The investigator's signed determination for participants[0], naming the representative. */
async function determination(
  ctx: TrialsContext,
  overrides: Partial<{ endsAt: bigint; investigator: string; basisHash: string; representative: string }> = {},
) {
  const d = {
    trialId: ctx.trialId,
    participant: ctx.participants[0].address,
    representative: overrides.representative ?? ctx.representative.address,
    endsAt: overrides.endsAt ?? 0n,
    basisHash: overrides.basisHash ?? BASIS,
    investigator: overrides.investigator ?? ctx.investigator.address,
    deadline: BigInt(await time.latest()) + 3600n,
  };
  const key = overrides.investigator ? await ethers.getSigner(overrides.investigator) : ctx.investigator;
  const signature = await signRepresentativeDetermination(key, ctx.domain, d, await ctx.trials.nonces(d.investigator));
  return { d, signature };
}

describe("ClinicalTrials: representatives (issue 10)", function () {
  describe("consentBySig by a representative", function () {
    it("reverts when no authority was established (a site cannot invent a representative's consent)", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      await expect(relaySignature(ctx, await repConsent(ctx)))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNoRepresentativeAuthority")
        .withArgs(ctx.trialId, p, ctx.representative.address);
      expect((await ctx.trials.participation(ctx.trialId, p)).flags).to.equal(0n);
      expect(await ctx.trials.researchCategories(ctx.trialId, p, ctx.researcher.address)).to.equal(0n);
    });

    it("reverts when another person holds the authority", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      await appoint(ctx, p, ctx.stranger.address);
      await expect(relaySignature(ctx, await repConsent(ctx)))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNoRepresentativeAuthority")
        .withArgs(ctx.trialId, p.address, ctx.representative.address);
    });

    it("reverts when the representative would replace the participant's own consent in force", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await appoint(ctx, p);
      await expect(relaySignature(ctx, await repConsent(ctx, { categories: ALL_TRIAL_CATEGORIES })))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsSelfConsentInForce")
        .withArgs(ctx.trialId, p.address);
      // A signed-but-unattested self consent is the participant's too.
      await relaySignature(ctx, await consentPackage(ctx, p));
      await expect(relaySignature(ctx, await repConsent(ctx))).to.be.revertedWithCustomError(
        ctx.trials,
        "TrialsSelfConsentInForce",
      );
    });

    it("lets the representative re-consent once an amendment requires this participant's re-consent", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await appoint(ctx, p);
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
      await consent(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });
  });

  describe("appointRepresentative / appointRepresentativeBySig", function () {
    it("emits RepresentativeAppointed with a new authority id for each appointment", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      // The first appointment ends nothing.
      await expect(appoint(ctx, p))
        .to.emit(ctx.trials, "RepresentativeAppointed")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, 0, ethers.ZeroHash)
        .and.not.to.emit(ctx.trials, "RepresentativeEnded");
      await expect(appoint(ctx, p, ctx.stranger.address))
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, p.address)
        .and.to.emit(ctx.trials, "RepresentativeAppointed")
        .withArgs(ctx.trialId, p.address, ctx.stranger.address, 2, 0, ethers.ZeroHash);
      expect(await ctx.trials.isRepresentative(ctx.trialId, p.address, ctx.representative.address)).to.equal(false);
      expect(await ctx.trials.isRepresentative(ctx.trialId, p.address, ctx.stranger.address)).to.equal(true);
    });

    it("accepts the participant's signature relayed by anyone", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const { action: a, signature: sig } = await signedAppointment(ctx, {
        endsAt: BigInt(await time.latest()) + 86_400n,
      });
      await expect(ctx.trials.connect(ctx.outsider).appointRepresentativeBySig(a, sig))
        .to.emit(ctx.trials, "RepresentativeAppointed")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, a.endsAt, ethers.ZeroHash);
    });

    it("names who ended the authority it replaces: the participant, whoever relays; the IRB on confirmation", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      await appoint(ctx, p);
      const { action: a, signature: sig } = await signedAppointment(ctx, { representative: ctx.stranger.address });
      await expect(ctx.trials.connect(ctx.outsider).appointRepresentativeBySig(a, sig))
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, p.address);
      const { d, signature } = await determination(ctx);
      await ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature);
      await expect(
        ctx.trials.connect(ctx.irb).confirmRepresentative(ctx.trialId, p.address, ctx.representative.address, 0, BASIS),
      )
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ctx.stranger.address, 2, ctx.irb.address);
    });

    it("refuses a signed appointment for an unknown trial", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const unknown = ethers.id("no such trial");
      const { action: a, signature: sig } = await signedAppointment(ctx, { trialId: unknown });
      await expect(ctx.trials.connect(ctx.outsider).appointRepresentativeBySig(a, sig))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(unknown);
      expect((await ctx.trials.representation(unknown, p.address)).authorityId).to.equal(0n);
    });

    it("reverts for a zero or self representative, a past end time, an unknown trial", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      await expect(appoint(ctx, p, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidRepresentative")
        .withArgs(p.address, ethers.ZeroAddress);
      await expect(appoint(ctx, p, p.address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidRepresentative")
        .withArgs(p.address, p.address);
      const past = BigInt(await time.latest());
      await expect(appoint(ctx, p, ctx.representative.address, past))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidEndTime")
        .withArgs(past);
      // An authority ending in the very block that establishes it would never be in force.
      const at = past + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(appoint(ctx, p, ctx.representative.address, at))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidEndTime")
        .withArgs(at);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(appoint(ctx, p, ctx.representative.address, at + 2n)).to.emit(ctx.trials, "RepresentativeAppointed");
      const unknown = ethers.id("no such trial");
      await expect(ctx.trials.connect(p).appointRepresentative(unknown, ctx.representative.address, 0))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(unknown);
    });
  });

  describe("everything done under an authority ends when it ends", function () {
    it("a representative's consent stops counting when the participant revokes, and does not revive on re-appointment", async function () {
      const ctx = await loadFixture(representedFixture);
      const p = ctx.participants[0];
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
      await expect(ctx.trials.connect(p).revokeRepresentative(ctx.trialId))
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, p.address);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(false);
      expect(await ctx.trials.researchCategories(ctx.trialId, p.address, ctx.researcher.address)).to.equal(0n);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsConsentInvalid")
        .withArgs(ctx.trialId, p.address);
      await appoint(ctx, p);
      expect((await ctx.trials.representation(ctx.trialId, p.address)).authorityId).to.equal(2n);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
    });

    it("a representative's consent stops counting at the authority's end time", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const endsAt = BigInt(await time.latest()) + 1000n;
      await appoint(ctx, p, ctx.representative.address, endsAt);
      await consent(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
      await time.increaseTo(endsAt);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      expect(await ctx.trials.isRepresentative(ctx.trialId, p.address, ctx.representative.address)).to.equal(false);
      await expect(
        ctx.trials.connect(ctx.representative).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotParticipantOrRepresentative")
        .withArgs(ctx.trialId, p.address, ctx.representative.address);
    });

    it("a former representative can no longer withdraw the participant; the participant always can", async function () {
      const ctx = await loadFixture(representedFixture);
      const p = ctx.participants[0];
      const deadline = BigInt(await time.latest()) + 3600n;
      const revocation = await signRepresentativeRevocation(
        p,
        ctx.domain,
        ctx.trialId,
        p.address,
        deadline,
        await ctx.trials.nonces(p.address),
      );
      await expect(
        ctx.trials.connect(ctx.outsider).revokeRepresentativeBySig(ctx.trialId, p.address, deadline, revocation),
      )
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, p.address);
      const rep = ctx.representative;
      const sig = await signWithdrawal(
        rep,
        ctx.domain,
        ctx.trialId,
        p.address,
        WithdrawalChoice.WithdrawData,
        deadline,
        await ctx.trials.nonces(rep.address),
      );
      await expect(
        ctx.trials
          .connect(ctx.outsider)
          .withdrawBySig(ctx.trialId, p.address, WithdrawalChoice.WithdrawData, rep.address, deadline, sig),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotParticipantOrRepresentative")
        .withArgs(ctx.trialId, p.address, rep.address);
      await expect(ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p.address, p.address, WithdrawalChoice.WithdrawData);
    });

    it("lets the representative in force withdraw, even a consent the participant signed", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await appoint(ctx, p);
      await expect(
        ctx.trials.connect(ctx.representative).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection),
      )
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, WithdrawalChoice.NoFurtherCollection);
    });

    it("revokeRepresentative reverts when there is nothing to end", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      await expect(ctx.trials.connect(p).revokeRepresentative(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNothingToEnd")
        .withArgs(ctx.trialId, p.address);
    });
  });

  describe("investigator determination and IRB confirmation (participant lacking capacity)", function () {
    it("creates no authority until the IRB confirms; then the representative may consent", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      const { d, signature } = await determination(ctx);
      await expect(ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature))
        .to.emit(ctx.trials, "RepresentativeDetermined")
        .withArgs(ctx.trialId, p, ctx.representative.address, ctx.investigator.address, ctx.site.address, 0, BASIS);
      expect(await ctx.trials.isRepresentative(ctx.trialId, p, ctx.representative.address)).to.equal(false);
      await expect(relaySignature(ctx, await repConsent(ctx))).to.be.revertedWithCustomError(
        ctx.trials,
        "TrialsNoRepresentativeAuthority",
      );
      await expect(
        ctx.trials.connect(ctx.irb).confirmRepresentative(ctx.trialId, p, ctx.representative.address, 0, BASIS),
      )
        .to.emit(ctx.trials, "RepresentativeAppointed")
        .withArgs(ctx.trialId, p, ctx.representative.address, 1, 0, BASIS);
      expect(await ctx.trials.pendingDetermination(ctx.trialId, p)).to.equal(ethers.ZeroHash);
      expect((await ctx.trials.representation(ctx.trialId, p)).irbConfirmed).to.equal(true);
      await consent(ctx, ctx.participants[0], { signer: ctx.representative.address, key: ctx.representative });
      expect(await ctx.trials.isConsentValid(ctx.trialId, p)).to.equal(true);
    });

    it("confirmRepresentative reverts for anything but the exact pending determination", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      const { d, signature } = await determination(ctx);
      await ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature);
      const wrong = ethers.AbiCoder.defaultAbiCoder().encode(
        ["address", "uint40", "bytes32"],
        [ctx.stranger.address, 0, BASIS],
      );
      await expect(ctx.trials.connect(ctx.irb).confirmRepresentative(ctx.trialId, p, ctx.stranger.address, 0, BASIS))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNoPendingDetermination")
        .withArgs(ctx.trialId, p, ethers.keccak256(wrong));
    });

    it("determineRepresentativeBySig reverts without a basis document hash, and nothing is pending", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { d, signature } = await determination(ctx, { basisHash: ethers.ZeroHash });
      await expect(ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(ethers.encodeBytes32String("basisHash"));
      expect(await ctx.trials.pendingDetermination(ctx.trialId, d.participant)).to.equal(ethers.ZeroHash);
    });

    it("determineRepresentativeBySig reverts for a zero or self representative or a past end time, and nothing is pending", async function () {
      // Checked when the investigator's determination is relayed, not only at the IRB's confirmation:
      // no pending determination may name someone who could never hold the authority.
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      for (const representative of [ethers.ZeroAddress, p]) {
        const { d, signature } = await determination(ctx, { representative });
        await expect(ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidRepresentative")
          .withArgs(p, representative);
      }
      const past = BigInt(await time.latest());
      const { d, signature } = await determination(ctx, { endsAt: past });
      await expect(ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidEndTime")
        .withArgs(past);
      expect(await ctx.trials.pendingDetermination(ctx.trialId, p)).to.equal(ethers.ZeroHash);
    });

    it("confirmRepresentative reverts for a zero basis hash, so no authority without a documented basis", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0].address;
      const zeroBasis = ethers.AbiCoder.defaultAbiCoder().encode(
        ["address", "uint40", "bytes32"],
        [ctx.representative.address, 0, ethers.ZeroHash],
      );
      await expect(
        ctx.trials
          .connect(ctx.irb)
          .confirmRepresentative(ctx.trialId, p, ctx.representative.address, 0, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNoPendingDetermination")
        .withArgs(ctx.trialId, p, ethers.keccak256(zeroBasis));
      expect(await ctx.trials.isRepresentative(ctx.trialId, p, ctx.representative.address)).to.equal(false);
    });

    it("determineRepresentativeBySig reverts for an investigator the relaying site did not register", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { d, signature } = await determination(ctx, { investigator: ctx.stranger.address });
      await expect(ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, ctx.site.address, ctx.stranger.address);
    });

    it("the IRB ends an IRB-confirmed authority (and what was signed under it), not a participant's appointment", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const { d, signature } = await determination(ctx);
      await ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature);
      await ctx.trials
        .connect(ctx.irb)
        .confirmRepresentative(ctx.trialId, p.address, ctx.representative.address, 0, BASIS);
      await consent(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
      await expect(ctx.trials.connect(ctx.irb).endRepresentative(ctx.trialId, p.address))
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ctx.representative.address, 1, ctx.irb.address);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      // The record then names nobody and no confirmation; the id stays, for the next appointment to follow.
      const ended = await ctx.trials.representation(ctx.trialId, p.address);
      expect([ended.representative, ended.irbConfirmed, ended.authorityId]).to.deep.equal([
        ethers.ZeroAddress,
        false,
        1n,
      ]);
      await appoint(ctx, p);
      await expect(ctx.trials.connect(ctx.irb).endRepresentative(ctx.trialId, p.address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNothingToEnd")
        .withArgs(ctx.trialId, p.address);
    });

    it("the participant's revocation also drops a pending determination", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const { d, signature } = await determination(ctx);
      await ctx.trials.connect(ctx.site).determineRepresentativeBySig(d, signature);
      await expect(ctx.trials.connect(p).revokeRepresentative(ctx.trialId))
        .to.emit(ctx.trials, "RepresentativeEnded")
        .withArgs(ctx.trialId, p.address, ethers.ZeroAddress, 0, p.address);
      expect(await ctx.trials.pendingDetermination(ctx.trialId, p.address)).to.equal(ethers.ZeroHash);
    });
  });

  describe("attestations bind to the exact consent terms", function () {
    it("reverts when an attestation of earlier terms is relayed for a re-consent", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const first = await consentPackage(ctx, p, { categories: categoryMask(["Labs"]) });
      await relaySignature(ctx, first);
      // Before the attestation is relayed, the site swaps in wider terms (same version and form).
      const wider = await consentPackage(ctx, p, { categories: ALL_TRIAL_CATEGORIES });
      await relaySignature(ctx, wider);
      const stale = await signAttestation(
        ctx.investigator,
        ctx.domain,
        { ...first.terms, consentHash: consentHash(first.terms, 0n) },
        SignatureMeaning.InvestigatorAttestation,
        BigInt(await time.latest()) + 3600n,
        await ctx.trials.nonces(ctx.investigator.address),
      );
      await expect(
        ctx.trials
          .connect(ctx.site)
          .attestBySig(ctx.trialId, p.address, SignatureMeaning.InvestigatorAttestation, stale),
      )
        .to.be.revertedWithCustomError(ctx.trials, "SignatureInvalid")
        .withArgs(ctx.investigator.address);
      expect((await ctx.trials.participation(ctx.trialId, p.address)).termsHash).to.equal(consentHash(wider.terms, 1n));
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      // The attestation of the terms actually recorded is accepted.
      await relayInvestigator(ctx, wider);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });
  });

  describe("lower-severity findings", function () {
    it("a withdrawal frees the participant's place under the cap (only once)", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const [a, b, c, d] = ctx.participants;
      for (const p of [a, b, c]) {
        await consent(ctx, p);
        await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address);
      }
      await consent(ctx, d);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, d.address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsEnrollmentCapReached")
        .withArgs(ctx.trialId, 3);
      await ctx.trials.connect(a).withdraw(ctx.trialId, a.address, WithdrawalChoice.NoFurtherCollection);
      expect((await ctx.trials.trial(ctx.trialId)).enrolled).to.equal(2n);
      await ctx.trials.connect(a).withdraw(ctx.trialId, a.address, WithdrawalChoice.WithdrawData);
      expect((await ctx.trials.trial(ctx.trialId)).enrolled).to.equal(2n);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, d.address))
        .to.emit(ctx.trials, "ParticipantEnrolled")
        .withArgs(ctx.trialId, d.address, ctx.site.address, 3);
    });

    it("a withdrawal of a participant never enrolled leaves the count", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData);
      expect((await ctx.trials.trial(ctx.trialId)).enrolled).to.equal(0n);
    });

    it("refuses to propose an outcome change once Closed", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await expect(
        ctx.trials
          .connect(ctx.sponsor)
          .proposeAmendment(ctx.trialId, ethers.id("p1"), ethers.id("f1"), ReconsentPolicy.None, ethers.id("o1")),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsOutcomeLocked")
        .withArgs(ctx.trialId);
    });

    it("refuses to approve an outcome change once Closed; results report the registered outcome", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const switched = ethers.id("a better-looking outcome");
      await ctx.trials
        .connect(ctx.sponsor)
        .proposeAmendment(ctx.trialId, ethers.id("p1"), ethers.id("f1"), ReconsentPolicy.None, switched);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsOutcomeLocked")
        .withArgs(ctx.trialId);
      expect(await ctx.trials.currentOutcomeHash(ctx.trialId)).to.equal(OUTCOME_V0);
      // An amendment that keeps the outcome is still approvable after closing.
      await ctx.trials
        .connect(ctx.sponsor)
        .proposeAmendment(ctx.trialId, ethers.id("p2"), ethers.id("f2"), ReconsentPolicy.None, ethers.ZeroHash);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 2)).to.emit(
        ctx.trials,
        "AmendmentApproved",
      );
    });

    it("mayUse agrees with isConsentValid after a NewEnrolleesOnly amendment for a participant not enrolled", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
      await ctx.trials
        .connect(ctx.sponsor)
        .proposeAmendment(
          ctx.trialId,
          ethers.id("p1"),
          ethers.id("f1"),
          ReconsentPolicy.NewEnrolleesOnly,
          ethers.ZeroHash,
        );
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p)).to.equal(false);
      expect(await ctx.trials.mayUse(ctx.trialId, p, DEFAULT_SCOPE)).to.equal(false);
    });
  });
});
