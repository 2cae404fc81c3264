import { AbiCoder, ContractRunner, Signer, TypedDataDomain, TypedDataEncoder, keccak256 } from "ethers";
import {
  ContractLike,
  Eip712Domain,
  TypedData,
  TypedDataTypes,
  carechainDomain,
  readDomain,
  signTypedData,
  typedData,
} from "../signatures";
import { SignatureMeaning, WithdrawalChoice } from "./enums";

/** EIP-712 domain name and version of contracts/trials/ClinicalTrials.sol. */
export const TRIALS_DOMAIN_NAME = "Carechain Trials";
export const TRIALS_DOMAIN_VERSION = "1";

/** The EIP-712 domain of a ClinicalTrials deployment, read from the contract (ERC-5267). */
export function readTrialsDomain(trials: ContractLike, runner: ContractRunner): Promise<Eip712Domain> {
  return readDomain(trials, runner);
}

/** The EIP-712 domain of a ClinicalTrials deployment with the compiled name (prefer {@link readTrialsDomain}). */
export function trialsDomain(chainId: bigint, verifyingContract: string): TypedDataDomain {
  return carechainDomain(TRIALS_DOMAIN_NAME, TRIALS_DOMAIN_VERSION, chainId, verifyingContract);
}

/** The id of the trial `sponsor` registers with `salt` (as ClinicalTrials.trialIdOf). */
export function trialIdOf(sponsor: string, salt: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [sponsor, salt]));
}

/** The fields of the `Consent` struct, in the contract's order. */
export const CONSENT_TYPES: TypedDataTypes = {
  Consent: [
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    { name: "signer", type: "address" },
    { name: "meaning", type: "uint8" },
    { name: "protocolVersion", type: "uint16" },
    { name: "consentFormHash", type: "bytes32" },
    { name: "scope", type: "uint16" },
    { name: "diseaseCodeHash", type: "bytes32" },
    { name: "useUntil", type: "uint40" },
    { name: "categories", type: "uint16" },
    { name: "futureContact", type: "bool" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
  ],
};

/**
 * An investigator's or impartial witness's attestation of a consent. `consentHash` is the EIP-712
 * struct hash of the exact `Consent` attested (terms and the signer's nonce: {consentHash}), so an
 * attestation counts for those terms only, never for a re-consent.
 */
export const ATTESTATION_TYPES: TypedDataTypes = {
  Attestation: [
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    { name: "protocolVersion", type: "uint16" },
    { name: "consentFormHash", type: "bytes32" },
    { name: "consentHash", type: "bytes32" },
    { name: "meaning", type: "uint8" },
    { name: "signer", type: "address" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
  ],
};

export const WITHDRAWAL_TYPES: TypedDataTypes = {
  Withdrawal: [
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    { name: "choice", type: "uint8" },
    { name: "meaning", type: "uint8" },
    { name: "signer", type: "address" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
  ],
};

/**
 * A participant appoints a legally authorised representative for one trial (the participant is the
 * signer): `endsAt` 0 = until revoked, else the authority's end time (unix seconds).
 */
export const REPRESENTATIVE_APPOINTMENT_TYPES: TypedDataTypes = {
  RepresentativeAppointment: [
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    { name: "representative", type: "address" },
    { name: "endsAt", type: "uint40" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
  ],
};

/** A participant ends every representative authority over it in one trial (the participant signs). */
export const REPRESENTATIVE_REVOCATION_TYPES: TypedDataTypes = {
  RepresentativeRevocation: [
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
  ],
};

/**
 * An investigator of the trial determines that `participant` lacks capacity and that
 * `representative` is the LAR (21 CFR 50.3(l), 50.27); `basisHash` commits to the documented basis
 * (never the document itself); `investigator` is the signer. The IRB must confirm it on chain.
 */
export const REPRESENTATIVE_DETERMINATION_TYPES: TypedDataTypes = {
  RepresentativeDetermination: [
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    { name: "representative", type: "address" },
    { name: "endsAt", type: "uint40" },
    { name: "basisHash", type: "bytes32" },
    { name: "investigator", type: "address" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
  ],
};

/** IClinicalTrials.RepresentativeAppointment (the contract adds the nonce). */
export interface RepresentativeAppointment {
  trialId: string;
  participant: string;
  representative: string;
  endsAt: bigint;
  deadline: bigint;
}

/** IClinicalTrials.RepresentativeDetermination (the contract adds the nonce). */
export interface RepresentativeDetermination {
  trialId: string;
  participant: string;
  representative: string;
  endsAt: bigint;
  basisHash: string;
  investigator: string;
  deadline: bigint;
}

/** The typed data of a participant's appointment of a representative. */
export function buildRepresentativeAppointment(
  domain: TypedDataDomain,
  a: RepresentativeAppointment,
  nonce: bigint,
): TypedData<RepresentativeAppointment & { nonce: bigint } & Record<string, unknown>> {
  return typedData(domain, REPRESENTATIVE_APPOINTMENT_TYPES, "RepresentativeAppointment", { ...a, nonce });
}

/** The typed data of a participant's revocation of its representatives in a trial. */
export function buildRepresentativeRevocation(
  domain: TypedDataDomain,
  trialId: string,
  participant: string,
  deadline: bigint,
  nonce: bigint,
): TypedData<{ trialId: string; participant: string; deadline: bigint; nonce: bigint } & Record<string, unknown>> {
  return typedData(domain, REPRESENTATIVE_REVOCATION_TYPES, "RepresentativeRevocation", {
    trialId,
    participant,
    deadline,
    nonce,
  });
}

/** The typed data of an investigator's determination of incapacity and of the LAR. */
export function buildRepresentativeDetermination(
  domain: TypedDataDomain,
  d: RepresentativeDetermination,
  nonce: bigint,
): TypedData<RepresentativeDetermination & { nonce: bigint } & Record<string, unknown>> {
  return typedData(domain, REPRESENTATIVE_DETERMINATION_TYPES, "RepresentativeDetermination", { ...d, nonce });
}

/**
 * Signs a participant's appointment with the participant's own key (an EOA). For a smart-account
 * participant (a Safe) sign the typed data with its owners instead: {@link signAsSafe} in "../safe".
 */
export async function signRepresentativeAppointment(
  key: Signer,
  domain: TypedDataDomain,
  a: RepresentativeAppointment,
  nonce: bigint,
): Promise<string> {
  return signTypedData(key, buildRepresentativeAppointment(domain, a, nonce));
}

/** Signs a participant's revocation of its representatives in a trial. */
export async function signRepresentativeRevocation(
  key: Signer,
  domain: TypedDataDomain,
  trialId: string,
  participant: string,
  deadline: bigint,
  nonce: bigint,
): Promise<string> {
  return signTypedData(key, buildRepresentativeRevocation(domain, trialId, participant, deadline, nonce));
}

/** Signs an investigator's determination with the investigator's own key (a Safe: {@link signAsSafe}). */
export async function signRepresentativeDetermination(
  key: Signer,
  domain: TypedDataDomain,
  d: RepresentativeDetermination,
  nonce: bigint,
): Promise<string> {
  return signTypedData(key, buildRepresentativeDetermination(domain, d, nonce));
}

/** What a participant (or representative) agrees to: IClinicalTrials.ConsentTerms. */
export interface ConsentTerms {
  trialId: string;
  participant: string;
  signer: string;
  meaning: SignatureMeaning;
  protocolVersion: number;
  consentFormHash: string;
  scope: number;
  diseaseCodeHash: string;
  useUntil: bigint;
  categories: number;
  futureContact: boolean;
  deadline: bigint;
}

/** Input of {consentTerms}: the meaning is derived, DS/TS extras default to zero. */
export interface ConsentInput {
  trialId: string;
  participant: string;
  /** The participant (default) or their legally authorised representative. */
  signer?: string;
  protocolVersion: number;
  consentFormHash: string;
  scope: number;
  diseaseCodeHash?: string;
  useUntil?: bigint;
  categories: number;
  futureContact: boolean;
  deadline: bigint;
}

const ZERO_HASH = "0x" + "00".repeat(32);
const ZERO_ADDRESS = "0x" + "00".repeat(20);

/** Completes consent terms: ParticipantConsent when the participant signs, else RepresentativeConsent. */
export function consentTerms(input: ConsentInput): ConsentTerms {
  const signer = input.signer ?? input.participant;
  return {
    trialId: input.trialId,
    participant: input.participant,
    signer,
    meaning:
      signer.toLowerCase() === input.participant.toLowerCase()
        ? SignatureMeaning.ParticipantConsent
        : SignatureMeaning.RepresentativeConsent,
    protocolVersion: input.protocolVersion,
    consentFormHash: input.consentFormHash,
    scope: input.scope,
    diseaseCodeHash: input.diseaseCodeHash ?? ZERO_HASH,
    useUntil: input.useUntil ?? 0n,
    categories: input.categories,
    futureContact: input.futureContact,
    deadline: input.deadline,
  };
}

export type ConsentMessage = ConsentTerms & { nonce: bigint };

/**
 * The EIP-712 struct hash of consent `terms` signed at `nonce` (as the contract stores it in
 * `participation(...).termsHash`): what an investigator's or witness's attestation binds to.
 */
export function consentHash(terms: ConsentTerms, nonce: bigint): string {
  return TypedDataEncoder.hashStruct("Consent", CONSENT_TYPES, { ...terms, nonce });
}

/** The terms an attestation names: the consent's trial, participant, version, form and struct hash. */
export type AttestedConsent = Pick<ConsentTerms, "trialId" | "participant" | "protocolVersion" | "consentFormHash"> & {
  consentHash: string;
};

export interface AttestationMessage {
  trialId: string;
  participant: string;
  protocolVersion: number;
  consentFormHash: string;
  consentHash: string;
  meaning: SignatureMeaning;
  signer: string;
  deadline: bigint;
  nonce: bigint;
}
export interface WithdrawalMessage {
  trialId: string;
  participant: string;
  choice: WithdrawalChoice;
  meaning: SignatureMeaning;
  signer: string;
  deadline: bigint;
  nonce: bigint;
}

/** The typed data a participant or representative signs (the signer's current nonce). */
export function buildConsent(
  domain: TypedDataDomain,
  terms: ConsentTerms,
  nonce: bigint,
): TypedData<ConsentMessage & Record<string, unknown>> {
  return typedData(domain, CONSENT_TYPES, "Consent", { ...terms, nonce });
}

/** The typed data an investigator (or impartial witness) signs to attest `terms`' consent discussion. */
export function buildAttestation(
  domain: TypedDataDomain,
  terms: AttestedConsent,
  meaning: SignatureMeaning.InvestigatorAttestation | SignatureMeaning.WitnessAttestation,
  signer: string,
  deadline: bigint,
  nonce: bigint,
): TypedData<AttestationMessage & Record<string, unknown>> {
  return typedData(domain, ATTESTATION_TYPES, "Attestation", {
    trialId: terms.trialId,
    participant: terms.participant,
    protocolVersion: terms.protocolVersion,
    consentFormHash: terms.consentFormHash,
    consentHash: terms.consentHash,
    meaning,
    signer,
    deadline,
    nonce,
  });
}

/** The typed data of a withdrawal signed by the participant or their representative. */
export function buildWithdrawal(
  domain: TypedDataDomain,
  trialId: string,
  participant: string,
  choice: WithdrawalChoice,
  signer: string,
  deadline: bigint,
  nonce: bigint,
): TypedData<WithdrawalMessage & Record<string, unknown>> {
  return typedData(domain, WITHDRAWAL_TYPES, "Withdrawal", {
    trialId,
    participant,
    choice,
    meaning: SignatureMeaning.Withdrawal,
    signer,
    deadline,
    nonce,
  });
}

/** IClinicalTrials.CoSignature: an attestation ready to relay. */
export interface CoSignature {
  signer: string;
  deadline: bigint;
  signature: string;
}

/** "No witness" for trials that do not require one. */
export const NO_WITNESS: CoSignature = { signer: ZERO_ADDRESS, deadline: 0n, signature: "0x" };

/**
 * Signs consent terms with the signer's own key (an EOA). An ERC-1271 signer does not sign with an
 * owner's key over this digest (a Safe refuses that): a Safe's owners sign its SafeMessage over
 * {@link buildConsent}'s digest, {@link signAsSafe} in "../safe".
 */
export async function signConsent(
  key: Signer,
  domain: TypedDataDomain,
  terms: ConsentTerms,
  nonce: bigint,
): Promise<string> {
  return signTypedData(key, buildConsent(domain, terms, nonce));
}

/** Signs an attestation; `signer` is the attesting address (the key's, or an ERC-1271 wallet's). */
export async function signAttestation(
  key: Signer,
  domain: TypedDataDomain,
  terms: AttestedConsent,
  meaning: SignatureMeaning.InvestigatorAttestation | SignatureMeaning.WitnessAttestation,
  deadline: bigint,
  nonce: bigint,
  signer?: string,
): Promise<CoSignature> {
  const address = signer ?? (await key.getAddress());
  const signature = await signTypedData(key, buildAttestation(domain, terms, meaning, address, deadline, nonce));
  return { signer: address, deadline, signature };
}

/** Signs a withdrawal; `signer` is the withdrawing address (the key's, or an ERC-1271 wallet's). */
export async function signWithdrawal(
  key: Signer,
  domain: TypedDataDomain,
  trialId: string,
  participant: string,
  choice: WithdrawalChoice,
  deadline: bigint,
  nonce: bigint,
  signer?: string,
): Promise<string> {
  const address = signer ?? (await key.getAddress());
  return signTypedData(key, buildWithdrawal(domain, trialId, participant, choice, address, deadline, nonce));
}

/** A consent package as a site collects it and a task relays it (JSON: bigints as decimal strings). */
export interface ConsentPackage {
  terms: ConsentTerms;
  signature: string;
  investigator: CoSignature;
  witness: CoSignature;
}

/** Serialises a consent package for a file (bigints as strings). */
export function consentPackageToJson(pkg: ConsentPackage): string {
  return JSON.stringify(pkg, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Parses a consent package file; throws a one-line error naming the first missing field. */
export function consentPackageFromJson(text: string): ConsentPackage {
  const raw = JSON.parse(text) as Record<string, Record<string, unknown> | string | undefined>;
  const terms = raw.terms as Record<string, unknown> | undefined;
  if (!terms || typeof terms !== "object") throw new Error('consent file has no "terms" object');
  const need = (obj: Record<string, unknown>, key: string, where: string): unknown => {
    if (obj[key] === undefined || obj[key] === null) throw new Error(`consent file: missing ${where}.${key}`);
    return obj[key];
  };
  for (const f of CONSENT_TYPES.Consent) if (f.name !== "nonce") need(terms, f.name, "terms");
  if (typeof raw.signature !== "string") throw new Error('consent file: missing "signature"');
  const co = (value: unknown, where: string): CoSignature => {
    if (!value || typeof value !== "object") return NO_WITNESS;
    const o = value as Record<string, unknown>;
    return {
      signer: String(need(o, "signer", where)),
      deadline: BigInt(String(need(o, "deadline", where))),
      signature: String(need(o, "signature", where)),
    };
  };
  if (!raw.investigator) throw new Error('consent file: missing "investigator"');
  return {
    terms: {
      trialId: String(terms.trialId),
      participant: String(terms.participant),
      signer: String(terms.signer),
      meaning: Number(terms.meaning) as SignatureMeaning,
      protocolVersion: Number(terms.protocolVersion),
      consentFormHash: String(terms.consentFormHash),
      scope: Number(terms.scope),
      diseaseCodeHash: String(terms.diseaseCodeHash),
      useUntil: BigInt(String(terms.useUntil)),
      categories: Number(terms.categories),
      futureContact: Boolean(terms.futureContact),
      deadline: BigInt(String(terms.deadline)),
    },
    signature: raw.signature,
    investigator: co(raw.investigator, "investigator"),
    witness: co(raw.witness, "witness"),
  };
}
