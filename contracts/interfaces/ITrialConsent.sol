// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrialTypes, TrialId} from "./ITrialTypes.sol";

/**
 * @title ITrialConsent
 * @notice Consent in {IClinicalTrials}: investigators, signed, attested (and witnessed) consent
 * with GA4GH DUO scopes, and withdrawal. Enrollment and the data-use checks are {ITrialEnrollment}.
 */
interface ITrialConsent is ITrialTypes {
    /// @notice The terms a participant or representative signs (EIP-712 struct `Consent`, with the
    /// signer's nonce as the last field).
    struct ConsentTerms {
        TrialId trialId;
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
    event TrialInvestigatorSet(TrialId indexed trialId, address indexed investigator, address indexed site);
    /// @notice `signer` signed consent for `participant` with meaning `meaning` (the Part 11
    /// manifest: who, when = block time, what = the fields, meaning).
    event ConsentSigned(
        TrialId indexed trialId,
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
        TrialId indexed trialId,
        address indexed participant,
        address indexed signer,
        SignatureMeaning meaning,
        address site
    );
    /// @notice `participant` withdrew (acting: `by`, the participant or their representative).
    event ConsentWithdrawn(
        TrialId indexed trialId,
        address indexed participant,
        address indexed by,
        WithdrawalChoice choice
    );

    /// @notice The consent was signed for `signed`, but the trial's protocol version is `current`.
    error TrialsConsentVersionMismatch(TrialId trialId, uint16 signed, uint16 current);
    /// @notice The consent names form `signed`, but the current consent form is `current`.
    error TrialsConsentFormMismatch(TrialId trialId, bytes32 signed, bytes32 current);
    /// @notice The stated meaning does not fit the signer (participant vs representative).
    error TrialsWrongMeaning(address participant, address signer, SignatureMeaning meaning);
    /// @notice `scope` is not a valid DUO consent: one primary permission (GRU, HMB or DS), known
    /// bits only, a disease-code hash exactly with DS and a future end exactly with TS.
    error TrialsInvalidScope(uint16 scope, bytes32 diseaseCodeHash, uint40 useUntil);
    /// @notice `categories` has bits beyond the record categories.
    error TrialsInvalidCategories(uint16 categories);
    /// @notice `witness` is the participant, its representative (recorded or in force), the trial's
    /// sponsor or IRB, a site of the trial (the relaying one included) or an investigator of it.
    error TrialsWitnessNotImpartial(address witness);
    /// @notice A representative may not replace the consent `participant` signed themselves while it
    /// is at the version the trial requires of them.
    error TrialsSelfConsentInForce(TrialId trialId, address participant);
    /// @notice `participant` withdrew from the trial; withdrawal is final for the trial.
    error TrialsParticipantWithdrawn(TrialId trialId, address participant);
    /// @notice `participant`'s current consent already has an attestation with `meaning`.
    error TrialsAlreadyAttested(TrialId trialId, address participant, SignatureMeaning meaning);
    /// @notice `participant` never consented to the trial.
    error TrialsNotConsented(TrialId trialId, address participant);
    /// @notice `account` is neither the participant nor a representative with authority in force.
    error TrialsNotParticipantOrRepresentative(TrialId trialId, address participant, address account);
    /// @notice The withdrawal choice is None.
    error TrialsInvalidWithdrawalChoice();

    /**
     * @notice A site registers (`enabled`) or unregisters an investigator who attests consent
     * discussions held at the site (E6(R3) delegation log). An investigator may be an ERC-1271 wallet.
     * Requirements: caller is an active TRIAL_SITE and a site of the trial; unregistering only an
     * investigator of the caller.
     * Emits {TrialInvestigatorSet}.
     */
    function setInvestigator(TrialId trialId, address investigator, bool enabled) external;

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
     * @notice One consent visit in one transaction: a site relays the participant's or
     * representative's signature over `terms` (as {consentBySig}) together with the investigator's
     * attestation of exactly those terms (as {attestBySig} with meaning InvestigatorAttestation:
     * EIP-712 struct `Attestation` over the terms' protocol version, consent form and struct hash,
     * nonce included). The investigator signs rather than sends: the signature states its meaning
     * and its signer and is bound to the consent record it attests (21 CFR 11.50, 11.70), and it
     * is the same record as a separately relayed attestation. Both signatures are checked first,
     * consuming both signers' nonces (the participant's, then the investigator's). A witness, where
     * the trial requires one, still attests by {attestBySig}.
     * Requirements: those of {consentBySig}; the attestation's signer is an investigator the caller
     * registered for the trial.
     * Emits {ConsentSigned}, {ConsentAttested}.
     */
    function consentAndAttestBySig(
        ConsentTerms calldata terms,
        bytes calldata signature,
        CoSignature calldata attestation
    ) external;

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
        TrialId trialId,
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
    function withdraw(TrialId trialId, address participant, WithdrawalChoice choice) external;

    /**
     * @notice The same as {withdraw}, by the participant's or representative's EIP-712 signature
     * (struct `Withdrawal`), relayed by anyone.
     * Emits {ConsentWithdrawn}.
     */
    function withdrawBySig(
        TrialId trialId,
        address participant,
        WithdrawalChoice choice,
        address signer,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The site that registered `investigator` for the trial, or zero.
    function investigatorSite(TrialId trialId, address investigator) external view returns (address);
}
