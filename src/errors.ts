/**
 * Why a call failed, in words: {@link describeError} decodes every Carechain custom error (the
 * deployable contracts' ABIs, src/errors.generated.ts) and renders role names instead of role hashes,
 * enum names instead of numbers, GTINs with their leading zeros, UTC dates instead of unix times,
 * record categories and purposes by name; {@link explainError} also asks the registry whether an
 * account refused for a role is suspended. Browser-safe.
 */
import { Interface, type ContractRunner, Contract, isError, type Result } from "ethers";
import { CARECHAIN_ERRORS } from "./errors.generated";
import { MemberStatus } from "./enums";
import { TimelockRole, roleName } from "./roles";
import { LotStatus, RecallClass, DecommissionReason, UnitCheck, HoldOrigin, lotStatusesOf } from "./supply/enums";
import { trialStatesOf } from "./trials/flags";
import { AccessReason } from "./records/enums";
import { SignatureMeaning, TrialStatus, AmendmentStatus } from "./trials/enums";
import { formatDate, formatFlags, SIGNING_ENUMS } from "./describe";

/** Finds revert data (0x…) inside an ethers / Hardhat error, however deeply it is nested. */
function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== "object") return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.data === "string" && /^0x[0-9a-fA-F]{8}/.test(e.data)) return e.data;
  if (e.data && typeof e.data === "object") {
    const inner = findRevertData(e.data, depth + 1);
    if (inner) return inner;
  }
  for (const key of ["error", "info", "cause", "revert"]) {
    const inner = findRevertData(e[key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** Every Carechain custom error as an ethers Interface. */
export const CARECHAIN_ERRORS_INTERFACE = new Interface(
  CARECHAIN_ERRORS.map((e) => ({ type: "error", name: e.name, inputs: e.inputs.map((i) => ({ ...i })) })),
);

/** The Solidity enums errors carry → the SDK's mirrors (value → name). */
const ENUMS: Record<string, Record<number, string>> = {
  MemberStatus: MemberStatus as unknown as Record<number, string>,
  LotStatus: LotStatus as unknown as Record<number, string>,
  RecallClass: RecallClass as unknown as Record<number, string>,
  DecommissionReason: DecommissionReason as unknown as Record<number, string>,
  UnitCheck: UnitCheck as unknown as Record<number, string>,
  HoldOrigin: HoldOrigin as unknown as Record<number, string>,
  AccessReason: AccessReason as unknown as Record<number, string>,
  SignatureMeaning: SignatureMeaning as unknown as Record<number, string>,
  TrialStatus: TrialStatus as unknown as Record<number, string>,
  AmendmentStatus: AmendmentStatus as unknown as Record<number, string>,
};

/** The SDK's mirror of a Solidity enum type ("enum ISupplyChain.LotStatus"), or undefined. */
export function enumMirrorOf(internalType: string): Record<number, string> | undefined {
  const m = /^enum (?:\w+\.)?(\w+)$/.exec(internalType);
  return m ? ENUMS[m[1]] : undefined;
}

/** Argument names that are unix times. */
const TIME_NAMES =
  /^(deadline|expiry|until|guardianUntil|validFrom|validUntil|dataFrom|dataUntil|recordDate|endsAt|useUntil|nowSeconds|schedule)$/;

/** One argument as people read it. */
function renderArg(input: { name: string; type: string; internalType: string }, value: unknown): string {
  const mirror = enumMirrorOf(input.internalType);
  if (mirror) return mirror[Number(value)] ?? `unknown ${input.internalType.replace(/^enum (\w+\.)?/, "")} ${value}`;
  if (input.type === "bytes32" && /role/i.test(input.name)) return roleText(String(value));
  if (input.type === "bytes32[]" && /role/i.test(input.name)) {
    return (value as readonly string[]).map((h) => roleText(String(h))).join(" or ");
  }
  // Sets of allowed states, one bit per enum value (OpenZeppelin Governor's expectedStates).
  if (input.name === "allowedStatuses")
    return lotStatusesOf(String(value))
      .map((v) => LotStatus[v])
      .join(" or ");
  if (input.name === "expectedStates")
    return trialStatesOf(String(value))
      .map((v) => TrialStatus[v])
      .join(" or ");
  if (/^gtin$/i.test(input.name)) return String(value).padStart(14, "0");
  if (input.name === "gln") return String(value).padStart(13, "0");
  if (/^uint/.test(input.type) && TIME_NAMES.test(input.name)) return formatDate(String(value));
  if (input.name === "categories")
    return `${formatFlags(String(value), SIGNING_ENUMS.categories)} (0x${BigInt(String(value)).toString(16)})`;
  if (input.name === "actions")
    return `${formatFlags(String(value), SIGNING_ENUMS.actions)} (0x${BigInt(String(value)).toString(16)})`;
  if (input.name === "purposes")
    return `${formatFlags(String(value), SIGNING_ENUMS.purposes)} (0x${BigInt(String(value)).toString(16)})`;
  return String(value);
}

function roleText(hash: string): string {
  if (/^0x0{64}$/.test(hash)) return "DEFAULT_ADMIN";
  const timelock = (Object.keys(TimelockRole) as (keyof typeof TimelockRole)[]).find(
    (name) => TimelockRole[name] === hash.toLowerCase(),
  );
  if (timelock !== undefined) return `the timelock's ${timelock}`;
  return roleName(hash) ?? `an unknown role (${hash.slice(0, 10)}…)`;
}

/** "LotUnexpectedStatus" → "lot unexpected status". */
function words(name: string): string {
  return name
    .replace(/GLN/g, "Gln")
    .replace(/GTIN/g, "Gtin")
    .replace(/IRB/g, "Irb")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/\bgln\b/g, "GLN")
    .replace(/\bgtin\b/g, "GTIN")
    .replace(/\birb\b/g, "IRB");
}

/** Sentences for the errors people meet most; the others get the generic form. */
const SENTENCES: Record<string, (a: Record<string, string>) => string> = {
  MemberGatedUnauthorized: (a) => `${a.account} is not an active member holding the ${a.role} role`,
  MemberGatedUnauthorizedAny: (a) => `${a.account} is not an active member holding the ${a.roles} role`,
  AccessControlUnauthorizedAccount: (a) => `${a.account} does not hold the ${a.neededRole} role`,
  TrialsNotEligible: (a) => `${a.account} is not an active member holding the ${a.role} role`,
  MemberUnexpectedStatus: (a) =>
    a.current === "Suspended"
      ? `member ${a.account} is suspended`
      : a.current === "None"
        ? `${a.account} is not a member`
        : `member ${a.account} is ${a.current.toLowerCase()}`,
  MemberNotFound: (a) => `${a.account} is not a member`,
  RecordAccessInvalidEncryptionKey: (a) =>
    `${a.publicKey} is not a 33-byte compressed secp256k1 public key (0x02/0x03 and an x on the curve)`,
  RecordAccessInvalidEncryptionKeyProof: (a) =>
    `the proof is not a signature by key ${a.publicKey} for account ${a.account} on this chain and contract`,
  SignatureInvalid: (a) => `the signature is not ${a.signer}'s (wrong signer, domain, nonce or terms)`,
  SignatureExpired: (a) => `the signature expired at ${a.deadline}`,
  LotUnexpectedStatus: (a) =>
    `lot ${a.lotId} is ${a.current.toLowerCase()}; the action needs it ${a.allowedStatuses.toLowerCase() || "in no status"}`,
  LotExpired: (a) => `lot ${a.lotId} expired on ${a.expiry}`,
  ProductUnknown: (a) => `product GTIN ${a.gtin} is not registered`,
  ProductAlreadyRegistered: (a) => `product GTIN ${a.gtin} is already registered by ${a.manufacturer}`,
  UnitNotGenuine: (a) => `unit ${a.index} of lot ${a.lotId} fails verification: ${a.answer}`,
  RecordAccessDenied: (a) => `${a.accessor} may not access record ${a.recordId} of patient ${a.patient}: ${a.reason}`,
  TrialsUnexpectedStatus: (a) =>
    `trial ${a.trialId} is ${a.current.toLowerCase()}; the action needs it ${a.expectedStates.toLowerCase() || "in no status"}`,
};

/** The decoded error's sentence. */
function sentenceOf(
  name: string,
  inputs: readonly { name: string; type: string; internalType: string }[],
  args: Result,
): string {
  const rendered: Record<string, string> = {};
  inputs.forEach((input, i) => (rendered[input.name || `arg${i}`] = renderArg(input, args[i])));
  const special = SENTENCES[name];
  if (special) return `${name}: ${special(rendered)}`;
  const list = Object.entries(rendered).map(([k, v]) => `${k} ${v}`);
  return `${name}: ${words(name)}${list.length ? ` (${list.join(", ")})` : ""}`;
}

/** A Carechain custom error decoded from revert data, in words; undefined for other data. */
export function describeRevertData(data: string): string | undefined {
  let parsed;
  try {
    parsed = CARECHAIN_ERRORS_INTERFACE.parseError(data);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const fragment = CARECHAIN_ERRORS.find((e) => e.name === parsed.name);
  return sentenceOf(parsed.name, fragment ? fragment.inputs : [], parsed.args);
}

/**
 * One line that says why a call failed.
 *
 * Without `abis` (the default) every Carechain custom error is decoded and rendered in words:
 * `LotUnexpectedStatus: lot 0x12… is recalled`, `MemberGatedUnauthorized: 0xAb… is not an active
 * member holding the DISPENSER role`. With `abis`, the first ABI that declares the error decodes it
 * in the compact form `Name(arg, …)` (raw values; kept for callers that match it).
 * Anything else: the provider's short message.
 */
export function describeError(error: unknown, abis?: readonly Interface[]): string {
  const data = findRevertData(error);
  if (data) {
    if (abis === undefined) {
      const readable = describeRevertData(data);
      if (readable) return readable;
    }
    for (const abi of abis ?? []) {
      try {
        const parsed = abi.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map((a) => String(a)).join(", ")})`;
      } catch {
        // not this ABI's error; try the next
      }
    }
    return `reverted with unknown error data ${data.slice(0, 10)}`;
  }
  const message = error as { shortMessage?: string; message?: string };
  if (isError(error, "CALL_EXCEPTION") && message.shortMessage) return message.shortMessage;
  const text = message.message ?? String(error);
  const custom = /reverted with custom error '([^']+)'/.exec(text);
  if (custom) return custom[1];
  return message.shortMessage ?? text.split("\n")[0];
}

const REGISTRY_VIEWS = [
  "function memberOf(address account) view returns ((bytes32 metadataHash, uint64 gln, uint8 status, uint40 admittedAt, uint40 statusChangedAt))",
];

/**
 * {@link describeError}, and when an account was refused for a role (MemberGatedUnauthorized,
 * TrialsNotEligible), the cause read from the registry: "member 0x… is suspended" or "0x… is not a
 * member" rather than a missing role.
 */
export async function explainError(
  error: unknown,
  context: { registry: string; runner: ContractRunner },
): Promise<string> {
  const text = describeError(error);
  const data = findRevertData(error);
  if (!data) return text;
  let parsed;
  try {
    parsed = CARECHAIN_ERRORS_INTERFACE.parseError(data);
  } catch {
    return text;
  }
  if (!parsed || !["MemberGatedUnauthorized", "TrialsNotEligible"].includes(parsed.name)) return text;
  const account = String(parsed.args[0]);
  const registry = new Contract(context.registry, REGISTRY_VIEWS, context.runner);
  const member = (await registry.memberOf(account)) as { status: bigint };
  const status = Number(member.status);
  if (status === MemberStatus.Suspended) return `${parsed.name}: member ${account} is suspended`;
  if (status === MemberStatus.None) return `${parsed.name}: ${account} is not a member`;
  return text;
}
