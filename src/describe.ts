/**
 * Signing a person can read: for every Carechain typed struct, how each field is shown (ERC-7730
 * field formats: `addressName`, `date`, `enum`, `raw`) and one plain-language sentence of what is
 * being signed ({@link describe}). The ERC-7730 clear-signing descriptors shipped in `erc7730/`
 * (one per contract) are generated from the same table ({@link erc7730Descriptor}), so a wallet
 * that reads them and a dapp that calls `describe` say the same thing.
 *
 * Browser-safe: no Node import.
 */
import { getAddress } from "ethers";
import { Purpose, RecordCategory } from "./categories";
// Leaf modules, not the domain indexes: this file is loaded with the CLI's tasks, before the first
// compile has generated the TypeChain bindings some SDK modules import.
import { Action, DenyScope, GuardianPower } from "./records/enums";
import { RECORDS_TYPES } from "./records/typedData";
import {
  ATTESTATION_TYPES,
  CONSENT_TYPES,
  REPRESENTATIVE_APPOINTMENT_TYPES,
  REPRESENTATIVE_DETERMINATION_TYPES,
  REPRESENTATIVE_REVOCATION_TYPES,
  WITHDRAWAL_TYPES,
} from "./trials/typedData";
import { DUO } from "./trials/duo";
import { SignatureMeaning, WithdrawalChoice } from "./trials/enums";
import type { EthersTypedData, TypedData, TypedDataTypes } from "./signatures";

/** The largest uint40 (an open end of a period). */
const MAX_UINT40 = (1n << 40n) - 1n;

/** Value tables: enum values and bitmask flags → what a person reads (ERC-7730 `metadata.enums`). */
export const SIGNING_ENUMS = {
  categories: flagTable(RecordCategory, {
    Labs: "lab results",
    Imaging: "imaging",
    Medications: "medications",
    Notes: "clinical notes",
    Immunizations: "immunizations",
    MentalHealth: "mental health",
    SubstanceUse: "substance use",
    Reproductive: "reproductive health",
    Genomic: "genomic data",
  }),
  purposes: flagTable(Purpose, {
    Treatment: "treatment",
    Payment: "payment",
    Operations: "healthcare operations",
    Research: "research",
    PublicHealth: "public health",
    PatientRequest: "the patient's own request",
  }),
  actions: { [String(Action.Read)]: "read", [String(Action.Append)]: "add to" },
  guardianPowers: {
    [String(GuardianPower.Grant)]: "grant access",
    [String(GuardianPower.Revoke)]: "revoke access",
    [String(GuardianPower.Deny)]: "set deny rules",
    [String(GuardianPower.ReviewEmergency)]: "review emergency access",
  },
  denyScope: {
    [String(DenyScope.Actor)]: "deny one actor",
    [String(DenyScope.AllExcept)]: "deny everyone except one actor",
  },
  signatureMeaning: {
    [String(SignatureMeaning.ParticipantConsent)]: "participant's consent",
    [String(SignatureMeaning.RepresentativeConsent)]: "legally authorised representative's consent",
    [String(SignatureMeaning.Withdrawal)]: "withdrawal",
    [String(SignatureMeaning.WitnessAttestation)]: "impartial witness's attestation",
    [String(SignatureMeaning.InvestigatorAttestation)]: "investigator's attestation",
  },
  withdrawalChoice: {
    [String(WithdrawalChoice.NoFurtherCollection)]: "stop collecting new data",
    [String(WithdrawalChoice.WithdrawData)]: "stop collecting and withdraw the data already collected",
  },
  duoScope: Object.fromEntries(Object.values(DUO).map((d) => [String(1 << d.bit), d.label])),
} as const satisfies Record<string, Record<string, string>>;

export type SigningEnum = keyof typeof SIGNING_ENUMS;

function flagTable<K extends string>(bits: Record<K, number>, labels: Record<K, string>): Record<string, string> {
  return Object.fromEntries((Object.keys(bits) as K[]).map((k) => [String(1 << bits[k]), labels[k]]));
}

/** How one field is shown: an ERC-7730 field format. */
export type FieldFormat =
  | { label: string; format: "addressName" }
  | { label: string; format: "date" }
  | { label: string; format: "enum"; enum: SigningEnum }
  /** A bitmask of `enum`'s flags (ERC-7730 `enum` per flag; describe joins the names). */
  | { label: string; format: "flags"; enum: SigningEnum }
  | { label: string; format: "raw" };

/** A typed struct's clear-signing description. */
export interface StructDescription {
  /** The contract that verifies it ("records": RecordAccess, "trials": ClinicalTrials). */
  contract: "records" | "trials";
  /** ERC-7730 `intent`: a short title. */
  intent: string;
  /** The EIP-712 types of the struct (as the SDK signs them). */
  types: TypedDataTypes;
  /** A format for every field the person must see (the others — nonce — are not shown). */
  fields: Record<string, FieldFormat>;
  /** The sentence, from the rendered fields and the raw message. */
  sentence(f: Record<string, string>, m: Record<string, string>): string;
}

const ADDRESS = (label: string): FieldFormat => ({ label, format: "addressName" });
const DATE = (label: string): FieldFormat => ({ label, format: "date" });
const RAW = (label: string): FieldFormat => ({ label, format: "raw" });
const FLAGS = (label: string, e: SigningEnum): FieldFormat => ({ label, format: "flags", enum: e });
const ENUM = (label: string, e: SigningEnum): FieldFormat => ({ label, format: "enum", enum: e });
const DEADLINE = DATE("Signature valid until");

const records = (name: keyof typeof RECORDS_TYPES): TypedDataTypes => ({
  [name]: RECORDS_TYPES[name].map((f) => ({ ...f })),
});

/** Who signs for whom, in a records sentence. */
function asWho(f: Record<string, string>, m: Record<string, string>): string {
  return same(m.signer, m.patient) ? "You, the patient," : `You (${f.signer}), as guardian of patient ${f.patient},`;
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Every Carechain typed struct, by primary type. */
export const STRUCT_DESCRIPTIONS: Record<string, StructDescription> = {
  Grant: {
    contract: "records",
    intent: "Grant access to health records",
    types: records("Grant"),
    fields: {
      patient: ADDRESS("Patient"),
      signer: ADDRESS("Signed by"),
      grantee: ADDRESS("Access for"),
      categories: FLAGS("Records", "categories"),
      actions: FLAGS("May", "actions"),
      purposes: FLAGS("For", "purposes"),
      validFrom: DATE("From"),
      validUntil: DATE("Until"),
      dataFrom: DATE("Records dated from"),
      dataUntil: DATE("Records dated until"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      `${asWho(f, m)} let ${f.grantee} ${f.actions} ${f.categories} records of patient ${f.patient} for ${f.purposes}, ` +
      `from ${f.validFrom} until ${f.validUntil}, covering records dated from ${f.dataFrom} until ${f.dataUntil}; ` +
      `this signature expires ${f.deadline}.`,
  },
  Revoke: {
    contract: "records",
    intent: "Revoke access to health records",
    types: records("Revoke"),
    fields: {
      patient: ADDRESS("Patient"),
      signer: ADDRESS("Signed by"),
      grantee: ADDRESS("Access of"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      `${asWho(f, m)} end the access of ${f.grantee} to the records of patient ${f.patient}; this signature expires ${f.deadline}.`,
  },
  RevokeAll: {
    contract: "records",
    intent: "Revoke every access grant",
    types: records("RevokeAll"),
    fields: { patient: ADDRESS("Patient"), signer: ADDRESS("Signed by"), deadline: DEADLINE },
    sentence: (f, m) =>
      `${asWho(f, m)} end every access grant to the records of patient ${f.patient}; this signature expires ${f.deadline}.`,
  },
  SetDenyRule: {
    contract: "records",
    intent: "Set a deny rule on health records",
    types: records("SetDenyRule"),
    fields: {
      patient: ADDRESS("Patient"),
      signer: ADDRESS("Signed by"),
      scope: ENUM("Rule", "denyScope"),
      target: ADDRESS("Actor"),
      categories: FLAGS("Records", "categories"),
      deadline: DEADLINE,
    },
    sentence: (f, m) => {
      const who =
        Number(m.scope) === DenyScope.Actor
          ? f.target
          : BigInt(m.target ?? "0") === 0n
            ? "everyone"
            : `everyone except ${f.target}`;
      const what =
        Number(m.categories) === 0
          ? `lift the deny rule against ${who} on the records of patient ${f.patient}`
          : `deny ${who} access to ${f.categories} records of patient ${f.patient}, whatever they were granted`;
      return `${asWho(f, m)} ${what}; this signature expires ${f.deadline}.`;
    },
  },
  ReviewEmergency: {
    contract: "records",
    intent: "Review emergency access",
    types: records("ReviewEmergency"),
    fields: {
      patient: ADDRESS("Patient"),
      signer: ADDRESS("Signed by"),
      provider: ADDRESS("Provider"),
      deadline: DEADLINE,
    },
    sentence: (f) =>
      `You (${f.signer}) confirm you reviewed the emergency (break-glass) accesses of provider ${f.provider} ` +
      `to the records of patient ${f.patient}; this signature expires ${f.deadline}.`,
  },
  LinkResearchParticipant: {
    contract: "records",
    intent: "Link your records to a clinical trial",
    types: records("LinkResearchParticipant"),
    fields: {
      patient: ADDRESS("Patient"),
      trialId: RAW("Trial"),
      participant: ADDRESS("Participant address"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      (BigInt(m.participant ?? "0") === 0n
        ? `You, patient ${f.patient}, unlink your records from trial ${f.trialId}`
        : `You, patient ${f.patient}, let trial ${f.trialId} reach your records through your participant address ${f.participant}, as your trial consent allows`) +
      `; this signature expires ${f.deadline}.`,
  },
  SetGuardian: {
    contract: "records",
    intent: "Name a guardian",
    types: records("SetGuardian"),
    fields: {
      patient: ADDRESS("Patient"),
      guardian: ADDRESS("Guardian"),
      categories: FLAGS("Records", "categories"),
      powers: FLAGS("May", "guardianPowers"),
      until: DATE("Until"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      (BigInt(m.guardian ?? "0") === 0n
        ? `You, patient ${f.patient}, remove your guardian, and every grant they made for you ends`
        : `You, patient ${f.patient}, name ${f.guardian} your guardian for ${f.categories} records, who may ${f.powers} for you until ${f.until}`) +
      `; this signature expires ${f.deadline}.`,
  },
  Consent: {
    contract: "trials",
    intent: "Consent to a clinical trial",
    types: CONSENT_TYPES,
    fields: {
      trialId: RAW("Trial"),
      participant: ADDRESS("Participant"),
      signer: ADDRESS("Signed by"),
      meaning: ENUM("Signature", "signatureMeaning"),
      protocolVersion: RAW("Protocol version"),
      consentFormHash: RAW("Consent form"),
      scope: FLAGS("Data use", "duoScope"),
      diseaseCodeHash: RAW("Disease (hashed)"),
      useUntil: DATE("Data use until"),
      categories: FLAGS("Records", "categories"),
      futureContact: RAW("Future contact"),
      deadline: DEADLINE,
    },
    sentence: (f, m) => {
      const who = same(m.signer, m.participant)
        ? `You, participant ${f.participant},`
        : `You (${f.signer}), as legally authorised representative of participant ${f.participant},`;
      const contact = m.futureContact === "true" ? "may" : "may not";
      return (
        `${who} consent to trial ${f.trialId} under protocol version ${f.protocolVersion} and consent form ${f.consentFormHash}: ` +
        `${f.categories} records may be used for ${f.scope} until ${f.useUntil}, and you ${contact} be contacted about future research ` +
        `(${f.meaning}); this signature expires ${f.deadline}.`
      );
    },
  },
  Attestation: {
    contract: "trials",
    intent: "Attest a consent discussion",
    types: ATTESTATION_TYPES,
    fields: {
      trialId: RAW("Trial"),
      participant: ADDRESS("Participant"),
      protocolVersion: RAW("Protocol version"),
      consentFormHash: RAW("Consent form"),
      consentHash: RAW("Consent signed"),
      meaning: ENUM("Signature", "signatureMeaning"),
      signer: ADDRESS("Signed by"),
      deadline: DEADLINE,
    },
    sentence: (f) =>
      `You (${f.signer}) sign the ${f.meaning} that participant ${f.participant} consented to trial ${f.trialId} ` +
      `under protocol version ${f.protocolVersion} and consent form ${f.consentFormHash} (consent ${f.consentHash}); ` +
      `this signature expires ${f.deadline}.`,
  },
  Withdrawal: {
    contract: "trials",
    intent: "Withdraw from a clinical trial",
    types: WITHDRAWAL_TYPES,
    fields: {
      trialId: RAW("Trial"),
      participant: ADDRESS("Participant"),
      choice: ENUM("Choice", "withdrawalChoice"),
      meaning: ENUM("Signature", "signatureMeaning"),
      signer: ADDRESS("Signed by"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      `${same(m.signer, m.participant) ? "You" : `You (${f.signer}), for participant ${f.participant},`} withdraw ` +
      `${same(m.signer, m.participant) ? `participant ${f.participant}` : "them"} from trial ${f.trialId} and ${f.choice}; ` +
      `this signature expires ${f.deadline}.`,
  },
  RepresentativeAppointment: {
    contract: "trials",
    intent: "Appoint a representative",
    types: REPRESENTATIVE_APPOINTMENT_TYPES,
    fields: {
      trialId: RAW("Trial"),
      participant: ADDRESS("Participant"),
      representative: ADDRESS("Representative"),
      endsAt: DATE("Until"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      `You, participant ${f.participant}, appoint ${f.representative} your legally authorised representative in trial ${f.trialId} ` +
      `${BigInt(m.endsAt ?? "0") === 0n ? "until you revoke it" : `until ${f.endsAt}`}; this signature expires ${f.deadline}.`,
  },
  RepresentativeRevocation: {
    contract: "trials",
    intent: "Revoke your representatives",
    types: REPRESENTATIVE_REVOCATION_TYPES,
    fields: { trialId: RAW("Trial"), participant: ADDRESS("Participant"), deadline: DEADLINE },
    sentence: (f) =>
      `You, participant ${f.participant}, end every representative's authority over you in trial ${f.trialId}; ` +
      `this signature expires ${f.deadline}.`,
  },
  RepresentativeDetermination: {
    contract: "trials",
    intent: "Determine a participant's representative",
    types: REPRESENTATIVE_DETERMINATION_TYPES,
    fields: {
      trialId: RAW("Trial"),
      participant: ADDRESS("Participant"),
      representative: ADDRESS("Representative"),
      endsAt: DATE("Until"),
      basisHash: RAW("Documented basis"),
      investigator: ADDRESS("Investigator"),
      deadline: DEADLINE,
    },
    sentence: (f, m) =>
      `You, investigator ${f.investigator}, determine that participant ${f.participant} lacks capacity to consent and that ` +
      `${f.representative} is their legally authorised representative in trial ${f.trialId} ` +
      `${BigInt(m.endsAt ?? "0") === 0n ? "until revoked" : `until ${f.endsAt}`} (basis ${f.basisHash}), for the IRB to confirm; ` +
      `this signature expires ${f.deadline}.`,
  },
};

export interface DescribeOptions {
  /** Names to show for addresses and ids (address or bytes32 → name), e.g. a wallet's address book. */
  names?: Record<string, string>;
}

/** A unix time as people read it, in UTC: "2026-12-01 14:00 UTC"; 0 / max uint40 as open ends. */
export function formatDate(value: string | bigint | number, open: { zero?: string; max?: string } = {}): string {
  const v = BigInt(value);
  if (v === 0n && open.zero !== undefined) return open.zero;
  if (v >= MAX_UINT40 && open.max !== undefined) return open.max;
  if (v > 8_640_000_000_000n) return `unix time ${v}`;
  const iso = new Date(Number(v) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The names of the flags set in `mask` ("lab results and imaging"); unknown bits are named as such. */
export function formatFlags(mask: string | number | bigint, table: Record<string, string>): string {
  let rest = BigInt(mask);
  const names: string[] = [];
  for (const [bit, name] of Object.entries(table)) {
    if (rest & BigInt(bit)) {
      names.push(name);
      rest &= ~BigInt(bit);
    }
  }
  if (rest !== 0n) names.push(`unknown flags 0x${rest.toString(16)}`);
  if (names.length === 0) return "no";
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function formatField(name: string, format: FieldFormat, value: unknown, options: DescribeOptions): string {
  const text = String(value);
  const named = (v: string): string | undefined => {
    if (!options.names) return undefined;
    const key = Object.keys(options.names).find((k) => k.toLowerCase() === v.toLowerCase());
    return key === undefined ? undefined : options.names[key];
  };
  switch (format.format) {
    case "addressName": {
      const address = getAddress(text);
      const n = named(address);
      return n ? `${n} (${address})` : address;
    }
    case "date":
      return formatDate(text, {
        zero: name === "dataFrom" ? "the earliest" : name === "useUntil" ? "no end date" : "0",
        max: name === "dataUntil" ? "the latest" : "no end date",
      });
    case "enum":
      return SIGNING_ENUMS[format.enum][text as never] ?? `unknown value ${text}`;
    case "flags":
      return formatFlags(text, SIGNING_ENUMS[format.enum]);
    case "raw": {
      const n = /^0x[0-9a-fA-F]{64}$/.test(text) ? named(text) : undefined;
      return n ?? text;
    }
  }
}

/**
 * One plain-language sentence of what `data` asks its signer to agree to: names for enum values
 * and bitmask flags, dates (UTC) for timestamps, every address in full. Throws for a primary type
 * that is not a Carechain struct or a message that lacks one of its fields.
 */
export function describe(data: TypedData | EthersTypedData, options: DescribeOptions = {}): string {
  const d = STRUCT_DESCRIPTIONS[data.primaryType];
  if (!d) throw new Error(`describe: ${data.primaryType} is not a Carechain signed action`);
  const message = data.message as Record<string, unknown>;
  const raw: Record<string, string> = {};
  const shown: Record<string, string> = {};
  for (const field of d.types[data.primaryType]) {
    const value = message[field.name];
    if (value === undefined || value === null) throw new Error(`describe: ${data.primaryType} lacks ${field.name}`);
    raw[field.name] = String(value);
  }
  for (const [name, format] of Object.entries(d.fields)) shown[name] = formatField(name, format, raw[name], options);
  return d.sentence(shown, raw);
}

/** {@link describe} under a name that does not shadow test frameworks' `describe`. */
export const describeTypedData = describe;

/** ERC-7730 field format of a {@link FieldFormat}. */
function erc7730Field(path: string, f: FieldFormat): Record<string, unknown> {
  switch (f.format) {
    case "addressName":
      return {
        path,
        label: f.label,
        format: "addressName",
        params: { types: ["eoa", "wallet"], sources: ["local", "ens"] },
      };
    case "date":
      return { path, label: f.label, format: "date", params: { encoding: "timestamp" } };
    case "enum":
    case "flags":
      return { path, label: f.label, format: "enum", params: { $ref: `$.metadata.enums.${f.enum}` } };
    case "raw":
      return { path, label: f.label, format: "raw" };
  }
}

/** The display name of each verifying contract in descriptors. */
const CONTRACT_NAMES = { records: "Carechain RecordAccess", trials: "Carechain Trials" } as const;

/**
 * The ERC-7730 clear-signing descriptor of one Carechain contract's typed structs (`context.eip712`
 * bound to the contract's EIP-712 domain name, `metadata` with the enums, `display.formats` keyed by
 * primary type). `deployments`: the (chain id, address) pairs it applies to.
 */
export function erc7730Descriptor(
  contract: "records" | "trials",
  deployments: readonly { chainId: number; address: string }[] = [],
): Record<string, unknown> {
  const structs = Object.entries(STRUCT_DESCRIPTIONS).filter(([, d]) => d.contract === contract);
  const used = new Set<string>();
  for (const [, d] of structs) {
    for (const f of Object.values(d.fields)) if (f.format === "enum" || f.format === "flags") used.add(f.enum);
  }
  const domainType = [
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "verifyingContract", type: "address" },
  ];
  return {
    $schema: "https://eips.ethereum.org/assets/eip-7730/erc7730-v1.schema.json",
    context: {
      $id: CONTRACT_NAMES[contract],
      eip712: {
        deployments: deployments.map((x) => ({ chainId: x.chainId, address: getAddress(x.address) })),
        domain: { name: CONTRACT_NAMES[contract], version: "1" },
        schemas: structs.map(([primaryType, d]) => ({
          primaryType,
          types: { EIP712Domain: domainType, ...d.types },
        })),
      },
    },
    metadata: {
      owner: "Carechain",
      enums: Object.fromEntries([...used].sort().map((e) => [e, SIGNING_ENUMS[e as SigningEnum]])),
    },
    display: {
      formats: Object.fromEntries(
        structs.map(([primaryType, d]) => [
          primaryType,
          {
            intent: d.intent,
            fields: Object.entries(d.fields).map(([path, f]) => erc7730Field(path, f)),
            required: Object.keys(d.fields),
            excluded: d.types[primaryType].map((f) => f.name).filter((n) => !(n in d.fields)),
          },
        ]),
      ),
    },
  };
}

/** The file name of a contract's descriptor under erc7730/. */
export function erc7730FileName(contract: "records" | "trials"): string {
  return `eip712-carechain-${contract}.json`;
}
