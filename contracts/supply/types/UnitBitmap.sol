// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title UnitBitmap
 * @notice A lot's decommissioned units, one bit per unit index: bit `index % 256` of word `index / 256`
 * (OpenZeppelin `BitMaps`'s layout and code), plus a read-once path for dispense: {wordOf} reads the
 * unit's word for the check, {setIn} writes it back with the unit's bit set, with no second read
 * (a warm SLOAD is 100 gas of dispense's 62,000-gas budget).
 */
library UnitBitmap {
    struct Bitmap {
        mapping(uint256 bucket => uint256 bits) _words;
    }

    /// @notice Whether unit `index` is set.
    function get(Bitmap storage self, uint32 index) internal view returns (bool) {
        return isSetIn(self._words[index >> 8], index);
    }

    /// @notice The word holding unit `index`'s bit.
    function wordOf(Bitmap storage self, uint32 index) internal view returns (uint256) {
        return self._words[index >> 8];
    }

    /// @notice Whether unit `index`'s bit is set in `word`, the word {wordOf} returned for it.
    function isSetIn(uint256 word, uint32 index) internal pure returns (bool) {
        return word & (uint256(1) << (index & 0xff)) != 0;
    }

    /// @notice Sets unit `index`, given `word`, the word {wordOf} returned for it in this transaction.
    function setIn(Bitmap storage self, uint32 index, uint256 word) internal {
        self._words[index >> 8] = word | (uint256(1) << (index & 0xff));
    }

    /// @notice Clears unit `index`.
    function unset(Bitmap storage self, uint32 index) internal {
        self._words[index >> 8] &= ~(uint256(1) << (index & 0xff));
    }
}
