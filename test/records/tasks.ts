import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { recordsFixture, testRecordId } from "./fixture";
import { runTaskCapturing } from "../helpers/tasks";
import {
  Action,
  Purpose,
  categoryMask,
  emergencyReasonCommitment,
  encryptionKeyProof,
  encryptionPublicKeyOf,
  purposeMask,
} from "../../src/records";

async function runTask(name: string, args: Record<string, unknown>) {
  const { lines, exitCode } = await runTaskCapturing(name, args);
  return { lines, exitCode };
}

describe("records tasks", function () {
  async function withAddress() {
    const ctx = await loadFixture(recordsFixture);
    return { ...ctx, address: await ctx.records.getAddress() };
  }

  describe("records:register", function () {
    it("registers a record pointer as the custodian", async function () {
      const ctx = await withAddress();
      const id = testRecordId(50);
      const out = await runTask("records:register", {
        patient: ctx.patient2.address,
        recordId: id,
        category: "imaging",
        contentHash: ethers.id("ct-50"),
        date: "2026-01-15",
        from: ctx.hospital.address,
        address: ctx.address,
      });
      expect(out.exitCode).to.equal(undefined);
      expect(out.lines[0]).to.match(/^registered .* \(Imaging\)/);
      expect((await ctx.records.recordOf(ctx.patient2.address, id)).custodian).to.equal(ctx.hospital.address);
    });

    it("prints one decoded error line when the caller is not a provider", async function () {
      const ctx = await withAddress();
      const out = await runTask("records:register", {
        patient: ctx.patient2.address,
        recordId: testRecordId(51),
        category: "Labs",
        contentHash: ethers.id("x"),
        date: "1700000000",
        from: ctx.outsider.address,
        address: ctx.address,
      });
      expect(out.exitCode).to.equal(1);
      expect(out.lines).to.have.length(1);
      expect(out.lines[0]).to.match(
        /^Error: MemberGatedUnauthorized: 0x[0-9a-fA-F]{40} is not an active member holding the \w+ role$/,
      );
    });

    it("refuses an unknown category in one line", async function () {
      const ctx = await withAddress();
      const out = await runTask("records:register", {
        patient: ctx.patient2.address,
        recordId: testRecordId(52),
        category: "Astrology",
        contentHash: ethers.id("x"),
        date: "2026-01-15",
        from: ctx.hospital.address,
        address: ctx.address,
      });
      expect(out.exitCode).to.equal(1);
      expect(out.lines).to.deep.equal([
        `Error: unknown category "Astrology" (one of Labs, Imaging, Medications, Notes, Immunizations, MentalHealth, SubstanceUse, Reproductive, Genomic)`,
      ]);
    });
  });

  describe("records:grant, records:check, records:revoke", function () {
    it("grants by relayed signature, checks, and revokes", async function () {
      const ctx = await withAddress();
      const grant = await runTask("records:grant", {
        patient: ctx.patient.address,
        grantee: ctx.specialist.address,
        categories: "Labs,Imaging",
        purposes: "Treatment",
        actions: "Read",
        days: 30,
        relayer: ctx.relayer.address,
        address: ctx.address,
      });
      expect(grant.exitCode).to.equal(undefined);
      expect(grant.lines[0]).to.match(/^granted .* Labs\+Imaging for 30 days \(signed by the patient, relayed\)/);
      const args = { patient: ctx.patient.address, accessor: ctx.specialist.address, address: ctx.address };
      expect(
        (await runTask("records:check", { ...args, recordId: ctx.labs.id, purpose: "Treatment" })).lines,
      ).to.deep.equal(["allowed: Granted"]);
      expect(
        (await runTask("records:check", { ...args, recordId: ctx.mental.id, purpose: "Treatment" })).lines,
      ).to.deep.equal(["refused: CategoryNotGranted"]);
      const revoke = await runTask("records:revoke", { patient: ctx.patient.address, all: true, address: ctx.address });
      expect(revoke.lines).to.deep.equal([`revoked every grant of ${ctx.patient.address} (epoch now 1)`]);
      expect(
        (await runTask("records:check", { ...args, recordId: ctx.labs.id, purpose: "Treatment" })).lines,
      ).to.deep.equal(["refused: Revoked"]);
    });

    it("refuses bad input in one line", async function () {
      const ctx = await withAddress();
      const base = { patient: ctx.patient.address, address: ctx.address };
      const cases: [string, Record<string, unknown>, string][] = [
        [
          "records:grant",
          { ...base, grantee: "0x1234", categories: "Labs", purposes: "Treatment", actions: "Read", days: 30 },
          'Error: --grantee "0x1234" is not an address',
        ],
        [
          "records:grant",
          {
            ...base,
            grantee: ctx.specialist.address,
            categories: "Labs",
            purposes: "Treatment",
            actions: "Read",
            days: 0,
          },
          "Error: --days must be a whole number of days ≥ 1",
        ],
        ["records:revoke", { ...base, all: false }, "Error: give either --grantee or --all"],
        [
          "records:check",
          { ...base, accessor: ctx.specialist.address, recordId: "0x12", purpose: "Treatment" },
          'Error: --record-id "0x12" is not 32 bytes of hex (0x + 64 digits)',
        ],
        [
          "records:check",
          { ...base, accessor: ctx.specialist.address, recordId: ctx.labs.id, purpose: "Gossip" },
          `Error: unknown purpose "Gossip" (one of Treatment, Payment, Operations, Research, PublicHealth, PatientRequest)`,
        ],
        [
          "records:disclosures",
          { patient: ctx.patient.address, fromBlock: 0, address: "nowhere" },
          'Error: --address "nowhere" is not an address',
        ],
      ];
      for (const [name, args, line] of cases) {
        const out = await runTask(name, args);
        expect(out.lines, name).to.deep.equal([line]);
        expect(out.exitCode).to.equal(1);
      }
    });

    it("revokes one grantee", async function () {
      const ctx = await withAddress();
      await ctx.records.connect(ctx.patient).grant(ctx.patient.address, ctx.specialist.address, {
        categories: categoryMask(["Labs"]),
        actions: Action.Read,
        purposes: purposeMask(["Treatment"]),
        validFrom: 0n,
        validUntil: 2n ** 39n,
        dataFrom: 0n,
        dataUntil: 2n ** 39n,
      });
      const out = await runTask("records:revoke", {
        patient: ctx.patient.address,
        grantee: ctx.specialist.address,
        all: false,
        address: ctx.address,
      });
      expect(out.lines).to.deep.equal([`revoked ${ctx.specialist.address}`]);
      expect((await ctx.records.grantOf(ctx.patient.address, ctx.specialist.address)).revoked).to.equal(true);
    });
  });

  describe("records:disclosures", function () {
    it("lists the patient's disclosures, or says there are none", async function () {
      const ctx = await withAddress();
      expect(
        (await runTask("records:disclosures", { patient: ctx.patient.address, fromBlock: 0, address: ctx.address }))
          .lines,
      ).to.deep.equal(["no disclosures"]);
      await ctx.records
        .connect(ctx.hospital)
        .logDisclosure(ctx.patient.address, ctx.labs.id, ctx.specialist.address, Purpose.Treatment);
      const out = await runTask("records:disclosures", {
        patient: ctx.patient.address,
        fromBlock: 0,
        address: ctx.address,
      });
      expect(out.lines).to.have.length(1);
      expect(out.lines[0]).to.contain(
        `record ${ctx.labs.id} disclosed by ${ctx.hospital.address} to ${ctx.specialist.address} for Treatment`,
      );
    });
  });

  describe("records:break-glass, records:privacy-officer, records:review-emergency", function () {
    it("declares with a salted commitment only, and the designated privacy officer reviews", async function () {
      const ctx = await withAddress();
      const designated = await runTask("records:privacy-officer", {
        officer: ctx.privacyOfficer.address,
        from: ctx.specialist.address,
        address: ctx.address,
      });
      expect(designated.lines).to.deep.equal([
        `${ctx.specialist.address} designated privacy officer ${ctx.privacyOfficer.address}`,
      ]);
      const out = await runTask("records:break-glass", {
        patient: ctx.patient.address,
        reason: "LifeThreatening",
        note: "chest pain",
        from: ctx.specialist.address,
        address: ctx.address,
      });
      expect(out.exitCode).to.equal(undefined);
      const commitment = /commitment (0x[0-9a-f]{64})$/.exec(out.lines[0])![1];
      const opening = JSON.parse(out.lines[1].replace("opening (keep off chain): ", ""));
      expect(emergencyReasonCommitment(ctx.patient.address, ctx.specialist.address, opening)).to.equal(commitment);
      const [event] = await ctx.records.queryFilter(ctx.records.filters.EmergencyAccessDeclared(ctx.patient.address));
      expect(event.args.reasonCommitment).to.equal(commitment);
      const refused = await runTask("records:review-emergency", {
        patient: ctx.patient.address,
        provider: ctx.specialist.address,
        from: ctx.hospital.address,
        address: ctx.address,
      });
      expect(refused.exitCode).to.equal(1);
      expect(refused.lines).to.deep.equal([
        `Error: RecordAccessNotReviewer: record access not reviewer (patient ${ctx.patient.address}, reviewer ${ctx.hospital.address})`,
      ]);
      const reviewed = await runTask("records:review-emergency", {
        patient: ctx.patient.address,
        provider: ctx.specialist.address,
        from: ctx.privacyOfficer.address,
        address: ctx.address,
      });
      expect(reviewed.lines).to.deep.equal([
        `reviewed ${ctx.specialist.address}'s emergencies for ${ctx.patient.address}; 0 pending`,
      ]);
    });

    it("refuses an unknown reason in one line", async function () {
      const ctx = await withAddress();
      const out = await runTask("records:break-glass", {
        patient: ctx.patient.address,
        reason: "Boredom",
        from: ctx.specialist.address,
        address: ctx.address,
      });
      expect(out.exitCode).to.equal(1);
      expect(out.lines).to.have.length(1);
      expect(out.lines[0]).to.match(/^Error: .*reason/);
    });
  });

  describe("records:link-participant", function () {
    const TRIAL = ethers.id("trial-task");

    it("links directly or by a relayed signature, and unlinks", async function () {
      const ctx = await withAddress();
      const direct = await runTask("records:link-participant", {
        patient: ctx.patient.address,
        trialId: TRIAL,
        participant: ctx.patient2.address,
        unlink: false,
        address: ctx.address,
      });
      expect(direct.lines).to.deep.equal([
        `linked ${ctx.patient.address}'s records to participant ${ctx.patient2.address} in trial ${TRIAL} (public)`,
      ]);
      expect(await ctx.records.researchParticipantOf(ctx.patient.address, TRIAL)).to.equal(ctx.patient2.address);
      const unlinked = await runTask("records:link-participant", {
        patient: ctx.patient.address,
        trialId: TRIAL,
        unlink: true,
        relayer: ctx.relayer.address,
        address: ctx.address,
      });
      expect(unlinked.lines).to.deep.equal([`unlinked ${ctx.patient.address} from trial ${TRIAL}`]);
      expect(await ctx.records.researchParticipantOf(ctx.patient.address, TRIAL)).to.equal(ethers.ZeroAddress);
      expect(await ctx.records.nonces(ctx.patient.address)).to.equal(1n);
    });

    it("asks for exactly one of --participant and --unlink", async function () {
      const ctx = await withAddress();
      const out = await runTask("records:link-participant", {
        patient: ctx.patient.address,
        trialId: TRIAL,
        unlink: false,
        address: ctx.address,
      });
      expect(out.exitCode).to.equal(1);
      expect(out.lines).to.deep.equal(["Error: give either --participant or --unlink"]);
    });
  });

  describe("records:encryption-key", function () {
    it("registers the key of --key-file with its proof; refuses a proof made for another account in one line", async function () {
      const ctx = await withAddress();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "enc-key-"));
      try {
        const keyFile = path.join(dir, "family.key");
        const privateKey = ethers.id("task: family encryption key");
        fs.writeFileSync(keyFile, privateKey + "\n");
        const out = await runTask("records:encryption-key", {
          keyFile,
          from: ctx.family.address,
          address: ctx.address,
        });
        expect(out.exitCode).to.equal(undefined);
        const publicKey = encryptionPublicKeyOf(privateKey);
        expect(out.lines[0]).to.match(
          new RegExp(`^encryption key ${publicKey} of ${ctx.family.address} registered \\(tx 0x[0-9a-f]{64}\\)$`),
        );
        expect(await ctx.records.encryptionKeyOf(ctx.family.address)).to.equal(publicKey);
        // A proof made for family, sent by the stranger.
        const { proof } = encryptionKeyProof(privateKey, ctx.domain, ctx.family.address);
        const refused = await runTask("records:encryption-key", {
          publicKey,
          proof,
          from: ctx.stranger.address,
          address: ctx.address,
        });
        expect(refused.exitCode).to.equal(1);
        expect(refused.lines).to.have.length(1);
        expect(refused.lines[0]).to.equal(
          `Error: RecordAccessInvalidEncryptionKeyProof: the proof is not a signature by key ${publicKey} for account ${ctx.stranger.address} on this chain and contract`,
        );
        expect(await ctx.records.encryptionKeyOf(ctx.stranger.address)).to.equal("0x");
        // Neither, or both ways at once: one line each.
        for (const args of [{}, { keyFile, publicKey, proof }]) {
          const bad = await runTask("records:encryption-key", {
            ...args,
            from: ctx.stranger.address,
            address: ctx.address,
          });
          expect(bad.exitCode).to.equal(1);
          expect(bad.lines).to.have.length(1);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
