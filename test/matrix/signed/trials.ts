/** Signed actions of the trials contract: see test/matrix/signed.ts. */
import type { SignedActionCase } from "../../helpers/signatures";

export const trialsSignedActions: Record<string, () => Promise<SignedActionCase<unknown>>> = {};
