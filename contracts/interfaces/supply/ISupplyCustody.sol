// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "./ISupplyTypes.sol";
import {LotId, ShipmentId} from "../../supply/types/Ids.sol";

/**
 * @title ISupplyCustody
 * @notice Two-phase custody between trading partners: ship, then receive or reject; cancel a
 * shipment its recipient cannot receive (part of {ISupplyChain}). A shipment is stored as its id
 * only: the receiver presents its fields again, which the contract hashes.
 */
interface ISupplyCustody is ISupplyTypes {
    /// @notice `quantity` units of the lot left `from` for `to` (in transit); `eventHash` is the EPCIS shipping event.
    event ShipmentSent(
        LotId indexed lotId,
        address indexed from,
        address indexed to,
        ShipmentId shipmentId,
        uint32 quantity,
        bytes32 eventHash
    );
    /// @notice The recipient `to` took custody of shipment `shipmentId`; `eventHash` is the EPCIS receiving event.
    event ShipmentReceived(LotId indexed lotId, ShipmentId indexed shipmentId, address indexed to, bytes32 eventHash);
    /// @notice The recipient `to` refused shipment `shipmentId`; its quantity went back to the sender.
    event ShipmentRejected(LotId indexed lotId, ShipmentId indexed shipmentId, address indexed to, bytes32 eventHash);
    /**
     * @notice The sender `from` cancelled shipment `shipmentId` to `to`, who could not receive it (suspended or
     * without a trading role); its quantity went back to `from`. `eventHash` is the EPCIS event of the return.
     */
    event ShipmentCancelled(
        LotId indexed lotId,
        ShipmentId indexed shipmentId,
        address indexed from,
        address to,
        bytes32 eventHash
    );

    /// @notice A shipment needs a quantity of at least one.
    error ShipmentInvalidQuantity(uint32 quantity);
    /// @notice `to` is not an active member, or is the sender.
    error ShipmentInvalidRecipient(address to);
    /// @notice The same shipment (same fields and event hash) is already in transit.
    error ShipmentAlreadyInTransit(ShipmentId shipmentId);
    /// @notice No shipment with this id is in transit (never sent, already received or rejected, or not to the caller).
    error ShipmentNotInTransit(ShipmentId shipmentId);
    /// @notice `to` is an active trading partner, so it can receive or reject shipment `shipmentId` itself.
    error ShipmentRecipientCanReceive(ShipmentId shipmentId, address to);

    /**
     * @notice Ships `quantity` units of lot `lotId` from the caller's custody to `to` (in transit).
     * Requirements: caller is an active trading partner (error names WHOLESALER); the lot is Active;
     * `to` is another active member (it needs a trading-partner role to receive or reject: a shipment
     * to a member without one stays in transit, visible in the events, until the registrar grants it
     * a role); `quantity` > 0 and ≤ the caller's custody; the same
     * shipment (same fields and event hash) is not already in transit.
     * Emits {ShipmentSent}.
     * @return shipmentId {shipmentIdOf}(lotId, caller, to, quantity, eventHash).
     */
    function ship(LotId lotId, address to, uint32 quantity, bytes32 eventHash) external returns (ShipmentId shipmentId);

    /**
     * @notice Takes custody of a shipment to the caller, identified by its fields.
     * Allowed whatever the lot's status: custody of recalled or quarantined product must stay known.
     * Requirements: caller is an active trading partner (error names WHOLESALER); the shipment
     * (lotId, from, caller, quantity, shipEventHash) is in transit.
     * Emits {ShipmentReceived}.
     */
    function receiveShipment(
        LotId lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external;

    /**
     * @notice Refuses a shipment to the caller: its quantity returns to the sender's custody.
     * Requirements: as {receiveShipment}.
     * Emits {ShipmentRejected}.
     */
    function rejectShipment(
        LotId lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external;

    /**
     * @notice Sender's cancellation of a shipment its recipient cannot receive (the recipient was suspended,
     * lost its trading role, or never had one): the quantity returns to the caller's custody.
     * Allowed whatever the lot's status. There is no cancellation after a timeout: a recipient that can
     * act may physically hold the goods, and only it says whether they arrived (receive or reject).
     * Requirements: caller is an active trading partner (error names WHOLESALER); the shipment (lotId,
     * caller, `to`, quantity, shipEventHash) is in transit; `to` is not an active trading partner.
     * Emits {ShipmentCancelled}.
     */
    function cancelShipment(
        LotId lotId,
        address to,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external;

    /// @notice `holder`'s custody of lot `lotId`.
    function custodyOf(LotId lotId, address holder) external view returns (Custody memory);

    /// @notice Whether shipment `shipmentId` is in transit.
    function isInTransit(ShipmentId shipmentId) external view returns (bool);

    /// @notice The id of a shipment: `keccak256(abi.encode(lotId, from, to, quantity, eventHash))`.
    function shipmentIdOf(
        LotId lotId,
        address from,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) external pure returns (ShipmentId);
}
