import { expect } from "chai";
import { ethers } from "hardhat";
import { Wallet } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { shouldBehaveLikeMemberGated } from "../helpers/behaviours";
import { shouldRejectBadSignatures, SignOptions } from "../helpers/signatures";
import { admit } from "../helpers/fixtures";
import type { ERC1271WalletMock } from "../../typechain-types";
import { categoryMask } from "../../src/categories";
import {
  ALL_TRIAL_CATEGORIES,
  CoSignature,
  ConsentPackage,
  consentHash,
  ReconsentPolicy,
  SignatureMeaning,
  TrialStatus,
  WithdrawalChoice,
  encodeScope,
  diseaseCodeHash,
  hasParticipationFlag,
  isEnrolled,
  participationFlags,
  trialStates,
  signAttestation,
  signWithdrawal,
} from "../../src/trials";
import {
  DEFAULT_CATEGORIES,
  DEFAULT_SCOPE,
  FORM_V0,
  OUTCOME_V0,
  TrialsContext,
  appoint,
  consent,
  consentPackage,
  deployTrialsFixture,
  prepareTrial,
  recruitingTrialFixture,
  registeredTrialFixture,
  registration,
  relayInvestigator,
  relaySignature,
  relayVisit,
  relayWitness,
  witnessTrialFixture,
} from "./fixture";

import {
  appointedFixture,
  attestation,
  consentedFixture,
  investigatorAttestationCase,
  participantConsentCase,
  representativeConsentCase,
  representedFixture,
  signedFixture,
  signedWithdrawal,
  submitWithdrawal,
  visitAttestationCase,
  visitConsentCase,
  withdrawalCase,
  witnessAttestationCase,
  witnessPendingFixture,
} from "./signedCases";

const UNKNOWN = ethers.id("no such trial");
const DS_SALT = ethers.id("trial secret salt");

async function wallet(owner: HardhatEthersSigner): Promise<ERC1271WalletMock> {
  return (await ethers.deployContract("ERC1271WalletMock", [owner.address])) as unknown as ERC1271WalletMock;
}

/** A trial requiring a witness, where participants[0]'s appointed representative signed its consent. */
async function representativeConsentFixture() {
  const ctx = await witnessTrialFixture();
  const p = ctx.participants[0];
  await appoint(ctx, p);
  await relaySignature(
    ctx,
    await consentPackage(ctx, p, { signer: ctx.representative.address, key: ctx.representative }),
  );
  return ctx;
}

/** Expects the site's relay of `witness`'s attestation of `participant`'s consent to be refused as partial. */
async function expectNotImpartial(ctx: TrialsContext, participant: string, witness: HardhatEthersSigner) {
  const co = await attestation(ctx, participant, SignatureMeaning.WitnessAttestation, witness);
  await expect(
    ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, participant, SignatureMeaning.WitnessAttestation, co),
  )
    .to.be.revertedWithCustomError(ctx.trials, "TrialsWitnessNotImpartial")
    .withArgs(witness.address);
}

/** How a consent is relayed: consentBySig, or consentAndAttestBySig with the investigator's attestation. */
type ConsentRelay = (
  ctx: TrialsContext,
  pkg: ConsentPackage,
  relayer?: HardhatEthersSigner,
) => Promise<ContractTransactionResponse>;

/**
 * The state refusals of a consent, shared by consentBySig and consentAndAttestBySig (both record a
 * consent through the same checks): each with its exact custom error, nothing recorded.
 */
function describeConsentRefusals(send: ConsentRelay): void {
  it("reverts when the caller is not a site of the trial", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["TRIAL_SITE"]);
    const pkg = await consentPackage(ctx, ctx.participants[0]);
    await expect(send(ctx, pkg, ctx.stranger))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSite")
      .withArgs(ctx.trialId, ctx.stranger.address);
  });

  it("reverts when the trial is unknown", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const pkg = await consentPackage(ctx, ctx.participants[0], { trialId: UNKNOWN });
    await expect(send(ctx, pkg)).to.be.revertedWithCustomError(ctx.trials, "TrialsUnknownTrial").withArgs(UNKNOWN);
  });

  it("reverts when the IRB has not approved the trial", async function () {
    const ctx = await loadFixture(registeredTrialFixture);
    await ctx.trials.connect(ctx.sponsor).setSite(ctx.trialId, ctx.site.address, true);
    const pkg = await consentPackage(ctx, ctx.participants[0]);
    await expect(send(ctx, pkg))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
      .withArgs(
        ctx.trialId,
        TrialStatus.Registered,
        trialStates(TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed),
      );
  });

  it("reverts when the consent names another protocol version", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const pkg = await consentPackage(ctx, ctx.participants[0], { protocolVersion: 3 });
    await expect(send(ctx, pkg))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsConsentVersionMismatch")
      .withArgs(ctx.trialId, 3, 0);
  });

  it("reverts when the consent names another consent form", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const other = ethers.id("a form nobody approved");
    const pkg = await consentPackage(ctx, ctx.participants[0], { consentFormHash: other });
    await expect(send(ctx, pkg))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsConsentFormMismatch")
      .withArgs(ctx.trialId, other, FORM_V0);
  });

  it("reverts when the participant is the zero address", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const pkg = await consentPackage(ctx, ctx.representative, {
      participant: ethers.ZeroAddress,
      signer: ctx.representative.address,
      key: ctx.representative,
    });
    await expect(send(ctx, pkg)).to.be.revertedWithCustomError(ctx.trials, "TrialsZeroAddress");
  });

  it("reverts when the stated meaning does not fit the signer", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const p = ctx.participants[0];
    const own = await consentPackage(ctx, p, { meaning: SignatureMeaning.RepresentativeConsent });
    await expect(send(ctx, own))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsWrongMeaning")
      .withArgs(p.address, p.address, SignatureMeaning.RepresentativeConsent);
    const rep = await consentPackage(ctx, p, {
      signer: ctx.representative.address,
      key: ctx.representative,
      meaning: SignatureMeaning.ParticipantConsent,
    });
    await expect(send(ctx, rep))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsWrongMeaning")
      .withArgs(p.address, ctx.representative.address, SignatureMeaning.ParticipantConsent);
  });

  describe("reverts when the DUO scope is invalid", function () {
    const disease = diseaseCodeHash("C50", DS_SALT);
    const cases: {
      name: string;
      scope: number;
      disease?: string;
      until?: (now: bigint) => bigint;
      /** Mine the consent in the second its TS end names. */
      atEnd?: boolean;
    }[] = [
      { name: "no primary permission", scope: encodeScope(["NCU"]) },
      { name: "two primary permissions", scope: encodeScope(["GRU", "HMB"]) },
      { name: "an unknown bit", scope: encodeScope(["HMB"]) | (1 << 9) },
      { name: "DS without a disease", scope: encodeScope(["DS"]) },
      { name: "a disease without DS", scope: encodeScope(["HMB"]), disease },
      { name: "TS without an end", scope: encodeScope(["HMB", "TS"]) },
      { name: "an end without TS", scope: encodeScope(["HMB"]), until: (now) => now + 100n },
      { name: "a TS end in the past", scope: encodeScope(["HMB", "TS"]), until: (now) => now - 1n },
      // The TS end must lie after the second that records the consent: one lapsing as it is recorded is refused.
      {
        name: "a TS end at the block's own second",
        scope: encodeScope(["HMB", "TS"]),
        until: (now) => now + 100n,
        atEnd: true,
      },
    ];
    for (const c of cases) {
      it(`reverts for ${c.name}`, async function () {
        const ctx = await loadFixture(recruitingTrialFixture);
        const until = c.until ? c.until(BigInt(await time.latest())) : 0n;
        const pkg = await consentPackage(ctx, ctx.participants[0], {
          scope: c.scope,
          diseaseCodeHash: c.disease,
          useUntil: until,
        });
        if (c.atEnd) await time.setNextBlockTimestamp(until);
        await expect(send(ctx, pkg))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidScope")
          .withArgs(c.scope, c.disease ?? ethers.ZeroHash, until);
      });
    }
  });

  it("reverts when the categories name no record category", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const pkg = await consentPackage(ctx, ctx.participants[0], { categories: ALL_TRIAL_CATEGORIES + 1 });
    await expect(send(ctx, pkg))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidCategories")
      .withArgs(1 << 9);
  });

  it("reverts when the participant has withdrawn", async function () {
    const ctx = await loadFixture(consentedFixture);
    const p = ctx.participants[0];
    await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection);
    const pkg = await consentPackage(ctx, p);
    await expect(send(ctx, pkg))
      .to.be.revertedWithCustomError(ctx.trials, "TrialsParticipantWithdrawn")
      .withArgs(ctx.trialId, p.address);
  });
}

describe("ClinicalTrials: consent, withdrawal, enrollment", function () {
  describe("consentBySig", function () {
    it("emits ConsentSigned and records the consent, which counts only once attested", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, trialId } = ctx;
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p);
      await expect(relaySignature(ctx, pkg))
        .to.emit(trials, "ConsentSigned")
        .withArgs(
          trialId,
          p.address,
          p.address,
          SignatureMeaning.ParticipantConsent,
          0,
          FORM_V0,
          DEFAULT_SCOPE,
          ethers.ZeroHash,
          0,
          DEFAULT_CATEGORIES,
          true,
        );
      const r = await trials.participation(trialId, p.address);
      expect([r.consentVersion, r.scope, r.categories, r.flags, r.useUntil, r.representative]).to.deep.equal([
        0n,
        BigInt(DEFAULT_SCOPE),
        BigInt(DEFAULT_CATEGORIES),
        participationFlags("Consented", "FutureContact"),
        0n,
        ethers.ZeroAddress,
      ]);
      expect(await trials.nonces(p.address)).to.equal(1);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(false);
      await relayInvestigator(ctx, pkg);
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(true);
    });

    it("records the legally authorised representative who signed, and its authority id", async function () {
      const ctx = await loadFixture(appointedFixture);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
      await expect(relaySignature(ctx, pkg))
        .to.emit(ctx.trials, "ConsentSigned")
        .withArgs(
          ctx.trialId,
          p.address,
          ctx.representative.address,
          SignatureMeaning.RepresentativeConsent,
          0,
          FORM_V0,
          DEFAULT_SCOPE,
          ethers.ZeroHash,
          0,
          DEFAULT_CATEGORIES,
          true,
        );
      const r = await ctx.trials.participation(ctx.trialId, p.address);
      expect(r.representative).to.equal(ctx.representative.address);
      expect(r.authorityId).to.equal(1n);
      expect(await ctx.trials.nonces(p.address)).to.equal(0);
    });

    it("records a disease-specific consent's disease hash and clears it on a later non-DS consent", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const disease = diseaseCodeHash("C50", DS_SALT);
      await consent(ctx, p, { scope: encodeScope(["DS"]), diseaseCodeHash: disease, futureContact: false });
      expect(await ctx.trials.diseaseCodeHashOf(ctx.trialId, p.address)).to.equal(disease);
      expect(
        hasParticipationFlag((await ctx.trials.participation(ctx.trialId, p.address)).flags, "FutureContact"),
      ).to.equal(false);
      await consent(ctx, p, { scope: encodeScope(["HMB"]) });
      expect(await ctx.trials.diseaseCodeHashOf(ctx.trialId, p.address)).to.equal(ethers.ZeroHash);
      await consent(ctx, p, { scope: encodeScope(["GRU"]) });
      expect(await ctx.trials.diseaseCodeHashOf(ctx.trialId, p.address)).to.equal(ethers.ZeroHash);
    });

    it("records a time-limited (TS) consent's end", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const until = BigInt(await time.latest()) + 86_400n;
      await consent(ctx, p, { scope: encodeScope(["HMB", "TS"]), useUntil: until });
      expect((await ctx.trials.participation(ctx.trialId, p.address)).useUntil).to.equal(until);
    });

    it("replaces the previous consent, clears its attestations and keeps the enrollment", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address);
      await relaySignature(ctx, await consentPackage(ctx, p, { categories: categoryMask(["Labs"]) }));
      const r = await ctx.trials.participation(ctx.trialId, p.address);
      expect(r.categories).to.equal(categoryMask(["Labs"]));
      // Consented, future contact, enrolled: no attestation (a new consent needs its own).
      expect(r.flags).to.equal(participationFlags("Consented", "FutureContact", "Enrolled"));
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
    });

    it("accepts consent while the trial is closed (re-consent during follow-up)", async function () {
      const ctx = await loadFixture(consentedFixture);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await consent(ctx, ctx.participants[0]);
      expect(await ctx.trials.isConsentValid(ctx.trialId, ctx.participants[0].address)).to.equal(true);
    });

    it("accepts an ERC-1271 participant and keeps what was checked at submission", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const owner = ctx.participants[0];
      const w = await wallet(owner);
      const address = await w.getAddress();
      await consent(ctx, owner, { participant: address, key: owner });
      expect(await ctx.trials.isConsentValid(ctx.trialId, address)).to.equal(true);
      await w.setAccepting(false);
      expect(await ctx.trials.isConsentValid(ctx.trialId, address)).to.equal(true);
    });

    it("accepts an ERC-1271 representative", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const w = await wallet(ctx.representative);
      const p = ctx.participants[0];
      await appoint(ctx, p, await w.getAddress());
      await consent(ctx, p, { signer: await w.getAddress(), key: ctx.representative });
      expect((await ctx.trials.participation(ctx.trialId, p.address)).representative).to.equal(await w.getAddress());
    });

    it("reverts when an ERC-1271 participant refuses", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const owner = ctx.participants[0];
      const w = await wallet(owner);
      await w.setAccepting(false);
      const pkg = await consentPackage(ctx, owner, { participant: await w.getAddress(), key: owner });
      await expect(relaySignature(ctx, pkg))
        .to.be.revertedWithCustomError(ctx.trials, "SignatureInvalid")
        .withArgs(await w.getAddress());
    });

    describeConsentRefusals(relaySignature);

    describe("participant's signature", function () {
      shouldRejectBadSignatures(participantConsentCase);
    });

    describe("representative's signature", function () {
      shouldRejectBadSignatures(representativeConsentCase);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recruitingTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "TRIAL_SITE",
        call: async (caller) => relaySignature(ctx, await consentPackage(ctx, ctx.participants[0]), caller),
      };
    });
  });

  describe("consentAndAttestBySig", function () {
    it("emits ConsentSigned and ConsentAttested in one transaction, and the consent counts at once", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const { trials, trialId } = ctx;
      const p = ctx.participants[0];
      const nonce = await trials.nonces(p.address);
      const pkg = await consentPackage(ctx, p);
      await expect(relayVisit(ctx, pkg))
        .to.emit(trials, "ConsentSigned")
        .withArgs(
          trialId,
          p.address,
          p.address,
          SignatureMeaning.ParticipantConsent,
          0,
          FORM_V0,
          DEFAULT_SCOPE,
          ethers.ZeroHash,
          0,
          DEFAULT_CATEGORIES,
          true,
        )
        .and.to.emit(trials, "ConsentAttested")
        .withArgs(
          trialId,
          p.address,
          ctx.investigator.address,
          SignatureMeaning.InvestigatorAttestation,
          ctx.site.address,
        );
      const r = await trials.participation(trialId, p.address);
      expect(r.flags).to.equal(participationFlags("Consented", "FutureContact", "Attested"));
      expect(r.termsHash).to.equal(consentHash(pkg.terms, nonce));
      expect(await trials.isConsentValid(trialId, p.address)).to.equal(true);
      expect(await trials.nonces(p.address)).to.equal(nonce + 1n);
      expect(await trials.nonces(ctx.investigator.address)).to.equal(1n);
    });

    it("records a representative's consent with the investigator's attestation", async function () {
      const ctx = await loadFixture(appointedFixture);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
      await expect(relayVisit(ctx, pkg))
        .to.emit(ctx.trials, "ConsentAttested")
        .withArgs(
          ctx.trialId,
          p.address,
          ctx.investigator.address,
          SignatureMeaning.InvestigatorAttestation,
          ctx.site.address,
        );
      const r = await ctx.trials.participation(ctx.trialId, p.address);
      expect([r.representative, r.authorityId]).to.deep.equal([ctx.representative.address, 1n]);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });

    it("leaves a witness-requiring consent uncounted until the witness attests separately", async function () {
      const ctx = await loadFixture(witnessTrialFixture);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p, { witnessKey: ctx.witness });
      await relayVisit(ctx, pkg);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      await expect(relayWitness(ctx, pkg))
        .to.emit(ctx.trials, "ConsentAttested")
        .withArgs(ctx.trialId, p.address, ctx.witness.address, SignatureMeaning.WitnessAttestation, ctx.site.address);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });

    it("re-consents: replaces the previous consent, keeps the enrollment, and the new one counts at once", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address);
      await relayVisit(ctx, await consentPackage(ctx, p, { categories: categoryMask(["Labs"]), futureContact: false }));
      const r = await ctx.trials.participation(ctx.trialId, p.address);
      expect(r.categories).to.equal(categoryMask(["Labs"]));
      expect(r.flags).to.equal(participationFlags("Consented", "Enrolled", "Attested"));
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });

    it("accepts an ERC-1271 investigator", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const inv = await wallet(ctx.investigator);
      await ctx.trials.connect(ctx.site).setInvestigator(ctx.trialId, await inv.getAddress(), true);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p, { investigatorAddress: await inv.getAddress() });
      await relayVisit(ctx, pkg);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });

    it("reverts when the attester is no investigator of the relaying site, and records nothing", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p, { investigatorKey: ctx.stranger });
      await expect(relayVisit(ctx, pkg))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, ctx.site.address, ctx.stranger.address);
      expect((await ctx.trials.participation(ctx.trialId, p.address)).flags).to.equal(0n);
      expect(await ctx.trials.nonces(p.address)).to.equal(0n);
    });

    it("reverts when another site relays this site's investigator", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const other = ctx.participants[6];
      await admit(ctx.registry, ctx.registrar, other, 502, ["TRIAL_SITE"]);
      await ctx.trials.connect(ctx.sponsor).setSite(ctx.trialId, other.address, true);
      const pkg = await consentPackage(ctx, ctx.participants[0]);
      await expect(relayVisit(ctx, pkg, other))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, other.address, ctx.investigator.address);
    });

    it("reverts when the attestation names other terms than those signed", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const pkg = await consentPackage(ctx, ctx.participants[0], { attestedHash: ethers.id("other terms") });
      await expect(relayVisit(ctx, pkg))
        .to.be.revertedWithCustomError(ctx.trials, "SignatureInvalid")
        .withArgs(ctx.investigator.address);
    });

    it("reverts when the attestation states the witness's meaning", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p);
      const nonce = await ctx.trials.nonces(p.address);
      const witnessMeaning = await signAttestation(
        ctx.investigator,
        ctx.domain,
        { ...pkg.terms, consentHash: consentHash(pkg.terms, nonce) },
        SignatureMeaning.WitnessAttestation,
        pkg.investigator.deadline,
        await ctx.trials.nonces(ctx.investigator.address),
      );
      await expect(relayVisit(ctx, { ...pkg, investigator: witnessMeaning }))
        .to.be.revertedWithCustomError(ctx.trials, "SignatureInvalid")
        .withArgs(ctx.investigator.address);
    });

    it("reverts when a representative has no authority in force", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      const pkg = await consentPackage(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
      await expect(relayVisit(ctx, pkg))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNoRepresentativeAuthority")
        .withArgs(ctx.trialId, p.address, ctx.representative.address);
    });

    describeConsentRefusals(relayVisit);

    describe("participant's signature", function () {
      shouldRejectBadSignatures(visitConsentCase);
    });

    describe("investigator's signature", function () {
      shouldRejectBadSignatures(visitAttestationCase);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recruitingTrialFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "TRIAL_SITE",
        call: async (caller) => relayVisit(ctx, await consentPackage(ctx, ctx.participants[0]), caller),
      };
    });
  });

  describe("attestBySig", function () {
    it("emits ConsentAttested when the investigator attests, and the consent counts", async function () {
      const ctx = await loadFixture(signedFixture);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(
        ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.emit(ctx.trials, "ConsentAttested")
        .withArgs(ctx.trialId, p, ctx.investigator.address, SignatureMeaning.InvestigatorAttestation, ctx.site.address);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p)).to.equal(true);
    });

    it("emits ConsentAttested for the witness a trial requires, and only then the consent counts", async function () {
      const ctx = await loadFixture(witnessPendingFixture);
      const p = ctx.participants[0].address;
      expect(await ctx.trials.isConsentValid(ctx.trialId, p)).to.equal(false);
      const co = await attestation(ctx, p, SignatureMeaning.WitnessAttestation, ctx.witness);
      await expect(ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.WitnessAttestation, co))
        .to.emit(ctx.trials, "ConsentAttested")
        .withArgs(ctx.trialId, p, ctx.witness.address, SignatureMeaning.WitnessAttestation, ctx.site.address);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p)).to.equal(true);
    });

    it("records a witness on a trial that does not require one", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.WitnessAttestation, ctx.witness);
      await ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.WitnessAttestation, co);
      expect((await ctx.trials.participation(ctx.trialId, p)).flags).to.equal(
        participationFlags("Consented", "FutureContact", "Attested", "Witnessed"),
      );
    });

    it("accepts ERC-1271 investigators and witnesses", async function () {
      const ctx = await loadFixture(witnessTrialFixture);
      const inv = await wallet(ctx.investigator);
      const wit = await wallet(ctx.witness);
      await ctx.trials.connect(ctx.site).setInvestigator(ctx.trialId, await inv.getAddress(), true);
      const p = ctx.participants[0];
      await relaySignature(ctx, await consentPackage(ctx, p));
      const a = await attestation(ctx, p.address, SignatureMeaning.InvestigatorAttestation, ctx.investigator, {
        signer: await inv.getAddress(),
      });
      await ctx.trials
        .connect(ctx.site)
        .attestBySig(ctx.trialId, p.address, SignatureMeaning.InvestigatorAttestation, a);
      const b = await attestation(ctx, p.address, SignatureMeaning.WitnessAttestation, ctx.witness, {
        signer: await wit.getAddress(),
      });
      await ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p.address, SignatureMeaning.WitnessAttestation, b);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(true);
    });

    it("reverts when the participant never consented", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[1].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(
        ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotConsented")
        .withArgs(ctx.trialId, p);
    });

    it("reverts when the participant has withdrawn", async function () {
      const ctx = await loadFixture(signedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData);
      const co = await attestation(ctx, p.address, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(
        ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p.address, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsParticipantWithdrawn")
        .withArgs(ctx.trialId, p.address);
    });

    it("reverts when the attester is no investigator of the relaying site", async function () {
      const ctx = await loadFixture(signedFixture);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.stranger);
      await expect(
        ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, ctx.site.address, ctx.stranger.address);
    });

    it("reverts when another site relays this site's investigator", async function () {
      const ctx = await loadFixture(signedFixture);
      const other = ctx.participants[6];
      await admit(ctx.registry, ctx.registrar, other, 502, ["TRIAL_SITE"]);
      await ctx.trials.connect(ctx.sponsor).setSite(ctx.trialId, other.address, true);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(ctx.trials.connect(other).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotInvestigator")
        .withArgs(ctx.trialId, other.address, ctx.investigator.address);
    });

    it("reverts when the witness is not impartial", async function () {
      const ctx = await loadFixture(representativeConsentFixture);
      const p = ctx.participants[0];
      // A second site of the trial, the sponsor and the IRB are not impartial either (issue 10).
      const otherSite = ctx.stranger;
      await admit(ctx.registry, ctx.registrar, otherSite, 501, ["TRIAL_SITE"]);
      await ctx.trials.connect(ctx.sponsor).setSite(ctx.trialId, otherSite.address, true);
      for (const partial of [p, ctx.representative, ctx.investigator, ctx.site, otherSite, ctx.sponsor, ctx.irb]) {
        await expectNotImpartial(ctx, p.address, partial);
      }
    });

    it("reverts when the witness is the representative who signed, after its authority ended", async function () {
      const ctx = await loadFixture(representativeConsentFixture);
      const p = ctx.participants[0];
      // The participant takes its own affairs back: the consent stays on record, signed by the former
      // representative, who can no more witness it than it could before.
      await ctx.trials.connect(p).revokeRepresentative(ctx.trialId);
      expect(await ctx.trials.isRepresentative(ctx.trialId, p.address, ctx.representative.address)).to.equal(false);
      expect((await ctx.trials.participation(ctx.trialId, p.address)).representative).to.equal(
        ctx.representative.address,
      );
      await expectNotImpartial(ctx, p.address, ctx.representative);
    });

    it("reverts when the meaning is not an attestation", async function () {
      const ctx = await loadFixture(signedFixture);
      const p = ctx.participants[0].address;
      const co = await signAttestation(
        ctx.investigator,
        ctx.domain,
        {
          trialId: ctx.trialId,
          participant: p,
          protocolVersion: 0,
          consentFormHash: FORM_V0,
          consentHash: (await ctx.trials.participation(ctx.trialId, p)).termsHash,
        },
        SignatureMeaning.ParticipantConsent as never,
        BigInt(await time.latest()) + 3600n,
        0n,
      );
      await expect(ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.ParticipantConsent, co))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsWrongMeaning")
        .withArgs(p, ctx.investigator.address, SignatureMeaning.ParticipantConsent);
    });

    it("reverts when the consent already has that attestation", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(
        ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAlreadyAttested")
        .withArgs(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation);
    });

    it("reverts when the caller is not a site of the trial", async function () {
      const ctx = await loadFixture(signedFixture);
      await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["TRIAL_SITE"]);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(
        ctx.trials.connect(ctx.stranger).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSite")
        .withArgs(ctx.trialId, ctx.stranger.address);
    });

    it("reverts when results are posted", async function () {
      const ctx = await loadFixture(signedFixture);
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, ethers.id("results"), OUTCOME_V0);
      const p = ctx.participants[0].address;
      const co = await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
      await expect(
        ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
      )
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(
          ctx.trialId,
          TrialStatus.ResultsPosted,
          trialStates(TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed),
        );
    });

    describe("investigator's signature", function () {
      shouldRejectBadSignatures(investigatorAttestationCase);
    });

    describe("witness's signature", function () {
      shouldRejectBadSignatures(witnessAttestationCase);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(signedFixture);
      const p = ctx.participants[0].address;
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "TRIAL_SITE",
        call: async (caller) =>
          ctx.trials
            .connect(caller)
            .attestBySig(
              ctx.trialId,
              p,
              SignatureMeaning.InvestigatorAttestation,
              await attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator),
            ),
      };
    });
  });

  describe("withdraw", function () {
    it("emits ConsentWithdrawn; no further collection keeps the use of collected data", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await expect(ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p.address, p.address, WithdrawalChoice.NoFurtherCollection);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(true);
      expect(await ctx.trials.researchCategories(ctx.trialId, p.address, ctx.researcher.address)).to.equal(0);
    });

    it("emits ConsentWithdrawn; withdrawing the data stops every use", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await expect(ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p.address, p.address, WithdrawalChoice.WithdrawData);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(false);
    });

    it("widens a withdrawal and never narrows it", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection);
      await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(false);
      await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(false);
    });

    it("lets the recorded representative withdraw the participant", async function () {
      const ctx = await loadFixture(representedFixture);
      const p = ctx.participants[0].address;
      await expect(ctx.trials.connect(ctx.representative).withdraw(ctx.trialId, p, WithdrawalChoice.WithdrawData))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p, ctx.representative.address, WithdrawalChoice.WithdrawData);
    });

    it("lets a participant withdraw whom a representative consented for", async function () {
      const ctx = await loadFixture(representedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData);
      expect(await ctx.trials.isConsentValid(ctx.trialId, p.address)).to.equal(false);
    });

    it("lets an ERC-1271 participant withdraw directly", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const owner = ctx.participants[0];
      const w = await wallet(owner);
      const address = await w.getAddress();
      await consent(ctx, owner, { participant: address, key: owner });
      const data = ctx.trials.interface.encodeFunctionData("withdraw", [
        ctx.trialId,
        address,
        WithdrawalChoice.WithdrawData,
      ]);
      await expect(w.connect(owner).execute(await ctx.trials.getAddress(), data))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, address, address, WithdrawalChoice.WithdrawData);
    });

    it("is never blocked: results posted, site, sponsor and IRB suspended", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await ctx.trials.connect(ctx.sponsor).closeTrial(ctx.trialId);
      await ctx.trials.connect(ctx.sponsor).postResults(ctx.trialId, ethers.id("results"), OUTCOME_V0);
      for (const m of [ctx.site, ctx.sponsor, ctx.irb, ctx.researcher]) {
        await ctx.registry.connect(ctx.registrar).suspendMember(m.address, ethers.ZeroHash);
      }
      await expect(ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p.address, p.address, WithdrawalChoice.WithdrawData);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(false);
    });

    it("reverts when the participant never consented", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const p = ctx.participants[0];
      await expect(ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.WithdrawData))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotConsented")
        .withArgs(ctx.trialId, p.address);
    });

    it("reverts when the caller is neither the participant nor the representative", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
      await expect(ctx.trials.connect(ctx.representative).withdraw(ctx.trialId, p, WithdrawalChoice.WithdrawData))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotParticipantOrRepresentative")
        .withArgs(ctx.trialId, p, ctx.representative.address);
      await expect(ctx.trials.connect(ctx.site).withdraw(ctx.trialId, p, WithdrawalChoice.WithdrawData))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotParticipantOrRepresentative")
        .withArgs(ctx.trialId, p, ctx.site.address);
    });

    it("reverts when the choice is None", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await expect(
        ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.None),
      ).to.be.revertedWithCustomError(ctx.trials, "TrialsInvalidWithdrawalChoice");
    });
  });

  describe("withdrawBySig", function () {
    const signed = signedWithdrawal;
    const submit = submitWithdrawal;

    it("emits ConsentWithdrawn when anyone relays the participant's signed withdrawal", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0];
      await expect(submit(ctx, await signed(ctx, p, p.address)))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, p.address, p.address, WithdrawalChoice.WithdrawData);
      expect(await ctx.trials.mayUse(ctx.trialId, p.address, DEFAULT_SCOPE)).to.equal(false);
    });

    it("emits ConsentWithdrawn for the representative's signed withdrawal", async function () {
      const ctx = await loadFixture(representedFixture);
      const rep = ctx.representative;
      await expect(submit(ctx, await signed(ctx, rep, rep.address)))
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, ctx.participants[0].address, rep.address, WithdrawalChoice.WithdrawData);
    });

    it("accepts an ERC-1271 participant's signed withdrawal", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const owner = ctx.participants[0];
      const w = await wallet(owner);
      const address = await w.getAddress();
      await consent(ctx, owner, { participant: address, key: owner });
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signWithdrawal(
        owner,
        ctx.domain,
        ctx.trialId,
        address,
        WithdrawalChoice.NoFurtherCollection,
        deadline,
        await ctx.trials.nonces(address),
        address,
      );
      await expect(
        ctx.trials.withdrawBySig(
          ctx.trialId,
          address,
          WithdrawalChoice.NoFurtherCollection,
          address,
          deadline,
          signature,
        ),
      )
        .to.emit(ctx.trials, "ConsentWithdrawn")
        .withArgs(ctx.trialId, address, address, WithdrawalChoice.NoFurtherCollection);
    });

    it("reverts when a valid signer is neither the participant nor the representative", async function () {
      const ctx = await loadFixture(consentedFixture);
      await expect(submit(ctx, await signed(ctx, ctx.stranger, ctx.stranger.address)))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotParticipantOrRepresentative")
        .withArgs(ctx.trialId, ctx.participants[0].address, ctx.stranger.address);
    });

    describe("withdrawal signature", function () {
      shouldRejectBadSignatures(withdrawalCase);
    });
  });

  describe("enroll", function () {
    it("emits ParticipantEnrolled and counts the enrollment", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, p))
        .to.emit(ctx.trials, "ParticipantEnrolled")
        .withArgs(ctx.trialId, p, ctx.site.address, 1);
      expect((await ctx.trials.trial(ctx.trialId)).enrolled).to.equal(1);
      expect(isEnrolled((await ctx.trials.participation(ctx.trialId, p)).flags)).to.equal(true);
    });

    it("reverts when the trial is not recruiting", async function () {
      const ctx = await loadFixture(registeredTrialFixture);
      await prepareTrial(ctx, false);
      await consent(ctx, ctx.participants[0]);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, ctx.participants[0].address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsUnexpectedStatus")
        .withArgs(ctx.trialId, TrialStatus.Approved, trialStates(TrialStatus.Recruiting));
    });

    for (const missing of ["registryRefHash", "outcomeHash"] as const) {
      it(`reverts when the ${missing === "outcomeHash" ? "primary outcome" : "registry reference"} is not committed`, async function () {
        const ctx = await loadFixture(deployTrialsFixture);
        await ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { [missing]: ethers.ZeroHash }));
        await prepareTrial(ctx, true);
        await consent(ctx, ctx.participants[0]);
        await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, ctx.participants[0].address))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsRegistrationIncomplete")
          .withArgs(ctx.trialId);
      });
    }

    it("reverts when the consent is missing, unattested, withdrawn or unwitnessed", async function () {
      const ctx = await loadFixture(signedFixture);
      const [signedOnly, none, withdrawn] = ctx.participants;
      await consent(ctx, withdrawn);
      await ctx.trials
        .connect(withdrawn)
        .withdraw(ctx.trialId, withdrawn.address, WithdrawalChoice.NoFurtherCollection);
      for (const p of [signedOnly, none, withdrawn]) {
        await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address))
          .to.be.revertedWithCustomError(ctx.trials, "TrialsConsentInvalid")
          .withArgs(ctx.trialId, p.address);
      }
      const w = await loadFixture(witnessPendingFixture);
      await expect(w.trials.connect(w.site).enroll(w.trialId, w.participants[0].address))
        .to.be.revertedWithCustomError(w.trials, "TrialsConsentInvalid")
        .withArgs(w.trialId, w.participants[0].address);
    });

    it("reverts when the consent predates an amendment requiring re-consent", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
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
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, p))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsConsentInvalid")
        .withArgs(ctx.trialId, p);
    });

    it("reverts when the participant is enrolled already", async function () {
      const ctx = await loadFixture(consentedFixture);
      const p = ctx.participants[0].address;
      await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, p))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsAlreadyEnrolled")
        .withArgs(ctx.trialId, p);
    });

    it("reverts when the cap is reached", async function () {
      const ctx = await loadFixture(recruitingTrialFixture);
      const ps = ctx.participants.slice(0, 4);
      for (const p of ps) await consent(ctx, p);
      for (const p of ps.slice(0, 3)) await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address);
      await expect(ctx.trials.connect(ctx.site).enroll(ctx.trialId, ps[3].address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsEnrollmentCapReached")
        .withArgs(ctx.trialId, 3);
    });

    it("reverts when the caller is not a site of the trial", async function () {
      const ctx = await loadFixture(consentedFixture);
      await admit(ctx.registry, ctx.registrar, ctx.stranger, 501, ["TRIAL_SITE"]);
      await expect(ctx.trials.connect(ctx.stranger).enroll(ctx.trialId, ctx.participants[0].address))
        .to.be.revertedWithCustomError(ctx.trials, "TrialsNotSite")
        .withArgs(ctx.trialId, ctx.stranger.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(consentedFixture);
      return {
        contract: ctx.trials,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "TRIAL_SITE",
        call: (caller) => ctx.trials.connect(caller).enroll(ctx.trialId, ctx.participants[0].address),
      };
    });
  });
});
