import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";
import TrialsModule from "./Trials";
import { deployProxied } from "./proxy";

/**
 * The EHR access-grant domain: RecordAccess, gated on the consortium registry and linked to the
 * trials contract (key `trials`), which answers research-consent questions (IResearchConsent). A UUPS
 * implementation behind an ERC1967Proxy (./proxy.ts): `records` is the proxy.
 */
export default buildModule("Records", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const { trials } = m.useModule(TrialsModule);
  const { contract: records } = deployProxied(m, "RecordAccess", [registry], [trials]);
  return { records };
});
