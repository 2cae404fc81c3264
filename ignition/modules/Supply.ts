import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

/** Drug traceability: the SupplyChain contract, gated by the consortium registry. */
export default buildModule("Supply", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const supply = m.contract("SupplyChain", [registry]);
  return { supply };
});
