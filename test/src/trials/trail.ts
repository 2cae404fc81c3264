import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ReconsentPolicy, SignatureMeaning, WithdrawalChoice, consentTrail } from "../../../src/trials";
import { appoint, consent, recruitingTrialFixture } from "../../trials/fixture";

describe("SDK trials: consentTrail", function () {
  it("lists a participant's signatures, attestations, enrollment and withdrawal in chain order", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const [p, other] = ctx.participants;
    await appoint(ctx, p);
    await consent(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
    await consent(ctx, other);
    await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address);
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
    await consent(ctx, p, { scope: 0b1 });
    await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection);

    const trail = await consentTrail(ctx.trials, ctx.trialId, p.address);
    expect(trail.map((e) => e.kind)).to.deep.equal([
      "consent",
      "attestation",
      "enrollment",
      "amendment",
      "consent",
      "attestation",
      "withdrawal",
    ]);
    const first = trail[0];
    if (first.kind !== "consent") throw new Error("unreachable");
    expect(first.signer).to.equal(ctx.representative.address);
    expect(first.meaning).to.equal(SignatureMeaning.RepresentativeConsent);
    expect(first.scope).to.deep.equal(["HMB", "NCU"]);
    const attestation = trail[1];
    if (attestation.kind !== "attestation") throw new Error("unreachable");
    expect(attestation.signer).to.equal(ctx.investigator.address);
    expect(attestation.site).to.equal(ctx.site.address);
    const amendment = trail[3];
    if (amendment.kind !== "amendment") throw new Error("unreachable");
    expect([amendment.amendmentId, amendment.minVersionAll, amendment.minVersionNew]).to.deep.equal([1, 1, 1]);
    const reconsent = trail[4];
    if (reconsent.kind !== "consent") throw new Error("unreachable");
    expect(reconsent.protocolVersion).to.equal(1);
    const last = trail[6];
    if (last.kind !== "withdrawal") throw new Error("unreachable");
    expect(last.by).to.equal(p.address);
    expect(last.choice).to.equal(WithdrawalChoice.NoFurtherCollection);
    for (let i = 1; i < trail.length; i++) {
      expect(trail[i].blockNumber * 1000 + trail[i].logIndex).to.be.gt(
        trail[i - 1].blockNumber * 1000 + trail[i - 1].logIndex,
      );
    }
    // Another participant's events are not in the trail.
    expect((await consentTrail(ctx.trials, ctx.trialId, other.address)).map((e) => e.kind)).to.deep.equal([
      "consent",
      "attestation",
      "amendment",
    ]);
  });
});
