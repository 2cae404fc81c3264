// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Secp256k1Key} from "../libraries/Secp256k1Key.sol";

/// @dev Exposes the Secp256k1Key library to unit tests.
contract Secp256k1KeyMock {
    function decompress(bytes calldata publicKey) external view returns (bool valid, uint256 x, uint256 y) {
        return Secp256k1Key.decompress(publicKey);
    }

    function toAddress(uint256 x, uint256 y) external pure returns (address) {
        return Secp256k1Key.toAddress(x, y);
    }
}
