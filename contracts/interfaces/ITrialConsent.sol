// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrialRepresentatives} from "./ITrialRepresentatives.sol";

/**
 * @title ITrialConsent
 * @notice Consent in {IClinicalTrials}: signed, attested (and witnessed) consent with GA4GH DUO
 * scopes, withdrawal, enrollment, and the O(1) checks of consent and data use.
 */
interface ITrialConsent is ITrialRepresentatives {
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

    /// @notice `site` registered (or unregistered, `site` zero) `investigator` for the trial.
    // solhint-disable-next-line gas-indexed-events
    event TrialInvestigatorSet(bytes32 indexed trialId, address indexed investigator, address indexed site);
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

    /// @notice The registry reference and the primary outcome must be committed before enrollment.
    error TrialsRegistrationIncomplete(bytes32 trialId);
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
    /// @notice The trial requires an impartial witness and none signed.
    error TrialsWitnessRequired(bytes32 trialId);
    /// @notice `witness` is the participant, its representative (recorded or in force), the trial's
    /// sponsor or IRB, a site of the trial (the relaying one included) or an investigator of it.
    error TrialsWitnessNotImpartial(address witness);
    /// @notice A representative may not replace the consent `participant` signed themselves while it
    /// is at the version the trial requires of them.
    error TrialsSelfConsentInForce(bytes32 trialId, address participant);
    /// @notice `participant` withdrew from the trial; withdrawal is final for the trial.
    error TrialsParticipantWithdrawn(bytes32 trialId, address participant);
    /// @notice `participant`'s current consent already has an attestation with `meaning`.
    error TrialsAlreadyAttested(bytes32 trialId, address participant, SignatureMeaning meaning);
    /// @notice `participant` never consented to the trial.
    error TrialsNotConsented(bytes32 trialId, address participant);
    /// @notice `account` is neither the participant nor a representative with authority in force.
    error TrialsNotParticipantOrRepresentative(bytes32 trialId, address participant, address account);
    /// @notice The withdrawal choice is None.
    error TrialsInvalidWithdrawalChoice();
    /// @notice `participant` has no consent valid for enrollment at the required version.
    error TrialsConsentInvalid(bytes32 trialId, address participant);
    /// @notice `participant` is enrolled already.
    error TrialsAlreadyEnrolled(bytes32 trialId, address participant);
    /// @notice The trial has enrolled `cap` participants, its cap.
    error TrialsEnrollmentCapReached(bytes32 trialId, uint32 cap);

    /**
     * @notice A site registers (`enabled`) or unregisters an investigator who attests consent
     * discussions held at the site (E6(R3) delegation log). An investigator may be an ERC-1271 wallet.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; unregistering only an
     * investigator of the caller.
     * Emits {TrialInvestigatorSet}.
     */
    function setInvestigator(bytes32 trialId, address investigator, bool enabled) external;

    /**
     * @notice A site relays the participant's or representative's signature over `terms` (EIP-712
     * struct `Consent`). The signature is checked first, consuming the signer's nonce. The consent
     * replaces the participant's previous one (re-consent) and counts once attested ({attestBySig}).
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; status Approved,
     * Recruiting or Closed; the terms name the current protocol version and consent form, the meaning
     * fitting the signer, a non-zero participant, a valid DUO scope and categories; the participant
     * has not withdrawn. A representative's consent (meaning RepresentativeConsent) needs, in
     * addition, the signer's representative authority in force now ({ITrialRepresentatives}); its id
     * is recorded and the consent counts only while that authority lasts. A representative never
     * replaces a consent the participant signed themselves while that consent is at the version the
     * trial requires of the participant (`minVersionAll` if enrolled, else `minVersionNew`): only when
     * an amendment requires this participant's re-consent may a representative re-consent for them.
     * Emits {ConsentSigned}.
     */
    function consentBySig(ConsentTerms calldata terms, bytes calldata signature) external;

    /**
     * @notice A site relays an attestation of `participant`'s current consent (EIP-712 struct
     * `Attestation` over the consent's protocol version, consent form and `consentHash`, the EIP-712
     * struct hash of the exact `Consent` signed, nonce included, as stored in
     * {Participation-termsHash}): by an investigator the caller registered for the trial (meaning
     * InvestigatorAttestation), or by an impartial witness (meaning WitnessAttestation: not the
     * participant, not its representative, not the trial's sponsor or IRB, not a site of the trial
     * — the relaying site included — and not an investigator of the trial). An attestation of
     * earlier terms never counts for a re-consent. The signature is checked first, consuming the signer's nonce: nonces are
     * sequential per signer (shared by all its signature kinds and trials), so an investigator's
     * attestations are relayed in the order they were signed.
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
     * @notice Withdraws `participant` from the trial, called by the participant or by a
     * representative whose authority over the participant is in force now (a representative whose
     * authority ended cannot). The participant's own withdrawal is never blocked by the trial's
     * status, a site's or sponsor's suspension, or anything else; takes effect in this block. A
     * second withdrawal may only widen the first (NoFurtherCollection → WithdrawData). The first
     * withdrawal of an enrolled participant frees its place: the trial's `enrolled` count drops by one.
     * Requirements: the participant consented; caller is the participant or a representative in
     * force; `choice` is not None.
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

    /// @notice `participant`'s stored consent record in the trial.
    function participation(bytes32 trialId, address participant) external view returns (Participation memory);

    /// @notice The salted disease-code hash of `participant`'s DS consent (zero without DS).
    function diseaseCodeHashOf(bytes32 trialId, address participant) external view returns (bytes32);

    /// @notice The site that registered `investigator` for the trial, or zero.
    function investigatorSite(bytes32 trialId, address investigator) external view returns (address);

    /**
     * @notice Whether `participant`'s consent counts now: signed and attested (and witnessed where
     * the trial requires it), not withdrawn (either choice),
     * at least the trial's `minVersionAll`, — unless enrolled before a NewEnrolleesOnly
     * amendment — at least `minVersionNew`, and, when a representative signed it, that
     * representative's authority it was signed under still in force. O(1). {mayUseFor} applies the
     * same rule, with one intended difference: a NoFurtherCollection withdrawal ends validity but
     * not the use of data already collected.
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
        bytes32 trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) external view returns (bool);
}
