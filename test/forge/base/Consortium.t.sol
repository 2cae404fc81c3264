// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Consortium} from "./Consortium.sol";
import {Roles} from "../../../contracts/access/Roles.sol";

/// @notice The shared base works: members admitted with a role are active in it; suspension stops them.
contract ConsortiumBaseTest is Consortium {
    function setUp() public {
        _deployRegistry();
    }

    function test_admitsAndSuspends() public {
        (address m, ) = _member("manufacturer", Roles.MANUFACTURER);
        assertTrue(registry.hasActiveRole(Roles.MANUFACTURER, m));
        assertFalse(registry.hasActiveRole(Roles.DISPENSER, m));
        _suspend(m);
        assertFalse(registry.hasActiveRole(Roles.MANUFACTURER, m));
    }
}
