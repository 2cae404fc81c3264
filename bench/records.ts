import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GasRow } from "./rows";
import { gasOf } from "./rows";
import { deployConsortiumFixture } from "../test/helpers/fixtures";
import type { RecordAccess } from "../typechain-types";
import {
  Action,
  EmergencyReason,
  MAX_UINT40,
  Purpose,
  RecordCategory,
  GuardianPower,
  categoryMask,
  emergencyReasonCommitment,
  encryptionKeyProof,
  purposeMask,
  recordIdOf,
  signGrant,
  signLinkResearchParticipant,
} from "../src/records";
import type { GrantTerms } from "../src/records";

/**
 * Records domain costs against a fresh deployment (issue budgets). Each write is measured in its
 * most expensive ordinary case: the first record / grant / signature / emergency of a patient
 * (fresh storage slots, a first nonce), a disclosure by a grantee (not the cheaper custodian path).
 * revokeAll and canAccess are measured for a patient with 1 grant and one with 1,000 grants.
 * A guardian's grant and the check of it (one more word: the guardian epoch), the designation of a
 * privacy officer, its review, and the research link (direct and signed) have rows of their own.
 */
export async function recordsGasRows(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  const { ethers } = hre;
  const ctx = await deployConsortiumFixture();
  const records = ctx.deployed.records as unknown as RecordAccess;
  const [patient, patientBig, signerPatient, relayer, emergencyPatient, wardPatient, guardian] = ctx.others;
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const terms: GrantTerms = {
    categories: categoryMask(["Labs", "Imaging"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: now,
    validUntil: now + 30n * 86400n,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
  };
  const recordId = recordIdOf(ethers.id("bench-salt"), "bench-doc-1");

  const registerRecord = await gasOf(
    records
      .connect(ctx.hospital)
      .registerRecord(patient.address, recordId, RecordCategory.Labs, ethers.id("ct"), now - 86400n),
  );
  const grant = await gasOf(records.connect(patient).grant(patient.address, ctx.specialist.address, terms));

  const domain = {
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await records.getAddress(),
  };
  const deadline = now + 3600n;
  const signature = await signGrant(signerPatient, domain, {
    patient: signerPatient.address,
    signer: signerPatient.address,
    grantee: ctx.specialist.address,
    ...terms,
    nonce: await records.nonces(signerPatient.address),
    deadline,
  });
  const grantBySig = await gasOf(
    records
      .connect(relayer)
      .grantBySig(signerPatient.address, signerPatient.address, ctx.specialist.address, terms, deadline, signature),
  );

  const logDisclosure = await gasOf(
    records.connect(ctx.specialist).logDisclosure(patient.address, recordId, ctx.pharmacy.address, Purpose.Treatment),
  );
  const canAccessOne = Number(
    await records.canAccess.estimateGas(patient.address, ctx.specialist.address, recordId, Purpose.Treatment),
  );

  // A patient with 1,000 grants: the check and revokeAll must not notice.
  await records
    .connect(ctx.hospital)
    .registerRecord(patientBig.address, recordId, RecordCategory.Labs, ethers.id("ct"), now - 86400n);
  await records.connect(patientBig).grant(patientBig.address, ctx.specialist.address, terms);
  for (let i = 1; i < 1_000; i++) {
    const grantee = ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0x10000 + i), 20));
    await records.connect(patientBig).grant(patientBig.address, grantee, terms);
  }
  const canAccessMany = Number(
    await records.canAccess.estimateGas(patientBig.address, ctx.specialist.address, recordId, Purpose.Treatment),
  );
  const revokeAllOne = await gasOf(records.connect(patient).revokeAll(patient.address));
  const revokeAllMany = await gasOf(records.connect(patientBig).revokeAll(patientBig.address));

  const revoke = await gasOf(records.connect(signerPatient).revoke(signerPatient.address, ctx.specialist.address));
  const opening = { reasonCode: EmergencyReason.PatientIncapacitated, note: "", salt: ethers.id("bench-reason-salt") };
  const breakGlass = await gasOf(
    records
      .connect(ctx.specialist)
      .breakGlass(
        emergencyPatient.address,
        emergencyReasonCommitment(emergencyPatient.address, ctx.specialist.address, opening),
      ),
  );
  const designatePrivacyOfficer = await gasOf(
    records.connect(ctx.specialist).designatePrivacyOfficer(ctx.privacyOfficer.address),
  );
  const reviewEmergency = await gasOf(
    records.connect(ctx.privacyOfficer).reviewEmergency(emergencyPatient.address, ctx.specialist.address),
  );

  // A guardian's grant (first grant of the ward) and the check of it.
  await records
    .connect(ctx.hospital)
    .registerRecord(wardPatient.address, recordId, RecordCategory.Labs, ethers.id("ct"), now - 86400n);
  await records
    .connect(wardPatient)
    .setGuardian(
      wardPatient.address,
      guardian.address,
      categoryMask(["Labs", "Imaging"]),
      GuardianPower.Grant,
      now + 365n * 86400n,
    );
  const grantByGuardian = await gasOf(
    records.connect(guardian).grant(wardPatient.address, ctx.specialist.address, terms),
  );
  const canAccessGuardianGrant = Number(
    await records.canAccess.estimateGas(wardPatient.address, ctx.specialist.address, recordId, Purpose.Treatment),
  );

  const trialId = ethers.id("bench-trial");
  const linkResearchParticipant = await gasOf(
    records.connect(patient).linkResearchParticipant(trialId, ethers.Wallet.createRandom().address),
  );
  const linkMessage = {
    patient: signerPatient.address,
    trialId,
    participant: ethers.Wallet.createRandom().address,
    nonce: await records.nonces(signerPatient.address),
    deadline,
  };
  const linkSignature = await signLinkResearchParticipant(signerPatient, domain, linkMessage);
  const linkResearchParticipantBySig = await gasOf(
    records
      .connect(relayer)
      .linkResearchParticipantBySig(signerPatient.address, trialId, linkMessage.participant, deadline, linkSignature),
  );

  // A first encryption key (fresh slots): point decompression (modexp) and the proof's ecrecover.
  const keyProof = encryptionKeyProof(ethers.id("bench: encryption key"), domain, relayer.address);
  const registerEncryptionKey = await gasOf(
    records.connect(relayer).registerEncryptionKey(keyProof.publicKey, keyProof.proof),
  );

  const row = (operation: string, gasUsed: number, budget: number, scale: number | null = null): GasRow => ({
    domain: "records",
    operation,
    scale,
    gasUsed,
    budget,
  });
  return [
    row("registerRecord", registerRecord, 85_000),
    row("grant", grant, 65_000),
    row("grantBySig", grantBySig, 95_000),
    row("revoke", revoke, 40_000),
    row("revokeAll", revokeAllOne, 50_000, 1),
    // flat within 5%: the 1,000-grant row is budgeted at the 1-grant figure + 5%
    row("revokeAll", revokeAllMany, Math.min(50_000, Math.floor(revokeAllOne * 1.05)), 1_000),
    row("logDisclosure", logDisclosure, 45_000),
    row("breakGlass", breakGlass, 85_000),
    row("designatePrivacyOfficer", designatePrivacyOfficer, 65_000),
    row("reviewEmergency", reviewEmergency, 45_000),
    row("grant (by guardian)", grantByGuardian, 75_000),
    row("canAccess (guardian grant)", canAccessGuardianGrant, 50_000),
    row("linkResearchParticipant", linkResearchParticipant, 55_000),
    row("linkResearchParticipantBySig", linkResearchParticipantBySig, 85_000),
    row("registerEncryptionKey", registerEncryptionKey, 105_000),
    row("canAccess (estimateGas)", canAccessOne, 45_000, 1),
    row("canAccess (estimateGas)", canAccessMany, Math.min(45_000, Math.floor(canAccessOne * 1.05)), 1_000),
  ];
}
