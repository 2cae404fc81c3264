import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { shouldRejectBadSignatures } from "../helpers/signatures";
import { recordsFixture, smartWalletOf } from "./fixture";
import { grantTypedData, ALL_CATEGORIES, ALL_GUARDIAN_POWERS } from "../../src/records";
import { ACTIONS, signedActionCase } from "./signedActions";

describe("RecordAccess signed actions", function () {
  for (const action of ACTIONS) {
    describe(action.name, function () {
      shouldRejectBadSignatures(() => signedActionCase(action));

      it(`emits ${action.event} when a relayer submits the patient's signature`, async function () {
        const ctx = await loadFixture(recordsFixture);
        await action.prepare?.(ctx, ctx.patient.address);
        const relay = await action.sign(ctx, ctx.patient, ctx.patient.address, ctx.domain);
        await expect(action.submit(ctx.records.connect(ctx.relayer), relay)).to.emit(ctx.records, action.event);
        expect(await ctx.records.nonces(ctx.patient.address)).to.equal(1n);
      });

      it("emits when an ERC-1271 smart-wallet patient signs", async function () {
        const ctx = await loadFixture(recordsFixture);
        const wallet = await smartWalletOf(ctx.patient2);
        const walletAddress = await wallet.getAddress();
        await action.prepare?.(ctx, walletAddress);
        const relay = await action.sign(ctx, ctx.patient2, walletAddress, ctx.domain, undefined, walletAddress);
        await expect(action.submit(ctx.records.connect(ctx.relayer), { ...relay, signer: walletAddress })).to.emit(
          ctx.records,
          action.event,
        );
        expect(await ctx.records.nonces(walletAddress)).to.equal(1n);
      });

      it("reverts when the ERC-1271 wallet no longer accepts its owner's signature", async function () {
        const ctx = await loadFixture(recordsFixture);
        const wallet = await smartWalletOf(ctx.patient2);
        const walletAddress = await wallet.getAddress();
        await action.prepare?.(ctx, walletAddress);
        const relay = await action.sign(ctx, ctx.patient2, walletAddress, ctx.domain, undefined, walletAddress);
        await wallet.setAccepting(false);
        await expect(action.submit(ctx.records, { ...relay, signer: walletAddress }))
          .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
          .withArgs(walletAddress);
      });
    });
  }

  it("uses the EIP-712 domain the SDK builds", async function () {
    const ctx = await loadFixture(recordsFixture);
    const domain = grantTypedData(ctx.domain, {} as never).domain;
    expect(await ctx.records.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
  });

  describe("signatures by someone other than the patient", function () {
    for (const action of ACTIONS.filter((a) => !a.patientOnly)) {
      it(`${action.name} reverts when a valid signer is neither the patient nor its guardian`, async function () {
        const ctx = await loadFixture(recordsFixture);
        await action.prepare?.(ctx, ctx.patient.address);
        const relay = await action.sign(ctx, ctx.stranger, ctx.patient.address, ctx.domain);
        await expect(action.submit(ctx.records, relay))
          .to.be.revertedWithCustomError(ctx.records, action.unauthorized ?? "RecordAccessUnauthorized")
          .withArgs(ctx.patient.address, ctx.stranger.address);
      });

      it(`${action.name} emits when the patient's guardian in scope signs`, async function () {
        const ctx = await loadFixture(recordsFixture);
        const until = BigInt(await ethers.provider.getBlock("latest").then((b) => b!.timestamp)) + 365n * 86400n;
        await ctx.records
          .connect(ctx.patient)
          .setGuardian(ctx.patient.address, ctx.guardian.address, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, until);
        await action.prepare?.(ctx, ctx.patient.address);
        const relay = await action.sign(ctx, ctx.guardian, ctx.patient.address, ctx.domain);
        await expect(action.submit(ctx.records.connect(ctx.relayer), relay)).to.emit(ctx.records, action.event);
      });
    }

    for (const action of ACTIONS.filter((a) => a.patientOnly)) {
      it(`${action.name} refuses the guardian's own signature (only the patient may)`, async function () {
        const ctx = await loadFixture(recordsFixture);
        const until = BigInt(await ethers.provider.getBlock("latest").then((b) => b!.timestamp)) + 86400n;
        await ctx.records
          .connect(ctx.patient)
          .setGuardian(ctx.patient.address, ctx.guardian.address, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, until);
        const relay = await action.sign(ctx, ctx.guardian, ctx.patient.address, ctx.domain);
        await expect(action.submit(ctx.records, relay))
          .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
          .withArgs(ctx.patient.address);
      });
    }
  });
});
