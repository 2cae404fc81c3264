// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IMemberGated} from "../interfaces/IMemberGated.sol";

/**
 * @title MemberGated
 * @notice Base for domain contracts: gates functions on an active member holding a role in the
 * consortium {IMemberRegistry}. One external view call per check, O(1).
 */
abstract contract MemberGated is IMemberGated {
    IMemberRegistry private immutable _registry;

    /// @dev Reverts with {MemberGatedUnauthorized} unless the caller is an active member with `role`.
    modifier onlyMember(bytes32 role) {
        _checkMember(role, msg.sender);
        _;
    }

    /// @dev Reverts with {MemberGatedZeroRegistry} when `registry_` is the zero address.
    constructor(IMemberRegistry registry_) {
        if (address(registry_) == address(0)) revert MemberGatedZeroRegistry();
        _registry = registry_;
    }

    /// @inheritdoc IMemberGated
    function registry() public view returns (IMemberRegistry) {
        return _registry;
    }

    /// @dev Whether `account` is an active member holding `role`.
    function _isMember(bytes32 role, address account) internal view returns (bool) {
        return _registry.hasActiveRole(role, account);
    }

    /// @dev Reverts with {MemberGatedUnauthorized} unless `account` is an active member with `role`.
    function _checkMember(bytes32 role, address account) internal view {
        if (!_registry.hasActiveRole(role, account)) revert MemberGatedUnauthorized(account, role);
    }

    /**
     * @dev Reverts with {MemberGatedUnauthorizedAny} naming the whole set unless `account` is an
     * active member holding at least one of `roles`. One registry call per role until one holds:
     * O(n) in the caller's fixed list, never in anything users grow.
     */
    function _checkMemberAny(bytes32[] memory roles, address account) internal view {
        uint256 n = roles.length;
        for (uint256 i; i < n; ++i) {
            if (_registry.hasActiveRole(roles[i], account)) return;
        }
        revert MemberGatedUnauthorizedAny(account, roles);
    }
}
