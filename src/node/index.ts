/**
 * `carechain/node`: the whole SDK plus what needs Node (file system, worker threads): deployment
 * records read from disk, serial trees saved and loaded, the responder's tree files, and the
 * parallel (worker-thread) serial tree build. The main entry "carechain" stays browser-safe.
 */
export * from "../index";
export * from "./deployments";
export * from "./serialTreeFile";
export * from "../supply/treeFile";
export * from "../supply/serialsParallel";
