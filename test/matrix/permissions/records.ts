/** Permissions of the records contract: see test/matrix/permissions.ts. */
import type { FunctionPermission } from "../types";

export const recordsPermissions: Record<string, FunctionPermission> = {};
