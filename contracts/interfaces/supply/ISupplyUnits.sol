// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "./ISupplyTypes.sol";
import {LotId} from "../../supply/types/Ids.sol";

/**
 * @title ISupplyUnits
 * @notice Units: verification, dispensing with alerts, other decommissions and their undo (part of
 * {ISupplyChain}). A unit is proven against its lot's serials root; its decommission flips one bit
 * of the lot's bitmap.
 */
interface ISupplyUnits is ISupplyTypes {
    /// @notice Unit `index` of the lot was decommissioned by `actor` (whose custody fell by one).
    /// @dev Only the lot id is a topic (each topic costs 375 gas, a data word 256): that keeps dispense
    /// within its 62,000-gas budget. An actor's decommissions are found by lot id, then filtered.
    event UnitDecommissioned(LotId indexed lotId, address actor, uint32 index, DecommissionReason reason);
    /// @notice `actor` reverted its decommission of unit `index` (FMD Art. 13); its custody rose by one.
    event UnitDecommissionUndone(LotId indexed lotId, uint32 indexed index, address indexed actor);
    /**
     * @notice A verification during a dispense attempt failed: evidence kept for investigation (FMD
     * Art. 36(b), DSCSA suspect product). `leaf` is the hash of the scanned identity (as a unit leaf).
     */
    event SuspectPackAlert(
        LotId indexed lotId,
        address indexed reporter,
        UnitCheck indexed answer,
        uint32 index,
        bytes32 leaf
    );

    /// @notice The unit failed verification with `answer`.
    error UnitNotGenuine(LotId lotId, uint32 index, UnitCheck answer);
    /// @notice `reason` is not accepted here (dispensing goes through {dispense}; destroyed or stolen units cannot be undone).
    error UnitInvalidReason(DecommissionReason reason);
    /// @notice `actor`'s latest decommission in the lot is not unit `index` (or there is none to undo).
    error UnitNothingToUndo(LotId lotId, address actor, uint32 index);
    /// @notice The undo window closed at `deadline`.
    error UnitUndoWindowClosed(LotId lotId, uint32 index, uint256 deadline);

    /**
     * @notice Verifies a pack and dispenses it to a patient: flips the unit's bit, custody falls by one.
     * A pack that does not verify as genuine is NOT reverted: the attempt is recorded as a
     * {SuspectPackAlert}. When the caller is a custodian of the lot (holds at least one unit), an unknown
     * serial (counterfeit) or an already decommissioned unit (duplicate) also puts the lot on hold for
     * investigation (origin CounterfeitAlert or DuplicateAlert, lifted only by a regulator), or escalates a
     * manufacturer's or cold-chain hold to it; a non-custodian's alert changes no status. A repeat scan of
     * one of the caller's own five latest decommissions in the lot answers
     * {UnitCheck.AlreadyDecommissionedByYou} and changes nothing (no alert, no hold; its undo stays possible).
     * Requirements: caller is an active DISPENSER.
     * Emits {UnitDecommissioned} (genuine), nothing (already decommissioned by the caller), or
     * {SuspectPackAlert} and possibly {LotQuarantined}.
     * @return answer The verification answer ({UnitCheck.Genuine} when dispensed).
     */
    function dispense(Unit calldata unit, bytes32[] calldata proof) external returns (UnitCheck answer);

    /**
     * @notice Decommissions a unit the caller holds for another reason (destroyed, sample, exported,
     * stolen). Recalled, quarantined or expired packs may be decommissioned this way.
     * Requirements: caller is an active trading partner (error names WHOLESALER); `reason` is not
     * None or Dispensed; the unit verifies (proof, not yet decommissioned, lot not destroyed); the
     * caller holds at least one unit of the lot.
     * Emits {UnitDecommissioned}.
     */
    function decommission(Unit calldata unit, bytes32[] calldata proof, DecommissionReason reason) external;

    /**
     * @notice Reverts the caller's latest decommission in lot `lotId` (FMD Art. 13): the unit is
     * active again and back in the caller's custody.
     * Requirements: caller is an active trading partner (error names WHOLESALER); its latest
     * decommission in the lot is unit `index`, at most 10 days ago, for a reason other than destroyed
     * or stolen (FMD Art. 13(1)(d)); the lot is Active or Quarantined (not recalled or destroyed) and
     * not expired.
     * Emits {UnitDecommissionUndone}.
     */
    function undoDecommission(LotId lotId, uint32 index) external;

    /**
     * @notice Verifies a pack: a free view answering one {UnitCheck}. `holder` (zero to skip) is
     * checked for custody of the lot. Order of answers: unknown product, unknown lot, unknown serial
     * (bad proof or index out of range), already decommissioned (by `holder` itself among its five latest
     * decommissions in the lot: {UnitCheck.AlreadyDecommissionedByYou}), lot destroyed, recalled,
     * quarantined, expired, not in `holder`'s custody, genuine.
     */
    function verifyUnit(Unit calldata unit, bytes32[] calldata proof, address holder) external view returns (UnitCheck);

    /// @notice Whether unit `index` of lot `lotId` is decommissioned.
    function isDecommissioned(LotId lotId, uint32 index) external view returns (bool);

    /// @notice The StandardMerkleTree leaf of `unit` (the double keccak of its ABI encoding).
    function unitLeaf(Unit calldata unit) external pure returns (bytes32);

    /// @notice How long after a decommission its actor may undo it: 10 days (FMD Art. 13).
    function UNDO_WINDOW() external view returns (uint256);
}
