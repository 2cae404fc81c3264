// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IMemberGated} from "../interfaces/IMemberGated.sol";

/**
 * @title MemberGated
 * @notice Base for domain contracts: gates functions on an active member holding a role in the
 * consortium {IMemberRegistry}. One external view call per check, O(1). Each domain contract is a
 * UUPS implementation behind an ERC-1967 proxy; only the consortium's governance (the registry's
 * default admin, a TimelockController) upgrades it.
 * @dev The registry is an immutable of the implementation, not proxy storage: it is read on every
 * gated call, and an immutable costs nothing where a storage slot costs a cold read (2,100 gas).
 * The proxy's registry is therefore whatever its implementation was built with, and
 * {_authorizeUpgrade} refuses an implementation built with another one (docs/SECURITY.md, Upgrades).
 */
abstract contract MemberGated is IMemberGated, Initializable, UUPSUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IMemberRegistry private immutable _registry;

    /// @dev Reverts with {MemberGatedUnauthorized} unless the caller is an active member with `role`.
    modifier onlyMember(bytes32 role) {
        _checkMember(role, msg.sender);
        _;
    }

    /// @dev Reverts with {MemberGatedZeroRegistry} when `registry_` is the zero address.
    /// @custom:oz-upgrades-unsafe-allow constructor
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

    /**
     * @dev Upgrades are governance's alone: reverts with {MemberGatedUnauthorizedUpgrade} unless the
     * caller is the registry's default admin (the consortium's TimelockController, so every upgrade
     * waited its delay in the open), and with {MemberGatedUpgradeRegistryChanged} unless
     * `newImplementation` answers {registry} with the registry in force.
     */
    function _authorizeUpgrade(address newImplementation) internal view override {
        address governance = IAccessControlDefaultAdminRules(address(_registry)).defaultAdmin();
        if (msg.sender != governance) revert MemberGatedUnauthorizedUpgrade(msg.sender, governance);
        (bool ok, bytes memory answer) = newImplementation.staticcall(abi.encodeCall(IMemberGated.registry, ()));
        if (!ok || answer.length != 32 || abi.decode(answer, (uint256)) != uint256(uint160(address(_registry)))) {
            revert MemberGatedUpgradeRegistryChanged(newImplementation, _registry);
        }
    }
}
