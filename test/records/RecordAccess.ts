import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { shouldBehaveLikeMemberGated } from "../helpers/behaviours";
import { recordsFixture, defaultTerms, testRecordId, DAY } from "./fixture";
import { deployProxied } from "../helpers/proxy";
import type { RecordAccess } from "../../typechain-types";
import {
  AccessReason,
  Action,
  ALL_CATEGORIES,
  ALL_GUARDIAN_POWERS,
  DenyScope,
  EmergencyReason,
  GuardianPower,
  GrantTerms,
  Purpose,
  RecordCategory,
  categoryMask,
  emergencyReasonCommitment,
  purposeMask,
  signLinkResearchParticipant,
  signSetDenyRule,
  encryptionKeyId,
  encryptionKeyProof,
  encryptionKeyProofTypedData,
  encryptionPublicKeyOf,
  type RecordsDomain,
} from "../../src/records";
import { signTypedData, typedDataDigest } from "../../src/signatures";
import { toHighS } from "../helpers/signatures";
import { Role } from "../../src/roles";

const FOUR_CATEGORIES = categoryMask(["Labs", "Imaging", "Medications", "Notes"]);
import { signedFields, smartWalletOf } from "./fixture";

type Ctx = Awaited<ReturnType<typeof recordsFixture>>;

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

async function grantSpecialist(ctx: Ctx, overrides: Partial<GrantTerms> = {}) {
  await ctx.records
    .connect(ctx.patient)
    .grant(ctx.patient.address, ctx.specialist.address, await defaultTerms(overrides));
}

async function appoint(ctx: Ctx, categories = ALL_CATEGORIES, powers = ALL_GUARDIAN_POWERS, until?: bigint) {
  await ctx.records
    .connect(ctx.patient)
    .setGuardian(ctx.patient.address, ctx.guardian.address, categories, powers, until ?? (await now()) + 365n * DAY);
}

/** A distinct stand-in for a salted break-glass reason commitment. */
function reason(n: number): string {
  return ethers.id(`reason commitment ${n}`);
}

async function check(ctx: Ctx, accessor: string, recordId: string, purpose: number = Purpose.Treatment) {
  const [allowed, reason] = await ctx.records.canAccess(ctx.patient.address, accessor, recordId, purpose);
  return { allowed, reason: Number(reason) };
}

describe("RecordAccess", function () {
  describe("deployment", function () {
    it("reverts when the registry or the research consent contract is the zero address", async function () {
      const ctx = await loadFixture(recordsFixture);
      const factory = await ethers.getContractFactory("RecordAccess");
      const trials = ctx.deployed.trials as { getAddress(): Promise<string> };
      await expect(
        deployProxied("RecordAccess", [ethers.ZeroAddress], [await trials.getAddress()]),
      ).to.be.revertedWithCustomError(factory, "MemberGatedZeroRegistry");
      await expect(
        deployProxied("RecordAccess", [await ctx.registry.getAddress()], [ethers.ZeroAddress]),
      ).to.be.revertedWithCustomError(factory, "RecordAccessZeroAddress");
    });

    it("links the registry and the trials contract from the Ignition modules", async function () {
      const ctx = await loadFixture(recordsFixture);
      const trials = ctx.deployed.trials as { getAddress(): Promise<string> };
      expect(await ctx.records.registry()).to.equal(await ctx.registry.getAddress());
      expect(await ctx.records.researchConsent()).to.equal(await trials.getAddress());
      expect(await ctx.records.EMERGENCY_ACCESS_DURATION()).to.equal(24n * 3600n);
    });
  });

  describe("registerRecord", function () {
    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recordsFixture);
      return {
        contract: ctx.records,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "PROVIDER",
        call: async (caller: HardhatEthersSigner) =>
          ctx.records
            .connect(caller)
            .registerRecord(ctx.patient.address, testRecordId(99), 0, ethers.id("x"), (await now()) - 10n),
      };
    });

    it("emits RecordRegistered and stores the pointer when a provider registers a record", async function () {
      const ctx = await loadFixture(recordsFixture);
      const id = testRecordId(10);
      const date = (await now()) - DAY;
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .registerRecord(ctx.patient.address, id, RecordCategory.Genomic, ethers.id("g"), date),
      )
        .to.emit(ctx.records, "RecordRegistered")
        .withArgs(ctx.patient.address, id, ctx.specialist.address, RecordCategory.Genomic, date, ethers.id("g"));
      const r = await ctx.records.recordOf(ctx.patient.address, id);
      expect([r.custodian, r.category, r.recordDate, r.keyEpoch, r.contentHash]).to.deep.equal([
        ctx.specialist.address,
        BigInt(RecordCategory.Genomic),
        date,
        0n,
        ethers.id("g"),
      ]);
    });

    it("reverts when the patient is zero or the caller itself", async function () {
      const ctx = await loadFixture(recordsFixture);
      const h = ctx.records.connect(ctx.hospital);
      const date = (await now()) - 1n;
      await expect(h.registerRecord(ethers.ZeroAddress, testRecordId(9), 0, ethers.id("x"), date))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPatient")
        .withArgs(ethers.ZeroAddress);
      await expect(h.registerRecord(ctx.hospital.address, testRecordId(9), 0, ethers.id("x"), date))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPatient")
        .withArgs(ctx.hospital.address);
    });

    it("reverts when the record id is zero", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records
          .connect(ctx.hospital)
          .registerRecord(ctx.patient.address, ethers.ZeroHash, RecordCategory.Labs, ethers.id("x"), 1n),
      ).to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidRecordId");
    });

    it("reverts when the category is beyond 8", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.hospital).registerRecord(ctx.patient.address, testRecordId(9), 9, ethers.id("x"), 1n),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidCategory")
        .withArgs(9);
    });

    it("reverts when the content hash is zero", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.hospital).registerRecord(ctx.patient.address, testRecordId(9), 0, ethers.ZeroHash, 1n),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidContentHash")
        .withArgs(ethers.ZeroHash);
    });

    it("reverts when the record date is zero or in the future", async function () {
      const ctx = await loadFixture(recordsFixture);
      const h = ctx.records.connect(ctx.hospital);
      await expect(h.registerRecord(ctx.patient.address, testRecordId(9), 0, ethers.id("x"), 0n))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidRecordDate")
        .withArgs(0n);
      const future = (await now()) + DAY;
      await expect(h.registerRecord(ctx.patient.address, testRecordId(9), 0, ethers.id("x"), future))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidRecordDate")
        .withArgs(future);
    });

    it("accepts a record dated the second of the block that registers it", async function () {
      // The boundary of "not in the future": recordDate == block.timestamp is today's record.
      const ctx = await loadFixture(recordsFixture);
      const at = (await now()) + 10n;
      await time.setNextBlockTimestamp(at);
      await ctx.records
        .connect(ctx.hospital)
        .registerRecord(ctx.patient.address, testRecordId(9), 0, ethers.id("x"), at);
      expect((await ctx.records.recordOf(ctx.patient.address, testRecordId(9))).recordDate).to.equal(at);
    });

    it("reverts when the patient already has a record with that id, whoever registers it", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .registerRecord(ctx.patient.address, ctx.labs.id, RecordCategory.Labs, ethers.id("y"), 1n),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessRecordExists")
        .withArgs(ctx.patient.address, ctx.labs.id);
      expect((await ctx.records.recordOf(ctx.patient.address, ctx.labs.id)).custodian).to.equal(ctx.hospital.address);
    });
  });

  describe("updateRecordContent", function () {
    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recordsFixture);
      return {
        contract: ctx.records,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "PROVIDER",
        call: (caller: HardhatEthersSigner) =>
          ctx.records.connect(caller).updateRecordContent(ctx.patient.address, ctx.labs.id, ethers.id("v2")),
      };
    });

    it("emits RecordContentUpdated and bumps the key epoch when the custodian re-encrypts", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.hospital).updateRecordContent(ctx.patient.address, ctx.labs.id, ethers.id("v2")),
      )
        .to.emit(ctx.records, "RecordContentUpdated")
        .withArgs(ctx.patient.address, ctx.labs.id, ethers.id("v2"), 1n);
      const r = await ctx.records.recordOf(ctx.patient.address, ctx.labs.id);
      expect([r.contentHash, r.keyEpoch]).to.deep.equal([ethers.id("v2"), 1n]);
    });

    it("reverts when the record is unknown", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.hospital).updateRecordContent(ctx.patient2.address, ctx.labs.id, ethers.id("v2")),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnknownRecord")
        .withArgs(ctx.patient2.address, ctx.labs.id);
    });

    it("reverts when the caller is not the custodian", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.specialist).updateRecordContent(ctx.patient.address, ctx.labs.id, ethers.id("v2")),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotCustodian")
        .withArgs(ctx.patient.address, ctx.labs.id, ctx.specialist.address);
    });

    it("reverts when the new hash is zero or unchanged", async function () {
      const ctx = await loadFixture(recordsFixture);
      const h = ctx.records.connect(ctx.hospital);
      await expect(h.updateRecordContent(ctx.patient.address, ctx.labs.id, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidContentHash")
        .withArgs(ethers.ZeroHash);
      await expect(h.updateRecordContent(ctx.patient.address, ctx.labs.id, ctx.labs.hash))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidContentHash")
        .withArgs(ctx.labs.hash);
    });
  });

  describe("grant", function () {
    it("emits AccessGranted and stores one word when the patient grants", async function () {
      const ctx = await loadFixture(recordsFixture);
      const terms = await defaultTerms();
      await expect(ctx.records.connect(ctx.patient).grant(ctx.patient.address, ctx.specialist.address, terms))
        .to.emit(ctx.records, "AccessGranted")
        .withArgs(ctx.patient.address, ctx.specialist.address, ctx.patient.address, Object.values(terms), 0n);
      const g = await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address);
      expect([g.categories, g.actions, g.purposes, g.validFrom, g.validUntil, g.dataFrom, g.dataUntil]).to.deep.equal(
        Object.values(terms).map((v) => BigInt(v)),
      );
      expect([g.revoked, g.epoch, g.deniedCategories]).to.deep.equal([false, 0n, 0n]);
      expect(await check(ctx, ctx.specialist.address, ctx.labs.id)).to.deep.equal({
        allowed: true,
        reason: AccessReason.Granted,
      });
    });

    it("emits when a smart-wallet patient grants directly through its wallet", async function () {
      const ctx = await loadFixture(recordsFixture);
      const wallet = await ethers.deployContract("ERC1271WalletMock", [ctx.patient2.address]);
      const walletAddress = await wallet.getAddress();
      const data = ctx.records.interface.encodeFunctionData("grant", [
        walletAddress,
        ctx.specialist.address,
        await defaultTerms(),
      ]);
      await expect(wallet.connect(ctx.patient2).execute(await ctx.records.getAddress(), data))
        .to.emit(ctx.records, "AccessGranted")
        .withArgs(walletAddress, ctx.specialist.address, walletAddress, anyValue, 0n);
    });

    it("replaces the previous grant and keeps the deny rule against the grantee", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await ctx.records
        .connect(ctx.patient)
        .setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.specialist.address, categoryMask(["Imaging"]));
      await grantSpecialist(ctx, { categories: categoryMask(["Labs", "Imaging", "Notes"]) });
      const g = await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address);
      expect(g.categories).to.equal(BigInt(categoryMask(["Labs", "Imaging", "Notes"])));
      expect(g.deniedCategories).to.equal(BigInt(categoryMask(["Imaging"])));
      expect((await check(ctx, ctx.specialist.address, ctx.imaging.id)).reason).to.equal(AccessReason.Denied);
    });

    it("reverts when the caller is neither the patient nor its guardian", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.specialist).grant(ctx.patient.address, ctx.specialist.address, await defaultTerms()),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnauthorized")
        .withArgs(ctx.patient.address, ctx.specialist.address);
    });

    it("emits with the guardian as actor when a guardian grants within its scope", async function () {
      const ctx = await loadFixture(recordsFixture);
      await appoint(ctx, categoryMask(["Labs", "Imaging"]), GuardianPower.Grant);
      await expect(
        ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, await defaultTerms()),
      )
        .to.emit(ctx.records, "AccessGranted")
        // a guardian's grant carries the guardian epoch (1: its first appointment), not the patient's
        .withArgs(ctx.patient.address, ctx.specialist.address, ctx.guardian.address, anyValue, 1n);
    });

    it("reverts when a guardian grants categories outside its scope or lacks the grant power", async function () {
      const ctx = await loadFixture(recordsFixture);
      await appoint(ctx, categoryMask(["Labs"]), GuardianPower.Grant | GuardianPower.Revoke);
      const terms = await defaultTerms();
      await expect(ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, terms))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(ctx.patient.address, ctx.guardian.address, GuardianPower.Grant, terms.categories);
      await appoint(ctx, ALL_CATEGORIES, GuardianPower.Revoke);
      await expect(ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, terms))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(ctx.patient.address, ctx.guardian.address, GuardianPower.Grant, terms.categories);
    });

    it("reverts when a guardian would replace a grant covering categories outside its scope", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx, { categories: categoryMask(["Labs", "MentalHealth"]) });
      await appoint(ctx, categoryMask(["Labs"]), GuardianPower.Grant);
      const terms = await defaultTerms({ categories: categoryMask(["Labs"]) });
      await expect(ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, terms))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(
          ctx.patient.address,
          ctx.guardian.address,
          GuardianPower.Grant,
          categoryMask(["Labs", "MentalHealth"]),
        );
    });

    describe("a guardian's grants end with the guardian (issue 10, finding 1)", function () {
      async function guardianGrant(ctx: Ctx, overrides: Partial<GrantTerms> = {}) {
        await ctx.records
          .connect(ctx.guardian)
          .grant(ctx.patient.address, ctx.specialist.address, await defaultTerms(overrides));
      }

      it("stops counting once the patient removes the guardian", async function () {
        const ctx = await loadFixture(recordsFixture);
        await appoint(ctx);
        await guardianGrant(ctx);
        expect(await check(ctx, ctx.specialist.address, ctx.labs.id)).to.deep.equal({
          allowed: true,
          reason: AccessReason.Granted,
        });
        await ctx.records.connect(ctx.patient).setGuardian(ctx.patient.address, ethers.ZeroAddress, 0, 0, 0);
        expect(await check(ctx, ctx.specialist.address, ctx.labs.id)).to.deep.equal({
          allowed: false,
          reason: AccessReason.Revoked,
        });
      });

      it("stops counting once the patient replaces the guardian (or re-appoints it)", async function () {
        const ctx = await loadFixture(recordsFixture);
        await appoint(ctx);
        await guardianGrant(ctx);
        await ctx.records
          .connect(ctx.patient)
          .setGuardian(
            ctx.patient.address,
            ctx.family.address,
            ALL_CATEGORIES,
            ALL_GUARDIAN_POWERS,
            (await now()) + 365n * DAY,
          );
        expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Revoked);
        // The new guardian's own grant counts; re-appointing it starts a new epoch again.
        await ctx.records.connect(ctx.family).grant(ctx.patient.address, ctx.specialist.address, await defaultTerms());
        expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Granted);
        await ctx.records
          .connect(ctx.patient)
          .setGuardian(
            ctx.patient.address,
            ctx.family.address,
            ALL_CATEGORIES,
            ALL_GUARDIAN_POWERS,
            (await now()) + 400n * DAY,
          );
        expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Revoked);
      });

      it("stops counting after revokeAll, while the same guardian stays in office", async function () {
        const ctx = await loadFixture(recordsFixture);
        await appoint(ctx);
        await guardianGrant(ctx);
        await ctx.records.connect(ctx.patient).revokeAll(ctx.patient.address);
        expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Revoked);
      });

      it("keeps the patient's own grants when the guardian changes", async function () {
        const ctx = await loadFixture(recordsFixture);
        await appoint(ctx);
        await grantSpecialist(ctx);
        await ctx.records.connect(ctx.patient).setGuardian(ctx.patient.address, ethers.ZeroAddress, 0, 0, 0);
        expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Granted);
      });

      it("reverts when the guardian grants beyond its own term", async function () {
        const ctx = await loadFixture(recordsFixture);
        const until = (await now()) + 10n * DAY;
        await appoint(ctx, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, until);
        const terms = await defaultTerms({ validUntil: 2n ** 40n - 1n });
        await expect(ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, terms))
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessGrantOutlivesGuardian")
          .withArgs(terms.validUntil, until);
        // up to the last second of its term is fine
        await guardianGrant(ctx, { validUntil: until });
        expect((await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address)).validUntil).to.equal(until);
      });

      it("reverts when the guardian grants to itself", async function () {
        const ctx = await loadFixture(recordsFixture);
        await appoint(ctx);
        await expect(
          ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.guardian.address, await defaultTerms()),
        )
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianSelfDealing")
          .withArgs(ctx.patient.address, ctx.guardian.address);
      });

      it("reverts when the guardian names itself in a deny rule (lifting one against it, or exempting itself)", async function () {
        const ctx = await loadFixture(recordsFixture);
        await appoint(ctx);
        await ctx.records
          .connect(ctx.patient)
          .setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.guardian.address, categoryMask(["MentalHealth"]));
        for (const [scope, categories] of [
          [DenyScope.Actor, 0],
          [DenyScope.AllExcept, categoryMask(["MentalHealth"])],
        ]) {
          await expect(
            ctx.records.connect(ctx.guardian).setDenyRule(ctx.patient.address, scope, ctx.guardian.address, categories),
          )
            .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianSelfDealing")
            .withArgs(ctx.patient.address, ctx.guardian.address);
        }
      });
    });

    it("reverts when the guardian's term has ended", async function () {
      const ctx = await loadFixture(recordsFixture);
      await appoint(ctx, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, (await now()) + 100n);
      await time.increase(101);
      await expect(
        ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, await defaultTerms()),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnauthorized")
        .withArgs(ctx.patient.address, ctx.guardian.address);
    });

    it("reverts when the patient is zero", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records.connect(ctx.patient).grant(ethers.ZeroAddress, ctx.specialist.address, await defaultTerms()),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPatient")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts when the grantee is zero or the patient", async function () {
      const ctx = await loadFixture(recordsFixture);
      const p = ctx.records.connect(ctx.patient);
      for (const grantee of [ethers.ZeroAddress, ctx.patient.address]) {
        await expect(p.grant(ctx.patient.address, grantee, await defaultTerms()))
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidGrantee")
          .withArgs(grantee);
      }
    });

    const badTerms: [string, string, Partial<GrantTerms>, (t: GrantTerms) => unknown[]][] = [
      ["no category", "RecordAccessInvalidCategories", { categories: 0 }, (t) => [t.categories]],
      ["a tenth category bit", "RecordAccessInvalidCategories", { categories: 0x200 }, (t) => [t.categories]],
      ["no action", "RecordAccessInvalidActions", { actions: 0 }, (t) => [t.actions]],
      ["an unknown action bit", "RecordAccessInvalidActions", { actions: 4 }, (t) => [t.actions]],
      ["no purpose", "RecordAccessInvalidPurposes", { purposes: 0 }, (t) => [t.purposes]],
      ["a seventh purpose bit", "RecordAccessInvalidPurposes", { purposes: 0x40 }, (t) => [t.purposes]],
      [
        // In the future, so that only emptiness is wrong with it (year 2096).
        "an empty period",
        "RecordAccessInvalidPeriod",
        { validFrom: 4_000_000_000n, validUntil: 4_000_000_000n },
        (t) => [t.validFrom, t.validUntil],
      ],
      [
        "a period already over",
        "RecordAccessInvalidPeriod",
        { validFrom: 1n, validUntil: 2n },
        (t) => [t.validFrom, t.validUntil],
      ],
      [
        "a zero data window end",
        "RecordAccessInvalidDataPeriod",
        { dataFrom: 0n, dataUntil: 0n },
        (t) => [t.dataFrom, t.dataUntil],
      ],
      [
        "an inverted data window",
        "RecordAccessInvalidDataPeriod",
        { dataFrom: 10n, dataUntil: 9n },
        (t) => [t.dataFrom, t.dataUntil],
      ],
    ];
    for (const [what, error, overrides, args] of badTerms) {
      it(`reverts when the terms have ${what}`, async function () {
        const ctx = await loadFixture(recordsFixture);
        const terms = await defaultTerms(overrides);
        await expect(ctx.records.connect(ctx.patient).grant(ctx.patient.address, ctx.specialist.address, terms))
          .to.be.revertedWithCustomError(ctx.records, error)
          .withArgs(...args(terms));
        expect((await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address)).validUntil).to.equal(0n);
      });
    }
  });

  describe("revoke", function () {
    it("emits AccessRevoked and the grant stops passing in the same block", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await expect(ctx.records.connect(ctx.patient).revoke(ctx.patient.address, ctx.specialist.address))
        .to.emit(ctx.records, "AccessRevoked")
        .withArgs(ctx.patient.address, ctx.specialist.address, ctx.patient.address);
      expect(await check(ctx, ctx.specialist.address, ctx.labs.id)).to.deep.equal({
        allowed: false,
        reason: AccessReason.Revoked,
      });
      expect((await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address)).revoked).to.equal(true);
    });

    it("emits and changes nothing when there is no grant to revoke (revocation never fails)", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(ctx.records.connect(ctx.patient).revoke(ctx.patient.address, ctx.family.address)).to.emit(
        ctx.records,
        "AccessRevoked",
      );
      const g = await ctx.records.grantOf(ctx.patient.address, ctx.family.address);
      expect([g.validUntil, g.revoked]).to.deep.equal([0n, false]);
    });

    it("reverts when the caller is neither the patient nor its guardian", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await expect(ctx.records.connect(ctx.specialist).revoke(ctx.patient.address, ctx.specialist.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnauthorized")
        .withArgs(ctx.patient.address, ctx.specialist.address);
    });

    it("lets a guardian revoke a grant within its scope, not one beyond it", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await ctx.records
        .connect(ctx.patient)
        .grant(
          ctx.patient.address,
          ctx.family.address,
          await defaultTerms({ categories: categoryMask(["Reproductive"]) }),
        );
      await appoint(ctx, categoryMask(["Labs", "Imaging"]), GuardianPower.Revoke);
      await expect(ctx.records.connect(ctx.guardian).revoke(ctx.patient.address, ctx.specialist.address))
        .to.emit(ctx.records, "AccessRevoked")
        .withArgs(ctx.patient.address, ctx.specialist.address, ctx.guardian.address);
      await expect(ctx.records.connect(ctx.guardian).revoke(ctx.patient.address, ctx.family.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(ctx.patient.address, ctx.guardian.address, GuardianPower.Revoke, categoryMask(["Reproductive"]));
    });
  });

  describe("revokeAll", function () {
    it("emits AllAccessRevoked, bumps the epoch and every grant stops passing", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await ctx.records
        .connect(ctx.patient)
        .grant(
          ctx.patient.address,
          ctx.family.address,
          await defaultTerms({ purposes: purposeMask(["PatientRequest"]) }),
        );
      await expect(ctx.records.connect(ctx.patient).revokeAll(ctx.patient.address))
        .to.emit(ctx.records, "AllAccessRevoked")
        .withArgs(ctx.patient.address, ctx.patient.address, 1n);
      expect(await ctx.records.epochOf(ctx.patient.address)).to.equal(1n);
      // No guardian: there is no guardian epoch to end (the next guardian's starts at 1).
      expect((await ctx.records.guardianOf(ctx.patient.address)).epoch).to.equal(0n);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Revoked);
      expect((await check(ctx, ctx.family.address, ctx.labs.id, Purpose.PatientRequest)).reason).to.equal(
        AccessReason.Revoked,
      );
    });

    it("lets a new grant count again after a revokeAll", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await ctx.records.connect(ctx.patient).revokeAll(ctx.patient.address);
      await grantSpecialist(ctx);
      expect((await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address)).epoch).to.equal(1n);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).allowed).to.equal(true);
    });

    it("reverts when the caller is neither the patient nor its guardian", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(ctx.records.connect(ctx.stranger).revokeAll(ctx.patient.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnauthorized")
        .withArgs(ctx.patient.address, ctx.stranger.address);
    });

    it("needs a guardian with the revoke power over all nine categories", async function () {
      const ctx = await loadFixture(recordsFixture);
      await appoint(ctx, categoryMask(["Labs"]), GuardianPower.Revoke);
      await expect(ctx.records.connect(ctx.guardian).revokeAll(ctx.patient.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(ctx.patient.address, ctx.guardian.address, GuardianPower.Revoke, ALL_CATEGORIES);
      await appoint(ctx, ALL_CATEGORIES, GuardianPower.Revoke);
      await expect(ctx.records.connect(ctx.guardian).revokeAll(ctx.patient.address))
        .to.emit(ctx.records, "AllAccessRevoked")
        .withArgs(ctx.patient.address, ctx.guardian.address, 1n);
    });
  });

  describe("setDenyRule", function () {
    it("emits DenyRuleSet and denies the categories to one actor despite its grant", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      const mask = categoryMask(["Labs"]);
      await expect(
        ctx.records
          .connect(ctx.patient)
          .setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.specialist.address, mask),
      )
        .to.emit(ctx.records, "DenyRuleSet")
        .withArgs(ctx.patient.address, ctx.specialist.address, ctx.patient.address, DenyScope.Actor, mask);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Denied);
      expect((await check(ctx, ctx.specialist.address, ctx.imaging.id)).reason).to.equal(AccessReason.Granted);
    });

    it("denies categories to everyone but the exempt actor, who still needs a grant", async function () {
      const ctx = await loadFixture(recordsFixture);
      const all = await defaultTerms({ categories: ALL_CATEGORIES });
      await ctx.records.connect(ctx.patient).grant(ctx.patient.address, ctx.specialist.address, all);
      await ctx.records.connect(ctx.patient).grant(ctx.patient.address, ctx.family.address, all);
      const mask = categoryMask(["MentalHealth"]);
      await ctx.records
        .connect(ctx.patient)
        .setDenyRule(ctx.patient.address, DenyScope.AllExcept, ctx.specialist.address, mask);
      expect(await ctx.records.denyRuleOf(ctx.patient.address)).to.deep.equal([BigInt(mask), ctx.specialist.address]);
      expect((await check(ctx, ctx.specialist.address, ctx.mental.id)).reason).to.equal(AccessReason.Granted);
      expect((await check(ctx, ctx.family.address, ctx.mental.id)).reason).to.equal(AccessReason.Denied);
      expect((await check(ctx, ctx.researcher.address, ctx.mental.id)).reason).to.equal(AccessReason.Denied);
      // the patient and the custodian are not bound by deny rules
      expect((await check(ctx, ctx.patient.address, ctx.mental.id)).reason).to.equal(AccessReason.Patient);
      expect((await check(ctx, ctx.hospital.address, ctx.mental.id)).reason).to.equal(AccessReason.Custodian);
    });

    it("lifts a rule with an empty mask and survives revokeAll", async function () {
      const ctx = await loadFixture(recordsFixture);
      const p = ctx.records.connect(ctx.patient);
      await p.setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.specialist.address, categoryMask(["Labs"]));
      await p.revokeAll(ctx.patient.address);
      await grantSpecialist(ctx);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Denied);
      await p.setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.specialist.address, 0);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Granted);
    });

    it("reverts when the scope is neither 1 nor 2", async function () {
      const ctx = await loadFixture(recordsFixture);
      for (const scope of [0, 3]) {
        await expect(
          ctx.records.connect(ctx.patient).setDenyRule(ctx.patient.address, scope, ctx.specialist.address, 1),
        )
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidDenyScope")
          .withArgs(scope);
      }
    });

    it("reverts when an actor rule targets zero or the patient", async function () {
      const ctx = await loadFixture(recordsFixture);
      for (const target of [ethers.ZeroAddress, ctx.patient.address]) {
        await expect(ctx.records.connect(ctx.patient).setDenyRule(ctx.patient.address, DenyScope.Actor, target, 1))
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidGrantee")
          .withArgs(target);
      }
    });

    it("reverts when the mask has bits beyond the nine categories", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records
          .connect(ctx.patient)
          .setDenyRule(ctx.patient.address, DenyScope.AllExcept, ethers.ZeroAddress, 0x200),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidCategories")
        .withArgs(0x200);
    });

    it("reverts when the caller is neither the patient nor its guardian", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.specialist.address, 0),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnauthorized")
        .withArgs(ctx.patient.address, ctx.specialist.address);
    });

    it("lets a guardian set rules within its scope only (old and new masks)", async function () {
      const ctx = await loadFixture(recordsFixture);
      const p = ctx.records.connect(ctx.patient);
      await p.setDenyRule(ctx.patient.address, DenyScope.AllExcept, ethers.ZeroAddress, categoryMask(["Reproductive"]));
      await appoint(ctx, categoryMask(["Labs", "MentalHealth"]), GuardianPower.Deny);
      const g = ctx.records.connect(ctx.guardian);
      await expect(g.setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.specialist.address, categoryMask(["Labs"])))
        .to.emit(ctx.records, "DenyRuleSet")
        .withArgs(
          ctx.patient.address,
          ctx.specialist.address,
          ctx.guardian.address,
          DenyScope.Actor,
          categoryMask(["Labs"]),
        );
      // lifting the patient's reproductive rule would exceed the guardian's scope
      await expect(g.setDenyRule(ctx.patient.address, DenyScope.AllExcept, ethers.ZeroAddress, categoryMask(["Labs"])))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(
          ctx.patient.address,
          ctx.guardian.address,
          GuardianPower.Deny,
          categoryMask(["Labs", "Reproductive"]),
        );
      await expect(g.setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.family.address, categoryMask(["Genomic"])))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope")
        .withArgs(ctx.patient.address, ctx.guardian.address, GuardianPower.Deny, categoryMask(["Genomic"]));
    });
  });

  describe("setGuardian", function () {
    it("emits GuardianSet and stores the scope", async function () {
      const ctx = await loadFixture(recordsFixture);
      const until = (await now()) + 100n * DAY;
      await expect(
        ctx.records
          .connect(ctx.patient)
          .setGuardian(ctx.patient.address, ctx.guardian.address, FOUR_CATEGORIES, GuardianPower.Grant, until),
      )
        .to.emit(ctx.records, "GuardianSet")
        .withArgs(ctx.patient.address, ctx.guardian.address, FOUR_CATEGORIES, GuardianPower.Grant, until, 1n);
      const g = await ctx.records.guardianOf(ctx.patient.address);
      expect([g.account, g.categories, g.powers, g.until, g.epoch]).to.deep.equal([
        ctx.guardian.address,
        BigInt(FOUR_CATEGORIES),
        BigInt(GuardianPower.Grant),
        until,
        1n,
      ]);
    });

    it("removes the guardian with the zero address, after which it may not act", async function () {
      const ctx = await loadFixture(recordsFixture);
      await appoint(ctx);
      await ctx.records.connect(ctx.patient).setGuardian(ctx.patient.address, ethers.ZeroAddress, 0, 0, 0);
      expect((await ctx.records.guardianOf(ctx.patient.address)).account).to.equal(ethers.ZeroAddress);
      await expect(ctx.records.connect(ctx.guardian).revokeAll(ctx.patient.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessUnauthorized")
        .withArgs(ctx.patient.address, ctx.guardian.address);
    });

    it("reverts when anyone but the patient, the guardian included, calls it", async function () {
      const ctx = await loadFixture(recordsFixture);
      await appoint(ctx);
      await expect(
        ctx.records
          .connect(ctx.guardian)
          .setGuardian(ctx.patient.address, ctx.guardian.address, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, 2n ** 39n),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotPatient")
        .withArgs(ctx.patient.address, ctx.guardian.address);
    });

    it("reverts on an invalid guardian or scope", async function () {
      const ctx = await loadFixture(recordsFixture);
      const later = (await now()) + DAY;
      const cases: [string, number, number, bigint][] = [
        [ctx.patient.address, 1, 1, later],
        [ctx.guardian.address, 0, 1, later],
        [ctx.guardian.address, 0x200, 1, later],
        [ctx.guardian.address, 1, 0, later],
        [ctx.guardian.address, 1, 0x10, later],
        [ctx.guardian.address, 1, 1, 1n],
        [ethers.ZeroAddress, 1, 0, 0n],
        [ethers.ZeroAddress, 0, 1, 0n],
        [ethers.ZeroAddress, 0, 0, later],
      ];
      for (const [guardian, categories, powers, until] of cases) {
        await expect(
          ctx.records.connect(ctx.patient).setGuardian(ctx.patient.address, guardian, categories, powers, until),
        )
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidGuardian")
          .withArgs(guardian, categories, powers, until);
      }
    });

    it("accepts a term ending in the block's own second and refuses one a second earlier", async function () {
      const ctx = await loadFixture(recordsFixture);
      const at = (await now()) + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(
        ctx.records
          .connect(ctx.patient)
          .setGuardian(ctx.patient.address, ctx.guardian.address, FOUR_CATEGORIES, GuardianPower.Grant, at - 1n),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidGuardian")
        .withArgs(ctx.guardian.address, FOUR_CATEGORIES, GuardianPower.Grant, at - 1n);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(
        ctx.records
          .connect(ctx.patient)
          .setGuardian(ctx.patient.address, ctx.guardian.address, FOUR_CATEGORIES, GuardianPower.Grant, at + 1n),
      ).to.emit(ctx.records, "GuardianSet");
    });
  });

  describe("breakGlass", function () {
    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recordsFixture);
      return {
        contract: ctx.records,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "PROVIDER",
        call: (caller: HardhatEthersSigner) => ctx.records.connect(caller).breakGlass(ctx.patient.address, reason(1)),
      };
    });

    it("emits EmergencyAccessDeclared, counts a pending review and grants treatment access for 24 h", async function () {
      const ctx = await loadFixture(recordsFixture);
      const opening = { reasonCode: EmergencyReason.LifeThreatening, note: "", salt: ethers.id("salt") };
      const commitment = emergencyReasonCommitment(ctx.patient.address, ctx.specialist.address, opening);
      const tx = await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, commitment);
      const until = BigInt((await ethers.provider.getBlock(tx.blockNumber!))!.timestamp) + 24n * 3600n;
      await expect(tx)
        .to.emit(ctx.records, "EmergencyAccessDeclared")
        .withArgs(ctx.patient.address, ctx.specialist.address, commitment, until);
      const e = await ctx.records.emergencyOf(ctx.patient.address, ctx.specialist.address);
      expect([e.until, e.pendingReviews]).to.deep.equal([until, 1n]);
      expect(await ctx.records.pendingEmergencies(ctx.patient.address)).to.equal(1n);
      expect(await check(ctx, ctx.specialist.address, ctx.mental.id)).to.deep.equal({
        allowed: true,
        reason: AccessReason.BreakGlass,
      });
      expect((await check(ctx, ctx.specialist.address, ctx.mental.id, Purpose.Payment)).reason).to.equal(
        AccessReason.NoGrant,
      );
      await time.increaseTo(until + 1n);
      expect((await check(ctx, ctx.specialist.address, ctx.mental.id)).reason).to.equal(AccessReason.NoGrant);
    });

    it("counts every declaration of every provider", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(1));
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(4));
      await ctx.records.connect(ctx.hospital).breakGlass(ctx.patient.address, reason(3));
      expect(await ctx.records.pendingEmergencies(ctx.patient.address)).to.equal(3n);
      expect((await ctx.records.emergencyOf(ctx.patient.address, ctx.specialist.address)).pendingReviews).to.equal(2n);
    });

    it("does not override a deny rule", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records
        .connect(ctx.patient)
        .setDenyRule(ctx.patient.address, DenyScope.AllExcept, ethers.ZeroAddress, categoryMask(["MentalHealth"]));
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(1));
      expect((await check(ctx, ctx.specialist.address, ctx.mental.id)).reason).to.equal(AccessReason.Denied);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.BreakGlass);
    });

    it("stops when the provider is suspended", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(1));
      await ctx.registry.connect(ctx.registrar).suspendMember(ctx.specialist.address, ethers.ZeroHash);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).allowed).to.equal(false);
    });

    it("reverts when the patient is zero or the caller", async function () {
      const ctx = await loadFixture(recordsFixture);
      for (const patient of [ethers.ZeroAddress, ctx.specialist.address]) {
        await expect(ctx.records.connect(ctx.specialist).breakGlass(patient, reason(1)))
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPatient")
          .withArgs(patient);
      }
    });

    it("reverts when the reason commitment is zero", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidEmergencyReason")
        .withArgs(ethers.ZeroHash);
    });

    it("puts neither the reason code nor the note in calldata, storage or the event (privacy, issue 10)", async function () {
      const ctx = await loadFixture(recordsFixture);
      const opening = { reasonCode: EmergencyReason.Other, note: "overdose suspected", salt: ethers.id("s") };
      const commitment = emergencyReasonCommitment(ctx.patient.address, ctx.specialist.address, opening);
      const tx = await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, commitment);
      const receipt = await tx.wait();
      // The only non-address argument is the commitment: the ABI has no reason code any more.
      expect(ctx.records.interface.getFunction("breakGlass")!.inputs.map((i) => i.type)).to.deep.equal([
        "address",
        "bytes32",
      ]);
      const event = ctx.records.interface.parseLog(receipt!.logs[0])!;
      expect(event.args.toArray()).to.deep.equal([
        ctx.patient.address,
        ctx.specialist.address,
        commitment,
        event.args.until,
      ]);
      const stored = ctx.records.interface.getFunction("emergencyOf")!.outputs[0].components!.map((c) => c.name);
      expect(stored).to.deep.equal(["until", "pendingReviews"]);
    });
  });

  describe("reviewEmergency", function () {
    async function withEmergencies() {
      const ctx = await loadFixture(recordsFixture);
      // The specialist's organisation designates its privacy officer.
      await ctx.records.connect(ctx.specialist).designatePrivacyOfficer(ctx.privacyOfficer.address);
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(1));
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(2));
      await ctx.records.connect(ctx.hospital).breakGlass(ctx.patient.address, reason(2));
      return ctx;
    }

    for (const who of ["patient", "guardian", "privacyOfficer"] as const) {
      it(`emits EmergencyReviewed and lowers the counter when the ${who} reviews`, async function () {
        const ctx = await withEmergencies();
        if (who === "guardian") await appoint(ctx, categoryMask(["Labs"]), GuardianPower.ReviewEmergency);
        const reviewer = ctx[who];
        await expect(ctx.records.connect(reviewer).reviewEmergency(ctx.patient.address, ctx.specialist.address))
          .to.emit(ctx.records, "EmergencyReviewed")
          .withArgs(ctx.patient.address, ctx.specialist.address, reviewer.address, 2n);
        expect(await ctx.records.pendingEmergencies(ctx.patient.address)).to.equal(1n);
        expect((await ctx.records.emergencyOf(ctx.patient.address, ctx.specialist.address)).pendingReviews).to.equal(
          0n,
        );
        // review does not shorten the access
        expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.BreakGlass);
      });
    }

    it("lets a reviewing guardian review through its term's last second, and not after", async function () {
      const ctx = await withEmergencies();
      const termEnds = (await now()) + DAY;
      await appoint(ctx, categoryMask(["Labs"]), GuardianPower.ReviewEmergency, termEnds);
      await time.setNextBlockTimestamp(termEnds);
      await expect(
        ctx.records.connect(ctx.guardian).reviewEmergency(ctx.patient.address, ctx.specialist.address),
      ).to.emit(ctx.records, "EmergencyReviewed");
      await time.setNextBlockTimestamp(termEnds + 1n);
      await expect(ctx.records.connect(ctx.guardian).reviewEmergency(ctx.patient.address, ctx.hospital.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotReviewer")
        .withArgs(ctx.patient.address, ctx.guardian.address);
    });

    it("reverts when the caller is not the patient, a reviewing guardian or an active privacy officer", async function () {
      const ctx = await withEmergencies();
      await appoint(ctx, ALL_CATEGORIES, GuardianPower.Grant | GuardianPower.Revoke | GuardianPower.Deny);
      await ctx.registry.connect(ctx.registrar).suspendMember(ctx.privacyOfficer.address, ethers.ZeroHash);
      for (const caller of [ctx.stranger, ctx.guardian, ctx.privacyOfficer, ctx.hospital]) {
        await expect(ctx.records.connect(caller).reviewEmergency(ctx.patient.address, ctx.specialist.address))
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotReviewer")
          .withArgs(ctx.patient.address, caller.address);
      }
    });

    it("reverts when a privacy officer the provider did not designate reviews (issue 10, finding 2)", async function () {
      const ctx = await withEmergencies();
      // The officer is the specialist's: the hospital's emergencies are not its to review.
      await expect(ctx.records.connect(ctx.privacyOfficer).reviewEmergency(ctx.patient.address, ctx.hospital.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotReviewer")
        .withArgs(ctx.patient.address, ctx.privacyOfficer.address);
    });

    it("reverts when a provider holding PRIVACY_OFFICER reviews its own break-glass (issue 10, finding 2)", async function () {
      const ctx = await withEmergencies();
      await ctx.registry.connect(ctx.registrar).grantRole(Role.PRIVACY_OFFICER, ctx.hospital.address);
      await expect(ctx.records.connect(ctx.hospital).reviewEmergency(ctx.patient.address, ctx.hospital.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotReviewer")
        .withArgs(ctx.patient.address, ctx.hospital.address);
      // nor can it make itself its own officer
      await expect(ctx.records.connect(ctx.hospital).designatePrivacyOfficer(ctx.hospital.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPrivacyOfficer")
        .withArgs(ctx.hospital.address);
    });

    it("reverts when the patient's guardian is the declaring provider itself", async function () {
      const ctx = await withEmergencies();
      await ctx.records
        .connect(ctx.patient)
        .setGuardian(
          ctx.patient.address,
          ctx.specialist.address,
          ALL_CATEGORIES,
          GuardianPower.ReviewEmergency,
          (await now()) + DAY,
        );
      await expect(ctx.records.connect(ctx.specialist).reviewEmergency(ctx.patient.address, ctx.specialist.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNotReviewer")
        .withArgs(ctx.patient.address, ctx.specialist.address);
    });

    it("reverts when the provider has nothing pending", async function () {
      const ctx = await withEmergencies();
      await ctx.records.connect(ctx.patient).reviewEmergency(ctx.patient.address, ctx.specialist.address);
      await expect(ctx.records.connect(ctx.patient).reviewEmergency(ctx.patient.address, ctx.specialist.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessNoPendingEmergency")
        .withArgs(ctx.patient.address, ctx.specialist.address);
    });
  });

  describe("designatePrivacyOfficer", function () {
    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recordsFixture);
      return {
        contract: ctx.records,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "PROVIDER",
        call: (caller: HardhatEthersSigner) =>
          ctx.records.connect(caller).designatePrivacyOfficer(ctx.privacyOfficer.address),
      };
    });

    it("emits PrivacyOfficerDesignated and stores the officer; zero removes it", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(ctx.records.connect(ctx.hospital).designatePrivacyOfficer(ctx.privacyOfficer.address))
        .to.emit(ctx.records, "PrivacyOfficerDesignated")
        .withArgs(ctx.hospital.address, ctx.privacyOfficer.address);
      expect(await ctx.records.privacyOfficerOf(ctx.hospital.address)).to.equal(ctx.privacyOfficer.address);
      await expect(ctx.records.connect(ctx.hospital).designatePrivacyOfficer(ethers.ZeroAddress))
        .to.emit(ctx.records, "PrivacyOfficerDesignated")
        .withArgs(ctx.hospital.address, ethers.ZeroAddress);
      expect(await ctx.records.privacyOfficerOf(ctx.hospital.address)).to.equal(ethers.ZeroAddress);
    });

    it("reverts when the officer is the provider itself or not an active PRIVACY_OFFICER", async function () {
      const ctx = await loadFixture(recordsFixture);
      for (const officer of [ctx.hospital.address, ctx.specialist.address, ctx.stranger.address]) {
        await expect(ctx.records.connect(ctx.hospital).designatePrivacyOfficer(officer))
          .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPrivacyOfficer")
          .withArgs(officer);
      }
    });
  });

  describe("logDisclosure", function () {
    shouldBehaveLikeMemberGated(async () => {
      const ctx = await loadFixture(recordsFixture);
      return {
        contract: ctx.records,
        registry: ctx.registry,
        registrar: ctx.registrar,
        role: "PROVIDER",
        call: (caller: HardhatEthersSigner) =>
          ctx.records
            .connect(caller)
            .logDisclosure(ctx.patient.address, ctx.labs.id, ctx.family.address, Purpose.Treatment),
      };
    });

    it("emits DisclosureLogged when the custodian discloses", async function () {
      const ctx = await loadFixture(recordsFixture);
      const tx = await ctx.records
        .connect(ctx.hospital)
        .logDisclosure(ctx.patient.address, ctx.labs.id, ctx.specialist.address, Purpose.Treatment);
      const at = BigInt((await ethers.provider.getBlock(tx.blockNumber!))!.timestamp);
      await expect(tx)
        .to.emit(ctx.records, "DisclosureLogged")
        .withArgs(
          ctx.patient.address,
          ctx.labs.id,
          ctx.hospital.address,
          ctx.specialist.address,
          Purpose.Treatment,
          at,
        );
    });

    it("emits when a grantee discloses within its grant", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .logDisclosure(ctx.patient.address, ctx.labs.id, ctx.family.address, Purpose.Treatment),
      ).to.emit(ctx.records, "DisclosureLogged");
    });

    it("emits when a provider discloses under break-glass", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(1));
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .logDisclosure(ctx.patient.address, ctx.mental.id, ctx.family.address, Purpose.Treatment),
      ).to.emit(ctx.records, "DisclosureLogged");
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .logDisclosure(ctx.patient.address, ctx.mental.id, ctx.family.address, Purpose.Payment),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessDenied")
        .withArgs(ctx.patient.address, ctx.mental.id, ctx.specialist.address, AccessReason.NoGrant);
    });

    it("reverts with the reason when the provider may not access the record", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      await expect(
        ctx.records
          .connect(ctx.specialist)
          .logDisclosure(ctx.patient.address, ctx.mental.id, ctx.family.address, Purpose.Treatment),
      )
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessDenied")
        .withArgs(ctx.patient.address, ctx.mental.id, ctx.specialist.address, AccessReason.CategoryNotGranted);
    });

    it("reverts when the recipient is zero or the purpose unknown", async function () {
      const ctx = await loadFixture(recordsFixture);
      const h = ctx.records.connect(ctx.hospital);
      await expect(h.logDisclosure(ctx.patient.address, ctx.labs.id, ethers.ZeroAddress, Purpose.Treatment))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidRecipient")
        .withArgs(ethers.ZeroAddress);
      await expect(h.logDisclosure(ctx.patient.address, ctx.labs.id, ctx.family.address, 6))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidPurpose")
        .withArgs(6);
    });

    it("counts a grant, a break-glass and a guardian's term through their last second", async function () {
      // Each end time is inclusive: a disclosure (or a guardian's grant) mined in that very second passes.
      const ctx = await loadFixture(recordsFixture);
      const discloseAt = async (at: bigint, recordId: string) => {
        await time.setNextBlockTimestamp(at);
        await expect(
          ctx.records
            .connect(ctx.specialist)
            .logDisclosure(ctx.patient.address, recordId, ctx.family.address, Purpose.Treatment),
        ).to.emit(ctx.records, "DisclosureLogged");
      };
      const validUntil = (await now()) + DAY;
      await grantSpecialist(ctx, { validUntil });
      await discloseAt(validUntil, ctx.labs.id);

      // The specialist's grant does not cover the mental-health record: only break-glass does.
      const tx = await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, reason(1));
      const until = BigInt((await ethers.provider.getBlock(tx.blockNumber!))!.timestamp) + 24n * 3600n;
      await discloseAt(until, ctx.mental.id);

      const termEnds = (await now()) + DAY;
      await appoint(ctx, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, termEnds);
      await time.setNextBlockTimestamp(termEnds);
      await expect(
        ctx.records
          .connect(ctx.guardian)
          .grant(ctx.patient.address, ctx.family.address, await defaultTerms({ validUntil: termEnds })),
      ).to.emit(ctx.records, "AccessGranted");
    });

    it("accepts the last purpose (the patient's own request)", async function () {
      const ctx = await loadFixture(recordsFixture);
      expect(Purpose.PatientRequest).to.equal(5);
      await expect(
        ctx.records
          .connect(ctx.hospital)
          .logDisclosure(ctx.patient.address, ctx.labs.id, ctx.patient.address, Purpose.PatientRequest),
      ).to.emit(ctx.records, "DisclosureLogged");
    });
  });

  describe("registerEncryptionKey", function () {
    const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
    const keyOf = (n: number) => ethers.id(`encryption key ${n}`);
    const proofFor = async (ctx: KeyCtx, privateKey: string, account: string, domain?: Partial<RecordsDomain>) =>
      encryptionKeyProof(privateKey, { ...ctx.domain, ...domain }, account);
    /** `who` already has key 1; an attempt with `publicKey`/`proof` leaves it so and emits nothing. */
    const refuses = async (
      ctx: KeyCtx,
      who: HardhatEthersSigner,
      publicKey: string,
      proof: string,
      error: "RecordAccessInvalidEncryptionKey" | "RecordAccessInvalidEncryptionKeyProof",
    ) => {
      const before = await ctx.records.encryptionKeyOf(who.address);
      const call = ctx.records.connect(who).registerEncryptionKey(publicKey, proof);
      if (error === "RecordAccessInvalidEncryptionKey") {
        await expect(call).to.be.revertedWithCustomError(ctx.records, error).withArgs(publicKey);
      } else {
        await expect(call).to.be.revertedWithCustomError(ctx.records, error).withArgs(who.address, publicKey);
      }
      expect(await ctx.records.encryptionKeyOf(who.address)).to.equal(before);
    };
    async function withKey() {
      const ctx = await recordsFixture();
      const first = encryptionKeyProof(keyOf(1), ctx.domain, ctx.family.address);
      await ctx.records.connect(ctx.family).registerEncryptionKey(first.publicKey, first.proof);
      return { ...ctx, first };
    }
    type KeyCtx = Awaited<ReturnType<typeof withKey>>;

    it("emits EncryptionKeyRegistered and stores the caller's key, even or odd y (any account may register its own)", async function () {
      const ctx = await loadFixture(withKey);
      // Keys 2 and 3 give both compressed prefixes (found by trying; asserted so the test stays meaningful).
      const prefixes = new Set<string>();
      for (const n of [2, 3, 4, 5]) {
        const { publicKey, proof } = await proofFor(ctx, keyOf(n), ctx.stranger.address);
        prefixes.add(publicKey.slice(0, 4));
        await expect(ctx.records.connect(ctx.stranger).registerEncryptionKey(publicKey, proof))
          .to.emit(ctx.records, "EncryptionKeyRegistered")
          .withArgs(ctx.stranger.address, publicKey);
        expect(await ctx.records.encryptionKeyOf(ctx.stranger.address)).to.equal(publicKey);
      }
      expect([...prefixes].sort()).to.deep.equal(["0x02", "0x03"]);
      expect(await ctx.records.encryptionKeyOf(ctx.family.address)).to.equal(ctx.first.publicKey);
      expect(await ctx.records.encryptionKeyOf(ctx.patient2.address)).to.equal("0x");
    });

    it("accepts a key registered by an ERC-1271 smart account (the proof names the account; the raw key signs)", async function () {
      const ctx = await loadFixture(withKey);
      const wallet = await smartWalletOf(ctx.stranger);
      const walletAddress = await wallet.getAddress();
      const { publicKey, proof } = await proofFor(ctx, keyOf(7), walletAddress);
      await expect(
        wallet
          .connect(ctx.stranger)
          .execute(
            await ctx.records.getAddress(),
            ctx.records.interface.encodeFunctionData("registerEncryptionKey", [publicKey, proof]),
          ),
      )
        .to.emit(ctx.records, "EncryptionKeyRegistered")
        .withArgs(walletAddress, publicKey);
    });

    it("reverts when the key is not 33 bytes with a 0x02/0x03 prefix", async function () {
      const ctx = await loadFixture(withKey);
      const { proof } = await proofFor(ctx, keyOf(2), ctx.family.address);
      const uncompressed = ethers.SigningKey.computePublicKey(keyOf(2), false);
      const x = uncompressed.slice(4, 68);
      for (const key of [uncompressed, "0x04" + x, "0x05" + x, "0x00" + x, "0x02", "0x"]) {
        await refuses(ctx, ctx.family, key, proof, "RecordAccessInvalidEncryptionKey");
      }
    });

    it("reverts when x is not below the field prime (p + 1 would alias the valid x = 1; 2^256 - 1)", async function () {
      const ctx = await loadFixture(withKey);
      const { proof } = await proofFor(ctx, keyOf(2), ctx.family.address);
      for (const x of [P, P + 1n, 2n ** 256n - 1n]) {
        await refuses(
          ctx,
          ctx.family,
          "0x02" + x.toString(16).padStart(64, "0"),
          proof,
          "RecordAccessInvalidEncryptionKey",
        );
      }
      // x = 1 itself is on the curve: only the x < p rule refused p + 1 above.
      expect(() => encryptionKeyId("0x02" + 1n.toString(16).padStart(64, "0"))).not.to.throw();
    });

    it("reverts when the point is not on the curve (x³ + 7 not a square mod p)", async function () {
      const ctx = await loadFixture(withKey);
      const { proof } = await proofFor(ctx, keyOf(2), ctx.family.address);
      for (const x of [0n, 5n, 7n, 9n]) {
        for (const prefix of ["0x02", "0x03"]) {
          await refuses(
            ctx,
            ctx.family,
            prefix + x.toString(16).padStart(64, "0"),
            proof,
            "RecordAccessInvalidEncryptionKey",
          );
        }
      }
    });

    it("reverts when the prefix names the other y (the negated point: its key did not sign)", async function () {
      const ctx = await loadFixture(withKey);
      const { publicKey, proof } = await proofFor(ctx, keyOf(2), ctx.family.address);
      const flipped = (publicKey.startsWith("0x02") ? "0x03" : "0x02") + publicKey.slice(4);
      await refuses(ctx, ctx.family, flipped, proof, "RecordAccessInvalidEncryptionKeyProof");
    });

    it("reverts when another key made the proof", async function () {
      const ctx = await loadFixture(withKey);
      const publicKey = encryptionPublicKeyOf(keyOf(2));
      const digest = typedDataDigest(
        encryptionKeyProofTypedData(ctx.domain, { account: ctx.family.address, publicKey }),
      );
      const byOther = new ethers.SigningKey(keyOf(3)).sign(digest).serialized;
      await refuses(ctx, ctx.family, publicKey, byOther, "RecordAccessInvalidEncryptionKeyProof");
      // …and when the account's own signing key made it (the account is not the key).
      const byAccount = await signTypedData(
        ctx.family,
        encryptionKeyProofTypedData(ctx.domain, { account: ctx.family.address, publicKey }),
      );
      await refuses(ctx, ctx.family, publicKey, byAccount, "RecordAccessInvalidEncryptionKeyProof");
    });

    it("reverts when the proof was made for another account (a registered key's proof replayed)", async function () {
      const ctx = await loadFixture(withKey);
      // family's own registration, replayed by the stranger, and a fresh proof made for the patient.
      await refuses(ctx, ctx.stranger, ctx.first.publicKey, ctx.first.proof, "RecordAccessInvalidEncryptionKeyProof");
      const forPatient = await proofFor(ctx, keyOf(2), ctx.patient.address);
      await refuses(ctx, ctx.family, forPatient.publicKey, forPatient.proof, "RecordAccessInvalidEncryptionKeyProof");
    });

    it("reverts when the proof was made for another chain or another contract", async function () {
      const ctx = await loadFixture(withKey);
      const otherChain = await proofFor(ctx, keyOf(2), ctx.family.address, { chainId: 1n });
      await refuses(ctx, ctx.family, otherChain.publicKey, otherChain.proof, "RecordAccessInvalidEncryptionKeyProof");
      const otherContract = await proofFor(ctx, keyOf(2), ctx.family.address, {
        verifyingContract: ethers.Wallet.createRandom().address,
      });
      await refuses(
        ctx,
        ctx.family,
        otherContract.publicKey,
        otherContract.proof,
        "RecordAccessInvalidEncryptionKeyProof",
      );
    });

    it("reverts on a malleable (high-s) or malformed proof", async function () {
      const ctx = await loadFixture(withKey);
      const { publicKey, proof } = await proofFor(ctx, keyOf(2), ctx.family.address);
      for (const bad of [toHighS(proof), "0x", proof.slice(0, -2), "0x" + "00".repeat(65)]) {
        await refuses(ctx, ctx.family, publicKey, bad, "RecordAccessInvalidEncryptionKeyProof");
      }
    });
  });

  describe("canAccess", function () {
    it("answers UnknownRecord, Patient and Custodian", async function () {
      const ctx = await loadFixture(recordsFixture);
      expect(await check(ctx, ctx.specialist.address, testRecordId(77))).to.deep.equal({
        allowed: false,
        reason: AccessReason.UnknownRecord,
      });
      expect(await check(ctx, ctx.patient.address, ctx.labs.id)).to.deep.equal({
        allowed: true,
        reason: AccessReason.Patient,
      });
      expect(await check(ctx, ctx.hospital.address, ctx.labs.id, Purpose.Operations)).to.deep.equal({
        allowed: true,
        reason: AccessReason.Custodian,
      });
    });

    it("answers InactiveMember for a suspended custodian and a suspended member grantee", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      for (const m of [ctx.hospital, ctx.specialist]) {
        await ctx.registry.connect(ctx.registrar).suspendMember(m.address, ethers.ZeroHash);
        expect(await check(ctx, m.address, ctx.labs.id)).to.deep.equal({
          allowed: false,
          reason: AccessReason.InactiveMember,
        });
      }
    });

    it("grants a non-member (a family member) on an explicit grant", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records
        .connect(ctx.patient)
        .grant(
          ctx.patient.address,
          ctx.family.address,
          await defaultTerms({ purposes: purposeMask(["PatientRequest"]) }),
        );
      expect((await check(ctx, ctx.family.address, ctx.labs.id, Purpose.PatientRequest)).reason).to.equal(
        AccessReason.Granted,
      );
    });

    it("answers NoGrant, NotYetValid and Expired", async function () {
      const ctx = await loadFixture(recordsFixture);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.NoGrant);
      const start = (await now()) + DAY;
      await grantSpecialist(ctx, { validFrom: start, validUntil: start + DAY });
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.NotYetValid);
      await time.increaseTo(start);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Granted);
      await time.increaseTo(start + DAY + 1n);
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Expired);
    });

    it("answers CategoryNotGranted, ActionNotGranted, PurposeNotGranted and OutsideDataPeriod", async function () {
      const ctx = await loadFixture(recordsFixture);
      await grantSpecialist(ctx);
      expect((await check(ctx, ctx.specialist.address, ctx.mental.id)).reason).to.equal(
        AccessReason.CategoryNotGranted,
      );
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id, Purpose.Payment)).reason).to.equal(
        AccessReason.PurposeNotGranted,
      );
      expect(await check(ctx, ctx.specialist.address, ctx.labs.id, 6)).to.deep.equal({
        allowed: false,
        reason: AccessReason.PurposeNotGranted,
      });
      await grantSpecialist(ctx, { actions: Action.Append });
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.ActionNotGranted);
      await grantSpecialist(ctx, { dataFrom: ctx.imaging.date - 1n, dataUntil: ctx.imaging.date });
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.OutsideDataPeriod);
      expect((await check(ctx, ctx.specialist.address, ctx.imaging.id)).reason).to.equal(AccessReason.Granted);
      await grantSpecialist(ctx, {
        dataFrom: ctx.mental.date,
        dataUntil: ctx.mental.date + DAY,
        categories: ALL_CATEGORIES,
      });
      expect((await check(ctx, ctx.specialist.address, ctx.imaging.id)).reason).to.equal(
        AccessReason.OutsideDataPeriod,
      );
      // A data period of a single second (dataFrom = dataUntil) is valid and covers records of that second.
      await grantSpecialist(ctx, { dataFrom: ctx.imaging.date, dataUntil: ctx.imaging.date });
      expect((await check(ctx, ctx.specialist.address, ctx.imaging.id)).reason).to.equal(AccessReason.Granted);
      await grantSpecialist(ctx, { dataFrom: 0n, dataUntil: ctx.labs.date });
      expect((await check(ctx, ctx.specialist.address, ctx.labs.id)).reason).to.equal(AccessReason.Granted);
      expect((await check(ctx, ctx.specialist.address, ctx.imaging.id)).reason).to.equal(
        AccessReason.OutsideDataPeriod,
      );
    });

    it("honours an explicit grant with the research purpose", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records
        .connect(ctx.patient)
        .grant(
          ctx.patient.address,
          ctx.researcher.address,
          await defaultTerms({ purposes: purposeMask(["Research"]) }),
        );
      expect((await check(ctx, ctx.researcher.address, ctx.labs.id, Purpose.Research)).reason).to.equal(
        AccessReason.Granted,
      );
      expect((await check(ctx, ctx.researcher.address, ctx.labs.id, Purpose.Treatment)).reason).to.equal(
        AccessReason.PurposeNotGranted,
      );
    });
  });

  describe("signatures name their signer (issue 10, finding 3)", function () {
    it("refuses one ERC-1271 signature counted for a second account that validates the same key", async function () {
      const ctx = await loadFixture(recordsFixture);
      // Two smart accounts that both accept the same owner's signatures: the patient and its guardian.
      const patientWallet = await smartWalletOf(ctx.patient2);
      const guardianWallet = await smartWalletOf(ctx.patient2);
      const [p, g] = [await patientWallet.getAddress(), await guardianWallet.getAddress()];
      await patientWallet
        .connect(ctx.patient2)
        .execute(
          await ctx.records.getAddress(),
          ctx.records.interface.encodeFunctionData("setGuardian", [
            p,
            g,
            ALL_CATEGORIES,
            ALL_GUARDIAN_POWERS,
            (await now()) + DAY,
          ]),
        );
      const { deadline } = await signedFields(ctx.records, p);
      const categories = categoryMask(["MentalHealth"]);
      const message = {
        patient: p,
        signer: p,
        scope: DenyScope.Actor,
        target: ctx.specialist.address,
        categories,
        nonce: 0n,
        deadline,
      };
      const signature = await signSetDenyRule(ctx.patient2, ctx.domain, message);
      await expect(
        ctx.records.setDenyRuleBySig(p, p, DenyScope.Actor, ctx.specialist.address, categories, deadline, signature),
      )
        .to.emit(ctx.records, "DenyRuleSet")
        .withArgs(p, ctx.specialist.address, p, DenyScope.Actor, categories);
      // The same bytes, relayed as the guardian's act (its nonce is 0 too), must not count again.
      await expect(
        ctx.records.setDenyRuleBySig(g, p, DenyScope.Actor, ctx.specialist.address, categories, deadline, signature),
      )
        .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
        .withArgs(g);
    });
  });

  describe("linkResearchParticipant", function () {
    const TRIAL = ethers.id("trial-1");

    it("emits ResearchParticipantLinked and stores the link; the zero address unlinks", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(ctx.records.connect(ctx.patient).linkResearchParticipant(TRIAL, ctx.patient2.address))
        .to.emit(ctx.records, "ResearchParticipantLinked")
        .withArgs(ctx.patient.address, TRIAL, ctx.patient2.address);
      expect(await ctx.records.researchParticipantOf(ctx.patient.address, TRIAL)).to.equal(ctx.patient2.address);
      await expect(ctx.records.connect(ctx.patient).linkResearchParticipant(TRIAL, ethers.ZeroAddress))
        .to.emit(ctx.records, "ResearchParticipantLinked")
        .withArgs(ctx.patient.address, TRIAL, ethers.ZeroAddress);
      expect(await ctx.records.researchParticipantOf(ctx.patient.address, TRIAL)).to.equal(ethers.ZeroAddress);
    });

    it("reverts on the zero trial id", async function () {
      const ctx = await loadFixture(recordsFixture);
      await expect(ctx.records.connect(ctx.patient).linkResearchParticipant(ethers.ZeroHash, ctx.patient2.address))
        .to.be.revertedWithCustomError(ctx.records, "RecordAccessInvalidTrial")
        .withArgs(ethers.ZeroHash);
    });

    it("links by the patient's signature, relayed", async function () {
      const ctx = await loadFixture(recordsFixture);
      const { nonce, deadline } = await signedFields(ctx.records, ctx.patient.address);
      const message = {
        patient: ctx.patient.address,
        trialId: TRIAL,
        participant: ctx.patient2.address,
        nonce,
        deadline,
      };
      const signature = await signLinkResearchParticipant(ctx.patient, ctx.domain, message);
      await expect(
        ctx.records
          .connect(ctx.relayer)
          .linkResearchParticipantBySig(ctx.patient.address, TRIAL, ctx.patient2.address, deadline, signature),
      )
        .to.emit(ctx.records, "ResearchParticipantLinked")
        .withArgs(ctx.patient.address, TRIAL, ctx.patient2.address);
    });
  });

  describe("canAccessForResearch", function () {
    const TRIAL = ethers.id("trial-1");

    /** Its own RecordAccess + ResearchConsentMock: the fixture's `trials` becomes the real trials contract at merge. */
    async function researchFixture() {
      const ctx = await loadFixture(recordsFixture);
      const consent = await ethers.deployContract("ResearchConsentMock");
      const { contract: records } = await deployProxied<RecordAccess>(
        "RecordAccess",
        [await ctx.registry.getAddress()],
        [await consent.getAddress()],
      );
      const date = (await now()) - DAY;
      await records
        .connect(ctx.hospital)
        .registerRecord(ctx.patient.address, ctx.labs.id, RecordCategory.Labs, ctx.labs.hash, date);
      await records
        .connect(ctx.hospital)
        .registerRecord(ctx.patient.address, ctx.mental.id, RecordCategory.MentalHealth, ctx.mental.hash, date);
      return { ...ctx, consent, records };
    }

    it("answers ResearchConsent when the participant's consent covers the record's category", async function () {
      const ctx = await researchFixture();
      await ctx.consent.setResearchCategories(
        TRIAL,
        ctx.patient.address,
        ctx.researcher.address,
        categoryMask(["Labs"]),
      );
      expect(
        await ctx.records.canAccessForResearch(TRIAL, ctx.patient.address, ctx.researcher.address, ctx.labs.id),
      ).to.deep.equal([true, BigInt(AccessReason.ResearchConsent)]);
      expect(
        await ctx.records.canAccessForResearch(TRIAL, ctx.patient.address, ctx.researcher.address, ctx.mental.id),
      ).to.deep.equal([false, BigInt(AccessReason.CategoryNotGranted)]);
    });

    it("answers NoResearchConsent and UnknownRecord", async function () {
      const ctx = await researchFixture();
      expect(
        await ctx.records.canAccessForResearch(TRIAL, ctx.patient.address, ctx.researcher.address, ctx.labs.id),
      ).to.deep.equal([false, BigInt(AccessReason.NoResearchConsent)]);
      expect(
        await ctx.records.canAccessForResearch(TRIAL, ctx.patient.address, ctx.researcher.address, testRecordId(5)),
      ).to.deep.equal([false, BigInt(AccessReason.UnknownRecord)]);
    });

    it("asks the trial about the participant address the patient linked, until unlinked (issue 10, finding 5)", async function () {
      const ctx = await researchFixture();
      // The patient took part in the trial under another address: the consent is that address's.
      const participant = ctx.patient2.address;
      await ctx.consent.setResearchCategories(TRIAL, participant, ctx.researcher.address, categoryMask(["Labs"]));
      const ask = () =>
        ctx.records.canAccessForResearch(TRIAL, ctx.patient.address, ctx.researcher.address, ctx.labs.id);
      expect(await ask()).to.deep.equal([false, BigInt(AccessReason.NoResearchConsent)]);
      await ctx.records.connect(ctx.patient).linkResearchParticipant(TRIAL, participant);
      expect(await ask()).to.deep.equal([true, BigInt(AccessReason.ResearchConsent)]);
      // Another trial is not linked.
      expect(
        await ctx.records.canAccessForResearch(
          ethers.id("trial-2"),
          ctx.patient.address,
          ctx.researcher.address,
          ctx.labs.id,
        ),
      ).to.deep.equal([false, BigInt(AccessReason.NoResearchConsent)]);
      await ctx.records.connect(ctx.patient).linkResearchParticipant(TRIAL, ethers.ZeroAddress);
      expect(await ask()).to.deep.equal([false, BigInt(AccessReason.NoResearchConsent)]);
    });

    it("answers Denied when a deny rule keeps the category from the researcher, consent notwithstanding", async function () {
      const ctx = await researchFixture();
      await ctx.consent.setResearchCategories(TRIAL, ctx.patient.address, ctx.researcher.address, ALL_CATEGORIES);
      await ctx.records
        .connect(ctx.patient)
        .setDenyRule(ctx.patient.address, DenyScope.AllExcept, ethers.ZeroAddress, categoryMask(["MentalHealth"]));
      await ctx.records
        .connect(ctx.patient)
        .setDenyRule(ctx.patient.address, DenyScope.Actor, ctx.researcher.address, categoryMask(["Labs"]));
      for (const id of [ctx.labs.id, ctx.mental.id]) {
        expect(
          await ctx.records.canAccessForResearch(TRIAL, ctx.patient.address, ctx.researcher.address, id),
        ).to.deep.equal([false, BigInt(AccessReason.Denied)]);
      }
    });
  });
});
