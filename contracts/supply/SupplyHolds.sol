// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyHolds} from "../interfaces/supply/ISupplyHolds.sol";
import {Roles} from "../access/Roles.sol";
import {SupplyBase} from "./SupplyBase.sol";
import {LotId} from "./types/Ids.sol";
import {LotHeader} from "./types/LotHeader.sol";

/**
 * @title SupplyHolds
 * @notice Quarantine, release, recall, destruction and cold-chain excursions (see {ISupplyHolds}):
 * each is one write of the lot's header word, which every unit of the lot inherits.
 */
abstract contract SupplyHolds is ISupplyHolds, SupplyBase {
    /// @inheritdoc ISupplyHolds
    function quarantineLot(LotId lotId, bytes32 reasonHash) external {
        (LotState storage lot, bool regulator) = _authorisedLot(lotId);
        LotHeader header = lot.header;
        // A regulator may escalate a hold its manufacturer could lift; anything else needs an Active lot.
        bytes32 allowed = regulator && _manufacturerReleasable(header.holdOrigin()) ? _ACTIVE | _QUARANTINED : _ACTIVE;
        _checkStatus(lotId, header.status(), allowed);
        HoldOrigin origin = regulator ? HoldOrigin.Regulator : HoldOrigin.Manufacturer;
        lot.header = header.withStatus(LotStatus.Quarantined, origin);
        emit LotQuarantined(lotId, msg.sender, origin, reasonHash);
    }

    /// @inheritdoc ISupplyHolds
    function releaseLot(LotId lotId, bytes32 reasonHash) external {
        (LotState storage lot, bool regulator) = _authorisedLot(lotId);
        LotHeader header = lot.header;
        _checkStatus(lotId, header.status(), _QUARANTINED);
        HoldOrigin origin = header.holdOrigin();
        if (!regulator && !_manufacturerReleasable(origin)) revert LotReleaseUnauthorized(lotId, msg.sender, origin);
        lot.header = header.withStatus(LotStatus.Active, HoldOrigin.None);
        emit LotReleased(lotId, msg.sender, origin, reasonHash);
    }

    /// @inheritdoc ISupplyHolds
    function recallLot(LotId lotId, RecallClass recallClass, bytes32 reasonHash) external {
        (LotState storage lot, ) = _authorisedLot(lotId);
        LotHeader header = lot.header;
        _checkStatus(lotId, header.status(), _ACTIVE | _QUARANTINED);
        if (recallClass == RecallClass.None) revert LotInvalidRecallClass(recallClass);
        // A recall is stricter than any hold and never lifted: the hold's origin stays in the events.
        lot.header = header.recalled(recallClass);
        emit LotRecalled(lotId, msg.sender, recallClass, reasonHash);
    }

    /// @inheritdoc ISupplyHolds
    function destroyLot(LotId lotId, bytes32 eventHash) external {
        (LotState storage lot, ) = _authorisedLot(lotId);
        LotHeader header = lot.header;
        _checkStatus(lotId, header.status(), _ACTIVE | _QUARANTINED | _RECALLED);
        lot.header = header.withStatus(LotStatus.Destroyed, HoldOrigin.None);
        emit LotDestroyed(lotId, msg.sender, eventHash);
    }

    /// @inheritdoc ISupplyHolds
    function reportExcursion(LotId lotId, bytes32 attestationHash) external {
        LotState storage lot = _getSupplyStorage()._lots[lotId];
        LotHeader header = lot.header;
        LotStatus status = header.status();
        if (status == LotStatus.None) revert LotUnknown(lotId);
        if (
            !_isMember(Roles.SENSOR_ORACLE, msg.sender) &&
            !(_getSupplyStorage()._custody[lotId][msg.sender].word.quantity() > 0 &&
                registry().isActiveMember(msg.sender))
        ) revert MemberGatedUnauthorized(msg.sender, Roles.SENSOR_ORACLE);
        _checkStatus(lotId, status, _ACTIVE | _QUARANTINED | _RECALLED);
        emit ColdChainExcursion(lotId, msg.sender, attestationHash);
        if (status == LotStatus.Active) {
            lot.header = header.withStatus(LotStatus.Quarantined, HoldOrigin.ColdChain);
            emit LotQuarantined(lotId, msg.sender, HoldOrigin.ColdChain, attestationHash);
        }
    }

    /**
     * @dev The lot `lotId`, after checking it exists and the caller may govern it: its manufacturer
     * (while an active MANUFACTURER) or an active REGULATOR; `regulator` tells which.
     */
    function _authorisedLot(LotId lotId) private view returns (LotState storage lot, bool regulator) {
        lot = _getSupplyStorage()._lots[lotId];
        address manufacturer = lot.header.manufacturer();
        if (manufacturer == address(0)) revert LotUnknown(lotId);
        if (msg.sender == manufacturer) {
            if (_isMember(Roles.MANUFACTURER, msg.sender)) return (lot, false);
        } else {
            if (_isMember(Roles.REGULATOR, msg.sender)) return (lot, true);
            if (_isMember(Roles.MANUFACTURER, msg.sender)) {
                revert LotNotManufacturer(lotId, msg.sender, manufacturer);
            }
        }
        revert MemberGatedUnauthorized(msg.sender, Roles.MANUFACTURER);
    }
}
