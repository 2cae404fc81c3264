// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GS1} from "../libraries/GS1.sol";

/// @dev Exposes the GS1 library to unit tests.
contract GS1Mock {
    function isValidKey(uint256 key, uint256 digits) external pure returns (bool) {
        return GS1.isValidKey(key, digits);
    }

    function isValidGTIN(uint256 gtin) external pure returns (bool) {
        return GS1.isValidGTIN(gtin);
    }

    function isValidGLN(uint256 gln) external pure returns (bool) {
        return GS1.isValidGLN(gln);
    }
}
