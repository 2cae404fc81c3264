export * from "./enums";
export * from "./ids";
export * from "./serials";
export * from "./client";
export * from "./responder";
export * from "./httpProofSource";
export * from "./endpoints";
