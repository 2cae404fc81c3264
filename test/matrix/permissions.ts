/**
 * THE permissions table (issue 6, invariant 4): for every state-changing function of every
 * deployable contract (src/deployments.ts DEPLOYABLE_CONTRACTS), who may call it, and at least
 * one refusal case — an unauthorised caller, a valid call otherwise, and the exact custom error.
 * test/matrix/access-control.ts derives the functions from the compiled ABIs, fails on any
 * function missing here (or any entry here that no longer exists), and runs every case: the
 * unauthorised caller must get exactly `error`, and the `permitted` caller must succeed with the
 * same arguments (so the refusal is about the caller, not the arguments).
 *
 * Functions anyone may call (signed actions relayed for patients, renouncing one's own role) are
 * listed with `open: "<why that is safe>"`; they still list the refusals they have (a bad
 * signature, someone else's role) where there are any.
 *
 * Each deployable contract has its own file, test/matrix/permissions/<key>.ts; the key is the
 * contract's key in DEPLOYABLE_CONTRACTS and in the root Ignition module's result.
 */
import type { PermissionsTable } from "./types";
import { registryPermissions } from "./permissions/registry";
import { supplyPermissions } from "./permissions/supply";
import { recordsPermissions } from "./permissions/records";
import { trialsPermissions } from "./permissions/trials";

export type { ExpectedError, FunctionPermission, MatrixEnv, PermissionsTable, RefusalCase } from "./types";

export const PERMISSIONS: PermissionsTable = {
  registry: registryPermissions,
  supply: supplyPermissions,
  records: recordsPermissions,
  trials: trialsPermissions,
};
