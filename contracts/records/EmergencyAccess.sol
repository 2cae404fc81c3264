// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEmergencyAccess} from "../interfaces/records/IEmergencyAccess.sol";
import {Roles} from "../access/Roles.sol";
import {RecordsBase} from "./RecordsBase.sol";

/**
 * @title EmergencyAccess
 * @notice Break-glass (HIPAA §164.312(a)(2)(ii)): a PROVIDER declares an emergency for a patient and
 * may read its records for treatment for {EMERGENCY_ACCESS_DURATION}; each declaration stays pending
 * until the patient, its guardian (review power) or the provider's own privacy officer reviews it —
 * never the declaring provider. A provider's organisation names its privacy officer on chain
 * ({designatePrivacyOfficer}): an active PRIVACY_OFFICER other than the provider. The reason is a
 * salted commitment, opened off chain to the reviewer. The patient's
 * unreviewed count lives in the patient's word ({RecordsBase}), so counting is O(1). See {IEmergencyAccess}.
 */
abstract contract EmergencyAccess is IEmergencyAccess, RecordsBase {
    /// @inheritdoc IEmergencyAccess
    uint40 public constant EMERGENCY_ACCESS_DURATION = 24 hours;

    // solhint-disable-next-line gas-small-strings
    bytes32 private constant _REVIEW_EMERGENCY_TYPEHASH = keccak256(
        "ReviewEmergency(address patient,address signer,address provider,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IEmergencyAccess
    function breakGlass(address patient, bytes32 reasonCommitment) external onlyMember(Roles.PROVIDER) {
        if (patient == address(0) || patient == msg.sender) revert RecordAccessInvalidPatient(patient);
        if (reasonCommitment == bytes32(0)) revert RecordAccessInvalidEmergencyReason(reasonCommitment);
        uint40 until = uint40(block.timestamp) + EMERGENCY_ACCESS_DURATION;
        Emergency storage emergency = _getRecordsStorage()._emergencies[patient][msg.sender];
        emergency.until = until;
        ++emergency.pendingReviews;
        ++_getRecordsStorage()._patients[patient].pendingEmergencies;
        emit EmergencyAccessDeclared(patient, msg.sender, reasonCommitment, until);
    }

    /// @inheritdoc IEmergencyAccess
    function designatePrivacyOfficer(address officer) external onlyMember(Roles.PROVIDER) {
        if (officer == msg.sender || (officer != address(0) && !_isMember(Roles.PRIVACY_OFFICER, officer))) {
            revert RecordAccessInvalidPrivacyOfficer(officer);
        }
        _getRecordsStorage()._privacyOfficers[msg.sender] = officer;
        emit PrivacyOfficerDesignated(msg.sender, officer);
    }

    /// @inheritdoc IEmergencyAccess
    function reviewEmergency(address patient, address provider) external {
        _review(msg.sender, patient, provider);
    }

    /// @inheritdoc IEmergencyAccess
    function reviewEmergencyBySig(
        address signer,
        address patient,
        address provider,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(_REVIEW_EMERGENCY_TYPEHASH, patient, signer, provider, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, deadline, signature);
        _review(signer, patient, provider);
    }

    /// @inheritdoc IEmergencyAccess
    function emergencyOf(address patient, address provider) external view returns (Emergency memory) {
        return _getRecordsStorage()._emergencies[patient][provider];
    }

    /// @inheritdoc IEmergencyAccess
    function privacyOfficerOf(address provider) external view returns (address) {
        return _getRecordsStorage()._privacyOfficers[provider];
    }

    /// @inheritdoc IEmergencyAccess
    function pendingEmergencies(address patient) external view returns (uint32) {
        return _getRecordsStorage()._patients[patient].pendingEmergencies;
    }

    function _review(address reviewer, address patient, address provider) private {
        // The patient (never the provider: breakGlass refuses it), else its guardian or the provider's own
        // privacy officer, neither of which may be the declaring provider itself.
        if (reviewer != patient) {
            bool mayReview =
                reviewer != provider &&
                    (_isGuardianWith(patient, reviewer, _POWER_REVIEW) ||
                        (reviewer == _getRecordsStorage()._privacyOfficers[provider] &&
                            _isMember(Roles.PRIVACY_OFFICER, reviewer)));
            if (!mayReview) revert RecordAccessNotReviewer(patient, reviewer);
        }
        Emergency storage emergency = _getRecordsStorage()._emergencies[patient][provider];
        uint32 count = emergency.pendingReviews;
        if (count == 0) revert RecordAccessNoPendingEmergency(patient, provider);
        emergency.pendingReviews = 0;
        // unchecked: the patient's counter is the sum of every provider's pending count, so it holds `count`.
        unchecked {
            _getRecordsStorage()._patients[patient].pendingEmergencies -= count;
        }
        emit EmergencyReviewed(patient, provider, reviewer, count);
    }
}
