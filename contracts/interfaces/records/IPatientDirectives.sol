// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordTypes} from "./IRecordTypes.sol";

// Indexed topics are the ids and actors histories filter by (patient, record, grantee, provider);
// codes, masks and times stay in the data, where indexing them would buy no query.
// solhint-disable gas-indexed-events

/**
 * @title IPatientDirectives
 * @notice What a patient (or its guardian within scope) decides, directly or by EIP-712 signature
 * relayed by anyone: grants, revocations (one, or all by an epoch bump) and deny rules (part of
 * {IRecordAccess}).
 */
interface IPatientDirectives is IRecordTypes {
    /**
     * @notice The scope of a deny rule. `None` is never valid. {setDenyRule} takes it as a `uint8` (as
     * OpenZeppelin Governor's `castVote` takes `support`), so that an out-of-range code gets
     * {RecordAccessInvalidDenyScope} rather than an ABI decoding revert without data.
     */
    enum DenyScope {
        None,
        // The categories are denied to one actor (`target`).
        Actor,
        // The categories are denied to everyone except `target` (zero: to everyone).
        AllExcept
    }

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
    /// @notice `actor` set a deny rule of `patient`: `scope` {DenyScope.Actor} = against `target` only, {DenyScope.AllExcept} = against
    /// everyone except `target` (zero: no exception); `categories` replaces the rule's previous mask.
    event DenyRuleSet(
        address indexed patient,
        address indexed target,
        address indexed actor,
        DenyScope scope,
        uint16 categories
    );
    /// @notice `grantee` cannot receive a grant or a deny rule (zero, or the patient).
    error RecordAccessInvalidGrantee(address grantee);
    /// @notice `categories` is empty or has bits beyond the nine categories.
    error RecordAccessInvalidCategories(uint16 categories);
    /// @notice `actions` is empty or has bits beyond read and append.
    error RecordAccessInvalidActions(uint8 actions);
    /// @notice `purposes` is empty or has bits beyond the six purposes.
    error RecordAccessInvalidPurposes(uint8 purposes);
    /// @notice The validity period is empty or already over.
    error RecordAccessInvalidPeriod(uint40 validFrom, uint40 validUntil);
    /// @notice The record-date window is empty.
    error RecordAccessInvalidDataPeriod(uint40 dataFrom, uint40 dataUntil);
    /// @notice `scope` is not {DenyScope.Actor} (1) or {DenyScope.AllExcept} (2).
    error RecordAccessInvalidDenyScope(uint8 scope);
    /// @notice `guardian` may not act on or for itself (grant to itself, name itself in a deny rule).
    error RecordAccessGuardianSelfDealing(address patient, address guardian);
    /// @notice A guardian's grant may not last beyond `guardianUntil`, the end of the guardian's term.
    error RecordAccessGrantOutlivesGuardian(uint40 validUntil, uint40 guardianUntil);
    /// @notice `actor` is neither `patient` nor `patient`'s guardian in office.
    error RecordAccessUnauthorized(address patient, address actor);
    /// @notice `guardian` lacks `power` or its scope does not cover `categories`.
    error RecordAccessGuardianOutOfScope(address patient, address guardian, uint8 power, uint16 categories);

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
     * `scope` {DenyScope.Actor} (1): `categories` are denied to `target`. {DenyScope.AllExcept} (2):
     * `categories` are denied to everyone
     * but `target` (zero `target`: to everyone). Deny beats every permit, including break-glass and
     * research consent; it does not bind the patient or a record's custodian.
     * Requirements: caller `patient`, or its guardian with the deny power whose scope covers the old
     * and new masks and who is not `target`; `scope` Actor or AllExcept; `target` non-zero and not `patient` for scope 1; `categories`
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
    /// @notice The (patient, grantee) word, as stored (it may be revoked, expired or of an older epoch).
    function grantOf(address patient, address grantee) external view returns (Grant memory);
    /// @notice The patient's current grant epoch (bumped by {revokeAll}).
    function epochOf(address patient) external view returns (uint32);
    /// @notice The patient-wide deny rule: categories denied to everyone but `exempt`.
    function denyRuleOf(address patient) external view returns (uint16 categories, address exempt);
}
