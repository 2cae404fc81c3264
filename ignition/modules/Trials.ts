import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

// PLACEHOLDER until the trials domain lands: deploys nothing of its own yet.
export default buildModule("Trials", (m) => {
  m.useModule(RegistryModule);
  return {};
});
