// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "./IMemberRegistry.sol";

/**
 * @title IMemberGated
 * @notice What every domain contract that admits only consortium members shares: the registry it
 * reads and the errors it raises for a caller that is not an active member with the right role.
 */
interface IMemberGated {
    /// @notice `account` is not an active member holding `role` (non-member, suspended, or wrong role).
    error MemberGatedUnauthorized(address account, bytes32 role);
    /// @notice `account` is an active member holding none of `roles`, any one of which the action
    /// accepts (or is not an active member at all).
    error MemberGatedUnauthorizedAny(address account, bytes32[] roles);
    /// @notice The registry given at construction is the zero address.
    error MemberGatedZeroRegistry();
    /// @notice `account` asked for an upgrade but is not the consortium's governance (the registry's
    /// default admin, `governance`): only governance upgrades a domain contract.
    error MemberGatedUnauthorizedUpgrade(address account, address governance);
    /// @notice The implementation an upgrade would install does not trust the same registry
    /// (`registry`, the one in force): an upgrade never swaps the consortium's member list.
    error MemberGatedUpgradeRegistryChanged(address newImplementation, IMemberRegistry registry);

    /// @notice The consortium member registry this contract trusts.
    function registry() external view returns (IMemberRegistry);
}
