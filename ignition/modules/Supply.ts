import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

// PLACEHOLDER until the supply domain lands: deploys nothing of its own yet.
export default buildModule("Supply", (m) => {
  m.useModule(RegistryModule);
  return {};
});
