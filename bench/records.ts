import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GasRow } from "./rows";

// PLACEHOLDER until the records domain lands.
export async function recordsGasRows(_hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  return [];
}
