// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IRecordTypes
 * @notice The types, and the error, that the records modules share ({IRecordIndex},
 * {IPatientDirectives}, {IPatientGuardians}, {IEmergencyAccess}, {IRecordAccess}). Category codes and
 * masks: {RecordCategories}.
 */
interface IRecordTypes {
    /// @notice Why {IRecordAccess-canAccess} answered as it did. `None` is never returned.
    enum AccessReason {
        None,
        // allowed
        Patient,
        Custodian,
        Granted,
        BreakGlass,
        ResearchConsent,
        // refused
        UnknownRecord,
        NoGrant,
        Revoked,
        NotYetValid,
        Expired,
        CategoryNotGranted,
        ActionNotGranted,
        PurposeNotGranted,
        OutsideDataPeriod,
        Denied,
        InactiveMember,
        NoResearchConsent
    }
    /// @notice A record pointer. Two storage slots: custodian|category|recordDate|keyEpoch, contentHash.
    struct Record {
        /// @dev The PROVIDER that registered the record and holds its ciphertext; zero: no such record.
        address custodian;
        /// @dev Category code 0..8 (labs, imaging, medications, notes, immunizations, mental health,
        /// substance use, reproductive, genomic).
        uint8 category;
        /// @dev When the care the record documents happened (unix seconds); the grants' dataPeriod.
        uint40 recordDate;
        /// @dev Bumped at each new content version; data keys are re-wrapped per epoch.
        uint48 keyEpoch;
        /// @dev keccak256 of the current ciphertext envelope.
        bytes32 contentHash;
    }
    /// @notice What a patient grants a grantee (a FHIR Consent permit provision).
    struct GrantTerms {
        /// @dev Bitmask of record categories (bit i = category i).
        uint16 categories;
        /// @dev Bitmask of actions: bit 0 read, bit 1 append. {canAccess} answers for read (a grant
        /// without it gives ActionNotGranted). Append (FHIR action "collect": the grantee may submit new
        /// data about the patient to a custodian) is recorded here for the custodians' systems to honour;
        /// registering a pointer needs no grant, as a provider always indexes its own records.
        uint8 actions;
        /// @dev Bitmask of purposes of use (bit i = purpose i: treatment, payment, operations,
        /// research, public health, patient request).
        uint8 purposes;
        /// @dev The grant counts from `validFrom` to `validUntil` inclusive (unix seconds).
        uint40 validFrom;
        uint40 validUntil;
        /// @dev Only records whose recordDate is within [dataFrom, dataUntil] (FHIR dataPeriod).
        uint40 dataFrom;
        uint40 dataUntil;
    }
    /// @notice The (patient, grantee) storage word: one slot.
    struct Grant {
        uint16 categories;
        /// @dev Categories denied to this grantee whatever any permit says (a deny provision).
        uint16 deniedCategories;
        uint8 actions;
        uint8 purposes;
        bool revoked;
        uint40 validFrom;
        uint40 validUntil;
        uint40 dataFrom;
        uint40 dataUntil;
        /// @dev Made by the patient's guardian (not the patient): `epoch` is then the guardian epoch.
        bool byGuardian;
        /// @dev The patient's epoch when granted (the guardian epoch for a guardian's grant); the
        /// grant counts only while it is current.
        uint32 epoch;
    }
    /// @notice A patient's personal representative (HIPAA §164.502(g)) and its scope. One slot.
    struct Guardian {
        address account;
        /// @dev The record categories the guardian may act on.
        uint16 categories;
        /// @dev Bitmask of powers: bit 0 grant, bit 1 revoke, bit 2 deny, bit 3 review emergencies.
        uint8 powers;
        /// @dev The guardian may act until then (unix seconds, inclusive).
        uint40 until;
        /// @dev The guardian epoch: bumped by every {setGuardian} (naming, replacing, removing) and by
        /// {revokeAll}; a grant made by a guardian counts only while it equals the epoch it carries.
        uint32 epoch;
    }
    /// @notice A provider's break-glass access to a patient. One slot. The reason is not stored:
    /// only its salted commitment is, in {EmergencyAccessDeclared}.
    struct Emergency {
        /// @dev Emergency access lasts until then (unix seconds, inclusive).
        uint40 until;
        /// @dev Declarations by this provider for this patient not yet reviewed.
        uint32 pendingReviews;
    }
    /// @notice `patient` cannot own a record or grant (zero, or the caller itself).
    error RecordAccessInvalidPatient(address patient);
}
