// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "../../interfaces/supply/ISupplyTypes.sol";

/**
 * @notice A lot's header: one storage word read by every check of the lot (as Uniswap v4's `Slot0`).
 * Bits 0-159 manufacturer, 160-199 expiry, 200-231 unit count, 232-239 {ISupplyTypes.LotStatus},
 * 240-247 {ISupplyTypes.RecallClass}, 248-255 {ISupplyTypes.HoldOrigin}. {LotHeaderLibrary} is the only
 * code that knows these offsets: every writer and reader of the word goes through it.
 */
type LotHeader is bytes32;

using LotHeaderLibrary for LotHeader global;

/// @title LotHeaderLibrary
/// @notice The offsets of a {LotHeader} and its accessors.
library LotHeaderLibrary {
    uint256 internal constant EXPIRY_OFFSET = 160;
    uint256 internal constant UNIT_COUNT_OFFSET = 200;
    uint256 internal constant STATUS_OFFSET = 232;
    uint256 internal constant RECALL_CLASS_OFFSET = 240;
    uint256 internal constant HOLD_ORIGIN_OFFSET = 248;

    uint256 internal constant MASK_8_BITS = 0xff;
    /// @dev Everything but the status, recall class and hold origin.
    uint256 internal constant STATE_MASK = (1 << STATUS_OFFSET) - 1;

    /// @notice The header of a lot just commissioned: Active, no recall class, no hold.
    function commissioned(address manufacturer_, uint40 expiry_, uint32 unitCount_) internal pure returns (LotHeader) {
        return
            LotHeader.wrap(
                bytes32(
                    uint256(uint160(manufacturer_)) |
                        (uint256(expiry_) << EXPIRY_OFFSET) |
                        (uint256(unitCount_) << UNIT_COUNT_OFFSET) |
                        (uint256(ISupplyTypes.LotStatus.Active) << STATUS_OFFSET)
                )
            );
    }

    /// @notice The lot's manufacturer (zero: no such lot).
    function manufacturer(LotHeader self) internal pure returns (address) {
        return address(uint160(uint256(LotHeader.unwrap(self))));
    }

    /// @notice The lot's expiry: the first second (unix time) at which its packs are expired.
    function expiry(LotHeader self) internal pure returns (uint40) {
        return uint40(uint256(LotHeader.unwrap(self)) >> EXPIRY_OFFSET);
    }

    /// @notice How many units the lot's serials root commits to.
    function unitCount(LotHeader self) internal pure returns (uint32) {
        return uint32(uint256(LotHeader.unwrap(self)) >> UNIT_COUNT_OFFSET);
    }

    /// @notice The lot's status (None: no such lot).
    function status(LotHeader self) internal pure returns (ISupplyTypes.LotStatus result) {
        // Only this library writes the byte, always from a LotStatus: no range check needed.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            result := and(shr(STATUS_OFFSET, self), MASK_8_BITS)
        }
    }

    /// @notice The recall class (None unless Recalled).
    function recallClass(LotHeader self) internal pure returns (ISupplyTypes.RecallClass result) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            result := and(shr(RECALL_CLASS_OFFSET, self), MASK_8_BITS)
        }
    }

    /// @notice Who or what imposed the current hold (None unless Quarantined).
    function holdOrigin(LotHeader self) internal pure returns (ISupplyTypes.HoldOrigin result) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            result := shr(HOLD_ORIGIN_OFFSET, self)
        }
    }

    /// @notice The header with status `status_` and hold origin `origin`, recall class unchanged.
    function withStatus(
        LotHeader self,
        ISupplyTypes.LotStatus status_,
        ISupplyTypes.HoldOrigin origin
    ) internal pure returns (LotHeader) {
        uint256 word = uint256(LotHeader.unwrap(self));
        word =
            (word & ~((MASK_8_BITS << STATUS_OFFSET) | (MASK_8_BITS << HOLD_ORIGIN_OFFSET))) |
            (uint256(status_) << STATUS_OFFSET) |
            (uint256(origin) << HOLD_ORIGIN_OFFSET);
        return LotHeader.wrap(bytes32(word));
    }

    /// @notice The header of the lot recalled with `class_`: status Recalled, no hold.
    function recalled(LotHeader self, ISupplyTypes.RecallClass class_) internal pure returns (LotHeader) {
        return
            LotHeader.wrap(
                bytes32(
                    (uint256(LotHeader.unwrap(self)) & STATE_MASK) |
                        (uint256(ISupplyTypes.LotStatus.Recalled) << STATUS_OFFSET) |
                        (uint256(class_) << RECALL_CLASS_OFFSET)
                )
            );
    }

    /// @notice The header as the {ISupplyTypes.Lot} the views return, with the lot's `serialsRoot`.
    function toLot(LotHeader self, bytes32 serialsRoot) internal pure returns (ISupplyTypes.Lot memory) {
        return
            ISupplyTypes.Lot({
                manufacturer: manufacturer(self),
                expiry: expiry(self),
                unitCount: unitCount(self),
                status: status(self),
                recallClass: recallClass(self),
                holdOrigin: holdOrigin(self),
                serialsRoot: serialsRoot
            });
    }
}
