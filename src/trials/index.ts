/** The trials domain of the SDK: enums, flags, DUO scopes, EIP-712 consent/attestation/withdrawal, consent trail. */
export * from "./enums";
export * from "./flags";
export * from "./duo";
export * from "./typedData";
export * from "./trail";
export * from "./relay";
