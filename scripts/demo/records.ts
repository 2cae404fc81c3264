import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DemoContext } from "./context";
import { startGateway } from "../../services/gateway/src/server";
import { RecordStore, openDatabase } from "../../services/gateway/src/store";
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
  encryptionKeyProof,
  GatewayRequestError,
  GuardianPower,
  newSalt,
  purposeMask,
  RecordsGatewayClient,
  signGrant,
  signReviewEmergency,
  signRevokeAll,
  termsOf,
} from "../../src/records";

const DAY = 86400n;

/** A FHIR R4 Observation with a text result (what the hospital's EHR exports). */
function observation(text: string): Record<string, unknown> {
  return {
    resourceType: "Observation",
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "10839-9", display: "Troponin I" }] },
    valueString: text,
  };
}

/** The hospital's three records of the patient, FHIR R4: content stays at its gateway, only hashes go on chain. */
const RECORDS: { localId: string; category: RecordCategoryName; daysAgo: bigint; resource: Record<string, unknown> }[] =
  [
    {
      localId: "LAB-2026-0042",
      category: "Labs",
      daysAgo: 12n,
      resource: observation("Troponin I 0.02 ng/mL (normal); LDL 3.1 mmol/L"),
    },
    {
      localId: "IMG-2026-0007",
      category: "Imaging",
      daysAgo: 10n,
      resource: {
        resourceType: "DiagnosticReport",
        status: "final",
        code: { text: "Echocardiogram" },
        conclusion: "EF 58 %, no wall-motion abnormality",
      },
    },
    {
      localId: "PSY-2026-0003",
      category: "MentalHealth",
      daysAgo: 3n,
      resource: {
        resourceType: "Condition",
        subject: { reference: "Patient/demo" },
        code: { text: "Psychiatric consult note (confidential)" },
      },
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

  // St. Mary's record gateway (services/gateway, in-process): the only way to its records.
  const gatewayDir = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-demo-gateway-"));
  const store = new RecordStore(await openDatabase({ dataDir: path.join(gatewayDir, "pglite") }));
  await store.init();
  const gateway = await startGateway({
    store,
    custodian: hospital,
    recordAccess: await records.getAddress(),
    encryptionPrivateKey: ethers.id("demo: St. Mary's gateway encryption key"),
    name: "St. Mary's record gateway",
  });
  try {
    await recordsThroughGateway();
  } finally {
    await gateway.close();
    await store.close();
    fs.rmSync(gatewayDir, { recursive: true, force: true });
  }

  async function recordsThroughGateway(): Promise<void> {
    section(
      "Health records: the hospital uploads FHIR R4 records to its gateway — on chain: pointers and ciphertext hashes only",
    );
    step(`patient ${short(patient.address)} (a plain address, not a member); hospital ${short(hospital.address)}`);
    step(
      `St. Mary's record gateway at ${gateway.url} (PGlite): validates FHIR R4, seals, registers the pointer with a random salt`,
    );
    const hospitalClient = await RecordsGatewayClient.connect(gateway.url, hospital);
    const registered: { id: string; category: RecordCategoryName; hash: string; type: string }[] = [];
    for (const r of RECORDS) {
      const stored = await hospitalClient.upload({
        patient: patient.address,
        localId: r.localId,
        category: r.category,
        recordDate: Number((await now()) - r.daysAgo * DAY),
        resource: r.resource,
      });
      registered.push({
        id: stored.recordId,
        category: r.category,
        hash: stored.contentHash,
        type: String(r.resource.resourceType),
      });
    }
    const malformed = await hospitalClient
      .upload({
        patient: patient.address,
        localId: "LAB-bad",
        category: "Labs",
        resource: { resourceType: "Observation" },
      })
      .then(() => "accepted (unexpected)")
      .catch((e: unknown) => (e as Error).message);
    step(`a malformed resource is refused, nothing stored: ${malformed}`);
    table(
      registered.map((r) => ({
        "record id (salted hash)": short(r.id),
        category: r.category,
        FHIR: r.type,
        "content hash (keccak256 of AES-256-GCM envelope)": short(r.hash),
        custodian: "St. Mary's Hospital",
      })),
    );
    const [labs, , mental] = registered;

    section("The specialist registers an encryption key; the patient signs a grant, relayed by the hospital");
    // A key kept for encryption only (deterministic for the demo; in practice newEncryptionKeyPair()).
    const specialistEncKey = ethers.id("demo: Heart Clinic encryption key");
    const specialistKeyProof = encryptionKeyProof(specialistEncKey, domain, specialist.address);
    await (
      await records.connect(specialist).registerEncryptionKey(specialistKeyProof.publicKey, specialistKeyProof.proof)
    ).wait();
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

    section(
      "The specialist finds and reads the labs record through the gateway: disclosure logged first, then released",
    );
    const specialistClient = await RecordsGatewayClient.connect(gateway.url, specialist, {
      encryptionPrivateKey: specialistEncKey,
    });
    const found = await specialistClient.search(patient.address, Purpose.Treatment);
    step(
      `search (signed): the Heart Clinic may read ${found.map((r) => `${r.categoryName} ${short(r.recordId)}`).join(", ")}`,
    );
    const { resource: labsResource, release } = await specialistClient.read({
      patient: patient.address,
      recordId: labs.id,
      purpose: Purpose.Treatment,
    });
    step(
      `signed request → canAccess ${release.reason} at the latest block → logDisclosure (tx ${short(release.disclosure.transactionHash)}) → key wrapped to the clinic's registered key`,
    );
    step(`the specialist decrypted (content hash checked on chain): "${String(labsResource.valueString)}"`);

    section("The mental-health record is refused to the specialist");
    const mentalRefusal = await specialistClient
      .request({ patient: patient.address, recordId: mental.id, purpose: Purpose.Treatment })
      .then(() => "served (unexpected)")
      .catch((e: unknown) => (e instanceof GatewayRequestError ? `${e.status} ${e.code}` : String(e)));
    step(`the gateway refuses it with the contract's reason and changes nothing: ${mentalRefusal}`);
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

    section(
      "Break-glass in the emergency room, reviewed by the patient — not by another organisation's privacy officer",
    );
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
    step(
      `County Emergency Dept ${short(emergencyRoom.address)} admitted as a PROVIDER; the patient arrives unconscious`,
    );
    if ((await records.privacyOfficerOf(hospital.address)) !== privacyOfficer.address) {
      await (await records.connect(hospital).designatePrivacyOfficer(privacyOfficer.address)).wait();
    }
    step("St. Mary's designated its own privacy office on chain: it reviews St. Mary's break-glass, no one else's");
    // The reason stays off chain: the department keeps the opening and shows it to the reviewer.
    const opening = {
      reasonCode: EmergencyReason.PatientIncapacitated,
      note: "unconscious on arrival",
      salt: newSalt(),
    };
    const commitment = emergencyReasonCommitment(patient.address, emergencyRoom.address, opening);
    await (await records.connect(emergencyRoom).breakGlass(patient.address, commitment)).wait();
    step(
      `break-glass declared with a salted reason commitment ${short(commitment)} (the reason itself is not on chain)`,
    );
    const [eAllowed, eReason] = await records.canAccess(
      patient.address,
      emergencyRoom.address,
      mental.id,
      Purpose.Treatment,
    );
    step(
      `canAccess(patient, Emergency Dept, mental health, treatment) → ${eAllowed} (${AccessReason[Number(eReason)]}) for 24 h`,
    );
    const erEncKey = ethers.id("demo: County Emergency Dept encryption key");
    const erKeyProof = encryptionKeyProof(erEncKey, domain, emergencyRoom.address);
    await (await records.connect(emergencyRoom).registerEncryptionKey(erKeyProof.publicKey, erKeyProof.proof)).wait();
    const erClient = await RecordsGatewayClient.connect(gateway.url, emergencyRoom, { encryptionPrivateKey: erEncKey });
    const emergencyRead = await erClient.read({
      patient: patient.address,
      recordId: mental.id,
      purpose: Purpose.Treatment,
    });
    step(
      `the gateway serves it (${emergencyRead.release.reason}, kept as an emergency disclosure: ${emergencyRead.release.emergency}); decrypted a ${String(emergencyRead.resource.resourceType)}`,
    );
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
      return records
        .connect(hospital)
        .grantBySig(guardian.address, patient.address, family, termsOf(m), m.deadline, sig);
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
    const [rAllowed, rReason] = await records.canAccess(
      patient.address,
      specialist.address,
      labs.id,
      Purpose.Treatment,
    );
    step(
      `canAccess(patient, Heart Clinic, labs, treatment) → ${rAllowed} (${AccessReason[Number(rReason)]}); active grants: ${(await activeGrants(records, patient.address)).length}`,
    );
    // A corrected lab result: a new version through the gateway, its key wrapped only for whom the chain allows now.
    const amended = await hospitalClient.update({
      patient: patient.address,
      recordId: labs.id,
      resource: observation("Troponin I 0.02 ng/mL (normal); LDL 3.0 mmol/L (corrected)"),
      readers: [specialist.address],
    });
    step(
      `the hospital amends the labs record: new key, key epoch ${amended.keyEpoch} from the receipt; wrapped for the Heart Clinic? ${
        amended.wraps![0].wrapped ? "yes" : `no (${amended.wraps![0].skipped})`
      } — revocation is forward-only: what it already decrypted stays with it, later versions do not reach it`,
    );
    const afterRevoke = await specialistClient
      .request({ patient: patient.address, recordId: labs.id, purpose: Purpose.Treatment })
      .then(() => "served (unexpected)")
      .catch((e: unknown) => (e instanceof GatewayRequestError ? `${e.status} ${e.code}` : String(e)));
    step(`the Heart Clinic asks the gateway again: ${afterRevoke}`);
  }
}
