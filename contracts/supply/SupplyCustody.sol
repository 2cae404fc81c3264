// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyCustody} from "../interfaces/supply/ISupplyCustody.sol";
import {SupplyBase} from "./SupplyBase.sol";
import {LotId, ShipmentId} from "./types/Ids.sol";
import {CustodyWord} from "./types/CustodyWord.sol";

/**
 * @title SupplyCustody
 * @notice Two-phase custody (see {ISupplyCustody}): a shipment is one in-transit flag under an id that
 * commits to its fields.
 */
abstract contract SupplyCustody is ISupplyCustody, SupplyBase {
    /// @inheritdoc ISupplyCustody
    function ship(
        LotId lotId,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) external returns (ShipmentId shipmentId) {
        _checkTradingPartner(msg.sender);
        if (quantity == 0) revert ShipmentInvalidQuantity(quantity);
        _checkStatus(lotId, _getSupplyStorage()._lots[lotId].header.status(), _ACTIVE);
        // The recipient's trading role is checked when it receives; here only that it is an active member
        // (one registry read instead of up to three: keeps every ship path within its 75,000 gas budget).
        if (to == msg.sender || !registry().isActiveMember(to)) revert ShipmentInvalidRecipient(to);
        CustodyState storage custody = _getSupplyStorage()._custody[lotId][msg.sender];
        CustodyWord word = custody.word;
        uint32 held = word.quantity();
        if (held < quantity) revert CustodyInsufficient(lotId, msg.sender, held, quantity);
        shipmentId = _shipmentId(lotId, msg.sender, to, quantity, eventHash);
        if (_getSupplyStorage()._inTransit[shipmentId]) revert ShipmentAlreadyInTransit(shipmentId);
        custody.word = word.debited(quantity);
        _getSupplyStorage()._inTransit[shipmentId] = true;
        emit ShipmentSent(lotId, msg.sender, to, shipmentId, quantity, eventHash);
    }

    /// @inheritdoc ISupplyCustody
    function receiveShipment(
        LotId lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external {
        ShipmentId shipmentId = _closeShipment(lotId, from, quantity, shipEventHash);
        _credit(lotId, msg.sender, quantity);
        emit ShipmentReceived(lotId, shipmentId, msg.sender, eventHash);
    }

    /// @inheritdoc ISupplyCustody
    function rejectShipment(
        LotId lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external {
        ShipmentId shipmentId = _closeShipment(lotId, from, quantity, shipEventHash);
        _credit(lotId, from, quantity);
        emit ShipmentRejected(lotId, shipmentId, msg.sender, eventHash);
    }

    /// @inheritdoc ISupplyCustody
    function cancelShipment(
        LotId lotId,
        address to,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external {
        _checkTradingPartner(msg.sender);
        ShipmentId shipmentId = _shipmentId(lotId, msg.sender, to, quantity, shipEventHash);
        if (!_getSupplyStorage()._inTransit[shipmentId]) revert ShipmentNotInTransit(shipmentId);
        // Only a recipient that cannot act (suspended, no trading role) leaves its shipment to the sender.
        if (_isTradingPartner(to)) revert ShipmentRecipientCanReceive(shipmentId, to);
        delete _getSupplyStorage()._inTransit[shipmentId];
        _credit(lotId, msg.sender, quantity);
        emit ShipmentCancelled(lotId, shipmentId, msg.sender, to, eventHash);
    }

    /// @inheritdoc ISupplyCustody
    function custodyOf(LotId lotId, address holder) external view returns (Custody memory) {
        return _getSupplyStorage()._custody[lotId][holder].word.toCustody();
    }

    /// @inheritdoc ISupplyCustody
    function isInTransit(ShipmentId shipmentId) external view returns (bool) {
        return _getSupplyStorage()._inTransit[shipmentId];
    }

    /// @inheritdoc ISupplyCustody
    function shipmentIdOf(
        LotId lotId,
        address from,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) external pure returns (ShipmentId) {
        return _shipmentId(lotId, from, to, quantity, eventHash);
    }

    /// @dev Closes an in-transit shipment addressed to the caller (receive or reject) and returns its id.
    function _closeShipment(
        LotId lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash
    ) private returns (ShipmentId shipmentId) {
        _checkTradingPartner(msg.sender);
        shipmentId = _shipmentId(lotId, from, msg.sender, quantity, shipEventHash);
        if (!_getSupplyStorage()._inTransit[shipmentId]) revert ShipmentNotInTransit(shipmentId);
        // Cleared rather than marked: the id commits to its fields, the events keep the history.
        delete _getSupplyStorage()._inTransit[shipmentId];
    }

    /// @dev Adds `quantity` units of the lot to `holder`'s custody.
    function _credit(LotId lotId, address holder, uint32 quantity) private {
        CustodyState storage custody = _getSupplyStorage()._custody[lotId][holder];
        custody.word = custody.word.credited(quantity);
    }

    /// @dev keccak256(abi.encode(lotId, from, to, quantity, eventHash)) — mirrored by the SDK's shipmentIdOf.
    function _shipmentId(
        LotId lotId,
        address from,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) private pure returns (ShipmentId) {
        return ShipmentId.wrap(keccak256(abi.encode(lotId, from, to, quantity, eventHash)));
    }
}
