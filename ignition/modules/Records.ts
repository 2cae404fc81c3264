import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";
import TrialsModule from "./Trials";

/**
 * The EHR access-grant domain: RecordAccess, gated on the consortium registry and linked to the
 * trials contract (key `trials`), which answers research-consent questions (IResearchConsent).
 */
export default buildModule("Records", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const { trials } = m.useModule(TrialsModule);
  const records = m.contract("RecordAccess", [registry, trials]);
  return { records };
});
