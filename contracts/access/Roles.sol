// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title Roles
 * @notice The role identifiers of the Carechain consortium, shared by every domain.
 * Each is keccak256 of its name, as OpenZeppelin AccessControl expects.
 */
library Roles {
    /// @dev Appointed by governance; admits and suspends members, grants domain roles.
    bytes32 internal constant REGISTRAR = keccak256("REGISTRAR_ROLE");

    bytes32 internal constant MANUFACTURER = keccak256("MANUFACTURER_ROLE");
    bytes32 internal constant WHOLESALER = keccak256("WHOLESALER_ROLE");
    bytes32 internal constant DISPENSER = keccak256("DISPENSER_ROLE");
    bytes32 internal constant PROVIDER = keccak256("PROVIDER_ROLE");
    bytes32 internal constant SPONSOR = keccak256("SPONSOR_ROLE");
    bytes32 internal constant IRB = keccak256("IRB_ROLE");
    bytes32 internal constant TRIAL_SITE = keccak256("TRIAL_SITE_ROLE");
    bytes32 internal constant RESEARCHER = keccak256("RESEARCHER_ROLE");
    bytes32 internal constant REGULATOR = keccak256("REGULATOR_ROLE");
    bytes32 internal constant SENSOR_ORACLE = keccak256("SENSOR_ORACLE_ROLE");
    /// @dev A provider's privacy officer, who reviews break-glass emergencies.
    bytes32 internal constant PRIVACY_OFFICER = keccak256("PRIVACY_OFFICER_ROLE");

    /// @notice Whether `role` is one of the domain roles members may hold.
    function isDomainRole(bytes32 role) internal pure returns (bool) {
        return
            role == MANUFACTURER ||
            role == WHOLESALER ||
            role == DISPENSER ||
            role == PROVIDER ||
            role == SPONSOR ||
            role == IRB ||
            role == TRIAL_SITE ||
            role == RESEARCHER ||
            role == REGULATOR ||
            role == SENSOR_ORACLE ||
            role == PRIVACY_OFFICER;
    }
}
