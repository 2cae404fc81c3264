export * from "./ids";
export * from "./tree";
export * from "./hash";
export * from "./events";
export * from "./xml";
export * from "./match";
export * from "./document";
