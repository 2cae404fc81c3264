import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet } from "ethers";
import type { GasRow } from "./rows";
import { gasOf } from "./rows";
import {
  consentPackage,
  deployTrialsFixture,
  prepareTrial,
  registration,
  relay,
  relayInvestigator,
  relaySignature,
  relayVisit,
} from "../test/trials/fixture";
import {
  ReconsentPolicy,
  WithdrawalChoice,
  diseaseCodeHash,
  encodeScope,
  signRepresentativeAppointment,
  signRepresentativeDetermination,
  signWithdrawal,
} from "../src/trials";

/**
 * Trials costs against fresh deployments (issue 7 budgets). One signature kind per call:
 * consentBySig records the participant's signature for a participant seen for the first time (its
 * nonce and its consent slot go from zero to non-zero: the expensive case); attestBySig the
 * investigator's (same budget as consentBySig, the figure per signature kind). withdraw is
 * the budget (direct call); withdrawBySig has its own budget, set here (the signer's nonce
 * and its ecrecover add ~15,000 gas; a signer who never signed before pays 17,100 more for the
 * nonce slot). "consentBySig (DS scope)" has its own budget too: a disease-specific consent stores
 * its salted disease-code hash in one more slot (+22,100 gas), above the 110,000.
 * Issue 10 raised the consent budgets (110,000 → 135,000; DS 135,000 → 160,000): a consent stores
 * the EIP-712 struct hash of the terms signed (one more new slot, +22,100) so that attestations
 * bind to those exact terms, and ClinicalTrials is compiled at 200 optimizer runs to stay under
 * EIP-170. The representative operations (appointment, determination, confirmation, revocation,
 * IRB end, a representative's consent) have budgets set here, ~10% above their first measurement.
 * Issue 11: consentAndAttestBySig (a consent visit in one transaction: the participant's signature
 * and the investigator's attestation) has its budget set here, ~10% above its first measurement
 * (150,769; the issue's ~128,000 was estimated before issue 10 added the terms-hash slot).
 */
export async function trialsGasRows(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  const rows: GasRow[] = [];
  const ctx = await deployTrialsFixture();
  const { trials, sponsor, irb, site, trialId } = ctx;
  const cap = 2_000;
  const register = await gasOf(trials.connect(sponsor).registerTrial(registration(ctx, { enrollmentCap: cap })));
  rows.push({ domain: "trials", operation: "registerTrial", scale: null, gasUsed: register, budget: 170_000 });
  await prepareTrial(ctx, true);

  // The first participant: consent (its signer's nonce and record are new), attestation (the
  // investigator's very first, so its nonce is new too), enrollment, then isConsentValid at 1.
  const p = ctx.participants[0];
  const pkg = await consentPackage(ctx, p);
  const consent = await gasOf(relaySignature(ctx, pkg));
  // Issue 10: +22,100 for the signed terms' struct hash (a new slot the attestations bind to).
  rows.push({ domain: "trials", operation: "consentBySig", scale: null, gasUsed: consent, budget: 135_000 });
  const firstAttest = await gasOf(relayInvestigator(ctx, pkg));
  rows.push({
    domain: "trials",
    operation: "attestBySig (first)",
    scale: null,
    gasUsed: firstAttest,
    budget: 110_000,
  });
  const enroll = await gasOf(trials.connect(site).enroll(trialId, p.address));
  rows.push({ domain: "trials", operation: "enroll", scale: null, gasUsed: enroll, budget: 60_000 });
  const estimate = async () =>
    Number(
      await hre.ethers.provider.estimateGas({
        to: await trials.getAddress(),
        data: trials.interface.encodeFunctionData("isConsentValid", [trialId, p.address]),
      }),
    );
  rows.push({ domain: "trials", operation: "isConsentValid", scale: 1, gasUsed: await estimate(), budget: 40_000 });

  // Steady state: an attestation by an investigator who attested before.
  const q = ctx.participants[1];
  const qPkg = await consentPackage(ctx, q);
  await relaySignature(ctx, qPkg);
  const attest = await gasOf(relayInvestigator(ctx, qPkg));
  rows.push({ domain: "trials", operation: "attestBySig", scale: null, gasUsed: attest, budget: 110_000 });
  // Issue 11: one consent visit, one transaction: a new participant's signature and the (steady
  // state) investigator's attestation together, against consentBySig + attestBySig above.
  const visit = await gasOf(relayVisit(ctx, await consentPackage(ctx, Wallet.createRandom())));
  // 150.8k against 195.8k for the two calls: the issue's ~128k predates issue 10's terms-hash slot (+22,100).
  rows.push({ domain: "trials", operation: "consentAndAttestBySig", scale: null, gasUsed: visit, budget: 165_000 });
  // A disease-specific (DS) consent also stores its salted disease-code hash: one more new slot.
  const ds = await consentPackage(ctx, ctx.participants[2], {
    scope: encodeScope(["DS"]),
    diseaseCodeHash: diseaseCodeHash("C50", hre.ethers.id("trial secret")),
  });
  const consentDs = await gasOf(relaySignature(ctx, ds));
  rows.push({
    domain: "trials",
    operation: "consentBySig (DS scope)",
    scale: null,
    gasUsed: consentDs,
    budget: 160_000,
  });
  await relayInvestigator(ctx, ds);

  // isConsentValid again with 1,000 participants consented.
  for (let i = 4; i <= 1_000; i++) await relay(ctx, await consentPackage(ctx, Wallet.createRandom()));
  rows.push({ domain: "trials", operation: "isConsentValid", scale: 1_000, gasUsed: await estimate(), budget: 40_000 });

  // Approving an amendment that requires re-consent of all: at 1 consent (a second trial) and at
  // 1,000 (this one) — the same write either way.
  const amend = async (id: string) => {
    await trials
      .connect(sponsor)
      .proposeAmendment(
        id,
        hre.ethers.id("p1"),
        hre.ethers.id("f1"),
        ReconsentPolicy.AllParticipants,
        hre.ethers.ZeroHash,
      );
    return gasOf(trials.connect(irb).approveAmendment(id, 1));
  };
  const small = registration(ctx, { salt: hre.ethers.id("second trial") });
  const smallId = await trials.connect(sponsor).registerTrial.staticCall(small);
  await trials.connect(sponsor).registerTrial(small);
  await trials.connect(irb).approveTrial(smallId);
  await trials.connect(sponsor).setSite(smallId, site.address, true);
  await trials.connect(site).setInvestigator(smallId, ctx.investigator.address, true);
  await relay({ ...ctx, trialId: smallId }, await consentPackage({ ...ctx, trialId: smallId }, Wallet.createRandom()));
  rows.push({
    domain: "trials",
    operation: "approveAmendment",
    scale: 1,
    gasUsed: await amend(smallId),
    budget: 60_000,
  });
  rows.push({
    domain: "trials",
    operation: "approveAmendment",
    scale: 1_000,
    gasUsed: await amend(trialId),
    budget: 60_000,
  });

  const v = ctx.participants[4];
  await relay(ctx, await consentPackage(ctx, v));
  const withdraw = await gasOf(trials.connect(v).withdraw(trialId, v.address, WithdrawalChoice.WithdrawData));
  rows.push({ domain: "trials", operation: "withdraw", scale: null, gasUsed: withdraw, budget: 45_000 });
  const r = ctx.participants[5];
  await relay(ctx, await consentPackage(ctx, r));
  const deadline = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp + 3600);
  const sig = await signWithdrawal(
    r,
    ctx.domain,
    trialId,
    r.address,
    WithdrawalChoice.NoFurtherCollection,
    deadline,
    await trials.nonces(r.address),
  );
  const withdrawBySig = await gasOf(
    trials.withdrawBySig(trialId, r.address, WithdrawalChoice.NoFurtherCollection, r.address, deadline, sig),
  );
  rows.push({ domain: "trials", operation: "withdrawBySig", scale: null, gasUsed: withdrawBySig, budget: 50_000 });

  // Representatives (issue 10). The participant appoints directly, then by signature (a new
  // participant: its nonce slot is new); the representative consents for the first time.
  const now = async () => BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const rp = ctx.participants[6];
  const rep = ctx.representative;
  const appoint = await gasOf(trials.connect(rp).appointRepresentative(trialId, rep.address, 0n));
  rows.push({ domain: "trials", operation: "appointRepresentative", scale: null, gasUsed: appoint, budget: 60_000 });
  const repConsent = await gasOf(relaySignature(ctx, await consentPackage(ctx, rp, { signer: rep.address, key: rep })));
  rows.push({
    domain: "trials",
    operation: "consentBySig (LAR)",
    scale: null,
    gasUsed: repConsent,
    budget: 160_000,
  });
  const revoke = await gasOf(trials.connect(rp).revokeRepresentative(trialId));
  rows.push({ domain: "trials", operation: "revokeRepresentative", scale: null, gasUsed: revoke, budget: 40_000 });
  const sp = Wallet.createRandom();
  const a = {
    trialId,
    participant: sp.address,
    representative: rep.address,
    endsAt: 0n,
    deadline: (await now()) + 3600n,
  };
  const aSig = await signRepresentativeAppointment(sp, ctx.domain, a, 0n);
  const appointBySig = await gasOf(trials.connect(site).appointRepresentativeBySig(a, aSig));
  rows.push({
    domain: "trials",
    operation: "appointRepresentativeBySig",
    scale: null,
    gasUsed: appointBySig,
    budget: 95_000,
  });
  // A participant lacking capacity: the investigator's determination, then the IRB's confirmation and end.
  const lp = Wallet.createRandom().address;
  const d = {
    trialId,
    participant: lp,
    representative: rep.address,
    endsAt: 0n,
    basisHash: hre.ethers.id("capacity assessment"),
    investigator: ctx.investigator.address,
    deadline: (await now()) + 3600n,
  };
  const dSig = await signRepresentativeDetermination(
    ctx.investigator,
    ctx.domain,
    d,
    await trials.nonces(ctx.investigator.address),
  );
  const determine = await gasOf(trials.connect(site).determineRepresentativeBySig(d, dSig));
  rows.push({
    domain: "trials",
    operation: "determineRepresentativeBySig",
    scale: null,
    gasUsed: determine,
    budget: 90_000,
  });
  const confirm = await gasOf(trials.connect(irb).confirmRepresentative(trialId, lp, rep.address, 0n, d.basisHash));
  rows.push({ domain: "trials", operation: "confirmRepresentative", scale: null, gasUsed: confirm, budget: 70_000 });
  const end = await gasOf(trials.connect(irb).endRepresentative(trialId, lp));
  rows.push({ domain: "trials", operation: "endRepresentative", scale: null, gasUsed: end, budget: 50_000 });
  return rows;
}
