import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { deployProxied } from "./proxy";

/**
 * The consortium member registry.
 * Parameters (ignition/parameters/<network>.json, key "Registry"):
 * - governance (required, no default, so that the deployer key never becomes admin by accident):
 *   holder of DEFAULT_ADMIN_ROLE, a TimelockController or multisig.
 * - adminTransferDelay: seconds a governance hand-over waits (default 2 days).
 * - registrar: operator appointed REGISTRAR_ROLE at deploy (default: none, the zero address).
 * Deployed as a UUPS implementation behind an ERC1967Proxy (./proxy.ts): `registry` is the proxy.
 */
export default buildModule("Registry", (m) => {
  const governance = m.getParameter<string>("governance");
  const adminTransferDelay = m.getParameter("adminTransferDelay", 2n * 24n * 3600n);
  const registrar = m.getParameter("registrar", "0x0000000000000000000000000000000000000000");
  const { contract: registry } = deployProxied(m, "MemberRegistry", [], [governance, adminTransferDelay, registrar]);
  return { registry };
});
