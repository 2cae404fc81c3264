// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrialTypes, TrialId} from "./ITrialTypes.sol";
import {IResearchConsent} from "./IResearchConsent.sol";

/**
 * @title ITrialEnrollment
 * @notice Enrollment and the O(1) data-use views of {IClinicalTrials}: whether a participant's
 * consent counts, what data use it covers, and what a trial's researcher may read of the records
 * domain ({IResearchConsent}).
 */
interface ITrialEnrollment is ITrialTypes, IResearchConsent {
    /// @notice `site` enrolled `participant`; `enrolled` is the trial's count after it.
    event ParticipantEnrolled(
        TrialId indexed trialId,
        address indexed participant,
        address indexed site,
        uint32 enrolled
    );

    /// @notice The registry reference and the primary outcome must be committed before enrollment.
    error TrialsRegistrationIncomplete(TrialId trialId);
    /// @notice `participant` has no consent valid for enrollment at the required version.
    error TrialsConsentInvalid(TrialId trialId, address participant);
    /// @notice `participant` is enrolled already.
    error TrialsAlreadyEnrolled(TrialId trialId, address participant);
    /// @notice The trial has enrolled `cap` participants, its cap.
    error TrialsEnrollmentCapReached(TrialId trialId, uint32 cap);

    /**
     * @notice A site of the trial enrolls a participant.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; status Recruiting;
     * registry reference and outcome committed; the participant's consent is valid at the version
     * required of new enrollees; not enrolled yet; the cap not reached.
     * Emits {ParticipantEnrolled}.
     */
    function enroll(TrialId trialId, address participant) external;

    /// @notice `participant`'s stored consent record in the trial.
    function participation(TrialId trialId, address participant) external view returns (Participation memory);

    /// @notice The salted disease-code hash of `participant`'s DS consent (zero without DS).
    function diseaseCodeHashOf(TrialId trialId, address participant) external view returns (bytes32);

    /**
     * @notice Whether `participant`'s consent counts now: signed and attested (and witnessed where
     * the trial requires it), not withdrawn (either choice),
     * at least the trial's `minVersionAll`, — unless enrolled before a NewEnrolleesOnly
     * amendment — at least `minVersionNew`, and, when a representative signed it, that
     * representative's authority it was signed under still in force. O(1). {mayUseFor} applies the
     * same rule, with one intended difference: a NoFurtherCollection withdrawal ends validity but
     * not the use of data already collected.
     */
    function isConsentValid(TrialId trialId, address participant) external view returns (bool);

    /**
     * @notice Whether data of `participant` may be used for a use described by DUO bits `scope`
     * (one primary permission requested: GRU, HMB or DS; plus the modifiers the use satisfies:
     * NCU, NPU, PUB, COL, IRB). Equivalent to {mayUseFor} with no disease.
     */
    function mayUse(TrialId trialId, address participant, uint16 scope) external view returns (bool);

    /**
     * @notice {mayUse} for a disease-specific use of disease `diseaseCodeHash`. True when: the
     * consent counts as in {isConsentValid} (signed, attested, witnessed where required, the
     * versions the trial requires of this participant, a representative's authority in force),
     * except that a NoFurtherCollection withdrawal is allowed, and it was not withdrawn with WithdrawData (NoFurtherCollection still allows
     * the use of data already collected: 21 CFR 50 / FDA 2008 guidance on data retention, GDPR
     * Art. 7(3) "shall not affect the lawfulness of processing based on consent before its
     * withdrawal"); an amendment requiring re-consent suspends use until re-consent; its primary permission covers the requested one (GRU ⊇ HMB ⊇ DS, a
     * DS consent only for its disease); every modifier of the consent is satisfied by the request;
     * and a TS time limit has not passed. O(1).
     */
    function mayUseFor(
        TrialId trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) external view returns (bool);
}
