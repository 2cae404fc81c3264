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
 * its profiles: {SupplyLots}, {SupplyCustody}, {SupplyUnits}, {SupplyHolds}. A UUPS implementation:
 * deployed behind an ERC-1967 proxy whose constructor calls {initialize}; only governance upgrades it
 * ({MemberGated-_authorizeUpgrade}). Its state is {SupplyBase}'s ERC-7201 namespace.
 */
contract SupplyChain is ISupplyChain, SupplyLots, SupplyCustody, SupplyUnits, SupplyHolds {
    /// @param registry_ The consortium registry (an immutable of the implementation: see {MemberGated}).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_) MemberGated(registry_) {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy (called once, by the proxy's constructor). The supply domain starts
     * empty and its registry is the implementation's, so there is nothing to set: the call marks the
     * proxy initialised, so that nobody can call it again ({InvalidInitialization}).
     */
    function initialize() external initializer {}
}
