import { ethers } from "hardhat";
import type { BaseContract } from "ethers";

/**
 * Deploys `name` as users do (ignition/modules/proxy.ts), for the tests that cannot use the Ignition
 * modules (other arguments, a mock dependency): a UUPS implementation built with `constructorArgs`
 * behind an ERC1967Proxy whose constructor calls `initialize(...initializeArgs)`. Returns the proxy
 * seen through the contract's ABI, and the implementation.
 */
export async function deployProxied<T extends BaseContract = BaseContract>(
  name: string,
  constructorArgs: unknown[] = [],
  initializeArgs: unknown[] = [],
): Promise<{ contract: T; implementation: BaseContract }> {
  const implementation = await ethers.deployContract(name, constructorArgs);
  const data = implementation.interface.encodeFunctionData("initialize", initializeArgs);
  const proxy = await ethers.deployContract("ERC1967Proxy", [await implementation.getAddress(), data]);
  return { contract: (await ethers.getContractAt(name, await proxy.getAddress())) as unknown as T, implementation };
}
