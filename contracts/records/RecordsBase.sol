// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordTypes} from "../interfaces/records/IRecordTypes.sol";
import {IResearchConsent} from "../interfaces/IResearchConsent.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {SignedActions} from "../access/SignedActions.sol";

/**
 * @title RecordsBase
 * @notice The storage every records module shares, and the checks more than one of them reads. The
 * modules ({RecordIndex}, {PatientDirectives}, {PatientGuardians}, {EmergencyAccess}) are siblings
 * over it and {RecordAccess} composes them: no module writes another module's struct.
 * @dev All of the domain's state is declared here, in one place. Every write is one storage word;
 * nothing loops.
 */
abstract contract RecordsBase is IRecordTypes, MemberGated, SignedActions {
    /// @dev Per-patient word: grant epoch, unreviewed emergencies, the patient-wide deny rule. One slot.
    struct PatientState {
        uint32 epoch;
        uint32 pendingEmergencies;
        uint16 deniedCategories;
        address denyExempt;
    }

    uint8 internal constant _ACTION_READ = 1;
    uint8 internal constant _ALL_ACTIONS = 0x03;
    /// @dev Six purposes: treatment 0, payment 1, operations 2, research 3, public health 4, patient request 5.
    uint8 internal constant _MAX_PURPOSE = 5;
    uint8 internal constant _ALL_PURPOSES = 0x3f;
    uint8 internal constant _PURPOSE_TREATMENT = 0;
    uint8 internal constant _POWER_GRANT = 1;
    uint8 internal constant _POWER_REVOKE = 2;
    uint8 internal constant _POWER_DENY = 4;
    uint8 internal constant _POWER_REVIEW = 8;
    uint8 internal constant _ALL_POWERS = 0x0f;

    /**
     * @dev The whole of the records domain's state, in one ERC-7201 namespace so that upgrades can
     * append to it and no inherited contract can collide with it. The modules are parts of one contract
     * over this storage, as ENS's resolver profiles share ResolverBase's. Append new fields at the end,
     * never reorder.
     * @custom:storage-location erc7201:carechain.storage.Records
     */
    struct RecordsStorage {
        mapping(address patient => mapping(bytes32 recordId => Record)) _records;
        mapping(address account => bytes publicKey) _encryptionKeys;
        mapping(address patient => mapping(address grantee => Grant)) _grants;
        mapping(address patient => PatientState) _patients;
        mapping(address patient => Guardian) _guardians;
        mapping(address patient => mapping(bytes32 trialId => address participant)) _researchParticipants;
        mapping(address patient => mapping(address provider => Emergency)) _emergencies;
        mapping(address provider => address officer) _privacyOfficers;
        /// @dev The trials contract that answers research-consent questions (set by `initialize`).
        IResearchConsent _researchConsent;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("carechain.storage.Records")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant RECORDS_STORAGE_LOCATION =
        0x0e9427523c41beaa161caaeede83873a47aac0cf29b83619b975c59f6cccb800;

    /// @dev The address trial `trialId` knows `patient` by: the linked participant, else `patient`.
    function _researchParticipant(address patient, bytes32 trialId) internal view returns (address) {
        address participant = _getRecordsStorage()._researchParticipants[patient][trialId];
        return participant == address(0) ? patient : participant;
    }

    /// @dev Whether `account` is `patient`'s guardian in office holding `power` (whatever the categories).
    function _isGuardianWith(address patient, address account, uint8 power) internal view returns (bool) {
        Guardian storage guardian = _getRecordsStorage()._guardians[patient];
        return guardian.account == account && !(guardian.until < block.timestamp) && guardian.powers & power != 0;
    }

    /// @dev Whether a deny rule keeps category `bit` from `accessor`.
    function _isDenied(
        PatientState storage state,
        Grant storage g,
        address accessor,
        uint16 bit
    ) internal view returns (bool) {
        return (state.deniedCategories & bit != 0 && accessor != state.denyExempt) || g.deniedCategories & bit != 0;
    }

    /// @dev What the permit part of `g` says about category `bit`, `purpose` and `recordDate`;
    /// `patientEpoch` is the patient's current epoch (a guardian's grant is checked against the
    /// guardian epoch instead, one more word read only for such grants).
    function _grantReason(
        address patient,
        Grant storage g,
        uint32 patientEpoch,
        uint16 bit,
        uint8 purpose,
        uint40 recordDate
    ) internal view returns (AccessReason) {
        if (g.validUntil == 0) return AccessReason.NoGrant;
        if (g.revoked || g.epoch != _epochFor(patient, g, patientEpoch)) return AccessReason.Revoked;
        if (block.timestamp < g.validFrom) return AccessReason.NotYetValid;
        if (block.timestamp > g.validUntil) return AccessReason.Expired;
        if (g.categories & bit == 0) return AccessReason.CategoryNotGranted;
        if (g.actions & _ACTION_READ == 0) return AccessReason.ActionNotGranted;
        if (g.purposes & (uint8(1) << purpose) == 0) return AccessReason.PurposeNotGranted;
        if (recordDate < g.dataFrom || recordDate > g.dataUntil) return AccessReason.OutsideDataPeriod;
        return AccessReason.Granted;
    }

    /// @dev A grant that would count if it were in its period: granted, not revoked, current epoch.
    function _isLive(address patient, Grant storage g, uint32 patientEpoch) internal view returns (bool) {
        return g.validUntil != 0 && !g.revoked && g.epoch == _epochFor(patient, g, patientEpoch);
    }

    /// @dev The epoch `g` must carry to count: the guardian epoch for a guardian's grant, else the patient's.
    function _epochFor(address patient, Grant storage g, uint32 patientEpoch) internal view returns (uint32) {
        return g.byGuardian ? _getRecordsStorage()._guardians[patient].epoch : patientEpoch;
    }

    /// @dev The domain's namespaced storage ({RecordsStorage}).
    function _getRecordsStorage() internal pure returns (RecordsStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := RECORDS_STORAGE_LOCATION
        }
    }

    /// @dev The EIP-712 domain name, a constant: signatures made before an upgrade stay valid after it.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return "Carechain RecordAccess";
    }

    /// @dev The EIP-712 domain version, a constant (see {_EIP712Name}).
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }
}
