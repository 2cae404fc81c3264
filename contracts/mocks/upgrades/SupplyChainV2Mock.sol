// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "../../interfaces/IMemberRegistry.sol";
import {SupplyChain} from "../../supply/SupplyChain.sol";
import {UpgradeV2} from "./UpgradeV2.sol";

/// @dev SupplyChain's v2 of the upgrade rehearsal: v1 plus {UpgradeV2}.
contract SupplyChainV2Mock is SupplyChain, UpgradeV2 {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_) SupplyChain(registry_) {}
}
