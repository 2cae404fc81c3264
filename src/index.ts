/**
 * The Carechain SDK: what partners import (`import { Role, loadDeployment } from "carechain"`).
 * Each domain adds its own `export * from "./<domain>"` line when it lands.
 */
export * from "./roles";
export * from "./enums";
export * from "./categories";
export * from "./errors";
export * from "./signatures";
export * from "./safe";
export * from "./describe";
export * from "./history";
export * from "./contracts";
export * from "./clients";
export * from "./gs1";
export * from "./deployments";
export * from "./supply";
export * from "./records";
export * from "./trials";
export * from "./epcis";
export * from "./indexer";

// The TypeChain factories (ABI and bytecode, to deploy) are not in the browser core: import them from
// "carechain/typechain", or `typechain` from "carechain/node". Typed contracts: `connect`, `connectContract`.
