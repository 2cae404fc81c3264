// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "../../interfaces/IMemberRegistry.sol";
import {RecordAccess} from "../../records/RecordAccess.sol";
import {UpgradeV2} from "./UpgradeV2.sol";

/// @dev RecordAccess's v2 of the upgrade rehearsal: v1 plus {UpgradeV2}.
contract RecordAccessV2Mock is RecordAccess, UpgradeV2 {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_) RecordAccess(registry_) {}
}
