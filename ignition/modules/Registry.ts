import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The consortium member registry.
 * Parameters (ignition/parameters/<network>.json, key "Registry"):
 * - governance (required, no default, so that the deployer key never becomes admin by accident):
 *   holder of DEFAULT_ADMIN_ROLE, a TimelockController or multisig.
 * - adminTransferDelay: seconds a governance hand-over waits (default 2 days).
 * - registrar: operator appointed REGISTRAR_ROLE at deploy (default: none, the zero address).
 */
export default buildModule("Registry", (m) => {
  const governance = m.getParameter<string>("governance");
  const adminTransferDelay = m.getParameter("adminTransferDelay", 2n * 24n * 3600n);
  const registrar = m.getParameter("registrar", "0x0000000000000000000000000000000000000000");
  const registry = m.contract("MemberRegistry", [governance, adminTransferDelay, registrar]);
  return { registry };
});
