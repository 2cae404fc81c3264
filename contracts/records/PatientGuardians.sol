// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPatientGuardians} from "../interfaces/records/IPatientGuardians.sol";
import {RecordCategories} from "../libraries/RecordCategories.sol";
import {RecordsBase} from "./RecordsBase.sol";

/**
 * @title PatientGuardians
 * @notice What only the patient decides, directly or by its EIP-712 signature: its guardian and the
 * guardian's scope (each call a new guardian epoch), and the link of its records to its participant
 * address in a trial. See {IPatientGuardians}.
 */
abstract contract PatientGuardians is IPatientGuardians, RecordsBase {
    // solhint-disable gas-small-strings
    bytes32 private constant _SET_GUARDIAN_TYPEHASH = keccak256(
        "SetGuardian(address patient,address guardian,uint16 categories,uint8 powers,uint40 until,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _LINK_RESEARCH_PARTICIPANT_TYPEHASH = keccak256(
        "LinkResearchParticipant(address patient,bytes32 trialId,address participant,uint256 nonce,uint256 deadline)"
    );
    // solhint-enable gas-small-strings

    /// @inheritdoc IPatientGuardians
    function setGuardian(address patient, address guardian, uint16 categories, uint8 powers, uint40 until) external {
        if (msg.sender != patient) revert RecordAccessNotPatient(patient, msg.sender);
        _setGuardian(patient, guardian, categories, powers, until);
    }

    /// @inheritdoc IPatientGuardians
    function setGuardianBySig(
        address patient,
        address guardian,
        uint16 categories,
        uint8 powers,
        uint40 until,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(
                _SET_GUARDIAN_TYPEHASH,
                patient,
                guardian,
                categories,
                powers,
                until,
                _useNonce(patient),
                deadline
            )
        );
        _checkSignature(patient, structHash, deadline, signature);
        _setGuardian(patient, guardian, categories, powers, until);
    }

    /// @inheritdoc IPatientGuardians
    function linkResearchParticipant(bytes32 trialId, address participant) external {
        _linkResearchParticipant(msg.sender, trialId, participant);
    }

    /// @inheritdoc IPatientGuardians
    function linkResearchParticipantBySig(
        address patient,
        bytes32 trialId,
        address participant,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(_LINK_RESEARCH_PARTICIPANT_TYPEHASH, patient, trialId, participant, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        _linkResearchParticipant(patient, trialId, participant);
    }

    /// @inheritdoc IPatientGuardians
    function researchParticipantOf(address patient, bytes32 trialId) external view returns (address) {
        return _getRecordsStorage()._researchParticipants[patient][trialId];
    }

    /// @inheritdoc IPatientGuardians
    function guardianOf(address patient) external view returns (Guardian memory) {
        return _getRecordsStorage()._guardians[patient];
    }

    function _setGuardian(address patient, address guardian, uint16 categories, uint8 powers, uint40 until) private {
        bool valid =
            guardian == address(0)
                ? categories == 0 && powers == 0 && until == 0
                : guardian != patient &&
                    categories != 0 &&
                    RecordCategories.isValidMask(categories) &&
                    powers != 0 &&
                    powers & ~_ALL_POWERS == 0 &&
                    !(until < block.timestamp);
        if (!valid) revert RecordAccessInvalidGuardian(guardian, categories, powers, until);
        // Every appointment, replacement or removal starts a new guardian epoch: the grants made under
        // the previous one stop counting at once.
        uint32 epoch = _getRecordsStorage()._guardians[patient].epoch + 1;
        _getRecordsStorage()._guardians[patient] = Guardian({
            account: guardian,
            categories: categories,
            powers: powers,
            until: until,
            epoch: epoch
        });
        emit GuardianSet(patient, guardian, categories, powers, until, epoch);
    }

    function _linkResearchParticipant(address patient, bytes32 trialId, address participant) private {
        if (trialId == bytes32(0)) revert RecordAccessInvalidTrial(trialId);
        _getRecordsStorage()._researchParticipants[patient][trialId] = participant;
        emit ResearchParticipantLinked(patient, trialId, participant);
    }
}
