/** Signed actions of the records contract: see test/matrix/signed.ts. */
import type { SignedActionCase } from "../../helpers/signatures";

export const recordsSignedActions: Record<string, () => Promise<SignedActionCase<unknown>>> = {};
