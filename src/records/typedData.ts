import { SigningKey, getAddress, type BytesLike, type ContractRunner, type Signer } from "ethers";
import { ContractLike, TypedData, readDomain, signTypedData, typedData, typedDataDigest } from "../signatures";
import { encryptionPublicKeyOf } from "./envelope";

/**
 * The EIP-712 domain name and version RecordAccess was compiled with: a fallback only, for a
 * {@link RecordsDomain} without a name. Read the domain from the contract ({@link recordsDomain}).
 */
export const RECORDS_DOMAIN_NAME = "Carechain RecordAccess";
export const RECORDS_DOMAIN_VERSION = "1";

/**
 * Where a records signature is valid: one chain, one RecordAccess contract. `name` and `version`
 * are the contract's (ERC-5267): {@link recordsDomain} reads all four from the contract.
 */
export interface RecordsDomain {
  chainId: bigint;
  verifyingContract: string;
  name?: string;
  version?: string;
}

/** The EIP-712 domain of a RecordAccess deployment, read from the contract (ERC-5267). */
export function recordsDomain(records: ContractLike, runner: ContractRunner): Promise<RecordsDomain> {
  return readDomain(records, runner);
}

/** What a patient grants (IRecordAccess.GrantTerms). Times are unix seconds. */
export type GrantTerms = {
  categories: number;
  actions: number;
  purposes: number;
  validFrom: bigint;
  validUntil: bigint;
  dataFrom: bigint;
  dataUntil: bigint;
};

/** Fields every signed records action carries besides its own. */
type Signed = {
  nonce: bigint;
  deadline: bigint;
};

/**
 * `signer` is the account whose nonce is used and whose signature it is (the patient, or its
 * guardian; a provider's privacy officer for a review): named in the struct, so that one ERC-1271
 * signature can never count for two accounts.
 */
export type GrantMessage = { patient: string; signer: string; grantee: string } & GrantTerms & Signed;
export type RevokeMessage = { patient: string; signer: string; grantee: string } & Signed;
export type RevokeAllMessage = { patient: string; signer: string } & Signed;
export type SetDenyRuleMessage = {
  patient: string;
  signer: string;
  scope: number;
  target: string;
  categories: number;
} & Signed;
export type ReviewEmergencyMessage = { patient: string; signer: string; provider: string } & Signed;
/** The patient (the signer) names its participant address in a trial (zero address: unlinks). */
export type LinkResearchParticipantMessage = { patient: string; trialId: string; participant: string } & Signed;
export type SetGuardianMessage = {
  patient: string;
  guardian: string;
  categories: number;
  powers: number;
  until: bigint;
} & Signed;

const SIGNED = [
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
];

/** The typed-data types of RecordAccess, exactly as its type hashes spell them. */
export const RECORDS_TYPES = {
  Grant: [
    { name: "patient", type: "address" },
    { name: "signer", type: "address" },
    { name: "grantee", type: "address" },
    { name: "categories", type: "uint16" },
    { name: "actions", type: "uint8" },
    { name: "purposes", type: "uint8" },
    { name: "validFrom", type: "uint40" },
    { name: "validUntil", type: "uint40" },
    { name: "dataFrom", type: "uint40" },
    { name: "dataUntil", type: "uint40" },
    ...SIGNED,
  ],
  Revoke: [
    { name: "patient", type: "address" },
    { name: "signer", type: "address" },
    { name: "grantee", type: "address" },
    ...SIGNED,
  ],
  RevokeAll: [{ name: "patient", type: "address" }, { name: "signer", type: "address" }, ...SIGNED],
  SetDenyRule: [
    { name: "patient", type: "address" },
    { name: "signer", type: "address" },
    { name: "scope", type: "uint8" },
    { name: "target", type: "address" },
    { name: "categories", type: "uint16" },
    ...SIGNED,
  ],
  ReviewEmergency: [
    { name: "patient", type: "address" },
    { name: "signer", type: "address" },
    { name: "provider", type: "address" },
    ...SIGNED,
  ],
  LinkResearchParticipant: [
    { name: "patient", type: "address" },
    { name: "trialId", type: "bytes32" },
    { name: "participant", type: "address" },
    ...SIGNED,
  ],
  SetGuardian: [
    { name: "patient", type: "address" },
    { name: "guardian", type: "address" },
    { name: "categories", type: "uint16" },
    { name: "powers", type: "uint8" },
    { name: "until", type: "uint40" },
    ...SIGNED,
  ],
} as const;

function build<T extends Record<string, unknown>>(
  primaryType: keyof typeof RECORDS_TYPES,
  domain: RecordsDomain,
  message: T,
): TypedData<T> {
  return typedData(
    {
      name: domain.name ?? RECORDS_DOMAIN_NAME,
      version: domain.version ?? RECORDS_DOMAIN_VERSION,
      chainId: domain.chainId,
      verifyingContract: domain.verifyingContract,
    },
    { [primaryType]: RECORDS_TYPES[primaryType].map((f) => ({ ...f })) },
    primaryType,
    message,
  );
}

/** Typed data of a grant (signed by the patient or its guardian; `nonce` is the signer's). */
export function grantTypedData(domain: RecordsDomain, message: GrantMessage): TypedData<GrantMessage> {
  return build("Grant", domain, message);
}

/** Typed data of a revocation of one grant. */
export function revokeTypedData(domain: RecordsDomain, message: RevokeMessage): TypedData<RevokeMessage> {
  return build("Revoke", domain, message);
}

/** Typed data of a revocation of every grant (epoch bump). */
export function revokeAllTypedData(domain: RecordsDomain, message: RevokeAllMessage): TypedData<RevokeAllMessage> {
  return build("RevokeAll", domain, message);
}

/** Typed data of a deny rule. */
export function setDenyRuleTypedData(
  domain: RecordsDomain,
  message: SetDenyRuleMessage,
): TypedData<SetDenyRuleMessage> {
  return build("SetDenyRule", domain, message);
}

/** Typed data of naming a guardian (signed by the patient only). */
export function setGuardianTypedData(
  domain: RecordsDomain,
  message: SetGuardianMessage,
): TypedData<SetGuardianMessage> {
  return build("SetGuardian", domain, message);
}

/** Typed data of a review of a provider's pending emergencies for a patient. */
export function reviewEmergencyTypedData(
  domain: RecordsDomain,
  message: ReviewEmergencyMessage,
): TypedData<ReviewEmergencyMessage> {
  return build("ReviewEmergency", domain, message);
}

/** Typed data of a patient's link from its records to its participant address in a trial. */
export function linkResearchParticipantTypedData(
  domain: RecordsDomain,
  message: LinkResearchParticipantMessage,
): TypedData<LinkResearchParticipantMessage> {
  return build("LinkResearchParticipant", domain, message);
}

/** Signs a link to a trial participant address (the patient only). */
export function signLinkResearchParticipant(
  signer: Signer,
  domain: RecordsDomain,
  message: LinkResearchParticipantMessage,
): Promise<string> {
  return signTypedData(signer, linkResearchParticipantTypedData(domain, message));
}

/** Signs a grant. */
export function signGrant(signer: Signer, domain: RecordsDomain, message: GrantMessage): Promise<string> {
  return signTypedData(signer, grantTypedData(domain, message));
}

/** Signs a revocation of one grant. */
export function signRevoke(signer: Signer, domain: RecordsDomain, message: RevokeMessage): Promise<string> {
  return signTypedData(signer, revokeTypedData(domain, message));
}

/** Signs a revocation of every grant. */
export function signRevokeAll(signer: Signer, domain: RecordsDomain, message: RevokeAllMessage): Promise<string> {
  return signTypedData(signer, revokeAllTypedData(domain, message));
}

/** Signs a deny rule. */
export function signSetDenyRule(signer: Signer, domain: RecordsDomain, message: SetDenyRuleMessage): Promise<string> {
  return signTypedData(signer, setDenyRuleTypedData(domain, message));
}

/** Signs the naming of a guardian. */
export function signSetGuardian(signer: Signer, domain: RecordsDomain, message: SetGuardianMessage): Promise<string> {
  return signTypedData(signer, setGuardianTypedData(domain, message));
}

/** Signs a review of a provider's pending emergencies. */
export function signReviewEmergency(
  signer: Signer,
  domain: RecordsDomain,
  message: ReviewEmergencyMessage,
): Promise<string> {
  return signTypedData(signer, reviewEmergencyTypedData(domain, message));
}

/** A proof that `account`'s encryption key is held by whoever registers it (RecordAccess.registerEncryptionKey). */
export type EncryptionKeyProofMessage = { account: string; publicKey: string };

/**
 * The typed struct an encryption key signs to prove possession, exactly as RecordAccess's type hash
 * spells it. Not among {@link RECORDS_TYPES}: software signs it with the raw encryption key, no
 * person reads it in a wallet (no clear-signing descriptor), and it has no nonce or deadline.
 */
export const ENCRYPTION_KEY_PROOF_TYPES = {
  EncryptionKeyProof: [
    { name: "account", type: "address" },
    { name: "publicKey", type: "bytes" },
  ],
} as const;

/** Typed data of an encryption key's proof of possession for `account`. */
export function encryptionKeyProofTypedData(
  domain: RecordsDomain,
  message: EncryptionKeyProofMessage,
): TypedData<EncryptionKeyProofMessage> {
  return typedData(
    {
      name: domain.name ?? RECORDS_DOMAIN_NAME,
      version: domain.version ?? RECORDS_DOMAIN_VERSION,
      chainId: domain.chainId,
      verifyingContract: domain.verifyingContract,
    },
    { EncryptionKeyProof: ENCRYPTION_KEY_PROOF_TYPES.EncryptionKeyProof.map((f) => ({ ...f })) },
    "EncryptionKeyProof",
    message,
  );
}

/**
 * What `account` sends to `registerEncryptionKey(publicKey, proof)`: the compressed public key of
 * `encryptionPrivateKey` and its proof of possession — an ECDSA signature (65 bytes, low s) made
 * with the encryption key itself over (account, publicKey) in the RecordAccess domain, so it
 * counts for that account on that chain and contract only.
 */
export function encryptionKeyProof(
  encryptionPrivateKey: BytesLike,
  domain: RecordsDomain,
  account: string,
): { publicKey: string; proof: string } {
  const publicKey = encryptionPublicKeyOf(encryptionPrivateKey);
  const digest = typedDataDigest(encryptionKeyProofTypedData(domain, { account: getAddress(account), publicKey }));
  return { publicKey, proof: new SigningKey(encryptionPrivateKey).sign(digest).serialized };
}

/** The terms of a grant as the contract takes them (a tuple-compatible object). */
export function termsOf(message: GrantTerms): GrantTerms {
  const { categories, actions, purposes, validFrom, validUntil, dataFrom, dataUntil } = message;
  return { categories, actions, purposes, validFrom, validUntil, dataFrom, dataUntil };
}
