import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { RecordAccess } from "../../typechain-types";
import { recruitingTrialFixture, consent } from "../trials/fixture";
import { categoryMask, Purpose, RecordCategory } from "../../src/categories";
import { AccessReason, DenyScope, signLinkResearchParticipant } from "../../src/records";
import { ReconsentPolicy, WithdrawalChoice } from "../../src/trials";

// Research access across the two deployed domains, as users deploy them (root Ignition module):
// the records contract asks the trials contract what a researcher may read, per the participant's
// valid consent. No separate grant; it ends in the same block as a withdrawal or a re-consent amendment.
describe("Research access: records ↔ trials (integration)", function () {
  async function fixture() {
    const ctx = await recruitingTrialFixture();
    const records = ctx.deployed.records as unknown as RecordAccess;
    const participant = ctx.participants[0];
    const when = BigInt(await time.latest()) - 86_400n;
    const ids = {
      labs: ethers.id("record:labs"),
      mental: ethers.id("record:mental"),
      genomic: ethers.id("record:genomic"),
    };
    const register = (id: string, category: number) =>
      records
        .connect(ctx.hospital)
        .registerRecord(participant.address, id, category, ethers.id(`ciphertext:${id}`), when);
    await register(ids.labs, RecordCategory.Labs);
    await register(ids.mental, RecordCategory.MentalHealth);
    await register(ids.genomic, RecordCategory.Genomic);
    await consent(ctx, participant, { categories: categoryMask(["Labs", "Imaging"]) });
    return { ...ctx, records, participant, ids };
  }

  async function research(f: Awaited<ReturnType<typeof fixture>>, recordId: string, researcher = f.researcher.address) {
    const [allowed, reason] = await f.records.canAccessForResearch(
      f.trialId,
      f.participant.address,
      researcher,
      recordId,
    );
    return { allowed, reason: Number(reason) };
  }

  it("is wired to the deployed trials contract", async function () {
    const f = await loadFixture(fixture);
    expect(await f.records.researchConsent()).to.equal(await f.trials.getAddress());
  });

  it("lets the trial's researcher read the categories the valid consent covers, and nothing else", async function () {
    const f = await loadFixture(fixture);
    expect(await f.trials.isConsentValid(f.trialId, f.participant.address)).to.equal(true);
    expect(await research(f, f.ids.labs)).to.deep.equal({ allowed: true, reason: AccessReason.ResearchConsent });
    expect((await research(f, f.ids.mental)).allowed).to.equal(false);
    expect((await research(f, f.ids.genomic)).allowed).to.equal(false);
  });

  it("refuses a researcher who is not the trial's, and the general canAccess path without a grant", async function () {
    const f = await loadFixture(fixture);
    expect((await research(f, f.ids.labs, f.specialist.address)).allowed).to.equal(false);
    const [allowed] = await f.records.canAccess(
      f.participant.address,
      f.researcher.address,
      f.ids.labs,
      Purpose.Research,
    );
    expect(allowed).to.equal(false);
  });

  it("stops in the same block as a withdrawal, whichever the choice", async function () {
    for (const choice of [WithdrawalChoice.NoFurtherCollection, WithdrawalChoice.WithdrawData]) {
      const f = await loadFixture(fixture);
      await f.trials.connect(f.participant).withdraw(f.trialId, f.participant.address, choice);
      expect((await research(f, f.ids.labs)).allowed, `choice ${choice}`).to.equal(false);
    }
  });

  it("stops when an amendment requiring re-consent is approved, and resumes after re-consent", async function () {
    const f = await loadFixture(fixture);
    const id = await f.trials
      .connect(f.sponsor)
      .proposeAmendment.staticCall(
        f.trialId,
        ethers.id("protocol v1"),
        ethers.id("form v1"),
        ReconsentPolicy.AllParticipants,
        ethers.ZeroHash,
      );
    await f.trials
      .connect(f.sponsor)
      .proposeAmendment(
        f.trialId,
        ethers.id("protocol v1"),
        ethers.id("form v1"),
        ReconsentPolicy.AllParticipants,
        ethers.ZeroHash,
      );
    expect((await research(f, f.ids.labs)).allowed, "before the IRB decides").to.equal(true);
    await f.trials.connect(f.irb).approveAmendment(f.trialId, id);
    expect((await research(f, f.ids.labs)).allowed, "after approval").to.equal(false);
    await consent(f, f.participant, { categories: categoryMask(["Labs"]) });
    expect((await research(f, f.ids.labs)).allowed, "after re-consent").to.equal(true);
  });

  it("lets a patient's deny rule beat research consent", async function () {
    const f = await loadFixture(fixture);
    // Labs denied to everyone except the hospital: the patient-wide deny rule.
    await f.records
      .connect(f.participant)
      .setDenyRule(f.participant.address, DenyScope.AllExcept, f.hospital.address, categoryMask(["Labs"]));
    expect(await research(f, f.ids.labs)).to.deep.equal({ allowed: false, reason: AccessReason.Denied });
  });

  it("reads a patient's records through the participant address it linked by signature, until it unlinks (issue 10, finding 5)", async function () {
    const f = await loadFixture(fixture);
    // The person's records live under another address than its trial participant address.
    const patient = ethers.Wallet.createRandom();
    const recordId = ethers.id("record:labs of the records address");
    await f.records
      .connect(f.hospital)
      .registerRecord(
        patient.address,
        recordId,
        RecordCategory.Labs,
        ethers.id("ciphertext"),
        BigInt(await time.latest()) - 60n,
      );
    const ask = async () => {
      const [allowed, reason] = await f.records.canAccessForResearch(
        f.trialId,
        patient.address,
        f.researcher.address,
        recordId,
      );
      return { allowed, reason: Number(reason) };
    };
    expect(await ask()).to.deep.equal({ allowed: false, reason: AccessReason.NoResearchConsent });
    const domain = {
      chainId: (await ethers.provider.getNetwork()).chainId,
      verifyingContract: await f.records.getAddress(),
    };
    const link = async (participant: string) => {
      const message = {
        patient: patient.address,
        trialId: f.trialId,
        participant,
        nonce: await f.records.nonces(patient.address),
        deadline: BigInt(await time.latest()) + 3600n,
      };
      const signature = await signLinkResearchParticipant(patient, domain, message);
      // Relayed: the patient's records address needs no ether.
      await f.records
        .connect(f.hospital)
        .linkResearchParticipantBySig(patient.address, f.trialId, participant, message.deadline, signature);
    };
    await link(f.participant.address);
    expect(await ask()).to.deep.equal({ allowed: true, reason: AccessReason.ResearchConsent });
    // Unlinking ends it at once; linked again, the participant's withdrawal ends it too.
    await link(ethers.ZeroAddress);
    expect(await ask()).to.deep.equal({ allowed: false, reason: AccessReason.NoResearchConsent });
    await link(f.participant.address);
    await f.trials
      .connect(f.participant)
      .withdraw(f.trialId, f.participant.address, WithdrawalChoice.NoFurtherCollection);
    expect(await ask()).to.deep.equal({ allowed: false, reason: AccessReason.NoResearchConsent });
  });
});
