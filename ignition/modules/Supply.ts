import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";
import { deployProxied } from "./proxy";

/**
 * Drug traceability: the SupplyChain contract, gated by the consortium registry; a UUPS implementation
 * behind an ERC1967Proxy (./proxy.ts): `supply` is the proxy.
 */
export default buildModule("Supply", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const { contract: supply } = deployProxied(m, "SupplyChain", [registry], []);
  return { supply };
});
