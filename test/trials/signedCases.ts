/**
 * Signing helpers, fixtures and the signed-action cases of ClinicalTrials, shared by the domain
 * tests (ClinicalTrials.consent.ts) and the signed-action matrix (test/matrix/signed/trials.ts).
 * No describe here: importing it registers no tests.
 */
import { time, loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Wallet } from "ethers";
import type { SignedActionCase, SignOptions } from "../helpers/signatures";
import {
  CoSignature,
  SignatureMeaning,
  WithdrawalChoice,
  signAttestation,
  signConsent,
  signRepresentativeAppointment,
  signRepresentativeDetermination,
  signRepresentativeRevocation,
  signWithdrawal,
} from "../../src/trials";
import type { ConsentPackage, RepresentativeAppointment, RepresentativeDetermination } from "../../src/trials";
import { ethers } from "hardhat";
import {
  FORM_V0,
  TrialsContext,
  appoint,
  consent,
  consentPackage,
  recruitingTrialFixture,
  relayInvestigator,
  relaySignature,
  relayVisit,
  witnessTrialFixture,
} from "./fixture";

/** The contract's domain with a signed-action test's replacements, or undefined for the real one. */
export function withDomain(ctx: TrialsContext, o: SignOptions) {
  return o.domain ? { ...ctx.domain, ...o.domain } : undefined;
}

/** Who signs an attestation: `signer` is the attesting address, `signerKey` the key that really signs. */
export type AttestOptions = Omit<SignOptions, "signer"> & {
  signer?: string;
  signerKey?: HardhatEthersSigner | Wallet;
  /** The consent hash attested (default: the stored terms hash of the participant's consent). */
  consentHash?: string;
};

/** Signs an attestation of `participant`'s current consent (version 0, the registered form, the stored terms hash). */
export async function attestation(
  ctx: TrialsContext,
  participant: string,
  meaning: SignatureMeaning.InvestigatorAttestation | SignatureMeaning.WitnessAttestation,
  key: HardhatEthersSigner | Wallet,
  o: AttestOptions = {},
): Promise<CoSignature> {
  const signer = o.signer ?? key.address;
  return signAttestation(
    o.signerKey ?? key,
    (o.domain ? { ...ctx.domain, ...o.domain } : undefined) ?? ctx.domain,
    {
      trialId: ctx.trialId,
      participant,
      protocolVersion: 0,
      consentFormHash: FORM_V0,
      consentHash: o.consentHash ?? (await ctx.trials.participation(ctx.trialId, participant)).termsHash,
    },
    meaning,
    o.deadline ?? BigInt(await time.latest()) + 3600n,
    await ctx.trials.nonces(signer),
    signer,
  );
}

/** A recruiting trial where participants[0] signed (not yet attested). */
export async function signedFixture() {
  const ctx = await recruitingTrialFixture();
  await relaySignature(ctx, await consentPackage(ctx, ctx.participants[0]));
  return ctx;
}

/** A witness-requiring trial where participants[0] signed and the investigator attested. */
export async function witnessPendingFixture() {
  const ctx = await witnessTrialFixture();
  const pkg = await consentPackage(ctx, ctx.participants[0]);
  await relaySignature(ctx, pkg);
  await relayInvestigator(ctx, pkg);
  return ctx;
}

/** A recruiting trial where participants[0] holds a complete consent. */
export async function consentedFixture() {
  const ctx = await recruitingTrialFixture();
  await consent(ctx, ctx.participants[0]);
  return ctx;
}

/** A recruiting trial where participants[0] appointed the representative (nothing signed yet). */
export async function appointedFixture() {
  const ctx = await recruitingTrialFixture();
  await appoint(ctx, ctx.participants[0]);
  return ctx;
}

/** A recruiting trial where participants[0]'s consent was signed by the representative it appointed. */
export async function representedFixture() {
  const ctx = await appointedFixture();
  await consent(ctx, ctx.participants[0], { signer: ctx.representative.address, key: ctx.representative });
  return ctx;
}

/** A signed withdrawal (WithdrawData) of participants[0]'s consent, as relayed. */
export interface SignedWithdrawal {
  p: string;
  signer: string;
  deadline: bigint;
  signature: string;
}

/** Signs participants[0]'s withdrawal with `key`, claiming `signer` (at `signer`'s current nonce). */
export async function signedWithdrawal(
  ctx: TrialsContext,
  key: HardhatEthersSigner | Wallet,
  signer: string,
  o: SignOptions = {},
): Promise<SignedWithdrawal> {
  const p = ctx.participants[0].address;
  const deadline = o.deadline ?? BigInt(await time.latest()) + 3600n;
  const signature = await signWithdrawal(
    o.signer ?? key,
    withDomain(ctx, o) ?? ctx.domain,
    ctx.trialId,
    p,
    WithdrawalChoice.WithdrawData,
    deadline,
    await ctx.trials.nonces(signer),
    signer,
  );
  return { p, signer, deadline, signature };
}

/** Relays a signed withdrawal as a non-member (anyone may). */
export function submitWithdrawal(ctx: TrialsContext, s: SignedWithdrawal) {
  return ctx.trials
    .connect(ctx.outsider)
    .withdrawBySig(ctx.trialId, s.p, WithdrawalChoice.WithdrawData, s.signer, s.deadline, s.signature);
}

/** consentBySig: the participant's own signature, relayed by the site. */
export async function participantConsentCase(): Promise<SignedActionCase<ConsentPackage>> {
  const ctx = await loadFixture(recruitingTrialFixture);
  const p = ctx.participants[0];
  return {
    contract: ctx.trials,
    expectedSigner: p.address,
    sign: (o: SignOptions) =>
      consentPackage(ctx, p, { key: o.signer, domain: withDomain(ctx, o), deadline: o.deadline }),
    submit: (pkg) => relaySignature(ctx, pkg),
    stranger: ctx.stranger,
    withSignature: (pkg, signature) => ({ ...pkg, signature }),
    signatureOf: (pkg) => pkg.signature,
  };
}

/** consentBySig: a legally authorised representative's signature (appointed first), relayed by the site. */
export async function representativeConsentCase(): Promise<SignedActionCase<ConsentPackage>> {
  const ctx = await loadFixture(appointedFixture);
  const p = ctx.participants[0];
  const rep = ctx.representative;
  return {
    contract: ctx.trials,
    expectedSigner: rep.address,
    sign: (o: SignOptions) =>
      consentPackage(ctx, p, {
        signer: rep.address,
        key: o.signer ?? rep,
        domain: withDomain(ctx, o),
        deadline: o.deadline,
      }),
    submit: (pkg) => relaySignature(ctx, pkg),
    stranger: ctx.stranger,
    withSignature: (pkg, signature) => ({ ...pkg, signature }),
    signatureOf: (pkg) => pkg.signature,
  };
}

/** consentAndAttestBySig: the participant's signature, relayed with the investigator's attestation. */
export async function visitConsentCase(): Promise<SignedActionCase<ConsentPackage>> {
  const ctx = await loadFixture(recruitingTrialFixture);
  const p = ctx.participants[0];
  return {
    contract: ctx.trials,
    expectedSigner: p.address,
    sign: (o: SignOptions) =>
      consentPackage(ctx, p, { key: o.signer, domain: withDomain(ctx, o), deadline: o.deadline }),
    submit: (pkg) => relayVisit(ctx, pkg),
    stranger: ctx.stranger,
    withSignature: (pkg, signature) => ({ ...pkg, signature }),
    signatureOf: (pkg) => pkg.signature,
  };
}

/**
 * consentAndAttestBySig: the investigator's attestation, relayed with a valid participant's
 * signature. The participant signs afresh at each submission (at its current nonce), so that only
 * the investigator's signature is under test: a replayed attestation names the struct hash of
 * terms signed at a consumed nonce, and is refused for the investigator.
 */
export async function visitAttestationCase(): Promise<SignedActionCase<ConsentPackage>> {
  const ctx = await loadFixture(recruitingTrialFixture);
  const p = ctx.participants[0];
  return {
    contract: ctx.trials,
    expectedSigner: ctx.investigator.address,
    sign: (o: SignOptions) =>
      consentPackage(ctx, p, {
        investigatorKey: o.signer ?? ctx.investigator,
        investigatorAddress: ctx.investigator.address,
        investigatorDomain: withDomain(ctx, o),
        investigatorDeadline: o.deadline,
      }),
    submit: async (pkg) =>
      relayVisit(ctx, {
        ...pkg,
        signature: await signConsent(p, ctx.domain, pkg.terms, await ctx.trials.nonces(p.address)),
      }),
    stranger: ctx.stranger,
    withSignature: (pkg, signature) => ({ ...pkg, investigator: { ...pkg.investigator, signature } }),
    signatureOf: (pkg) => pkg.investigator.signature,
  };
}

/** attestBySig: the investigator's attestation of participants[0]'s signed consent. */
export async function investigatorAttestationCase(): Promise<SignedActionCase<CoSignature>> {
  const ctx = await loadFixture(signedFixture);
  const p = ctx.participants[0].address;
  return {
    contract: ctx.trials,
    expectedSigner: ctx.investigator.address,
    sign: (o: SignOptions) =>
      attestation(ctx, p, SignatureMeaning.InvestigatorAttestation, ctx.investigator, {
        domain: o.domain,
        deadline: o.deadline,
        signer: ctx.investigator.address,
        signerKey: o.signer,
      }),
    submit: (co) =>
      ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.InvestigatorAttestation, co),
    stranger: ctx.stranger,
    withSignature: (co, signature) => ({ ...co, signature }),
    signatureOf: (co) => co.signature,
  };
}

/** attestBySig: an impartial witness's attestation (a witness-requiring trial). */
export async function witnessAttestationCase(): Promise<SignedActionCase<CoSignature>> {
  const ctx = await loadFixture(witnessPendingFixture);
  const p = ctx.participants[0].address;
  return {
    contract: ctx.trials,
    expectedSigner: ctx.witness.address,
    sign: (o: SignOptions) =>
      attestation(ctx, p, SignatureMeaning.WitnessAttestation, ctx.witness, {
        domain: o.domain,
        deadline: o.deadline,
        signer: ctx.witness.address,
        signerKey: o.signer,
      }),
    submit: (co) => ctx.trials.connect(ctx.site).attestBySig(ctx.trialId, p, SignatureMeaning.WitnessAttestation, co),
    stranger: ctx.stranger,
    withSignature: (co, signature) => ({ ...co, signature }),
    signatureOf: (co) => co.signature,
  };
}

/** withdrawBySig: participants[0]'s signed withdrawal, relayed by a non-member. */
export async function withdrawalCase(): Promise<SignedActionCase<SignedWithdrawal>> {
  const ctx = await loadFixture(consentedFixture);
  const p = ctx.participants[0];
  return {
    contract: ctx.trials,
    expectedSigner: p.address,
    sign: (o: SignOptions) => signedWithdrawal(ctx, p, p.address, o),
    submit: (s) => submitWithdrawal(ctx, s),
    stranger: ctx.stranger,
    withSignature: (s, signature) => ({ ...s, signature }),
    signatureOf: (s) => s.signature,
  };
}

/** A signed representative appointment, determination or revocation, as relayed. */
export interface Signed<T> {
  action: T;
  signature: string;
}

/**
 * participants[0]'s signed appointment (RepresentativeAppointment) of the representative, or of
 * `overrides.representative`, for the trial or `overrides.trialId`; `o` as the signature cases use it.
 */
export async function signedAppointment(
  ctx: TrialsContext,
  overrides: Partial<{ trialId: string; representative: string; endsAt: bigint }> = {},
  o: SignOptions = {},
): Promise<Signed<RepresentativeAppointment>> {
  const p = ctx.participants[0];
  const action = {
    trialId: overrides.trialId ?? ctx.trialId,
    participant: p.address,
    representative: overrides.representative ?? ctx.representative.address,
    endsAt: overrides.endsAt ?? 0n,
    deadline: o.deadline ?? BigInt(await time.latest()) + 3600n,
  };
  const signature = await signRepresentativeAppointment(
    o.signer ?? p,
    withDomain(ctx, o) ?? ctx.domain,
    action,
    await ctx.trials.nonces(p.address),
  );
  return { action, signature };
}

/** appointRepresentativeBySig: participants[0]'s signed appointment of the representative, relayed by a non-member. */
export async function appointmentCase(): Promise<SignedActionCase<Signed<RepresentativeAppointment>>> {
  const ctx = await loadFixture(recruitingTrialFixture);
  const p = ctx.participants[0];
  return {
    contract: ctx.trials,
    expectedSigner: p.address,
    sign: (o: SignOptions) => signedAppointment(ctx, {}, o),
    submit: (s) => ctx.trials.connect(ctx.outsider).appointRepresentativeBySig(s.action, s.signature),
    stranger: ctx.stranger,
    withSignature: (s, signature) => ({ ...s, signature }),
    signatureOf: (s) => s.signature,
  };
}

/** revokeRepresentativeBySig: participants[0]'s signed revocation (a representative appointed), relayed by a non-member. */
export async function revocationCase(): Promise<SignedActionCase<Signed<{ deadline: bigint }>>> {
  const ctx = await loadFixture(appointedFixture);
  const p = ctx.participants[0];
  return {
    contract: ctx.trials,
    expectedSigner: p.address,
    sign: async (o: SignOptions) => {
      const deadline = o.deadline ?? BigInt(await time.latest()) + 3600n;
      const signature = await signRepresentativeRevocation(
        o.signer ?? p,
        withDomain(ctx, o) ?? ctx.domain,
        ctx.trialId,
        p.address,
        deadline,
        await ctx.trials.nonces(p.address),
      );
      return { action: { deadline }, signature };
    },
    submit: (s) =>
      ctx.trials
        .connect(ctx.outsider)
        .revokeRepresentativeBySig(ctx.trialId, p.address, s.action.deadline, s.signature),
    stranger: ctx.stranger,
    withSignature: (s, signature) => ({ ...s, signature }),
    signatureOf: (s) => s.signature,
  };
}

/** determineRepresentativeBySig: the investigator's signed determination for participants[0], relayed by the site. */
export async function determinationCase(): Promise<SignedActionCase<Signed<RepresentativeDetermination>>> {
  const ctx = await loadFixture(recruitingTrialFixture);
  const inv = ctx.investigator;
  return {
    contract: ctx.trials,
    expectedSigner: inv.address,
    sign: async (o: SignOptions) => {
      const action = {
        trialId: ctx.trialId,
        participant: ctx.participants[0].address,
        representative: ctx.representative.address,
        endsAt: 0n,
        basisHash: ethers.id("capacity assessment"),
        investigator: inv.address,
        deadline: o.deadline ?? BigInt(await time.latest()) + 3600n,
      };
      const signature = await signRepresentativeDetermination(
        o.signer ?? inv,
        withDomain(ctx, o) ?? ctx.domain,
        action,
        await ctx.trials.nonces(inv.address),
      );
      return { action, signature };
    },
    submit: (s) => ctx.trials.connect(ctx.site).determineRepresentativeBySig(s.action, s.signature),
    stranger: ctx.stranger,
    withSignature: (s, signature) => ({ ...s, signature }),
    signatureOf: (s) => s.signature,
  };
}
