// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ISupplyChain} from "../interfaces/ISupplyChain.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Roles} from "../access/Roles.sol";
import {GS1} from "../libraries/GS1.sol";

/**
 * @title SupplyChain
 * @notice Carechain drug traceability: GS1 products and lots, Merkle-committed serials, two-phase
 * custody, verify-and-dispense with alerts, quarantine, cold chain and recall. See {ISupplyChain}.
 * @dev Storage per lot: one packed slot (manufacturer, expiry, unit count, status, recall class, hold origin) and
 * the serials root; per (lot, holder): one packed {Custody} slot; per shipment in transit: one flag;
 * per 256 units: one bitmap word, written only when a unit is decommissioned. Every check is O(1).
 */
contract SupplyChain is ISupplyChain, MemberGated {
    /// @inheritdoc ISupplyChain
    uint256 public constant UNDO_WINDOW = 10 days;

    /// @dev GS1 AI (10) batch/lot number: up to 20 characters.
    uint256 private constant MAX_LOT_NUMBER_LENGTH = 20;

    mapping(uint64 gtin => Product) private _products;
    mapping(bytes32 lotId => Lot) private _lots;
    mapping(bytes32 lotId => mapping(address holder => Custody)) private _custody;
    mapping(bytes32 shipmentId => bool) private _inTransit;
    /// @dev Decommissioned units: bit `index % 256` of word `index / 256` (read once, written once per dispense).
    mapping(bytes32 lotId => mapping(uint256 word => uint256 bits)) private _decommissioned;

    constructor(IMemberRegistry registry_) MemberGated(registry_) {}

    /// @inheritdoc ISupplyChain
    function registerProduct(uint64 gtin, bytes32 metadataHash) external onlyMember(Roles.MANUFACTURER) {
        if (!GS1.isValidGTIN(gtin)) revert ProductInvalidGTIN(gtin);
        address registered = _products[gtin].manufacturer;
        if (registered != address(0)) revert ProductAlreadyRegistered(gtin, registered);
        _products[gtin] = Product({manufacturer: msg.sender, metadataHash: metadataHash});
        emit ProductRegistered(gtin, msg.sender, metadataHash);
    }

    /// @inheritdoc ISupplyChain
    function commissionLot(
        uint64 gtin,
        string calldata lotNumber,
        uint40 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 eventHash
    ) external onlyMember(Roles.MANUFACTURER) returns (bytes32 lotId) {
        address manufacturer = _products[gtin].manufacturer;
        if (manufacturer == address(0)) revert ProductUnknown(gtin);
        if (manufacturer != msg.sender) revert ProductNotManufacturer(gtin, msg.sender, manufacturer);
        uint256 length = bytes(lotNumber).length;
        if (length == 0 || length > MAX_LOT_NUMBER_LENGTH) revert LotInvalidNumber(lotNumber);
        if (expiry < block.timestamp + 1) revert LotInvalidExpiry(expiry, block.timestamp);
        if (unitCount == 0) revert LotInvalidUnitCount(unitCount);
        if (serialsRoot == bytes32(0)) revert LotZeroSerialsRoot();
        lotId = _lotId(gtin, lotNumber);
        Lot storage lot = _lots[lotId];
        if (lot.status != LotStatus.None) revert LotAlreadyCommissioned(lotId);
        lot.manufacturer = msg.sender;
        lot.expiry = expiry;
        lot.unitCount = unitCount;
        lot.status = LotStatus.Active;
        lot.serialsRoot = serialsRoot;
        _custody[lotId][msg.sender].quantity = unitCount;
        emit LotCommissioned(lotId, gtin, msg.sender, lotNumber, expiry, unitCount, serialsRoot, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function ship(bytes32 lotId, address to, uint32 quantity, bytes32 eventHash) external returns (bytes32 shipmentId) {
        _checkTradingPartner(msg.sender);
        if (quantity == 0) revert ShipmentInvalidQuantity(quantity);
        LotStatus status = _lots[lotId].status;
        if (status != LotStatus.Active) _revertStatus(lotId, status);
        // The recipient's trading role is checked when it receives; here only that it is an active member
        // (one registry read instead of up to three: keeps every ship path within its 75,000 gas budget).
        if (to == msg.sender || !registry().isActiveMember(to)) revert ShipmentInvalidRecipient(to);
        Custody storage custody = _custody[lotId][msg.sender];
        uint32 held = custody.quantity;
        if (held < quantity) revert CustodyInsufficient(lotId, msg.sender, held, quantity);
        shipmentId = _shipmentId(lotId, msg.sender, to, quantity, eventHash);
        if (_inTransit[shipmentId]) revert ShipmentAlreadyInTransit(shipmentId);
        // held >= quantity was checked just above.
        unchecked {
            custody.quantity = held - quantity;
        }
        _inTransit[shipmentId] = true;
        emit ShipmentSent(lotId, msg.sender, to, shipmentId, quantity, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function receiveShipment(
        bytes32 lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external {
        bytes32 shipmentId = _closeShipment(lotId, from, quantity, shipEventHash);
        _credit(lotId, msg.sender, quantity);
        emit ShipmentReceived(lotId, shipmentId, msg.sender, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function rejectShipment(
        bytes32 lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external {
        bytes32 shipmentId = _closeShipment(lotId, from, quantity, shipEventHash);
        _credit(lotId, from, quantity);
        emit ShipmentRejected(lotId, shipmentId, msg.sender, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function cancelShipment(
        bytes32 lotId,
        address to,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external {
        _checkTradingPartner(msg.sender);
        bytes32 shipmentId = _shipmentId(lotId, msg.sender, to, quantity, shipEventHash);
        if (!_inTransit[shipmentId]) revert ShipmentNotInTransit(shipmentId);
        // Only a recipient that cannot act (suspended, no trading role) leaves its shipment to the sender.
        if (_isTradingPartner(to)) revert ShipmentRecipientCanReceive(shipmentId, to);
        delete _inTransit[shipmentId];
        _credit(lotId, msg.sender, quantity);
        emit ShipmentCancelled(lotId, shipmentId, msg.sender, to, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function dispense(
        Unit calldata unit,
        bytes32[] calldata proof
    ) external onlyMember(Roles.DISPENSER) returns (UnitCheck answer) {
        bytes32 lotId;
        bytes32 leaf;
        // Custody is checked here rather than in {_verify} so that its slot is read once for check and write.
        (answer, lotId, leaf) = _verify(unit, proof, address(0));
        uint32 index = unit.index;
        Custody storage custody = _custody[lotId][msg.sender];
        uint256 word = _load(custody);
        uint256 held = uint32(word);
        if (answer == UnitCheck.Genuine) {
            if (held != 0) {
                _decommission(lotId, index, DecommissionReason.Dispensed, custody, word);
                return answer;
            }
            answer = UnitCheck.NotInYourCustody;
        } else if (answer == UnitCheck.AlreadyDecommissioned && _decommissionedBy(word, index)) {
            // The caller's own recent pack scanned again (the commonest counter mistake): not evidence of anything.
            return UnitCheck.AlreadyDecommissionedByYou;
        }
        emit SuspectPackAlert(lotId, msg.sender, answer, index, leaf);
        // A counterfeit serial or a duplicate of a decommissioned pack puts the whole lot under investigation,
        // but only on the word of a custodian of the lot: anyone else's alert is evidence, not a hold.
        if (held != 0) {
            if (answer == UnitCheck.UnknownSerial) _hold(lotId, HoldOrigin.CounterfeitAlert, leaf);
            else if (answer == UnitCheck.AlreadyDecommissioned) _hold(lotId, HoldOrigin.DuplicateAlert, leaf);
        }
    }

    /// @inheritdoc ISupplyChain
    function decommission(Unit calldata unit, bytes32[] calldata proof, DecommissionReason reason) external {
        _checkTradingPartner(msg.sender);
        if (reason == DecommissionReason.None || reason == DecommissionReason.Dispensed)
            revert UnitInvalidReason(reason);
        (UnitCheck answer, bytes32 lotId, ) = _verify(unit, proof, address(0));
        if (
            answer != UnitCheck.Genuine &&
            answer != UnitCheck.Recalled &&
            answer != UnitCheck.Quarantined &&
            answer != UnitCheck.Expired
        ) revert UnitNotGenuine(lotId, unit.index, answer);
        Custody storage custody = _custody[lotId][msg.sender];
        uint256 word = _load(custody);
        if (uint32(word) == 0) revert CustodyInsufficient(lotId, msg.sender, 0, 1);
        _decommission(lotId, unit.index, reason, custody, word);
    }

    /// @inheritdoc ISupplyChain
    function undoDecommission(bytes32 lotId, uint32 index) external {
        _checkTradingPartner(msg.sender);
        Custody memory custody = _custody[lotId][msg.sender];
        if (custody.lastReason == DecommissionReason.None || custody.lastIndex != index) {
            revert UnitNothingToUndo(lotId, msg.sender, index);
        }
        if (custody.lastReason == DecommissionReason.Destroyed || custody.lastReason == DecommissionReason.Stolen) {
            revert UnitInvalidReason(custody.lastReason);
        }
        uint256 deadline = uint256(custody.lastAt) + UNDO_WINDOW;
        if (block.timestamp > deadline) revert UnitUndoWindowClosed(lotId, index, deadline);
        Lot storage lot = _lots[lotId];
        LotStatus status = lot.status;
        if (status == LotStatus.Recalled || status == LotStatus.Destroyed) revert LotUnexpectedStatus(lotId, status);
        uint40 expiry = lot.expiry;
        if (block.timestamp + 1 > expiry) revert LotExpired(lotId, expiry);
        _decommissioned[lotId][index >> 8] &= ~(uint256(1) << (index & 0xff));
        // The quantity was decremented by the decommission being undone, so it fits in uint32 again.
        // The earlier decommissions stay remembered: undo reaches only the latest, so they stand.
        unchecked {
            _custody[lotId][msg.sender] = Custody({
                quantity: custody.quantity + 1,
                lastIndex: 0,
                lastAt: 0,
                lastReason: DecommissionReason.None,
                earlier: custody.earlier
            });
        }
        emit UnitDecommissionUndone(lotId, index, msg.sender);
    }

    /// @inheritdoc ISupplyChain
    function quarantineLot(bytes32 lotId, bytes32 reasonHash) external {
        (Lot storage lot, bool regulator) = _authorisedLot(lotId);
        LotStatus status = lot.status;
        // A regulator may escalate a hold its manufacturer could lift; anything else needs an Active lot.
        if (
            status != LotStatus.Active &&
            !(regulator && status == LotStatus.Quarantined && _manufacturerReleasable(lot.holdOrigin))
        ) revert LotUnexpectedStatus(lotId, status);
        HoldOrigin origin = regulator ? HoldOrigin.Regulator : HoldOrigin.Manufacturer;
        lot.status = LotStatus.Quarantined;
        lot.holdOrigin = origin;
        emit LotQuarantined(lotId, msg.sender, origin, reasonHash);
    }

    /// @inheritdoc ISupplyChain
    function releaseLot(bytes32 lotId, bytes32 reasonHash) external {
        (Lot storage lot, bool regulator) = _authorisedLot(lotId);
        if (lot.status != LotStatus.Quarantined) revert LotUnexpectedStatus(lotId, lot.status);
        HoldOrigin origin = lot.holdOrigin;
        if (!regulator && !_manufacturerReleasable(origin)) revert LotReleaseUnauthorized(lotId, msg.sender, origin);
        lot.status = LotStatus.Active;
        lot.holdOrigin = HoldOrigin.None;
        emit LotReleased(lotId, msg.sender, origin, reasonHash);
    }

    /// @inheritdoc ISupplyChain
    function recallLot(bytes32 lotId, RecallClass recallClass, bytes32 reasonHash) external {
        (Lot storage lot, ) = _authorisedLot(lotId);
        LotStatus status = lot.status;
        if (status != LotStatus.Active && status != LotStatus.Quarantined) revert LotUnexpectedStatus(lotId, status);
        if (recallClass == RecallClass.None) revert LotInvalidRecallClass(recallClass);
        // A recall is stricter than any hold and never lifted: the hold's origin stays in the events.
        lot.status = LotStatus.Recalled;
        lot.recallClass = recallClass;
        lot.holdOrigin = HoldOrigin.None;
        emit LotRecalled(lotId, msg.sender, recallClass, reasonHash);
    }

    /// @inheritdoc ISupplyChain
    function destroyLot(bytes32 lotId, bytes32 eventHash) external {
        (Lot storage lot, ) = _authorisedLot(lotId);
        if (lot.status == LotStatus.Destroyed) revert LotUnexpectedStatus(lotId, LotStatus.Destroyed);
        lot.status = LotStatus.Destroyed;
        lot.holdOrigin = HoldOrigin.None;
        emit LotDestroyed(lotId, msg.sender, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function reportExcursion(bytes32 lotId, bytes32 attestationHash) external {
        Lot storage lot = _lots[lotId];
        LotStatus status = lot.status;
        if (status == LotStatus.None) revert LotUnknown(lotId);
        if (
            !_isMember(Roles.SENSOR_ORACLE, msg.sender) &&
            !(_custody[lotId][msg.sender].quantity > 0 && registry().isActiveMember(msg.sender))
        ) revert MemberGatedUnauthorized(msg.sender, Roles.SENSOR_ORACLE);
        if (status == LotStatus.Destroyed) revert LotUnexpectedStatus(lotId, status);
        emit ColdChainExcursion(lotId, msg.sender, attestationHash);
        if (status == LotStatus.Active) {
            lot.status = LotStatus.Quarantined;
            lot.holdOrigin = HoldOrigin.ColdChain;
            emit LotQuarantined(lotId, msg.sender, HoldOrigin.ColdChain, attestationHash);
        }
    }

    /// @inheritdoc ISupplyChain
    function verifyUnit(
        Unit calldata unit,
        bytes32[] calldata proof,
        address holder
    ) external view returns (UnitCheck answer) {
        bytes32 lotId;
        (answer, lotId, ) = _verify(unit, proof, holder);
        if (
            answer == UnitCheck.AlreadyDecommissioned &&
            holder != address(0) &&
            _decommissionedBy(_load(_custody[lotId][holder]), unit.index)
        ) answer = UnitCheck.AlreadyDecommissionedByYou;
    }

    /// @inheritdoc ISupplyChain
    function productOf(uint64 gtin) external view returns (Product memory) {
        return _products[gtin];
    }

    /// @inheritdoc ISupplyChain
    function lotOf(bytes32 lotId) external view returns (Lot memory) {
        return _lots[lotId];
    }

    /// @inheritdoc ISupplyChain
    function custodyOf(bytes32 lotId, address holder) external view returns (Custody memory) {
        return _custody[lotId][holder];
    }

    /// @inheritdoc ISupplyChain
    function isInTransit(bytes32 shipmentId) external view returns (bool) {
        return _inTransit[shipmentId];
    }

    /// @inheritdoc ISupplyChain
    function isDecommissioned(bytes32 lotId, uint32 index) external view returns (bool) {
        return _decommissioned[lotId][index >> 8] & (uint256(1) << (index & 0xff)) != 0;
    }

    /// @inheritdoc ISupplyChain
    function lotIdOf(uint64 gtin, string calldata lotNumber) external pure returns (bytes32) {
        return _lotId(gtin, lotNumber);
    }

    /// @inheritdoc ISupplyChain
    function shipmentIdOf(
        bytes32 lotId,
        address from,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) external pure returns (bytes32) {
        return _shipmentId(lotId, from, to, quantity, eventHash);
    }

    /// @inheritdoc ISupplyChain
    function unitLeaf(Unit calldata unit) external pure returns (bytes32) {
        return _leaf(unit.index, unit.gtin, unit.serial, unit.lotNumber, unit.expiry);
    }

    /// @dev Closes an in-transit shipment addressed to the caller (receive or reject) and returns its id.
    function _closeShipment(
        bytes32 lotId,
        address from,
        uint32 quantity,
        bytes32 shipEventHash
    ) private returns (bytes32 shipmentId) {
        _checkTradingPartner(msg.sender);
        shipmentId = _shipmentId(lotId, from, msg.sender, quantity, shipEventHash);
        if (!_inTransit[shipmentId]) revert ShipmentNotInTransit(shipmentId);
        // Cleared rather than marked: the id commits to its fields, the events keep the history.
        delete _inTransit[shipmentId];
    }

    /**
     * @dev Puts lot `lotId` on hold with `origin` (a regulator-only origin), or escalates a hold its
     * manufacturer could lift to `origin`; a recalled, destroyed or already regulator-held lot is unchanged.
     */
    function _hold(bytes32 lotId, HoldOrigin origin, bytes32 reasonHash) private {
        Lot storage lot = _lots[lotId];
        LotStatus status = lot.status;
        if (
            status == LotStatus.Active || (status == LotStatus.Quarantined && _manufacturerReleasable(lot.holdOrigin))
        ) {
            lot.status = LotStatus.Quarantined;
            lot.holdOrigin = origin;
            emit LotQuarantined(lotId, msg.sender, origin, reasonHash);
        }
    }

    /// @dev Adds `quantity` units of the lot to `holder`'s custody.
    function _credit(bytes32 lotId, address holder, uint32 quantity) private {
        Custody storage custody = _custody[lotId][holder];
        // All custody of a lot (holders + in transit) sums to at most its uint32 unit count.
        unchecked {
            custody.quantity += quantity;
        }
    }

    /// @dev Flips unit `index`'s bit and takes it out of the caller's custody (slot value `old`), remembering it.
    function _decommission(
        bytes32 lotId,
        uint32 index,
        DecommissionReason reason,
        Custody storage custody,
        uint256 old
    ) private {
        _decommissioned[lotId][index >> 8] |= uint256(1) << (index & 0xff);
        // Callers checked that the actor holds at least one unit of the lot (the low 32 bits of `old`), so the
        // quantity minus one cannot underflow.
        // The whole {Custody} slot is written at once: quantity bits 0-31, lastIndex 32-63, lastAt 64-103,
        // lastReason 104-111, earlier 112-239 (Solidity's packing order for the struct's members). The
        // previous latest decommission (if any) is pushed into `earlier` as index + 1; the oldest falls out.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let earlier := shr(112, old)
            if and(shr(104, old), 0xff) {
                earlier := and(or(shl(32, earlier), add(and(shr(32, old), 0xffffffff), 1)), sub(shl(128, 1), 1))
            }
            let packed := or(
                or(sub(and(old, 0xffffffff), 1), shl(32, index)),
                or(or(shl(64, timestamp()), shl(104, reason)), shl(112, earlier))
            )
            sstore(custody.slot, packed)
        }
        emit UnitDecommissioned(lotId, msg.sender, index, reason);
    }

    /**
     * @dev The verification answer for `unit` (see {verifyUnit} for the order), its lot id and leaf.
     * `holder` zero skips the custody check.
     */
    function _verify(
        Unit calldata unit,
        bytes32[] calldata proof,
        address holder
    ) private view returns (UnitCheck, bytes32 lotId, bytes32 leaf) {
        // Each field is decoded from calldata once.
        uint64 gtin = unit.gtin;
        uint32 index = unit.index;
        uint40 unitExpiry = unit.expiry;
        string calldata lotNumber = unit.lotNumber;
        lotId = _lotId(gtin, lotNumber);
        leaf = _leaf(index, gtin, unit.serial, lotNumber, unitExpiry);
        Lot storage lot = _lots[lotId];
        // The lot's first slot read once: manufacturer bits 0-159, expiry 160-199, unitCount 200-231,
        // status 232-239 (Solidity's packing order for {Lot}).
        uint256 header;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            header := sload(lot.slot)
        }
        uint256 status = uint8(header >> 232);
        if (status == uint256(LotStatus.None)) {
            bool known = _products[gtin].manufacturer != address(0);
            return (known ? UnitCheck.UnknownLot : UnitCheck.UnknownProduct, lotId, leaf);
        }
        uint40 expiry = uint40(header >> 160);
        // A unit whose expiry is not the lot's has a leaf outside the root: no separate comparison needed.
        // solhint-disable-next-line gas-strict-inequalities
        if (index >= uint32(header >> 200) || !MerkleProof.verifyCalldata(proof, lot.serialsRoot, leaf)) {
            return (UnitCheck.UnknownSerial, lotId, leaf);
        }
        if (_decommissioned[lotId][index >> 8] & (uint256(1) << (index & 0xff)) != 0) {
            return (UnitCheck.AlreadyDecommissioned, lotId, leaf);
        }
        if (status != uint256(LotStatus.Active)) {
            if (status == uint256(LotStatus.Destroyed)) return (UnitCheck.LotDestroyed, lotId, leaf);
            if (status == uint256(LotStatus.Recalled)) return (UnitCheck.Recalled, lotId, leaf);
            return (UnitCheck.Quarantined, lotId, leaf);
        }
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp >= expiry) return (UnitCheck.Expired, lotId, leaf);
        if (holder != address(0) && _custody[lotId][holder].quantity == 0) {
            return (UnitCheck.NotInYourCustody, lotId, leaf);
        }
        return (UnitCheck.Genuine, lotId, leaf);
    }

    /// @dev The whole {Custody} slot as one word (one SLOAD for the quantity and the decommission record).
    function _load(Custody storage custody) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(custody.slot)
        }
    }

    /**
     * @dev Whether unit `index` is one of the decommissions remembered in the {Custody} slot value `word`
     * (the latest, unless undone, and the four before it).
     */
    function _decommissionedBy(uint256 word, uint32 index) private pure returns (bool) {
        if ((word >> 104) & 0xff != 0 && uint32(word >> 32) == index) return true;
        uint256 earlier = word >> 112;
        uint256 tag = uint256(index) + 1;
        for (uint256 lane = 0; lane < 4; ++lane) {
            if ((earlier >> (lane * 32)) & 0xffffffff == tag) return true;
        }
        return false;
    }

    /// @dev Whether a hold of `origin` may be lifted by the lot's manufacturer (its own hold, cold chain).
    function _manufacturerReleasable(HoldOrigin origin) private pure returns (bool) {
        return origin == HoldOrigin.Manufacturer || origin == HoldOrigin.ColdChain;
    }

    /**
     * @dev The lot `lotId`, after checking it exists and the caller may govern it: its manufacturer
     * (while an active MANUFACTURER) or an active REGULATOR; `regulator` tells which.
     */
    function _authorisedLot(bytes32 lotId) private view returns (Lot storage lot, bool regulator) {
        lot = _lots[lotId];
        address manufacturer = lot.manufacturer;
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

    /// @dev Reverts with {MemberGatedUnauthorized} (naming WHOLESALER) unless `account` is a trading partner.
    function _checkTradingPartner(address account) private view {
        if (!_isTradingPartner(account)) revert MemberGatedUnauthorized(account, Roles.WHOLESALER);
    }

    /// @dev Whether `account` is an active WHOLESALER, MANUFACTURER or DISPENSER (at most three registry reads).
    function _isTradingPartner(address account) private view returns (bool) {
        return
            _isMember(Roles.WHOLESALER, account) ||
            _isMember(Roles.MANUFACTURER, account) ||
            _isMember(Roles.DISPENSER, account);
    }

    /// @dev Reverts for a lot that is not Active: unknown, or in status `status`.
    function _revertStatus(bytes32 lotId, LotStatus status) private pure {
        if (status == LotStatus.None) revert LotUnknown(lotId);
        revert LotUnexpectedStatus(lotId, status);
    }

    /**
     * @dev keccak256(abi.encode(gtin, lotNumber)) — mirrored by the SDK's lotIdOf. Written in assembly to
     * hash straight from calldata (part of fitting dispense in its gas budget); a test checks it against
     * abi.encode for random inputs.
     */
    function _lotId(uint64 gtin, string calldata lotNumber) private pure returns (bytes32 id) {
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

    /// @dev keccak256(abi.encode(lotId, from, to, quantity, eventHash)) — mirrored by the SDK's shipmentIdOf.
    function _shipmentId(
        bytes32 lotId,
        address from,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(lotId, from, to, quantity, eventHash));
    }

    /**
     * @dev The StandardMerkleTree leaf: keccak256(keccak256(abi.encode(index, gtin, serial, lotNumber, expiry))).
     * Assembly for the same reason as {_lotId}; the tests compare it with the SDK and StandardMerkleTree.
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
