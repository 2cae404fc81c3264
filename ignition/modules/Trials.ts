import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";

// STAND-IN (records worktree only): the trials domain is built in parallel. This module deploys
// contracts/mocks/ResearchConsentMock.sol under the key `trials` so that the Records module can
// useModule(TrialsModule) as it will at merge; the real Trials module replaces this file then.
export default buildModule("Trials", (m) => {
  m.useModule(RegistryModule);
  const trials = m.contract("ResearchConsentMock", []);
  return { trials };
});
