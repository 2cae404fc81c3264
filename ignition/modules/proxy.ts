import type { IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";
import type { ArgumentType, ContractFuture } from "@nomicfoundation/ignition-core";

/**
 * A Carechain contract as users deploy it (issue 11): its UUPS implementation
 * ("<Contract>Implementation", built with `constructorArgs`), an OpenZeppelin ERC1967Proxy
 * ("<Contract>Proxy") whose constructor calls `initialize(initializeArgs)` on it, and the proxy seen
 * through the contract's ABI under the contract's own future id ("<Module>#<Contract>"), so that the
 * address every user, the SDK and deployed_addresses.json know is the proxy's. The implementation's
 * address is in deployed_addresses.json too ("<Module>#<Contract>Implementation").
 */
export function deployProxied<ContractNameT extends string>(
  m: IgnitionModuleBuilder,
  contractName: ContractNameT,
  constructorArgs: ArgumentType[],
  initializeArgs: ArgumentType[],
): { contract: ContractFuture<ContractNameT>; implementation: ContractFuture<ContractNameT> } {
  const implementation = m.contract(contractName, constructorArgs, { id: `${contractName}Implementation` });
  const initialize = m.encodeFunctionCall(implementation, "initialize", initializeArgs);
  const proxy = m.contract("ERC1967Proxy", [implementation, initialize], { id: `${contractName}Proxy` });
  const contract = m.contractAt(contractName, proxy, { id: contractName });
  return { contract, implementation };
}
