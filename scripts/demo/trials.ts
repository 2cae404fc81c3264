import { Wallet } from "ethers";
import type { DemoContext } from "./context";
import { section, step, table, short } from "./narrate";
import type { ClinicalTrials, RecordAccess } from "../../typechain-types";
import { AccessReason } from "../../src/records";
import { describeError } from "../../src/errors";
import { RecordCategory, categoriesOf, categoryMask } from "../../src/categories";
import {
  OutcomeReport,
  ReconsentPolicy,
  SignatureMeaning,
  TrialStatus,
  WithdrawalChoice,
  consentHash,
  consentTerms,
  consentTrail,
  decodeScope,
  duoIdsOf,
  encodeScope,
  registryRefHash,
  relayConsentPackage,
  signAttestation,
  signConsent,
  signRepresentativeDetermination,
  signWithdrawal,
  trialIdOf,
  trialsDomain,
  NO_WITNESS,
} from "../../src/trials";

/**
 * Part 4 of the story: a trial registered with its outcome pre-registered, approved by its IRB;
 * two participants consent by signature (one through a legally authorised representative, whose
 * authority the investigator determines and the IRB confirms on chain before she signs); an
 * amendment requires re-consent; one re-consents, one withdraws; the researcher's access follows;
 * results are checked against the pre-registered outcome.
 */
export async function runTrialsDemo(ctx: DemoContext): Promise<void> {
  const { hre, actors } = ctx;
  const { ethers } = hre;
  const { sponsor, irb, site, researcher } = actors;
  const trials = (await ethers.getContractAt("ClinicalTrials", ctx.deployed.trials)) as unknown as ClinicalTrials;
  const domain = trialsDomain((await ethers.provider.getNetwork()).chainId, ctx.deployed.trials);
  const why = (e: unknown) => describeError(e);
  const gas = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    (await (await tx).wait())!.gasUsed.toLocaleString("en-US");
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  // People who are not consortium members sign only: fixed keys (deterministic), no ETH needed.
  const alice = new Wallet(ethers.id("demo participant: Alice"));
  const bob = new Wallet(ethers.id("demo participant: Bob (a minor)"));
  const bobsMother = new Wallet(ethers.id("demo representative: Bob's mother"));
  const investigator = new Wallet(ethers.id("demo investigator: Dr. Rivera"));
  const names: Record<string, string> = {
    [alice.address]: "Alice",
    [bob.address]: "Bob (minor)",
    [bobsMother.address]: "Bob's mother (LAR)",
    [investigator.address]: "Dr. Rivera (investigator)",
    [site.address]: "City Trial Site",
  };

  section("Clinical trial: registered with its protocol and primary outcome committed");
  const salt = ethers.id("ACME-ONC-001");
  const trialId = trialIdOf(sponsor.address, salt);
  const doc = (text: string) => ethers.id(text); // stands in for the hash of a PDF
  const registration = {
    salt,
    registryRefHash: registryRefHash("NCT01234567"),
    protocolHash: doc("ACME-ONC-001 protocol v0"),
    consentFormHash: doc("ACME-ONC-001 informed consent form v0"),
    outcomeHash: doc("primary outcome: progression-free survival at 12 months"),
    irb: irb.address,
    enrollmentCap: 100,
    witnessRequired: false,
  };
  step(
    `sponsor registers trial ${short(trialId)} (NCT01234567 → ${short(registration.registryRefHash)}), cap 100: ${await gas(trials.connect(sponsor).registerTrial(registration))} gas`,
  );
  step(`the primary outcome is committed before any data: ${short(registration.outcomeHash)}`);
  await (await trials.connect(sponsor).setSite(trialId, site.address, true)).wait();
  const early = consentTerms({
    trialId,
    participant: alice.address,
    protocolVersion: 0,
    consentFormHash: registration.consentFormHash,
    scope: encodeScope(["HMB"]),
    categories: 0,
    futureContact: false,
    deadline: (await now()) + 3600n,
  });
  const refused = await trials
    .connect(site)
    .consentBySig.staticCall(early, await signConsent(alice, domain, early, await trials.nonces(alice.address)))
    .then(() => "accepted (unexpected)")
    .catch(why);
  step(`before IRB approval a consent is refused: ${refused}`);
  await (await trials.connect(irb).approveTrial(trialId)).wait();
  step("the IRB approves the trial; the sponsor names its site and researcher; the site registers its investigator");
  await (await trials.connect(sponsor).setResearcher(trialId, researcher.address, true)).wait();
  await (await trials.connect(site).setInvestigator(trialId, investigator.address, true)).wait();
  await (await trials.connect(sponsor).openRecruitment(trialId)).wait();
  step(`recruitment open: ${TrialStatus[Number((await trials.trial(trialId)).status)]}`);

  async function consentOf(
    participant: Wallet,
    signer: Wallet,
    scope: string[],
    categories: number,
    futureContact: boolean,
  ) {
    const t = await trials.trial(trialId);
    const form = (await trials.amendment(trialId, t.protocolVersion)).consentFormHash;
    const deadline = (await now()) + 3600n;
    const terms = consentTerms({
      trialId,
      participant: participant.address,
      signer: signer.address,
      protocolVersion: Number(t.protocolVersion),
      consentFormHash: form,
      scope: encodeScope(scope),
      categories,
      futureContact,
      deadline,
    });
    const nonce = await trials.nonces(signer.address);
    const signature = await signConsent(signer, domain, terms, nonce);
    // The investigator attests these exact terms: their EIP-712 struct hash at the signer's nonce.
    const attestation = await signAttestation(
      investigator,
      domain,
      { ...terms, consentHash: consentHash(terms, nonce) },
      SignatureMeaning.InvestigatorAttestation,
      deadline,
      await trials.nonces(investigator.address),
    );
    const sent = await relayConsentPackage(trials.connect(site), {
      terms,
      signature,
      investigator: attestation,
      witness: NO_WITNESS,
    });
    const used = [];
    for (const s of sent) used.push((await s.wait())!.gasUsed.toLocaleString("en-US"));
    return { terms, used };
  }
  const a = await consentOf(alice, alice, ["HMB", "NCU"], categoryMask(["Labs", "Imaging", "Genomic"]), true);

  section("A legally authorised representative: established on chain before she signs");
  const early2 = await consentOf(bob, bobsMother, ["HMB", "PUB"], categoryMask(["Labs"]), false)
    .then(() => "accepted (unexpected)")
    .catch(why);
  step(`Bob's mother signs for him before any authority exists: refused, ${early2}`);
  const determination = {
    trialId,
    participant: bob.address,
    representative: bobsMother.address,
    endsAt: 0n,
    basisHash: doc("capacity assessment + parental-permission record, kept at the site"), // a hash, never the document
    investigator: investigator.address,
    deadline: (await now()) + 3600n,
  };
  const determined = await signRepresentativeDetermination(
    investigator,
    domain,
    determination,
    await trials.nonces(investigator.address),
  );
  step(
    `Dr. Rivera determines that Bob cannot consent himself and that his mother is his LAR (basis ${short(determination.basisHash)}); the site relays it: ${await gas(trials.connect(site).determineRepresentativeBySig(determination, determined))} gas`,
  );
  step(
    `no authority yet (the IRB must confirm): ${await trials.isRepresentative(trialId, bob.address, bobsMother.address)}`,
  );
  step(
    `the IRB confirms in its own transaction: ${await gas(trials.connect(irb).confirmRepresentative(trialId, bob.address, bobsMother.address, 0n, determination.basisHash))} gas; authority ${(await trials.representation(trialId, bob.address)).authorityId} in force: ${await trials.isRepresentative(trialId, bob.address, bobsMother.address)}`,
  );
  section("Consent by EIP-712 signature, attested by the investigator, relayed by the site");
  const b = await consentOf(bob, bobsMother, ["HMB", "PUB"], categoryMask(["Labs"]), false);
  const consentRows = [];
  for (const c of [a, b]) {
    consentRows.push({
      participant: names[c.terms.participant],
      "signed by": names[c.terms.signer],
      meaning: SignatureMeaning[c.terms.meaning],
      "DUO scope": `${decodeScope(c.terms.scope).join("+")} (${duoIdsOf(c.terms.scope).join(", ")})`,
      categories: categoriesOf(c.terms.categories).join(","),
      "gas (signature / attestation)": c.used.join(" / "),
      valid: String(await trials.isConsentValid(trialId, c.terms.participant)),
    });
  }
  table(consentRows);
  for (const p of [alice, bob]) await (await trials.connect(site).enroll(trialId, p.address)).wait();
  step(`the site enrolls both: ${(await trials.trial(trialId)).enrolled} of 100`);

  // The hospital holds a labs record of each participant: the records domain asks the trials
  // contract whether the researcher may read it, per the participant's consent (no separate grant).
  const records = (await ethers.getContractAt("RecordAccess", ctx.deployed.records)) as unknown as RecordAccess;
  const labsRecord: Record<string, string> = {};
  for (const p of [alice, bob]) {
    labsRecord[p.address] = ethers.id(`demo labs record of ${names[p.address]}`);
    await (
      await records
        .connect(actors.hospital)
        .registerRecord(
          p.address,
          labsRecord[p.address],
          RecordCategory.Labs,
          doc(`ciphertext ${p.address}`),
          (await now()) - 86_400n,
        )
    ).wait();
  }
  async function accessTable(title: string) {
    step(title);
    const rows = [];
    for (const p of [alice, bob]) {
      const [readsLabs, reason] = await records.canAccessForResearch(
        trialId,
        p.address,
        researcher.address,
        labsRecord[p.address],
      );
      rows.push({
        participant: names[p.address],
        "consent valid": String(await trials.isConsentValid(trialId, p.address)),
        "researcher may read":
          categoriesOf(Number(await trials.researchCategories(trialId, p.address, researcher.address))).join(",") ||
          "nothing",
        "records: labs record": `${readsLabs ? "readable" : "refused"} (${AccessReason[Number(reason)]})`,
        "mayUse HMB, non-commercial, published": String(
          await trials.mayUse(trialId, p.address, encodeScope(["HMB", "NCU", "PUB"])),
        ),
        "mayUse HMB, commercial": String(await trials.mayUse(trialId, p.address, encodeScope(["HMB", "PUB"]))),
      });
    }
    table(rows);
  }
  await accessTable(
    "what the researcher may read of each participant's records (records domain asks researchCategories)",
  );

  section("An amendment that requires re-consent of every participant (one write, no loop)");
  const v1 = [
    trialId,
    doc("protocol v1: new safety monitoring"),
    doc("informed consent form v1"),
    ReconsentPolicy.AllParticipants,
    ethers.ZeroHash,
  ] as const;
  const amendmentId = await trials.connect(sponsor).proposeAmendment.staticCall(...v1);
  await (await trials.connect(sponsor).proposeAmendment(...v1)).wait();
  step(
    `sponsor proposes amendment ${amendmentId}; before the IRB decides, Alice's consent is still valid: ${await trials.isConsentValid(trialId, alice.address)}`,
  );
  step(
    `the IRB approves it: ${await gas(trials.connect(irb).approveAmendment(trialId, amendmentId))} gas, whatever the number of participants`,
  );
  await accessTable("older consents stop counting in the same block");
  const again = await consentOf(alice, alice, ["HMB", "NCU"], categoryMask(["Labs", "Imaging"]), true);
  step(`Alice re-consents on form v1 (Labs, Imaging): ${again.used.join(" + ")} gas`);
  const deadline = (await now()) + 3600n;
  const withdrawal = await signWithdrawal(
    bobsMother,
    domain,
    trialId,
    bob.address,
    WithdrawalChoice.WithdrawData,
    deadline,
    await trials.nonces(bobsMother.address),
  );
  step(
    `Bob's mother withdraws him ("withdraw my data"), by signature relayed by the site: ${await gas(trials.connect(site).withdrawBySig(trialId, bob.address, WithdrawalChoice.WithdrawData, bobsMother.address, deadline, withdrawal))} gas`,
  );
  step(`Bob's place under the cap is freed: enrolled ${(await trials.trial(trialId)).enrolled} of 100`);
  await accessTable("the researcher's access follows consent");

  section("Results, checked against the pre-registered primary outcome");
  await (await trials.connect(sponsor).closeTrial(trialId)).wait();
  const results = doc("ACME-ONC-001 clinical study report");
  const switched = await trials
    .connect(sponsor)
    .postResults.staticCall(trialId, results, doc("a secondary outcome that looked better"));
  step(`had the sponsor reported another outcome, it would be recorded as: ${OutcomeReport[Number(switched)]}`);
  await (await trials.connect(sponsor).postResults(trialId, results, registration.outcomeHash)).wait();
  const t = await trials.trial(trialId);
  step(
    `results ${short(results)} posted with the registered outcome: ${OutcomeReport[Number(t.outcomeReport)]}; status ${TrialStatus[Number(t.status)]}`,
  );
  step("Alice's consent trail, from indexed events:");
  table(
    (await consentTrail(trials, trialId, alice.address)).map((e) => {
      const who = "signer" in e ? e.signer : "site" in e ? e.site : "by" in e ? e.by : "";
      let what = "";
      if (e.kind === "consent") what = `${SignatureMeaning[e.meaning]}, v${e.protocolVersion}, ${e.scope.join("+")}`;
      if (e.kind === "attestation") what = SignatureMeaning[e.meaning];
      if (e.kind === "enrollment") what = `enrolled #${e.enrolled}`;
      if (e.kind === "withdrawal") what = WithdrawalChoice[e.choice];
      if (e.kind === "amendment") what = `amendment ${e.amendmentId}: consents below v${e.minVersionAll} stop counting`;
      return { block: e.blockNumber, event: e.kind, who: who ? (names[who] ?? short(who)) : "IRB", what };
    }),
  );
}
