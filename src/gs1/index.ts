export * from "./checkDigit";
export * from "./elementString";
export type { AIComponent, AIEntry, AITableRow, CharacterSet } from "./aiTypes";
export { AI_DICTIONARY_SHA256 } from "./aiTable.generated";
export { AI_ENTRIES, aiLabel, lookupAI, validateAIValue, validateAssociations } from "./syntax";
export {
  escapeDigitalLinkValue,
  splitDigitalLink,
  type DigitalLinkOptions,
  type DigitalLinkParts,
} from "./digitalLink";
export { UNCHECKED_LINTERS } from "./linters";
