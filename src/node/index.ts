/**
 * `carechain/node`: the whole SDK plus what needs Node (file system, worker threads): deployment
 * records read from disk, serial trees saved and loaded, the responder's tree files, and the
 * parallel (worker-thread) serial tree build, and the TypeChain factories (`typechain`). The main
 * entry "carechain" stays browser-safe.
 */
export * from "../index";
export * from "./deployments";
export * from "./serialTreeFile";
export * from "../supply/treeFile";
export * from "../supply/serialsParallel";

/**
 * TypeChain bindings of every compiled contract (factories with ABI and bytecode, typed contract
 * interfaces), also importable on their own as "carechain/typechain". Not in the browser core:
 * the bytecode alone would more than double its bundle.
 */
export * as typechain from "../../typechain-types";
