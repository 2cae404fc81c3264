// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {MemberRegistry} from "../../../contracts/access/MemberRegistry.sol";
import {Roles} from "../../../contracts/access/Roles.sol";
import {GS1} from "../../../contracts/libraries/GS1.sol";

/**
 * @notice The consortium every forge suite starts from: a registry with governance and a
 * registrar, and helpers that make funded actors and admit them with roles (a member's GLN is
 * made valid from a counter). Domain suites deploy their contract on `registry` in their setUp.
 * Every contract is deployed as users deploy it: a UUPS implementation behind an ERC1967Proxy
 * whose constructor calls `initialize` (ERC1967Proxy is imported here for the suites).
 */
abstract contract Consortium is Test {
    MemberRegistry internal registry;
    address internal governance = makeAddr("governance");
    address internal registrar = makeAddr("registrar");
    uint64 private _nextGln = 400000000000;

    function _deployRegistry() internal {
        registry = MemberRegistry(
            address(
                new ERC1967Proxy(
                    address(new MemberRegistry()),
                    abi.encodeCall(MemberRegistry.initialize, (governance, 2 days, registrar))
                )
            )
        );
    }

    /// @dev A valid 13-digit GLN, unique per call (test company prefix 400000).
    function _newGln() internal returns (uint64) {
        uint64 body = _nextGln++;
        for (uint64 c = 0; c < 10; ++c) {
            if (GS1.isValidGLN(uint256(body) * 10 + c)) return body * 10 + c;
        }
        revert("no check digit");
    }

    /// @dev An address with a private key (for vm.sign), admitted as a member holding `role`.
    function _member(string memory name, bytes32 role) internal returns (address account, uint256 key) {
        (account, key) = makeAddrAndKey(name);
        vm.startPrank(registrar);
        registry.admitMember(account, _newGln(), keccak256(bytes(name)));
        if (role != bytes32(0)) registry.grantRole(role, account);
        vm.stopPrank();
    }

    /// @dev Grants `role` to an admitted member.
    function _grant(address account, bytes32 role) internal {
        vm.prank(registrar);
        registry.grantRole(role, account);
    }

    function _suspend(address account) internal {
        vm.prank(registrar);
        registry.suspendMember(account, keccak256("suspended in test"));
    }
}
