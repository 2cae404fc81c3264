// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "../../interfaces/supply/ISupplyTypes.sol";

/**
 * @notice A holder's custody of a lot: one storage word, written by every custody change and
 * decommission. Bits 0-31 quantity, 32-63 the latest decommission's unit index, 64-103 its time,
 * 104-111 its {ISupplyTypes.DecommissionReason} (None: nothing to undo), 112-239 the four
 * decommissions before it (32-bit lanes of `index + 1`, 0 = none, most recent in the low lane).
 * {CustodyWordLibrary} is the only code that knows these offsets.
 */
type CustodyWord is bytes32;

using CustodyWordLibrary for CustodyWord global;

/// @title CustodyWordLibrary
/// @notice The offsets of a {CustodyWord} and its accessors.
library CustodyWordLibrary {
    uint256 internal constant LAST_INDEX_OFFSET = 32;
    uint256 internal constant LAST_AT_OFFSET = 64;
    uint256 internal constant LAST_REASON_OFFSET = 104;
    uint256 internal constant EARLIER_OFFSET = 112;
    /// @dev `earlier` holds this many lanes of LANE_BITS bits.
    uint256 internal constant LANES = 4;
    uint256 internal constant LANE_BITS = 32;

    uint256 internal constant MASK_8_BITS = 0xff;
    uint256 internal constant MASK_32_BITS = 0xffffffff;
    uint256 internal constant MASK_128_BITS = (1 << 128) - 1;

    /// @notice How many units of the lot the holder holds.
    function quantity(CustodyWord self) internal pure returns (uint32) {
        return uint32(uint256(CustodyWord.unwrap(self)));
    }

    /// @notice The unit index of the holder's latest decommission in the lot.
    function lastIndex(CustodyWord self) internal pure returns (uint32) {
        return uint32(uint256(CustodyWord.unwrap(self)) >> LAST_INDEX_OFFSET);
    }

    /// @notice When the latest decommission happened (unix seconds).
    function lastAt(CustodyWord self) internal pure returns (uint40) {
        return uint40(uint256(CustodyWord.unwrap(self)) >> LAST_AT_OFFSET);
    }

    /// @notice Why the latest decommission happened (None: none, or undone).
    function lastReason(CustodyWord self) internal pure returns (ISupplyTypes.DecommissionReason result) {
        // Only this library writes the byte, always from a DecommissionReason: no range check needed.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            result := and(shr(LAST_REASON_OFFSET, self), MASK_8_BITS)
        }
    }

    /// @notice The four decommissions before the latest, as lanes of `index + 1`.
    function earlier(CustodyWord self) internal pure returns (uint128) {
        return uint128(uint256(CustodyWord.unwrap(self)) >> EARLIER_OFFSET);
    }

    /// @notice The word with `amount` more units. The caller guarantees the sum fits in 32 bits.
    function credited(CustodyWord self, uint32 amount) internal pure returns (CustodyWord) {
        // All custody of a lot (holders + in transit) sums to at most its uint32 unit count, so the
        // addition never carries out of the quantity's 32 bits.
        unchecked {
            return CustodyWord.wrap(bytes32(uint256(CustodyWord.unwrap(self)) + amount));
        }
    }

    /// @notice The word with `amount` fewer units. The caller guarantees `amount` ≤ the quantity.
    function debited(CustodyWord self, uint32 amount) internal pure returns (CustodyWord) {
        // The caller checked amount <= quantity: no borrow out of the quantity's 32 bits.
        unchecked {
            return CustodyWord.wrap(bytes32(uint256(CustodyWord.unwrap(self)) - amount));
        }
    }

    /**
     * @notice The word after the holder decommissioned unit `index` for `reason` now: one unit fewer
     * (the caller guarantees the quantity is not zero), the latest decommission replaced, the previous
     * latest (if any) pushed into `earlier` as `index + 1`, the oldest lane dropped.
     */
    function decommissioned(
        CustodyWord self,
        uint32 index,
        ISupplyTypes.DecommissionReason reason
    ) internal view returns (CustodyWord result) {
        // In assembly for dispense's gas budget, on this library's offsets only. The caller checked the
        // quantity is at least one (no borrow); an index plus one fits in its 32-bit lane;
        // block time fits in the 40 bits of lastAt until the year 36812.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let lanes := shr(EARLIER_OFFSET, self)
            if and(shr(LAST_REASON_OFFSET, self), MASK_8_BITS) {
                lanes := and(
                    or(shl(LANE_BITS, lanes), add(and(shr(LAST_INDEX_OFFSET, self), MASK_32_BITS), 1)),
                    MASK_128_BITS
                )
            }
            result := or(
                or(sub(and(self, MASK_32_BITS), 1), shl(LAST_INDEX_OFFSET, index)),
                or(or(shl(LAST_AT_OFFSET, timestamp()), shl(LAST_REASON_OFFSET, reason)), shl(EARLIER_OFFSET, lanes))
            )
        }
    }

    /**
     * @notice The word after the holder undid its latest decommission: one unit more, no latest
     * decommission; the earlier ones stay (undo reaches only the latest, so they stand).
     */
    function undone(CustodyWord self) internal pure returns (CustodyWord) {
        uint256 word = uint256(CustodyWord.unwrap(self));
        // The decommission being undone decremented the quantity, so it fits in 32 bits again.
        unchecked {
            return
                CustodyWord.wrap(bytes32(((word & MASK_32_BITS) + 1) | ((word >> EARLIER_OFFSET) << EARLIER_OFFSET)));
        }
    }

    /**
     * @notice Whether unit `index` is one of the decommissions the word remembers (the latest, unless
     * undone, and the four before it).
     */
    function decommissionedBy(CustodyWord self, uint32 index) internal pure returns (bool) {
        uint256 word = uint256(CustodyWord.unwrap(self));
        if ((word >> LAST_REASON_OFFSET) & MASK_8_BITS != 0 && (word >> LAST_INDEX_OFFSET) & MASK_32_BITS == index) {
            return true;
        }
        uint256 lanes = word >> EARLIER_OFFSET;
        uint256 tag = uint256(index) + 1;
        for (uint256 lane = 0; lane < LANES; ++lane) {
            if ((lanes >> (lane * LANE_BITS)) & MASK_32_BITS == tag) return true;
        }
        return false;
    }

    /// @notice The word as the {ISupplyTypes.Custody} the views return.
    function toCustody(CustodyWord self) internal pure returns (ISupplyTypes.Custody memory) {
        return
            ISupplyTypes.Custody({
                quantity: quantity(self),
                lastIndex: lastIndex(self),
                lastAt: lastAt(self),
                lastReason: lastReason(self),
                earlier: earlier(self)
            });
    }
}
