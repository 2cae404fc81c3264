// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

/**
 * @dev What every v2 of the upgrade rehearsal (test/upgrades/rehearsal.ts) adds to its v1: a field in a
 * new ERC-7201 namespace, written once by a `reinitializer(2)` called in the same transaction as the
 * upgrade, and two functions. The v1 namespaces are untouched, so every v1 field must read the same.
 */
abstract contract UpgradeV2 is Initializable {
    /// @custom:storage-location erc7201:carechain.storage.UpgradeV2Mock
    struct UpgradeV2Storage {
        uint256 marker;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("carechain.storage.UpgradeV2Mock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant UPGRADE_V2_STORAGE_LOCATION =
        0x864287be429aa869603a7b9ede949eef571eb69b2dd329a8f4942632e3fcf000;

    event UpgradeV2Initialized(uint256 marker);

    /// @dev Runs once, at the upgrade (`upgradeToAndCall`'s data).
    function initializeV2(uint256 marker) external reinitializer(2) {
        _getUpgradeV2Storage().marker = marker;
        emit UpgradeV2Initialized(marker);
    }

    /// @dev The new field.
    function v2Marker() external view returns (uint256) {
        return _getUpgradeV2Storage().marker;
    }

    /// @dev The new function.
    function version() external pure returns (string memory) {
        return "2";
    }

    function _getUpgradeV2Storage() private pure returns (UpgradeV2Storage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := UPGRADE_V2_STORAGE_LOCATION
        }
    }
}
