/**
 * Health-record categories and purposes of use, shared by the records and trials domains.
 * Categories are bits of a uint16 mask; purposes are bits of a uint8 mask (a single purpose is
 * its bit index). The contracts use the same numbering: category codes are defined once, in
 * contracts/libraries/RecordCategories.sol (test/src/mirrors/enums.ts compares the two).
 */
export const RecordCategory = {
  Labs: 0,
  Imaging: 1,
  Medications: 2,
  Notes: 3,
  Immunizations: 4,
  MentalHealth: 5,
  SubstanceUse: 6,
  Reproductive: 7,
  Genomic: 8,
} as const;
export type RecordCategoryName = keyof typeof RecordCategory;

/** HL7 v3 PurposeOfUse, reduced to what Carechain grants on. */
export const Purpose = {
  Treatment: 0,
  Payment: 1,
  Operations: 2,
  Research: 3,
  PublicHealth: 4,
  PatientRequest: 5,
} as const;
export type PurposeName = keyof typeof Purpose;

/** The bitmask of the given category names. */
export function categoryMask(names: readonly RecordCategoryName[]): number {
  return names.reduce((mask, name) => mask | (1 << RecordCategory[name]), 0);
}

/** The bitmask of the given purpose names. */
export function purposeMask(names: readonly PurposeName[]): number {
  return names.reduce((mask, name) => mask | (1 << Purpose[name]), 0);
}

/** The category names set in `mask`. */
export function categoriesOf(mask: number): RecordCategoryName[] {
  return (Object.keys(RecordCategory) as RecordCategoryName[]).filter((n) => (mask >> RecordCategory[n]) & 1);
}
