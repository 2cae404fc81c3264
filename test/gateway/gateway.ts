/**
 * The custodian's record gateway (services/gateway) in-process on a free loopback port over the
 * Hardhat chain (PGlite in memory): two providers exchange a FHIR record only through it. Uploads
 * are validated as FHIR R4 and registered on chain with a random salt; requests are served only when
 * canAccess allows at the latest block, after logDisclosure; every refusal names the chain's
 * AccessReason and changes nothing (same block number, same database rows). Revocation, revokeAll,
 * deny rules and guardian removal act from the next block; break-glass is served and kept as an
 * emergency; search lists only what canAccess allows; Consent resources validate against the schema.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { admit } from "../helpers/fixtures";
import { registerEncryptionKeyOf } from "../records/fixture";
import { recruitingTrialFixture, consent as trialConsent } from "../trials/fixture";
import { WithdrawalChoice } from "../../src/trials/enums";
import {
  AccessReason,
  Action,
  DenyScope,
  GuardianPower,
  MAX_UINT40,
  Purpose,
  RecordCryptoError,
  categoryMask,
  emergencyReasonCommitment,
  encryptionKeyProof,
  recordsDomain,
  newSalt,
  purposeMask,
  type GrantTerms,
} from "../../src/records";
import { GatewayRequestError, RecordsGatewayClient } from "../../src/records/gatewayClient";
import { recordRequestToJSON, signGatewayCall, signRecordRequest } from "../../src/records/gatewayTypes";
import { startGateway, type Gateway } from "../../services/gateway/src/server";
import { RecordStore, openDatabase } from "../../services/gateway/src/store";
import { validateFhirResource } from "../../services/gateway/src/fhir";
import type { RecordAccess } from "../../typechain-types";
import { mineBehindNextTransaction } from "../helpers/race";

const DAY = 86400n;
const observation = (value: string) => ({
  resourceType: "Observation",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "10839-9", display: "Troponin I" }] },
  valueString: value,
});

/**
 * Where the gateways of this file keep their data: PostgreSQL when GATEWAY_TEST_DATABASE_URL names a
 * server (.ci/run starts a PostgreSQL 15 for the indexer's and these tests; each gateway gets a new
 * database there, dropped at the end), PGlite otherwise (in memory, or in a temporary folder when
 * `persistent`, to be reopened).
 */
const POSTGRES_URL = process.env.GATEWAY_TEST_DATABASE_URL;
const BACKEND = POSTGRES_URL ? "PostgreSQL" : "PGlite";
const createdDatabases: string[] = [];
async function freshDatabase(name: string, persistent = false): Promise<{ databaseUrl?: string; dataDir?: string }> {
  if (!POSTGRES_URL) {
    return persistent ? { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "gateway-test-")) } : {};
  }
  const database = `gateway_${process.pid}_${name}`;
  const admin = await openDatabase({ databaseUrl: POSTGRES_URL });
  try {
    await admin.exec(`drop database if exists ${database}`);
    await admin.exec(`create database ${database}`);
  } finally {
    await admin.close();
  }
  createdDatabases.push(database);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return { databaseUrl: url.toString() };
}
after(async function () {
  if (!POSTGRES_URL || createdDatabases.length === 0) return;
  const admin = await openDatabase({ databaseUrl: POSTGRES_URL });
  try {
    for (const database of createdDatabases.splice(0)) await admin.exec(`drop database if exists ${database}`);
  } finally {
    await admin.close();
  }
});

describe(`record gateway (services/gateway, on ${BACKEND})`, function () {
  let records: RecordAccess;
  let hospital: HardhatEthersSigner, specialist: HardhatEthersSigner, patient: HardhatEthersSigner;
  let stranger: HardhatEthersSigner, er: HardhatEthersSigner;
  let trials: Awaited<ReturnType<typeof recruitingTrialFixture>>;
  const researcherKey = ethers.id("test: researcher encryption key");
  let store: RecordStore;
  let gateway: Gateway;
  let custodianClient: RecordsGatewayClient, specialistClient: RecordsGatewayClient;
  const lines: string[] = [];
  const specialistKey = ethers.id("test: specialist encryption key");
  const strangerKey = ethers.id("test: stranger encryption key");
  const erKey = ethers.id("test: emergency room encryption key");
  let labsId: string, imagingId: string, mentalId: string;

  async function refusal(p: Promise<unknown>): Promise<GatewayRequestError> {
    try {
      await p;
    } catch (e) {
      expect(e).to.be.instanceOf(GatewayRequestError);
      return e as GatewayRequestError;
    }
    throw new Error("the gateway served a request it should have refused");
  }
  /** Runs `p`, expects a refusal with `code`, and that neither the chain nor the database changed. */
  async function refusedUnchanged(p: () => Promise<unknown>, code: string): Promise<GatewayRequestError> {
    const block = await ethers.provider.getBlockNumber();
    const rows = await store.snapshot();
    const e = await refusal(p());
    expect(e.code).to.equal(code);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect(await store.snapshot()).to.equal(rows);
    return e;
  }
  async function terms(overrides: Partial<GrantTerms> = {}): Promise<GrantTerms> {
    const now = BigInt(await time.latest());
    return {
      categories: categoryMask(["Labs", "Imaging"]),
      actions: Action.Read,
      purposes: purposeMask(["Treatment"]),
      validFrom: now,
      validUntil: now + 30n * DAY,
      dataFrom: 0n,
      dataUntil: MAX_UINT40,
      ...overrides,
    };
  }
  const canAccessReason = async (who: string, id: string) => {
    const [, reason] = await records.canAccess(patient.address, who, id, Purpose.Treatment);
    return Number(reason);
  };

  before(async function () {
    // The consortium with an approved, recruiting trial: the patient is one of its would-be participants.
    const f = await loadFixture(recruitingTrialFixture);
    trials = f;
    records = f.deployed.records as unknown as RecordAccess;
    hospital = f.hospital;
    specialist = f.specialist;
    [patient, stranger, er] = [f.participants[0], f.witness, f.representative];
    await registerEncryptionKeyOf(records, f.researcher, researcherKey);
    await admit(f.registry, f.registrar, er, 901, ["PROVIDER"]);
    await registerEncryptionKeyOf(records, specialist, specialistKey);
    await registerEncryptionKeyOf(records, stranger, strangerKey);
    await registerEncryptionKeyOf(records, er, erKey);
    store = new RecordStore(await openDatabase(await freshDatabase("main")));
    await store.init();
    gateway = await startGateway({
      store,
      custodian: hospital,
      recordAccess: await records.getAddress(),
      encryptionPrivateKey: ethers.id("test: hospital gateway key"),
      name: "St. Mary's record gateway",
      log: (l) => lines.push(l),
    });
    custodianClient = await RecordsGatewayClient.connect(gateway.url, hospital);
    specialistClient = await RecordsGatewayClient.connect(gateway.url, specialist, {
      encryptionPrivateKey: specialistKey,
    });
  });
  after(async () => {
    await gateway?.close();
    await store?.close();
  });

  describe("upload (the custodian's signed request)", function () {
    it("validates FHIR R4, seals it, registers the pointer with a random salt kept beside the record", async function () {
      const now = await time.latest();
      const labs = await custodianClient.upload({
        patient: patient.address,
        localId: "LAB-2026-0042",
        category: "Labs",
        recordDate: now - 10 * 86400,
        resource: observation("0.02 ng/mL"),
      });
      expect(labs.keyEpoch).to.equal(0);
      const onChain = await records.recordOf(patient.address, labs.recordId);
      expect(onChain.custodian).to.equal(hospital.address);
      expect(onChain.contentHash).to.equal(labs.contentHash);
      const row = (await store.get(patient.address, labs.recordId))!;
      expect(row.salt).to.match(/^0x[0-9a-f]{64}$/);
      expect(row.resourceType).to.equal("Observation");
      labsId = labs.recordId;
      imagingId = (
        await custodianClient.upload({
          patient: patient.address,
          localId: "IMG-2026-0007",
          category: "Imaging",
          recordDate: now - 5 * 86400,
          resource: {
            resourceType: "DiagnosticReport",
            status: "final",
            code: { text: "Echocardiogram" },
            conclusion: "EF 58 %",
          },
        })
      ).recordId;
      mentalId = (
        await custodianClient.upload({
          patient: patient.address,
          localId: "PSY-2026-0003",
          category: "MentalHealth",
          resource: { resourceType: "Condition", subject: { reference: "Patient/p1" }, code: { text: "consult" } },
        })
      ).recordId;
      expect(await store.count()).to.equal(3);
    });

    it("refuses a malformed resource with a clear error and stores nothing", async function () {
      const e = await refusedUnchanged(
        () =>
          custodianClient.upload({
            patient: patient.address,
            localId: "LAB-bad",
            category: "Labs",
            resource: { resourceType: "Observation", status: "not-a-status", code: { text: "x" } },
          }),
        "invalid_fhir",
      );
      expect(e.status).to.equal(422);
      expect(e.message).to.contain("Observation/status");
      const unknownType = await refusal(
        custodianClient.upload({
          patient: patient.address,
          localId: "x",
          category: "Labs",
          resource: { resourceType: "Nope" },
        }),
      );
      expect(unknownType.code).to.equal("invalid_fhir");
      expect(await store.count()).to.equal(3);
    });

    it("refuses an upload by anyone but the custodian", async function () {
      const e = await refusedUnchanged(
        () =>
          specialistClient.upload({
            patient: patient.address,
            localId: "LAB-x",
            category: "Labs",
            resource: observation("1"),
          }),
        "not_custodian",
      );
      expect(e.status).to.equal(403);
    });
  });

  describe("requests", function () {
    it("serves a granted reader after logging the disclosure; the reader decrypts with the SDK", async function () {
      await records.connect(patient).grant(patient.address, specialist.address, await terms());
      const { resource, release } = await specialistClient.read({
        patient: patient.address,
        recordId: labsId,
        purpose: Purpose.Treatment,
      });
      expect(resource).to.deep.equal(observation("0.02 ng/mL"));
      expect(release.reason).to.equal("Granted");
      expect(release.emergency).to.equal(false);
      const receipt = await ethers.provider.getTransactionReceipt(release.disclosure.transactionHash);
      const logged = receipt!.logs
        .map((l) => records.interface.parseLog(l))
        .find((l) => l?.name === "DisclosureLogged");
      expect(logged!.args.recordId).to.equal(labsId);
      expect(logged!.args.recipient).to.equal(specialist.address);
      expect(logged!.args.discloser).to.equal(hospital.address);
      expect((await store.disclosures(patient.address)).length).to.equal(1);
    });

    it("refuses with the contract's reason and changes nothing: no grant, category not granted", async function () {
      const strangerClient = await RecordsGatewayClient.connect(gateway.url, stranger);
      await refusedUnchanged(
        () => strangerClient.request({ patient: patient.address, recordId: labsId, purpose: Purpose.Treatment }),
        "NoGrant",
      );
      await refusedUnchanged(
        () => specialistClient.request({ patient: patient.address, recordId: mentalId, purpose: Purpose.Treatment }),
        "CategoryNotGranted",
      );
      await refusedUnchanged(
        () => specialistClient.request({ patient: patient.address, recordId: labsId, purpose: Purpose.Payment }),
        "PurposeNotGranted",
      );
    });

    it("serves an ERC-1271 smart account (its owner key signs)", async function () {
      const wallet = await ethers.deployContract("ERC1271WalletMock", [stranger.address]);
      const walletAddress = await wallet.getAddress();
      // The wallet registers the key: the proof is the key's signature for the wallet's address.
      const { publicKey, proof } = encryptionKeyProof(
        strangerKey,
        await recordsDomain(records, ethers.provider),
        walletAddress,
      );
      await wallet
        .connect(stranger)
        .execute(
          await records.getAddress(),
          records.interface.encodeFunctionData("registerEncryptionKey", [publicKey, proof]),
        );
      await records.connect(patient).grant(patient.address, walletAddress, await terms());
      const client = await RecordsGatewayClient.connect(gateway.url, stranger, {
        requester: walletAddress,
        encryptionPrivateKey: strangerKey,
      });
      const { resource } = await client.read({
        patient: patient.address,
        recordId: imagingId,
        purpose: Purpose.Treatment,
      });
      expect(resource.conclusion).to.equal("EF 58 %");
      await wallet.setAccepting(false);
      await refusedUnchanged(
        () => client.request({ patient: patient.address, recordId: imagingId, purpose: Purpose.Treatment }),
        "bad_signature",
      );
    });

    it("refuses bad input: wrong signature, replay, expiry, unknown record, tampered envelope", async function () {
      const domain = specialistClient.domain;
      const post = (body: unknown) =>
        fetch(`${gateway.url}/records/request`, { method: "POST", body: JSON.stringify(body) }).then(
          async (r) => [r.status, (await r.json()) as { code: string }] as const,
        );
      const signed = await signRecordRequest(
        specialist,
        domain,
        { patient: patient.address, recordId: labsId, purpose: Purpose.Treatment },
        await time.latest(),
      );
      // Signed by another key.
      const forged = await signRecordRequest(
        stranger,
        domain,
        { patient: patient.address, recordId: labsId, purpose: Purpose.Treatment, requester: specialist.address },
        await time.latest(),
      );
      let block = await ethers.provider.getBlockNumber();
      let rows = await store.snapshot();
      expect(await post({ request: recordRequestToJSON(forged.request), signature: forged.signature })).to.deep.equal([
        401,
        {
          code: "bad_signature",
          error: `the signature is not ${specialist.address}'s over this request (EOA or ERC-1271)`,
        },
      ]);
      // Another purpose than the one signed.
      const [s1, b1] = await post({
        request: { ...recordRequestToJSON(signed.request), purpose: Purpose.Operations },
        signature: signed.signature,
      });
      expect([s1, b1.code]).to.deep.equal([401, "bad_signature"]);
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(await store.snapshot()).to.equal(rows);
      // Served once, then replayed.
      const [ok] = await post({ request: recordRequestToJSON(signed.request), signature: signed.signature });
      expect(ok).to.equal(200);
      block = await ethers.provider.getBlockNumber();
      rows = await store.snapshot();
      const [s2, b2] = await post({ request: recordRequestToJSON(signed.request), signature: signed.signature });
      expect([s2, b2.code]).to.deep.equal([401, "replayed"]);
      // Expired.
      const old = await signRecordRequest(
        specialist,
        domain,
        { patient: patient.address, recordId: labsId, purpose: Purpose.Treatment },
        await time.latest(),
        5,
      );
      await time.increase(10);
      block = await ethers.provider.getBlockNumber();
      const [s3, b3] = await post({ request: recordRequestToJSON(old.request), signature: old.signature });
      expect([s3, b3.code]).to.deep.equal([401, "expired"]);
      // Unknown record.
      await refusedUnchanged(
        () => specialistClient.request({ patient: patient.address, recordId: ethers.id("none"), purpose: 0 }),
        "unknown_record",
      );
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(await store.snapshot()).to.equal(rows);
      // A tampered envelope fails the content-hash check from the chain.
      const release = await specialistClient.request({ patient: patient.address, recordId: labsId, purpose: 0 });
      const env = Buffer.from(release.envelope, "base64");
      env[env.length - 1] ^= 1;
      const err = await specialistClient.open({ ...release, envelope: env.toString("base64") }).catch((e) => e);
      expect(err).to.be.instanceOf(RecordCryptoError);
      expect((err as RecordCryptoError).reason).to.equal("content-hash-mismatch");
      // A signed call with a body other than the one signed.
      const headers = await signGatewayCall(
        specialist,
        domain,
        { method: "POST", pathAndQuery: "/records/search", body: JSON.stringify({ patient: patient.address }) },
        await time.latest(),
      );
      const tampered = await fetch(`${gateway.url}/records/search`, {
        method: "POST",
        headers,
        body: JSON.stringify({ patient: stranger.address }),
      });
      expect(tampered.status).to.equal(401);
    });
  });

  describe("revocation and withdrawal act from the next block", function () {
    const treatment = () => ({ patient: patient.address, recordId: labsId, purpose: Purpose.Treatment });

    it("revoke", async function () {
      await specialistClient.request(treatment());
      await records.connect(patient).revoke(patient.address, specialist.address);
      const e = await refusedUnchanged(() => specialistClient.request(treatment()), "Revoked");
      expect(await canAccessReason(specialist.address, labsId)).to.equal(AccessReason.Revoked);
      expect(e.status).to.equal(403);
    });

    it("revokeAll", async function () {
      await records.connect(patient).grant(patient.address, specialist.address, await terms());
      await specialistClient.request(treatment());
      await records.connect(patient).revokeAll(patient.address);
      const e = await refusedUnchanged(() => specialistClient.request(treatment()), "Revoked");
      expect(e.message).to.contain("Revoked");
    });

    it("deny rule", async function () {
      await records.connect(patient).grant(patient.address, specialist.address, await terms());
      await specialistClient.request(treatment());
      await records
        .connect(patient)
        .setDenyRule(patient.address, DenyScope.Actor, specialist.address, categoryMask(["Labs"]));
      await refusedUnchanged(() => specialistClient.request(treatment()), "Denied");
      // Imaging is not denied.
      await specialistClient.request({ ...treatment(), recordId: imagingId });
      await records.connect(patient).setDenyRule(patient.address, DenyScope.Actor, specialist.address, 0);
    });

    it("withholds the key when a revocation is mined after the disclosure, in its block (withheld)", async function () {
      // The race, for real: the gateway checks at the latest block and sends logDisclosure; the patient's
      // revoke reaches the same block behind it (a lower tip). logDisclosure passes (revoked only after
      // it), the check at the disclosure's block refuses: the disclosure stays logged, no key leaves.
      await records.connect(patient).grant(patient.address, specialist.address, await terms());
      const rows = (await store.disclosures(patient.address)).length;
      let outcome!: Promise<GatewayRequestError>;
      let settled = false;
      const revokeHash = await mineBehindNextTransaction({
        sender: hospital,
        what: "the gateway's logDisclosure",
        start: () => {
          outcome = refusal(specialistClient.request(treatment())).finally(() => (settled = true));
        },
        abort: async () =>
          settled ? `the gateway answered before sending logDisclosure: ${(await outcome).code}` : undefined,
        send: (fees) => records.connect(patient).revoke(patient.address, specialist.address, fees),
      });
      const e = await outcome;
      expect([e.status, e.code]).to.deep.equal([403, "Revoked"]);
      expect(e.message).to.contain("access ended at block");
      const revoked = (await ethers.provider.getTransactionReceipt(revokeHash))!;
      const kept = (await store.disclosures(patient.address)).slice(rows);
      expect(kept.length).to.equal(1);
      expect(kept[0].reason).to.equal("withheld:Revoked");
      const logged = (await ethers.provider.getTransactionReceipt(kept[0].transactionHash))!;
      // One block, the disclosure first, the revocation after it.
      expect(logged.blockNumber).to.equal(revoked.blockNumber);
      expect(logged.index).to.be.lessThan(revoked.index);
      expect(logged.logs.map((l) => records.interface.parseLog(l)?.name)).to.deep.equal(["DisclosureLogged"]);
      expect(await canAccessReason(specialist.address, labsId)).to.equal(AccessReason.Revoked);
    });

    it("guardian removal ends the guardian's grants", async function () {
      const [guardian] = (await ethers.getSigners()).slice(26, 27);
      const until = BigInt(await time.latest()) + 90n * DAY;
      await records
        .connect(patient)
        .setGuardian(patient.address, guardian.address, categoryMask(["Labs"]), GuardianPower.Grant, until);
      await records.connect(patient).revoke(patient.address, stranger.address);
      await records
        .connect(guardian)
        .grant(patient.address, stranger.address, await terms({ categories: categoryMask(["Labs"]) }));
      const strangerClient = await RecordsGatewayClient.connect(gateway.url, stranger, {
        encryptionPrivateKey: strangerKey,
      });
      await strangerClient.read(treatment());
      await records.connect(patient).setGuardian(patient.address, ethers.ZeroAddress, 0, 0, 0);
      const reason = await canAccessReason(stranger.address, labsId);
      expect(reason).to.equal(AccessReason.Revoked);
      await refusedUnchanged(() => strangerClient.request(treatment()), "Revoked");
    });

    it("trial consent withdrawal (a researcher under research consent)", async function () {
      const { researcher, trialId } = trials;
      const client = await RecordsGatewayClient.connect(gateway.url, researcher, {
        encryptionPrivateKey: researcherKey,
      });
      const asked = { patient: patient.address, recordId: labsId, purpose: Purpose.Research, trialId };
      await refusedUnchanged(() => client.request(asked), "NoResearchConsent");
      await trialConsent(trials, patient);
      const { resource, release } = await client.read(asked);
      expect(resource.resourceType).to.equal("Observation");
      expect(release.reason).to.equal("ResearchConsent");
      // Mental health is outside the consented categories.
      await refusedUnchanged(() => client.request({ ...asked, recordId: mentalId }), "CategoryNotGranted");
      // Without the trial id the researcher has no grant; a trial request must be for research.
      await refusedUnchanged(() => client.request({ ...asked, trialId: undefined }), "NoGrant");
      await refusedUnchanged(() => client.request({ ...asked, purpose: Purpose.Treatment }), "bad_request");
      const bundle = (await client.consents(patient.address, [trialId])) as {
        entry: { resource: Record<string, unknown> }[];
      };
      const research = bundle.entry.filter(
        (e) => (e.resource.scope as { coding: { code: string }[] }).coding[0].code === "research",
      );
      expect(research.length).to.equal(1);
      expect(validateFhirResource(research[0].resource)).to.equal("Consent");
      await trials.trials.connect(patient).withdraw(trialId, patient.address, WithdrawalChoice.NoFurtherCollection);
      await refusedUnchanged(() => client.request(asked), "NoResearchConsent");
    });
  });

  describe("break-glass, updates, search, Consent", function () {
    it("serves a provider in an active break-glass window and keeps the disclosure as an emergency", async function () {
      const erClient = await RecordsGatewayClient.connect(gateway.url, er, { encryptionPrivateKey: erKey });
      await refusedUnchanged(
        () => erClient.request({ patient: patient.address, recordId: mentalId, purpose: Purpose.Treatment }),
        "NoGrant",
      );
      const opening = { reasonCode: 1, note: "unconscious on arrival", salt: newSalt() };
      await records
        .connect(er)
        .breakGlass(patient.address, emergencyReasonCommitment(patient.address, er.address, opening));
      const { release } = await erClient.read({
        patient: patient.address,
        recordId: mentalId,
        purpose: Purpose.Treatment,
      });
      expect(release.reason).to.equal("BreakGlass");
      expect(release.emergency).to.equal(true);
      const kept = (await store.disclosures(patient.address)).find(
        (d) => d.transactionHash === release.disclosure.transactionHash,
      );
      expect(kept!.emergency).to.equal(true);
      expect(kept!.reason).to.equal("BreakGlass");
      await time.increase(Number(DAY) + 1);
      await refusedUnchanged(
        () => erClient.request({ patient: patient.address, recordId: mentalId, purpose: Purpose.Treatment }),
        "NoGrant",
      );
    });

    it("a new version gets a new key and epoch; its key is wrapped only for readers still allowed", async function () {
      await records.connect(patient).grant(patient.address, specialist.address, await terms());
      const v1 = await custodianClient.update({
        patient: patient.address,
        recordId: labsId,
        resource: observation("0.03 ng/mL (corrected)"),
        readers: [specialist.address, er.address],
      });
      expect(v1.keyEpoch).to.equal(1);
      expect(v1.wraps).to.deep.equal([
        { reader: specialist.address, wrapped: true },
        { reader: er.address, wrapped: false, skipped: "no access" },
      ]);
      expect((await records.recordOf(patient.address, labsId)).contentHash).to.equal(v1.contentHash);
      const { resource, release } = await specialistClient.read({
        patient: patient.address,
        recordId: labsId,
        purpose: 0,
      });
      expect(resource.valueString).to.equal("0.03 ng/mL (corrected)");
      expect(release.context.keyEpoch).to.equal("1");
      await refusedUnchanged(
        () =>
          custodianClient.update({
            patient: patient.address,
            recordId: labsId,
            resource: { resourceType: "Observation" },
          }),
        "invalid_fhir",
      );
    });

    it("search lists only the records canAccess allows", async function () {
      const listed = await specialistClient.search(patient.address);
      expect(listed.map((r) => r.recordId).sort()).to.deep.equal([labsId, imagingId].sort());
      expect(listed.map((r) => r.categoryName).sort()).to.deep.equal(["Imaging", "Labs"]);
      const strangerClient = await RecordsGatewayClient.connect(gateway.url, er);
      expect(await strangerClient.search(patient.address)).to.deep.equal([]);
    });

    it("serves grants and deny rules as FHIR R4 Consent resources valid against the schema", async function () {
      await records
        .connect(patient)
        .setDenyRule(patient.address, DenyScope.AllExcept, hospital.address, categoryMask(["MentalHealth"]));
      await records
        .connect(patient)
        .setDenyRule(patient.address, DenyScope.Actor, er.address, categoryMask(["Genomic"]));
      const bundle = (await specialistClient.consents(patient.address)) as {
        entry: { resource: Record<string, unknown> & { provision: Record<string, unknown> } }[];
      };
      expect(validateFhirResource(bundle)).to.equal("Bundle");
      for (const e of bundle.entry) expect(validateFhirResource(e.resource)).to.equal("Consent");
      const grant = bundle.entry.find(
        (e) => e.resource.id === `grant-${specialist.address.slice(2, 10).toLowerCase()}`,
      )!;
      expect(grant.resource.provision.type).to.equal("permit");
      expect(grant.resource.provision.purpose).to.deep.equal([
        { system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "TREAT" },
      ]);
      expect((grant.resource.provision.code as unknown[]).length).to.equal(2);
      const denies = bundle.entry.filter((e) => e.resource.provision.type === "deny");
      expect(denies.map((d) => d.resource.id).sort()).to.deep.equal(
        ["deny-all", `deny-${er.address.slice(2, 10).toLowerCase()}`].sort(),
      );
    });

    it("refuses a replayed record request, search and Consent query after a restart on the same database", async function () {
      const options = await freshDatabase("restart", true);
      const open = async () => {
        const s = new RecordStore(await openDatabase(options));
        await s.init();
        const g = await startGateway({
          store: s,
          custodian: hospital,
          recordAccess: await records.getAddress(),
          encryptionPrivateKey: ethers.id("test: restarted gateway key"),
        });
        return { store: s, gateway: g };
      };
      await records.connect(patient).grant(patient.address, specialist.address, await terms());
      let running = await open();
      try {
        const now = await time.latest();
        const uploaded = await (
          await RecordsGatewayClient.connect(running.gateway.url, hospital)
        ).upload({
          patient: patient.address,
          localId: "LAB-RESTART-1",
          category: "Labs",
          recordDate: now - 86400,
          resource: observation("0.01 ng/mL"),
        });
        const domain = (await RecordsGatewayClient.connect(running.gateway.url, specialist)).domain;
        const request = await signRecordRequest(
          specialist,
          domain,
          { patient: patient.address, recordId: uploaded.recordId, purpose: Purpose.Treatment },
          await time.latest(),
        );
        const searchBody = JSON.stringify({ patient: patient.address });
        const searchHeaders = await signGatewayCall(
          specialist,
          domain,
          { method: "POST", pathAndQuery: "/records/search", body: searchBody },
          await time.latest(),
        );
        const consentPath = `/fhir/Consent?patient=${patient.address}`;
        const consentHeaders = await signGatewayCall(
          specialist,
          domain,
          { method: "GET", pathAndQuery: consentPath },
          await time.latest(),
        );
        // The same three signed requests, byte for byte: [status, code].
        const replay = async (url: string) => {
          const answers = [
            await fetch(`${url}/records/request`, {
              method: "POST",
              body: JSON.stringify({ request: recordRequestToJSON(request.request), signature: request.signature }),
            }),
            await fetch(`${url}/records/search`, { method: "POST", headers: searchHeaders, body: searchBody }),
            await fetch(`${url}${consentPath}`, { headers: consentHeaders }),
          ];
          return Promise.all(
            answers.map(async (r) => [r.status, ((await r.json()) as { code?: string }).code ?? "ok"] as const),
          );
        };
        expect(await replay(running.gateway.url)).to.deep.equal([
          [200, "ok"],
          [200, "ok"],
          [200, "ok"],
        ]);
        const refused = [
          [401, "replayed"],
          [401, "replayed"],
          [401, "replayed"],
        ];
        expect(await replay(running.gateway.url)).to.deep.equal(refused);
        await running.gateway.close();
        await running.store.close();
        running = await open();
        const block = await ethers.provider.getBlockNumber();
        const rows = await running.store.snapshot();
        expect(await replay(running.gateway.url)).to.deep.equal(refused);
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
        expect(await running.store.snapshot()).to.equal(rows);
        // A fresh request is served by the restarted gateway.
        const client = await RecordsGatewayClient.connect(running.gateway.url, specialist);
        expect((await client.search(patient.address)).map((r) => r.recordId)).to.deep.equal([uploaded.recordId]);
      } finally {
        await running.gateway.close();
        await running.store.close();
        if (options.dataDir) fs.rmSync(options.dataDir, { recursive: true, force: true });
      }
    });

    it("logs carry no record content", async function () {
      expect(lines.length).to.be.greaterThan(10);
      for (const l of lines) expect(l).to.not.match(/ng\/mL|Echocardiogram|consult|Troponin|EF 58/);
    });
  });
});
