// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "../interfaces/supply/ISupplyTypes.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Roles} from "../access/Roles.sol";
import {LotId, ShipmentId} from "./types/Ids.sol";
import {LotHeader} from "./types/LotHeader.sol";
import {CustodyWord} from "./types/CustodyWord.sol";
import {UnitBitmap} from "./types/UnitBitmap.sol";

/**
 * @title SupplyBase
 * @notice The storage every supply module shares, and the checks more than one of them makes. The
 * modules ({SupplyLots}, {SupplyCustody}, {SupplyUnits}, {SupplyHolds}) are siblings over it.
 * @dev Storage per lot: one {LotHeader} word and the serials root; per (lot, holder): one {CustodyWord};
 * per shipment in transit: one flag; per 256 units: one {UnitBitmap} word, written only when a unit is
 * decommissioned. Every check is O(1). The packed words are read and written only through their
 * libraries; the structs of {ISupplyTypes} are what the views return.
 */
abstract contract SupplyBase is ISupplyTypes, MemberGated {
    /// @dev A lot in storage: the header word, then the serials root.
    struct LotState {
        LotHeader header;
        bytes32 serialsRoot;
    }

    /// @dev A custody in storage: its word behind a storage pointer, so that a read and the write after it
    /// compute the mapping slot once.
    struct CustodyState {
        CustodyWord word;
    }

    /// @dev Allowed-status sets ({LotUnexpectedStatus}): bit `uint8(status)` per status.
    bytes32 internal constant _ACTIVE = bytes32(uint256(1) << uint8(LotStatus.Active));
    bytes32 internal constant _QUARANTINED = bytes32(uint256(1) << uint8(LotStatus.Quarantined));
    bytes32 internal constant _RECALLED = bytes32(uint256(1) << uint8(LotStatus.Recalled));

    /**
     * @dev The whole of the supply domain's state, in one ERC-7201 namespace so that upgrades can append
     * to it and no inherited contract can collide with it. The modules are parts of one contract over
     * this storage, as ENS's resolver profiles share ResolverBase's; the packed words are still read
     * and written only through their libraries. Append new fields at the end, never reorder.
     * @custom:storage-location erc7201:carechain.storage.Supply
     */
    struct SupplyStorage {
        mapping(uint64 gtin => Product) _products;
        mapping(LotId lotId => LotState) _lots;
        mapping(LotId lotId => mapping(address holder => CustodyState)) _custody;
        mapping(ShipmentId shipmentId => bool) _inTransit;
        /// @dev Decommissioned units: bit `index % 256` of word `index / 256` (read once, written once per dispense).
        mapping(LotId lotId => UnitBitmap.Bitmap) _decommissioned;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("carechain.storage.Supply")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SUPPLY_STORAGE_LOCATION =
        0x896fc38636d5b9b8952a92923d054e465f79886d2b70fdeb0af415c6633d7000;

    /**
     * @dev Puts lot `lotId` on hold with `origin` (a regulator-only origin), or escalates a hold its
     * manufacturer could lift to `origin`; a recalled, destroyed or already regulator-held lot is unchanged.
     */
    function _hold(LotId lotId, HoldOrigin origin, bytes32 reasonHash) internal {
        LotState storage lot = _getSupplyStorage()._lots[lotId];
        LotHeader header = lot.header;
        LotStatus status = header.status();
        if (
            status == LotStatus.Active ||
            (status == LotStatus.Quarantined && _manufacturerReleasable(header.holdOrigin()))
        ) {
            lot.header = header.withStatus(LotStatus.Quarantined, origin);
            emit LotQuarantined(lotId, msg.sender, origin, reasonHash);
        }
    }

    /// @dev Reverts with {MemberGatedUnauthorized} (naming WHOLESALER) unless `account` is a trading partner.
    function _checkTradingPartner(address account) internal view {
        if (!_isTradingPartner(account)) revert MemberGatedUnauthorized(account, Roles.WHOLESALER);
    }

    /// @dev Whether `account` is an active WHOLESALER, MANUFACTURER or DISPENSER (at most three registry reads).
    function _isTradingPartner(address account) internal view returns (bool) {
        return
            _isMember(Roles.WHOLESALER, account) ||
            _isMember(Roles.MANUFACTURER, account) ||
            _isMember(Roles.DISPENSER, account);
    }

    /**
     * @dev Reverts unless `status` is in the set `allowed` (bits of {LotStatus}): {LotUnknown} for a lot
     * that does not exist, else {LotUnexpectedStatus} naming the set.
     */
    function _checkStatus(LotId lotId, LotStatus status, bytes32 allowed) internal pure {
        if (allowed & _statusBit(status) == 0) {
            if (status == LotStatus.None) revert LotUnknown(lotId);
            revert LotUnexpectedStatus(lotId, status, allowed);
        }
    }

    /// @dev The set holding only `status`.
    function _statusBit(LotStatus status) internal pure returns (bytes32) {
        return bytes32(uint256(1) << uint8(status));
    }

    /// @dev Whether a hold of `origin` may be lifted by the lot's manufacturer (its own hold, cold chain).
    function _manufacturerReleasable(HoldOrigin origin) internal pure returns (bool) {
        return origin == HoldOrigin.Manufacturer || origin == HoldOrigin.ColdChain;
    }

    /**
     * @dev keccak256(abi.encode(gtin, lotNumber)) — mirrored by the SDK's lotIdOf. Written in assembly to
     * hash straight from calldata (part of fitting dispense in its gas budget); a test checks it against
     * abi.encode for random inputs.
     */
    function _lotId(uint64 gtin, string calldata lotNumber) internal pure returns (LotId id) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let len := lotNumber.length
            let padded := and(add(len, 31), not(31))
            mstore(ptr, gtin)
            mstore(add(ptr, 0x20), 0x40)
            mstore(add(ptr, 0x40), len)
            // Zero the last word first: calldatacopy leaves its padding bytes untouched.
            mstore(add(ptr, add(0x40, padded)), 0)
            calldatacopy(add(ptr, 0x60), lotNumber.offset, len)
            id := keccak256(ptr, add(0x60, padded))
        }
    }

    /// @dev The domain's namespaced storage ({SupplyStorage}).
    function _getSupplyStorage() internal pure returns (SupplyStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := SUPPLY_STORAGE_LOCATION
        }
    }
}
