/**
 * E2E step "records": a patient's part and a hospital's, over JSON-RPC with the SDK only.
 *
 * The hospital seals a record (AES-GCM envelope, salted record id) and registers its pointer; the
 * patient signs a grant to the specialist, which a relayer submits; canAccess answers; the hospital
 * wraps the record's data key to the specialist's registered encryption key, and the specialist
 * opens the record and logs its disclosure; the patient's signed revokeAll, relayed, ends the
 * access and its replay is refused. A guardian's relayed grant ends when the patient removes the
 * guardian; a break-glass carries only a salted reason commitment and is reviewed by the provider's
 * designated privacy officer, never by another provider. The flow itself (`runRecordFlow`) is shared with the PHI
 * canary (test/e2e/phi-canary.e2e.ts), which runs it on recognisable fake health data.
 */
import { expect } from "chai";
import { Wallet, ZeroAddress, toUtf8Bytes, toUtf8String, type Provider, type Signer } from "ethers";
import { describeError } from "../../../src/errors";
import { deadlineIn } from "../../../src/signatures";
import {
  AccessReason,
  Action,
  EmergencyReason,
  GuardianPower,
  MAX_UINT40,
  Purpose,
  RecordCategory,
  accountingOfDisclosures,
  activeGrants,
  categoryMask,
  emergencyReasonCommitment,
  encryptRecord,
  encryptionKeyProof,
  newEncryptionKeyPair,
  newSalt,
  openRecord,
  purposeMask,
  recordIdOf,
  signGrant,
  signRevokeAll,
  termsOf,
  wrapDataKey,
  type GrantTerms,
  type RecordsDomain,
} from "../../../src/records";
import { RecordAccess__factory, type RecordAccess } from "../../../typechain-types";
import type { E2EContext, E2EStep } from "../consortium";

/** Who takes part in a record flow. */
export interface RecordFlowActors {
  /** The custodian: an active PROVIDER. */
  hospital: Signer;
  /** The grantee: a PROVIDER the patient grants to. */
  specialist: Signer;
  patient: Signer;
  /** Anyone with ether: submits the patient's signatures. */
  relayer: Signer;
}

/** What a record flow did, for the caller to check. */
export interface RecordFlowResult {
  recordId: string;
  contentHash: string;
  /** The envelope kept off chain at the custodian. */
  envelope: Uint8Array;
  /** The data key wrapped to the specialist (off chain: sent to it by the custodian). */
  wrappedKey: string;
  /** What the specialist decrypted. */
  opened: Uint8Array;
  /** Secrets that must never leave their holders: the record's data key, the specialist's encryption key. */
  secrets: { dataKey: Uint8Array; encryptionPrivateKey: string };
  terms: GrantTerms;
  /** Hashes of every transaction the flow sent, in order. */
  transactions: string[];
  /** canAccess(patient, specialist, record, treatment) after the grant. */
  accessAfterGrant: { allowed: boolean; reason: number };
}

async function latestTimestamp(provider: Provider): Promise<bigint> {
  const block = await provider.getBlock("latest");
  if (!block) throw new Error("no latest block");
  return BigInt(block.timestamp);
}

/**
 * The SDK's whole record flow, from the custodian's plaintext to the grantee's decryption:
 * encrypt, salted id, registerRecord, grantBySig relayed, registerEncryptionKey + key wrap,
 * logDisclosure, open by the grantee. `localId` is the custodian's document id (it may be
 * identifying: only its salted hash goes on chain).
 */
export async function runRecordFlow(
  records: RecordAccess,
  actors: RecordFlowActors,
  plaintext: string,
  localId: string,
): Promise<RecordFlowResult> {
  const provider = records.runner!.provider!;
  const [patient, specialist] = await Promise.all([actors.patient.getAddress(), actors.specialist.getAddress()]);
  const domain: RecordsDomain = {
    chainId: (await provider.getNetwork()).chainId,
    verifyingContract: await records.getAddress(),
  };
  const transactions: string[] = [];
  const send = async (tx: Promise<{ hash: string; wait(): Promise<unknown> }>) => {
    const sent = await tx;
    await sent.wait();
    transactions.push(sent.hash);
  };

  // The specialist publishes the key data keys are wrapped to (its own, apart from its signing key).
  const encryption = newEncryptionKeyPair();
  const keyProof = encryptionKeyProof(encryption.privateKey, domain, specialist);
  await send(records.connect(actors.specialist).registerEncryptionKey(keyProof.publicKey, keyProof.proof));

  // The hospital seals the record under a salted id and registers the pointer.
  const recordId = recordIdOf(newSalt(), localId);
  const context = {
    chainId: (await provider.getNetwork()).chainId,
    recordAccess: await records.getAddress(),
    patient,
    recordId,
    keyEpoch: 0n,
  };
  const sealed = encryptRecord(toUtf8Bytes(plaintext), context);
  const now = await latestTimestamp(provider);
  await send(
    records
      .connect(actors.hospital)
      .registerRecord(patient, recordId, RecordCategory.MentalHealth, sealed.contentHash, now - 60n),
  );

  // The patient signs a grant to the specialist; a relayer submits it.
  const terms: GrantTerms = {
    categories: categoryMask(["MentalHealth"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: now,
    validUntil: now + 30n * 86400n,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
  };
  const message = {
    patient,
    signer: patient,
    grantee: specialist,
    ...terms,
    nonce: await records.nonces(patient),
    deadline: deadlineIn(3600, Number(now)),
  };
  const signature = await signGrant(actors.patient, domain, message);
  await send(
    records
      .connect(actors.relayer)
      .grantBySig(patient, patient, specialist, termsOf(message), message.deadline, signature),
  );
  const [allowed, reason] = await records.canAccess(patient, specialist, recordId, Purpose.Treatment);

  // The hospital wraps the data key to the specialist's registered key, for the record's key epoch.
  const record = await records.recordOf(patient, recordId);
  const wrappedKey = wrapDataKey(sealed.dataKey, await records.encryptionKeyOf(specialist), {
    ...context,
    keyEpoch: record.keyEpoch,
  });

  // The specialist opens it, checking the envelope against the chain, and logs the disclosure.
  const opened = openRecord({
    envelope: sealed.envelope,
    wrappedKey,
    privateKey: encryption.privateKey,
    context: { ...context, keyEpoch: record.keyEpoch },
    expectedContentHash: record.contentHash,
  });
  await send(
    records
      .connect(actors.specialist)
      .logDisclosure(patient, recordId, await actors.hospital.getAddress(), Purpose.Treatment),
  );

  return {
    recordId,
    contentHash: sealed.contentHash,
    envelope: sealed.envelope,
    wrappedKey,
    opened,
    secrets: { dataKey: sealed.dataKey, encryptionPrivateKey: encryption.privateKey },
    terms,
    transactions,
    accessAfterGrant: { allowed, reason: Number(reason) },
  };
}

/** The patient's revokeAll, signed and relayed; returns the relayed call's arguments for a replay. */
export async function relayRevokeAll(
  records: RecordAccess,
  patient: Signer,
  relayer: Signer,
): Promise<{ hash: string; args: [string, string, bigint, string] }> {
  const provider = records.runner!.provider!;
  const address = await patient.getAddress();
  const domain: RecordsDomain = {
    chainId: (await provider.getNetwork()).chainId,
    verifyingContract: await records.getAddress(),
  };
  const message = {
    patient: address,
    signer: address,
    nonce: await records.nonces(address),
    deadline: deadlineIn(3600, Number(await latestTimestamp(provider))),
  };
  const signature = await signRevokeAll(patient, domain, message);
  const args: [string, string, bigint, string] = [address, address, message.deadline, signature];
  const tx = await records.connect(relayer).revokeAllBySig(...args);
  await tx.wait();
  return { hash: tx.hash, args };
}

export const recordsStep: E2EStep = {
  name: "records: a patient grants by signature, a specialist reads, the patient revokes all",
  define(ctx: () => E2EContext) {
    let records: RecordAccess;
    let flow: RecordFlowResult;
    const PLAINTEXT = "e2e progress note: follow-up in two weeks";

    before(function () {
      const { deployment, provider } = ctx();
      if (deployment.addresses.records === undefined) throw new Error("the deployment has no records contract");
      records = RecordAccess__factory.connect(deployment.addresses.records, provider);
    });

    it("finds RecordAccess in the Ignition record, bound to the registry", async function () {
      const { deployment, provider } = ctx();
      expect(await provider.getCode(deployment.addresses.records!)).to.not.equal("0x");
      expect(await records.registry()).to.equal(deployment.addresses.registry);
    });

    it("registers a sealed record, relays the patient's grant, and canAccess answers Granted", async function () {
      const { actors, others } = ctx();
      const [patient, , relayer] = others;
      flow = await runRecordFlow(
        records,
        { hospital: actors.hospital, specialist: actors.specialist, patient, relayer },
        PLAINTEXT,
        "e2e-doc-1",
      );
      expect(flow.accessAfterGrant).to.deep.equal({ allowed: true, reason: AccessReason.Granted });
      const record = await records.recordOf(patient.address, flow.recordId);
      expect(record.custodian).to.equal(actors.hospital.address);
      expect(record.contentHash).to.equal(flow.contentHash);
      expect(await records.nonces(patient.address)).to.equal(1n);
      // Someone the patient granted nothing stays out.
      const [allowed, reason] = await records.canAccess(
        patient.address,
        actors.researcher.address,
        flow.recordId,
        Purpose.Treatment,
      );
      expect([allowed, Number(reason)]).to.deep.equal([false, AccessReason.NoGrant]);
    });

    it("lets the specialist open the record with its wrapped key and accounts for the disclosure", async function () {
      const { actors, others } = ctx();
      expect(toUtf8String(flow.opened)).to.equal(PLAINTEXT);
      const disclosures = await accountingOfDisclosures(records, others[0].address);
      expect(disclosures.map((d) => [d.recordId, d.discloser, d.recipient, d.purpose])).to.deep.equal([
        [flow.recordId, actors.specialist.address, actors.hospital.address, Purpose.Treatment],
      ]);
      const grants = await activeGrants(records, others[0].address);
      expect(grants.map((g) => [g.grantee, g.grantedBy, g.categories])).to.deep.equal([
        [actors.specialist.address, others[0].address, flow.terms.categories],
      ]);
    });

    it("relays the patient's signed revokeAll: access ends, and its replay is refused", async function () {
      const { actors, others } = ctx();
      const [patient, , relayer] = others;
      const { args } = await relayRevokeAll(records, patient, relayer);
      expect(await records.epochOf(patient.address)).to.equal(1n);
      const [allowed, reason] = await records.canAccess(
        patient.address,
        actors.specialist.address,
        flow.recordId,
        Purpose.Treatment,
      );
      expect([allowed, Number(reason)]).to.deep.equal([false, AccessReason.Revoked]);
      expect(await activeGrants(records, patient.address)).to.deep.equal([]);
      const replay = await records
        .connect(relayer)
        .revokeAllBySig(...args)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(replay, "the replay was accepted").to.not.equal(undefined);
      expect(describeError(replay, [records.interface])).to.equal(`SignatureInvalid(${patient.address})`);
    });

    it("relays a guardian's signed grant, which ends when the patient removes the guardian", async function () {
      const { others, provider, chainId } = ctx();
      const [patient, , relayer] = others;
      const guardian = Wallet.createRandom();
      const family = Wallet.createRandom().address;
      const now = await latestTimestamp(provider);
      await (
        await records
          .connect(patient)
          .setGuardian(
            patient.address,
            guardian.address,
            categoryMask(["MentalHealth"]),
            GuardianPower.Grant,
            now + 86400n * 90n,
          )
      ).wait();
      const domain: RecordsDomain = { chainId, verifyingContract: await records.getAddress() };
      const message = {
        patient: patient.address,
        signer: guardian.address,
        grantee: family,
        ...flow.terms,
        validFrom: now,
        nonce: await records.nonces(guardian.address),
        deadline: deadlineIn(3600, Number(now)),
      };
      const signature = await signGrant(guardian, domain, message);
      await (
        await records
          .connect(relayer)
          .grantBySig(guardian.address, patient.address, family, termsOf(message), message.deadline, signature)
      ).wait();
      const check = async () => {
        const [allowed, reason] = await records.canAccess(patient.address, family, flow.recordId, Purpose.Treatment);
        return [allowed, Number(reason)];
      };
      expect(await check()).to.deep.equal([true, AccessReason.Granted]);
      expect((await activeGrants(records, patient.address)).map((g) => g.grantedBy)).to.deep.equal([guardian.address]);
      await (await records.connect(patient).setGuardian(patient.address, ZeroAddress, 0, 0, 0)).wait();
      expect(await check()).to.deep.equal([false, AccessReason.Revoked]);
      expect(await activeGrants(records, patient.address)).to.deep.equal([]);
      expect((await records.grantOf(patient.address, family)).byGuardian).to.equal(true);
    });

    it("puts only a salted reason commitment on chain, and lets only the provider's own privacy officer review", async function () {
      const { actors, others } = ctx();
      const patient = others[0].address;
      const opening = { reasonCode: EmergencyReason.LifeThreatening, note: "e2e", salt: newSalt() };
      const commitment = emergencyReasonCommitment(patient, actors.specialist.address, opening);
      const receipt = await (await records.connect(actors.specialist).breakGlass(patient, commitment)).wait();
      const [declared] = await records.queryFilter(
        records.filters.EmergencyAccessDeclared(patient, actors.specialist.address),
        receipt!.blockNumber,
      );
      expect(declared.args.reasonCommitment).to.equal(commitment);
      await (await records.connect(actors.specialist).designatePrivacyOfficer(actors.privacyOfficer.address)).wait();
      const byOtherProvider = await records
        .connect(actors.hospital)
        .reviewEmergency(patient, actors.specialist.address)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(describeError(byOtherProvider, [records.interface])).to.equal(
        `RecordAccessNotReviewer(${patient}, ${actors.hospital.address})`,
      );
      await (await records.connect(actors.privacyOfficer).reviewEmergency(patient, actors.specialist.address)).wait();
      expect(await records.pendingEmergencies(patient)).to.equal(0n);
    });
  },
};
