// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordTypes} from "./IRecordTypes.sol";

// Indexed topics are the ids and actors histories filter by (patient, record, grantee, provider);
// codes, masks and times stay in the data, where indexing them would buy no query.
// solhint-disable gas-indexed-events

/**
 * @title IPatientGuardians
 * @notice What only the patient decides, directly or by its EIP-712 signature: its guardian (HIPAA
 * §164.502(g) personal representative) and scope, and the link of its records to its participant
 * address in a trial (part of {IRecordAccess}).
 */
interface IPatientGuardians is IRecordTypes {
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
    /// @notice `patient` linked its records to `participant`, its address in trial `trialId` (zero:
    /// unlinked), for {canAccessForResearch}.
    event ResearchParticipantLinked(address indexed patient, bytes32 indexed trialId, address indexed participant);
    /// @notice The guardian is the patient itself, or a guardian's scope or date is invalid.
    error RecordAccessInvalidGuardian(address guardian, uint16 categories, uint8 powers, uint40 until);
    /// @notice A trial id must not be zero.
    error RecordAccessInvalidTrial(bytes32 trialId);
    /// @notice Only `patient` itself may do this (a guardian may not); `actor` tried.
    error RecordAccessNotPatient(address patient, address actor);

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
    /// @notice The patient's guardian and its scope (zero account: none).
    function guardianOf(address patient) external view returns (Guardian memory);
    /// @notice `patient`'s linked participant address in trial `trialId` (zero: none; `patient` is asked).
    function researchParticipantOf(address patient, bytes32 trialId) external view returns (address);
}
