/** Permissions of the trials contract: see test/matrix/permissions.ts. */
import type { FunctionPermission } from "../types";

export const trialsPermissions: Record<string, FunctionPermission> = {};
