// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyChain} from "../interfaces/ISupplyChain.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {SupplyLots} from "./SupplyLots.sol";
import {SupplyCustody} from "./SupplyCustody.sol";
import {SupplyUnits} from "./SupplyUnits.sol";
import {SupplyHolds} from "./SupplyHolds.sol";

/**
 * @title SupplyChain
 * @notice Carechain drug traceability: GS1 products and lots, Merkle-committed serials, two-phase
 * custody, verify-and-dispense with alerts, quarantine, cold chain and recall. See {ISupplyChain}.
 * @dev Composed of sibling modules over {SupplyBase}'s storage, as ENS builds PublicResolver from
 * its profiles: {SupplyLots}, {SupplyCustody}, {SupplyUnits}, {SupplyHolds}.
 */
contract SupplyChain is ISupplyChain, SupplyLots, SupplyCustody, SupplyUnits, SupplyHolds {
    constructor(IMemberRegistry registry_) MemberGated(registry_) {}
}
