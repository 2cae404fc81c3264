import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GasRow } from "./rows";

// PLACEHOLDER until the supply domain lands.
export async function supplyGasRows(_hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  return [];
}
