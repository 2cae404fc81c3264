// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyLots} from "../interfaces/supply/ISupplyLots.sol";
import {Roles} from "../access/Roles.sol";
import {GS1} from "../libraries/GS1.sol";
import {SupplyBase} from "./SupplyBase.sol";
import {LotId} from "./types/Ids.sol";
import {LotHeaderLibrary} from "./types/LotHeader.sol";
import {CustodyWord} from "./types/CustodyWord.sol";

/**
 * @title SupplyLots
 * @notice Products and lots (see {ISupplyLots}): a lot is one header word and its serials root, the
 * same whatever its unit count.
 */
abstract contract SupplyLots is ISupplyLots, SupplyBase {
    /// @dev GS1 AI (10) batch/lot number: up to 20 characters.
    uint256 private constant MAX_LOT_NUMBER_LENGTH = 20;

    /// @inheritdoc ISupplyLots
    function registerProduct(uint64 gtin, bytes32 metadataHash) external onlyMember(Roles.MANUFACTURER) {
        if (!GS1.isValidGTIN(gtin)) revert ProductInvalidGTIN(gtin);
        Product storage product = _getSupplyStorage()._products[gtin];
        address registered = product.manufacturer;
        if (registered != address(0)) revert ProductAlreadyRegistered(gtin, registered);
        product.manufacturer = msg.sender;
        product.metadataHash = metadataHash;
        emit ProductRegistered(gtin, msg.sender, metadataHash);
    }

    /// @inheritdoc ISupplyLots
    function commissionLot(
        uint64 gtin,
        string calldata lotNumber,
        uint40 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 eventHash
    ) external onlyMember(Roles.MANUFACTURER) returns (LotId lotId) {
        address manufacturer = _getSupplyStorage()._products[gtin].manufacturer;
        if (manufacturer == address(0)) revert ProductUnknown(gtin);
        if (manufacturer != msg.sender) revert ProductNotManufacturer(gtin, msg.sender, manufacturer);
        uint256 length = bytes(lotNumber).length;
        if (length == 0 || length > MAX_LOT_NUMBER_LENGTH) revert LotInvalidNumber(lotNumber);
        if (expiry < block.timestamp + 1) revert LotInvalidExpiry(expiry, block.timestamp);
        if (unitCount == 0) revert LotInvalidUnitCount(unitCount);
        if (serialsRoot == bytes32(0)) revert LotZeroSerialsRoot();
        lotId = _lotId(gtin, lotNumber);
        LotState storage lot = _getSupplyStorage()._lots[lotId];
        if (lot.header.status() != LotStatus.None) revert LotAlreadyCommissioned(lotId);
        lot.header = LotHeaderLibrary.commissioned(msg.sender, expiry, unitCount);
        lot.serialsRoot = serialsRoot;
        // A new lot has no custody yet: the manufacturer's word is its whole unit count.
        _getSupplyStorage()._custody[lotId][msg.sender].word = CustodyWord.wrap(0).credited(unitCount);
        emit LotCommissioned(lotId, gtin, msg.sender, lotNumber, expiry, unitCount, serialsRoot, eventHash);
    }

    /// @inheritdoc ISupplyLots
    function productOf(uint64 gtin) external view returns (Product memory) {
        return _getSupplyStorage()._products[gtin];
    }

    /// @inheritdoc ISupplyLots
    function lotOf(LotId lotId) external view returns (Lot memory) {
        LotState storage lot = _getSupplyStorage()._lots[lotId];
        return lot.header.toLot(lot.serialsRoot);
    }

    /// @inheritdoc ISupplyLots
    function lotIdOf(uint64 gtin, string calldata lotNumber) external pure returns (LotId) {
        return _lotId(gtin, lotNumber);
    }
}
