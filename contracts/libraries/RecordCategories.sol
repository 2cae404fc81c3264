// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title RecordCategories
 * @notice The health-record categories, one definition for every domain that names them (records'
 * pointers, grants, deny rules and guardians; trials' research scopes): codes 0..8, and masks with
 * bit `code` per category (a uint16). The SDK's `RecordCategory` mirrors these codes
 * (src/categories.ts; tested against this library's AST).
 */
library RecordCategories {
    uint8 internal constant LABS = 0;
    uint8 internal constant IMAGING = 1;
    uint8 internal constant MEDICATIONS = 2;
    uint8 internal constant NOTES = 3;
    uint8 internal constant IMMUNIZATIONS = 4;
    uint8 internal constant MENTAL_HEALTH = 5;
    uint8 internal constant SUBSTANCE_USE = 6;
    uint8 internal constant REPRODUCTIVE = 7;
    uint8 internal constant GENOMIC = 8;

    /// @notice The largest category code.
    uint8 internal constant MAX = 8;
    /// @notice The mask of every category (nine bits).
    uint16 internal constant ALL = 0x1ff;

    /// @notice Whether `category` is a category code.
    function isValid(uint8 category) internal pure returns (bool) {
        return category < MAX + 1;
    }

    /// @notice Whether `mask` names only categories (possibly none).
    function isValidMask(uint16 mask) internal pure returns (bool) {
        return mask & ~ALL == 0;
    }

    /// @notice The mask of category `category` alone.
    function bit(uint8 category) internal pure returns (uint16) {
        return uint16(1) << category;
    }
}
