/**
 * Example (c): a consent visit. The participant signs the trial's consent terms (EIP-712), the
 * investigator who held the consent discussion attests exactly those terms, and the site relays
 * the consent package in one transaction (`consentAndAttestBySig`). Neither person pays gas.
 *
 *   npm run examples -- trials
 */
import assert from "node:assert/strict";
import { id } from "ethers";
import {
  NO_WITNESS,
  SignatureMeaning,
  TrialStatus,
  categoryMask,
  connect,
  consentHash,
  describe,
  encodeScope,
  parseGLN,
  registryRefHash,
  relayConsentVisit,
  signAction,
  trialIdOf,
  withCheckDigit,
  type ConsentPackage,
} from "carechain";
import { REGISTRAR, runExample } from "./lib/devnet";

const SALT = id("example trial ONC-042");
const FORM = id("consent form v0 (the PDF's hash; the form stays with the site)");
const SCOPE = encodeScope(["HMB", "NCU"]); // DUO: health/medical/biomedical research, non-commercial use only

runExample("trials", async ({ deployment, wallets, provider }) => {
  const [registrar, sponsor, irb, site, investigator, participant] = [REGISTRAR, 8, 9, 10, 16, 17].map(
    (i) => wallets[i],
  );
  const now = async () => BigInt((await provider.getBlock("latest"))!.timestamp);

  // The registrar admits the sponsor, the IRB and the site with their roles.
  const operator = connect(deployment, registrar);
  for (const [member, role, n] of [
    [sponsor, "SPONSOR", 21],
    [irb, "IRB", 22],
    [site, "TRIAL_SITE", 23],
  ] as const) {
    await operator.registry.admit(member.address, parseGLN(withCheckDigit(`9506000000${n}`)), id(`member ${n}`));
    await operator.registry.grantRole(role, member.address);
  }

  // The sponsor registers the trial, the IRB approves it, the site names its investigator.
  const asSponsor = connect(deployment, sponsor).contracts.trials;
  const trialId = trialIdOf(sponsor.address, SALT);
  await (
    await asSponsor.registerTrial({
      salt: SALT,
      registryRefHash: registryRefHash("NCT09990042"),
      protocolHash: id("protocol v0"),
      consentFormHash: FORM,
      outcomeHash: id("primary outcome"),
      irb: irb.address,
      enrollmentCap: 10,
      witnessRequired: false,
    })
  ).wait();
  await (await connect(deployment, irb).contracts.trials.approveTrial(trialId)).wait();
  await (await asSponsor.setSite(trialId, site.address, true)).wait();
  const asSite = connect(deployment, site).trials;
  await (await asSite.contract.setInvestigator(trialId, investigator.address, true)).wait();
  await (await asSponsor.openRecruitment(trialId)).wait();
  assert.equal((await asSponsor.trial(trialId)).status, BigInt(TrialStatus.Recruiting));

  // 1. The participant signs the consent terms (domain and nonce read from the contract).
  const { terms, data, signature } = await connect(deployment, participant).trials.signConsent(participant, {
    trialId,
    participant: participant.address,
    protocolVersion: 0,
    consentFormHash: FORM,
    scope: SCOPE,
    categories: categoryMask(["Labs", "Genomic"]),
    futureContact: true,
    deadline: (await now()) + 3_600n,
  });
  console.log(`  participant signs: ${describe(data, { names: { [participant.address]: "you" } })}`);

  // 2. The investigator attests the discussion of exactly these terms (bound by their struct hash).
  const trials = connect(deployment, investigator).contracts.trials;
  const deadline = (await now()) + 3_600n;
  const attestation = await signAction(investigator, trials, "Attestation", {
    trialId,
    participant: participant.address,
    protocolVersion: terms.protocolVersion,
    consentFormHash: terms.consentFormHash,
    consentHash: consentHash(terms, await trials.nonces(participant.address)), // the nonce it was signed at
    meaning: SignatureMeaning.InvestigatorAttestation,
    signer: investigator.address,
    deadline,
  });
  console.log(`  investigator signs: ${describe(attestation.data)}`);

  // 3. The site relays the package: consent and attestation in one transaction.
  const pkg: ConsentPackage = {
    terms,
    signature,
    investigator: { signer: investigator.address, deadline, signature: attestation.signature },
    witness: NO_WITNESS, // this trial requires no impartial witness
  };
  const receipt = await (await relayConsentVisit(asSite.contract, pkg)).wait();
  assert.equal(receipt?.status, 1);

  // The consent counts, for the uses it covers only.
  assert.equal(await asSite.contract.isConsentValid(trialId, participant.address), true);
  assert.equal(await asSite.contract.mayUse(trialId, participant.address, SCOPE), true);
  assert.equal(await asSite.contract.mayUse(trialId, participant.address, encodeScope(["HMB"])), false);
  console.log(`  consent of ${participant.address} to trial ${trialId.slice(0, 10)}… is valid`);
});
