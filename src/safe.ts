/**
 * Signatures of a Safe (Safe{Wallet}, formerly Gnosis Safe, 1.3/1.4.1 with its
 * CompatibilityFallbackHandler) for any Carechain signed action.
 *
 * A Carechain contract checks an ERC-1271 signer with `isValidSignature(digest, signature)`, where
 * `digest` is the action's EIP-712 digest. A Safe does not accept its owners' signatures of that
 * digest: its fallback handler checks them over its own typed message
 *   SafeMessage(bytes message)   with message = the 32-byte digest,
 * in the Safe's domain `EIP712Domain(uint256 chainId, address verifyingContract = the Safe)`.
 * So each owner signs {@link safeMessageTypedData} (any wallet: the payload is wallet-ready), and the
 * Safe's signature is the owners' 65-byte signatures sorted by owner address, ascending, and
 * concatenated ({@link safeSignature}); it needs at least the Safe's threshold of them.
 *
 * Two on-chain routes need no off-chain owner signature at all:
 * - approved hashes: each owner calls `safe.approveHash(safeMessageHash)` from its own account; the
 *   Safe's signature is then one "approved hash" entry (v = 1, r = owner) per owner
 *   ({@link safeApprovedHashSignature}); Safe 1.4.1's `checkSignatures` accepts them for ERC-1271 too.
 * - SignMessageLib: the Safe executes (a Safe transaction, threshold of owners) a DELEGATECALL of
 *   `SignMessageLib.signMessage(digest)` ({@link safeSignMessageCall}); afterwards the empty signature
 *   `"0x"` is valid for that digest ({@link SAFE_SIGNED_MESSAGE_SIGNATURE}).
 */
import { Interface, Signature, TypedDataEncoder, concat, getAddress, zeroPadValue, type Signer } from "ethers";
import {
  type EthersTypedData,
  type TypedData,
  signTypedData,
  toEthersTypedData,
  typedData,
  typedDataDigest,
} from "./signatures";

/** Where a Safe lives. */
export interface SafeAccount {
  /** The Safe (proxy) address: the ERC-1271 signer named in the Carechain struct. */
  address: string;
  chainId: bigint;
}

/** One owner's signature of a Safe message. */
export interface SafeOwnerSignature {
  owner: string;
  signature: string;
}

/** The Safe's EIP-712 type of a message (CompatibilityFallbackHandler.SAFE_MSG_TYPEHASH). */
export const SAFE_MESSAGE_TYPES = { SafeMessage: [{ name: "message", type: "bytes" }] };

/** The signature to relay after the Safe signed the digest on chain through SignMessageLib. */
export const SAFE_SIGNED_MESSAGE_SIGNATURE = "0x";

/** The EIP-712 digest an action's typed data or a digest names. */
function digestOf(action: TypedData | EthersTypedData | string): string {
  return typeof action === "string" ? action : typedDataDigest(action);
}

/**
 * What each Safe owner signs for a Carechain action: the Safe's `SafeMessage` over the action's
 * EIP-712 digest (a wallet-ready payload, for `eth_signTypedData_v4`, viem, ethers…).
 */
export function safeMessageTypedData(
  safe: SafeAccount,
  action: TypedData | EthersTypedData | string,
): TypedData<{ message: string }> {
  return typedData({ chainId: safe.chainId, verifyingContract: safe.address }, SAFE_MESSAGE_TYPES, "SafeMessage", {
    message: digestOf(action),
  });
}

/** The Safe's message hash of an action (what owners approve with `approveHash`; `signedMessages` key). */
export function safeMessageHash(safe: SafeAccount, action: TypedData | EthersTypedData | string): string {
  return typedDataDigest(safeMessageTypedData(safe, action));
}

/**
 * The Safe's signature from its owners' signatures: sorted by owner address (ascending, as the
 * Safe requires) and concatenated. Each must be a 65-byte ECDSA signature of
 * {@link safeMessageTypedData}; give at least the Safe's threshold of them.
 */
export function safeSignature(signatures: readonly SafeOwnerSignature[]): string {
  const sorted = [...signatures].sort((a, b) => compareAddresses(a.owner, b.owner));
  for (let i = 1; i < sorted.length; i++) {
    if (compareAddresses(sorted[i - 1].owner, sorted[i].owner) === 0) {
      throw new Error(`safeSignature: owner ${getAddress(sorted[i].owner)} signed twice`);
    }
  }
  return concat(sorted.map((s) => Signature.from(s.signature).serialized));
}

/** Signs `action` for `safe` with each of `owners` (ethers signers) and combines the signatures. */
export async function signAsSafe(
  owners: readonly Signer[],
  safe: SafeAccount,
  action: TypedData | EthersTypedData,
): Promise<string> {
  const payload = safeMessageTypedData(safe, action);
  const signatures = await Promise.all(
    owners.map(async (owner) => ({ owner: await owner.getAddress(), signature: await signTypedData(owner, payload) })),
  );
  return safeSignature(signatures);
}

/**
 * The Safe's signature when `owners` approved {@link safeMessageHash} on chain with
 * `safe.approveHash(hash)`: one "approved hash" entry (r = owner, s = 0, v = 1) per owner, sorted.
 */
export function safeApprovedHashSignature(owners: readonly string[]): string {
  const sorted = [...owners].map((o) => getAddress(o)).sort(compareAddresses);
  return concat(sorted.map((owner) => concat([zeroPadValue(owner, 32), zeroPadValue("0x", 32), "0x01"])));
}

const SIGN_MESSAGE_LIB = new Interface(["function signMessage(bytes _data)"]);

/**
 * The Safe transaction that signs `action` on chain: a DELEGATECALL (operation 1) from the Safe to
 * `signMessageLib` (the network's SignMessageLib deployment) calling `signMessage(digest)`. Execute
 * it as any Safe transaction; then relay the action with {@link SAFE_SIGNED_MESSAGE_SIGNATURE}.
 */
export function safeSignMessageCall(
  signMessageLib: string,
  action: TypedData | EthersTypedData | string,
): { to: string; value: bigint; data: string; operation: 1 } {
  return {
    to: getAddress(signMessageLib),
    value: 0n,
    data: SIGN_MESSAGE_LIB.encodeFunctionData("signMessage", [digestOf(action)]),
    operation: 1,
  };
}

/** The Safe's EIP-712 SafeTx type (Safe 1.3 / 1.4.1). */
export const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** A Safe transaction without refund (the fields `execTransaction` takes besides the signatures). */
export interface SafeTransaction {
  to: string;
  value: bigint;
  data: string;
  operation: 0 | 1;
  safeTxGas: bigint;
  baseGas: bigint;
  gasPrice: bigint;
  gasToken: string;
  refundReceiver: string;
  nonce: bigint;
}

const ZERO_ADDRESS = "0x" + "00".repeat(20);

/** A Safe transaction for `call` at the Safe's `nonce`, with no gas refund. */
export function safeTransaction(
  call: { to: string; value?: bigint; data: string; operation?: 0 | 1 },
  nonce: bigint,
): SafeTransaction {
  return {
    to: getAddress(call.to),
    value: call.value ?? 0n,
    data: call.data,
    operation: call.operation ?? 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZERO_ADDRESS,
    refundReceiver: ZERO_ADDRESS,
    nonce,
  };
}

/** What owners sign to execute a Safe transaction (wallet-ready). */
export function safeTransactionTypedData(
  safe: SafeAccount,
  tx: SafeTransaction,
): TypedData<SafeTransaction & Record<string, unknown>> {
  return typedData({ chainId: safe.chainId, verifyingContract: safe.address }, SAFE_TX_TYPES, "SafeTx", {
    ...tx,
  });
}

/** The Safe transaction hash (`safe.getTransactionHash(...)`). */
export function safeTransactionHash(safe: SafeAccount, tx: SafeTransaction): string {
  const e = toEthersTypedData(safeTransactionTypedData(safe, tx));
  return TypedDataEncoder.hash(e.domain, e.types, e.message);
}

function compareAddresses(a: string, b: string): number {
  const x = BigInt(getAddress(a));
  const y = BigInt(getAddress(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
