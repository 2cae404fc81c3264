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
} from "../test/trials/fixture";
import { ReconsentPolicy, WithdrawalChoice, signWithdrawal } from "../src/trials";

/**
 * Trials costs against fresh deployments (issue 7 budgets). One signature kind per call:
 * consentBySig records the participant's signature for a participant seen for the first time (its
 * nonce and its consent slot go from zero to non-zero: the expensive case); attestBySig the
 * investigator's (same budget as consentBySig, the figure per signature kind). withdraw is
 * the budget (direct call); withdrawBySig has its own budget, set here (the signer's nonce
 * and its ecrecover add ~15,000 gas; a signer who never signed before pays 17,100 more for the
 * nonce slot).
 */
export async function trialsGasRows(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  const rows: GasRow[] = [];
  const ctx = await deployTrialsFixture();
  const { trials, sponsor, irb, site, trialId } = ctx;
  const cap = 2_000;
  const register = await gasOf(trials.connect(sponsor).registerTrial(registration(ctx, { enrollmentCap: cap })));
  rows.push({ domain: "trials", operation: "registerTrial", scale: null, gasUsed: register, budget: 170_000 });
  await prepareTrial(ctx, true);
  // Warm the investigator's nonce as in steady state (every consent after the first).
  await relay(ctx, await consentPackage(ctx, Wallet.createRandom()));

  const p = ctx.participants[0];
  const pkg = await consentPackage(ctx, p);
  const consent = await gasOf(relaySignature(ctx, pkg));
  rows.push({ domain: "trials", operation: "consentBySig", scale: null, gasUsed: consent, budget: 110_000 });
  const attest = await gasOf(relayInvestigator(ctx, pkg));
  rows.push({ domain: "trials", operation: "attestBySig", scale: null, gasUsed: attest, budget: 110_000 });
  const enroll = await gasOf(trials.connect(site).enroll(trialId, p.address));
  rows.push({ domain: "trials", operation: "enroll", scale: null, gasUsed: enroll, budget: 60_000 });

  // isConsentValid at 1 participant, then at 1,000 (consents recorded in between).
  const estimate = async () =>
    Number(
      await hre.ethers.provider.estimateGas({
        to: await trials.getAddress(),
        data: trials.interface.encodeFunctionData("isConsentValid", [trialId, p.address]),
      }),
    );
  rows.push({ domain: "trials", operation: "isConsentValid", scale: 1, gasUsed: await estimate(), budget: 40_000 });
  for (let i = 2; i <= 1_000; i++) await relay(ctx, await consentPackage(ctx, Wallet.createRandom()));
  rows.push({ domain: "trials", operation: "isConsentValid", scale: 1_000, gasUsed: await estimate(), budget: 40_000 });

  // Approving an amendment that requires re-consent of all 1,000: the same cost as at 1.
  const id = await trials
    .connect(sponsor)
    .proposeAmendment.staticCall(
      trialId,
      hre.ethers.id("p1"),
      hre.ethers.id("f1"),
      ReconsentPolicy.AllParticipants,
      hre.ethers.ZeroHash,
    );
  await trials
    .connect(sponsor)
    .proposeAmendment(
      trialId,
      hre.ethers.id("p1"),
      hre.ethers.id("f1"),
      ReconsentPolicy.AllParticipants,
      hre.ethers.ZeroHash,
    );
  const approve = await gasOf(trials.connect(irb).approveAmendment(trialId, id));
  rows.push({ domain: "trials", operation: "approveAmendment", scale: 1_000, gasUsed: approve, budget: 60_000 });

  const q = ctx.participants[1];
  await relay(ctx, await consentPackage(ctx, q));
  const withdraw = await gasOf(trials.connect(q).withdraw(trialId, q.address, WithdrawalChoice.WithdrawData));
  rows.push({ domain: "trials", operation: "withdraw", scale: null, gasUsed: withdraw, budget: 45_000 });
  const r = ctx.participants[2];
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
  return rows;
}
