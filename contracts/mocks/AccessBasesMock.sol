// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {SignedActions} from "../access/SignedActions.sol";
import {Roles} from "../access/Roles.sol";

/// @dev Exercises the shared bases (member gating, EIP-712 signed actions) in isolation for tests.
contract AccessBasesMock is MemberGated, SignedActions {
    bytes32 public constant PING_TYPEHASH = keccak256(
        "Ping(address signer,uint256 value,uint256 nonce,uint256 deadline)"
    );

    event Pinged(address indexed signer, uint256 value);
    event GatedCalled(address indexed caller);

    constructor(IMemberRegistry registry_) MemberGated(registry_) {}

    function gated() external onlyMember(Roles.MANUFACTURER) {
        emit GatedCalled(msg.sender);
    }

    /// @dev Accepts a MANUFACTURER or a WHOLESALER (exercises {_checkMemberAny}).
    function gatedAny() external view {
        bytes32[] memory roles = new bytes32[](2);
        roles[0] = Roles.MANUFACTURER;
        roles[1] = Roles.WHOLESALER;
        _checkMemberAny(roles, msg.sender);
    }

    function isManufacturer(address account) external view returns (bool) {
        return _isMember(Roles.MANUFACTURER, account);
    }

    function pingBySig(address signer, uint256 value, uint256 deadline, bytes calldata signature) external {
        bytes32 structHash = keccak256(abi.encode(PING_TYPEHASH, signer, value, _useNonce(signer), deadline));
        _checkSignature(signer, structHash, deadline, signature);
        emit Pinged(signer, value);
    }

    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return "AccessBasesMock";
    }

    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }
}
