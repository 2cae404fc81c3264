// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {GS1} from "../../contracts/libraries/GS1.sol";

/// @notice Fuzzes the on-chain GS1 check digit against the definition (GS1 General Specifications
/// 7.9.1): for every body, exactly one of the ten check digits validates, and it is the one computed
/// from the digits written out left to right (an independent formulation of the same rule).
contract GS1FuzzTest is Test {
    /// @dev The check digit of `body` (a key without its check digit, `digits - 1` digits), from the
    /// digits read left to right with weights 3/1 counted from the right end.
    function _checkDigit(uint256 body, uint256 digits) private pure returns (uint256) {
        uint256[] memory d = new uint256[](digits - 1);
        for (uint256 i = 0; i < digits - 1; ++i) {
            d[digits - 2 - i] = body % 10;
            body /= 10;
        }
        uint256 sum;
        for (uint256 i = 0; i < digits - 1; ++i) {
            // Position from the right of the whole key (check digit = position 1): even positions weigh 3.
            uint256 posFromRight = digits - i;
            sum += d[i] * (posFromRight % 2 == 0 ? 3 : 1);
        }
        return (10 - (sum % 10)) % 10;
    }

    function testFuzz_exactlyOneCheckDigitValidates(uint256 body, uint8 digitsSeed) public pure {
        uint256 digits = 2 + (uint256(digitsSeed) % 17); // 2 … 18
        body = body % (10 ** (digits - 1));
        uint256 expected = _checkDigit(body, digits);
        for (uint256 c = 0; c < 10; ++c) {
            assertEq(GS1.isValidKey(body * 10 + c, digits), c == expected);
        }
    }

    function testFuzz_gtinAndGlnWidths(uint256 body) public pure {
        uint256 gtinBody = body % 1e13;
        uint256 gtin = gtinBody * 10 + _checkDigit(gtinBody, 14);
        assertEq(GS1.isValidGTIN(gtin), gtin != 0);
        uint256 glnBody = body % 1e12;
        uint256 gln = glnBody * 10 + _checkDigit(glnBody, 13);
        assertEq(GS1.isValidGLN(gln), gln != 0);
        // Too many digits never validates.
        assertFalse(GS1.isValidKey(1e18 + (body % 1e18), 18));
    }
}
