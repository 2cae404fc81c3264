// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A trial's id: keccak256(abi.encode(sponsor, salt)). A distinct type so that it is never
/// passed where one of the bytes32 hashes beside it is expected; the ABI type stays bytes32.
type TrialId is bytes32;

/**
 * @title ITrialTypes
 * @notice The types and errors shared by the modules of {IClinicalTrials} (registry, consent,
 * enrollment, representatives): each module's interface extends this one and adds its own events,
 * errors and functions, so that the modules are siblings, not a chain.
 */
interface ITrialTypes {
    /// @notice Lifecycle of a trial. Transitions: Registered → Approved (IRB) → Recruiting (sponsor)
    /// → Closed (sponsor) → ResultsPosted (sponsor).
    enum TrialStatus {
        None,
        Registered,
        Approved,
        Recruiting,
        Closed,
        ResultsPosted
    }

    /// @notice Which participants must sign the amended consent form (E6(R3) 2.8.2). `None`: nobody
    /// (the new form is used for new consents, older consents keep counting).
    enum ReconsentPolicy {
        None,
        AllParticipants,
        NewEnrolleesOnly
    }

    /// @notice Lifecycle of an amendment. Version 0 (the registered protocol) is `Approved` from the start.
    enum AmendmentStatus {
        None,
        Proposed,
        Approved,
        Rejected
    }

    /// @notice How posted results relate to the pre-registered primary outcome.
    enum OutcomeReport {
        None,
        /// @dev The reported outcome is the one registered with the trial.
        AsRegistered,
        /// @dev The reported outcome is the one set by approved amendment `outcomeVersion`.
        AsAmended,
        /// @dev The reported outcome matches neither: switched without an approved amendment.
        Unregistered
    }

    /// @notice The meaning a signature states (21 CFR 11.50(a)(3)): what the signer agrees to.
    enum SignatureMeaning {
        None,
        ParticipantConsent,
        RepresentativeConsent,
        Withdrawal,
        WitnessAttestation,
        InvestigatorAttestation
    }

    /// @notice What a withdrawal withdraws (GDPR Art. 7(3), 21 CFR 50.25(b)(5)): no data collected
    /// from now on, or also no further use of the data already collected.
    enum WithdrawalChoice {
        None,
        NoFurtherCollection,
        WithdrawData
    }

    /// @notice A trial as stored (two slots).
    struct Trial {
        address sponsor;
        TrialStatus status;
        /// @dev Bit 0: registry reference committed; bit 1: outcome committed; bit 2: witness required.
        uint8 flags;
        /// @dev Id of the approved amendment in effect (0 = as registered).
        uint16 protocolVersion;
        /// @dev Id of the version whose outcome hash is the current primary outcome.
        uint16 outcomeVersion;
        uint16 minVersionAll;
        uint16 minVersionNew;
        uint16 lastAmendmentId;
        address irb;
        uint32 enrollmentCap;
        uint32 enrolled;
        OutcomeReport outcomeReport;
    }

    /// @notice A protocol version: the registered one (id 0) or an amendment.
    struct Amendment {
        bytes32 protocolHash;
        bytes32 consentFormHash;
        /// @dev Zero for an amendment that leaves the primary outcome unchanged.
        bytes32 outcomeHash;
        AmendmentStatus status;
        ReconsentPolicy policy;
    }

    /// @notice A participant's consent in a trial (three slots).
    struct Participation {
        /// @dev Protocol version the recorded consent was given at.
        uint16 consentVersion;
        /// @dev GA4GH DUO bits (see DataUse library).
        uint16 scope;
        /// @dev Record categories researchers of the trial may read (bit i = category i).
        uint16 categories;
        /// @dev Bit 0 participant/representative signed, 1 future contact, 2 enrolled, 3 withdrawn
        /// (no further collection), 4 withdrawn (data), 5 investigator attested, 6 witness attested.
        uint8 flags;
        /// @dev End of the DUO TS time limit on use (0 when the scope has no TS bit).
        uint40 useUntil;
        /// @dev The legally authorised representative who signed, or zero when the participant did.
        address representative;
        /// @dev The representative's authority id the consent was signed under (0 when the
        /// participant signed); the consent counts only while that authority is in force.
        uint32 authorityId;
        /// @dev EIP-712 struct hash of the signed `Consent` (terms and nonce): what attestations bind to.
        bytes32 termsHash;
    }

    /// @notice A representative's current authority over a participant in a trial (one slot).
    struct Representation {
        /// @dev The representative; zero when no authority is in force (never appointed, or ended).
        address representative;
        /// @dev End of the authority (0 = until revoked or ended); it has ended at `endsAt`.
        uint40 endsAt;
        /// @dev Id of the latest appointment; every appointment takes the next one.
        uint32 authorityId;
        /// @dev True when established by investigator determination and IRB confirmation.
        bool irbConfirmed;
    }

    /// @notice No trial has id `trialId`.
    error TrialsUnknownTrial(TrialId trialId);
    /// @notice The trial is `current`, which the action is not allowed from. `expectedStates` is the
    /// set it is allowed from: bit i set for TrialStatus i (as OpenZeppelin Governor's
    /// `GovernorUnexpectedProposalState`; SDK `trialStates`).
    error TrialsUnexpectedStatus(TrialId trialId, TrialStatus current, bytes32 expectedStates);
    /// @notice `caller` is not the trial's sponsor.
    error TrialsNotSponsor(TrialId trialId, address caller);
    /// @notice `caller` is not the trial's IRB.
    error TrialsNotIRB(TrialId trialId, address caller);
    /// @notice `account` is not a site of the trial.
    error TrialsNotSite(TrialId trialId, address account);
    /// @notice A required hash is zero; `field` names it ("protocolHash", "consentFormHash",
    /// "resultsHash", "reportedOutcomeHash", or "registration" when both commitments are zero).
    error TrialsZeroHash(bytes32 field);
    /// @notice A participant or investigator address is zero.
    error TrialsZeroAddress();
    /// @notice `investigator` is not an investigator registered by `site` for the trial.
    error TrialsNotInvestigator(TrialId trialId, address site, address investigator);
    /// @notice `account` holds no authority in force to act for `participant` in the trial.
    error TrialsNoRepresentativeAuthority(TrialId trialId, address participant, address account);
}
