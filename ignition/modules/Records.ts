import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

// PLACEHOLDER until the records domain lands: deploys nothing of its own yet.
export default buildModule("Records", (m) => {
  m.useModule(RegistryModule);
  return {};
});
