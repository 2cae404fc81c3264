// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ISupplyChain
 * @notice Drug traceability for the Carechain consortium, after US DSCSA, EU FMD (Reg. 2016/161) and
 * GS1 EPCIS 2.0 / CBV: products by GTIN-14, lots committed to the Merkle root of their serialised
 * units, two-phase custody, unit verification and decommissioning, quarantine, cold chain, recall.
 *
 * Identifiers (the SDK, src/supply/, computes them in one place):
 * - lot id = `keccak256(abi.encode(uint64 gtin, string lotNumber))` ({lotIdOf});
 * - unit leaf = OpenZeppelin StandardMerkleTree leaf of
 *   `(uint32 index, uint64 gtin, string serial, string lotNumber, uint40 expiry)`, i.e.
 *   `keccak256(bytes.concat(keccak256(abi.encode(index, gtin, serial, lotNumber, expiry))))`.
 *   The unit `index` (0 .. unitCount-1) is part of the leaf so that the bit a proof flips in the
 *   lot's decommission bitmap is bound to the proven serial: a serial has exactly one bit.
 *   `expiry` is the first second (unix time, UTC) at which the pack is expired, i.e. the start of the
 *   day after the GS1 AI (17) date;
 * - shipment id = `keccak256(abi.encode(lotId, from, to, quantity, eventHash))` ({shipmentIdOf}).
 *   Only the id is stored (one slot): the receiver presents the shipment's fields again, which the
 *   contract hashes. This keeps a shipment to one storage write (the ship budget is 75,000 gas).
 *
 * Nothing is stored per unit at commissioning: a lot costs the same for 1 or 1,000,000 units.
 * Every state change emits an event indexed by lot id, from which a lot's provenance and state
 * can be rebuilt. No personal data: only GS1 codes, hashes of off-chain EPCIS events and addresses.
 *
 * Trading partners (may hold custody, ship, receive, decommission): active members holding
 * WHOLESALER, DISPENSER or MANUFACTURER. The registry answers one role per call, so the contract asks
 * in that order (about 3,000 gas per extra role probed): a wholesaler is recognised first, then a
 * manufacturer, then a dispenser. Errors for a refused trading partner name WHOLESALER. Lot authorities (quarantine, release, recall, destroy):
 * the lot's manufacturer while it holds MANUFACTURER, or any REGULATOR.
 *
 * Holds (quarantine) remember their origin ({HoldOrigin}). A hold imposed by a regulator or by a
 * counterfeit or duplicate alert is lifted only by a regulator; a hold by the lot's manufacturer or a
 * cold-chain excursion is lifted by the manufacturer or a regulator. A regulator's hold or an alert
 * escalates a manufacturer's or cold-chain hold in place, so that a hold cannot be laundered by
 * imposing a weaker one first. Only a custodian of the lot (a party holding at least one unit) changes
 * a lot's status by an alert; anyone else's alert is recorded and changes nothing.
 */
interface ISupplyChain {
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

    /// @notice A lot: one slot of state (the hold's origin in its last byte) plus the serials root.
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
     * @notice A holder's custody of a lot, with its latest decommission (what {undoDecommission} may revert).
     * @dev One slot, written by every custody change and decommission anyway, so the undo record costs no
     * extra storage write. A per-unit record (who, when) would cost 22,100 gas per dispense and break the
     * dispense budget; hence an actor can undo its most recent decommission in a lot (the FMD use case:
     * a pack scanned by mistake). Every decommission stays in the event log.
     * `earlier` holds the actor's four decommissions in the lot before the latest, 32 bits each as
     * `index + 1` (0 = none), most recent in the low bits: with `lastIndex` they let a repeat scan of one
     * of the actor's five latest packs of the lot answer {UnitCheck.AlreadyDecommissionedByYou} instead of
     * a duplicate alert, at no extra storage write (the bits share the slot).
     */
    struct Custody {
        uint32 quantity;
        uint32 lastIndex;
        uint40 lastAt;
        DecommissionReason lastReason;
        uint128 earlier;
    }

    /// @notice `manufacturer` registered GTIN `gtin`; `metadataHash` commits to the off-chain product master data.
    event ProductRegistered(uint64 indexed gtin, address indexed manufacturer, bytes32 metadataHash);
    /// @notice A lot was commissioned with `unitCount` units committed to `serialsRoot`; custody goes to `manufacturer`.
    event LotCommissioned(
        bytes32 indexed lotId,
        uint64 indexed gtin,
        address indexed manufacturer,
        string lotNumber,
        uint40 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 eventHash
    );
    /// @notice `quantity` units of the lot left `from` for `to` (in transit); `eventHash` is the EPCIS shipping event.
    event ShipmentSent(
        bytes32 indexed lotId,
        address indexed from,
        address indexed to,
        bytes32 shipmentId,
        uint32 quantity,
        bytes32 eventHash
    );
    /// @notice The recipient `to` took custody of shipment `shipmentId`; `eventHash` is the EPCIS receiving event.
    event ShipmentReceived(bytes32 indexed lotId, bytes32 indexed shipmentId, address indexed to, bytes32 eventHash);
    /// @notice The recipient `to` refused shipment `shipmentId`; its quantity went back to the sender.
    event ShipmentRejected(bytes32 indexed lotId, bytes32 indexed shipmentId, address indexed to, bytes32 eventHash);
    /**
     * @notice The sender `from` cancelled shipment `shipmentId` to `to`, who could not receive it (suspended or
     * without a trading role); its quantity went back to `from`. `eventHash` is the EPCIS event of the return.
     */
    event ShipmentCancelled(
        bytes32 indexed lotId,
        bytes32 indexed shipmentId,
        address indexed from,
        address to,
        bytes32 eventHash
    );
    /// @notice Unit `index` of the lot was decommissioned by `actor` (whose custody fell by one).
    /// @dev Only the lot id is a topic (each topic costs 375 gas, a data word 256): that keeps dispense
    /// within its 62,000-gas budget. An actor's decommissions are found by lot id, then filtered.
    event UnitDecommissioned(bytes32 indexed lotId, address actor, uint32 index, DecommissionReason reason);
    /// @notice `actor` reverted its decommission of unit `index` (FMD Art. 13); its custody rose by one.
    event UnitDecommissionUndone(bytes32 indexed lotId, uint32 indexed index, address indexed actor);
    /**
     * @notice A verification during a dispense attempt failed: evidence kept for investigation (FMD
     * Art. 36(b), DSCSA suspect product). `leaf` is the hash of the scanned identity (as a unit leaf).
     */
    event SuspectPackAlert(
        bytes32 indexed lotId,
        address indexed reporter,
        UnitCheck indexed answer,
        uint32 index,
        bytes32 leaf
    );
    /**
     * @notice The lot was put on hold (quarantined) by `by` with origin `origin`, or an existing hold was
     * escalated to `origin`; `reasonHash` commits to why (alert leaf, sensor data, report).
     */
    event LotQuarantined(bytes32 indexed lotId, address indexed by, HoldOrigin indexed origin, bytes32 reasonHash);
    /// @notice The lot's hold of origin `origin` was lifted by `by`: the lot is Active again.
    event LotReleased(bytes32 indexed lotId, address indexed by, HoldOrigin origin, bytes32 reasonHash);
    /// @notice The lot was recalled by `by` with `recallClass`; `reasonHash` commits to the recall notice.
    event LotRecalled(bytes32 indexed lotId, address indexed by, RecallClass recallClass, bytes32 reasonHash);
    /// @notice The lot was destroyed (all its units); `eventHash` is the EPCIS destruction event.
    event LotDestroyed(bytes32 indexed lotId, address indexed by, bytes32 eventHash);
    /// @notice `reporter` attested a cold-chain excursion; `attestationHash` is the hash of the sensor readings.
    event ColdChainExcursion(bytes32 indexed lotId, address indexed reporter, bytes32 attestationHash);

    /// @notice `gtin` is not a GTIN-14 with a valid check digit.
    error ProductInvalidGTIN(uint64 gtin);
    /// @notice `gtin` is already registered by `manufacturer`.
    error ProductAlreadyRegistered(uint64 gtin, address manufacturer);
    /// @notice `gtin` was never registered.
    error ProductUnknown(uint64 gtin);
    /// @notice `account` is not the manufacturer `manufacturer` that registered `gtin`.
    error ProductNotManufacturer(uint64 gtin, address account, address manufacturer);
    /// @notice The lot number is empty or longer than the 20 characters GS1 AI (10) allows.
    error LotInvalidNumber(string lotNumber);
    /// @notice `expiry` is not after the current block time `nowSeconds`.
    error LotInvalidExpiry(uint40 expiry, uint256 nowSeconds);
    /// @notice A lot needs at least one unit.
    error LotInvalidUnitCount(uint32 unitCount);
    /// @notice A lot needs a non-zero serials root.
    error LotZeroSerialsRoot();
    /// @notice The lot was already commissioned.
    error LotAlreadyCommissioned(bytes32 lotId);
    /// @notice No lot has this id.
    error LotUnknown(bytes32 lotId);
    /// @notice The lot is `current`, which the action is not allowed from.
    error LotUnexpectedStatus(bytes32 lotId, LotStatus current);
    /// @notice The lot expired at `expiry`.
    error LotExpired(bytes32 lotId, uint40 expiry);
    /// @notice `account` is a manufacturer but not the lot's manufacturer `manufacturer`.
    error LotNotManufacturer(bytes32 lotId, address account, address manufacturer);
    /// @notice `account` may not lift a hold of origin `origin` (only a regulator may).
    error LotReleaseUnauthorized(bytes32 lotId, address account, HoldOrigin origin);
    /// @notice `recallClass` is not class I, II or III.
    error LotInvalidRecallClass(RecallClass recallClass);
    /// @notice `holder` holds `held` units of the lot, fewer than the `needed`.
    error CustodyInsufficient(bytes32 lotId, address holder, uint256 held, uint256 needed);
    /// @notice A shipment needs a quantity of at least one.
    error ShipmentInvalidQuantity(uint32 quantity);
    /// @notice `to` is not an active member, or is the sender.
    error ShipmentInvalidRecipient(address to);
    /// @notice The same shipment (same fields and event hash) is already in transit.
    error ShipmentAlreadyInTransit(bytes32 shipmentId);
    /// @notice No shipment with this id is in transit (never sent, already received or rejected, or not to the caller).
    error ShipmentNotInTransit(bytes32 shipmentId);
    /// @notice `to` is an active trading partner, so it can receive or reject shipment `shipmentId` itself.
    error ShipmentRecipientCanReceive(bytes32 shipmentId, address to);
    /// @notice The unit failed verification with `answer`.
    error UnitNotGenuine(bytes32 lotId, uint32 index, UnitCheck answer);
    /// @notice `reason` is not accepted here (dispensing goes through {dispense}; destroyed or stolen units cannot be undone).
    error UnitInvalidReason(DecommissionReason reason);
    /// @notice `actor`'s latest decommission in the lot is not unit `index` (or there is none to undo).
    error UnitNothingToUndo(bytes32 lotId, address actor, uint32 index);
    /// @notice The undo window closed at `deadline`.
    error UnitUndoWindowClosed(bytes32 lotId, uint32 index, uint256 deadline);

    /**
     * @notice Registers GTIN `gtin` as the caller's product.
     * Requirements: caller is an active MANUFACTURER; `gtin` is a GTIN-14 with a valid check digit
     * and not yet registered.
     * Emits {ProductRegistered}.
     */
    function registerProduct(uint64 gtin, bytes32 metadataHash) external;

    /**
     * @notice Commissions lot `lotNumber` of product `gtin`: `unitCount` serialised units committed to
     * `serialsRoot`; the caller holds all of them. Costs the same whatever `unitCount`.
     * Requirements: caller is an active MANUFACTURER and registered `gtin`; `lotNumber` is 1-20 bytes;
     * `expiry` is in the future; `unitCount` > 0; `serialsRoot` non-zero; the lot is new.
     * Emits {LotCommissioned}.
     * @return lotId The lot's id, {lotIdOf}(gtin, lotNumber).
     */
    function commissionLot(
        uint64 gtin,
        string calldata lotNumber,
        uint40 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 eventHash
    ) external returns (bytes32 lotId);

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
    function ship(bytes32 lotId, address to, uint32 quantity, bytes32 eventHash) external returns (bytes32 shipmentId);

    /**
     * @notice Takes custody of a shipment to the caller, identified by its fields.
     * Allowed whatever the lot's status: custody of recalled or quarantined product must stay known.
     * Requirements: caller is an active trading partner (error names WHOLESALER); the shipment
     * (lotId, from, caller, quantity, shipEventHash) is in transit.
     * Emits {ShipmentReceived}.
     */
    function receiveShipment(
        bytes32 lotId,
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
        bytes32 lotId,
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
        bytes32 lotId,
        address to,
        uint32 quantity,
        bytes32 shipEventHash,
        bytes32 eventHash
    ) external;

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
     * or stolen (FMD Art. 13(1)(d)); the lot is not recalled or destroyed and not expired.
     * Emits {UnitDecommissionUndone}.
     */
    function undoDecommission(bytes32 lotId, uint32 index) external;

    /**
     * @notice Quarantines an active lot (suspect product): it can no longer ship or dispense. The hold's
     * origin is Regulator when a regulator imposes it, Manufacturer otherwise. A regulator may also
     * escalate a Manufacturer or ColdChain hold to a Regulator hold.
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR (error names MANUFACTURER); lot Active
     * (or, for a regulator, Quarantined by a Manufacturer or ColdChain hold).
     * Emits {LotQuarantined}.
     */
    function quarantineLot(bytes32 lotId, bytes32 reasonHash) external;

    /**
     * @notice Releases a quarantined lot back to Active.
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR; lot Quarantined; a hold of origin
     * Regulator, CounterfeitAlert or DuplicateAlert only by a REGULATOR ({LotReleaseUnauthorized}).
     * Emits {LotReleased}.
     */
    function releaseLot(bytes32 lotId, bytes32 reasonHash) external;

    /**
     * @notice Recalls a lot — one write that every unit inherits.
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR; lot Active or Quarantined;
     * `recallClass` is I, II or III.
     * Emits {LotRecalled}.
     */
    function recallLot(bytes32 lotId, RecallClass recallClass, bytes32 reasonHash) external;

    /**
     * @notice Marks the whole lot destroyed (terminal).
     * Requirements: caller is the lot's MANUFACTURER or a REGULATOR; lot Active, Quarantined or Recalled.
     * Emits {LotDestroyed}.
     */
    function destroyLot(bytes32 lotId, bytes32 eventHash) external;

    /**
     * @notice Posts a cold-chain excursion attestation (hash of the sensor readings); an Active lot is
     * put on a ColdChain hold until its manufacturer or a regulator releases or destroys it (the
     * manufacturer owns the stability data that decide whether the excursion harmed the product).
     * Requirements: caller is an active SENSOR_ORACLE, or an active member holding units of the lot
     * (error names SENSOR_ORACLE); the lot is Active, Quarantined or Recalled.
     * Emits {ColdChainExcursion} and, from Active, {LotQuarantined}.
     */
    function reportExcursion(bytes32 lotId, bytes32 attestationHash) external;

    /**
     * @notice Verifies a pack: a free view answering one {UnitCheck}. `holder` (zero to skip) is
     * checked for custody of the lot. Order of answers: unknown product, unknown lot, unknown serial
     * (bad proof or index out of range), already decommissioned (by `holder` itself among its five latest
     * decommissions in the lot: {UnitCheck.AlreadyDecommissionedByYou}), lot destroyed, recalled,
     * quarantined, expired, not in `holder`'s custody, genuine.
     */
    function verifyUnit(Unit calldata unit, bytes32[] calldata proof, address holder) external view returns (UnitCheck);

    /// @notice The product registered under `gtin` (zero if none).
    function productOf(uint64 gtin) external view returns (Product memory);

    /// @notice The lot `lotId` (zero if none).
    function lotOf(bytes32 lotId) external view returns (Lot memory);

    /// @notice `holder`'s custody of lot `lotId`.
    function custodyOf(bytes32 lotId, address holder) external view returns (Custody memory);

    /// @notice Whether shipment `shipmentId` is in transit.
    function isInTransit(bytes32 shipmentId) external view returns (bool);

    /// @notice Whether unit `index` of lot `lotId` is decommissioned.
    function isDecommissioned(bytes32 lotId, uint32 index) external view returns (bool);

    /// @notice The lot id of lot `lotNumber` of product `gtin`: `keccak256(abi.encode(gtin, lotNumber))`.
    function lotIdOf(uint64 gtin, string calldata lotNumber) external pure returns (bytes32);

    /// @notice The id of a shipment: `keccak256(abi.encode(lotId, from, to, quantity, eventHash))`.
    function shipmentIdOf(
        bytes32 lotId,
        address from,
        address to,
        uint32 quantity,
        bytes32 eventHash
    ) external pure returns (bytes32);

    /// @notice The StandardMerkleTree leaf of `unit` (the double keccak of its ABI encoding).
    function unitLeaf(Unit calldata unit) external pure returns (bytes32);

    /// @notice How long after a decommission its actor may undo it: 10 days (FMD Art. 13).
    function UNDO_WINDOW() external view returns (uint256);
}
