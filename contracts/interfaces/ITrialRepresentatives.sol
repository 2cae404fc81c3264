// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrialTypes, TrialId} from "./ITrialTypes.sol";

/**
 * @title ITrialRepresentatives
 * @notice Legally authorised representatives (LAR, 21 CFR 50.3(l)) in {IClinicalTrials}: who may
 * consent, re-consent and withdraw for a participant of a trial, and since when, until when.
 *
 * A representative's authority over a participant exists, per trial, only once it was established
 * on chain (event {RepresentativeAppointed}) before it is used, by one of two routes:
 * - the participant's own act: a direct call ({appointRepresentative}) or the participant's EIP-712
 *   signature (struct `RepresentativeAppointment`, relayed by anyone). A person who can sign can
 *   choose who acts for them (e.g. ahead of an expected loss of capacity);
 * - for a participant who lacks the capacity to consent (21 CFR 50.20 and 50.27(a): consent "of the
 *   subject or the subject's legally authorized representative"; ICH E6(R3) 2.8.x: consent by the
 *   LAR, with the trial's IRB/IEC having approved that route): an investigator registered for the
 *   trial signs a determination (struct `RepresentativeDetermination`: lack of capacity and who the
 *   LAR is, with the hash of the documented basis — a hash, never the document), a site of the trial
 *   relays it ({determineRepresentativeBySig}), and the trial's IRB confirms it in its own
 *   transaction ({confirmRepresentative}). Authority exists only after the IRB's confirmation: no
 *   single party (site, investigator, relayer) can create it.
 *
 * Each appointment gets a new authority id (per trial and participant, only growing). A consent a
 * representative signs records that id and counts only while that same authority lasts: it ends
 * when the participant revokes it ({revokeRepresentative}, never blocked), when the IRB ends an
 * IRB-confirmed one ({endRepresentative}), when its end time passes, or when a new appointment
 * replaces it. A later re-appointment of the same person is a new id and revives nothing. O(1).
 */
interface ITrialRepresentatives is ITrialTypes {
    /// @notice What a participant signs to appoint a representative (EIP-712 struct
    /// `RepresentativeAppointment`, with the participant's — the signer's — nonce as the last field).
    struct RepresentativeAppointment {
        TrialId trialId;
        /// @dev The signer.
        address participant;
        address representative;
        /// @dev 0 = until revoked; else a future time.
        uint40 endsAt;
        uint256 deadline;
    }

    /// @notice What an investigator signs to determine that a participant lacks capacity and who
    /// the LAR is (EIP-712 struct `RepresentativeDetermination`, the investigator's nonce last).
    struct RepresentativeDetermination {
        TrialId trialId;
        address participant;
        address representative;
        uint40 endsAt;
        /// @dev Hash of the documented basis (capacity assessment, LAR's legal authority); never PHI.
        bytes32 basisHash;
        /// @dev The signer: an investigator the relaying site registered for the trial.
        address investigator;
        uint256 deadline;
    }

    /// @notice `representative` holds authority `authorityId` over `participant` in the trial until
    /// `endsAt` (0 = until ended). `basisHash` is zero when the participant appointed them, and the
    /// investigator's basis hash when the IRB confirmed a determination of incapacity.
    event RepresentativeAppointed(
        TrialId indexed trialId,
        address indexed participant,
        address indexed representative,
        uint32 authorityId,
        uint40 endsAt,
        bytes32 basisHash
    );
    /// @notice `investigator` determined (relayed by `site`) that `participant` lacks capacity and
    /// that `representative` is the LAR; awaits the IRB's confirmation.
    event RepresentativeDetermined(
        TrialId indexed trialId,
        address indexed participant,
        address indexed representative,
        address investigator,
        address site,
        uint40 endsAt,
        bytes32 basisHash
    );
    /// @notice Authority `authorityId` of `representative` over `participant` ended, by `by` (the
    /// participant, or the IRB), or a pending determination was dropped (`representative` zero).
    event RepresentativeEnded(
        TrialId indexed trialId,
        address indexed participant,
        address indexed representative,
        uint32 authorityId,
        address by
    );

    /// @notice `representative` is zero or the participant.
    error TrialsInvalidRepresentative(address participant, address representative);
    /// @notice `endsAt` is neither zero nor in the future.
    error TrialsInvalidEndTime(uint40 endsAt);
    /// @notice There is neither an authority in force nor a pending determination to end.
    error TrialsNothingToEnd(TrialId trialId, address participant);
    /// @notice No pending determination matches `determinationHash` (keccak256 of representative,
    /// endsAt, basisHash).
    error TrialsNoPendingDetermination(TrialId trialId, address participant, bytes32 determinationHash);

    /**
     * @notice The caller, as participant, appoints `representative` as its LAR in the trial,
     * replacing any authority in force (which ends).
     * Requirements: the trial exists; `representative` is neither zero nor the caller; `endsAt` is
     * zero or in the future.
     * Emits {RepresentativeEnded} for a replaced authority, {RepresentativeAppointed}.
     */
    function appointRepresentative(TrialId trialId, address representative, uint40 endsAt) external;

    /**
     * @notice The same as {appointRepresentative}, by the participant's EIP-712 signature (struct
     * `RepresentativeAppointment`), relayed by anyone. The signature is checked first.
     */
    function appointRepresentativeBySig(RepresentativeAppointment calldata a, bytes calldata signature) external;

    /**
     * @notice The caller, as participant, ends every representative authority over it in the trial:
     * the one in force (whatever route established it) and any pending determination. Never blocked
     * by status, suspension or anything else.
     * Requirements: there is something to end.
     * Emits {RepresentativeEnded}.
     */
    function revokeRepresentative(TrialId trialId) external;

    /**
     * @notice The same as {revokeRepresentative}, by the participant's EIP-712 signature (struct
     * `RepresentativeRevocation(bytes32 trialId,address participant,uint256 deadline,uint256 nonce)`,
     * the participant being the signer), relayed by anyone.
     */
    function revokeRepresentativeBySig(
        TrialId trialId,
        address participant,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice A site relays an investigator's determination that the participant lacks capacity and
     * who the LAR is. It creates no authority: the trial's IRB must confirm it. A newer
     * determination replaces a pending one.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; the investigator was
     * registered for the trial by the caller; the representative is neither zero nor the
     * participant; `basisHash` non-zero; `endsAt` zero or in the future.
     * Emits {RepresentativeDetermined}.
     */
    function determineRepresentativeBySig(RepresentativeDetermination calldata d, bytes calldata signature) external;

    /**
     * @notice The trial's IRB confirms the pending determination naming exactly `representative`,
     * `endsAt` and `basisHash`; the representative's authority exists from now on, replacing any
     * in force.
     * Requirements: caller is the trial's IRB (active IRB); the determination is pending; `endsAt`
     * is zero or in the future.
     * Emits {RepresentativeEnded} for a replaced authority, {RepresentativeAppointed}.
     */
    function confirmRepresentative(
        TrialId trialId,
        address participant,
        address representative,
        uint40 endsAt,
        bytes32 basisHash
    ) external;

    /**
     * @notice The trial's IRB ends an IRB-confirmed authority over the participant, or drops a
     * pending determination (an authority the participant appointed is the participant's to end).
     * Requirements: caller is the trial's IRB (active IRB); there is an IRB-confirmed authority in
     * force or a pending determination.
     * Emits {RepresentativeEnded}.
     */
    function endRepresentative(TrialId trialId, address participant) external;

    /// @notice The participant's current representation record in the trial (see {Representation}).
    function representation(TrialId trialId, address participant) external view returns (Representation memory);

    /// @notice keccak256(abi.encode(representative, endsAt, basisHash)) of the pending determination, or zero.
    function pendingDetermination(TrialId trialId, address participant) external view returns (bytes32);

    /// @notice Whether `account` holds representative authority in force over `participant` now.
    function isRepresentative(TrialId trialId, address participant, address account) external view returns (bool);
}
