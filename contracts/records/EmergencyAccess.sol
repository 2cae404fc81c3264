// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordAccess} from "../interfaces/IRecordAccess.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Roles} from "../access/Roles.sol";
import {PatientDirectives} from "./PatientDirectives.sol";

/**
 * @title EmergencyAccess
 * @notice Break-glass (HIPAA §164.312(a)(2)(ii)): a PROVIDER declares an emergency for a patient and
 * may read its records for treatment for {EMERGENCY_ACCESS_DURATION}; each declaration stays pending
 * until the patient, its guardian (review power) or a PRIVACY_OFFICER reviews it. The patient's
 * unreviewed count lives in the patient's word, so counting is O(1). See {IRecordAccess}.
 */
abstract contract EmergencyAccess is PatientDirectives, MemberGated {
    uint8 private constant _MAX_EMERGENCY_REASON = 4;

    /// @inheritdoc IRecordAccess
    uint40 public constant EMERGENCY_ACCESS_DURATION = 24 hours;

    // solhint-disable-next-line gas-small-strings
    bytes32 private constant _REVIEW_EMERGENCY_TYPEHASH = keccak256(
        "ReviewEmergency(address patient,address provider,uint256 nonce,uint256 deadline)"
    );

    mapping(address patient => mapping(address provider => Emergency)) private _emergencies;

    /// @inheritdoc IRecordAccess
    function breakGlass(address patient, uint8 reasonCode) external onlyMember(Roles.PROVIDER) {
        if (patient == address(0) || patient == msg.sender) revert RecordAccessInvalidPatient(patient);
        if (reasonCode == 0 || reasonCode > _MAX_EMERGENCY_REASON) {
            revert RecordAccessInvalidEmergencyReason(reasonCode);
        }
        uint40 until = uint40(block.timestamp) + EMERGENCY_ACCESS_DURATION;
        Emergency storage emergency = _emergencies[patient][msg.sender];
        emergency.until = until;
        emergency.reasonCode = reasonCode;
        ++emergency.pendingReviews;
        ++_patientState(patient).pendingEmergencies;
        emit EmergencyAccessDeclared(patient, msg.sender, reasonCode, until);
    }

    /// @inheritdoc IRecordAccess
    function reviewEmergency(address patient, address provider) external {
        _review(msg.sender, patient, provider);
    }

    /// @inheritdoc IRecordAccess
    function reviewEmergencyBySig(
        address signer,
        address patient,
        address provider,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(_REVIEW_EMERGENCY_TYPEHASH, patient, provider, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, deadline, signature);
        _review(signer, patient, provider);
    }

    /// @inheritdoc IRecordAccess
    function emergencyOf(address patient, address provider) external view returns (Emergency memory) {
        return _emergencies[patient][provider];
    }

    /// @inheritdoc IRecordAccess
    function pendingEmergencies(address patient) external view returns (uint32) {
        return _patientState(patient).pendingEmergencies;
    }

    /// @dev Until when `provider` has emergency access to `patient` (zero: never declared).
    function _emergencyUntil(address patient, address provider) internal view returns (uint40) {
        return _emergencies[patient][provider].until;
    }

    function _review(address reviewer, address patient, address provider) private {
        if (reviewer != patient) {
            if (!_isGuardianWith(patient, reviewer, _POWER_REVIEW) && !_isMember(Roles.PRIVACY_OFFICER, reviewer)) {
                revert RecordAccessNotReviewer(patient, reviewer);
            }
        }
        Emergency storage emergency = _emergencies[patient][provider];
        uint32 count = emergency.pendingReviews;
        if (count == 0) revert RecordAccessNoPendingEmergency(patient, provider);
        emergency.pendingReviews = 0;
        // unchecked: the patient's counter is the sum of every provider's pending count, so it holds `count`.
        unchecked {
            _patientState(patient).pendingEmergencies -= count;
        }
        emit EmergencyReviewed(patient, provider, reviewer, count);
    }
}
