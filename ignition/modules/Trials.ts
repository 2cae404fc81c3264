import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";
import { deployProxied } from "./proxy";

/**
 * The clinical-trials and consent domain: one ClinicalTrials contract gated by the consortium
 * registry. Returns `{ trials }` (key "Trials#ClinicalTrials" in deployed_addresses.json): the proxy
 * in front of its UUPS implementation (./proxy.ts).
 */
export default buildModule("Trials", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const { contract: trials } = deployProxied(m, "ClinicalTrials", [registry], []);
  return { trials };
});
