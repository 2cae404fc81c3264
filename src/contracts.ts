/**
 * Typed Carechain contracts from their ABIs alone. The TypeChain types (`SupplyChain`, …) are
 * compile-time only; at run time a contract is an ethers `Contract` over the ABI in
 * src/abi.generated.ts — no TypeChain factory, so no bytecode in the browser bundle. The factories
 * (with bytecode, to deploy) are at "carechain/typechain" and in "carechain/node" as `typechain`.
 * Browser-safe.
 */
import { Contract, Interface, type ContractRunner } from "ethers";
import type { MemberRegistry, MemberRegistryInterface } from "../typechain-types/contracts/access/MemberRegistry";
import type { RecordAccess, RecordAccessInterface } from "../typechain-types/contracts/records/RecordAccess";
import type { SupplyChain, SupplyChainInterface } from "../typechain-types/contracts/supply/SupplyChain";
import type { ClinicalTrials, ClinicalTrialsInterface } from "../typechain-types/contracts/trials/ClinicalTrials";
import { CARECHAIN_ABIS } from "./abi.generated";

/** Each deployable contract's typed contract and typed interface, by Solidity name. */
export interface CarechainContractTypes {
  MemberRegistry: { contract: MemberRegistry; interface: MemberRegistryInterface };
  SupplyChain: { contract: SupplyChain; interface: SupplyChainInterface };
  RecordAccess: { contract: RecordAccess; interface: RecordAccessInterface };
  ClinicalTrials: { contract: ClinicalTrials; interface: ClinicalTrialsInterface };
}

export type CarechainContractName = keyof CarechainContractTypes;

/** The human-readable ABI of a deployable contract (what `new Interface(...)` and viem's `parseAbi` take). */
export function carechainAbi(name: CarechainContractName): readonly string[] {
  return CARECHAIN_ABIS[name];
}

const interfaces = new Map<CarechainContractName, Interface>();

/** The typed ethers Interface of a deployable contract (shared: built once per contract). */
export function carechainInterface<N extends CarechainContractName>(name: N): CarechainContractTypes[N]["interface"] {
  let iface = interfaces.get(name);
  if (!iface) interfaces.set(name, (iface = new Interface(CARECHAIN_ABIS[name])));
  // The ABI is the one the TypeChain type was generated from (test/src/contracts.ts keeps them equal).
  return iface as CarechainContractTypes[N]["interface"];
}

/**
 * The typed contract `name` at `address` on `runner` (a provider to read, a signer to send): what
 * TypeChain's `<Name>__factory.connect(address, runner)` returns, without the factory.
 */
export function connectContract<N extends CarechainContractName>(
  name: N,
  address: string,
  runner?: ContractRunner | null,
): CarechainContractTypes[N]["contract"] {
  // The one cast, the same TypeChain's factories make: an ethers Contract over the type's own ABI.
  return new Contract(address, carechainInterface(name), runner) as unknown as CarechainContractTypes[N]["contract"];
}
