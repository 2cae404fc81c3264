// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyLots} from "./supply/ISupplyLots.sol";
import {ISupplyCustody} from "./supply/ISupplyCustody.sol";
import {ISupplyUnits} from "./supply/ISupplyUnits.sol";
import {ISupplyHolds} from "./supply/ISupplyHolds.sol";

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
 *
 * Composed of one interface per module (as Uniswap v3's `interfaces/pool/*`): {ISupplyLots} products
 * and lots, {ISupplyCustody} custody and shipments, {ISupplyUnits} verification and decommissioning,
 * {ISupplyHolds} holds, recall and cold chain; {ISupplyTypes} holds what they share. Lot and shipment
 * ids are typed ({LotId}, {ShipmentId}: bytes32 in the ABI).
 */
interface ISupplyChain is ISupplyLots, ISupplyCustody, ISupplyUnits, ISupplyHolds {}
