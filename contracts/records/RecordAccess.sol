// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordAccess} from "../interfaces/IRecordAccess.sol";
import {IResearchConsent} from "../interfaces/IResearchConsent.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {SignedActions} from "../access/SignedActions.sol";
import {Roles} from "../access/Roles.sol";

/**
 * @title RecordAccess
 * @notice EHR record pointers, FHIR-style grants and deny rules, guardians, break-glass and the
 * accounting of disclosures. See {IRecordAccess}.
 * @dev Every check is O(1): a record word, the patient's word and the (patient, accessor) word,
 * plus at most two registry calls. No function loops over anything users can grow.
 */
contract RecordAccess is IRecordAccess, MemberGated, SignedActions {
    /// @dev Per-patient word: grant epoch, unreviewed emergencies, the patient-wide deny rule. One slot.
    struct PatientState {
        uint32 epoch;
        uint32 pendingEmergencies;
        uint16 deniedCategories;
        address denyExempt;
    }

    /// @dev Nine categories: labs, imaging, medications, notes, immunizations, mental health,
    /// substance use, reproductive, genomic.
    uint8 private constant _MAX_CATEGORY = 8;
    uint16 private constant _ALL_CATEGORIES = 0x1ff;
    uint8 private constant _ACTION_READ = 1;
    uint8 private constant _ALL_ACTIONS = 0x03;
    /// @dev Six purposes: treatment 0, payment 1, operations 2, research 3, public health 4, patient request 5.
    uint8 private constant _MAX_PURPOSE = 5;
    uint8 private constant _ALL_PURPOSES = 0x3f;
    uint8 private constant _PURPOSE_TREATMENT = 0;
    uint8 private constant _POWER_GRANT = 1;
    uint8 private constant _POWER_REVOKE = 2;
    uint8 private constant _POWER_DENY = 4;
    uint8 private constant _POWER_REVIEW = 8;
    uint8 private constant _ALL_POWERS = 0x0f;
    uint8 private constant _DENY_ACTOR = 1;
    uint8 private constant _DENY_ALL_EXCEPT = 2;
    uint8 private constant _MAX_EMERGENCY_REASON = 4;

    /// @inheritdoc IRecordAccess
    uint40 public constant EMERGENCY_ACCESS_DURATION = 24 hours;

    // EIP-712 type strings: hashed at compile time (constants), so their length costs nothing at run time.
    // solhint-disable gas-small-strings
    bytes32 private constant _GRANT_TYPEHASH = keccak256(
        "Grant(address patient,address grantee,uint16 categories,uint8 actions,uint8 purposes,uint40 validFrom,uint40 validUntil,uint40 dataFrom,uint40 dataUntil,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _REVOKE_TYPEHASH = keccak256(
        "Revoke(address patient,address grantee,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _REVOKE_ALL_TYPEHASH = keccak256(
        "RevokeAll(address patient,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _SET_DENY_RULE_TYPEHASH = keccak256(
        "SetDenyRule(address patient,uint8 scope,address target,uint16 categories,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _SET_GUARDIAN_TYPEHASH = keccak256(
        "SetGuardian(address patient,address guardian,uint16 categories,uint8 powers,uint40 until,uint256 nonce,uint256 deadline)"
    );
    // solhint-enable gas-small-strings

    IResearchConsent private immutable _researchConsent;

    mapping(address patient => mapping(bytes32 recordId => Record)) private _records;
    mapping(address patient => mapping(address grantee => Grant)) private _grants;
    mapping(address patient => PatientState) private _patients;
    mapping(address patient => Guardian) private _guardians;
    mapping(address patient => mapping(address provider => Emergency)) private _emergencies;
    mapping(address account => bytes publicKey) private _encryptionKeys;

    constructor(
        IMemberRegistry registry_,
        IResearchConsent researchConsent_
    ) MemberGated(registry_) SignedActions("Carechain RecordAccess", "1") {
        if (address(registry_) == address(0) || address(researchConsent_) == address(0)) {
            revert RecordAccessZeroAddress();
        }
        _researchConsent = researchConsent_;
    }

    // ----- records -----

    /// @inheritdoc IRecordAccess
    function registerRecord(
        address patient,
        bytes32 recordId,
        uint8 category,
        bytes32 contentHash,
        uint40 recordDate
    ) external onlyMember(Roles.PROVIDER) {
        if (patient == address(0) || patient == msg.sender) revert RecordAccessInvalidPatient(patient);
        if (recordId == bytes32(0)) revert RecordAccessInvalidRecordId();
        if (category > _MAX_CATEGORY) revert RecordAccessInvalidCategory(category);
        if (contentHash == bytes32(0)) revert RecordAccessInvalidContentHash(contentHash);
        if (recordDate == 0 || recordDate > block.timestamp) revert RecordAccessInvalidRecordDate(recordDate);
        Record storage record = _records[patient][recordId];
        if (record.custodian != address(0)) revert RecordAccessRecordExists(patient, recordId);
        record.custodian = msg.sender;
        record.category = category;
        record.recordDate = recordDate;
        record.contentHash = contentHash;
        emit RecordRegistered(patient, recordId, msg.sender, category, recordDate, contentHash);
    }

    /// @inheritdoc IRecordAccess
    function updateRecordContent(
        address patient,
        bytes32 recordId,
        bytes32 contentHash
    ) external onlyMember(Roles.PROVIDER) {
        Record storage record = _records[patient][recordId];
        address custodian = record.custodian;
        if (custodian == address(0)) revert RecordAccessUnknownRecord(patient, recordId);
        if (custodian != msg.sender) revert RecordAccessNotCustodian(patient, recordId, msg.sender);
        if (contentHash == bytes32(0) || contentHash == record.contentHash) {
            revert RecordAccessInvalidContentHash(contentHash);
        }
        uint48 keyEpoch = record.keyEpoch + 1;
        record.keyEpoch = keyEpoch;
        record.contentHash = contentHash;
        emit RecordContentUpdated(patient, recordId, contentHash, keyEpoch);
    }

    // ----- grants and deny rules -----

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
            abi.encode(_GRANT_TYPEHASH, patient, grantee, terms, _useNonce(signer), deadline)
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
        bytes32 structHash = keccak256(abi.encode(_REVOKE_TYPEHASH, patient, grantee, _useNonce(signer), deadline));
        _checkSignature(signer, structHash, deadline, signature);
        _revoke(signer, patient, grantee);
    }

    /// @inheritdoc IRecordAccess
    function revokeAll(address patient) external {
        _revokeAll(msg.sender, patient);
    }

    /// @inheritdoc IRecordAccess
    function revokeAllBySig(address signer, address patient, uint256 deadline, bytes calldata signature) external {
        bytes32 structHash = keccak256(abi.encode(_REVOKE_ALL_TYPEHASH, patient, _useNonce(signer), deadline));
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
            abi.encode(_SET_DENY_RULE_TYPEHASH, patient, scope, target, categories, _useNonce(signer), deadline)
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

    // ----- emergencies, disclosures, keys -----

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
        ++_patients[patient].pendingEmergencies;
        emit EmergencyAccessDeclared(patient, msg.sender, reasonCode, until);
    }

    /// @inheritdoc IRecordAccess
    function reviewEmergency(address patient, address provider) external {
        if (msg.sender != patient) {
            Guardian memory guardian = _guardians[patient];
            bool isGuardian =
                guardian.account == msg.sender &&
                    !(guardian.until < block.timestamp) &&
                    guardian.powers & _POWER_REVIEW != 0;
            if (!isGuardian && !_isMember(Roles.PRIVACY_OFFICER, msg.sender)) {
                revert RecordAccessNotReviewer(patient, msg.sender);
            }
        }
        Emergency storage emergency = _emergencies[patient][provider];
        uint32 count = emergency.pendingReviews;
        if (count == 0) revert RecordAccessNoPendingEmergency(patient, provider);
        emergency.pendingReviews = 0;
        // unchecked: the patient's counter is the sum of every provider's pending count, so it holds `count`.
        unchecked {
            _patients[patient].pendingEmergencies -= count;
        }
        emit EmergencyReviewed(patient, provider, msg.sender, count);
    }

    /// @inheritdoc IRecordAccess
    function logDisclosure(
        address patient,
        bytes32 recordId,
        address recipient,
        uint8 purpose
    ) external onlyMember(Roles.PROVIDER) {
        if (recipient == address(0)) revert RecordAccessInvalidRecipient(recipient);
        if (purpose > _MAX_PURPOSE) revert RecordAccessInvalidPurpose(purpose);
        // The modifier proved the caller an active PROVIDER: the check need not ask the registry again.
        (bool allowed, AccessReason reason) = _access(patient, msg.sender, recordId, purpose, true);
        if (!allowed) revert RecordAccessDenied(patient, recordId, msg.sender, reason);
        emit DisclosureLogged(patient, recordId, msg.sender, recipient, purpose, uint40(block.timestamp));
    }

    /// @inheritdoc IRecordAccess
    function registerEncryptionKey(bytes calldata publicKey) external {
        if (publicKey.length != 33 || (publicKey[0] != 0x02 && publicKey[0] != 0x03)) {
            revert RecordAccessInvalidEncryptionKey(publicKey);
        }
        _encryptionKeys[msg.sender] = publicKey;
        emit EncryptionKeyRegistered(msg.sender, publicKey);
    }

    // ----- views -----

    /// @inheritdoc IRecordAccess
    function canAccessForResearch(
        bytes32 trialId,
        address patient,
        address researcher,
        bytes32 recordId
    ) external view returns (bool allowed, AccessReason reason) {
        Record storage record = _records[patient][recordId];
        if (record.custodian == address(0)) return (false, AccessReason.UnknownRecord);
        uint16 bit = uint16(1) << record.category;
        if (_isDenied(_patients[patient], _grants[patient][researcher], researcher, bit)) {
            return (false, AccessReason.Denied);
        }
        uint16 consented = _researchConsent.researchCategories(trialId, patient, researcher);
        if (consented == 0) return (false, AccessReason.NoResearchConsent);
        if (consented & bit == 0) return (false, AccessReason.CategoryNotGranted);
        return (true, AccessReason.ResearchConsent);
    }

    /// @inheritdoc IRecordAccess
    function recordOf(address patient, bytes32 recordId) external view returns (Record memory) {
        return _records[patient][recordId];
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

    /// @inheritdoc IRecordAccess
    function emergencyOf(address patient, address provider) external view returns (Emergency memory) {
        return _emergencies[patient][provider];
    }

    /// @inheritdoc IRecordAccess
    function pendingEmergencies(address patient) external view returns (uint32) {
        return _patients[patient].pendingEmergencies;
    }

    /// @inheritdoc IRecordAccess
    function encryptionKeyOf(address account) external view returns (bytes memory) {
        return _encryptionKeys[account];
    }

    /// @inheritdoc IRecordAccess
    function researchConsent() external view returns (IResearchConsent) {
        return _researchConsent;
    }

    /// @inheritdoc IRecordAccess
    function canAccess(
        address patient,
        address accessor,
        bytes32 recordId,
        uint8 purpose
    ) external view returns (bool allowed, AccessReason reason) {
        return _access(patient, accessor, recordId, purpose, false);
    }

    // ----- private -----

    /**
     * @dev {canAccess}. Reads the record's first slot, the patient's word and the (patient, accessor)
     * word through storage pointers (only the fields needed), and asks the registry only when the
     * answer depends on the accessor's membership and `activeProvider` (the caller already proved
     * itself an active PROVIDER) is false.
     */
    function _access(
        address patient,
        address accessor,
        bytes32 recordId,
        uint8 purpose,
        bool activeProvider
    ) private view returns (bool, AccessReason) {
        Record storage record = _records[patient][recordId];
        address custodian = record.custodian;
        if (custodian == address(0)) return (false, AccessReason.UnknownRecord);
        if (accessor == patient) return (true, AccessReason.Patient);
        if (accessor == custodian) {
            return
                activeProvider || _isMember(Roles.PROVIDER, accessor)
                    ? (true, AccessReason.Custodian)
                    : (false, AccessReason.InactiveMember);
        }
        if (purpose > _MAX_PURPOSE) return (false, AccessReason.PurposeNotGranted);
        uint16 bit = uint16(1) << record.category;
        PatientState storage state = _patients[patient];
        Grant storage g = _grants[patient][accessor];
        if (_isDenied(state, g, accessor, bit)) return (false, AccessReason.Denied);
        AccessReason reason = _grantReason(g, state.epoch, bit, purpose, record.recordDate);
        if (reason == AccessReason.Granted) {
            // A suspended member organisation is stopped in every domain; a non-member (family) is never suspended.
            if (!activeProvider && registry().memberOf(accessor).status == IMemberRegistry.MemberStatus.Suspended) {
                return (false, AccessReason.InactiveMember);
            }
            return (true, AccessReason.Granted);
        }
        if (
            purpose == _PURPOSE_TREATMENT &&
            !(_emergencies[patient][accessor].until < block.timestamp) &&
            (activeProvider || _isMember(Roles.PROVIDER, accessor))
        ) {
            return (true, AccessReason.BreakGlass);
        }
        return (false, reason);
    }

    function _grant(address actor, address patient, address grantee, GrantTerms calldata terms) private {
        _checkTerms(patient, grantee, terms);
        Grant storage g = _grants[patient][grantee];
        uint32 epoch = _patients[patient].epoch;
        if (actor != patient) {
            uint16 replaced = _isLive(g, epoch) ? g.categories : 0;
            _authorize(patient, actor, _POWER_GRANT, terms.categories | replaced);
        }
        // The whole word is rewritten; the deny mask against this grantee is carried over.
        _grants[patient][grantee] = Grant({
            categories: terms.categories,
            deniedCategories: g.deniedCategories,
            actions: terms.actions,
            purposes: terms.purposes,
            revoked: false,
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
        bool live = _isLive(g, _patients[patient].epoch);
        if (actor != patient) _authorize(patient, actor, _POWER_REVOKE, live ? g.categories : 0);
        if (live) g.revoked = true;
        emit AccessRevoked(patient, grantee, actor);
    }

    function _revokeAll(address actor, address patient) private {
        if (actor != patient) _authorize(patient, actor, _POWER_REVOKE, _ALL_CATEGORIES);
        PatientState storage state = _patients[patient];
        uint32 epoch = state.epoch + 1;
        state.epoch = epoch;
        emit AllAccessRevoked(patient, actor, epoch);
    }

    function _setDenyRule(address actor, address patient, uint8 scope, address target, uint16 categories) private {
        if (categories > _ALL_CATEGORIES) revert RecordAccessInvalidCategories(categories);
        if (scope == _DENY_ACTOR) {
            if (target == address(0) || target == patient) revert RecordAccessInvalidGrantee(target);
            Grant storage g = _grants[patient][target];
            if (actor != patient) _authorize(patient, actor, _POWER_DENY, categories | g.deniedCategories);
            g.deniedCategories = categories;
        } else if (scope == _DENY_ALL_EXCEPT) {
            PatientState storage state = _patients[patient];
            if (actor != patient) _authorize(patient, actor, _POWER_DENY, categories | state.deniedCategories);
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
        _guardians[patient] = Guardian({account: guardian, categories: categories, powers: powers, until: until});
        emit GuardianSet(patient, guardian, categories, powers, until);
    }

    /// @dev Reverts unless `actor` is `patient`'s guardian in office with `power` over `categories`.
    /// Callers handle `actor == patient` themselves (the patient needs no scope).
    function _authorize(address patient, address actor, uint8 power, uint16 categories) private view {
        Guardian memory guardian = _guardians[patient];
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
    function _isLive(Grant storage g, uint32 epoch) private view returns (bool) {
        return g.validUntil != 0 && !g.revoked && g.epoch == epoch;
    }

    /// @dev Whether a deny rule keeps category `bit` from `accessor`.
    function _isDenied(
        PatientState storage state,
        Grant storage g,
        address accessor,
        uint16 bit
    ) private view returns (bool) {
        return (state.deniedCategories & bit != 0 && accessor != state.denyExempt) || g.deniedCategories & bit != 0;
    }

    /// @dev What the permit part of `g` says about category `bit`, `purpose` and `recordDate`.
    function _grantReason(
        Grant storage g,
        uint32 epoch,
        uint16 bit,
        uint8 purpose,
        uint40 recordDate
    ) private view returns (AccessReason) {
        if (g.validUntil == 0) return AccessReason.NoGrant;
        if (g.revoked || g.epoch != epoch) return AccessReason.Revoked;
        if (block.timestamp < g.validFrom) return AccessReason.NotYetValid;
        if (block.timestamp > g.validUntil) return AccessReason.Expired;
        if (g.categories & bit == 0) return AccessReason.CategoryNotGranted;
        if (g.actions & _ACTION_READ == 0) return AccessReason.ActionNotGranted;
        if (g.purposes & (uint8(1) << purpose) == 0) return AccessReason.PurposeNotGranted;
        if (recordDate < g.dataFrom || recordDate > g.dataUntil) return AccessReason.OutsideDataPeriod;
        return AccessReason.Granted;
    }
}
