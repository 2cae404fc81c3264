// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrialTypes, TrialId} from "./ITrialTypes.sol";

/**
 * @title ITrialRegistry
 * @notice The trial lifecycle of {IClinicalTrials}: a sponsor registers a trial with its
 * committed protocol, consent form and primary outcome; the IRB approves it and its amendments;
 * the sponsor names sites and researchers, opens and closes recruitment and posts results. Its
 * types and the errors shared with the other modules live in {ITrialTypes}.
 */
interface ITrialRegistry is ITrialTypes {
    /// @notice What a sponsor registers (see {registerTrial}).
    struct TrialRegistration {
        /// @dev Sponsor-chosen salt; the trial id is keccak256(abi.encode(sponsor, salt)).
        bytes32 salt;
        /// @dev Hash of the public registry reference (e.g. the NCT number); may be committed later.
        bytes32 registryRefHash;
        bytes32 protocolHash;
        bytes32 consentFormHash;
        /// @dev Pre-registered primary-outcome hash; may be committed later, before enrollment.
        bytes32 outcomeHash;
        address irb;
        uint32 enrollmentCap;
        bool witnessRequired;
    }

    /// @notice Trial `trialId` was registered.
    event TrialRegistered(
        TrialId indexed trialId,
        address indexed sponsor,
        address indexed irb,
        bytes32 registryRefHash,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        bytes32 outcomeHash,
        uint32 enrollmentCap,
        bool witnessRequired
    );
    /// @notice The registry reference and/or the primary outcome were committed after registration
    /// (a zero field was left as it was).
    event TrialRegistrationCommitted(TrialId indexed trialId, bytes32 registryRefHash, bytes32 outcomeHash);
    /// @notice The trial moved from `from` to `to`.
    event TrialStatusChanged(TrialId indexed trialId, TrialStatus from, TrialStatus to);
    /// @notice `site` became (or stopped being) a site of the trial.
    event TrialSiteSet(TrialId indexed trialId, address indexed site, bool indexed isSite);
    /// @notice `researcher` became (or stopped being) a researcher of the trial.
    event TrialResearcherSet(TrialId indexed trialId, address indexed researcher, bool indexed isResearcher);
    /// @notice The sponsor proposed amendment `amendmentId`.
    event AmendmentProposed(
        TrialId indexed trialId,
        uint16 indexed amendmentId,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        bytes32 outcomeHash,
        ReconsentPolicy policy
    );
    /// @notice The IRB approved amendment `amendmentId`: it is the protocol version now.
    // solhint-disable-next-line gas-indexed-events
    event AmendmentApproved(
        TrialId indexed trialId,
        uint16 indexed amendmentId,
        uint16 minVersionAll,
        uint16 minVersionNew,
        bool outcomeChanged
    );
    /// @notice The IRB rejected amendment `amendmentId`; `reasonHash` commits to its reasons.
    event AmendmentRejected(TrialId indexed trialId, uint16 indexed amendmentId, bytes32 reasonHash);
    /// @notice The sponsor posted results; `report` says how `reportedOutcomeHash` relates to the
    /// registered outcome (`outcomeVersion` is the version whose outcome is current).
    event ResultsPosted(
        TrialId indexed trialId,
        bytes32 resultsHash,
        bytes32 reportedOutcomeHash,
        OutcomeReport report,
        uint16 outcomeVersion
    );

    /// @notice `trialId` (sponsor + salt) is already registered.
    error TrialsAlreadyRegistered(TrialId trialId);
    /// @notice The enrollment cap is zero.
    error TrialsZeroEnrollmentCap();
    /// @notice The registry reference or the outcome was committed already (non-zero); `field` says which.
    error TrialsAlreadyCommitted(TrialId trialId, bytes32 field);
    /// @notice Amendment `amendmentId` does not exist.
    error TrialsUnknownAmendment(TrialId trialId, uint16 amendmentId);
    /// @notice Amendment `amendmentId` is `current`, not Proposed.
    error TrialsAmendmentNotPending(TrialId trialId, uint16 amendmentId, AmendmentStatus current);
    /// @notice Amendment `amendmentId` is older than the version in effect, `protocolVersion`.
    error TrialsAmendmentSuperseded(TrialId trialId, uint16 amendmentId, uint16 protocolVersion);
    /// @notice The trial is Closed: its primary outcome can no longer be changed by an amendment.
    error TrialsOutcomeLocked(TrialId trialId);
    /// @notice `account` does not hold the trial role it is being given (`role`), or is not active
    /// (or, for the IRB, is the sponsor itself).
    error TrialsNotEligible(address account, bytes32 role);

    /**
     * @notice Registers a trial; returns its id keccak256(abi.encode(sponsor, r.salt)).
     * Requirements: caller is an active SPONSOR; `r.irb` an active IRB member other than the caller; protocol and consent
     * form hashes non-zero; cap non-zero; the id is new.
     * Emits {TrialRegistered}.
     */
    function registerTrial(TrialRegistration calldata r) external returns (TrialId trialId);

    /**
     * @notice Commits the registry reference and/or the primary outcome left zero at registration
     * (pass zero for a field to leave it). Each can be committed once; the outcome changes only
     * through approved amendments.
     * Requirements: caller is the trial's sponsor (active SPONSOR); status before Closed; a non-zero
     * field must still be uncommitted.
     * Emits {TrialRegistrationCommitted}.
     */
    function commitRegistration(TrialId trialId, bytes32 registryRefHash, bytes32 outcomeHash) external;

    /**
     * @notice Adds or removes a site of the trial.
     * Requirements: caller is the trial's sponsor (active SPONSOR); an added site is an active TRIAL_SITE.
     * Emits {TrialSiteSet}.
     */
    function setSite(TrialId trialId, address site, bool isSite) external;

    /**
     * @notice Adds or removes a researcher of the trial.
     * Requirements: caller is the trial's sponsor (active SPONSOR); an added researcher is an active RESEARCHER.
     * Emits {TrialResearcherSet}.
     */
    function setResearcher(TrialId trialId, address researcher, bool isResearcher) external;

    /**
     * @notice The trial's IRB approves the trial. Requirements: caller is the trial's IRB (active
     * IRB); status Registered. Emits {TrialStatusChanged}.
     */
    function approveTrial(TrialId trialId) external;

    /**
     * @notice The sponsor opens recruitment. Requirements: caller is the trial's sponsor (active
     * SPONSOR); status Approved. Emits {TrialStatusChanged}.
     */
    function openRecruitment(TrialId trialId) external;

    /**
     * @notice The sponsor closes the trial. Requirements: caller is the trial's sponsor (active
     * SPONSOR); status Approved or Recruiting. Emits {TrialStatusChanged}.
     */
    function closeTrial(TrialId trialId) external;

    /**
     * @notice The sponsor proposes an amendment; nothing changes before the IRB approves it.
     * `outcomeHash` zero keeps the primary outcome.
     * Requirements: caller is the trial's sponsor (active SPONSOR); status Approved, Recruiting or
     * Closed; protocol and consent-form hashes non-zero; once Closed, `outcomeHash` zero (the primary
     * outcome is fixed when the trial closes, so that results cannot be reported "as amended"
     * against an outcome chosen after the data were seen).
     * Emits {AmendmentProposed}.
     */
    function proposeAmendment(
        TrialId trialId,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        ReconsentPolicy policy,
        bytes32 outcomeHash
    ) external returns (uint16 amendmentId);

    /**
     * @notice The IRB approves a proposed amendment: it becomes the protocol version and, per its
     * policy, the minimum valid consent version. O(1): no participant is visited.
     * Requirements: caller is the trial's IRB (active IRB); the amendment is Proposed and newer
     * than the version in effect; status Approved, Recruiting or Closed; once Closed, the amendment
     * does not change the primary outcome.
     * Emits {AmendmentApproved}.
     */
    function approveAmendment(TrialId trialId, uint16 amendmentId) external;

    /**
     * @notice The IRB rejects a proposed amendment. Requirements: caller is the trial's IRB
     * (active IRB); the amendment is Proposed. Emits {AmendmentRejected}.
     */
    function rejectAmendment(TrialId trialId, uint16 amendmentId, bytes32 reasonHash) external;

    /**
     * @notice The sponsor posts the results hash with the primary-outcome hash it reports; the
     * contract records how that outcome relates to the registered one (outcome switching is visible;
     * a mismatch is recorded, not refused, so that it cannot be hidden by not posting).
     * Requirements: caller is the trial's sponsor (active SPONSOR); status Closed; hashes non-zero.
     * Emits {ResultsPosted}.
     */
    function postResults(
        TrialId trialId,
        bytes32 resultsHash,
        bytes32 reportedOutcomeHash
    ) external returns (OutcomeReport report);

    /// @notice The id of the trial `sponsor` registers with `salt`.
    function trialIdOf(address sponsor, bytes32 salt) external pure returns (TrialId);

    /// @notice The stored trial (status None when unknown).
    function trial(TrialId trialId) external view returns (Trial memory);

    /// @notice The trial's posted results hash (zero until posted).
    function resultsHash(TrialId trialId) external view returns (bytes32);

    /// @notice Protocol version `amendmentId` (0 = as registered).
    function amendment(TrialId trialId, uint16 amendmentId) external view returns (Amendment memory);

    /// @notice The primary-outcome hash in effect (the registered one unless an amendment changed it).
    function currentOutcomeHash(TrialId trialId) external view returns (bytes32);

    /// @notice Whether `account` is a site of the trial.
    function isSite(TrialId trialId, address account) external view returns (bool);

    /// @notice Whether `account` is a researcher of the trial (the registry's role is checked separately).
    function isResearcher(TrialId trialId, address account) external view returns (bool);
}
