// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test, Vm} from "forge-std/Test.sol";
import {Secp256k1Key} from "../../contracts/libraries/Secp256k1Key.sol";
import {Secp256k1KeyMock} from "../../contracts/mocks/Secp256k1KeyMock.sol";

/// @notice Fuzzes the on-chain point decompression against forge's own secp256k1 (vm.createWallet):
/// every private key's compressed public key decompresses to its (x, y) and its address; the other
/// prefix gives the negated point (another address); x at or above p, and x off the curve, are refused.
contract Secp256k1KeyFuzzTest is Test {
    uint256 private constant _N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 private constant _P = Secp256k1Key.P;
    Secp256k1KeyMock private _harness;

    function setUp() public {
        _harness = new Secp256k1KeyMock();
    }

    function testFuzz_decompressesEveryKeyToItsPointAndAddress(uint256 privateKey) public {
        privateKey = _bound(privateKey, 1, _N - 1);
        Vm.Wallet memory w = vm.createWallet(privateKey);
        uint8 prefix = uint8(2 + (w.publicKeyY & 1));
        (bool valid, uint256 x, uint256 y) = _harness.decompress(abi.encodePacked(prefix, w.publicKeyX));
        assertTrue(valid);
        assertEq(x, w.publicKeyX);
        assertEq(y, w.publicKeyY);
        assertEq(_harness.toAddress(x, y), w.addr);
        // The other prefix: the same x, y' = p - y, the point of key n - privateKey.
        (bool validFlipped, , uint256 yFlipped) = _harness.decompress(abi.encodePacked(prefix ^ 1, w.publicKeyX));
        assertTrue(validFlipped);
        assertEq(yFlipped, _P - w.publicKeyY);
        assertEq(_harness.toAddress(x, yFlipped), vm.addr(_N - privateKey));
    }

    function testFuzz_refusesXAtOrAboveP(uint256 x, bool odd) public view {
        x = _bound(x, _P, type(uint256).max);
        (bool valid, uint256 rx, uint256 ry) = _harness.decompress(abi.encodePacked(uint8(odd ? 3 : 2), x));
        assertFalse(valid);
        assertEq(rx, 0);
        assertEq(ry, 0);
    }

    function testFuzz_validExactlyWhenXCubedPlus7IsASquare(uint256 x, bool odd) public view {
        x = _bound(x, 0, _P - 1);
        uint256 rhs = addmod(mulmod(mulmod(x, x, _P), x, _P), 7, _P);
        // Euler's criterion, computed independently of the library (rhs ≠ 0 for every x).
        bool square = _pow(rhs, (_P - 1) / 2) == 1;
        (bool valid, uint256 rx, uint256 y) = _harness.decompress(abi.encodePacked(uint8(odd ? 3 : 2), x));
        assertEq(valid, square);
        if (valid) {
            assertEq(rx, x);
            assertEq(mulmod(y, y, _P), rhs);
            assertEq(y & 1, odd ? 1 : 0);
        } else {
            // As documented: a refused key returns zeros beside valid = false.
            assertEq(rx, 0);
            assertEq(y, 0);
        }
    }

    function testFuzz_refusesOtherLengthsAndPrefixes(bytes calldata publicKey) public view {
        vm.assume(publicKey.length != 33 || (publicKey[0] != 0x02 && publicKey[0] != 0x03));
        (bool valid, uint256 x, uint256 y) = _harness.decompress(publicKey);
        assertFalse(valid);
        assertEq(x, 0);
        assertEq(y, 0);
    }

    /// @dev Square-and-multiply mod p (no precompile).
    function _pow(uint256 base, uint256 exponent) private pure returns (uint256 result) {
        result = 1;
        base %= _P;
        while (exponent != 0) {
            if (exponent & 1 == 1) result = mulmod(result, base, _P);
            base = mulmod(base, base, _P);
            exponent >>= 1;
        }
    }
}
