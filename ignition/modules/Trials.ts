import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

/**
 * The clinical-trials and consent domain: one ClinicalTrials contract gated by the consortium
 * registry. Returns `{ trials }` (key "Trials#ClinicalTrials" in deployed_addresses.json).
 */
export default buildModule("Trials", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const trials = m.contract("ClinicalTrials", [registry]);
  return { trials };
});
