export * from "./checkDigit";
export * from "./elementString";
