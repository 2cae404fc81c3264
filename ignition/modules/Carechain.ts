import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";
import SupplyModule from "./Supply";
import TrialsModule from "./Trials";
import RecordsModule from "./Records";

/** Everything Carechain deploys, in dependency order: registry, supply, trials, records. */
export default buildModule("Carechain", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const supply = m.useModule(SupplyModule);
  const trials = m.useModule(TrialsModule);
  const records = m.useModule(RecordsModule);
  return { registry, ...supply, ...trials, ...records };
});
