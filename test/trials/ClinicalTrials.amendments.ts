import { expect } from "chai";
import { ethers } from "hardhat";
import { Wallet } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { shouldBehaveLikeMemberGated } from "../helpers/behaviours";
import { admit } from "../helpers/fixtures";
import { AmendmentStatus, OutcomeReport, ReconsentPolicy, TrialStatus, trialStates } from "../../src/trials";
import {
  FORM_V0,
  OUTCOME_V0,
  TrialsContext,
  consent,
  consentPackage,
  deployTrialsFixture,
  prepareTrial,
  recruitingTrialFixture,
  registeredTrialFixture,
  registration,
} from "./fixture";

const b32 = ethers.encodeBytes32String;
const UNKNOWN = ethers.id("no such trial");
const PROTOCOL_V1 = ethers.id("protocol v1");
const FORM_V1 = ethers.id("consent form v1");
const OUTCOME_V1 = ethers.id("primary outcome: OS at 24 months");
const RESULTS = ethers.id("results report");

function propose(ctx: TrialsContext, policy: ReconsentPolicy, outcome = ethers.ZeroHash, form = FORM_V1) {
  return ctx.trials.connect(ctx.sponsor).proposeAmendment(ctx.trialId, PROTOCOL_V1, form, policy, outcome);
}

/** A recruiting trial with amendment 1 (re-consent of all participants) proposed. */
async function proposedFixture() {
  const ctx = await recruitingTrialFixture();
  await propose(ctx, ReconsentPolicy.AllParticipants);
  return ctx;
}

/** A closed trial, ready for results. */
async function closedFixture() {
  const ctx = await recruitingTrialFixture();
  await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
  return ctx;
}

describe("ClinicalTrials: amendments and results", function () {
  describe("proposeAmendment", function () {
    it("emits AmendmentProposed and changes nothing in effect before approval", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, trialId } = ctx;
      expect(
        await trials
          .connect(ctx.sponsor)
          .proposeAmendment.staticCall(trialId, PROTOCOL_V1, FORM_V1, ReconsentPolicy.AllParticipants, OUTCOME_V1),
      ).to.equal(1);
      await expect(propose(ctx, ReconsentPolicy.AllParticipants, OUTCOME_V1))
        .to.emit(trials, "AmendmentProposed")
        .withArgs(trialId, 1, PROTOCOL_V1, FORM_V1, OUTCOME_V1, ReconsentPolicy.AllParticipants);
      const a = await trials.amendment(trialId, 1);
      expect(a.status).to.equal(AmendmentStatus.Proposed);
      expect(a.policy).to.equal(ReconsentPolicy.AllParticipants);
      const t = await trials.trial(trialId);
      expect([t.protocolVersion, t.minVersionAll, t.minVersionNew, t.lastAmendmentId]).to.deep.equal([0n, 0n, 0n, 1n]);
      expect(await trials.currentOutcomeHash(trialId)).to.equal(OUTCOME_V0);
      // A consent is still taken on the registered form.
      const p = ctx.participants[0];
      await consent(ctx, p);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(true);
      expect((await trials.participation(trialId, p.address)).consentVersion).to.equal(0);
    });

    it("numbers amendments 1, 2, …", async function () {
      const ctx = await loadFixture(proposedFixture);
      await expect(propose(ctx, ReconsentPolicy.None))
        .to.emit(ctx.trials, "AmendmentProposed")
        .withArgs(ctx.trialId, 2, PROTOCOL_V1, FORM_V1, ethers.ZeroHash, ReconsentPolicy.None);
    });

    it("reverts when the trial is not approved yet, or has results", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(propose(ctx, ReconsentPolicy.None))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(
          ctx.trialId,
          TrialStatus.Registered,
          trialStates(TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed),
        );
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, RESULTS, OUTCOME_V0);
      await expect(propose(ctx, ReconsentPolicy.None))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(
          ctx.trialId,
          TrialStatus.ResultsPosted,
          trialStates(TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed),
        );
    });

    it("reverts when the protocol or consent-form hash is zero", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const s = ctx.trials.connect(ctx.sponsor);
      await expect(s.proposeAmendment(ctx.trialId, ethers.ZeroHash, FORM_V1, ReconsentPolicy.None, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("protocolHash"));
      await expect(s.proposeAmendment(ctx.trialId, PROTOCOL_V1, ethers.ZeroHash, ReconsentPolicy.None, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("consentFormHash"));
    });

    it("reverts when the caller is another sponsor or the trial is unknown", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["SPONSOR"]);
      await expect(
        ctx.trials
          .connect(ctx.stranger)
          .proposeAmendment(ctx.trialId, PROTOCOL_V1, FORM_V1, ReconsentPolicy.None, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSponsor")
        .withArgs(ctx.trialId, ctx.stranger.address);
      await expect(
        ctx.trials
          .connect(ctx.sponsor)
          .proposeAmendment(UNKNOWN, PROTOCOL_V1, FORM_V1, ReconsentPolicy.None, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(UNKNOWN);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recruitingTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "SPONSOR",
        call: (caller) =>
          ctx.trials
            .connect(caller)
            .proposeAmendment(ctx.trialId, PROTOCOL_V1, FORM_V1, ReconsentPolicy.None, ethers.ZeroHash),
      };
    });
  });

  describe("approveAmendment", function () {
    it("emits AmendmentApproved and invalidates older consents when re-consent of all is required", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, trialId, site } = ctx;
      const [p, q] = ctx.participants;
      await consent(ctx, p);
      await consent(ctx, q);
      await trials.connect(site).enroll(trialId, p.address);
      await propose(ctx, ReconsentPolicy.AllParticipants);
      await expect(trials.connect(ctx.irb).approveAmendment(trialId, 1))
        .to.emit(trials, "AmendmentApproved")
        .withArgs(trialId, 1, 1, 1, false);
      const t = await trials.trial(trialId);
      expect([t.protocolVersion, t.minVersionAll, t.minVersionNew]).to.deep.equal([1n, 1n, 1n]);
      expect((await trials.amendment(trialId, 1)).status).to.equal(AmendmentStatus.Approved);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(false);
      expect(await trials.isConsentValid(trialId, q.address)).to.equal(false);
      // Re-consent on the new form restores validity.
      await consent(ctx, p);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(true);
      expect((await trials.participation(trialId, p.address)).consentVersion).to.equal(1);
    });

    it("keeps enrolled participants' consents when re-consent is required only of new enrollees", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, trialId, site } = ctx;
      const [p, q] = ctx.participants;
      await consent(ctx, p);
      await consent(ctx, q);
      await trials.connect(site).enroll(trialId, p.address);
      await propose(ctx, ReconsentPolicy.NewEnrolleesOnly);
      await expect(trials.connect(ctx.irb).approveAmendment(trialId, 1))
        .to.emit(trials, "AmendmentApproved")
        .withArgs(trialId, 1, 0, 1, false);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(true);
      expect(await trials.isConsentValid(trialId, q.address)).to.equal(false);
      await expect(trials.connect(site).enroll(trialId, q.address))
        .to.be.revertedWithCustomError(trials, "TrialsConsentInvalid")
        .withArgs(trialId, q.address);
      await consent(ctx, q);
      await trials.connect(site).enroll(trialId, q.address);
      expect(await trials.isConsentValid(trialId, q.address)).to.equal(true);
    });

    it("keeps every consent and takes new ones on the new form when no re-consent is required", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, trialId } = ctx;
      const [p, q] = ctx.participants;
      await consent(ctx, p);
      await propose(ctx, ReconsentPolicy.None);
      await trials.connect(ctx.irb).approveAmendment(trialId, 1);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(true);
      const stale = await consentPackage(ctx, q, { protocolVersion: 0, consentFormHash: FORM_V0 });
      await expect(trials.connect(ctx.site).consentBySig(stale.terms, stale.signature))
        .to.be.revertedWithCustomError(trials, "TrialsConsentVersionMismatch")
        .withArgs(trialId, 0, 1);
      await consent(ctx, q);
      expect((await trials.participation(trialId, q.address)).consentVersion).to.equal(1);
    });

    it("makes an amended primary outcome the current one, visibly", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await propose(ctx, ReconsentPolicy.None, OUTCOME_V1);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1))
        .to.emit(ctx.trials, "AmendmentApproved")
        .withArgs(ctx.trialId, 1, 0, 0, true);
      expect(await ctx.trials.currentOutcomeHash(ctx.trialId)).to.equal(OUTCOME_V1);
      expect((await ctx.trials.trial(ctx.trialId)).outcomeVersion).to.equal(1);
    });

    it("counts an amended primary outcome as committed: enrollment opens, a second commitment is refused", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      await ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { outcomeHash: ethers.ZeroHash }));
      await prepareTrial(ctx, true);
      await propose(ctx, ReconsentPolicy.None, OUTCOME_V1);
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1);
      await expect(
        ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, ethers.ZeroHash, ethers.id("another outcome")),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAlreadyCommitted")
        .withArgs(ctx.trialId, b32("outcomeHash"));
      const p = ctx.participants[0];
      await consent(ctx, p);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address))
        .to.emit(ctx.trials, "ParticipantEnrolled")
        .withArgs(ctx.trialId, p.address, ctx.site.address, 1);
    });

    it("costs the same gas whatever the number of consents", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await propose(ctx, ReconsentPolicy.AllParticipants);
      await propose(ctx, ReconsentPolicy.AllParticipants);
      const first = await (await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1)).wait();
      for (let i = 0; i < 6; i++) await consent(ctx, Wallet.createRandom());
      const second = await (await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 2)).wait();
      expect(second!.gasUsed).to.equal(first!.gasUsed);
    });

    it("reverts when the amendment is unknown", async function () {
      const ctx = await loadFixture(proposedFixture);
      for (const id of [0, 2]) {
        await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, id))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownAmendment")
          .withArgs(ctx.trialId, id);
      }
    });

    it("reverts when the amendment was decided already", async function () {
      const ctx = await loadFixture(proposedFixture);
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAmendmentNotPending")
        .withArgs(ctx.trialId, 1, AmendmentStatus.Approved);
    });

    it("reverts when a newer amendment is in effect", async function () {
      const ctx = await loadFixture(proposedFixture);
      await propose(ctx, ReconsentPolicy.None);
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 2);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAmendmentSuperseded")
        .withArgs(ctx.trialId, 1, 2);
    });

    it("reverts when results are posted", async function () {
      const ctx = await loadFixture(proposedFixture);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, RESULTS, OUTCOME_V0);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(
          ctx.trialId,
          TrialStatus.ResultsPosted,
          trialStates(TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed),
        );
    });

    it("reverts when the caller is another IRB or the trial is unknown", async function () {
      const ctx = await loadFixture(proposedFixture);
      await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["IRB"]);
      await expect(ctx.trials.connect(ctx.stranger).approveAmendment(ctx.trialId, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotIRB")
        .withArgs(ctx.trialId, ctx.stranger.address);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(UNKNOWN, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(UNKNOWN);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(proposedFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "IRB",
        call: (caller) => ctx.trials.connect(caller).approveAmendment(ctx.trialId, 1),
      };
    });
  });

  describe("rejectAmendment", function () {
    it("emits AmendmentRejected and leaves the protocol as it was", async function () {
      const ctx = await loadFixture(proposedFixture);
      const reason = ethers.id("insufficient risk analysis");
      await expect(ctx.trials.connect(ctx.irb).rejectAmendment(ctx.trialId, 1, reason))
        .to.emit(ctx.trials, "AmendmentRejected")
        .withArgs(ctx.trialId, 1, reason);
      expect((await ctx.trials.amendment(ctx.trialId, 1)).status).to.equal(AmendmentStatus.Rejected);
      expect((await ctx.trials.trial(ctx.trialId)).protocolVersion).to.equal(0);
      await expect(ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAmendmentNotPending")
        .withArgs(ctx.trialId, 1, AmendmentStatus.Rejected);
    });

    it("reverts when the amendment is unknown", async function () {
      const ctx = await loadFixture(proposedFixture);
      await expect(ctx.trials.connect(ctx.irb).rejectAmendment(ctx.trialId, 7, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownAmendment")
        .withArgs(ctx.trialId, 7);
    });

    it("reverts when the caller is another IRB", async function () {
      const ctx = await loadFixture(proposedFixture);
      await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["IRB"]);
      await expect(ctx.trials.connect(ctx.stranger).rejectAmendment(ctx.trialId, 1, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotIRB")
        .withArgs(ctx.trialId, ctx.stranger.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(proposedFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "IRB",
        call: (caller) => ctx.trials.connect(caller).rejectAmendment(ctx.trialId, 1, ethers.ZeroHash),
      };
    });
  });

  describe("postResults", function () {
    it("emits ResultsPosted AsRegistered when the reported outcome is the pre-registered one", async function () {
      const ctx = await loadFixture(closedFixture);
      const { trials, trialId, sponsor } = ctx;
      expect(await trials.connect(sponsor).postResults.staticCall(trialId, RESULTS, OUTCOME_V0)).to.equal(
        OutcomeReport.AsRegistered,
      );
      await expect(trials.connect(sponsor).postResults(trialId, RESULTS, OUTCOME_V0))
        .to.emit(trials, "ResultsPosted")
        .withArgs(trialId, RESULTS, OUTCOME_V0, OutcomeReport.AsRegistered, 0)
        .and.to.emit(trials, "TrialStatusChanged")
        .withArgs(trialId, TrialStatus.Closed, TrialStatus.ResultsPosted);
      const t = await trials.trial(trialId);
      expect(t.status).to.equal(TrialStatus.ResultsPosted);
      expect(t.outcomeReport).to.equal(OutcomeReport.AsRegistered);
      expect(await trials.resultsHash(trialId)).to.equal(RESULTS);
    });

    it("emits ResultsPosted AsAmended naming the amendment that changed the outcome", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await propose(ctx, ReconsentPolicy.None, OUTCOME_V1);
      await ctx.trials.connect(ctx.irb).approveAmendment(ctx.trialId, 1);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await expect(ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, RESULTS, OUTCOME_V1))
        .to.emit(ctx.trials, "ResultsPosted")
        .withArgs(ctx.trialId, RESULTS, OUTCOME_V1, OutcomeReport.AsAmended, 1);
    });

    it("records, not refuses, an outcome switched without an approved amendment", async function () {
      const ctx = await loadFixture(closedFixture);
      const switched = ethers.id("a secondary outcome that looked better");
      await expect(ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, RESULTS, switched))
        .to.emit(ctx.trials, "ResultsPosted")
        .withArgs(ctx.trialId, RESULTS, switched, OutcomeReport.Unregistered, 0);
      expect((await ctx.trials.trial(ctx.trialId)).outcomeReport).to.equal(OutcomeReport.Unregistered);
    });

    it("reverts when the trial is not closed", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, RESULTS, OUTCOME_V0))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(ctx.trialId, TrialStatus.Recruiting, trialStates(TrialStatus.Closed));
    });

    it("reverts when a hash is zero", async function () {
      const ctx = await loadFixture(closedFixture);
      await expect(ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, ethers.ZeroHash, OUTCOME_V0))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("resultsHash"));
      await expect(ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, RESULTS, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("reportedOutcomeHash"));
    });

    it("reverts when the caller is another sponsor", async function () {
      const ctx = await loadFixture(closedFixture);
      await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["SPONSOR"]);
      await expect(ctx.trials.connect(ctx.stranger).postResults(ctx.trialId, RESULTS, OUTCOME_V0))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSponsor")
        .withArgs(ctx.trialId, ctx.stranger.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(closedFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "SPONSOR",
        call: (caller) => ctx.trials.connect(caller).postResults(ctx.trialId, RESULTS, OUTCOME_V0),
      };
    });
  });
});
