import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MemberRegistry } from "../../typechain-types";

/** The named organisations of the demo story (each a signer of the network). */
export interface DemoActors {
  deployer: HardhatEthersSigner;
  governance: HardhatEthersSigner;
  registrar: HardhatEthersSigner;
  manufacturer: HardhatEthersSigner;
  wholesaler: HardhatEthersSigner;
  pharmacy: HardhatEthersSigner;
  hospital: HardhatEthersSigner;
  specialist: HardhatEthersSigner;
  sponsor: HardhatEthersSigner;
  irb: HardhatEthersSigner;
  site: HardhatEthersSigner;
  researcher: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  sensor: HardhatEthersSigner;
  privacyOfficer: HardhatEthersSigner;
  /** Accounts that are not members: patients, participants, representatives, relayers. */
  others: HardhatEthersSigner[];
}

/** What every part of the demo receives: the network, the deployed contracts and the actors. */
export interface DemoContext {
  hre: HardhatRuntimeEnvironment;
  registry: MemberRegistry;
  /** Every contract the root Ignition module returned, by name. */
  deployed: Record<string, string>;
  actors: DemoActors;
}
