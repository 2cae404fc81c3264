/**
 * THE list of signed actions (issue 6, invariant 5): every state-changing function of a deployable
 * contract that consumes an EIP-712 signature, with how to sign and relay it. The signed-action
 * matrix (test/matrix/signed-actions.ts) derives those functions from the compiled ABIs — any
 * `bytes` input, at any depth of a struct, whose name contains "sig" — fails on any function
 * missing here, and runs the six negative tests of test/helpers/signatures.ts
 * (`shouldRejectBadSignatures`: replay, other chain id, other contract, expired deadline, high-s,
 * wrong signer) for each entry.
 *
 * A domain adds `<key>: { "<signature>": async () => ({ contract, expectedSigner, sign, submit, … }) }`
 * — the setup loads its own fixture (loadFixture) so every test starts fresh.
 *
 * Not here: RecordAccess.registerEncryptionKey(bytes publicKey, bytes proof). Its `proof` is a
 * signature by a raw encryption key over (sender, key), not a signed action of an account: no nonce,
 * no deadline, no ERC-1271, sent by the account itself. Its negative tests (other chain, other
 * contract, other account, other key, high s, malformed) are in test/records/RecordAccess.ts.
 */
import type { ContractKey } from "../../src/deployments";
import type { SignedActionCase } from "../helpers/signatures";
import { recordsSignedActions } from "./signed/records";
import { trialsSignedActions } from "./signed/trials";

export type SignedActionsTable = Record<ContractKey, Record<string, () => Promise<SignedActionCase<unknown>>>>;

export const SIGNED_ACTIONS: SignedActionsTable = {
  // The registry and the supply chain consume no signatures: their actions are members' own transactions.
  registry: {},
  supply: {},
  records: recordsSignedActions,
  trials: trialsSignedActions,
};
