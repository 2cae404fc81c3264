import { ethers } from "hardhat";
import type { Signer, TypedDataDomain } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ClinicalTrials } from "../../typechain-types";
import { deployConsortiumFixture } from "../helpers/fixtures";
import {
  ConsentPackage,
  ConsentInput,
  CoSignature,
  NO_WITNESS,
  SignatureMeaning,
  consentHash,
  consentTerms,
  encodeScope,
  registryRefHash,
  relayConsentPackage,
  relayConsentVisit,
  signAttestation,
  signConsent,
  trialIdOf,
  trialsDomain,
} from "../../src/trials";
import { categoryMask } from "../../src/categories";

export const SALT = ethers.id("ACME-ONC-001");
export const PROTOCOL_V0 = ethers.id("protocol v0 pdf");
export const FORM_V0 = ethers.id("consent form v0 pdf");
export const OUTCOME_V0 = ethers.id("primary outcome: PFS at 12 months");
export const REGISTRY_REF = registryRefHash("NCT01234567");
export const CAP = 3;
export const DEFAULT_SCOPE = encodeScope(["HMB", "NCU"]);
export const DEFAULT_CATEGORIES = categoryMask(["Labs", "Imaging", "Genomic"]);

/** The consortium plus the trials contract, its EIP-712 domain and the trial's people. */
export async function deployTrialsFixture() {
  const c = await deployConsortiumFixture();
  const trials = c.deployed.trials as unknown as ClinicalTrials;
  const [investigator, witness, representative, stranger, ...participants] = c.others;
  const domain = trialsDomain((await ethers.provider.getNetwork()).chainId, await trials.getAddress());
  const trialId = trialIdOf(c.sponsor.address, SALT);
  return { ...c, trials, domain, trialId, investigator, witness, representative, stranger, participants };
}

export type TrialsContext = Awaited<ReturnType<typeof deployTrialsFixture>>;

/** The registration the fixtures use (overridable). */
export function registration(
  ctx: TrialsContext,
  overrides: Partial<Parameters<ClinicalTrials["registerTrial"]>[0]> = {},
) {
  return {
    salt: SALT,
    registryRefHash: REGISTRY_REF,
    protocolHash: PROTOCOL_V0,
    consentFormHash: FORM_V0,
    outcomeHash: OUTCOME_V0,
    irb: ctx.irb.address,
    enrollmentCap: CAP,
    witnessRequired: false,
    ...overrides,
  };
}

/** A trial registered by the sponsor, not yet approved. */
export async function registeredTrialFixture() {
  const ctx = await deployTrialsFixture();
  await ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx));
  return ctx;
}

/** Sets up an approved trial with its site, researcher and investigator; optionally recruiting. */
export async function prepareTrial(ctx: TrialsContext, recruiting: boolean): Promise<void> {
  const { trials, sponsor, irb, site, researcher, investigator, trialId } = ctx;
  await trials.connect(irb).approveTrial(trialId);
  await trials.connect(sponsor).setSite(trialId, site.address, true);
  await trials.connect(sponsor).setResearcher(trialId, researcher.address, true);
  await trials.connect(site).setInvestigator(trialId, investigator.address, true);
  if (recruiting) await trials.connect(sponsor).openRecruitment(trialId);
}

/** An approved, recruiting trial (cap 3, no witness) with a site, a researcher and an investigator. */
export async function recruitingTrialFixture() {
  const ctx = await registeredTrialFixture();
  await prepareTrial(ctx, true);
  return ctx;
}

/** The same, but requiring an impartial witness. */
export async function witnessTrialFixture() {
  const ctx = await deployTrialsFixture();
  await ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { witnessRequired: true }));
  await prepareTrial(ctx, true);
  return ctx;
}

export interface PackageOptions extends Partial<ConsentInput> {
  /** Overrides the meaning derived from signer vs participant (to test a wrong one). */
  meaning?: SignatureMeaning;
  /** Key that signs the consent (default: the signer's or participant's own key). */
  key?: Signer;
  /** Investigator key and address (default: the fixture's investigator). */
  investigatorKey?: Signer;
  investigatorAddress?: string;
  investigatorDeadline?: bigint;
  investigatorDomain?: TypedDataDomain;
  /** Witness key and address; default none. */
  witnessKey?: Signer;
  witnessAddress?: string;
  witnessDeadline?: bigint;
  witnessDomain?: TypedDataDomain;
  /** Domain the consent is signed in (default: the contract's). */
  domain?: TypedDataDomain;
  /** Consent hash the attestations name (default: the hash of the terms signed). */
  attestedHash?: string;
}

/** A complete consent package at the trial's current version and form, signed at current nonces. */
export async function consentPackage(
  ctx: TrialsContext,
  participant: HardhatEthersSigner | Signer,
  options: PackageOptions = {},
): Promise<ConsentPackage> {
  const { trials, trialId, domain } = ctx;
  const participantAddress = options.participant ?? (await participant.getAddress());
  const t = await trials.trial(trialId);
  const version = options.protocolVersion ?? Number(t.protocolVersion);
  const current = await trials.amendment(trialId, Number(t.protocolVersion));
  const now = BigInt(await time.latest());
  const terms = consentTerms({
    trialId: options.trialId ?? trialId,
    participant: participantAddress,
    signer: options.signer ?? participantAddress,
    protocolVersion: version,
    consentFormHash: options.consentFormHash ?? current.consentFormHash,
    scope: options.scope ?? DEFAULT_SCOPE,
    diseaseCodeHash: options.diseaseCodeHash,
    useUntil: options.useUntil,
    categories: options.categories ?? DEFAULT_CATEGORIES,
    futureContact: options.futureContact ?? true,
    deadline: options.deadline ?? now + 3600n,
  });
  if (options.meaning !== undefined) terms.meaning = options.meaning;
  const key = options.key ?? participant;
  const nonce = await trials.nonces(terms.signer);
  const signature = await signConsent(key, options.domain ?? domain, terms, nonce);
  // Attestations bind to the exact terms signed (their struct hash, nonce included).
  const attested = { ...terms, consentHash: options.attestedHash ?? consentHash(terms, nonce) };
  const invKey = options.investigatorKey ?? ctx.investigator;
  const invAddress = options.investigatorAddress ?? (await invKey.getAddress());
  const investigator = await signAttestation(
    invKey,
    options.investigatorDomain ?? domain,
    attested,
    SignatureMeaning.InvestigatorAttestation,
    options.investigatorDeadline ?? now + 3600n,
    await trials.nonces(invAddress),
    invAddress,
  );
  let witness: CoSignature = NO_WITNESS;
  if (options.witnessKey) {
    const wAddress = options.witnessAddress ?? (await options.witnessKey.getAddress());
    witness = await signAttestation(
      options.witnessKey,
      options.witnessDomain ?? domain,
      attested,
      SignatureMeaning.WitnessAttestation,
      options.witnessDeadline ?? now + 3600n,
      await trials.nonces(wAddress),
      wAddress,
    );
  }
  return { terms, signature, investigator, witness };
}

/** `participant` appoints `representative` (default: the fixture's) by a direct call. */
export async function appoint(
  ctx: TrialsContext,
  participant: HardhatEthersSigner,
  representative: string = ctx.representative.address,
  endsAt = 0n,
) {
  return ctx.trials.connect(participant).appointRepresentative(ctx.trialId, representative, endsAt);
}

/** Relays the participant's signature of a package as the fixture's site (or `relayer`). */
export function relaySignature(ctx: TrialsContext, pkg: ConsentPackage, relayer: HardhatEthersSigner = ctx.site) {
  return ctx.trials.connect(relayer).consentBySig(pkg.terms, pkg.signature);
}

/** Relays a package's consent visit (signature and investigator attestation, one transaction) as the fixture's site (or `relayer`). */
export function relayVisit(ctx: TrialsContext, pkg: ConsentPackage, relayer: HardhatEthersSigner = ctx.site) {
  return relayConsentVisit(ctx.trials.connect(relayer), pkg);
}

/** Relays a package's investigator attestation as the fixture's site (or `relayer`). */
export function relayInvestigator(ctx: TrialsContext, pkg: ConsentPackage, relayer: HardhatEthersSigner = ctx.site) {
  const { trialId, participant } = pkg.terms;
  return ctx.trials
    .connect(relayer)
    .attestBySig(trialId, participant, SignatureMeaning.InvestigatorAttestation, pkg.investigator);
}

/** Relays a package's witness attestation as the fixture's site (or `relayer`). */
export function relayWitness(ctx: TrialsContext, pkg: ConsentPackage, relayer: HardhatEthersSigner = ctx.site) {
  const { trialId, participant } = pkg.terms;
  return ctx.trials
    .connect(relayer)
    .attestBySig(trialId, participant, SignatureMeaning.WitnessAttestation, pkg.witness);
}

/** Relays a whole package as the fixture's site: the consent counts afterwards. */
export async function relay(ctx: TrialsContext, pkg: ConsentPackage): Promise<void> {
  await relayConsentPackage(ctx.trials.connect(ctx.site), pkg);
}

/** Signs and relays a complete consent for `participant`. */
export async function consent(
  ctx: TrialsContext,
  participant: HardhatEthersSigner | Signer,
  options: PackageOptions = {},
): Promise<ConsentPackage> {
  const pkg = await consentPackage(ctx, participant, options);
  await relay(ctx, pkg);
  return pkg;
}
