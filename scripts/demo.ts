/**
 * The end-to-end story of Carechain: `npm run demo` (in-process Hardhat network) or
 * `HARDHAT_NETWORK=localhost npm run demo` against `npx hardhat node`.
 */
import hre from "hardhat";
import CarechainModule from "../ignition/modules/Carechain";
import type { MemberRegistry } from "../typechain-types";
import type { DemoActors, DemoContext } from "./demo/context";
import { section, step } from "./demo/narrate";
import { OTHERS_FROM, actorsOf } from "./lib/actors";
import { runAccessDemo } from "./demo/access";
import { runSupplyDemo } from "./demo/supply";
import { runRecordsDemo } from "./demo/records";
import { runTrialsDemo } from "./demo/trials";

/** Tells the story on the network of the running Hardhat runtime (scripts/anvil-rehearsal.ts calls it too). */
export async function runDemo(): Promise<void> {
  const s = await hre.ethers.getSigners();
  const actors: DemoActors = { ...actorsOf(s), others: s.slice(OTHERS_FROM) };
  const network = await hre.ethers.provider.getNetwork();
  section(`Deploy Carechain with Ignition on "${hre.network.name}" (chain id ${network.chainId})`);
  // On a persistent node every run deploys a fresh Carechain of its own (deployment id demo-<time>,
  // git-ignored), so the story can be told again; the operators' chain-<id> record is left alone.
  const deploymentId = hre.network.name === "hardhat" ? undefined : `demo-${Date.now()}`;
  const deployed = await hre.ignition.deploy(CarechainModule, {
    deploymentId,
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

if (require.main === module) {
  runDemo().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
