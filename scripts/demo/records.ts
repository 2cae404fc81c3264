import type { DemoContext } from "./context";
import { section, step, table, short } from "./narrate";
import type { RecordAccess } from "../../typechain-types";
import { describeError } from "../../src/errors";
import { withCheckDigit } from "../../src/gs1/checkDigit";
import { Role } from "../../src/roles";
import {
  AccessReason,
  Action,
  EmergencyReason,
  MAX_UINT40,
  Purpose,
  RecordCategory,
  RecordCategoryName,
  PurposeName,
  accountingOfDisclosures,
  activeGrants,
  categoriesOf,
  categoryMask,
  emergencyReasonCommitment,
  encryptRecord,
  encryptionPublicKeyOf,
  GuardianPower,
  newSalt,
  openRecord,
  updateRecordVersion,
  purposeMask,
  recordIdOf,
  signGrant,
  signReviewEmergency,
  signRevokeAll,
  termsOf,
  wrapDataKey,
} from "../../src/records";

const DAY = 86400n;

/** The hospital's three records of the patient: content stays in this process, only hashes go on chain. */
const RECORDS: { localId: string; category: RecordCategoryName; daysAgo: bigint; content: string }[] = [
  {
    localId: "LAB-2026-0042",
    category: "Labs",
    daysAgo: 12n,
    content: "Troponin I 0.02 ng/mL (normal); LDL 3.1 mmol/L",
  },
  {
    localId: "IMG-2026-0007",
    category: "Imaging",
    daysAgo: 10n,
    content: "Echocardiogram: EF 58 %, no wall-motion abnormality",
  },
  {
    localId: "PSY-2026-0003",
    category: "MentalHealth",
    daysAgo: 3n,
    content: "Psychiatric consult note (confidential)",
  },
];

function purposeName(code: number): string {
  return (Object.keys(Purpose) as PurposeName[]).find((k) => Purpose[k] === code) ?? String(code);
}

/** Part 3 of the story: a patient's health records, grants, break-glass and accounting of disclosures. */
export async function runRecordsDemo(ctx: DemoContext): Promise<void> {
  const { hre, actors, registry } = ctx;
  const { ethers } = hre;
  const records = (await ethers.getContractAt("RecordAccess", ctx.deployed.records)) as unknown as RecordAccess;
  const { hospital, specialist, privacyOfficer, registrar } = actors;
  // others[5] and others[9]: indexes the other domains' demo parts leave alone.
  const patient = actors.others[5];
  const emergencyRoom = actors.others[9];
  const names = new Map<string, string>([
    [hospital.address, "St. Mary's Hospital"],
    [specialist.address, "Heart Clinic"],
    [emergencyRoom.address, "County Emergency Dept"],
    [privacyOfficer.address, "St. Mary's Privacy Office"],
    [patient.address, "patient"],
  ]);
  const who = (a: string) => names.get(a) ?? short(a);
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const domain = { chainId, verifyingContract: await records.getAddress() };

  section("Health records: the hospital indexes a patient's records — pointers and ciphertext hashes only");
  step(`patient ${short(patient.address)} (a plain address, not a member); hospital ${short(hospital.address)}`);
  const registered: {
    id: string;
    category: RecordCategoryName;
    envelope: Uint8Array;
    dataKey: Uint8Array;
    hash: string;
  }[] = [];
  for (const r of RECORDS) {
    // A random salt kept beside the record at the hospital: the id reveals nothing of the local id.
    const salt = newSalt();
    const id = recordIdOf(salt, r.localId);
    const context = {
      chainId,
      recordAccess: await records.getAddress(),
      patient: patient.address,
      recordId: id,
      keyEpoch: 0,
    };
    const sealed = encryptRecord(new TextEncoder().encode(r.content), context);
    await (
      await records
        .connect(hospital)
        .registerRecord(
          patient.address,
          id,
          RecordCategory[r.category],
          sealed.contentHash,
          (await now()) - r.daysAgo * DAY,
        )
    ).wait();
    registered.push({
      id,
      category: r.category,
      envelope: sealed.envelope,
      dataKey: sealed.dataKey,
      hash: sealed.contentHash,
    });
  }
  table(
    registered.map((r) => ({
      "record id (salted hash)": short(r.id),
      category: r.category,
      "content hash (keccak256 of AES-256-GCM envelope)": short(r.hash),
      custodian: "St. Mary's Hospital",
    })),
  );
  const [labs, , mental] = registered;

  section("The specialist registers an encryption key; the patient signs a grant, relayed by the hospital");
  // A key kept for encryption only (deterministic for the demo; in practice newEncryptionKeyPair()).
  const specialistEncKey = ethers.id("demo: Heart Clinic encryption key");
  await (await records.connect(specialist).registerEncryptionKey(encryptionPublicKeyOf(specialistEncKey))).wait();
  step(`Heart Clinic's secp256k1 public key on chain: ${short(await records.encryptionKeyOf(specialist.address))}`);
  const t = await now();
  const message = {
    patient: patient.address,
    signer: patient.address,
    grantee: specialist.address,
    categories: categoryMask(["Labs", "Imaging"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: t,
    validUntil: t + 30n * DAY,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
    nonce: await records.nonces(patient.address),
    deadline: t + 3600n,
  };
  const balanceBefore = await ethers.provider.getBalance(patient.address);
  const signature = await signGrant(patient, domain, message);
  const receipt = await (
    await records
      .connect(hospital)
      .grantBySig(patient.address, patient.address, specialist.address, termsOf(message), message.deadline, signature)
  ).wait();
  step(
    `grant signed by the patient (EIP-712), relayed by the hospital for ${receipt!.gasUsed} gas; patient's balance unchanged: ${
      (await ethers.provider.getBalance(patient.address)) === balanceBefore
    }`,
  );
  step("terms: labs + imaging, read, treatment only, 30 days, every record date");

  section("The specialist reads the labs record: allowed, unwrapped and decrypted with the SDK");
  const [allowed, reason] = await records.canAccess(patient.address, specialist.address, labs.id, Purpose.Treatment);
  step(`canAccess(patient, Heart Clinic, labs, treatment) → ${allowed} (${AccessReason[Number(reason)]})`);
  // Off chain: the hospital wraps the data key to the specialist's registered key and sends envelope + wrapped key.
  const keyEpoch = (await records.recordOf(patient.address, labs.id)).keyEpoch;
  const labsContext = {
    chainId,
    recordAccess: await records.getAddress(),
    patient: patient.address,
    recordId: labs.id,
    keyEpoch,
  };
  const wrapped = wrapDataKey(labs.dataKey, await records.encryptionKeyOf(specialist.address), labsContext);
  await (
    await records.connect(hospital).logDisclosure(patient.address, labs.id, specialist.address, Purpose.Treatment)
  ).wait();
  const plaintext = openRecord({
    envelope: labs.envelope,
    wrappedKey: wrapped,
    privateKey: specialistEncKey,
    context: labsContext,
    expectedContentHash: (await records.recordOf(patient.address, labs.id)).contentHash,
  });
  step(`hospital logged the disclosure; the specialist decrypted: "${new TextDecoder().decode(plaintext)}"`);

  section("The mental-health record is refused to the specialist");
  const [mAllowed, mReason] = await records.canAccess(
    patient.address,
    specialist.address,
    mental.id,
    Purpose.Treatment,
  );
  step(`canAccess(patient, Heart Clinic, mental health, treatment) → ${mAllowed} (${AccessReason[Number(mReason)]})`);
  const refused = await records
    .connect(specialist)
    .logDisclosure.staticCall(patient.address, mental.id, emergencyRoom.address, Purpose.Treatment)
    .then(() => "accepted (unexpected)")
    .catch((e: unknown) => describeError(e));
  step(
    `and it cannot pass the record on: ${refused.replace(/, (\d+)\)$/, (_, r: string) => `, ${AccessReason[Number(r)]})`)}`,
  );

  section("Break-glass in the emergency room, reviewed by the patient — not by another organisation's privacy officer");
  if (!(await registry.isActiveMember(emergencyRoom.address))) {
    const gln = BigInt(withCheckDigit("401234509913"));
    await (
      await registry
        .connect(registrar)
        .admitMember(emergencyRoom.address, gln, ethers.id("profile:County Emergency Dept"))
    ).wait();
  }
  if (!(await registry.hasActiveRole(Role.PROVIDER, emergencyRoom.address))) {
    await (await registry.connect(registrar).grantRole(Role.PROVIDER, emergencyRoom.address)).wait();
  }
  step(`County Emergency Dept ${short(emergencyRoom.address)} admitted as a PROVIDER; the patient arrives unconscious`);
  if ((await records.privacyOfficerOf(hospital.address)) !== privacyOfficer.address) {
    await (await records.connect(hospital).designatePrivacyOfficer(privacyOfficer.address)).wait();
  }
  step("St. Mary's designated its own privacy office on chain: it reviews St. Mary's break-glass, no one else's");
  // The reason stays off chain: the department keeps the opening and shows it to the reviewer.
  const opening = { reasonCode: EmergencyReason.PatientIncapacitated, note: "unconscious on arrival", salt: newSalt() };
  const commitment = emergencyReasonCommitment(patient.address, emergencyRoom.address, opening);
  await (await records.connect(emergencyRoom).breakGlass(patient.address, commitment)).wait();
  step(`break-glass declared with a salted reason commitment ${short(commitment)} (the reason itself is not on chain)`);
  const [eAllowed, eReason] = await records.canAccess(
    patient.address,
    emergencyRoom.address,
    mental.id,
    Purpose.Treatment,
  );
  step(
    `canAccess(patient, Emergency Dept, mental health, treatment) → ${eAllowed} (${AccessReason[Number(eReason)]}) for 24 h`,
  );
  await (
    await records.connect(hospital).logDisclosure(patient.address, mental.id, emergencyRoom.address, Purpose.Treatment)
  ).wait();
  step(`unreviewed emergencies of the patient: ${await records.pendingEmergencies(patient.address)}`);
  const notTheirs = await records
    .connect(privacyOfficer)
    .reviewEmergency.staticCall(patient.address, emergencyRoom.address)
    .then(() => "accepted (unexpected)")
    .catch((e: unknown) => describeError(e));
  step(`St. Mary's Privacy Office may not review another organisation's break-glass: ${notTheirs}`);
  const review = {
    patient: patient.address,
    signer: patient.address,
    provider: emergencyRoom.address,
    nonce: await records.nonces(patient.address),
    deadline: (await now()) + 3600n,
  };
  const reviewSig = await signReviewEmergency(patient, domain, review);
  await (
    await records
      .connect(hospital)
      .reviewEmergencyBySig(patient.address, patient.address, emergencyRoom.address, review.deadline, reviewSig)
  ).wait();
  step(
    `the patient, awake, reviewed it by signature (relayed); unreviewed now: ${await records.pendingEmergencies(patient.address)}`,
  );

  section("A guardian's grants end with the guardian");
  // The guardian signs; the hospital relays: neither the guardian nor the family member needs ETH.
  const guardian = ethers.Wallet.createRandom();
  const family = ethers.Wallet.createRandom().address;
  names.set(guardian.address, "guardian");
  names.set(family, "family member");
  const guardianUntil = (await now()) + 90n * DAY;
  await (
    await records
      .connect(patient)
      .setGuardian(patient.address, guardian.address, categoryMask(["Labs"]), GuardianPower.Grant, guardianUntil)
  ).wait();
  step(`the patient names a guardian over labs, grant power, for 90 days`);
  const guardianTerms = {
    categories: categoryMask(["Labs"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: await now(),
    validUntil: (await now()) + 30n * DAY,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
  };
  const relayGuardianGrant = async (validUntil: bigint) => {
    const m = {
      patient: patient.address,
      signer: guardian.address,
      grantee: family,
      ...guardianTerms,
      validUntil,
      nonce: await records.nonces(guardian.address),
      deadline: (await now()) + 3600n,
    };
    const sig = await signGrant(guardian, domain, m);
    return records.connect(hospital).grantBySig(guardian.address, patient.address, family, termsOf(m), m.deadline, sig);
  };
  const tooLong = await relayGuardianGrant(guardianUntil + 365n * DAY)
    .then(() => "accepted (unexpected)")
    .catch((e: unknown) => describeError(e));
  step(`a grant beyond the guardian's own term is refused: ${tooLong}`);
  await (await relayGuardianGrant(guardianTerms.validUntil)).wait();
  const [gAllowed, gReason] = await records.canAccess(patient.address, family, labs.id, Purpose.Treatment);
  step(
    `the guardian grants the family member labs for 30 days → canAccess ${gAllowed} (${AccessReason[Number(gReason)]})`,
  );
  await (await records.connect(patient).setGuardian(patient.address, ethers.ZeroAddress, 0, 0, 0)).wait();
  const [gAfter, gAfterReason] = await records.canAccess(patient.address, family, labs.id, Purpose.Treatment);
  step(
    `the patient removes the guardian → canAccess ${gAfter} (${AccessReason[Number(gAfterReason)]}): no loop, one epoch`,
  );

  section("The patient's accounting of disclosures (from indexed events)");
  const disclosures = await accountingOfDisclosures(records, patient.address);
  const categoryOf = new Map(registered.map((r) => [r.id, r.category]));
  table(
    disclosures.map((d) => ({
      when: new Date(Number(d.at) * 1000).toISOString().replace(".000Z", "Z"),
      record: `${short(d.recordId)} (${categoryOf.get(d.recordId)})`,
      "disclosed by": who(d.discloser),
      to: who(d.recipient),
      purpose: purposeName(d.purpose),
    })),
  );

  section("The patient revokes everything at once (one signature, O(1) epoch bump)");
  const live = await activeGrants(records, patient.address);
  step(
    `active grants before: ${live.map((g) => `${who(g.grantee)} [${categoriesOf(g.categories).join("+")}]`).join(", ")}`,
  );
  const revokeAll = {
    patient: patient.address,
    signer: patient.address,
    nonce: await records.nonces(patient.address),
    deadline: (await now()) + 3600n,
  };
  const revokeSig = await signRevokeAll(patient, domain, revokeAll);
  await (
    await records.connect(hospital).revokeAllBySig(patient.address, patient.address, revokeAll.deadline, revokeSig)
  ).wait();
  const [rAllowed, rReason] = await records.canAccess(patient.address, specialist.address, labs.id, Purpose.Treatment);
  step(
    `canAccess(patient, Heart Clinic, labs, treatment) → ${rAllowed} (${AccessReason[Number(rReason)]}); active grants: ${(await activeGrants(records, patient.address)).length}`,
  );
  // A corrected lab result: a new version, re-encrypted, its key wrapped only for whom the chain allows now.
  const amended = await updateRecordVersion(records.connect(hospital), {
    patient: patient.address,
    recordId: labs.id,
    plaintext: new TextEncoder().encode("Troponin I 0.02 ng/mL (normal); LDL 3.0 mmol/L (corrected)"),
    readers: [specialist.address],
  });
  step(
    `the hospital amends the labs record: new key, key epoch ${amended.context.keyEpoch} from the receipt; wrapped for the Heart Clinic? ${
      amended.wraps[0].wrappedKey ? "yes" : `no (${amended.wraps[0].skipped})`
    } — revocation is forward-only: what it already decrypted stays with it, later versions do not reach it`,
  );
}
