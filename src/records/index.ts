/** The records domain's SDK: enums and codes, record ids, EIP-712 actions, envelopes, history. */
export * from "./enums";
export * from "./ids";
export * from "./typedData";
export * from "./envelope";
export * from "./custodian";
export * from "./history";
export * from "./gatewayTypes";
export * from "./gatewayClient";
export * from "./fhirConsent";
