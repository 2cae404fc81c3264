import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer, TypedDataDomain } from "ethers";
import { shouldRejectBadSignatures } from "../helpers/signatures";
import { recordsFixture, defaultTerms, signedFields, smartWalletOf } from "./fixture";
import type { RecordAccess } from "../../typechain-types";
import {
  RecordsDomain,
  signGrant,
  grantTypedData,
  signRevoke,
  signRevokeAll,
  signSetDenyRule,
  signSetGuardian,
  signReviewEmergency,
  termsOf,
  DenyScope,
  GuardianPower,
  categoryMask,
  ALL_CATEGORIES,
} from "../../src/records";

type Ctx = Awaited<ReturnType<typeof recordsFixture>>;

/** One signed action of RecordAccess, described once and run through every signature test. */
interface SignedAction {
  name: string;
  event: string;
  /** The error for a valid signer that may not act for the patient (default RecordAccessUnauthorized). */
  unauthorized?: string;
  /** Puts the chain in a state where the action can succeed for `patient` (default: nothing to do). */
  prepare?(ctx: Ctx, patient: string): Promise<void>;
  /** Signs the action for `patient` as `signer` (the patient itself unless a test says otherwise). */
  sign(ctx: Ctx, signer: Signer, patient: string, domain: RecordsDomain, deadline?: bigint): Promise<Relay>;
  /** Relays it: the call the relayer makes. */
  submit(records: RecordAccess, relay: Relay): Promise<unknown>;
}

interface Relay {
  signer: string;
  patient: string;
  deadline: bigint;
  signature: string;
  args: unknown[];
}

async function fields(ctx: Ctx, signer: string, deadline?: bigint) {
  const f = await signedFields(ctx.records, signer);
  return { nonce: f.nonce, deadline: deadline ?? f.deadline };
}

const ACTIONS: SignedAction[] = [
  {
    name: "grantBySig",
    event: "AccessGranted",
    async sign(ctx, signer, patient, domain, deadline) {
      const s = await signer.getAddress();
      const message = {
        patient,
        grantee: ctx.specialist.address,
        ...(await defaultTerms()),
        ...(await fields(ctx, s, deadline)),
      };
      const signature = await signGrant(signer, domain, message);
      return {
        signer: s,
        patient,
        deadline: message.deadline,
        signature,
        args: [ctx.specialist.address, termsOf(message)],
      };
    },
    submit: (records, r) =>
      records.grantBySig(r.signer, r.patient, r.args[0] as string, r.args[1] as never, r.deadline, r.signature),
  },
  {
    name: "revokeBySig",
    event: "AccessRevoked",
    async sign(ctx, signer, patient, domain, deadline) {
      const s = await signer.getAddress();
      const message = { patient, grantee: ctx.specialist.address, ...(await fields(ctx, s, deadline)) };
      const signature = await signRevoke(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [ctx.specialist.address] };
    },
    submit: (records, r) => records.revokeBySig(r.signer, r.patient, r.args[0] as string, r.deadline, r.signature),
  },
  {
    name: "revokeAllBySig",
    event: "AllAccessRevoked",
    async sign(ctx, signer, patient, domain, deadline) {
      const s = await signer.getAddress();
      const message = { patient, ...(await fields(ctx, s, deadline)) };
      const signature = await signRevokeAll(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [] };
    },
    submit: (records, r) => records.revokeAllBySig(r.signer, r.patient, r.deadline, r.signature),
  },
  {
    name: "setDenyRuleBySig",
    event: "DenyRuleSet",
    async sign(ctx, signer, patient, domain, deadline) {
      const s = await signer.getAddress();
      const message = {
        patient,
        scope: DenyScope.AllExcept,
        target: ctx.specialist.address,
        categories: categoryMask(["MentalHealth"]),
        ...(await fields(ctx, s, deadline)),
      };
      const signature = await signSetDenyRule(signer, domain, message);
      return {
        signer: s,
        patient,
        deadline: message.deadline,
        signature,
        args: [message.scope, message.target, message.categories],
      };
    },
    submit: (records, r) =>
      records.setDenyRuleBySig(
        r.signer,
        r.patient,
        r.args[0] as number,
        r.args[1] as string,
        r.args[2] as number,
        r.deadline,
        r.signature,
      ),
  },
  {
    name: "setGuardianBySig",
    event: "GuardianSet",
    async sign(ctx, signer, patient, domain, deadline) {
      const s = await signer.getAddress();
      const f = await fields(ctx, patient, deadline);
      const message = {
        patient,
        guardian: ctx.guardian.address,
        categories: ALL_CATEGORIES,
        powers: GuardianPower.Grant | GuardianPower.Revoke,
        until: f.deadline + 365n * 24n * 3600n,
        ...f,
      };
      const signature = await signSetGuardian(signer, domain, message);
      return {
        signer: s,
        patient,
        deadline: message.deadline,
        signature,
        args: [message.guardian, message.categories, message.powers, message.until],
      };
    },
    submit: (records, r) =>
      records.setGuardianBySig(
        r.patient,
        r.args[0] as string,
        r.args[1] as number,
        r.args[2] as number,
        r.args[3] as bigint,
        r.deadline,
        r.signature,
      ),
  },
  {
    name: "reviewEmergencyBySig",
    event: "EmergencyReviewed",
    unauthorized: "RecordAccessNotReviewer",
    async prepare(ctx, patient) {
      await ctx.records.connect(ctx.specialist).breakGlass(patient, 1);
    },
    async sign(ctx, signer, patient, domain, deadline) {
      const s = await signer.getAddress();
      const message = { patient, provider: ctx.specialist.address, ...(await fields(ctx, s, deadline)) };
      const signature = await signReviewEmergency(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [ctx.specialist.address] };
    },
    submit: (records, r) =>
      records.reviewEmergencyBySig(r.signer, r.patient, r.args[0] as string, r.deadline, r.signature),
  },
];

describe("RecordAccess signed actions", function () {
  for (const action of ACTIONS) {
    describe(action.name, function () {
      shouldRejectBadSignatures(async () => {
        const ctx = await loadFixture(recordsFixture);
        await action.prepare?.(ctx, ctx.patient.address);
        return {
          contract: ctx.records,
          expectedSigner: ctx.patient.address,
          sign: async (o: {
            signer?: HardhatEthersSigner | Signer;
            domain?: Partial<TypedDataDomain>;
            deadline?: bigint;
          }) => {
            const domain = {
              chainId: BigInt(o.domain?.chainId ?? ctx.domain.chainId),
              verifyingContract: String(o.domain?.verifyingContract ?? ctx.domain.verifyingContract),
            };
            const relay = await action.sign(ctx, o.signer ?? ctx.patient, ctx.patient.address, domain, o.deadline);
            // The relay always names the patient as signer: a stranger's signature must not pass for it.
            return { ...relay, signer: ctx.patient.address };
          },
          submit: (r: Relay) => action.submit(ctx.records.connect(ctx.relayer), r),
          stranger: ctx.stranger,
          withSignature: (r: Relay, signature: string) => ({ ...r, signature }),
          signatureOf: (r: Relay) => r.signature,
        };
      });

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
        const relay = await action.sign(ctx, ctx.patient2, walletAddress, ctx.domain);
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
        const relay = await action.sign(ctx, ctx.patient2, walletAddress, ctx.domain);
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
    for (const action of ACTIONS.filter((a) => a.name !== "setGuardianBySig")) {
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
        const until = BigInt(await ethers.provider.getBlock("latest").then((b) => b!.timestamp)) + 86400n;
        await ctx.records
          .connect(ctx.patient)
          .setGuardian(ctx.patient.address, ctx.guardian.address, ALL_CATEGORIES, 0x0f, until);
        await action.prepare?.(ctx, ctx.patient.address);
        const relay = await action.sign(ctx, ctx.guardian, ctx.patient.address, ctx.domain);
        await expect(action.submit(ctx.records.connect(ctx.relayer), relay)).to.emit(ctx.records, action.event);
      });
    }

    it("setGuardianBySig refuses the guardian's own signature (only the patient appoints)", async function () {
      const ctx = await loadFixture(recordsFixture);
      const action = ACTIONS.find((a) => a.name === "setGuardianBySig")!;
      const relay = await action.sign(ctx, ctx.guardian, ctx.patient.address, ctx.domain);
      await expect(action.submit(ctx.records, relay))
        .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
        .withArgs(ctx.patient.address);
    });
  });
});
