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
export * from "./clients";
export * from "./gs1";
export * from "./deployments";
export * from "./supply";
export * from "./records";
export * from "./trials";
export * from "./epcis";
export * from "./indexer";

/**
 * TypeChain bindings of every compiled contract (factories with ABI and bytecode, typed contract
 * interfaces), also importable on their own as "carechain/typechain".
 */
export * as typechain from "../typechain-types";
