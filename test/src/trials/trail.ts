import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SignatureMeaning, WithdrawalChoice, consentTrail } from "../../../src/trials";
import { consent, recruitingTrialFixture } from "../../trials/fixture";

describe("SDK trials: consentTrail", function () {
  it("lists a participant's signatures, attestations, enrollment and withdrawal in chain order", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const [p, other] = ctx.participants;
    await consent(ctx, p, { signer: ctx.representative.address, key: ctx.representative });
    await consent(ctx, other);
    await ctx.trials.connect(ctx.site).enroll(ctx.trialId, p.address);
    await consent(ctx, p, { scope: 0b1 });
    await ctx.trials.connect(p).withdraw(ctx.trialId, p.address, WithdrawalChoice.NoFurtherCollection);

    const trail = await consentTrail(ctx.trials, ctx.trialId, p.address);
    expect(trail.map((e) => e.kind)).to.deep.equal([
      "consent",
      "attestation",
      "enrollment",
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
    const last = trail[5];
    if (last.kind !== "withdrawal") throw new Error("unreachable");
    expect(last.by).to.equal(p.address);
    expect(last.choice).to.equal(WithdrawalChoice.NoFurtherCollection);
    for (let i = 1; i < trail.length; i++) {
      expect(trail[i].blockNumber * 1000 + trail[i].logIndex).to.be.gt(
        trail[i - 1].blockNumber * 1000 + trail[i - 1].logIndex,
      );
    }
    // Another participant's events are not in the trail.
    expect((await consentTrail(ctx.trials, ctx.trialId, other.address)).length).to.equal(2);
  });
});
