import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MemberRegistry } from "../../typechain-types";
import type { ActorName } from "../lib/actors";

/** The named organisations of the demo story (each a signer of the network; scripts/lib/actors.ts). */
export type DemoActors = Record<ActorName, HardhatEthersSigner> & {
  /** Accounts that are not members: patients, participants, representatives, relayers. */
  others: HardhatEthersSigner[];
};

/** What every part of the demo receives: the network, the deployed contracts and the actors. */
export interface DemoContext {
  hre: HardhatRuntimeEnvironment;
  registry: MemberRegistry;
  /** Every contract the root Ignition module returned, by name. */
  deployed: Record<string, string>;
  actors: DemoActors;
}
