/**
 * The ABIs of Carechain's deployable contracts in ethers' full human-readable form, by contract
 * name: what scripts/gen-abis.ts writes to src/abi.generated.ts and test/src/contracts.ts compares.
 */
import { Interface } from "ethers";
import { deployableArtifacts } from "./artifacts";

export function carechainAbis(): Record<string, string[]> {
  return Object.fromEntries(deployableArtifacts().map((a) => [a.contractName, new Interface(a.abi).format(false)]));
}
