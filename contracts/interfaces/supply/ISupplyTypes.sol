// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {LotId} from "../../supply/types/Ids.sol";

/**
 * @title ISupplyTypes
 * @notice The types, and the events and errors more than one supply module uses, shared by the
 * supply interfaces ({ISupplyLots}, {ISupplyCustody}, {ISupplyUnits}, {ISupplyHolds}).
 * @dev The structs are the shapes the views return. Storage keeps the lot header and a custody as
 * packed words ({LotHeader}, {CustodyWord}), whose one library of offsets writes and reads them.
 */
interface ISupplyTypes {
    /// @notice Lifecycle of a lot. Expiry is derived from time, not stored as a status.
    enum LotStatus {
        None,
        Active,
        Quarantined,
        Recalled,
        Destroyed
    }

    /// @notice FDA recall classification (I: serious harm likely … III: unlikely to cause harm).
    enum RecallClass {
        None,
        ClassI,
        ClassII,
        ClassIII
    }

    /// @notice Why a unit left the supply chain (FMD Art. 25, 40; DSCSA).
    enum DecommissionReason {
        None,
        Dispensed,
        Destroyed,
        Sample,
        Exported,
        Stolen
    }

    /**
     * @notice Who or what imposed a lot's current hold (quarantine); None when the lot is not held.
     * Manufacturer and ColdChain holds are released by the lot's manufacturer or a regulator; Regulator,
     * CounterfeitAlert and DuplicateAlert holds only by a regulator.
     */
    enum HoldOrigin {
        None,
        Manufacturer,
        Regulator,
        CounterfeitAlert,
        DuplicateAlert,
        ColdChain
    }

    /// @notice The answer of a unit verification (an FMD/DSCSA verification response).
    enum UnitCheck {
        None,
        Genuine,
        UnknownProduct,
        UnknownLot,
        UnknownSerial,
        AlreadyDecommissioned,
        LotDestroyed,
        Recalled,
        Quarantined,
        Expired,
        NotInYourCustody,
        AlreadyDecommissionedByYou
    }

    /// @notice A registered product (GTIN-14).
    struct Product {
        address manufacturer;
        bytes32 metadataHash;
    }

    /**
     * @notice A lot as {ISupplyLots-lotOf} returns it: the header word (manufacturer, expiry, unit count,
     * status, recall class, hold origin; see {LotHeaderLibrary}) plus the serials root.
     */
    struct Lot {
        address manufacturer;
        uint40 expiry;
        uint32 unitCount;
        LotStatus status;
        RecallClass recallClass;
        HoldOrigin holdOrigin;
        bytes32 serialsRoot;
    }

    /// @notice A serialised pack as its 2D code carries it (GS1 AIs 01, 21, 10, 17) plus its index in the lot.
    struct Unit {
        uint64 gtin;
        uint40 expiry;
        uint32 index;
        string serial;
        string lotNumber;
    }

    /**
     * @notice A holder's custody of a lot, with its latest decommission (what
     * {ISupplyUnits-undoDecommission} may revert), as {ISupplyCustody-custodyOf} returns it.
     * @dev Stored as one {CustodyWord}, written by every custody change and decommission anyway, so the
     * undo record costs no extra storage write. A per-unit record (who, when) would cost 22,100 gas per
     * dispense and break the dispense budget; hence an actor can undo its most recent decommission in a
     * lot (the FMD use case: a pack scanned by mistake). Every decommission stays in the event log.
     * `earlier` holds the actor's four decommissions in the lot before the latest, 32 bits each as
     * `index + 1` (0 = none), most recent in the low bits: with `lastIndex` they let a repeat scan of one
     * of the actor's five latest packs of the lot answer {UnitCheck.AlreadyDecommissionedByYou} instead of
     * a duplicate alert, at no extra storage write (the bits share the word).
     */
    struct Custody {
        uint32 quantity;
        uint32 lastIndex;
        uint40 lastAt;
        DecommissionReason lastReason;
        uint128 earlier;
    }

    /**
     * @notice The lot was put on hold (quarantined) by `by` with origin `origin`, or an existing hold was
     * escalated to `origin`; `reasonHash` commits to why (alert leaf, sensor data, report).
     */
    event LotQuarantined(LotId indexed lotId, address indexed by, HoldOrigin indexed origin, bytes32 reasonHash);

    /// @notice No lot has this id.
    error LotUnknown(LotId lotId);
    /**
     * @notice The lot is `current`, which the action is not allowed from: it is allowed only from the
     * statuses in `allowedStatuses`, a bitmap with bit `uint8(status)` set for each (the SDK's
     * `lotStatusSet` builds and `lotStatusesOf` reads it), as OpenZeppelin Governor's
     * `GovernorUnexpectedProposalState(id, current, expectedStates)`.
     */
    error LotUnexpectedStatus(LotId lotId, LotStatus current, bytes32 allowedStatuses);
    /// @notice The lot expired at `expiry`.
    error LotExpired(LotId lotId, uint40 expiry);
    /// @notice `holder` holds `held` units of the lot, fewer than the `needed`.
    error CustodyInsufficient(LotId lotId, address holder, uint256 held, uint256 needed);
}
