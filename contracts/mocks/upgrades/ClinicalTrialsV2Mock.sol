// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "../../interfaces/IMemberRegistry.sol";
import {ClinicalTrials} from "../../trials/ClinicalTrials.sol";
import {UpgradeV2} from "./UpgradeV2.sol";

/// @dev ClinicalTrials' v2 of the upgrade rehearsal: v1 plus {UpgradeV2}.
contract ClinicalTrialsV2Mock is ClinicalTrials, UpgradeV2 {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_) ClinicalTrials(registry_) {}
}
