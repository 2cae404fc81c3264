/**
 * Permissions of RecordAccess (contracts/records): see test/matrix/permissions.ts.
 *
 * Actors (the consortium fixture): `hospital` and `specialist` are PROVIDERs, `privacyOfficer` a
 * PRIVACY_OFFICER, `pharmacy` a member of another role, `outsider` no member; `others[0]` is the
 * patient, `others[4]` a guardian and `others[5]` a stranger (neither member nor guardian).
 * Relayed signed actions are open to any sender (the signature is the authority): their refusal
 * is a valid signature by someone who may not act for the patient, which nobody can relay.
 */
import { ethers, network } from "hardhat";
import type { Signer } from "ethers";
import { Role } from "../../../src/roles";
import {
  AccessReason,
  Action,
  ALL_CATEGORIES,
  DenyScope,
  GuardianPower,
  MAX_UINT40,
  RecordCategory,
  categoryMask,
  encryptionKeyProof,
  encryptionPublicKeyOf,
  purposeMask,
  recordIdOf,
  signGrant,
  signLinkResearchParticipant,
  signReviewEmergency,
  signRevoke,
  signRevokeAll,
  signSetDenyRule,
  signSetGuardian,
  type GrantTerms,
  type RecordsDomain,
} from "../../../src/records";
import type { RecordAccess } from "../../../typechain-types";
import type { FunctionPermission, MatrixEnv } from "../types";
import { upgradePermissions } from "./upgrades";

const RECORD_ID = recordIdOf(ethers.id("matrix-salt"), "matrix-doc-1");
const CONTENT_HASH = ethers.id("matrix-envelope-1");
/** A record date safely in the past of any fixture block. */
const RECORD_DATE = 1_000_000n;
/** Labs and imaging, read, treatment, open-ended: valid at any block time. */
const TERMS: GrantTerms = {
  categories: categoryMask(["Labs", "Imaging"]),
  actions: Action.Read,
  purposes: purposeMask(["Treatment"]),
  validFrom: 0n,
  validUntil: MAX_UINT40,
  dataFrom: 0n,
  dataUntil: MAX_UINT40,
};
const FAR_DEADLINE = MAX_UINT40;
/** A salted break-glass reason commitment (what it opens to stays off chain). */
const INCAPACITATED = ethers.id("matrix: reason commitment");
const TRIAL_ID = ethers.id("matrix-trial");
/** An encryption private key (its proof of possession names the account it is for). */
const MATRIX_ENCRYPTION_KEY = ethers.id("matrix: encryption key");

const records = (e: MatrixEnv) => e.contracts.records as unknown as RecordAccess;
const patient = (e: MatrixEnv) => e.others[0];
const guardian = (e: MatrixEnv) => e.others[4];
const stranger = (e: MatrixEnv) => e.others[5];

async function domainOf(e: MatrixEnv): Promise<RecordsDomain> {
  return { chainId: (await ethers.provider.getNetwork()).chainId, verifyingContract: await records(e).getAddress() };
}

/** The hospital registers RECORD_ID (labs) for the patient. */
async function registerLabs(e: MatrixEnv): Promise<void> {
  await records(e)
    .connect(e.hospital)
    .registerRecord(patient(e).address, RECORD_ID, RecordCategory.Labs, CONTENT_HASH, RECORD_DATE);
}

/** The end of the term of the guardian `nameGuardian` named last. */
let guardianUntil = 0n;

/** The patient names `guardian` with `powers` over `categories`, for a year. */
async function nameGuardian(e: MatrixEnv, categories: number, powers: number): Promise<void> {
  const block = await ethers.provider.getBlock("latest");
  guardianUntil = BigInt(block!.timestamp) + 365n * 86400n;
  await records(e)
    .connect(patient(e))
    .setGuardian(patient(e).address, guardian(e).address, categories, powers, guardianUntil);
}

/** A provider-only function, refused to a non-member and to a member of another role. */
function providerOnly(
  name: string,
  args: (e: MatrixEnv) => unknown[],
  setup?: (e: MatrixEnv) => Promise<void>,
): FunctionPermission {
  return {
    permitted: "an active PROVIDER member",
    refusals: [
      {
        name: `a non-member calls ${name}`,
        caller: (e) => e.outsider,
        permitted: (e) => e.hospital,
        args,
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.PROVIDER],
        setup,
      },
      {
        name: `a DISPENSER (a member of another role) calls ${name}`,
        caller: (e) => e.pharmacy,
        permitted: (e) => e.hospital,
        args,
        error: (e) => ["MemberGatedUnauthorized", e.pharmacy.address, Role.PROVIDER],
        setup,
      },
    ],
  };
}

/**
 * A relayed signed action: open to any sender; the refusal is a valid signature by the stranger
 * (neither the patient nor its guardian), signed in `setup` and relayed by the outsider.
 */
function relayed(
  name: string,
  what: string,
  sign: (e: MatrixEnv, signer: Signer, domain: RecordsDomain) => Promise<unknown[]>,
  error: (e: MatrixEnv) => readonly [string, ...unknown[]],
  prepare?: (e: MatrixEnv) => Promise<void>,
): FunctionPermission {
  let args: unknown[] = [];
  return {
    permitted: `any sender relaying a signature of ${what}`,
    open: "the EIP-712 signature (nonce, deadline, this chain and contract) is the authority: the sender only pays gas, and the signer must be one who may act for the patient",
    refusals: [
      {
        name: `a relayer submits ${name} signed by someone who may not act for the patient`,
        caller: (e) => e.outsider,
        nobody: "a signature by someone without authority over the patient fails whoever relays it",
        setup: async (e) => {
          await prepare?.(e);
          args = await sign(e, stranger(e), await domainOf(e));
        },
        args: () => args,
        error,
      },
    ],
  };
}

export const recordsPermissions: Record<string, FunctionPermission> = {
  "registerRecord(address,bytes32,uint8,bytes32,uint40)": providerOnly("registerRecord", (e) => [
    patient(e).address,
    RECORD_ID,
    RecordCategory.Labs,
    CONTENT_HASH,
    RECORD_DATE,
  ]),
  "updateRecordContent(address,bytes32,bytes32)": (() => {
    const args = (e: MatrixEnv) => [patient(e).address, RECORD_ID, ethers.id("matrix-envelope-2")];
    const entry = providerOnly("updateRecordContent", args, registerLabs);
    entry.permitted = "the record's custodian, while an active PROVIDER member";
    entry.refusals.push({
      name: "a PROVIDER that is not the record's custodian updates it",
      caller: (e) => e.specialist,
      permitted: (e) => e.hospital,
      args,
      error: (e) => ["RecordAccessNotCustodian", patient(e).address, RECORD_ID, e.specialist.address],
      setup: registerLabs,
    });
    return entry;
  })(),
  "registerEncryptionKey(bytes,bytes)": {
    permitted: "any account, for its own key, with the key's proof of possession",
    open: "self-service: an account only ever sets the public key stored under its own address (msg.sender), proven by the key's signature over that address; it gives no access",
    refusals: [
      {
        name: "an account registers an uncompressed (65-byte) key",
        caller: (e) => e.outsider,
        nobody: "only 33-byte compressed secp256k1 public keys are accepted, from anyone",
        args: () => ["0x04" + "11".repeat(64), "0x"],
        error: () => ["RecordAccessInvalidEncryptionKey", "0x04" + "11".repeat(64)],
      },
      {
        name: "an account registers a key with the proof made for another account",
        caller: (e) => e.outsider,
        permitted: (e) => e.specialist,
        args: (e) => {
          const { publicKey, proof } = encryptionKeyProof(
            MATRIX_ENCRYPTION_KEY,
            { chainId: BigInt(network.config.chainId!), verifyingContract: records(e).target as string },
            e.specialist.address,
          );
          return [publicKey, proof];
        },
        error: (e) => [
          "RecordAccessInvalidEncryptionKeyProof",
          e.outsider.address,
          encryptionPublicKeyOf(MATRIX_ENCRYPTION_KEY),
        ],
      },
    ],
  },
  "logDisclosure(address,bytes32,address,uint8)": (() => {
    const args = (e: MatrixEnv) => [patient(e).address, RECORD_ID, e.specialist.address, 0];
    const entry = providerOnly("logDisclosure", args, registerLabs);
    entry.permitted = "an active PROVIDER member with access to the record (custodian, grant or break-glass)";
    entry.refusals.push({
      name: "a PROVIDER without access to the record logs a disclosure of it",
      caller: (e) => e.specialist,
      permitted: (e) => e.hospital,
      args: (e) => [patient(e).address, RECORD_ID, e.outsider.address, 0],
      error: (e) => ["RecordAccessDenied", patient(e).address, RECORD_ID, e.specialist.address, AccessReason.NoGrant],
      setup: registerLabs,
    });
    return entry;
  })(),
  "breakGlass(address,bytes32)": providerOnly("breakGlass", (e) => [patient(e).address, INCAPACITATED]),
  "designatePrivacyOfficer(address)": (() => {
    const entry = providerOnly("designatePrivacyOfficer", (e) => [e.privacyOfficer.address]);
    entry.permitted = "an active PROVIDER member, for itself (msg.sender)";
    entry.refusals.push({
      name: "a PROVIDER holding PRIVACY_OFFICER designates itself as its own privacy officer",
      caller: (e) => e.hospital,
      nobody: "a provider never reviews its own break-glass: no one may designate itself",
      args: (e) => [e.hospital.address],
      error: (e) => ["RecordAccessInvalidPrivacyOfficer", e.hospital.address],
      setup: async (e) => {
        await e.registry.connect(e.registrar).grantRole(Role.PRIVACY_OFFICER, e.hospital.address);
      },
    });
    return entry;
  })(),
  "linkResearchParticipant(bytes32,address)": {
    permitted: "any account, for its own records (msg.sender is the patient)",
    open: "self-service: the caller links only its own records (msg.sender) to a trial participant address; it opens nothing of anyone else's",
    refusals: [
      {
        name: "an account links to the zero trial id",
        caller: stranger,
        nobody: "a trial id must not be zero, for anyone",
        args: (e) => [ethers.ZeroHash, e.others[6].address],
        error: () => ["RecordAccessInvalidTrial", ethers.ZeroHash],
      },
    ],
  },
  "reviewEmergency(address,address)": {
    permitted:
      "the patient, its guardian with the review power, or the PRIVACY_OFFICER the provider designated — never the provider",
    refusals: [
      {
        name: "a stranger reviews a patient's emergency",
        caller: stranger,
        permitted: patient,
        args: (e) => [patient(e).address, e.hospital.address],
        error: (e) => ["RecordAccessNotReviewer", patient(e).address, stranger(e).address],
        setup: async (e) => {
          await records(e).connect(e.hospital).breakGlass(patient(e).address, INCAPACITATED);
        },
      },
      {
        name: "a PROVIDER (not a privacy officer) reviews another provider's emergency",
        caller: (e) => e.specialist,
        permitted: (e) => e.privacyOfficer,
        args: (e) => [patient(e).address, e.hospital.address],
        error: (e) => ["RecordAccessNotReviewer", patient(e).address, e.specialist.address],
        setup: async (e) => {
          await records(e).connect(e.hospital).designatePrivacyOfficer(e.privacyOfficer.address);
          await records(e).connect(e.hospital).breakGlass(patient(e).address, INCAPACITATED);
        },
      },
      {
        name: "a PRIVACY_OFFICER the provider did not designate reviews its emergency",
        caller: (e) => e.privacyOfficer,
        permitted: patient,
        args: (e) => [patient(e).address, e.hospital.address],
        error: (e) => ["RecordAccessNotReviewer", patient(e).address, e.privacyOfficer.address],
        setup: async (e) => {
          await records(e).connect(e.hospital).breakGlass(patient(e).address, INCAPACITATED);
        },
      },
      {
        name: "a PROVIDER holding PRIVACY_OFFICER reviews its own break-glass",
        caller: (e) => e.hospital,
        permitted: patient,
        args: (e) => [patient(e).address, e.hospital.address],
        error: (e) => ["RecordAccessNotReviewer", patient(e).address, e.hospital.address],
        setup: async (e) => {
          await e.registry.connect(e.registrar).grantRole(Role.PRIVACY_OFFICER, e.hospital.address);
          await records(e).connect(e.hospital).breakGlass(patient(e).address, INCAPACITATED);
        },
      },
    ],
  },
  "grant(address,address,(uint16,uint8,uint8,uint40,uint40,uint40,uint40))": {
    permitted: "the patient, or its guardian with the grant power over the categories",
    refusals: [
      {
        name: "a stranger grants access to a patient's records",
        caller: stranger,
        permitted: patient,
        args: (e) => [patient(e).address, e.specialist.address, TERMS],
        error: (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
      },
      {
        name: "a guardian grants categories outside its scope",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, e.specialist.address, TERMS],
        error: (e) => [
          "RecordAccessGuardianOutOfScope",
          patient(e).address,
          guardian(e).address,
          GuardianPower.Grant,
          TERMS.categories,
        ],
        setup: (e) => nameGuardian(e, categoryMask(["Labs"]), GuardianPower.Grant),
      },
      {
        name: "a guardian grants access to itself",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, guardian(e).address, { ...TERMS, validUntil: 2_000_000_000n }],
        error: (e) => ["RecordAccessGuardianSelfDealing", patient(e).address, guardian(e).address],
        setup: (e) => nameGuardian(e, ALL_CATEGORIES, GuardianPower.Grant),
      },
      {
        name: "a guardian grants beyond the end of its own term",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, e.specialist.address, TERMS],
        error: () => ["RecordAccessGrantOutlivesGuardian", TERMS.validUntil, guardianUntil],
        setup: (e) => nameGuardian(e, ALL_CATEGORIES, GuardianPower.Grant),
      },
      {
        name: "a removed guardian grants",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, e.specialist.address, TERMS],
        error: (e) => ["RecordAccessUnauthorized", patient(e).address, guardian(e).address],
        setup: async (e) => {
          await nameGuardian(e, ALL_CATEGORIES, GuardianPower.Grant);
          await records(e).connect(patient(e)).setGuardian(patient(e).address, ethers.ZeroAddress, 0, 0, 0);
        },
      },
    ],
  },
  "revoke(address,address)": {
    permitted: "the patient, or its guardian with the revoke power over the grant's categories",
    refusals: [
      {
        name: "a stranger revokes a patient's grant",
        caller: stranger,
        permitted: patient,
        args: (e) => [patient(e).address, e.specialist.address],
        error: (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
        setup: async (e) => {
          await records(e).connect(patient(e)).grant(patient(e).address, e.specialist.address, TERMS);
        },
      },
    ],
  },
  "revokeAll(address)": {
    permitted: "the patient, or its guardian with the revoke power over every category",
    refusals: [
      {
        name: "a stranger revokes all of a patient's grants",
        caller: stranger,
        permitted: patient,
        args: (e) => [patient(e).address],
        error: (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
      },
      {
        name: "a guardian without the revoke power revokes all grants",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address],
        error: (e) => [
          "RecordAccessGuardianOutOfScope",
          patient(e).address,
          guardian(e).address,
          GuardianPower.Revoke,
          ALL_CATEGORIES,
        ],
        setup: (e) => nameGuardian(e, ALL_CATEGORIES, GuardianPower.Grant),
      },
    ],
  },
  "setDenyRule(address,uint8,address,uint16)": {
    permitted: "the patient, or its guardian with the deny power over the categories",
    refusals: [
      {
        name: "a stranger sets a deny rule on a patient's records",
        caller: stranger,
        permitted: patient,
        args: (e) => [patient(e).address, DenyScope.Actor, e.specialist.address, categoryMask(["MentalHealth"])],
        error: (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
      },
      {
        name: "a guardian lifts a deny rule against itself",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, DenyScope.Actor, guardian(e).address, 0],
        error: (e) => ["RecordAccessGuardianSelfDealing", patient(e).address, guardian(e).address],
        setup: async (e) => {
          await nameGuardian(e, ALL_CATEGORIES, GuardianPower.Deny);
          await records(e)
            .connect(patient(e))
            .setDenyRule(patient(e).address, DenyScope.Actor, guardian(e).address, categoryMask(["MentalHealth"]));
        },
      },
      {
        name: "a guardian exempts itself from a patient-wide deny rule",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, DenyScope.AllExcept, guardian(e).address, categoryMask(["MentalHealth"])],
        error: (e) => ["RecordAccessGuardianSelfDealing", patient(e).address, guardian(e).address],
        setup: (e) => nameGuardian(e, ALL_CATEGORIES, GuardianPower.Deny),
      },
    ],
  },
  "setGuardian(address,address,uint16,uint8,uint40)": {
    permitted: "the patient only",
    refusals: [
      {
        name: "the would-be guardian names itself",
        caller: guardian,
        permitted: patient,
        args: (e) => [patient(e).address, guardian(e).address, ALL_CATEGORIES, GuardianPower.Grant, MAX_UINT40],
        error: (e) => ["RecordAccessNotPatient", patient(e).address, guardian(e).address],
      },
    ],
  },
  "grantBySig(address,address,address,(uint16,uint8,uint8,uint40,uint40,uint40,uint40),uint256,bytes)": relayed(
    "grantBySig",
    "the patient or its guardian",
    async (e, signer, domain) => {
      const s = await signer.getAddress();
      const message = {
        patient: patient(e).address,
        signer: s,
        grantee: e.specialist.address,
        ...TERMS,
        nonce: 0n,
        deadline: FAR_DEADLINE,
      };
      const signature = await signGrant(signer, domain, message);
      return [s, patient(e).address, e.specialist.address, TERMS, FAR_DEADLINE, signature];
    },
    (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
  ),
  "revokeBySig(address,address,address,uint256,bytes)": relayed(
    "revokeBySig",
    "the patient or its guardian",
    async (e, signer, domain) => {
      const s = await signer.getAddress();
      const message = {
        patient: patient(e).address,
        signer: s,
        grantee: e.specialist.address,
        nonce: 0n,
        deadline: FAR_DEADLINE,
      };
      return [s, patient(e).address, e.specialist.address, FAR_DEADLINE, await signRevoke(signer, domain, message)];
    },
    (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
  ),
  "revokeAllBySig(address,address,uint256,bytes)": relayed(
    "revokeAllBySig",
    "the patient or its guardian",
    async (e, signer, domain) => {
      const s = await signer.getAddress();
      const message = { patient: patient(e).address, signer: s, nonce: 0n, deadline: FAR_DEADLINE };
      return [s, patient(e).address, FAR_DEADLINE, await signRevokeAll(signer, domain, message)];
    },
    (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
  ),
  "setDenyRuleBySig(address,address,uint8,address,uint16,uint256,bytes)": relayed(
    "setDenyRuleBySig",
    "the patient or its guardian",
    async (e, signer, domain) => {
      const s = await signer.getAddress();
      const categories = categoryMask(["MentalHealth"]);
      const message = {
        patient: patient(e).address,
        signer: s,
        scope: DenyScope.Actor,
        target: e.specialist.address,
        categories,
        nonce: 0n,
        deadline: FAR_DEADLINE,
      };
      const signature = await signSetDenyRule(signer, domain, message);
      return [s, patient(e).address, DenyScope.Actor, e.specialist.address, categories, FAR_DEADLINE, signature];
    },
    (e) => ["RecordAccessUnauthorized", patient(e).address, stranger(e).address],
  ),
  "setGuardianBySig(address,address,uint16,uint8,uint40,uint256,bytes)": relayed(
    "setGuardianBySig",
    "the patient",
    async (e, signer, domain) => {
      const message = {
        patient: patient(e).address,
        guardian: guardian(e).address,
        categories: ALL_CATEGORIES,
        powers: GuardianPower.Grant,
        until: MAX_UINT40,
        nonce: 0n,
        deadline: FAR_DEADLINE,
      };
      const signature = await signSetGuardian(signer, domain, message);
      return [
        patient(e).address,
        guardian(e).address,
        ALL_CATEGORIES,
        GuardianPower.Grant,
        MAX_UINT40,
        FAR_DEADLINE,
        signature,
      ];
    },
    // Only the patient may sign: anyone else's signature does not verify for the patient.
    (e) => ["SignatureInvalid", patient(e).address],
  ),
  "reviewEmergencyBySig(address,address,address,uint256,bytes)": relayed(
    "reviewEmergencyBySig",
    "the patient, its guardian with the review power, or the provider's designated PRIVACY_OFFICER",
    async (e, signer, domain) => {
      const s = await signer.getAddress();
      const message = {
        patient: patient(e).address,
        signer: s,
        provider: e.hospital.address,
        nonce: 0n,
        deadline: FAR_DEADLINE,
      };
      const signature = await signReviewEmergency(signer, domain, message);
      return [s, patient(e).address, e.hospital.address, FAR_DEADLINE, signature];
    },
    (e) => ["RecordAccessNotReviewer", patient(e).address, stranger(e).address],
    async (e) => {
      await records(e).connect(e.hospital).breakGlass(patient(e).address, INCAPACITATED);
    },
  ),
  "linkResearchParticipantBySig(address,bytes32,address,uint256,bytes)": relayed(
    "linkResearchParticipantBySig",
    "the patient",
    async (e, signer, domain) => {
      const participant = e.others[6].address;
      const message = {
        patient: patient(e).address,
        trialId: TRIAL_ID,
        participant,
        nonce: 0n,
        deadline: FAR_DEADLINE,
      };
      const signature = await signLinkResearchParticipant(signer, domain, message);
      return [patient(e).address, TRIAL_ID, participant, FAR_DEADLINE, signature];
    },
    // Only the patient may link its records: anyone else's signature does not verify for the patient.
    (e) => ["SignatureInvalid", patient(e).address],
  ),
  ...upgradePermissions(
    "records",
    "initialize(address)",
    async (e) => [await e.registry.getAddress()],
    (e) => [e.governance.address],
  ),
};
