/**
 * RecordAccess's signed actions described once (how to prepare, sign and relay each), shared by
 * test/records/signed.ts and the signed-action matrix (test/matrix/signed/records.ts). No tests here.
 */
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer, TypedDataDomain } from "ethers";
import type { SignedActionCase } from "../helpers/signatures";
import { recordsFixture, defaultTerms, signedFields } from "./fixture";
import type { RecordAccess } from "../../typechain-types";
import {
  RecordsDomain,
  signGrant,
  signRevoke,
  signRevokeAll,
  signSetDenyRule,
  signSetGuardian,
  signReviewEmergency,
  signLinkResearchParticipant,
  termsOf,
  DenyScope,
  GuardianPower,
  categoryMask,
  ALL_CATEGORIES,
} from "../../src/records";

export type Ctx = Awaited<ReturnType<typeof recordsFixture>>;

/** A salted break-glass reason commitment (its opening stays off chain). */
export const REASON_COMMITMENT = ethers.id("test: break-glass reason commitment");
/** A trial id for research links. */
export const TRIAL_ID = ethers.id("test: trial");

/** One signed action of RecordAccess, described once and run through every signature test. */
export interface SignedAction {
  name: string;
  /** The ABI signature of the relayed function (the signed-action matrix's key). */
  signature: string;
  event: string;
  /** The error for a valid signer that may not act for the patient (default RecordAccessUnauthorized). */
  unauthorized?: string;
  /** Only the patient may sign it (the typed struct names no other signer; a guardian may not). */
  patientOnly?: boolean;
  /** Puts the chain in a state where the action can succeed for `patient` (default: nothing to do). */
  prepare?(ctx: Ctx, patient: string): Promise<void>;
  /**
   * Signs the action for `patient` with `signer`'s key (the patient itself unless a test says otherwise),
   * in the name of `account` (default: `signer`'s address; a smart wallet that accepts `signer`'s key).
   */
  sign(
    ctx: Ctx,
    signer: Signer,
    patient: string,
    domain: RecordsDomain,
    deadline?: bigint,
    account?: string,
  ): Promise<Relay>;
  /** Relays it: the call the relayer makes. */
  submit(records: RecordAccess, relay: Relay): Promise<unknown>;
}

export interface Relay {
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

export const ACTIONS: SignedAction[] = [
  {
    name: "grantBySig",
    signature: "grantBySig(address,address,address,(uint16,uint8,uint8,uint40,uint40,uint40,uint40),uint256,bytes)",
    event: "AccessGranted",
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
      const message = {
        patient,
        signer: s,
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
    signature: "revokeBySig(address,address,address,uint256,bytes)",
    event: "AccessRevoked",
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
      const message = { patient, signer: s, grantee: ctx.specialist.address, ...(await fields(ctx, s, deadline)) };
      const signature = await signRevoke(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [ctx.specialist.address] };
    },
    submit: (records, r) => records.revokeBySig(r.signer, r.patient, r.args[0] as string, r.deadline, r.signature),
  },
  {
    name: "revokeAllBySig",
    signature: "revokeAllBySig(address,address,uint256,bytes)",
    event: "AllAccessRevoked",
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
      const message = { patient, signer: s, ...(await fields(ctx, s, deadline)) };
      const signature = await signRevokeAll(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [] };
    },
    submit: (records, r) => records.revokeAllBySig(r.signer, r.patient, r.deadline, r.signature),
  },
  {
    name: "setDenyRuleBySig",
    signature: "setDenyRuleBySig(address,address,uint8,address,uint16,uint256,bytes)",
    event: "DenyRuleSet",
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
      const message = {
        patient,
        signer: s,
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
    patientOnly: true,
    signature: "setGuardianBySig(address,address,uint16,uint8,uint40,uint256,bytes)",
    event: "GuardianSet",
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
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
    signature: "reviewEmergencyBySig(address,address,address,uint256,bytes)",
    event: "EmergencyReviewed",
    unauthorized: "RecordAccessNotReviewer",
    async prepare(ctx, patient) {
      await ctx.records.connect(ctx.specialist).breakGlass(patient, REASON_COMMITMENT);
    },
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
      const message = { patient, signer: s, provider: ctx.specialist.address, ...(await fields(ctx, s, deadline)) };
      const signature = await signReviewEmergency(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [ctx.specialist.address] };
    },
    submit: (records, r) =>
      records.reviewEmergencyBySig(r.signer, r.patient, r.args[0] as string, r.deadline, r.signature),
  },
  {
    name: "linkResearchParticipantBySig",
    signature: "linkResearchParticipantBySig(address,bytes32,address,uint256,bytes)",
    event: "ResearchParticipantLinked",
    patientOnly: true,
    async sign(ctx, signer, patient, domain, deadline, account) {
      const s = account ?? (await signer.getAddress());
      const message = {
        patient,
        trialId: TRIAL_ID,
        participant: ctx.stranger.address,
        ...(await fields(ctx, patient, deadline)),
      };
      const signature = await signLinkResearchParticipant(signer, domain, message);
      return { signer: s, patient, deadline: message.deadline, signature, args: [TRIAL_ID, ctx.stranger.address] };
    },
    submit: (records, r) =>
      records.linkResearchParticipantBySig(
        r.patient,
        r.args[0] as string,
        r.args[1] as string,
        r.deadline,
        r.signature,
      ),
  },
];

/**
 * The case of the six negative signature tests (test/helpers/signatures.ts) for one action: a fresh
 * recordsFixture (after the action's `prepare`), the patient as the expected signer, a relayer submitting.
 */
export async function signedActionCase(action: SignedAction): Promise<SignedActionCase<Relay>> {
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
      // Always in the patient's name: a stranger's key must not pass for it.
      const relay = await action.sign(
        ctx,
        o.signer ?? ctx.patient,
        ctx.patient.address,
        domain,
        o.deadline,
        ctx.patient.address,
      );
      // The relay always names the patient as signer: a stranger's signature must not pass for it.
      return { ...relay, signer: ctx.patient.address };
    },
    submit: (r: Relay) => action.submit(ctx.records.connect(ctx.relayer), r),
    stranger: ctx.stranger,
    withSignature: (r: Relay, signature: string) => ({ ...r, signature }),
    signatureOf: (r: Relay) => r.signature,
  };
}
