// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ISupplyUnits} from "../interfaces/supply/ISupplyUnits.sol";
import {Roles} from "../access/Roles.sol";
import {SupplyBase} from "./SupplyBase.sol";
import {LotId} from "./types/Ids.sol";
import {LotHeader} from "./types/LotHeader.sol";
import {CustodyWord} from "./types/CustodyWord.sol";
import {UnitBitmap} from "./types/UnitBitmap.sol";

/**
 * @title SupplyUnits
 * @notice Unit verification, dispensing with alerts, other decommissions and their undo (see
 * {ISupplyUnits}). A decommission flips the unit's bit in its lot's bitmap and rewrites the holder's
 * custody word: two storage writes, whatever the lot's size.
 */
abstract contract SupplyUnits is ISupplyUnits, SupplyBase {
    using UnitBitmap for UnitBitmap.Bitmap;

    /// @inheritdoc ISupplyUnits
    uint256 public constant UNDO_WINDOW = 10 days;

    /// @inheritdoc ISupplyUnits
    function dispense(
        Unit calldata unit,
        bytes32[] calldata proof
    ) external onlyMember(Roles.DISPENSER) returns (UnitCheck answer) {
        LotId lotId;
        uint256 bits;
        // Custody is checked here rather than in {_verify} so that its word is read once for check and write;
        // the unit's bitmap word likewise comes back from the check for the write.
        (answer, lotId, bits) = _verify(unit, proof, address(0));
        uint32 index = unit.index;
        CustodyState storage custody = _getSupplyStorage()._custody[lotId][msg.sender];
        CustodyWord word = custody.word;
        if (answer == UnitCheck.Genuine) {
            if (word.quantity() != 0) {
                _getSupplyStorage()._decommissioned[lotId].setIn(index, bits);
                _decommission(lotId, index, DecommissionReason.Dispensed, custody, word);
                return answer;
            }
            answer = UnitCheck.NotInYourCustody;
        } else if (answer == UnitCheck.AlreadyDecommissioned && word.decommissionedBy(index)) {
            // The caller's own recent pack scanned again (the commonest counter mistake): not evidence of anything.
            return UnitCheck.AlreadyDecommissionedByYou;
        }
        // The leaf is hashed again only on this (rare) path, so that the genuine path returns no more than it needs.
        bytes32 leaf = _leafOf(unit);
        emit SuspectPackAlert(lotId, msg.sender, answer, index, leaf);
        // A counterfeit serial or a duplicate of a decommissioned pack puts the whole lot under investigation,
        // but only on the word of a custodian of the lot: anyone else's alert is evidence, not a hold.
        if (word.quantity() != 0) {
            if (answer == UnitCheck.UnknownSerial) _hold(lotId, HoldOrigin.CounterfeitAlert, leaf);
            else if (answer == UnitCheck.AlreadyDecommissioned) _hold(lotId, HoldOrigin.DuplicateAlert, leaf);
        }
    }

    /// @inheritdoc ISupplyUnits
    function decommission(Unit calldata unit, bytes32[] calldata proof, DecommissionReason reason) external {
        _checkTradingPartner(msg.sender);
        if (reason == DecommissionReason.None || reason == DecommissionReason.Dispensed)
            revert UnitInvalidReason(reason);
        (UnitCheck answer, LotId lotId, uint256 bits) = _verify(unit, proof, address(0));
        if (
            answer != UnitCheck.Genuine &&
            answer != UnitCheck.Recalled &&
            answer != UnitCheck.Quarantined &&
            answer != UnitCheck.Expired
        ) revert UnitNotGenuine(lotId, unit.index, answer);
        CustodyState storage custody = _getSupplyStorage()._custody[lotId][msg.sender];
        CustodyWord word = custody.word;
        if (word.quantity() == 0) revert CustodyInsufficient(lotId, msg.sender, 0, 1);
        _getSupplyStorage()._decommissioned[lotId].setIn(unit.index, bits);
        _decommission(lotId, unit.index, reason, custody, word);
    }

    /// @inheritdoc ISupplyUnits
    function undoDecommission(LotId lotId, uint32 index) external {
        _checkTradingPartner(msg.sender);
        CustodyState storage custody = _getSupplyStorage()._custody[lotId][msg.sender];
        CustodyWord word = custody.word;
        DecommissionReason lastReason = word.lastReason();
        if (lastReason == DecommissionReason.None || word.lastIndex() != index) {
            revert UnitNothingToUndo(lotId, msg.sender, index);
        }
        if (lastReason == DecommissionReason.Destroyed || lastReason == DecommissionReason.Stolen) {
            revert UnitInvalidReason(lastReason);
        }
        uint256 deadline = uint256(word.lastAt()) + UNDO_WINDOW;
        if (block.timestamp > deadline) revert UnitUndoWindowClosed(lotId, index, deadline);
        LotHeader header = _getSupplyStorage()._lots[lotId].header;
        _checkStatus(lotId, header.status(), _ACTIVE | _QUARANTINED);
        uint40 expiry = header.expiry();
        if (block.timestamp + 1 > expiry) revert LotExpired(lotId, expiry);
        _getSupplyStorage()._decommissioned[lotId].unset(index);
        custody.word = word.undone();
        emit UnitDecommissionUndone(lotId, index, msg.sender);
    }

    /// @inheritdoc ISupplyUnits
    function verifyUnit(
        Unit calldata unit,
        bytes32[] calldata proof,
        address holder
    ) external view returns (UnitCheck answer) {
        LotId lotId;
        (answer, lotId, ) = _verify(unit, proof, holder);
        if (
            answer == UnitCheck.AlreadyDecommissioned &&
            holder != address(0) &&
            _getSupplyStorage()._custody[lotId][holder].word.decommissionedBy(unit.index)
        ) answer = UnitCheck.AlreadyDecommissionedByYou;
    }

    /// @inheritdoc ISupplyUnits
    function isDecommissioned(LotId lotId, uint32 index) external view returns (bool) {
        return _getSupplyStorage()._decommissioned[lotId].get(index);
    }

    /// @inheritdoc ISupplyUnits
    function unitLeaf(Unit calldata unit) external pure returns (bytes32) {
        return _leafOf(unit);
    }

    /// @dev {_leaf} of `unit`'s fields.
    function _leafOf(Unit calldata unit) private pure returns (bytes32) {
        return _leaf(unit.index, unit.gtin, unit.serial, unit.lotNumber, unit.expiry);
    }

    /// @dev Takes unit `index` (its bit already set) out of the caller's `custody` (holding `word`), remembering it.
    function _decommission(
        LotId lotId,
        uint32 index,
        DecommissionReason reason,
        CustodyState storage custody,
        CustodyWord word
    ) private {
        // Callers checked that the actor holds at least one unit of the lot.
        custody.word = word.decommissioned(index, reason);
        emit UnitDecommissioned(lotId, msg.sender, index, reason);
    }

    /**
     * @dev The verification answer for `unit` (see {verifyUnit} for the order), its lot id and `bits`, the
     * word of the lot's {UnitBitmap} that holds the unit's bit (zero when the answer came before it).
     * `holder` zero skips the custody check.
     */
    function _verify(
        Unit calldata unit,
        bytes32[] calldata proof,
        address holder
    ) private view returns (UnitCheck, LotId lotId, uint256 bits) {
        // Each field is decoded from calldata once.
        uint64 gtin = unit.gtin;
        uint32 index = unit.index;
        uint40 unitExpiry = unit.expiry;
        string calldata lotNumber = unit.lotNumber;
        lotId = _lotId(gtin, lotNumber);
        bytes32 leaf = _leaf(index, gtin, unit.serial, lotNumber, unitExpiry);
        LotState storage lot = _getSupplyStorage()._lots[lotId];
        // The header read once: status, unit count and expiry come from the same word.
        LotHeader header = lot.header;
        LotStatus status = header.status();
        if (status == LotStatus.None) {
            bool known = _getSupplyStorage()._products[gtin].manufacturer != address(0);
            return (known ? UnitCheck.UnknownLot : UnitCheck.UnknownProduct, lotId, 0);
        }
        // A unit whose expiry is not the lot's has a leaf outside the root: no separate comparison needed.
        // solhint-disable-next-line gas-strict-inequalities
        if (index >= header.unitCount() || !MerkleProof.verifyCalldata(proof, lot.serialsRoot, leaf)) {
            return (UnitCheck.UnknownSerial, lotId, 0);
        }
        bits = _getSupplyStorage()._decommissioned[lotId].wordOf(index);
        if (UnitBitmap.isSetIn(bits, index)) return (UnitCheck.AlreadyDecommissioned, lotId, bits);
        if (status != LotStatus.Active) {
            if (status == LotStatus.Destroyed) return (UnitCheck.LotDestroyed, lotId, bits);
            if (status == LotStatus.Recalled) return (UnitCheck.Recalled, lotId, bits);
            return (UnitCheck.Quarantined, lotId, bits);
        }
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp >= header.expiry()) return (UnitCheck.Expired, lotId, bits);
        if (holder != address(0) && _holdsNone(lotId, holder)) return (UnitCheck.NotInYourCustody, lotId, bits);
        return (UnitCheck.Genuine, lotId, bits);
    }

    /// @dev Whether `holder` has no unit of `lotId` in custody (its own function: fewer stack slots in {_verify}).
    function _holdsNone(LotId lotId, address holder) private view returns (bool) {
        return _getSupplyStorage()._custody[lotId][holder].word.quantity() == 0;
    }

    /**
     * @dev The StandardMerkleTree leaf: keccak256(keccak256(abi.encode(index, gtin, serial, lotNumber, expiry))).
     * Assembly to hash straight from calldata (part of fitting dispense in its gas budget); the tests
     * compare it with the SDK and StandardMerkleTree.
     */
    function _leaf(
        uint32 index,
        uint64 gtin,
        string calldata serial,
        string calldata lotNumber,
        uint40 expiry
    ) private pure returns (bytes32 leaf) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let serialLen := serial.length
            let serialPadded := and(add(serialLen, 31), not(31))
            let lotLen := lotNumber.length
            let lotPadded := and(add(lotLen, 31), not(31))
            // Head: index, gtin, offset of serial (5 words), offset of lot, expiry.
            mstore(ptr, index)
            mstore(add(ptr, 0x20), gtin)
            mstore(add(ptr, 0x40), 0xa0)
            let lotAt := add(0xc0, serialPadded)
            mstore(add(ptr, 0x60), lotAt)
            mstore(add(ptr, 0x80), expiry)
            // Tail: serial length and bytes, then lot length and bytes, each zero-padded to a word.
            mstore(add(ptr, 0xa0), serialLen)
            mstore(add(ptr, add(0xa0, serialPadded)), 0)
            calldatacopy(add(ptr, 0xc0), serial.offset, serialLen)
            mstore(add(ptr, lotAt), lotLen)
            mstore(add(ptr, add(lotAt, lotPadded)), 0)
            calldatacopy(add(ptr, add(lotAt, 0x20)), lotNumber.offset, lotLen)
            mstore(0, keccak256(ptr, add(add(lotAt, 0x20), lotPadded)))
            leaf := keccak256(0, 0x20)
        }
    }
}
