// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPatientDirectives} from "../interfaces/records/IPatientDirectives.sol";
import {RecordCategories} from "../libraries/RecordCategories.sol";
import {RecordsBase} from "./RecordsBase.sol";

/**
 * @title PatientDirectives
 * @notice What a patient (or its guardian within scope) decides, directly or by EIP-712 signature
 * relayed by anyone: grants, revocations (one, or all by an epoch bump) and deny rules. See
 * {IPatientDirectives}. Every write is one storage word; nothing loops.
 */
abstract contract PatientDirectives is IPatientDirectives, RecordsBase {
    // EIP-712 type strings: hashed at compile time (constants), so their length costs nothing at run time.
    // solhint-disable gas-small-strings
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
    // solhint-enable gas-small-strings

    /// @inheritdoc IPatientDirectives
    function grant(address patient, address grantee, GrantTerms calldata terms) external {
        _grant(msg.sender, patient, grantee, terms);
    }

    /// @inheritdoc IPatientDirectives
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

    /// @inheritdoc IPatientDirectives
    function revoke(address patient, address grantee) external {
        _revoke(msg.sender, patient, grantee);
    }

    /// @inheritdoc IPatientDirectives
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

    /// @inheritdoc IPatientDirectives
    function revokeAll(address patient) external {
        _revokeAll(msg.sender, patient);
    }

    /// @inheritdoc IPatientDirectives
    function revokeAllBySig(address signer, address patient, uint256 deadline, bytes calldata signature) external {
        bytes32 structHash = keccak256(abi.encode(_REVOKE_ALL_TYPEHASH, patient, signer, _useNonce(signer), deadline));
        _checkSignature(signer, structHash, deadline, signature);
        _revokeAll(signer, patient);
    }

    /// @inheritdoc IPatientDirectives
    function setDenyRule(address patient, uint8 scope, address target, uint16 categories) external {
        _setDenyRule(msg.sender, patient, scope, target, categories);
    }

    /// @inheritdoc IPatientDirectives
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

    /// @inheritdoc IPatientDirectives
    function grantOf(address patient, address grantee) external view returns (Grant memory) {
        return _getRecordsStorage()._grants[patient][grantee];
    }

    /// @inheritdoc IPatientDirectives
    function epochOf(address patient) external view returns (uint32) {
        return _getRecordsStorage()._patients[patient].epoch;
    }

    /// @inheritdoc IPatientDirectives
    function denyRuleOf(address patient) external view returns (uint16 categories, address exempt) {
        PatientState storage state = _getRecordsStorage()._patients[patient];
        return (state.deniedCategories, state.denyExempt);
    }

    function _grant(address actor, address patient, address grantee, GrantTerms calldata terms) private {
        _checkTerms(patient, grantee, terms);
        Grant storage g = _getRecordsStorage()._grants[patient][grantee];
        uint32 epoch = _getRecordsStorage()._patients[patient].epoch;
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
        _getRecordsStorage()._grants[patient][grantee] = Grant({
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
        Grant storage g = _getRecordsStorage()._grants[patient][grantee];
        bool live = _isLive(patient, g, _getRecordsStorage()._patients[patient].epoch);
        if (actor != patient) _authorize(patient, actor, _POWER_REVOKE, live ? g.categories : 0);
        if (live) g.revoked = true;
        emit AccessRevoked(patient, grantee, actor);
    }

    function _revokeAll(address actor, address patient) private {
        if (actor != patient) _authorize(patient, actor, _POWER_REVOKE, RecordCategories.ALL);
        PatientState storage state = _getRecordsStorage()._patients[patient];
        uint32 epoch = state.epoch + 1;
        state.epoch = epoch;
        // A named guardian's grants carry the guardian epoch: bump it too (none to bump without a guardian,
        // as removing one already bumped it).
        Guardian storage guardian = _getRecordsStorage()._guardians[patient];
        if (guardian.account != address(0)) ++guardian.epoch;
        emit AllAccessRevoked(patient, actor, epoch);
    }

    function _setDenyRule(address actor, address patient, uint8 scope, address target, uint16 categories) private {
        if (!RecordCategories.isValidMask(categories)) revert RecordAccessInvalidCategories(categories);
        if (scope == uint8(DenyScope.Actor)) {
            if (target == address(0) || target == patient) revert RecordAccessInvalidGrantee(target);
            Grant storage g = _getRecordsStorage()._grants[patient][target];
            if (actor != patient) {
                _authorize(patient, actor, _POWER_DENY, categories | g.deniedCategories);
                // A guardian may not restrict or free itself: its own access is the patient's to set.
                if (target == actor) revert RecordAccessGuardianSelfDealing(patient, actor);
            }
            g.deniedCategories = categories;
        } else if (scope == uint8(DenyScope.AllExcept)) {
            PatientState storage state = _getRecordsStorage()._patients[patient];
            if (actor != patient) {
                _authorize(patient, actor, _POWER_DENY, categories | state.deniedCategories);
                if (target == actor) revert RecordAccessGuardianSelfDealing(patient, actor);
            }
            state.deniedCategories = categories;
            state.denyExempt = target;
        } else {
            revert RecordAccessInvalidDenyScope(scope);
        }
        // `scope` is Actor or AllExcept here (anything else reverted above).
        emit DenyRuleSet(patient, target, actor, DenyScope(scope), categories);
    }

    /// @dev Reverts unless `actor` is `patient`'s guardian in office with `power` over `categories`;
    /// returns the guardian. Callers handle `actor == patient` themselves (the patient needs no scope).
    function _authorize(
        address patient,
        address actor,
        uint8 power,
        uint16 categories
    ) private view returns (Guardian memory guardian) {
        guardian = _getRecordsStorage()._guardians[patient];
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
        if (terms.categories == 0 || !RecordCategories.isValidMask(terms.categories)) {
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
}
