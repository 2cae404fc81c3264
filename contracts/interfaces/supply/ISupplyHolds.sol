// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "./ISupplyTypes.sol";
import {LotId} from "../../supply/types/Ids.sol";

/**
 * @title ISupplyHolds
 * @notice A lot's authorities act on the whole lot: quarantine, release, recall, destroy; cold-chain
 * excursions put a lot on hold (part of {ISupplyChain}). Lot authorities: the lot's manufacturer
 * while it holds MANUFACTURER, or any REGULATOR.
 */
interface ISupplyHolds is ISupplyTypes {
    /// @notice The lot's hold of origin `origin` was lifted by `by`: the lot is Active again.
    event LotReleased(LotId indexed lotId, address indexed by, HoldOrigin origin, bytes32 reasonHash);
    /// @notice The lot was recalled by `by` with `recallClass`; `reasonHash` commits to the recall notice.
    event LotRecalled(LotId indexed lotId, address indexed by, RecallClass recallClass, bytes32 reasonHash);
    /// @notice The lot was destroyed (all its units); `eventHash` is the EPCIS destruction event.
    event LotDestroyed(LotId indexed lotId, address indexed by, bytes32 eventHash);
    /// @notice `reporter` attested a cold-chain excursion; `attestationHash` is the hash of the sensor readings.
    event ColdChainExcursion(LotId indexed lotId, address indexed reporter, bytes32 attestationHash);

    /// @notice `account` is a manufacturer but not the lot's manufacturer `manufacturer`.
    error LotNotManufacturer(LotId lotId, address account, address manufacturer);
    /// @notice `account` may not lift a hold of origin `origin` (only a regulator may).
    error LotReleaseUnauthorized(LotId lotId, address account, HoldOrigin origin);
    /// @notice `recallClass` is not class I, II or III.
    error LotInvalidRecallClass(RecallClass recallClass);

    /**
     * @notice Quarantines an active lot (suspect product): it can no longer ship or dispense. The hold's
     * origin is Regulator when a regulator imposes it, Manufacturer otherwise. A regulator may also
     * escalate a Manufacturer or ColdChain hold to a Regulator hold.
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR (error names MANUFACTURER); lot Active
     * (or, for a regulator, Quarantined by a Manufacturer or ColdChain hold).
     * Emits {LotQuarantined}.
     */
    function quarantineLot(LotId lotId, bytes32 reasonHash) external;

    /**
     * @notice Releases a quarantined lot back to Active.
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR; lot Quarantined; a hold of origin
     * Regulator, CounterfeitAlert or DuplicateAlert only by a REGULATOR ({LotReleaseUnauthorized}).
     * Emits {LotReleased}.
     */
    function releaseLot(LotId lotId, bytes32 reasonHash) external;

    /**
     * @notice Recalls a lot — one write that every unit inherits.
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR; lot Active or Quarantined;
     * `recallClass` is I, II or III.
     * Emits {LotRecalled}.
     */
    function recallLot(LotId lotId, RecallClass recallClass, bytes32 reasonHash) external;

    /**
     * @notice Marks the whole lot destroyed (terminal).
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR; lot Active, Quarantined or Recalled.
     * Emits {LotDestroyed}.
     */
    function destroyLot(LotId lotId, bytes32 eventHash) external;

    /**
     * @notice Posts a cold-chain excursion attestation (hash of the sensor readings); an Active lot is
     * put on a ColdChain hold until its manufacturer or a regulator releases or destroys it (the
     * manufacturer owns the stability data that decide whether the excursion harmed the product).
     * Requirements: caller is an active SENSOR_ORACLE, or an active member holding units of the lot
     * (error names SENSOR_ORACLE); the lot is Active, Quarantined or Recalled.
     * Emits {ColdChainExcursion} and, from Active, {LotQuarantined}.
     */
    function reportExcursion(LotId lotId, bytes32 attestationHash) external;
}
