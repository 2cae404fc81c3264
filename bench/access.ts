import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GasRow } from "./rows";
import { gasOf } from "./rows";
import { deployRegistryFixture, testGLN } from "../test/helpers/fixtures";
import { Role } from "../src/roles";

/** Registry administration costs (no issue budget; the budgets are the figures first measured + ~10%). */
export async function accessGasRows(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  const { registry, registrar, signers } = await deployRegistryFixture();
  const r = registry.connect(registrar);
  const member = signers[20].address;
  const admit = await gasOf(r.admitMember(member, testGLN(1), hre.ethers.id("profile")));
  const grant = await gasOf(r.grantRole(Role.MANUFACTURER, member));
  const suspend = await gasOf(r.suspendMember(member, hre.ethers.ZeroHash));
  const reinstate = await gasOf(r.reinstateMember(member));
  // A manufacturer publishing its verification responder (a typical 40-byte URL) in the directory.
  const endpoint = await gasOf(
    registry
      .connect(signers[20])
      .setEndpoint(hre.ethers.id("gs1:verificationService"), "https://verify.manufacturer.example/v1"),
  );
  return [
    { domain: "access", operation: "admitMember", scale: null, gasUsed: admit, budget: 125_000 },
    { domain: "access", operation: "grantRole", scale: null, gasUsed: grant, budget: 60_000 },
    { domain: "access", operation: "suspendMember", scale: null, gasUsed: suspend, budget: 40_000 },
    { domain: "access", operation: "reinstateMember", scale: null, gasUsed: reinstate, budget: 40_000 },
    { domain: "access", operation: "setEndpoint", scale: null, gasUsed: endpoint, budget: 120_000 },
  ];
}
