// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IResearchConsent} from "./IResearchConsent.sol";

// Indexed topics are the ids and actors histories filter by (patient, record, grantee, provider);
// codes, masks and times stay in the data, where indexing them would buy no query.
// solhint-disable gas-indexed-events

/**
 * @title IRecordAccess
 * @notice The EHR access-grant domain of Carechain, modelled on the HL7 FHIR Consent resource
 * (provision: actor, action, purpose, period, dataPeriod, data class, permit / deny) and HIPAA
 * (minimum necessary; §164.502(g) personal representatives; §164.312(a)(2)(ii) emergency access;
 * §164.528 accounting of disclosures).
 *
 * What is on chain, and nothing more: record pointers (a salted record id, the custodian provider,
 * a category code, the keccak256 of the ciphertext envelope, the record date, a key epoch), grants
 * as bitmasks and times, deny rules, guardians, emergencies and disclosure events. No content,
 * names or identifiers: the content is AES-256-GCM ciphertext held by the custodian off chain, and
 * its data key is wrapped per grantee (ECIES) with the public key the grantee registers here.
 *
 * Records are keyed by (patient, recordId): the patient is part of the key, so a record pointer is
 * two storage slots (custodian | category | date | key epoch, and the content hash), which keeps
 * registration cheap; every function that names a record also names its patient.
 *
 * Grants: (patient, grantee) → ONE storage word holding the permit (categories, actions,
 * purposes, valid from/until, record-date window, the patient's epoch when granted, a revoked
 * flag) and the grantee-specific deny mask. {revokeAll} bumps the patient's epoch, so every grant
 * made at an older epoch stops counting at once, in O(1) whatever the number of grants.
 *
 * Guardians (HIPAA §164.502(g) personal representatives) act within a scope the patient set, and
 * everything a guardian grants ends with its authority: a guardian's grant may not outlast the
 * guardian's term (refused, not clamped, so that what was signed is what is stored), is marked in
 * its word as the guardian's and carries the guardian epoch, which the patient bumps by naming,
 * replacing or removing the guardian (and {revokeAll} bumps too): a check compares one more word,
 * O(1), whatever the number of grants. A guardian never grants to itself nor names itself in a deny rule.
 *
 * Deny rules (FHIR provision type = deny) always beat permits — grants, research consent and
 * break-glass alike. Two O(1) forms: a patient-wide rule (categories denied to everyone except one
 * named actor, e.g. "mental-health records to no one but my psychiatrist") stored in the
 * patient's word, and a rule against one actor (categories that actor may never see) stored in the
 * (patient, actor) grant word. A deny rule survives {revoke} and {revokeAll}: revoking removes
 * permits, never restrictions. The patient and the record's custodian are not subject to deny
 * rules: the patient owns the data and the custodian holds it already.
 * Why deny beats break-glass too: a deny rule is the patient's explicit, specific refusal (FHIR
 * provision type deny), whereas break-glass presumes consent the patient could not give; the
 * emergency responder sees everything the patient has not explicitly refused, and a patient who
 * wants responders to see a category simply does not deny it (or names them as the exception).
 *
 * Revocation is forward-only: it stops future checks from passing in the same block, but a
 * grantee who already decrypted a record keeps what it read. The custodian re-encrypts new
 * versions ({updateRecordContent} bumps the key epoch) and wraps the new key only for the
 * remaining grantees.
 */
interface IRecordAccess {
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

    /// @notice `custodian` registered record `recordId` of `patient`.
    event RecordRegistered(
        address indexed patient,
        bytes32 indexed recordId,
        address indexed custodian,
        uint8 category,
        uint40 recordDate,
        bytes32 contentHash
    );
    /// @notice The custodian re-encrypted record `recordId`: new ciphertext hash, new key epoch.
    event RecordContentUpdated(address indexed patient, bytes32 indexed recordId, bytes32 contentHash, uint48 keyEpoch);
    /// @notice `actor` (the patient or its guardian) granted `grantee` access on `terms`, at `epoch`.
    event AccessGranted(
        address indexed patient,
        address indexed grantee,
        address indexed actor,
        GrantTerms terms,
        uint32 epoch
    );
    /// @notice `actor` revoked `grantee`'s grant from `patient`.
    event AccessRevoked(address indexed patient, address indexed grantee, address indexed actor);
    /// @notice `actor` revoked every grant of `patient`; grants now need epoch `newEpoch`.
    event AllAccessRevoked(address indexed patient, address indexed actor, uint32 newEpoch);
    /// @notice `actor` set a deny rule of `patient`: `scope` 1 = against `target` only, 2 = against
    /// everyone except `target` (zero: no exception); `categories` replaces the rule's previous mask.
    event DenyRuleSet(
        address indexed patient,
        address indexed target,
        address indexed actor,
        uint8 scope,
        uint16 categories
    );
    /// @notice `patient` named `guardian` (zero: none) with a scope until `until`; the guardian epoch is
    /// now `epoch`, so every grant an earlier guardian appointment made stops counting.
    event GuardianSet(
        address indexed patient,
        address indexed guardian,
        uint16 categories,
        uint8 powers,
        uint40 until,
        uint32 epoch
    );
    /// @notice `provider` broke the glass for `patient`; `reasonCommitment` commits to the reason
    /// (code and note, salted; opened off chain to the reviewer); access lasts until `until`.
    event EmergencyAccessDeclared(
        address indexed patient,
        address indexed provider,
        bytes32 reasonCommitment,
        uint40 until
    );
    /// @notice PROVIDER `provider` designated `officer` (zero: none) as the privacy officer who reviews
    /// its break-glass declarations.
    event PrivacyOfficerDesignated(address indexed provider, address indexed officer);
    /// @notice `patient` linked its records to `participant`, its address in trial `trialId` (zero:
    /// unlinked), for {canAccessForResearch}.
    event ResearchParticipantLinked(address indexed patient, bytes32 indexed trialId, address indexed participant);
    /// @notice `reviewer` reviewed `count` pending emergencies of `provider` for `patient`.
    event EmergencyReviewed(address indexed patient, address indexed provider, address indexed reviewer, uint32 count);
    /// @notice `discloser` disclosed record `recordId` of `patient` to `recipient` for `purpose` at `disclosedAt`.
    event DisclosureLogged(
        address indexed patient,
        bytes32 indexed recordId,
        address indexed discloser,
        address recipient,
        uint8 purpose,
        uint40 disclosedAt
    );
    /// @notice `account` registered its secp256k1 encryption public key (33 bytes, compressed).
    event EncryptionKeyRegistered(address indexed account, bytes publicKey);

    /// @notice A constructor argument was the zero address.
    error RecordAccessZeroAddress();
    /// @notice `patient` cannot own a record or grant (zero, or the caller itself).
    error RecordAccessInvalidPatient(address patient);
    /// @notice A record id must not be zero.
    error RecordAccessInvalidRecordId();
    /// @notice `category` is not one of the codes 0..8.
    error RecordAccessInvalidCategory(uint8 category);
    /// @notice A content hash must be non-zero and differ from the current one.
    error RecordAccessInvalidContentHash(bytes32 contentHash);
    /// @notice `recordDate` is zero or in the future.
    error RecordAccessInvalidRecordDate(uint40 recordDate);
    /// @notice `patient` already has a record `recordId`.
    error RecordAccessRecordExists(address patient, bytes32 recordId);
    /// @notice `patient` has no record `recordId`.
    error RecordAccessUnknownRecord(address patient, bytes32 recordId);
    /// @notice `caller` is not the custodian of record `recordId` of `patient`.
    error RecordAccessNotCustodian(address patient, bytes32 recordId, address caller);
    /// @notice `grantee` cannot receive a grant or a deny rule (zero, or the patient).
    error RecordAccessInvalidGrantee(address grantee);
    /// @notice `categories` is empty or has bits beyond the nine categories.
    error RecordAccessInvalidCategories(uint16 categories);
    /// @notice `actions` is empty or has bits beyond read and append.
    error RecordAccessInvalidActions(uint8 actions);
    /// @notice `purposes` is empty or has bits beyond the six purposes.
    error RecordAccessInvalidPurposes(uint8 purposes);
    /// @notice `purpose` is not one of the codes 0..5.
    error RecordAccessInvalidPurpose(uint8 purpose);
    /// @notice The validity period is empty or already over.
    error RecordAccessInvalidPeriod(uint40 validFrom, uint40 validUntil);
    /// @notice The record-date window is empty.
    error RecordAccessInvalidDataPeriod(uint40 dataFrom, uint40 dataUntil);
    /// @notice `scope` is not 1 (actor) or 2 (everyone except actor).
    error RecordAccessInvalidDenyScope(uint8 scope);
    /// @notice The guardian is the patient itself, or a guardian's scope or date is invalid.
    error RecordAccessInvalidGuardian(address guardian, uint16 categories, uint8 powers, uint40 until);
    /// @notice A break-glass reason commitment must not be zero.
    error RecordAccessInvalidEmergencyReason(bytes32 reasonCommitment);
    /// @notice `guardian` may not act on or for itself (grant to itself, name itself in a deny rule).
    error RecordAccessGuardianSelfDealing(address patient, address guardian);
    /// @notice A guardian's grant may not last beyond `guardianUntil`, the end of the guardian's term.
    error RecordAccessGrantOutlivesGuardian(uint40 validUntil, uint40 guardianUntil);
    /// @notice `officer` cannot be the caller's privacy officer (the caller itself, or not an active
    /// PRIVACY_OFFICER).
    error RecordAccessInvalidPrivacyOfficer(address officer);
    /// @notice A trial id must not be zero.
    error RecordAccessInvalidTrial(bytes32 trialId);
    /// @notice `recipient` of a disclosure must not be zero.
    error RecordAccessInvalidRecipient(address recipient);
    /// @notice `publicKey` is not a 33-byte compressed secp256k1 point encoding (0x02 / 0x03 prefix).
    error RecordAccessInvalidEncryptionKey(bytes publicKey);
    /// @notice `actor` is neither `patient` nor `patient`'s guardian in office.
    error RecordAccessUnauthorized(address patient, address actor);
    /// @notice Only `patient` itself may do this (a guardian may not); `actor` tried.
    error RecordAccessNotPatient(address patient, address actor);
    /// @notice `guardian` lacks `power` or its scope does not cover `categories`.
    error RecordAccessGuardianOutOfScope(address patient, address guardian, uint8 power, uint16 categories);
    /// @notice `reviewer` may not review `provider`'s emergencies for `patient`: neither the patient,
    /// its guardian with the review power, nor the active PRIVACY_OFFICER `provider` designated — or
    /// it is `provider` itself.
    error RecordAccessNotReviewer(address patient, address reviewer);
    /// @notice `provider` has no unreviewed emergency for `patient`.
    error RecordAccessNoPendingEmergency(address patient, address provider);
    /// @notice `accessor` may not access record `recordId` of `patient`, because of `reason`.
    error RecordAccessDenied(address patient, bytes32 recordId, address accessor, AccessReason reason);

    // ----- records -----

    /**
     * @notice Registers the pointer of a record the caller holds (the caller becomes its custodian).
     * @param recordId salted hash naming the record (see the SDK's `recordIdOf`); reveals nothing.
     * @param contentHash keccak256 of the ciphertext envelope.
     * Requirements: caller an active PROVIDER; `patient` non-zero and not the caller; `recordId` and
     * `contentHash` non-zero; `category` ≤ 8; `recordDate` non-zero and not in the future; no record
     * `recordId` of `patient` yet.
     * Emits {RecordRegistered}.
     */
    function registerRecord(
        address patient,
        bytes32 recordId,
        uint8 category,
        bytes32 contentHash,
        uint40 recordDate
    ) external;

    /**
     * @notice The custodian records a new version of a record (re-encrypted under a new data key):
     * the content hash changes and the key epoch is bumped.
     * Requirements: caller an active PROVIDER and the record's custodian; `contentHash` non-zero and new.
     * Emits {RecordContentUpdated}.
     */
    function updateRecordContent(address patient, bytes32 recordId, bytes32 contentHash) external;

    // ----- grants and deny rules (patient, or its guardian within scope; directly or by signature) -----

    /**
     * @notice Grants (or replaces the grant of) `grantee` access to `patient`'s records on `terms`.
     * Keeps any deny rule against `grantee`.
     * Requirements: caller `patient`, or its guardian with the grant power whose scope covers
     * `terms.categories` and the categories of the grant it replaces, granting to another account
     * than itself until no later than its own term; `grantee` neither zero nor `patient`; masks non-empty and within range; `validFrom < validUntil`, `validUntil` not past;
     * `dataFrom ≤ dataUntil`, `dataUntil` non-zero.
     * Emits {AccessGranted}.
     */
    function grant(address patient, address grantee, GrantTerms calldata terms) external;

    /**
     * @notice {grant} by the EIP-712 signature of `signer` (the patient or its guardian), relayed
     * by anyone. Typed struct: `Grant(address patient,address signer,address grantee,uint16 categories,uint8 actions,
     * uint8 purposes,uint40 validFrom,uint40 validUntil,uint40 dataFrom,uint40 dataUntil,uint256 nonce,
     * uint256 deadline)` with `signer`'s nonce.
     * Requirements: a valid signature before `deadline`, then those of {grant} for `signer`.
     * Emits {AccessGranted}.
     */
    function grantBySig(
        address signer,
        address patient,
        address grantee,
        GrantTerms calldata terms,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice Revokes `grantee`'s grant from `patient` in this block. Never fails for the patient:
     * revoking nothing still emits the event.
     * Requirements: caller `patient`, or its guardian with the revoke power whose scope covers the
     * revoked grant's categories.
     * Emits {AccessRevoked}.
     */
    function revoke(address patient, address grantee) external;

    /**
     * @notice {revoke} by signature. Typed struct:
     * `Revoke(address patient,address signer,address grantee,uint256 nonce,uint256 deadline)`.
     * Emits {AccessRevoked}.
     */
    function revokeBySig(
        address signer,
        address patient,
        address grantee,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice Revokes every grant of `patient` at once by bumping its epoch (and the guardian epoch,
     * while a guardian is named): O(1).
     * Requirements: caller `patient`, or its guardian with the revoke power over all nine categories.
     * Emits {AllAccessRevoked}.
     */
    function revokeAll(address patient) external;

    /**
     * @notice {revokeAll} by signature. Typed struct:
     * `RevokeAll(address patient,address signer,uint256 nonce,uint256 deadline)`.
     * Emits {AllAccessRevoked}.
     */
    function revokeAllBySig(address signer, address patient, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Sets a deny rule of `patient` (replacing the previous mask of the same rule; zero lifts it).
     * `scope` 1: `categories` are denied to `target`. `scope` 2: `categories` are denied to everyone
     * but `target` (zero `target`: to everyone). Deny beats every permit, including break-glass and
     * research consent; it does not bind the patient or a record's custodian.
     * Requirements: caller `patient`, or its guardian with the deny power whose scope covers the old
     * and new masks and who is not `target`; `scope` 1 or 2; `target` non-zero and not `patient` for scope 1; `categories`
     * within the nine categories.
     * Emits {DenyRuleSet}.
     */
    function setDenyRule(address patient, uint8 scope, address target, uint16 categories) external;

    /**
     * @notice {setDenyRule} by signature. Typed struct:
     * `SetDenyRule(address patient,address signer,uint8 scope,address target,uint16 categories,uint256 nonce,uint256 deadline)`.
     * Emits {DenyRuleSet}.
     */
    function setDenyRuleBySig(
        address signer,
        address patient,
        uint8 scope,
        address target,
        uint16 categories,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice `patient` names `guardian` as its personal representative: it may act for the patient
     * with `powers` (bit 0 grant, 1 revoke, 2 deny, 3 review emergencies) over `categories` until
     * `until`. A zero `guardian` (with zero scope) removes the guardian. Only the patient may, never a
     * guardian (a representative cannot appoint or widen itself). Every call bumps the guardian epoch:
     * whatever a guardian granted stops counting (re-naming the same guardian included).
     * Requirements: caller `patient`; `guardian` not `patient`; for a non-zero guardian non-empty
     * masks within range and `until` not past; for a zero guardian zero masks and date.
     * Emits {GuardianSet}.
     */
    function setGuardian(address patient, address guardian, uint16 categories, uint8 powers, uint40 until) external;

    /**
     * @notice {setGuardian} by the patient's signature (never a guardian's); the signer is `patient`.
     * Typed struct:
     * `SetGuardian(address patient,address guardian,uint16 categories,uint8 powers,uint40 until,uint256 nonce,uint256 deadline)`.
     * Emits {GuardianSet}.
     */
    function setGuardianBySig(
        address patient,
        address guardian,
        uint16 categories,
        uint8 powers,
        uint40 until,
        uint256 deadline,
        bytes calldata signature
    ) external;

    // ----- research link (the patient only; directly or by signature) -----

    /**
     * @notice `patient` states that its participant address in trial `trialId` is `participant`
     * (zero: removes the link), so that {canAccessForResearch} asks the trial about `participant`'s
     * consent for `patient`'s records. Without a link the trial is asked about `patient` itself.
     * The link is public and links the two addresses: the patient's choice, revocable at any time.
     * Requirements: caller `patient`; `trialId` non-zero.
     * Emits {ResearchParticipantLinked}.
     */
    function linkResearchParticipant(bytes32 trialId, address participant) external;

    /**
     * @notice {linkResearchParticipant} by the patient's EIP-712 signature (the signer is `patient`),
     * relayed by anyone. Typed struct:
     * `LinkResearchParticipant(address patient,bytes32 trialId,address participant,uint256 nonce,uint256 deadline)`.
     * Emits {ResearchParticipantLinked}.
     */
    function linkResearchParticipantBySig(
        address patient,
        bytes32 trialId,
        address participant,
        uint256 deadline,
        bytes calldata signature
    ) external;

    // ----- emergencies, disclosures, keys -----

    /**
     * @notice Break-glass: the caller declares an emergency for `patient` and may read its records
     * for treatment for {EMERGENCY_ACCESS_DURATION}, except categories a deny rule keeps from it.
     * Each declaration stays pending review until reviewed ({reviewEmergency}).
     * @param reasonCommitment the salted commitment to the reason (the SDK's
     * `emergencyReasonCommitment`: code 1 patient incapacitated, 2 life-threatening condition,
     * 3 serious threat to health or safety, 4 other; a note; 32 random bytes), opened off chain to
     * the reviewer. The reason itself never reaches the chain (calldata, storage or event).
     * Requirements: caller an active PROVIDER; `patient` non-zero and not the caller;
     * `reasonCommitment` non-zero.
     * Emits {EmergencyAccessDeclared}.
     */
    function breakGlass(address patient, bytes32 reasonCommitment) external;

    /**
     * @notice The calling PROVIDER designates `officer` (zero: none) as its organisation's privacy
     * officer, the member that reviews its break-glass declarations (besides the patient).
     * Requirements: caller an active PROVIDER; `officer` zero, or an active PRIVACY_OFFICER other than
     * the caller.
     * Emits {PrivacyOfficerDesignated}.
     */
    function designatePrivacyOfficer(address officer) external;

    /**
     * @notice Marks `provider`'s pending emergencies for `patient` reviewed. Does not shorten the access.
     * Requirements: caller `patient`, its guardian with the review power, or the privacy officer
     * `provider` designated while it is an active PRIVACY_OFFICER — and never `provider` itself;
     * at least one pending emergency.
     * Emits {EmergencyReviewed}.
     */
    function reviewEmergency(address patient, address provider) external;

    /**
     * @notice {reviewEmergency} by the EIP-712 signature of `signer` (the patient, its guardian with the
     * review power, or `provider`'s privacy officer), relayed by anyone, so that a patient needs no ETH
     * to review. Typed struct:
     * `ReviewEmergency(address patient,address signer,address provider,uint256 nonce,uint256 deadline)`.
     * Requirements: a valid signature before `deadline`, then those of {reviewEmergency} for `signer`.
     * Emits {EmergencyReviewed}.
     */
    function reviewEmergencyBySig(
        address signer,
        address patient,
        address provider,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice Logs that the caller disclosed record `recordId` of `patient` to `recipient` for
     * `purpose` (HIPAA §164.528): the patient's accounting of disclosures is the list of these events.
     * Requirements: caller an active PROVIDER that may access the record for `purpose`
     * ({canAccess}); `recipient` non-zero; `purpose` 0..5.
     * Emits {DisclosureLogged}.
     */
    function logDisclosure(address patient, bytes32 recordId, address recipient, uint8 purpose) external;

    /**
     * @notice Registers (or replaces) the caller's encryption public key, to which record data keys are
     * wrapped (ECIES over secp256k1). Use a key kept for encryption, not the account's signing key.
     * Requirements: 33 bytes, first byte 0x02 or 0x03.
     * Emits {EncryptionKeyRegistered}.
     */
    function registerEncryptionKey(bytes calldata publicKey) external;

    // ----- checks (O(1) views) -----

    /**
     * @notice Whether `accessor` may read record `recordId` of `patient` for `purpose`, and why.
     * In order: unknown record; the patient; the custodian (while an active PROVIDER); deny rules;
     * the grant (epoch, revoked, period, category, read action, purpose, record-date window, the
     * grantee not a suspended member); else break-glass (treatment only, an active PROVIDER).
     * O(1): three storage words and at most two registry calls.
     */
    function canAccess(
        address patient,
        address accessor,
        bytes32 recordId,
        uint8 purpose
    ) external view returns (bool allowed, AccessReason reason);

    /**
     * @notice Research access (purpose research) through a trial's consent rather than a grant:
     * allowed when the research consent contract says `researcher` may read the records of the
     * record's category of `patient`'s participant in trial `trialId` — the address the patient
     * linked ({linkResearchParticipant}), else `patient` itself — and no deny rule keeps that category from
     * `researcher`. A separate function, because {canAccess} has no trial id; a researcher may also
     * hold an explicit grant with the research purpose, which {canAccess} honours. O(1).
     * Whether `researcher` is an active RESEARCHER of the trial is the trials contract's answer
     * (IResearchConsent returns zero otherwise), so this view makes one call to it and no registry call.
     */
    function canAccessForResearch(
        bytes32 trialId,
        address patient,
        address researcher,
        bytes32 recordId
    ) external view returns (bool allowed, AccessReason reason);

    /// @notice The record pointer (zero custodian: none).
    function recordOf(address patient, bytes32 recordId) external view returns (Record memory);

    /// @notice The (patient, grantee) word, as stored (it may be revoked, expired or of an older epoch).
    function grantOf(address patient, address grantee) external view returns (Grant memory);

    /// @notice The patient's current grant epoch (bumped by {revokeAll}).
    function epochOf(address patient) external view returns (uint32);

    /// @notice The patient-wide deny rule: categories denied to everyone but `exempt`.
    function denyRuleOf(address patient) external view returns (uint16 categories, address exempt);

    /// @notice The patient's guardian and its scope (zero account: none).
    function guardianOf(address patient) external view returns (Guardian memory);

    /// @notice The privacy officer `provider` designated (zero: none).
    function privacyOfficerOf(address provider) external view returns (address);

    /// @notice `patient`'s linked participant address in trial `trialId` (zero: none; `patient` is asked).
    function researchParticipantOf(address patient, bytes32 trialId) external view returns (address);

    /// @notice `provider`'s emergency access to `patient`.
    function emergencyOf(address patient, address provider) external view returns (Emergency memory);

    /// @notice How many break-glass declarations for `patient` are not yet reviewed. O(1).
    function pendingEmergencies(address patient) external view returns (uint32);

    /// @notice `account`'s registered encryption public key (empty: none).
    function encryptionKeyOf(address account) external view returns (bytes memory);

    /// @notice The trials contract that answers research consent questions.
    function researchConsent() external view returns (IResearchConsent);

    /// @notice How long a break-glass access lasts (seconds).
    // solhint-disable-next-line func-name-mixedcase
    function EMERGENCY_ACCESS_DURATION() external view returns (uint40);
}
