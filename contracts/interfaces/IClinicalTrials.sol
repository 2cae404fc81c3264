// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IResearchConsent} from "./IResearchConsent.sol";

/**
 * @title IClinicalTrials
 * @notice Clinical-trial registry, IRB-approved protocol versions, signed versioned informed consent
 * with GA4GH DUO data-use scopes, re-consent, withdrawal, enrollment and consent-scoped research
 * access (ICH E6(R3) GCP, 21 CFR Parts 11 and 50, GDPR Art. 7(3), GA4GH Data Use Ontology).
 *
 * Protocol versions: version 0 is the protocol registered with the trial; every amendment gets the
 * next id (1, 2, …) when proposed, and the id becomes the trial's protocol version when the IRB
 * approves it. Ids only grow, so "at least version v" is one comparison; rejected ids never become
 * current. An amendment's hashes are written when it is proposed, so approving it only moves
 * pointers in the trial's first slot: O(1), whatever the number of consents.
 *
 * Re-consent (E6(R3) 2.8.2) is two minimum versions per trial: `minVersionAll` (every consent below
 * it stops counting) and `minVersionNew` (a participant not yet enrolled needs at least it to count
 * and to be enrolled; participants enrolled before the amendment keep their consent). Enrolling
 * requires a consent at both minimums, so anyone enrolled after an amendment has a consent at least
 * at its version: no enrollment time needs storing and no loop is ever needed.
 *
 * Consent (21 CFR 11.50/11.70, E6(R3) 2.8.7): a consent counts only when three records exist for
 * it: the participant's (or legally authorised representative's) EIP-712 signature over the consent
 * terms ({consentBySig}), the attestation of an investigator whom the relaying site registered for
 * the trial ({attestBySig}, meaning InvestigatorAttestation), and, where the trial requires one, an
 * impartial witness's attestation ({attestBySig}, meaning WitnessAttestation). Each signature kind is
 * its own call so that each stays within its gas budget (one new signer's nonce and one new record
 * per call) and so that signatures gathered at different moments can be relayed as they come. A new
 * consent clears the attestations of the previous one. Every signature states its meaning as a
 * typed-data field, names its signer, and is bound to the trial, participant, protocol version and
 * consent-form hash; the block time is the record's time. For ERC-1271 signers the answer at
 * submission is what is recorded; a later change of the wallet's mind does not undo a recorded
 * consent (withdrawal is the way out).
 *
 * Withdrawal is final for a (trial, participant) pair: it can be widened (no further collection →
 * withdraw data) but never undone, so a withdrawn consent can never validate again and the record
 * of the withdrawal is never overwritten. A person who wishes to rejoin consents afresh under a new
 * pseudonymous participant address.
 *
 * The registry reference (e.g. the NCT number's hash) is recorded by its event and a "committed"
 * flag; it is never compared on chain, so storing a copy would cost 20,000 gas for nothing.
 *
 * No personal health information: participants are pseudonymous addresses (use one per trial);
 * the disease of a disease-specific (DS) consent is a hash salted with a trial secret known to the
 * trial's researchers (SDK `diseaseCodeHash`), so it cannot be recovered by hashing a code list.
 */
interface IClinicalTrials is IResearchConsent {
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

    /// @notice A participant's consent in a trial (one slot).
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
    }

    /// @notice The terms a participant or representative signs (EIP-712 struct `Consent`, with the
    /// signer's nonce as the last field).
    struct ConsentTerms {
        bytes32 trialId;
        address participant;
        /// @dev The participant, or their legally authorised representative.
        address signer;
        /// @dev ParticipantConsent when signer == participant, else RepresentativeConsent.
        SignatureMeaning meaning;
        uint16 protocolVersion;
        bytes32 consentFormHash;
        uint16 scope;
        /// @dev Salted disease-code hash; non-zero exactly when `scope` has the DS bit.
        bytes32 diseaseCodeHash;
        /// @dev Non-zero (and in the future) exactly when `scope` has the TS bit.
        uint40 useUntil;
        uint16 categories;
        bool futureContact;
        uint256 deadline;
    }

    /// @notice An attestation's signer, deadline and signature (EIP-712 struct `Attestation`).
    struct CoSignature {
        address signer;
        uint256 deadline;
        bytes signature;
    }

    /// @notice Trial `trialId` was registered.
    event TrialRegistered(
        bytes32 indexed trialId,
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
    event TrialRegistrationCommitted(bytes32 indexed trialId, bytes32 registryRefHash, bytes32 outcomeHash);
    /// @notice The trial moved from `from` to `to`.
    event TrialStatusChanged(bytes32 indexed trialId, TrialStatus from, TrialStatus to);
    /// @notice `site` became (or stopped being) a site of the trial.
    event TrialSiteSet(bytes32 indexed trialId, address indexed site, bool indexed isSite);
    /// @notice `researcher` became (or stopped being) a researcher of the trial.
    event TrialResearcherSet(bytes32 indexed trialId, address indexed researcher, bool indexed isResearcher);
    /// @notice `site` registered (or unregistered, `site` zero) `investigator` for the trial.
    // solhint-disable-next-line gas-indexed-events
    event TrialInvestigatorSet(bytes32 indexed trialId, address indexed investigator, address indexed site);
    /// @notice The sponsor proposed amendment `amendmentId`.
    event AmendmentProposed(
        bytes32 indexed trialId,
        uint16 indexed amendmentId,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        bytes32 outcomeHash,
        ReconsentPolicy policy
    );
    /// @notice The IRB approved amendment `amendmentId`: it is the protocol version now.
    // solhint-disable-next-line gas-indexed-events
    event AmendmentApproved(
        bytes32 indexed trialId,
        uint16 indexed amendmentId,
        uint16 minVersionAll,
        uint16 minVersionNew,
        bool outcomeChanged
    );
    /// @notice The IRB rejected amendment `amendmentId`; `reasonHash` commits to its reasons.
    event AmendmentRejected(bytes32 indexed trialId, uint16 indexed amendmentId, bytes32 reasonHash);
    /// @notice `signer` signed consent for `participant` with meaning `meaning` (the Part 11
    /// manifest: who, when = block time, what = the fields, meaning).
    event ConsentSigned(
        bytes32 indexed trialId,
        address indexed participant,
        address indexed signer,
        SignatureMeaning meaning,
        uint16 protocolVersion,
        bytes32 consentFormHash,
        uint16 scope,
        bytes32 diseaseCodeHash,
        uint40 useUntil,
        uint16 categories,
        bool futureContact
    );
    /// @notice `signer` attested `participant`'s consent with meaning `meaning` (investigator or
    /// witness), relayed by `site`.
    event ConsentAttested(
        bytes32 indexed trialId,
        address indexed participant,
        address indexed signer,
        SignatureMeaning meaning,
        address site
    );
    /// @notice `participant` withdrew (acting: `by`, the participant or their representative).
    event ConsentWithdrawn(
        bytes32 indexed trialId,
        address indexed participant,
        address indexed by,
        WithdrawalChoice choice
    );
    /// @notice `site` enrolled `participant`; `enrolled` is the trial's count after it.
    event ParticipantEnrolled(
        bytes32 indexed trialId,
        address indexed participant,
        address indexed site,
        uint32 enrolled
    );
    /// @notice The sponsor posted results; `report` says how `reportedOutcomeHash` relates to the
    /// registered outcome (`outcomeVersion` is the version whose outcome is current).
    event ResultsPosted(
        bytes32 indexed trialId,
        bytes32 resultsHash,
        bytes32 reportedOutcomeHash,
        OutcomeReport report,
        uint16 outcomeVersion
    );

    /// @notice No trial has id `trialId`.
    error TrialsUnknownTrial(bytes32 trialId);
    /// @notice `trialId` (sponsor + salt) is already registered.
    error TrialsAlreadyRegistered(bytes32 trialId);
    /// @notice The trial is `current`, which the action is not allowed from.
    error TrialsUnexpectedStatus(bytes32 trialId, TrialStatus current);
    /// @notice `caller` is not the trial's sponsor.
    error TrialsNotSponsor(bytes32 trialId, address caller);
    /// @notice `caller` is not the trial's IRB.
    error TrialsNotIRB(bytes32 trialId, address caller);
    /// @notice `account` is not a site of the trial.
    error TrialsNotSite(bytes32 trialId, address account);
    /// @notice A required hash is zero; `field` names it ("protocolHash", "consentFormHash",
    /// "resultsHash", "reportedOutcomeHash", or "registration" when both commitments are zero).
    error TrialsZeroHash(bytes32 field);
    /// @notice The enrollment cap is zero.
    error TrialsZeroEnrollmentCap();
    /// @notice The registry reference or the outcome was committed already (non-zero); `field` says which.
    error TrialsAlreadyCommitted(bytes32 trialId, bytes32 field);
    /// @notice The registry reference and the primary outcome must be committed before enrollment.
    error TrialsRegistrationIncomplete(bytes32 trialId);
    /// @notice Amendment `amendmentId` does not exist.
    error TrialsUnknownAmendment(bytes32 trialId, uint16 amendmentId);
    /// @notice Amendment `amendmentId` is `current`, not Proposed.
    error TrialsAmendmentNotPending(bytes32 trialId, uint16 amendmentId, AmendmentStatus current);
    /// @notice Amendment `amendmentId` is older than the version in effect, `protocolVersion`.
    error TrialsAmendmentSuperseded(bytes32 trialId, uint16 amendmentId, uint16 protocolVersion);
    /// @notice The consent was signed for `signed`, but the trial's protocol version is `current`.
    error TrialsConsentVersionMismatch(bytes32 trialId, uint16 signed, uint16 current);
    /// @notice The consent names form `signed`, but the current consent form is `current`.
    error TrialsConsentFormMismatch(bytes32 trialId, bytes32 signed, bytes32 current);
    /// @notice The stated meaning does not fit the signer (participant vs representative).
    error TrialsWrongMeaning(address participant, address signer, SignatureMeaning meaning);
    /// @notice `scope` is not a valid DUO consent: one primary permission (GRU, HMB or DS), known
    /// bits only, a disease-code hash exactly with DS and a future end exactly with TS.
    error TrialsInvalidScope(uint16 scope, bytes32 diseaseCodeHash, uint40 useUntil);
    /// @notice `categories` has bits beyond the record categories.
    error TrialsInvalidCategories(uint16 categories);
    /// @notice A participant or investigator address is zero.
    error TrialsZeroAddress();
    /// @notice `investigator` is not an investigator registered by `site` for the trial.
    error TrialsNotInvestigator(bytes32 trialId, address site, address investigator);
    /// @notice The trial requires an impartial witness and none signed.
    error TrialsWitnessRequired(bytes32 trialId);
    /// @notice `witness` is the participant, the representative or the investigator.
    error TrialsWitnessNotImpartial(address witness);
    /// @notice `participant` withdrew from the trial; withdrawal is final for the trial.
    error TrialsParticipantWithdrawn(bytes32 trialId, address participant);
    /// @notice `participant`'s current consent already has an attestation with `meaning`.
    error TrialsAlreadyAttested(bytes32 trialId, address participant, SignatureMeaning meaning);
    /// @notice `participant` never consented to the trial.
    error TrialsNotConsented(bytes32 trialId, address participant);
    /// @notice `account` is neither the participant nor their recorded representative.
    error TrialsNotParticipantOrRepresentative(bytes32 trialId, address participant, address account);
    /// @notice The withdrawal choice is None.
    error TrialsInvalidWithdrawalChoice();
    /// @notice `participant` has no consent valid for enrollment at the required version.
    error TrialsConsentInvalid(bytes32 trialId, address participant);
    /// @notice `participant` is enrolled already.
    error TrialsAlreadyEnrolled(bytes32 trialId, address participant);
    /// @notice The trial has enrolled `cap` participants, its cap.
    error TrialsEnrollmentCapReached(bytes32 trialId, uint32 cap);
    /// @notice `account` does not hold the trial role it is being given (`role`), or is not active
    /// (or, for the IRB, is the sponsor itself).
    error TrialsNotEligible(address account, bytes32 role);

    /**
     * @notice Registers a trial; returns its id keccak256(abi.encode(sponsor, r.salt)).
     * Requirements: caller is an active SPONSOR; `r.irb` an active IRB member other than the caller; protocol and consent
     * form hashes non-zero; cap non-zero; the id is new.
     * Emits {TrialRegistered}.
     */
    function registerTrial(TrialRegistration calldata r) external returns (bytes32 trialId);

    /**
     * @notice Commits the registry reference and/or the primary outcome left zero at registration
     * (pass zero for a field to leave it). Each can be committed once; the outcome changes only
     * through approved amendments.
     * Requirements: caller is the trial's sponsor (active SPONSOR); status before Closed; a non-zero
     * field must still be uncommitted.
     * Emits {TrialRegistrationCommitted}.
     */
    function commitRegistration(bytes32 trialId, bytes32 registryRefHash, bytes32 outcomeHash) external;

    /**
     * @notice Adds or removes a site of the trial.
     * Requirements: caller is the trial's sponsor (active SPONSOR); an added site is an active TRIAL_SITE.
     * Emits {TrialSiteSet}.
     */
    function setSite(bytes32 trialId, address site, bool isSite) external;

    /**
     * @notice Adds or removes a researcher of the trial.
     * Requirements: caller is the trial's sponsor (active SPONSOR); an added researcher is an active RESEARCHER.
     * Emits {TrialResearcherSet}.
     */
    function setResearcher(bytes32 trialId, address researcher, bool isResearcher) external;

    /**
     * @notice A site registers (`enabled`) or unregisters an investigator who attests consent
     * discussions held at the site (E6(R3) delegation log). An investigator may be an ERC-1271 wallet.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; unregistering only an
     * investigator of the caller.
     * Emits {TrialInvestigatorSet}.
     */
    function setInvestigator(bytes32 trialId, address investigator, bool enabled) external;

    /**
     * @notice The trial's IRB approves the trial. Requirements: caller is the trial's IRB (active
     * IRB); status Registered. Emits {TrialStatusChanged}.
     */
    function approveTrial(bytes32 trialId) external;

    /**
     * @notice The sponsor opens recruitment. Requirements: caller is the trial's sponsor (active
     * SPONSOR); status Approved. Emits {TrialStatusChanged}.
     */
    function openRecruitment(bytes32 trialId) external;

    /**
     * @notice The sponsor closes the trial. Requirements: caller is the trial's sponsor (active
     * SPONSOR); status Approved or Recruiting. Emits {TrialStatusChanged}.
     */
    function closeTrial(bytes32 trialId) external;

    /**
     * @notice The sponsor proposes an amendment; nothing changes before the IRB approves it.
     * `outcomeHash` zero keeps the primary outcome.
     * Requirements: caller is the trial's sponsor (active SPONSOR); status Approved, Recruiting or
     * Closed; protocol and consent-form hashes non-zero.
     * Emits {AmendmentProposed}.
     */
    function proposeAmendment(
        bytes32 trialId,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        ReconsentPolicy policy,
        bytes32 outcomeHash
    ) external returns (uint16 amendmentId);

    /**
     * @notice The IRB approves a proposed amendment: it becomes the protocol version and, per its
     * policy, the minimum valid consent version. O(1): no participant is visited.
     * Requirements: caller is the trial's IRB (active IRB); the amendment is Proposed and newer
     * than the version in effect; status Approved, Recruiting or Closed.
     * Emits {AmendmentApproved}.
     */
    function approveAmendment(bytes32 trialId, uint16 amendmentId) external;

    /**
     * @notice The IRB rejects a proposed amendment. Requirements: caller is the trial's IRB
     * (active IRB); the amendment is Proposed. Emits {AmendmentRejected}.
     */
    function rejectAmendment(bytes32 trialId, uint16 amendmentId, bytes32 reasonHash) external;

    /**
     * @notice A site relays the participant's or representative's signature over `terms` (EIP-712
     * struct `Consent`). The signature is checked first, consuming the signer's nonce. The consent
     * replaces the participant's previous one (re-consent) and counts once attested ({attestBySig}).
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; status Approved,
     * Recruiting or Closed; the terms name the current protocol version and consent form, the meaning
     * fitting the signer, a non-zero participant, a valid DUO scope and categories; the participant
     * has not withdrawn.
     * Emits {ConsentSigned}.
     */
    function consentBySig(ConsentTerms calldata terms, bytes calldata signature) external;

    /**
     * @notice A site relays an attestation of `participant`'s current consent (EIP-712 struct
     * `Attestation` over the consent's protocol version and consent form): by an investigator the
     * caller registered for the trial (meaning InvestigatorAttestation), or by an impartial witness
     * (meaning WitnessAttestation: not the participant, not the representative, not an investigator
     * of the trial). The signature is checked first, consuming the signer's nonce.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; status Approved,
     * Recruiting or Closed; the participant consented and has not withdrawn; the consent has no
     * attestation of this meaning yet.
     * Emits {ConsentAttested}.
     */
    function attestBySig(
        bytes32 trialId,
        address participant,
        SignatureMeaning meaning,
        CoSignature calldata attestation
    ) external;

    /**
     * @notice Withdraws `participant` from the trial, called by the participant or their recorded
     * representative. Never blocked by the trial's status, a site's or sponsor's suspension, or
     * anything else; takes effect in this block. A second withdrawal may only widen the first
     * (NoFurtherCollection → WithdrawData).
     * Requirements: the participant consented; caller is the participant or representative;
     * `choice` is not None.
     * Emits {ConsentWithdrawn}.
     */
    function withdraw(bytes32 trialId, address participant, WithdrawalChoice choice) external;

    /**
     * @notice The same as {withdraw}, by the participant's or representative's EIP-712 signature
     * (struct `Withdrawal`), relayed by anyone.
     * Emits {ConsentWithdrawn}.
     */
    function withdrawBySig(
        bytes32 trialId,
        address participant,
        WithdrawalChoice choice,
        address signer,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice A site of the trial enrolls a participant.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; status Recruiting;
     * registry reference and outcome committed; the participant's consent is valid at the version
     * required of new enrollees; not enrolled yet; the cap not reached.
     * Emits {ParticipantEnrolled}.
     */
    function enroll(bytes32 trialId, address participant) external;

    /**
     * @notice The sponsor posts the results hash with the primary-outcome hash it reports; the
     * contract records how that outcome relates to the registered one (outcome switching is visible;
     * a mismatch is recorded, not refused, so that it cannot be hidden by not posting).
     * Requirements: caller is the trial's sponsor (active SPONSOR); status Closed; hashes non-zero.
     * Emits {ResultsPosted}.
     */
    function postResults(
        bytes32 trialId,
        bytes32 resultsHash,
        bytes32 reportedOutcomeHash
    ) external returns (OutcomeReport report);

    /// @notice The id of the trial `sponsor` registers with `salt`.
    function trialIdOf(address sponsor, bytes32 salt) external pure returns (bytes32);

    /// @notice The stored trial (status None when unknown).
    function trial(bytes32 trialId) external view returns (Trial memory);

    /// @notice The trial's posted results hash (zero until posted).
    function resultsHash(bytes32 trialId) external view returns (bytes32);

    /// @notice Protocol version `amendmentId` (0 = as registered).
    function amendment(bytes32 trialId, uint16 amendmentId) external view returns (Amendment memory);

    /// @notice The primary-outcome hash in effect (the registered one unless an amendment changed it).
    function currentOutcomeHash(bytes32 trialId) external view returns (bytes32);

    /// @notice `participant`'s stored consent record in the trial.
    function participation(bytes32 trialId, address participant) external view returns (Participation memory);

    /// @notice The salted disease-code hash of `participant`'s DS consent (zero without DS).
    function diseaseCodeHashOf(bytes32 trialId, address participant) external view returns (bytes32);

    /// @notice Whether `account` is a site of the trial.
    function isSite(bytes32 trialId, address account) external view returns (bool);

    /// @notice Whether `account` is a researcher of the trial (the registry's role is checked separately).
    function isResearcher(bytes32 trialId, address account) external view returns (bool);

    /// @notice The site that registered `investigator` for the trial, or zero.
    function investigatorSite(bytes32 trialId, address investigator) external view returns (address);

    /**
     * @notice Whether `participant`'s consent counts now: signed and attested (and witnessed where
     * the trial requires it), not withdrawn (either choice),
     * at least the trial's `minVersionAll`, and — unless enrolled before a NewEnrolleesOnly
     * amendment — at least `minVersionNew`. O(1).
     */
    function isConsentValid(bytes32 trialId, address participant) external view returns (bool);

    /**
     * @notice Whether data of `participant` may be used for a use described by DUO bits `scope`
     * (one primary permission requested: GRU, HMB or DS; plus the modifiers the use satisfies:
     * NCU, NPU, PUB, COL, IRB). Equivalent to {mayUseFor} with no disease.
     */
    function mayUse(bytes32 trialId, address participant, uint16 scope) external view returns (bool);

    /**
     * @notice {mayUse} for a disease-specific use of disease `diseaseCodeHash`. True when: the
     * consent was complete (signed, attested, witnessed where required) and not withdrawn with WithdrawData (NoFurtherCollection still allows
     * the use of data already collected: 21 CFR 50 / FDA 2008 guidance on data retention, GDPR
     * Art. 7(3) "shall not affect the lawfulness of processing based on consent before its
     * withdrawal"); it is not older than `minVersionAll` (an amendment requiring re-consent suspends
     * use until re-consent); its primary permission covers the requested one (GRU ⊇ HMB ⊇ DS, a
     * DS consent only for its disease); every modifier of the consent is satisfied by the request;
     * and a TS time limit has not passed. O(1).
     */
    function mayUseFor(
        bytes32 trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) external view returns (bool);

    /// @notice The current EIP-712 nonce of `signer` (shared by every signature kind).
    function nonces(address signer) external view returns (uint256);
}
