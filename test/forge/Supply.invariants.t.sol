// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {console2} from "forge-std/console2.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Consortium} from "./base/Consortium.sol";
import {Roles} from "../../contracts/access/Roles.sol";
import {MemberRegistry} from "../../contracts/access/MemberRegistry.sol";
import {SupplyChain} from "../../contracts/supply/SupplyChain.sol";
import {ISupplyTypes} from "../../contracts/interfaces/supply/ISupplyTypes.sol";
import {LotId, ShipmentId} from "../../contracts/supply/types/Ids.sol";

/**
 * @notice Adversarial stateful fuzzing of SupplyChain (issue 10). Honest actors (manufacturer,
 * wholesaler, dispenser, regulator, sensor oracle) and attackers (a dispenser that never receives
 * custody, a rival manufacturer, a suspended wholesaler, a stranger) call every state-changing
 * function with fuzzed arguments on two 16-unit lots whose serial trees are built here. A ghost model
 * watches every call; the invariants are what docs/security/supply.md promises:
 * - custody + in transit + decommissioned = units of every lot;
 * - only a regulator lifts a regulator's (or a counterfeit/duplicate alert's) hold;
 * - a recalled lot never dispenses (and never comes back);
 * - an alert by a non-custodian never changes the lot's status or hold.
 *
 * Each invariant was shown to fail by breaking the rule it guards once (not committed):
 * - conservation: `cancelShipment` credited `quantity + 1` → invariant_custodyInTransitDecommissionedIsUnits failed;
 * - regulator's hold: `releaseLot` let the manufacturer lift any hold → invariant_onlyRegulatorLiftsRegulatorHolds failed;
 * - recall: `_verify` answered Genuine for a recalled lot → invariant_recalledLotNeverDispenses failed;
 * - non-custodian: `dispense` held the lot whatever the caller's custody → invariant_nonCustodianAlertChangesNothing failed.
 */
contract SupplyHandler is Test {
    uint256 internal constant UNITS = 16;
    uint64 internal constant GTIN = 9506000134352;

    SupplyChain internal immutable supply;
    MemberRegistry internal immutable registry;
    address internal immutable registrar;

    address internal manufacturer;
    address internal wholesaler;
    address internal dispenser;
    address internal regulator;
    address internal sensor;
    address internal rogueDispenser;
    address internal rogueManufacturer;
    address internal suspended;
    address internal stranger;
    address[9] internal actors;

    string[2] internal lotNumbers = ["INV-1", "INV-2"];
    LotId[2] public lotIds;
    uint40 internal expiry;
    /// @dev proofs[lot][unit]: the 4 siblings of the unit's leaf in the lot's 16-leaf tree.
    bytes32[4][UNITS][2] internal proofs;

    struct Shipment {
        uint8 lot;
        address from;
        address to;
        uint32 quantity;
        bytes32 eventHash;
        bool open;
    }
    Shipment[] internal shipments;

    // Ghost flags: set when a call broke a rule (the invariants require them false).
    bool public ghostRegulatorHoldLiftedByOther;
    bool public ghostRecalledDispensed;
    bool public ghostRecallUndone;
    bool public ghostNonCustodianChangedStatus;
    mapping(bytes32 => uint256) public calls;
    /// @dev Outcomes that show the run reached the interesting states (printed by afterInvariant with -vv).
    mapping(bytes32 => uint256) public outcomes;

    constructor(SupplyChain supply_, MemberRegistry registry_, address registrar_, address[9] memory actors_) {
        supply = supply_;
        registry = registry_;
        registrar = registrar_;
        actors = actors_;
        (manufacturer, wholesaler, dispenser, regulator, sensor) = (
            actors_[0],
            actors_[1],
            actors_[2],
            actors_[3],
            actors_[4]
        );
        (rogueDispenser, rogueManufacturer, suspended, stranger) = (actors_[5], actors_[6], actors_[7], actors_[8]);
        expiry = uint40(block.timestamp + 365 days);
        vm.prank(manufacturer);
        supply.registerProduct(GTIN, keccak256("product"));
        for (uint8 l = 0; l < 2; ++l) {
            bytes32 root = _buildTree(l);
            vm.prank(manufacturer);
            lotIds[l] = supply.commissionLot(GTIN, lotNumbers[l], expiry, uint32(UNITS), root, keccak256("commission"));
        }
        // Stock the chain: the wholesaler and the honest dispenser hold units of both lots.
        for (uint8 l = 0; l < 2; ++l) {
            _honestShip(l, manufacturer, wholesaler, 8);
            _honestShip(l, wholesaler, dispenser, 4);
        }
    }

    // ---------------------------------------------------------------- handler entry points

    function ship(uint256 fromSeed, uint256 toSeed, uint256 lotSeed, uint256 qtySeed, uint256 hashSeed) external {
        calls["ship"]++;
        uint8 l = uint8(lotSeed % 2);
        address from = fromSeed % 4 == 0 ? _actor(fromSeed >> 2) : _trader(fromSeed >> 2);
        address to = _actor(toSeed);
        uint32 held = supply.custodyOf(lotIds[l], from).quantity;
        uint32 quantity = uint32(_bound(qtySeed, 1, held > 0 ? held : 1));
        bytes32 eventHash = keccak256(abi.encode("ship", hashSeed % 8));
        _observe(l);
        vm.prank(from);
        try supply.ship(lotIds[l], to, quantity, eventHash) {
            outcomes["shipped"]++;
            // The contract lets the same shipment id (same lot, parties, quantity and event hash) be
            // shipped again once the earlier one closed: the ghost reopens that entry rather than keep
            // a closed twin that would disagree with `isInTransit(id)`.
            bool reopened;
            for (uint256 i = 0; i < shipments.length; ++i) {
                Shipment storage o = shipments[i];
                if (o.lot == l && o.from == from && o.to == to && o.quantity == quantity && o.eventHash == eventHash) {
                    o.open = true;
                    reopened = true;
                    break;
                }
            }
            if (!reopened) shipments.push(Shipment(l, from, to, quantity, eventHash, true));
        } catch {}
        _check(l, from);
    }

    function receiveOrReject(uint256 pick, uint256 callerSeed, bool reject) external {
        calls[reject ? bytes32("reject") : bytes32("receive")]++;
        if (shipments.length == 0) return;
        Shipment storage s = shipments[pick % shipments.length];
        address caller = callerSeed % 4 == 0 ? _actor(callerSeed >> 2) : s.to;
        _observe(s.lot);
        vm.prank(caller);
        if (reject) {
            try supply.rejectShipment(lotIds[s.lot], s.from, s.quantity, s.eventHash, keccak256("reject")) {
                s.open = false;
            } catch {}
        } else {
            try supply.receiveShipment(lotIds[s.lot], s.from, s.quantity, s.eventHash, keccak256("receive")) {
                s.open = false;
            } catch {}
        }
        _check(s.lot, caller);
    }

    function cancel(uint256 pick, uint256 callerSeed) external {
        calls["cancel"]++;
        if (shipments.length == 0) return;
        Shipment storage s = shipments[pick % shipments.length];
        address caller = callerSeed % 4 == 0 ? _actor(callerSeed >> 2) : s.from;
        _observe(s.lot);
        vm.prank(caller);
        try supply.cancelShipment(lotIds[s.lot], s.to, s.quantity, s.eventHash, keccak256("cancel")) {
            outcomes["cancelled"]++;
            s.open = false;
        } catch {}
        _check(s.lot, caller);
    }

    function dispense(uint256 callerSeed, uint256 lotSeed, uint256 unitSeed, uint256 forgery) external {
        calls["dispense"]++;
        uint8 l = uint8(lotSeed % 2);
        address caller = callerSeed % 3 == 0 ? rogueDispenser : (callerSeed % 3 == 1 ? dispenser : _actor(callerSeed));
        (ISupplyTypes.Unit memory unit, bytes32[] memory proof) = _unit(l, unitSeed, forgery);
        bool custodian = supply.custodyOf(lotIds[l], caller).quantity > 0;
        bool bitBefore = unit.index < UNITS && supply.isDecommissioned(lotIds[l], unit.index);
        _observe(l);
        vm.prank(caller);
        try supply.dispense(unit, proof) returns (ISupplyTypes.UnitCheck answer) {
            bool flipped = unit.index < UNITS && !bitBefore && supply.isDecommissioned(lotIds[l], unit.index);
            if (
                _before.status == ISupplyTypes.LotStatus.Recalled &&
                (answer == ISupplyTypes.UnitCheck.Genuine || flipped)
            ) ghostRecalledDispensed = true;
            ISupplyTypes.Lot memory afterLot = supply.lotOf(lotIds[l]);
            if (answer == ISupplyTypes.UnitCheck.Genuine) outcomes["dispensed"]++;
            if (answer == ISupplyTypes.UnitCheck.AlreadyDecommissionedByYou) outcomes["own repeat scan"]++;
            if (!custodian && answer != ISupplyTypes.UnitCheck.AlreadyDecommissionedByYou)
                outcomes["non-custodian alert"]++;
            if (afterLot.holdOrigin != _before.holdOrigin) outcomes["alert hold"]++;
            if (_before.status == ISupplyTypes.LotStatus.Recalled) outcomes["scan of a recalled lot"]++;
            if (!custodian && (afterLot.status != _before.status || afterLot.holdOrigin != _before.holdOrigin))
                ghostNonCustodianChangedStatus = true;
        } catch {}
        _check(l, caller);
    }

    function decommission(uint256 callerSeed, uint256 lotSeed, uint256 unitSeed, uint8 reasonSeed) external {
        calls["decommission"]++;
        uint8 l = uint8(lotSeed % 2);
        address caller = _actor(callerSeed);
        (ISupplyTypes.Unit memory unit, bytes32[] memory proof) = _unit(l, unitSeed, 0);
        ISupplyTypes.DecommissionReason reason = ISupplyTypes.DecommissionReason(reasonSeed % 6);
        _observe(l);
        vm.prank(caller);
        try supply.decommission(unit, proof, reason) {} catch {}
        _check(l, caller);
    }

    function undo(uint256 callerSeed, uint256 lotSeed, uint256 unitSeed) external {
        calls["undo"]++;
        uint8 l = uint8(lotSeed % 2);
        address caller = _actor(callerSeed);
        ISupplyTypes.Custody memory c = supply.custodyOf(lotIds[l], caller);
        uint32 index = unitSeed % 2 == 0 ? c.lastIndex : uint32(unitSeed % UNITS);
        _observe(l);
        vm.prank(caller);
        try supply.undoDecommission(lotIds[l], index) {
            outcomes["undone"]++;
        } catch {}
        _check(l, caller);
    }

    function quarantine(uint256 callerSeed, uint256 lotSeed) external {
        calls["quarantine"]++;
        // Holds are set less often than lifted, so that runs spend time with live lots.
        if (!_oneIn(callerSeed, 2)) return;
        uint8 l = uint8(lotSeed % 2);
        address caller = _governor(callerSeed);
        _observe(l);
        vm.prank(caller);
        try supply.quarantineLot(lotIds[l], keccak256("hold")) {} catch {}
        _check(l, caller);
    }

    function release(uint256 callerSeed, uint256 lotSeed) external {
        calls["release"]++;
        uint8 l = uint8(lotSeed % 2);
        address caller = _governor(callerSeed);
        _observe(l);
        vm.prank(caller);
        try supply.releaseLot(lotIds[l], keccak256("release")) {
            outcomes[caller == regulator ? bytes32("released by regulator") : bytes32("released by manufacturer")]++;
        } catch {
            if (caller == manufacturer && _before.status == ISupplyTypes.LotStatus.Quarantined)
                outcomes["manufacturer refused a release"]++;
        }
        _check(l, caller);
    }

    function recall(uint256 callerSeed, uint256 lotSeed, uint8 classSeed) external {
        calls["recall"]++;
        // Uncommon: a recall is final, and most of a run should see the lot live.
        if (!_oneIn(callerSeed, 8)) return;
        uint8 l = uint8(lotSeed % 2);
        address caller = _governor(callerSeed >> 3);
        _observe(l);
        vm.prank(caller);
        try supply.recallLot(lotIds[l], ISupplyTypes.RecallClass(classSeed % 4), keccak256("recall")) {
            outcomes["recalled"]++;
        } catch {}
        _check(l, caller);
    }

    function destroy(uint256 callerSeed, uint256 lotSeed) external {
        calls["destroy"]++;
        // Rare: destruction is terminal and would end the interesting part of a run.
        if (!_oneIn(callerSeed, 64)) return;
        uint8 l = uint8(lotSeed % 2);
        address caller = _governor(callerSeed >> 6);
        _observe(l);
        vm.prank(caller);
        try supply.destroyLot(lotIds[l], keccak256("destroy")) {} catch {}
        _check(l, caller);
    }

    function excursion(uint256 callerSeed, uint256 lotSeed) external {
        calls["excursion"]++;
        if (!_oneIn(callerSeed, 4)) return;
        uint8 l = uint8(lotSeed % 2);
        address caller = callerSeed % 2 == 0 ? sensor : _actor(callerSeed >> 1);
        _observe(l);
        vm.prank(caller);
        try supply.reportExcursion(lotIds[l], keccak256("readings")) {} catch {}
        _check(l, caller);
    }

    /// @dev The registrar suspends or reinstates the wholesaler (strands shipments to it; cancel becomes possible).
    function toggleWholesaler() external {
        calls["toggleWholesaler"]++;
        vm.startPrank(registrar);
        if (registry.isActiveMember(wholesaler)) registry.suspendMember(wholesaler, keccak256("audit"));
        else registry.reinstateMember(wholesaler);
        vm.stopPrank();
    }

    function warp(uint256 seconds_) external {
        calls["warp"]++;
        vm.warp(block.timestamp + _bound(seconds_, 0, 2 days));
    }

    // ---------------------------------------------------------------- views for the invariants

    /// @dev Genuine unit `index` of lot `l` with its proof (setUp checks the trees against the contract).
    function genuineUnit(uint8 l, uint256 index) external view returns (ISupplyTypes.Unit memory, bytes32[] memory) {
        return _unit(l, index, 0);
    }

    /// @dev Σ custody over every actor + Σ open shipments + decommissioned units, for lot `l`.
    function accounted(uint8 l) external view returns (uint256 total, uint256 units) {
        LotId lotId = lotIds[l];
        for (uint256 i = 0; i < actors.length; ++i) total += supply.custodyOf(lotId, actors[i]).quantity;
        for (uint256 i = 0; i < shipments.length; ++i) {
            Shipment storage s = shipments[i];
            if (s.lot != l) continue;
            ShipmentId id = supply.shipmentIdOf(lotId, s.from, s.to, s.quantity, s.eventHash);
            bool inTransit = supply.isInTransit(id);
            require(inTransit == s.open, "ghost shipment disagrees with the contract");
            if (inTransit) total += s.quantity;
        }
        for (uint32 i = 0; i < UNITS; ++i) if (supply.isDecommissioned(lotId, i)) ++total;
        units = supply.lotOf(lotId).unitCount;
    }

    // ---------------------------------------------------------------- ghost observation

    ISupplyTypes.Lot internal _before;

    function _observe(uint8 l) internal {
        _before = supply.lotOf(lotIds[l]);
    }

    /// @dev Rules on every transition of lot `l` made by `caller`'s call.
    function _check(uint8 l, address caller) internal {
        ISupplyTypes.Lot memory afterLot = supply.lotOf(lotIds[l]);
        ISupplyTypes.HoldOrigin origin = _before.holdOrigin;
        bool regulatorOnly =
            origin == ISupplyTypes.HoldOrigin.Regulator ||
                origin == ISupplyTypes.HoldOrigin.CounterfeitAlert ||
                origin == ISupplyTypes.HoldOrigin.DuplicateAlert;
        if (
            _before.status == ISupplyTypes.LotStatus.Quarantined &&
            regulatorOnly &&
            (afterLot.status == ISupplyTypes.LotStatus.Active ||
                (afterLot.status == ISupplyTypes.LotStatus.Quarantined &&
                    afterLot.holdOrigin != origin &&
                    !_isRegulatorOnly(afterLot.holdOrigin))) &&
            !registry.hasActiveRole(Roles.REGULATOR, caller)
        ) ghostRegulatorHoldLiftedByOther = true;
        if (
            _before.status == ISupplyTypes.LotStatus.Recalled &&
            afterLot.status != ISupplyTypes.LotStatus.Recalled &&
            afterLot.status != ISupplyTypes.LotStatus.Destroyed
        ) ghostRecallUndone = true;
    }

    function _isRegulatorOnly(ISupplyTypes.HoldOrigin o) internal pure returns (bool) {
        return
            o == ISupplyTypes.HoldOrigin.Regulator ||
            o == ISupplyTypes.HoldOrigin.CounterfeitAlert ||
            o == ISupplyTypes.HoldOrigin.DuplicateAlert;
    }

    // ---------------------------------------------------------------- helpers

    /// @dev True about once in `n` calls whatever values the fuzzer favours (0, 1, max, …).
    function _oneIn(uint256 seed, uint256 n) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(seed, "gate"))) % n == 0;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    /// @dev A trading partner, honest or not (manufacturer, wholesaler, dispensers, rival manufacturer).
    function _trader(uint256 seed) internal view returns (address) {
        address[5] memory t = [manufacturer, wholesaler, dispenser, rogueDispenser, rogueManufacturer];
        return t[seed % 5];
    }

    /// @dev Lot authority candidates: the manufacturer, the regulator, the rival manufacturer, anyone.
    function _governor(uint256 seed) internal view returns (address) {
        uint256 k = seed % 4;
        if (k == 0) return manufacturer;
        if (k == 1) return regulator;
        if (k == 2) return rogueManufacturer;
        return _actor(seed >> 2);
    }

    function _honestShip(uint8 l, address from, address to, uint32 quantity) internal {
        bytes32 eventHash = keccak256(abi.encode("stock", from, to));
        vm.prank(from);
        supply.ship(lotIds[l], to, quantity, eventHash);
        vm.prank(to);
        supply.receiveShipment(lotIds[l], from, quantity, eventHash, keccak256("stock received"));
    }

    /// @dev Unit `unitSeed` of lot `l` with its proof; `forgery` 1: made-up serial, 2: no proof, 3: index out of range.
    function _unit(
        uint8 l,
        uint256 unitSeed,
        uint256 forgery
    ) internal view returns (ISupplyTypes.Unit memory unit, bytes32[] memory proof) {
        uint32 index = uint32(unitSeed % UNITS);
        unit = ISupplyTypes.Unit({
            gtin: GTIN,
            expiry: expiry,
            index: index,
            serial: _serial(index),
            lotNumber: lotNumbers[l]
        });
        proof = new bytes32[](4);
        for (uint256 k = 0; k < 4; ++k) proof[k] = proofs[l][index][k];
        uint256 kind = forgery % 8; // mostly genuine
        if (kind == 1) unit.serial = "FAKE";
        else if (kind == 2) proof = new bytes32[](0);
        else if (kind == 3) unit.index = uint32(UNITS);
    }

    function _serial(uint32 index) internal pure returns (string memory) {
        return string(abi.encodePacked("S", bytes1(uint8(65 + index))));
    }

    /// @dev Builds lot `l`'s 16-leaf tree (OpenZeppelin's sorted-pair hashing) and stores every proof.
    function _buildTree(uint8 l) internal returns (bytes32) {
        bytes32[] memory level = new bytes32[](UNITS);
        for (uint32 i = 0; i < UNITS; ++i) {
            level[i] = keccak256(bytes.concat(keccak256(abi.encode(i, GTIN, _serial(i), lotNumbers[l], expiry))));
        }
        uint256 width = UNITS;
        for (uint256 depth = 0; depth < 4; ++depth) {
            for (uint256 i = 0; i < UNITS; ++i) proofs[l][i][depth] = level[(i >> depth) ^ 1];
            bytes32[] memory next = new bytes32[](width / 2);
            for (uint256 j = 0; j < width / 2; ++j) next[j] = _hashPair(level[2 * j], level[2 * j + 1]);
            level = next;
            width /= 2;
        }
        return level[0];
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}

contract SupplyInvariants is Consortium {
    bytes32[12] internal _outcomeNames = [
        bytes32("shipped"),
        "cancelled",
        "dispensed",
        "own repeat scan",
        "non-custodian alert",
        "alert hold",
        "scan of a recalled lot",
        "released by regulator",
        "released by manufacturer",
        "manufacturer refused a release",
        "recalled",
        "undone"
    ];

    SupplyChain internal supply;
    SupplyHandler internal handler;

    function setUp() public {
        _deployRegistry();
        supply = SupplyChain(
            address(new ERC1967Proxy(address(new SupplyChain(registry)), abi.encodeCall(SupplyChain.initialize, ())))
        );
        (address manufacturer, ) = _member("manufacturer", Roles.MANUFACTURER);
        (address wholesaler, ) = _member("wholesaler", Roles.WHOLESALER);
        (address dispenser, ) = _member("dispenser", Roles.DISPENSER);
        (address regulator, ) = _member("regulator", Roles.REGULATOR);
        (address sensor, ) = _member("sensor", Roles.SENSOR_ORACLE);
        (address rogueDispenser, ) = _member("rogue dispenser", Roles.DISPENSER);
        (address rogueManufacturer, ) = _member("rogue manufacturer", Roles.MANUFACTURER);
        (address suspended, ) = _member("suspended wholesaler", Roles.WHOLESALER);
        _suspend(suspended);
        address stranger = makeAddr("stranger");
        handler = new SupplyHandler(
            supply,
            registry,
            registrar,
            [
                manufacturer,
                wholesaler,
                dispenser,
                regulator,
                sensor,
                rogueDispenser,
                rogueManufacturer,
                suspended,
                stranger
            ]
        );
        targetContract(address(handler));
    }

    /// @dev The handler's trees agree with the contract: every unit of both lots verifies, a forgery does not.
    function test_treesVerify() public view {
        for (uint8 l = 0; l < 2; ++l) {
            for (uint256 i = 0; i < 16; ++i) {
                (ISupplyTypes.Unit memory unit, bytes32[] memory proof) = handler.genuineUnit(l, i);
                assertEq(uint8(supply.verifyUnit(unit, proof, address(0))), uint8(ISupplyTypes.UnitCheck.Genuine));
                unit.serial = "FAKE";
                assertEq(
                    uint8(supply.verifyUnit(unit, proof, address(0))),
                    uint8(ISupplyTypes.UnitCheck.UnknownSerial)
                );
            }
        }
    }

    /// @dev The handler's honest paths work: a shipment, a receipt, a dispense and a cancellation succeed.
    function test_handlerReachesHonestOutcomes() public {
        handler.ship(1, 2, 0, 1, 0); // wholesaler -> dispenser, 1 unit of lot 0
        assertEq(handler.outcomes("shipped"), 1, "ship");
        handler.dispense(1, 0, 0, 0); // the dispenser dispenses unit 0 of lot 0
        assertEq(handler.outcomes("dispensed"), 1, "dispense");
        handler.dispense(1, 0, 0, 0); // and scans it again
        assertEq(handler.outcomes("own repeat scan"), 1, "repeat scan");
        handler.ship(1, 3, 0, 1, 1); // wholesaler -> regulator (no trading role): stranded
        handler.cancel(1, 1);
        assertEq(handler.outcomes("cancelled"), 1, "cancel");
    }

    /// @dev With -vv: how often each interesting outcome happened in the run (not an assertion).
    function afterInvariant() public view {
        for (uint256 i = 0; i < _outcomeNames.length; ++i) {
            console2.log(string(abi.encodePacked(_outcomeNames[i])), handler.outcomes(_outcomeNames[i]));
        }
    }

    function invariant_custodyInTransitDecommissionedIsUnits() public view {
        for (uint8 l = 0; l < 2; ++l) {
            (uint256 total, uint256 units) = handler.accounted(l);
            assertEq(total, units, "custody + in transit + decommissioned != units");
        }
    }

    function invariant_onlyRegulatorLiftsRegulatorHolds() public view {
        assertFalse(handler.ghostRegulatorHoldLiftedByOther(), "a regulator's or alert's hold was lifted by another");
    }

    function invariant_recalledLotNeverDispenses() public view {
        assertFalse(handler.ghostRecalledDispensed(), "a recalled lot dispensed");
        assertFalse(handler.ghostRecallUndone(), "a recalled lot came back");
    }

    function invariant_nonCustodianAlertChangesNothing() public view {
        assertFalse(handler.ghostNonCustodianChangedStatus(), "a non-custodian's alert changed the lot");
    }
}
