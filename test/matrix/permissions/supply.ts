/** Permissions of the supply contract: see test/matrix/permissions.ts. */
import type { FunctionPermission } from "../types";

export const supplyPermissions: Record<string, FunctionPermission> = {};
