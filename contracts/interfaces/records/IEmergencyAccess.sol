// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordTypes} from "./IRecordTypes.sol";

// Indexed topics are the ids and actors histories filter by (patient, record, grantee, provider);
// codes, masks and times stay in the data, where indexing them would buy no query.
// solhint-disable gas-indexed-events

/**
 * @title IEmergencyAccess
 * @notice Break-glass (HIPAA §164.312(a)(2)(ii)) and its review (part of {IRecordAccess}): a PROVIDER
 * declares an emergency for a patient; the patient, its guardian with the review power or the
 * provider's designated privacy officer reviews it.
 */
interface IEmergencyAccess is IRecordTypes {
    /**
     * @notice Why a provider broke the glass: the code inside the salted reason commitment (the SDK's
     * `emergencyReasonCommitment`), opened off chain to the reviewer — never on chain in clear. Declared
     * here so that the code has one definition, which the SDK's mirror is tested against.
     */
    enum EmergencyReason {
        None,
        PatientIncapacitated,
        LifeThreatening,
        SeriousThreat,
        Other
    }
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
    /// @notice `reviewer` reviewed `count` pending emergencies of `provider` for `patient`.
    event EmergencyReviewed(address indexed patient, address indexed provider, address indexed reviewer, uint32 count);
    /// @notice A break-glass reason commitment must not be zero.
    error RecordAccessInvalidEmergencyReason(bytes32 reasonCommitment);
    /// @notice `officer` cannot be the caller's privacy officer (the caller itself, or not an active
    /// PRIVACY_OFFICER).
    error RecordAccessInvalidPrivacyOfficer(address officer);
    /// @notice `reviewer` may not review `provider`'s emergencies for `patient`: neither the patient,
    /// its guardian with the review power, nor the active PRIVACY_OFFICER `provider` designated — or
    /// it is `provider` itself.
    error RecordAccessNotReviewer(address patient, address reviewer);
    /// @notice `provider` has no unreviewed emergency for `patient`.
    error RecordAccessNoPendingEmergency(address patient, address provider);

    /**
     * @notice Break-glass: the caller declares an emergency for `patient` and may read its records
     * for treatment for {EMERGENCY_ACCESS_DURATION}, except categories a deny rule keeps from it.
     * Each declaration stays pending review until reviewed ({reviewEmergency}).
     * @param reasonCommitment the salted commitment to the reason (the SDK's
     * `emergencyReasonCommitment`: an {EmergencyReason} code, a note, 32 random bytes), opened off chain to
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
    /// @notice The privacy officer `provider` designated (zero: none).
    function privacyOfficerOf(address provider) external view returns (address);
    /// @notice `provider`'s emergency access to `patient`.
    function emergencyOf(address patient, address provider) external view returns (Emergency memory);
    /// @notice How many break-glass declarations for `patient` are not yet reviewed. O(1).
    function pendingEmergencies(address patient) external view returns (uint32);
    /// @notice How long a break-glass access lasts (seconds).
    // solhint-disable-next-line func-name-mixedcase
    function EMERGENCY_ACCESS_DURATION() external view returns (uint40);
}
