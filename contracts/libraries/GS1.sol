// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title GS1
 * @notice Check-digit validation of GS1 identification keys held as integers
 * (GS1 General Specifications 7.9.1, "standard check digit calculation").
 * @dev A key of `n` digits is the integer value of its digits, leading zeros included
 * (a GTIN-14 "00614141000012" is 614141000012). The last digit is the check digit.
 */
library GS1 {
    /// @dev Digits in a GTIN-14.
    uint256 internal constant GTIN_DIGITS = 14;
    /// @dev Digits in a GLN.
    uint256 internal constant GLN_DIGITS = 13;
    /// @dev Digits in an SSCC.
    uint256 internal constant SSCC_DIGITS = 18;

    /**
     * @notice Whether `key` is a well-formed GS1 key of `digits` digits with a correct check digit.
     * @dev The loop is bounded by `digits` (at most 18 for GS1 keys); never reverts.
     */
    function isValidKey(uint256 key, uint256 digits) internal pure returns (bool) {
        // `key > 10 ** digits - 1` rather than `>=`: same meaning, solhint's strict-inequality rule.
        if (digits < 2 || digits > 18 || key > 10 ** digits - 1) return false;
        uint256 checkDigit = key % 10;
        uint256 rest = key / 10;
        uint256 sum;
        // Weights alternate 3, 1, 3, ... starting from the digit left of the check digit.
        for (uint256 i = 0; i < digits - 1; ++i) {
            sum += (rest % 10) * (i % 2 == 0 ? 3 : 1);
            rest /= 10;
        }
        return (10 - (sum % 10)) % 10 == checkDigit;
    }

    /// @notice Whether `gtin` is a valid GTIN-14 (shorter GTINs are zero-padded to 14 digits).
    function isValidGTIN(uint256 gtin) internal pure returns (bool) {
        return gtin != 0 && isValidKey(gtin, GTIN_DIGITS);
    }

    /// @notice Whether `gln` is a valid 13-digit Global Location Number.
    function isValidGLN(uint256 gln) internal pure returns (bool) {
        return gln != 0 && isValidKey(gln, GLN_DIGITS);
    }
}
