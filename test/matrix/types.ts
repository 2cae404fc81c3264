/** Types of the access-control matrix (test/matrix/access-control.ts, permissions.ts). */
import type { BaseContract, Signer } from "ethers";
import type { ContractKey } from "../../src/deployments";
import type { deployConsortiumFixture } from "../helpers/fixtures";
/** The consortium fixture plus every deployable contract by key. */
export type MatrixEnv = Awaited<ReturnType<typeof deployConsortiumFixture>> & {
  contracts: Record<ContractKey, BaseContract>;
};

/** `[errorName, ...args]` of the custom error the refused call must revert with. */
export type ExpectedError = readonly [name: string, ...args: unknown[]];

export interface RefusalCase {
  /** What is attempted, e.g. "a non-registrar admits a member". */
  name: string;
  /** The caller that must be refused. */
  caller: (env: MatrixEnv) => Signer;
  /** A caller that may make the same call (proved with a static call after `setup`). */
  permitted?: (env: MatrixEnv) => Signer;
  /** Instead of `permitted`: why no caller at all may make this call. */
  nobody?: string;
  /** Arguments of a call that is valid for `permitted`. */
  args: (env: MatrixEnv) => unknown[];
  error: (env: MatrixEnv) => ExpectedError;
  /** State needed first (e.g. a pending admin transfer whose delay has passed). */
  setup?: (env: MatrixEnv) => Promise<void>;
}

export interface FunctionPermission {
  /** Who may call it, in words. */
  permitted: string;
  /** Set when anyone may call it: why that is safe. */
  open?: string;
  refusals: RefusalCase[];
}

export type PermissionsTable = Record<ContractKey, Record<string, FunctionPermission>>;
