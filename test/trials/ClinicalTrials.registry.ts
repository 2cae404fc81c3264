import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { shouldBehaveLikeMemberGated } from "../helpers/behaviours";
import { admit } from "../helpers/fixtures";
import { erc7201, mappingSlot } from "../helpers/storage";
import { Role } from "../../src/roles";
import { AmendmentStatus, TrialStatus, trialFlags, trialIdOf, trialStates } from "../../src/trials";
import {
  CAP,
  FORM_V0,
  OUTCOME_V0,
  PROTOCOL_V0,
  REGISTRY_REF,
  SALT,
  TrialsContext,
  deployTrialsFixture,
  recruitingTrialFixture,
  registeredTrialFixture,
  registration,
} from "./fixture";

const b32 = ethers.encodeBytes32String;
const UNKNOWN = ethers.id("no such trial");

/** A registered trial whose registry reference and outcome are not committed yet. */
async function uncommittedTrialFixture() {
  const ctx = await deployTrialsFixture();
  await ctx.trials
    .connect(ctx.sponsor)
    .registerTrial(registration(ctx, { registryRefHash: ethers.ZeroHash, outcomeHash: ethers.ZeroHash }));
  return ctx;
}

/** A second active member holding `role` (the fixture's stranger). */
async function otherMember(ctx: TrialsContext, role: keyof typeof Role) {
  await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, [role as never]);
  return ctx.stranger;
}

describe("ClinicalTrials: registry", function () {
  describe("registerTrial", function () {
    it("emits TrialRegistered and stores the trial when a sponsor registers", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      const { trials, sponsor, irb } = ctx;
      const id = trialIdOf(sponsor.address, SALT);
      expect(await trials.connect(sponsor).registerTrial.staticCall(registration(ctx))).to.equal(id);
      await expect(trials.connect(sponsor).registerTrial(registration(ctx)))
        .to.emit(trials, "TrialRegistered")
        .withArgs(id, sponsor.address, irb.address, REGISTRY_REF, PROTOCOL_V0, FORM_V0, OUTCOME_V0, CAP, false);
      const t = await trials.trial(id);
      expect(t.sponsor).to.equal(sponsor.address);
      expect(t.status).to.equal(TrialStatus.Registered);
      expect(t.flags).to.equal(trialFlags("RefCommitted", "OutcomeCommitted"));
      expect(t.irb).to.equal(irb.address);
      expect(t.enrollmentCap).to.equal(CAP);
      expect(t.enrolled).to.equal(0);
      expect(t.protocolVersion).to.equal(0);
      const v0 = await trials.amendment(id, 0);
      expect([v0.protocolHash, v0.consentFormHash, v0.outcomeHash]).to.deep.equal([PROTOCOL_V0, FORM_V0, OUTCOME_V0]);
      expect(v0.status).to.equal(AmendmentStatus.Approved);
      expect(await trials.currentOutcomeHash(id)).to.equal(OUTCOME_V0);
    });

    it("records the witness requirement and leaves uncommitted hashes unflagged", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      await ctx.trials
        .connect(ctx.sponsor)
        .registerTrial(
          registration(ctx, { registryRefHash: ethers.ZeroHash, outcomeHash: ethers.ZeroHash, witnessRequired: true }),
        );
      const t = await ctx.trials.trial(ctx.trialId);
      expect(t.flags).to.equal(trialFlags("WitnessRequired"));
      expect(await ctx.trials.currentOutcomeHash(ctx.trialId)).to.equal(ethers.ZeroHash);
    });

    it("reverts when the sponsor reuses a salt", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx)))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAlreadyRegistered")
        .withArgs(ctx.trialId);
    });

    it("reverts when the protocol hash is zero", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      await expect(ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { protocolHash: ethers.ZeroHash })))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("protocolHash"));
    });

    it("reverts when the consent-form hash is zero", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      await expect(
        ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { consentFormHash: ethers.ZeroHash })),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("consentFormHash"));
    });

    it("reverts when the enrollment cap is zero", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      await expect(
        ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { enrollmentCap: 0 })),
      ).to.be.revertedWithCustomError(ctx.trials, "TrialsZeroEnrollmentCap");
    });

    it("reverts when the IRB is not an active IRB member, or is the sponsor itself", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      await expect(ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { irb: ctx.site.address })))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotEligible")
        .withArgs(ctx.site.address, Role.IRB);
      await ctx.registry.connect(ctx.registrar).grantRole(Role.IRB, ctx.sponsor.address);
      await expect(ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { irb: ctx.sponsor.address })))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotEligible")
        .withArgs(ctx.sponsor.address, Role.IRB);
      await ctx.registry.connect(ctx.registrar).suspendMember(ctx.irb.address, ethers.ZeroHash);
      await expect(ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx)))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotEligible")
        .withArgs(ctx.irb.address, Role.IRB);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(deployTrialsFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "SPONSOR",
        call: (caller) => ctx.trials.connect(caller).registerTrial(registration(ctx)),
      };
    });
  });

  describe("commitRegistration", function () {
    it("emits TrialRegistrationCommitted and flags the registry reference when committed later", async function () {
      const ctx = await loadFixture(uncommittedTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, REGISTRY_REF, ethers.ZeroHash))
        .to.emit(ctx.trials, "TrialRegistrationCommitted")
        .withArgs(ctx.trialId, REGISTRY_REF, ethers.ZeroHash);
      expect((await ctx.trials.trial(ctx.trialId)).flags).to.equal(trialFlags("RefCommitted"));
    });

    it("emits TrialRegistrationCommitted and sets the registered outcome when committed later", async function () {
      const ctx = await loadFixture(uncommittedTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, REGISTRY_REF, OUTCOME_V0))
        .to.emit(ctx.trials, "TrialRegistrationCommitted")
        .withArgs(ctx.trialId, REGISTRY_REF, OUTCOME_V0);
      expect((await ctx.trials.trial(ctx.trialId)).flags).to.equal(trialFlags("RefCommitted", "OutcomeCommitted"));
      expect(await ctx.trials.currentOutcomeHash(ctx.trialId)).to.equal(OUTCOME_V0);
    });

    it("reverts when the registry reference was committed already", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, REGISTRY_REF, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAlreadyCommitted")
        .withArgs(ctx.trialId, b32("registryRefHash"));
    });

    it("reverts when the outcome was committed already (it changes only by amendment)", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, ethers.ZeroHash, ethers.id("x")))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAlreadyCommitted")
        .withArgs(ctx.trialId, b32("outcomeHash"));
    });

    it("reverts when both hashes are zero", async function () {
      const ctx = await loadFixture(uncommittedTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, ethers.ZeroHash, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsZeroHash")
        .withArgs(b32("registration"));
    });

    it("reverts when the trial is closed", async function () {
      const ctx = await loadFixture(uncommittedTrialFixture);
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(ctx.trialId, REGISTRY_REF, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(
          ctx.trialId,
          TrialStatus.Closed,
          trialStates(TrialStatus.Registered, TrialStatus.Approved, TrialStatus.Recruiting),
        );
    });

    it("reverts when the trial is unknown", async function () {
      const ctx = await loadFixture(uncommittedTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).commitRegistration(UNKNOWN, REGISTRY_REF, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(UNKNOWN);
    });

    it("reverts when the caller is another sponsor", async function () {
      const ctx = await loadFixture(uncommittedTrialFixture);
      const other = await otherMember(ctx, "SPONSOR");
      await expect(ctx.trials.connect(other).commitRegistration(ctx.trialId, REGISTRY_REF, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSponsor")
        .withArgs(ctx.trialId, other.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(uncommittedTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "SPONSOR",
        call: (caller) => ctx.trials.connect(caller).commitRegistration(ctx.trialId, REGISTRY_REF, ethers.ZeroHash),
      };
    });
  });

  /** setSite and setResearcher keep the sponsor's two rosters of a trial, with the same rules. */
  const rosters = [
    {
      fn: "setSite",
      event: "TrialSiteSet",
      view: "isSite",
      member: "site",
      role: Role.TRIAL_SITE,
      roleName: "TRIAL_SITE",
      wrong: "researcher",
    },
    {
      fn: "setResearcher",
      event: "TrialResearcherSet",
      view: "isResearcher",
      member: "researcher",
      role: Role.RESEARCHER,
      roleName: "RESEARCHER",
      wrong: "site",
    },
  ] as const;

  for (const r of rosters) {
    describe(r.fn, function () {
      const set = (ctx: TrialsContext, caller: HardhatEthersSigner, trialId: string, account: string, on: boolean) =>
        ctx.trials.connect(caller)[r.fn](trialId, account, on);

      it(`emits ${r.event} when the sponsor adds and removes an account`, async function () {
        const ctx = await loadFixture(registeredTrialFixture);
        const account = ctx[r.member].address;
        await expect(set(ctx, ctx.sponsor, ctx.trialId, account, true))
          .to.emit(ctx.trials, r.event)
          .withArgs(ctx.trialId, account, true);
        expect(await ctx.trials[r.view](ctx.trialId, account)).to.equal(true);
        await expect(set(ctx, ctx.sponsor, ctx.trialId, account, false))
          .to.emit(ctx.trials, r.event)
          .withArgs(ctx.trialId, account, false);
        expect(await ctx.trials[r.view](ctx.trialId, account)).to.equal(false);
      });

      it(`reverts when the added account is not an active ${r.roleName} member`, async function () {
        const ctx = await loadFixture(registeredTrialFixture);
        await expect(set(ctx, ctx.sponsor, ctx.trialId, ctx[r.wrong].address, true))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsNotEligible")
          .withArgs(ctx[r.wrong].address, r.role);
      });

      it("reverts when the caller is another sponsor", async function () {
        const ctx = await loadFixture(registeredTrialFixture);
        const other = await otherMember(ctx, "SPONSOR");
        await expect(set(ctx, other, ctx.trialId, ctx[r.member].address, true))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSponsor")
          .withArgs(ctx.trialId, other.address);
      });

      it("reverts when the trial is unknown", async function () {
        const ctx = await loadFixture(registeredTrialFixture);
        await expect(set(ctx, ctx.sponsor, UNKNOWN, ctx[r.member].address, true))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
          .withArgs(UNKNOWN);
      });

      shouldBehaveLikeMemberGated(async () => {
        const ctx = await loadFixture(registeredTrialFixture);
        return {
          contract: ctx.trials,
          registry: ctx.registry,
          registrar: ctx.registrar,
          role: "SPONSOR",
          call: (caller) => set(ctx, caller, ctx.trialId, ctx[r.member].address, true),
        };
      });
    });
  }

  describe("setSite and setResearcher together", function () {
    it("keeps the researcher bit of an account when its site bit changes", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      const { trials, sponsor, registry, registrar, trialId, site } = ctx;
      await registry.connect(registrar).grantRole(Role.RESEARCHER, site.address);
      await trials.connect(sponsor).setResearcher(trialId, site.address, true);
      await trials.connect(sponsor).setSite(trialId, site.address, true);
      await trials.connect(sponsor).setSite(trialId, site.address, false);
      expect(await trials.isResearcher(trialId, site.address)).to.equal(true);
    });

    // The role byte is part of what an upgrade inherits: a new implementation reads the bits v1 wrote
    // (site = bit 0, researcher = bit 1) from the proxy's storage, so their positions are fixed.
    it("stores an account's trial roles as bit 0 (site) and bit 1 (researcher) of one byte", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      const { trials, sponsor, registry, registrar, trialId, site } = ctx;
      const trialRoles = erc7201("carechain.storage.Trials") + 2n;
      const roleBits = async () =>
        BigInt(
          await ethers.provider.getStorage(
            await trials.getAddress(),
            mappingSlot("address", site.address, mappingSlot("bytes32", trialId, trialRoles)),
          ),
        );
      await registry.connect(registrar).grantRole(Role.RESEARCHER, site.address);
      await trials.connect(sponsor).setResearcher(trialId, site.address, true);
      expect(await roleBits()).to.equal(2n);
      await trials.connect(sponsor).setSite(trialId, site.address, true);
      expect(await roleBits()).to.equal(3n);
      await trials.connect(sponsor).setResearcher(trialId, site.address, false);
      expect(await roleBits()).to.equal(1n);
      expect(await trials.isSite(trialId, site.address)).to.equal(true);
      expect(await trials.isResearcher(trialId, site.address)).to.equal(false);
    });
  });

  describe("setInvestigator", function () {
    it("emits TrialInvestigatorSet when a site registers and unregisters its investigator", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, site, trialId, witness } = ctx;
      await expect(trials.connect(site).setInvestigator(trialId, witness.address, true))
        .to.emit(trials, "TrialInvestigatorSet")
        .withArgs(trialId, witness.address, site.address);
      expect(await trials.investigatorSite(trialId, witness.address)).to.equal(site.address);
      // Registering again is idempotent for the same site.
      await trials.connect(site).setInvestigator(trialId, witness.address, true);
      await expect(trials.connect(site).setInvestigator(trialId, witness.address, false))
        .to.emit(trials, "TrialInvestigatorSet")
        .withArgs(trialId, witness.address, ethers.ZeroAddress);
      expect(await trials.investigatorSite(trialId, witness.address)).to.equal(ethers.ZeroAddress);
    });

    it("reverts when the investigator is the zero address", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await expect(
        ctx.trials.connect(ctx.site).setInvestigator(ctx.trialId, ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(ctx.trials, "TrialsZeroAddress");
    });

    it("reverts when another site registered the investigator", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const other = await otherMember(ctx, "TRIAL_SITE");
      await ctx.trials.connect(ctx.sponsor).setSite(ctx.trialId, other.address, true);
      await expect(ctx.trials.connect(other).setInvestigator(ctx.trialId, ctx.investigator.address, true))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, other.address, ctx.investigator.address);
      await expect(ctx.trials.connect(other).setInvestigator(ctx.trialId, ctx.investigator.address, false))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, other.address, ctx.investigator.address);
    });

    it("reverts when the caller is not a site of the trial", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const other = await otherMember(ctx, "TRIAL_SITE");
      await expect(ctx.trials.connect(other).setInvestigator(ctx.trialId, ctx.witness.address, true))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSite")
        .withArgs(ctx.trialId, other.address);
    });

    it("reverts when the trial is unknown", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await expect(ctx.trials.connect(ctx.site).setInvestigator(UNKNOWN, ctx.witness.address, true))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(UNKNOWN);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recruitingTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "TRIAL_SITE",
        call: (caller) => ctx.trials.connect(caller).setInvestigator(ctx.trialId, ctx.witness.address, true),
      };
    });
  });

  describe("approveTrial", function () {
    it("emits TrialStatusChanged when the trial's IRB approves it", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId))
        .to.emit(ctx.trials, "TrialStatusChanged")
        .withArgs(ctx.trialId, TrialStatus.Registered, TrialStatus.Approved);
      expect((await ctx.trials.trial(ctx.trialId)).status).to.equal(TrialStatus.Approved);
    });

    it("reverts when the trial is approved already", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await expect(ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(ctx.trialId, TrialStatus.Recruiting, trialStates(TrialStatus.Registered));
    });

    it("reverts when the caller is another IRB", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      const other = await otherMember(ctx, "IRB");
      await expect(ctx.trials.connect(other).approveTrial(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotIRB")
        .withArgs(ctx.trialId, other.address);
    });

    it("reverts when the trial is unknown", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.irb).approveTrial(UNKNOWN))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial")
        .withArgs(UNKNOWN);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(registeredTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "IRB",
        call: (caller) => ctx.trials.connect(caller).approveTrial(ctx.trialId),
      };
    });
  });

  describe("openRecruitment", function () {
    it("emits TrialStatusChanged when the sponsor opens an approved trial", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      await expect(ctx.trials.connect(ctx.sponsor).openRecruitment(ctx.trialId))
        .to.emit(ctx.trials, "TrialStatusChanged")
        .withArgs(ctx.trialId, TrialStatus.Approved, TrialStatus.Recruiting);
    });

    it("reverts when the trial is not approved", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).openRecruitment(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(ctx.trialId, TrialStatus.Registered, trialStates(TrialStatus.Approved));
    });

    it("reverts when the caller is another sponsor", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      const other = await otherMember(ctx, "SPONSOR");
      await expect(ctx.trials.connect(other).openRecruitment(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSponsor")
        .withArgs(ctx.trialId, other.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(registeredTrialFixture);
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "SPONSOR",
        call: (caller) => ctx.trials.connect(caller).openRecruitment(ctx.trialId),
      };
    });
  });

  describe("closeTrial", function () {
    it("emits TrialStatusChanged when the sponsor closes a recruiting trial", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId))
        .to.emit(ctx.trials, "TrialStatusChanged")
        .withArgs(ctx.trialId, TrialStatus.Recruiting, TrialStatus.Closed);
    });

    it("emits TrialStatusChanged when the sponsor closes an approved trial that never recruited", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      await expect(ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId))
        .to.emit(ctx.trials, "TrialStatusChanged")
        .withArgs(ctx.trialId, TrialStatus.Approved, TrialStatus.Closed);
    });

    it("reverts when the trial is not approved or is closed already", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await expect(ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(ctx.trialId, TrialStatus.Registered, trialStates(TrialStatus.Approved, TrialStatus.Recruiting));
      await ctx.trials.connect(ctx.irb).approveTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await expect(ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(ctx.trialId, TrialStatus.Closed, trialStates(TrialStatus.Approved, TrialStatus.Recruiting));
    });

    it("reverts when the caller is another sponsor", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const other = await otherMember(ctx, "SPONSOR");
      await expect(ctx.trials.connect(other).closeTrial(ctx.trialId))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSponsor")
        .withArgs(ctx.trialId, other.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recruitingTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "SPONSOR",
        call: (caller) => ctx.trials.connect(caller).closeTrial(ctx.trialId),
      };
    });
  });

  describe("trialIdOf", function () {
    it("derives the id from sponsor and salt as the SDK does", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      expect(await ctx.trials.trialIdOf(ctx.sponsor.address, SALT)).to.equal(trialIdOf(ctx.sponsor.address, SALT));
      expect(await ctx.trials.trialIdOf(ctx.irb.address, SALT)).to.not.equal(ctx.trialId);
    });
  });

  describe("amendment", function () {
    it("returns an empty version 0 for an unknown trial", async function () {
      const ctx = await loadFixture(deployTrialsFixture);
      const v0 = await ctx.trials.amendment(UNKNOWN, 0);
      expect(v0.status).to.equal(AmendmentStatus.None);
      expect(v0.protocolHash).to.equal(ethers.ZeroHash);
    });
  });
});
