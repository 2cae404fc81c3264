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
 */
import type { ContractKey } from "../../src/deployments";
import type { SignedActionCase } from "../helpers/signatures";

export type SignedActionsTable = Record<ContractKey, Record<string, () => Promise<SignedActionCase<unknown>>>>;

export const SIGNED_ACTIONS: SignedActionsTable = {
  // The registry consumes no signatures: its actions come from members' own transactions.
  registry: {},
};
