// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MemberRegistry} from "../../access/MemberRegistry.sol";
import {UpgradeV2} from "./UpgradeV2.sol";

/// @dev The registry's v2 of the upgrade rehearsal: v1 plus {UpgradeV2}.
contract MemberRegistryV2Mock is MemberRegistry, UpgradeV2 {}
