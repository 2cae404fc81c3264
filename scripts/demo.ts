/**
 * The end-to-end story of Carechain: `npm run demo` (in-process Hardhat network) or
 * `HARDHAT_NETWORK=localhost npm run demo` against `npx hardhat node`.
 */
import hre from "hardhat";
import CarechainModule from "../ignition/modules/Carechain";
import type { MemberRegistry } from "../typechain-types";
import type { DemoActors, DemoContext } from "./demo/context";
import { section, step } from "./demo/narrate";
import { runAccessDemo } from "./demo/access";
import { runSupplyDemo } from "./demo/supply";
import { runRecordsDemo } from "./demo/records";
import { runTrialsDemo } from "./demo/trials";

async function main(): Promise<void> {
  const s = await hre.ethers.getSigners();
  const actors: DemoActors = {
    deployer: s[0],
    governance: s[1],
    registrar: s[2],
    manufacturer: s[3],
    wholesaler: s[4],
    pharmacy: s[5],
    hospital: s[6],
    specialist: s[7],
    sponsor: s[8],
    irb: s[9],
    site: s[10],
    researcher: s[11],
    regulator: s[12],
    sensor: s[13],
    privacyOfficer: s[14],
    others: s.slice(15),
  };
  const network = await hre.ethers.provider.getNetwork();
  section(`Deploy Carechain with Ignition on "${hre.network.name}" (chain id ${network.chainId})`);
  const deployed = await hre.ignition.deploy(CarechainModule, {
    parameters: {
      Registry: {
        governance: actors.governance.address,
        registrar: actors.registrar.address,
        adminTransferDelay: 172800,
      },
    },
  });
  const addresses: Record<string, string> = {};
  for (const [name, contract] of Object.entries(deployed)) {
    addresses[name] = await (contract as { getAddress(): Promise<string> }).getAddress();
    step(`${name.padEnd(10)} ${addresses[name]}`);
  }
  const ctx: DemoContext = {
    hre,
    registry: deployed.registry as unknown as MemberRegistry,
    deployed: addresses,
    actors,
  };
  await runAccessDemo(ctx);
  await runSupplyDemo(ctx);
  await runRecordsDemo(ctx);
  await runTrialsDemo(ctx);
  section("Done");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
