import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GasRow } from "./rows";

// PLACEHOLDER until the trials domain lands.
export async function trialsGasRows(_hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  return [];
}
