/**
 * Signed actions of the records contract (RecordAccess): see test/matrix/signed.ts. The cases are
 * the records domain's own (test/records/signedActions.ts): one description per action, run both
 * by test/records/signed.ts and here.
 */
import type { SignedActionCase } from "../../helpers/signatures";
import { ACTIONS, signedActionCase } from "../../records/signedActions";

export const recordsSignedActions: Record<string, () => Promise<SignedActionCase<unknown>>> = Object.fromEntries(
  ACTIONS.map((action) => [action.signature, () => signedActionCase(action) as Promise<SignedActionCase<unknown>>]),
);
