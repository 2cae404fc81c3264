// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordAccess} from "../interfaces/IRecordAccess.sol";
import {IResearchConsent} from "../interfaces/IResearchConsent.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Roles} from "../access/Roles.sol";
import {RecordCategories} from "../libraries/RecordCategories.sol";
import {RecordIndex} from "./RecordIndex.sol";
import {PatientDirectives} from "./PatientDirectives.sol";
import {PatientGuardians} from "./PatientGuardians.sol";
import {EmergencyAccess} from "./EmergencyAccess.sol";

/**
 * @title RecordAccess
 * @notice EHR record pointers, FHIR-style grants and deny rules, guardians, break-glass and the
 * accounting of disclosures. See {IRecordAccess}.
 * @dev Composed of sibling modules over {RecordsBase}'s storage, one per concern — {RecordIndex}
 * (pointers, keys), {PatientDirectives} (grants, deny rules; signed or direct), {PatientGuardians}
 * (guardian, research link; the patient only), {EmergencyAccess} (break-glass) — plus what joins
 * them here: the O(1) checks and the disclosure log. Every check reads a record word, the
 * patient's word and the (patient, accessor) word, plus at most two registry calls. A UUPS
 * implementation behind an ERC-1967 proxy; only governance upgrades it
 * ({MemberGated-_authorizeUpgrade}); its state is {RecordsBase}'s ERC-7201 namespace.
 */
contract RecordAccess is IRecordAccess, RecordIndex, PatientDirectives, PatientGuardians, EmergencyAccess {
    /**
     * @param registry_ The consortium registry (an immutable of the implementation: see {MemberGated}).
     * A zero registry is refused by MemberGated (MemberGatedZeroRegistry), for every domain.
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(IMemberRegistry registry_) MemberGated(registry_) {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy (called once, by the proxy's constructor): links the trials
     * contract that answers research-consent questions.
     * Requirements: `researchConsent_` is not the zero address ({RecordAccessZeroAddress}); the proxy
     * is not initialised yet ({InvalidInitialization}).
     * @dev The EIP-712 name and version are constants returned by `_EIP712Name`/`_EIP712Version`, so
     * EIP712Upgradeable's initializer (which would store them) is deliberately not called.
     * @custom:oz-upgrades-unsafe-allow missing-initializer-call
     */
    function initialize(IResearchConsent researchConsent_) external initializer {
        if (address(researchConsent_) == address(0)) revert RecordAccessZeroAddress();
        _getRecordsStorage()._researchConsent = researchConsent_;
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
    function canAccessForResearch(
        bytes32 trialId,
        address patient,
        address researcher,
        bytes32 recordId
    ) external view returns (bool allowed, AccessReason reason) {
        Record storage record = _getRecordsStorage()._records[patient][recordId];
        if (record.custodian == address(0)) return (false, AccessReason.UnknownRecord);
        uint16 bit = RecordCategories.bit(record.category);
        if (
            _isDenied(
                _getRecordsStorage()._patients[patient],
                _getRecordsStorage()._grants[patient][researcher],
                researcher,
                bit
            )
        ) {
            return (false, AccessReason.Denied);
        }
        // The trial knows the patient by the participant address the patient linked (else its own).
        uint16 consented = _getRecordsStorage()._researchConsent.researchCategories(
            trialId,
            _researchParticipant(patient, trialId),
            researcher
        );
        if (consented == 0) return (false, AccessReason.NoResearchConsent);
        if (consented & bit == 0) return (false, AccessReason.CategoryNotGranted);
        return (true, AccessReason.ResearchConsent);
    }

    /// @inheritdoc IRecordAccess
    function researchConsent() external view returns (IResearchConsent) {
        return _getRecordsStorage()._researchConsent;
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
        Record storage record = _getRecordsStorage()._records[patient][recordId];
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
        uint16 bit = RecordCategories.bit(record.category);
        PatientState storage state = _getRecordsStorage()._patients[patient];
        Grant storage g = _getRecordsStorage()._grants[patient][accessor];
        if (_isDenied(state, g, accessor, bit)) return (false, AccessReason.Denied);
        AccessReason reason = _grantReason(patient, g, state.epoch, bit, purpose, record.recordDate);
        if (reason == AccessReason.Granted) {
            // A suspended member organisation is stopped in every domain; a non-member (family) is never suspended.
            if (!activeProvider && registry().memberOf(accessor).status == IMemberRegistry.MemberStatus.Suspended) {
                return (false, AccessReason.InactiveMember);
            }
            return (true, AccessReason.Granted);
        }
        if (
            purpose == _PURPOSE_TREATMENT &&
            !(_getRecordsStorage()._emergencies[patient][accessor].until < block.timestamp) &&
            (activeProvider || _isMember(Roles.PROVIDER, accessor))
        ) {
            return (true, AccessReason.BreakGlass);
        }
        return (false, reason);
    }
}
