// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordAccess} from "../interfaces/IRecordAccess.sol";
import {SignedActions} from "../access/SignedActions.sol";

/**
 * @title PatientDirectives
 * @notice What a patient (or its guardian within scope) decides, directly or by EIP-712 signature
 * relayed by anyone: grants, revocations (one, or all by an epoch bump), deny rules and the guardian.
 * See {IRecordAccess}. Every write is one storage word; nothing loops.
 */
abstract contract PatientDirectives is IRecordAccess, SignedActions {
    /// @dev Per-patient word: grant epoch, unreviewed emergencies, the patient-wide deny rule. One slot.
    struct PatientState {
        uint32 epoch;
        uint32 pendingEmergencies;
        uint16 deniedCategories;
        address denyExempt;
    }

    uint16 internal constant _ALL_CATEGORIES = 0x1ff;
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
    uint8 internal constant _DENY_ACTOR = 1;
    uint8 internal constant _DENY_ALL_EXCEPT = 2;

    // EIP-712 type strings: hashed at compile time (constants), so their length costs nothing at run time.
    // solhint-disable gas-small-strings
    bytes32 private constant _GRANT_TYPEHASH = keccak256(
        "Grant(address patient,address signer,address grantee,uint16 categories,uint8 actions,uint8 purposes,uint40 validFrom,uint40 validUntil,uint40 dataFrom,uint40 dataUntil,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _REVOKE_TYPEHASH = keccak256(
        "Revoke(address patient,address signer,address grantee,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _REVOKE_ALL_TYPEHASH = keccak256(
        "RevokeAll(address patient,address signer,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _SET_DENY_RULE_TYPEHASH = keccak256(
        "SetDenyRule(address patient,address signer,uint8 scope,address target,uint16 categories,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _SET_GUARDIAN_TYPEHASH = keccak256(
        "SetGuardian(address patient,address guardian,uint16 categories,uint8 powers,uint40 until,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _LINK_RESEARCH_PARTICIPANT_TYPEHASH = keccak256(
        "LinkResearchParticipant(address patient,bytes32 trialId,address participant,uint256 nonce,uint256 deadline)"
    );
    // solhint-enable gas-small-strings

    mapping(address patient => mapping(address grantee => Grant)) private _grants;
    mapping(address patient => PatientState) private _patients;
    mapping(address patient => Guardian) private _guardians;
    mapping(address patient => mapping(bytes32 trialId => address participant)) private _researchParticipants;

    /// @inheritdoc IRecordAccess
    function grant(address patient, address grantee, GrantTerms calldata terms) external {
        _grant(msg.sender, patient, grantee, terms);
    }

    /// @inheritdoc IRecordAccess
    function grantBySig(
        address signer,
        address patient,
        address grantee,
        GrantTerms calldata terms,
        uint256 deadline,
        bytes calldata signature
    ) external {
        // GrantTerms holds only static fields: abi.encode lays them out flat, as EIP-712 hashes them.
        bytes32 structHash = keccak256(
            abi.encode(_GRANT_TYPEHASH, patient, signer, grantee, terms, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, deadline, signature);
        _grant(signer, patient, grantee, terms);
    }

    /// @inheritdoc IRecordAccess
    function revoke(address patient, address grantee) external {
        _revoke(msg.sender, patient, grantee);
    }

    /// @inheritdoc IRecordAccess
    function revokeBySig(
        address signer,
        address patient,
        address grantee,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(_REVOKE_TYPEHASH, patient, signer, grantee, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, deadline, signature);
        _revoke(signer, patient, grantee);
    }

    /// @inheritdoc IRecordAccess
    function revokeAll(address patient) external {
        _revokeAll(msg.sender, patient);
    }

    /// @inheritdoc IRecordAccess
    function revokeAllBySig(address signer, address patient, uint256 deadline, bytes calldata signature) external {
        bytes32 structHash = keccak256(abi.encode(_REVOKE_ALL_TYPEHASH, patient, signer, _useNonce(signer), deadline));
        _checkSignature(signer, structHash, deadline, signature);
        _revokeAll(signer, patient);
    }

    /// @inheritdoc IRecordAccess
    function setDenyRule(address patient, uint8 scope, address target, uint16 categories) external {
        _setDenyRule(msg.sender, patient, scope, target, categories);
    }

    /// @inheritdoc IRecordAccess
    function setDenyRuleBySig(
        address signer,
        address patient,
        uint8 scope,
        address target,
        uint16 categories,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(_SET_DENY_RULE_TYPEHASH, patient, signer, scope, target, categories, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, deadline, signature);
        _setDenyRule(signer, patient, scope, target, categories);
    }

    /// @inheritdoc IRecordAccess
    function setGuardian(address patient, address guardian, uint16 categories, uint8 powers, uint40 until) external {
        if (msg.sender != patient) revert RecordAccessNotPatient(patient, msg.sender);
        _setGuardian(patient, guardian, categories, powers, until);
    }

    /// @inheritdoc IRecordAccess
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

    /// @inheritdoc IRecordAccess
    function linkResearchParticipant(bytes32 trialId, address participant) external {
        _linkResearchParticipant(msg.sender, trialId, participant);
    }

    /// @inheritdoc IRecordAccess
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

    /// @inheritdoc IRecordAccess
    function researchParticipantOf(address patient, bytes32 trialId) external view returns (address) {
        return _researchParticipants[patient][trialId];
    }

    /// @inheritdoc IRecordAccess
    function grantOf(address patient, address grantee) external view returns (Grant memory) {
        return _grants[patient][grantee];
    }

    /// @inheritdoc IRecordAccess
    function epochOf(address patient) external view returns (uint32) {
        return _patients[patient].epoch;
    }

    /// @inheritdoc IRecordAccess
    function denyRuleOf(address patient) external view returns (uint16 categories, address exempt) {
        PatientState storage state = _patients[patient];
        return (state.deniedCategories, state.denyExempt);
    }

    /// @inheritdoc IRecordAccess
    function guardianOf(address patient) external view returns (Guardian memory) {
        return _guardians[patient];
    }

    /// @dev The patient's word (epoch, unreviewed emergencies, patient-wide deny rule).
    function _patientState(address patient) internal view returns (PatientState storage) {
        return _patients[patient];
    }

    /// @dev The (patient, grantee) word.
    function _grantWord(address patient, address grantee) internal view returns (Grant storage) {
        return _grants[patient][grantee];
    }

    /// @dev The address trial `trialId` knows `patient` by: the linked participant, else `patient`.
    function _researchParticipant(address patient, bytes32 trialId) internal view returns (address) {
        address participant = _researchParticipants[patient][trialId];
        return participant == address(0) ? patient : participant;
    }

    /// @dev Whether `account` is `patient`'s guardian in office holding `power` (whatever the categories).
    function _isGuardianWith(address patient, address account, uint8 power) internal view returns (bool) {
        Guardian storage guardian = _guardians[patient];
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

    function _grant(address actor, address patient, address grantee, GrantTerms calldata terms) private {
        _checkTerms(patient, grantee, terms);
        Grant storage g = _grants[patient][grantee];
        uint32 epoch = _patients[patient].epoch;
        bool byGuardian = actor != patient;
        if (byGuardian) {
            uint16 replaced = _isLive(patient, g, epoch) ? g.categories : 0;
            Guardian memory guardian = _authorize(patient, actor, _POWER_GRANT, terms.categories | replaced);
            // What a guardian grants is never for itself, never outlasts its term, and dies with its appointment.
            if (grantee == actor) revert RecordAccessGuardianSelfDealing(patient, actor);
            if (terms.validUntil > guardian.until)
                revert RecordAccessGrantOutlivesGuardian(terms.validUntil, guardian.until);
            epoch = guardian.epoch;
        }
        // The whole word is rewritten; the deny mask against this grantee is carried over.
        _grants[patient][grantee] = Grant({
            categories: terms.categories,
            deniedCategories: g.deniedCategories,
            actions: terms.actions,
            purposes: terms.purposes,
            revoked: false,
            byGuardian: byGuardian,
            validFrom: terms.validFrom,
            validUntil: terms.validUntil,
            dataFrom: terms.dataFrom,
            dataUntil: terms.dataUntil,
            epoch: epoch
        });
        emit AccessGranted(patient, grantee, actor, terms, epoch);
    }

    function _revoke(address actor, address patient, address grantee) private {
        Grant storage g = _grants[patient][grantee];
        bool live = _isLive(patient, g, _patients[patient].epoch);
        if (actor != patient) _authorize(patient, actor, _POWER_REVOKE, live ? g.categories : 0);
        if (live) g.revoked = true;
        emit AccessRevoked(patient, grantee, actor);
    }

    function _revokeAll(address actor, address patient) private {
        if (actor != patient) _authorize(patient, actor, _POWER_REVOKE, _ALL_CATEGORIES);
        PatientState storage state = _patients[patient];
        uint32 epoch = state.epoch + 1;
        state.epoch = epoch;
        // A named guardian's grants carry the guardian epoch: bump it too (none to bump without a guardian,
        // as removing one already bumped it).
        Guardian storage guardian = _guardians[patient];
        if (guardian.account != address(0)) ++guardian.epoch;
        emit AllAccessRevoked(patient, actor, epoch);
    }

    function _setDenyRule(address actor, address patient, uint8 scope, address target, uint16 categories) private {
        if (categories > _ALL_CATEGORIES) revert RecordAccessInvalidCategories(categories);
        if (scope == _DENY_ACTOR) {
            if (target == address(0) || target == patient) revert RecordAccessInvalidGrantee(target);
            Grant storage g = _grants[patient][target];
            if (actor != patient) {
                _authorize(patient, actor, _POWER_DENY, categories | g.deniedCategories);
                // A guardian may not restrict or free itself: its own access is the patient's to set.
                if (target == actor) revert RecordAccessGuardianSelfDealing(patient, actor);
            }
            g.deniedCategories = categories;
        } else if (scope == _DENY_ALL_EXCEPT) {
            PatientState storage state = _patients[patient];
            if (actor != patient) {
                _authorize(patient, actor, _POWER_DENY, categories | state.deniedCategories);
                if (target == actor) revert RecordAccessGuardianSelfDealing(patient, actor);
            }
            state.deniedCategories = categories;
            state.denyExempt = target;
        } else {
            revert RecordAccessInvalidDenyScope(scope);
        }
        emit DenyRuleSet(patient, target, actor, scope, categories);
    }

    function _setGuardian(address patient, address guardian, uint16 categories, uint8 powers, uint40 until) private {
        bool valid =
            guardian == address(0)
                ? categories == 0 && powers == 0 && until == 0
                : guardian != patient &&
                    categories != 0 &&
                    categories & ~_ALL_CATEGORIES == 0 &&
                    powers != 0 &&
                    powers & ~_ALL_POWERS == 0 &&
                    !(until < block.timestamp);
        if (!valid) revert RecordAccessInvalidGuardian(guardian, categories, powers, until);
        // Every appointment, replacement or removal starts a new guardian epoch: the grants made under
        // the previous one stop counting at once.
        uint32 epoch = _guardians[patient].epoch + 1;
        _guardians[patient] = Guardian({
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
        _researchParticipants[patient][trialId] = participant;
        emit ResearchParticipantLinked(patient, trialId, participant);
    }

    /// @dev Reverts unless `actor` is `patient`'s guardian in office with `power` over `categories`;
    /// returns the guardian. Callers handle `actor == patient` themselves (the patient needs no scope).
    function _authorize(
        address patient,
        address actor,
        uint8 power,
        uint16 categories
    ) private view returns (Guardian memory guardian) {
        guardian = _guardians[patient];
        if (guardian.account != actor || guardian.until < block.timestamp) {
            revert RecordAccessUnauthorized(patient, actor);
        }
        if (guardian.powers & power == 0 || categories & ~guardian.categories != 0) {
            revert RecordAccessGuardianOutOfScope(patient, actor, power, categories);
        }
    }

    function _checkTerms(address patient, address grantee, GrantTerms calldata terms) private view {
        if (patient == address(0)) revert RecordAccessInvalidPatient(patient);
        if (grantee == address(0) || grantee == patient) revert RecordAccessInvalidGrantee(grantee);
        if (terms.categories == 0 || terms.categories > _ALL_CATEGORIES) {
            revert RecordAccessInvalidCategories(terms.categories);
        }
        if (terms.actions == 0 || terms.actions > _ALL_ACTIONS) revert RecordAccessInvalidActions(terms.actions);
        if (terms.purposes == 0 || terms.purposes > _ALL_PURPOSES) revert RecordAccessInvalidPurposes(terms.purposes);
        if (!(terms.validFrom < terms.validUntil) || terms.validUntil < block.timestamp) {
            revert RecordAccessInvalidPeriod(terms.validFrom, terms.validUntil);
        }
        if (terms.dataUntil == 0 || terms.dataFrom > terms.dataUntil) {
            revert RecordAccessInvalidDataPeriod(terms.dataFrom, terms.dataUntil);
        }
    }

    /// @dev A grant that would count if it were in its period: granted, not revoked, current epoch.
    function _isLive(address patient, Grant storage g, uint32 patientEpoch) private view returns (bool) {
        return g.validUntil != 0 && !g.revoked && g.epoch == _epochFor(patient, g, patientEpoch);
    }

    /// @dev The epoch `g` must carry to count: the guardian epoch for a guardian's grant, else the patient's.
    function _epochFor(address patient, Grant storage g, uint32 patientEpoch) private view returns (uint32) {
        return g.byGuardian ? _guardians[patient].epoch : patientEpoch;
    }
}
