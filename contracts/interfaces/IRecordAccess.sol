// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IResearchConsent} from "./IResearchConsent.sol";
import {IRecordIndex} from "./records/IRecordIndex.sol";
import {IPatientDirectives} from "./records/IPatientDirectives.sol";
import {IPatientGuardians} from "./records/IPatientGuardians.sol";
import {IEmergencyAccess} from "./records/IEmergencyAccess.sol";

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
 *
 * Composed of one interface per module, each implemented by a sibling module over one storage base
 * ({RecordsBase}): {IRecordIndex} record pointers and keys, {IPatientDirectives} grants and deny rules,
 * {IPatientGuardians} the guardian and research links, {IEmergencyAccess} break-glass; this interface
 * adds the O(1) checks and the accounting of disclosures. {IRecordTypes} holds what they share.
 */
interface IRecordAccess is IRecordIndex, IPatientDirectives, IPatientGuardians, IEmergencyAccess {
    /// @notice `discloser` disclosed record `recordId` of `patient` to `recipient` for `purpose` at `disclosedAt`.
    event DisclosureLogged(
        address indexed patient,
        bytes32 indexed recordId,
        address indexed discloser,
        address recipient,
        uint8 purpose,
        uint40 disclosedAt
    );
    /// @notice A constructor argument was the zero address.
    error RecordAccessZeroAddress();
    /// @notice `purpose` is not one of the codes 0..5.
    error RecordAccessInvalidPurpose(uint8 purpose);
    /// @notice `recipient` of a disclosure must not be zero.
    error RecordAccessInvalidRecipient(address recipient);
    /// @notice `accessor` may not access record `recordId` of `patient`, because of `reason`.
    error RecordAccessDenied(address patient, bytes32 recordId, address accessor, AccessReason reason);

    /**
     * @notice Logs that the caller disclosed record `recordId` of `patient` to `recipient` for
     * `purpose` (HIPAA §164.528): the patient's accounting of disclosures is the list of these events.
     * Requirements: caller an active PROVIDER that may access the record for `purpose`
     * ({canAccess}); `recipient` non-zero; `purpose` 0..5.
     * Emits {DisclosureLogged}.
     */
    function logDisclosure(address patient, bytes32 recordId, address recipient, uint8 purpose) external;

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
    /// @notice The trials contract that answers research consent questions.
    function researchConsent() external view returns (IResearchConsent);
}
