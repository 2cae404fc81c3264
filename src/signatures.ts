import { Signature, TypedDataDomain, TypedDataField, Signer } from "ethers";

/** EIP-712 types as ethers takes them (without EIP712Domain). */
export type TypedDataTypes = Record<string, TypedDataField[]>;

/** A typed-data payload ready to sign: what wallets show the signer. */
export interface TypedData<T extends Record<string, unknown>> {
  domain: TypedDataDomain;
  types: TypedDataTypes;
  primaryType: string;
  message: T;
}

/** The EIP-712 domain of a Carechain contract. */
export function carechainDomain(
  name: string,
  version: string,
  chainId: bigint,
  verifyingContract: string,
): TypedDataDomain {
  return { name, version, chainId, verifyingContract };
}

/** A deadline `seconds` after `nowSeconds` (both unix seconds). */
export function deadlineIn(seconds: number, nowSeconds: number = Math.floor(Date.now() / 1000)): bigint {
  return BigInt(nowSeconds + seconds);
}

/** Signs typed data with an ethers signer (an EOA key, a hardware wallet, or a smart-account owner key). */
export async function signTypedData<T extends Record<string, unknown>>(
  signer: Signer,
  data: TypedData<T>,
): Promise<string> {
  return signer.signTypedData(data.domain, data.types, data.message);
}

/** Splits a 65-byte signature into r, s, v (for callers that relay split signatures). */
export function splitSignature(signature: string): { r: string; s: string; v: number } {
  const sig = Signature.from(signature);
  return { r: sig.r, s: sig.s, v: sig.v };
}
