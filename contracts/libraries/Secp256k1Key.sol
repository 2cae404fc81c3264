// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title Secp256k1Key
 * @notice Pure checks of a secp256k1 public key given in its 33-byte compressed SEC 1 encoding
 * (`0x02`/`0x03` ‖ x): whether it names a point of the curve, that point's coordinates, and the
 * Ethereum address of the key (what `ecrecover` returns for a signature made with it).
 * @dev The square root mod p is `rhs^((p+1)/4)` (p ≡ 3 mod 4), computed with the modexp precompile
 * (0x05, EIP-198; 1,360 gas at these sizes under EIP-2565). secp256k1's group order is prime, so no
 * point has y = 0 and both parities exist for every x on the curve.
 */
library Secp256k1Key {
    /// @notice The field prime p of secp256k1.
    uint256 internal constant P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    /// @dev (p + 1) / 4: the exponent of the square root mod p.
    uint256 private constant _SQRT_EXPONENT = 0x3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFBFFFFF0C;
    /// @dev The curve's b in y² = x³ + b.
    uint256 private constant _B = 7;
    /// @dev The modexp precompile.
    address private constant _MODEXP = address(0x05);

    /**
     * @notice The affine coordinates of the point `publicKey` encodes, if it encodes one.
     * @return valid false unless `publicKey` is 33 bytes, starts with 0x02 (even y) or 0x03 (odd y),
     * has x < p and x³ + 7 is a square mod p; then `x` and `y` are zero.
     */
    function decompress(bytes calldata publicKey) internal view returns (bool valid, uint256 x, uint256 y) {
        if (publicKey.length != 33) return (false, 0, 0);
        uint8 prefix = uint8(publicKey[0]);
        if (prefix != 0x02 && prefix != 0x03) return (false, 0, 0);
        x = uint256(bytes32(publicKey[1:33]));
        if (!(x < P)) return (false, 0, 0);
        uint256 rhs = addmod(mulmod(mulmod(x, x, P), x, P), _B, P);
        y = _modexp(rhs, _SQRT_EXPONENT);
        // Only a square has a root: for any other rhs, y² ≠ rhs and x is not on the curve.
        if (mulmod(y, y, P) != rhs) return (false, 0, 0);
        // y ≠ 0 (see @dev), so P - y is the other root, of the other parity, and < P.
        if (y & 1 != prefix & 1) y = P - y;
        return (true, x, y);
    }

    /// @notice The Ethereum address of the key at (x, y): the last 20 bytes of keccak256(x ‖ y).
    function toAddress(uint256 x, uint256 y) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode(x, y)))));
    }

    /// @dev `base ^ exponent mod P` through the modexp precompile (which fails on these inputs only out of gas).
    function _modexp(uint256 base, uint256 exponent) private view returns (uint256 result) {
        // A failed call returns no data, so the decode reverts: no key is accepted on a failure.
        (, bytes memory out) = _MODEXP.staticcall(abi.encode(32, 32, 32, base, exponent, P));
        result = abi.decode(out, (uint256));
    }
}
