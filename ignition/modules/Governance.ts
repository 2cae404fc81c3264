import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import TimelockArtifact from "@openzeppelin/contracts/build/contracts/TimelockController.json";

/**
 * The consortium's governance: an OpenZeppelin TimelockController (v5, the npm package's artifact)
 * that holds the registry's admin role. Proposers (and cancellers) are a multisig (e.g. a Safe of the
 * founding members) or the founding members themselves; every action waits `minDelay` seconds in the
 * open before anyone may execute it (executors default to anyone: the zero address). The timelock is
 * its own admin (no admin account). Parameters (ignition/parameters/<network>.governance.json,
 * key "Governance"):
 * - proposers (required): the multisig, or the founding members' addresses.
 * - minDelay: seconds between proposal and execution (default 2 days).
 * - executors: who may execute a ready action (default: anyone, [0x0…0]).
 *
 * The registry's admin role moves to the timelock in two steps (AccessControlDefaultAdminRules):
 * the current admin runs `gov:handover --timelock <address>`, then, once the registry's transfer
 * delay has passed, the timelock accepts by its own proposal (`gov:propose --action accept-admin`,
 * `gov:execute`). docs/CONSORTIUM.md walks through it.
 */
export default buildModule("Governance", (m) => {
  const proposers = m.getParameter<string[]>("proposers");
  const minDelay = m.getParameter("minDelay", 2n * 24n * 3600n);
  const executors = m.getParameter<string[]>("executors", ["0x0000000000000000000000000000000000000000"]);
  const timelock = m.contract("TimelockController", TimelockArtifact, [
    minDelay,
    proposers,
    executors,
    "0x0000000000000000000000000000000000000000",
  ]);
  return { timelock };
});
