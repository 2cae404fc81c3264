/**
 * E2E step "trials": a clinical trial's consent flow over JSON-RPC with the SDK only. The sponsor
 * registers a trial, the IRB approves it, the sponsor names a site; the participant and the
 * investigator sign off chain (EIP-712), the site relays both signatures and enrolls; the
 * participant later withdraws by a signature that a relayer submits; a representative's consent is
 * refused until the participant appoints the representative by signature, and stops counting when
 * the participant revokes that authority. Runs after the registry step.
 */
import { expect } from "chai";
import { id } from "ethers";
import { describeError } from "../../../src/errors";
import { categoryMask } from "../../../src/categories";
import { Role } from "../../../src/roles";
import {
  NO_WITNESS,
  SignatureMeaning,
  TrialStatus,
  WithdrawalChoice,
  consentHash,
  consentTerms,
  consentTrail,
  encodeScope,
  registryRefHash,
  relayConsentPackage,
  signAttestation,
  signConsent,
  signRepresentativeAppointment,
  signRepresentativeRevocation,
  signWithdrawal,
  trialIdOf,
  trialsDomain,
  type ConsentPackage,
} from "../../../src/trials";
import { ClinicalTrials__factory, type ClinicalTrials } from "../../../typechain-types";
import type { E2EContext, E2EStep } from "../consortium";

const SALT = id("e2e trial ONC-042");
const FORM = id("e2e consent form v0");
const SCOPE = encodeScope(["HMB", "NCU"]);

export const trialsStep: E2EStep = {
  name: "trials: a site relays consent, enrolls, and the participant withdraws by signature",
  define(ctx: () => E2EContext) {
    const trials = (): ClinicalTrials => {
      const address = ctx().deployment.addresses.trials;
      if (address === undefined) throw new Error("the deployment has no trials contract");
      return ClinicalTrials__factory.connect(address, ctx().provider);
    };
    const trialId = () => trialIdOf(ctx().actors.sponsor.address, SALT);
    const investigator = () => ctx().others[0];
    const participant = () => ctx().others[4];
    const relayer = () => ctx().others[10];
    const now = async () => BigInt((await ctx().provider.getBlock("latest"))!.timestamp);
    const domain = async () => trialsDomain(ctx().chainId, await trials().getAddress());
    let pkg: ConsentPackage;

    it("registers, approves and opens a trial with its site, researcher and investigator", async function () {
      const { actors } = ctx();
      const asSponsor = trials().connect(actors.sponsor);
      await (
        await asSponsor.registerTrial({
          salt: SALT,
          registryRefHash: registryRefHash("NCT09990042"),
          protocolHash: id("e2e protocol v0"),
          consentFormHash: FORM,
          outcomeHash: id("e2e primary outcome"),
          irb: actors.irb.address,
          enrollmentCap: 10,
          witnessRequired: false,
        })
      ).wait();
      await (await trials().connect(actors.irb).approveTrial(trialId())).wait();
      await (await asSponsor.setSite(trialId(), actors.site.address, true)).wait();
      await (await asSponsor.setResearcher(trialId(), actors.researcher.address, true)).wait();
      await (await trials().connect(actors.site).setInvestigator(trialId(), investigator().address, true)).wait();
      await (await asSponsor.openRecruitment(trialId())).wait();
      const t = await trials().trial(trialId());
      expect(t.status).to.equal(BigInt(TrialStatus.Recruiting));
      expect(t.sponsor).to.equal(actors.sponsor.address);
      expect(await trials().isSite(trialId(), actors.site.address)).to.equal(true);
      expect(await trials().investigatorSite(trialId(), investigator().address)).to.equal(actors.site.address);
    });

    it("refuses a non-site relayer, decoded by the SDK, and records nothing", async function () {
      const p = participant().address;
      const terms = consentTerms({
        trialId: trialId(),
        participant: p,
        protocolVersion: 0,
        consentFormHash: FORM,
        scope: SCOPE,
        categories: categoryMask(["Labs", "Genomic"]),
        futureContact: false,
        deadline: (await now()) + 3600n,
      });
      const signature = await signConsent(participant(), await domain(), terms, await trials().nonces(p));
      const error = await trials()
        .connect(relayer())
        .consentBySig(terms, signature)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error, "the transaction was accepted").to.not.equal(undefined);
      expect(describeError(error, [trials().interface])).to.equal(
        `MemberGatedUnauthorized(${relayer().address}, ${Role.TRIAL_SITE})`,
      );
      expect((await trials().participation(trialId(), p)).flags).to.equal(0n);
      expect(await trials().nonces(p)).to.equal(0n);
    });

    it("relays the participant's signed consent and the investigator's attestation; the consent counts", async function () {
      const { actors } = ctx();
      const p = participant().address;
      const d = await domain();
      const terms = consentTerms({
        trialId: trialId(),
        participant: p,
        protocolVersion: 0,
        consentFormHash: FORM,
        scope: SCOPE,
        categories: categoryMask(["Labs", "Genomic"]),
        futureContact: true,
        deadline: (await now()) + 3600n,
      });
      const nonce = await trials().nonces(p);
      const signature = await signConsent(participant(), d, terms, nonce);
      const inv = investigator();
      const attestation = await signAttestation(
        inv,
        d,
        { ...terms, consentHash: consentHash(terms, nonce) },
        SignatureMeaning.InvestigatorAttestation,
        (await now()) + 3600n,
        await trials().nonces(inv.address),
      );
      pkg = { terms, signature, investigator: attestation, witness: NO_WITNESS };
      const sent = await relayConsentPackage(trials().connect(actors.site), pkg);
      // One consent visit, one transaction: the signature and the attestation together.
      expect(sent).to.have.length(1);
      expect(await trials().isConsentValid(trialId(), p)).to.equal(true);
      expect(await trials().mayUse(trialId(), p, SCOPE)).to.equal(true);
      // A use that does not accept the consent's condition (NCU: non-commercial use only) is not covered.
      expect(await trials().mayUse(trialId(), p, encodeScope(["HMB"]))).to.equal(false);
      expect(await trials().nonces(p)).to.equal(1n);
      expect(await trials().nonces(inv.address)).to.equal(1n);
    });

    it("refuses the replayed consent with SignatureInvalid", async function () {
      const error = await trials()
        .connect(ctx().actors.site)
        .consentBySig(pkg.terms, pkg.signature)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(describeError(error, [trials().interface])).to.equal(`SignatureInvalid(${participant().address})`);
    });

    it("enrolls the consented participant", async function () {
      const { actors } = ctx();
      await (await trials().connect(actors.site).enroll(trialId(), participant().address)).wait();
      expect((await trials().trial(trialId())).enrolled).to.equal(1n);
      expect(await trials().researchCategories(trialId(), participant().address, actors.researcher.address)).to.equal(
        BigInt(categoryMask(["Labs", "Genomic"])),
      );
    });

    it("accepts the participant's signed withdrawal from a relayer; the data is no longer usable", async function () {
      const { actors } = ctx();
      const p = participant().address;
      const deadline = (await now()) + 3600n;
      const signature = await signWithdrawal(
        participant(),
        await domain(),
        trialId(),
        p,
        WithdrawalChoice.WithdrawData,
        deadline,
        await trials().nonces(p),
      );
      const tx = await trials()
        .connect(relayer())
        .withdrawBySig(trialId(), p, WithdrawalChoice.WithdrawData, p, deadline, signature);
      await tx.wait();
      expect(await trials().isConsentValid(trialId(), p)).to.equal(false);
      // The withdrawn participant's place under the cap is freed.
      expect((await trials().trial(trialId())).enrolled).to.equal(0n);
      expect(await trials().mayUse(trialId(), p, SCOPE)).to.equal(false);
      expect(await trials().researchCategories(trialId(), p, actors.researcher.address)).to.equal(0n);
      const replay = await trials()
        .connect(relayer())
        .withdrawBySig(trialId(), p, WithdrawalChoice.WithdrawData, p, deadline, signature)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(describeError(replay, [trials().interface])).to.equal(`SignatureInvalid(${p})`);
    });

    it("accepts a representative's consent only under authority the participant established, until revoked", async function () {
      const { actors } = ctx();
      const p = ctx().others[5];
      const rep = ctx().others[6];
      const d = await domain();
      const repConsent = async () => {
        const terms = consentTerms({
          trialId: trialId(),
          participant: p.address,
          signer: rep.address,
          protocolVersion: 0,
          consentFormHash: FORM,
          scope: SCOPE,
          categories: categoryMask(["Labs"]),
          futureContact: false,
          deadline: (await now()) + 3600n,
        });
        const nonce = await trials().nonces(rep.address);
        const signature = await signConsent(rep, d, terms, nonce);
        const attestation = await signAttestation(
          investigator(),
          d,
          { ...terms, consentHash: consentHash(terms, nonce) },
          SignatureMeaning.InvestigatorAttestation,
          (await now()) + 3600n,
          await trials().nonces(investigator().address),
        );
        return { terms, signature, investigator: attestation, witness: NO_WITNESS };
      };
      const early = await repConsent();
      const refused = await trials()
        .connect(actors.site)
        .consentBySig(early.terms, early.signature)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(describeError(refused, [trials().interface])).to.equal(
        `TrialsNoRepresentativeAuthority(${trialId()}, ${p.address}, ${rep.address})`,
      );
      const appointment = {
        trialId: trialId(),
        participant: p.address,
        representative: rep.address,
        endsAt: 0n,
        deadline: (await now()) + 3600n,
      };
      const sig = await signRepresentativeAppointment(p, d, appointment, await trials().nonces(p.address));
      await (await trials().connect(relayer()).appointRepresentativeBySig(appointment, sig)).wait();
      expect(await trials().isRepresentative(trialId(), p.address, rep.address)).to.equal(true);
      await relayConsentPackage(trials().connect(actors.site), await repConsent());
      expect(await trials().isConsentValid(trialId(), p.address)).to.equal(true);
      const deadline = (await now()) + 3600n;
      const revocation = await signRepresentativeRevocation(
        p,
        d,
        trialId(),
        p.address,
        deadline,
        await trials().nonces(p.address),
      );
      await (
        await trials().connect(relayer()).revokeRepresentativeBySig(trialId(), p.address, deadline, revocation)
      ).wait();
      expect(await trials().isConsentValid(trialId(), p.address)).to.equal(false);
      expect(await trials().researchCategories(trialId(), p.address, actors.researcher.address)).to.equal(0n);
    });

    it("rebuilds the participant's consent trail from events over JSON-RPC", async function () {
      const trail = await consentTrail(trials(), trialId(), participant().address);
      expect(trail.map((e) => e.kind)).to.deep.equal(["consent", "attestation", "enrollment", "withdrawal"]);
      const withdrawal = trail[3];
      expect(withdrawal.kind === "withdrawal" && withdrawal.by).to.equal(participant().address);
    });
  },
};
