/**
 * EIP-712 typed data as wallets take it, and the domain as the contract declares it.
 *
 * Every typed-data builder of the SDK returns a {@link TypedData}: the exact JSON an EIP-1193 wallet
 * signs over `eth_signTypedData_v4` (MetaMask, WalletConnect, a hardware wallet bridge, a Safe app):
 * `types` holds `EIP712Domain`, the domain's `chainId` is a number, every integer of the message is a
 * decimal string (no bigint, so `JSON.stringify` works) and `primaryType` is named. The same payload
 * goes to ethers ({@link signTypedData} / {@link toEthersTypedData}), viem and MetaMask's
 * eth-sig-util unchanged.
 *
 * The domain is read from the contract ({@link readDomain}, ERC-5267 `eip712Domain()`, which
 * OpenZeppelin's EIP712 exposes), so a renamed or re-versioned contract never gets signatures in a
 * stale domain.
 */
import {
  Contract,
  Signature,
  TypedDataEncoder,
  getAddress,
  hexlify,
  type ContractRunner,
  type Signer,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";

/** EIP-712 types as ethers takes them (without EIP712Domain). */
export type TypedDataTypes = Record<string, TypedDataField[]>;

/** A JSON value (what a wallet request carries). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `T` with every bigint replaced by its decimal string (what goes over JSON-RPC). */
export type WalletMessage<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] };

/** A 0x-prefixed hex string (viem's `Hex`: typed data built here goes to viem without a cast). */
export type HexString = `0x${string}`;

/** The EIP-712 domain as wallets take it: JSON, chain id a number. */
export interface WalletDomain {
  name?: string;
  version?: string;
  chainId?: number;
  verifyingContract?: HexString;
  salt?: HexString;
}

/**
 * A typed-data payload ready for any wallet: `JSON.stringify(data)` is the `eth_signTypedData_v4`
 * parameter; `types.EIP712Domain` lists the domain's fields.
 */
export interface TypedData<T extends Record<string, unknown> = Record<string, unknown>> {
  domain: WalletDomain;
  types: { EIP712Domain: TypedDataField[] } & TypedDataTypes;
  primaryType: string;
  message: WalletMessage<T>;
}

/** Typed data in ethers' shape (domain separate, no EIP712Domain type, bigints allowed). */
export interface EthersTypedData<T extends Record<string, unknown> = Record<string, unknown>> {
  domain: TypedDataDomain;
  types: TypedDataTypes;
  primaryType: string;
  message: T;
}

/** The EIP-712 domain of a contract as ERC-5267 reports it (chain id a bigint). */
export interface Eip712Domain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
  salt?: string;
}

/** The EIP712Domain fields in EIP-712's canonical order, with their types. */
const DOMAIN_FIELDS: readonly TypedDataField[] = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
  { name: "salt", type: "bytes32" },
];

/** The EIP712Domain type of `domain`: the fields it sets, in canonical order. */
export function domainType(domain: TypedDataDomain | WalletDomain): TypedDataField[] {
  const d = domain as Record<string, unknown>;
  return DOMAIN_FIELDS.filter((f) => d[f.name] !== undefined && d[f.name] !== null).map((f) => ({ ...f }));
}

/** The EIP-712 domain of a Carechain contract (prefer {@link readDomain}, which asks the contract). */
export function carechainDomain(
  name: string,
  version: string,
  chainId: bigint,
  verifyingContract: string,
): TypedDataDomain {
  return { name, version, chainId, verifyingContract };
}

const ERC5267_ABI = [
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
];

/** A contract (ethers or TypeChain) or its address. */
export type ContractLike = string | { getAddress(): Promise<string> };

/** The address of `target`. */
export async function addressOfContract(target: ContractLike): Promise<string> {
  return getAddress(typeof target === "string" ? target : await target.getAddress());
}

/**
 * The EIP-712 domain `target` declares (ERC-5267 `eip712Domain()`): name, version, chain id and
 * verifying contract as the contract hashes them. Throws when the contract has no such function or
 * declares extensions (no Carechain contract does).
 */
export async function readDomain(target: ContractLike, runner: ContractRunner): Promise<Eip712Domain> {
  const address = await addressOfContract(target);
  const contract = new Contract(address, ERC5267_ABI, runner);
  const result = (await contract.eip712Domain()) as unknown as [
    string,
    string,
    string,
    bigint,
    string,
    string,
    bigint[],
  ];
  const [fieldsHex, name, version, chainId, verifyingContract, salt, extensions] = result;
  if (extensions.length > 0) throw new Error(`${address}: EIP-712 domain extensions are not supported`);
  const fields = parseInt(fieldsHex, 16);
  if ((fields & 0x0f) !== 0x0f)
    throw new Error(`${address}: EIP-712 domain lacks name, version, chainId or verifyingContract`);
  const domain: Eip712Domain = { name, version, chainId, verifyingContract: getAddress(verifyingContract) };
  if (fields & 0x10) domain.salt = salt;
  return domain;
}

/** A domain as wallets take it (chain id a number). */
export function walletDomain(domain: TypedDataDomain | WalletDomain): WalletDomain {
  const out: WalletDomain = {};
  if (domain.name != null) out.name = domain.name;
  if (domain.version != null) out.version = domain.version;
  if (domain.chainId != null) {
    const id = BigInt(domain.chainId);
    if (id > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`chain id ${id} does not fit a JSON number`);
    out.chainId = Number(id);
  }
  if (domain.verifyingContract != null) out.verifyingContract = getAddress(domain.verifyingContract) as HexString;
  if (domain.salt != null) out.salt = hexlify(domain.salt) as HexString;
  return out;
}

/** `value` with every bigint (at any depth) replaced by its decimal string. */
export function toJsonValue<T>(value: T): WalletMessage<T> {
  const convert = (v: unknown): unknown => {
    if (typeof v === "bigint") return v.toString();
    if (Array.isArray(v)) return v.map(convert);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, convert(x)]));
    }
    return v;
  };
  return convert(value) as WalletMessage<T>;
}

/**
 * Builds wallet-ready typed data: `types` are the struct types (without EIP712Domain; it is added
 * from the domain's fields), the message keeps only the fields of `primaryType` (in any order).
 */
export function typedData<T extends Record<string, unknown>>(
  domain: TypedDataDomain | WalletDomain,
  types: TypedDataTypes,
  primaryType: string,
  message: T,
): TypedData<T> {
  if (!types[primaryType]) throw new Error(`typed data: no type ${primaryType}`);
  const structTypes: TypedDataTypes = {};
  for (const [name, fields] of Object.entries(types)) {
    if (name !== "EIP712Domain") structTypes[name] = fields.map((f) => ({ name: f.name, type: f.type }));
  }
  const wd = walletDomain(domain);
  return {
    domain: wd,
    types: { EIP712Domain: domainType(wd), ...structTypes },
    primaryType,
    message: toJsonValue(message),
  };
}

/** The same payload in ethers' shape (EIP712Domain removed): for `signer.signTypedData` and TypedDataEncoder. */
export function toEthersTypedData(data: TypedData | EthersTypedData): EthersTypedData {
  const types: TypedDataTypes = {};
  for (const [name, fields] of Object.entries(data.types)) if (name !== "EIP712Domain") types[name] = fields;
  return { domain: data.domain as TypedDataDomain, types, primaryType: data.primaryType, message: data.message };
}

/** The EIP-712 digest of `data` (what ECDSA signs and what an ERC-1271 wallet's isValidSignature receives). */
export function typedDataDigest(data: TypedData | EthersTypedData): string {
  const e = toEthersTypedData(data);
  return TypedDataEncoder.hash(e.domain, e.types, e.message);
}

/** The EIP-712 struct hash of `data`'s message. */
export function typedDataStructHash(data: TypedData | EthersTypedData): string {
  const e = toEthersTypedData(data);
  return TypedDataEncoder.hashStruct(e.primaryType, e.types, e.message);
}

/** A deadline `seconds` after `nowSeconds` (both unix seconds). */
export function deadlineIn(seconds: number, nowSeconds: number = Math.floor(Date.now() / 1000)): bigint {
  return BigInt(nowSeconds + seconds);
}

/**
 * Signs typed data with an ethers signer (an EOA key, a hardware wallet, a JSON-RPC account).
 * For a smart account (a Safe), the signature is its owners': see {@link safeSignature} in "./safe".
 */
export async function signTypedData(signer: Signer, data: TypedData | EthersTypedData): Promise<string> {
  const e = toEthersTypedData(data);
  return signer.signTypedData(e.domain, e.types, e.message);
}

/**
 * Signs typed data through an EIP-1193 provider (`window.ethereum`, a WalletConnect provider, a
 * node's unlocked account) with `eth_signTypedData_v4`, exactly as a dapp does.
 */
export async function signTypedDataV4(
  provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> },
  account: string,
  data: TypedData,
): Promise<string> {
  const signature = await provider.request({ method: "eth_signTypedData_v4", params: [account, JSON.stringify(data)] });
  return String(signature);
}

/** Splits a 65-byte signature into r, s, v (for callers that relay split signatures). */
export function splitSignature(signature: string): { r: string; s: string; v: number } {
  const sig = Signature.from(signature);
  return { r: sig.r, s: sig.s, v: sig.v };
}
