// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// EIP-712 type strings are longer than 32 bytes by nature (hashed at compile time).
// solhint-disable gas-small-strings

import {ITrialConsent} from "../interfaces/ITrialConsent.sol";
import {TrialId} from "../interfaces/ITrialTypes.sol";
import {Roles} from "../access/Roles.sol";
import {DataUse} from "../libraries/DataUse.sol";
import {TrialFlags} from "../libraries/TrialFlags.sol";
import {TrialsBase} from "./TrialsBase.sol";

/**
 * @title TrialConsent
 * @notice The consent module of {ClinicalTrials}: investigators, the participant's (or
 * representative's) signature, the investigator's and witness's attestations (together with the
 * signature at a consent visit, or later), and withdrawal. See {ITrialConsent}.
 * @dev A participant's consent is three slots (the packed record, the representative authority id,
 * the signed terms' hash); every check is O(1).
 */
abstract contract TrialConsent is ITrialConsent, TrialsBase {
    /// @dev EIP-712 struct of a participant's or representative's consent; the fields of
    /// {ConsentTerms} in order, then the signer's nonce.
    bytes32 private constant CONSENT_TYPEHASH = keccak256(
        "Consent(bytes32 trialId,address participant,address signer,uint8 meaning,uint16 protocolVersion,"
        "bytes32 consentFormHash,uint16 scope,bytes32 diseaseCodeHash,uint40 useUntil,uint16 categories,"
        "bool futureContact,uint256 deadline,uint256 nonce)"
    );
    /// @dev EIP-712 struct of an investigator's or impartial witness's attestation of a consent;
    /// `consentHash` is the struct hash of the exact `Consent` attested.
    bytes32 private constant ATTESTATION_TYPEHASH = keccak256(
        "Attestation(bytes32 trialId,address participant,uint16 protocolVersion,bytes32 consentFormHash,"
        "bytes32 consentHash,uint8 meaning,address signer,uint256 deadline,uint256 nonce)"
    );
    /// @dev EIP-712 struct of a withdrawal.
    bytes32 private constant WITHDRAWAL_TYPEHASH = keccak256(
        "Withdrawal(bytes32 trialId,address participant,uint8 choice,uint8 meaning,address signer,"
        "uint256 deadline,uint256 nonce)"
    );

    // ------------------------------------------------------------------ site

    /// @inheritdoc ITrialConsent
    function setInvestigator(
        TrialId trialId,
        address investigator,
        bool enabled
    ) external onlyMember(Roles.TRIAL_SITE) {
        _siteTrial(trialId);
        if (investigator == address(0)) revert TrialsZeroAddress();
        address current = _investigatorSiteOf(trialId, investigator);
        if (enabled ? current != address(0) && current != msg.sender : current != msg.sender) {
            revert TrialsNotInvestigator(trialId, msg.sender, investigator);
        }
        address site = enabled ? msg.sender : address(0);
        _setInvestigatorSite(trialId, investigator, site);
        emit TrialInvestigatorSet(trialId, investigator, site);
    }

    /// @inheritdoc ITrialConsent
    function consentBySig(ConsentTerms calldata terms, bytes calldata signature) external onlyMember(Roles.TRIAL_SITE) {
        // Signature first, so that a replay fails with SignatureInvalid whatever the state.
        bytes32 termsHash = _checkConsentSignature(terms, signature);
        _recordConsent(terms, termsHash, 0);
        _emitConsentSigned(terms);
    }

    /// @inheritdoc ITrialConsent
    function consentAndAttestBySig(
        ConsentTerms calldata terms,
        bytes calldata signature,
        CoSignature calldata attestation
    ) external onlyMember(Roles.TRIAL_SITE) {
        // Both signatures first (the participant's nonce, then the investigator's), then state.
        bytes32 termsHash = _checkConsentSignature(terms, signature);
        TrialId trialId = terms.trialId;
        _checkAttestationSignature(
            trialId,
            terms.participant,
            terms.protocolVersion,
            terms.consentFormHash,
            termsHash,
            SignatureMeaning.InvestigatorAttestation,
            attestation
        );
        _recordConsent(terms, termsHash, TrialFlags.P_ATTESTED);
        if (_investigatorSiteOf(trialId, attestation.signer) != msg.sender) {
            revert TrialsNotInvestigator(trialId, msg.sender, attestation.signer);
        }
        _emitConsentSigned(terms);
        emit ConsentAttested(
            trialId,
            terms.participant,
            attestation.signer,
            SignatureMeaning.InvestigatorAttestation,
            msg.sender
        );
    }

    /// @inheritdoc ITrialConsent
    function attestBySig(
        TrialId trialId,
        address participant,
        SignatureMeaning meaning,
        CoSignature calldata attestation
    ) external onlyMember(Roles.TRIAL_SITE) {
        Participation storage p = _participationOf(trialId, participant);
        uint16 version = p.consentVersion;
        // Signature first (over the exact terms the participant consented to), then state.
        _checkAttestationSignature(
            trialId,
            participant,
            version,
            _amendmentOf(trialId, version).consentFormHash,
            p.termsHash,
            meaning,
            attestation
        );
        Trial storage t = _siteTrial(trialId);
        _checkStatus(trialId, t.status, STATES_AMENDABLE);
        uint8 flags = p.flags;
        if (flags & TrialFlags.P_CONSENTED == 0) revert TrialsNotConsented(trialId, participant);
        if (flags & TrialFlags.P_WITHDRAWN != 0) revert TrialsParticipantWithdrawn(trialId, participant);
        uint8 bit;
        if (meaning == SignatureMeaning.InvestigatorAttestation) {
            if (_investigatorSiteOf(trialId, attestation.signer) != msg.sender) {
                revert TrialsNotInvestigator(trialId, msg.sender, attestation.signer);
            }
            bit = TrialFlags.P_ATTESTED;
        } else if (meaning == SignatureMeaning.WitnessAttestation) {
            _checkImpartial(trialId, t, participant, p.representative, attestation.signer);
            bit = TrialFlags.P_WITNESSED;
        } else {
            revert TrialsWrongMeaning(participant, attestation.signer, meaning);
        }
        if (flags & bit != 0) revert TrialsAlreadyAttested(trialId, participant, meaning);
        p.flags = flags | bit;
        emit ConsentAttested(trialId, participant, attestation.signer, meaning, msg.sender);
    }

    // ------------------------------------------------------------------ participant

    /// @inheritdoc ITrialConsent
    function withdraw(TrialId trialId, address participant, WithdrawalChoice choice) external {
        _withdraw(trialId, participant, msg.sender, choice);
    }

    /// @inheritdoc ITrialConsent
    function withdrawBySig(
        TrialId trialId,
        address participant,
        WithdrawalChoice choice,
        address signer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(
                WITHDRAWAL_TYPEHASH,
                trialId,
                participant,
                choice,
                SignatureMeaning.Withdrawal,
                signer,
                deadline,
                _useNonce(signer)
            )
        );
        _checkSignature(signer, structHash, deadline, signature);
        _withdraw(trialId, participant, signer, choice);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITrialConsent
    function investigatorSite(TrialId trialId, address investigator) external view returns (address) {
        return _investigatorSiteOf(trialId, investigator);
    }

    // ------------------------------------------------------------------ internal

    /// @dev Verifies the signature over `terms` (consuming the signer's nonce); returns the struct hash.
    function _checkConsentSignature(
        ConsentTerms calldata terms,
        bytes calldata signature
    ) private returns (bytes32 termsHash) {
        termsHash = keccak256(abi.encode(CONSENT_TYPEHASH, terms, _useNonce(terms.signer)));
        _checkSignature(terms.signer, termsHash, terms.deadline, signature);
    }

    /// @dev Verifies an attestation with `meaning` of the consent `consentHash` (consuming the
    /// attesting signer's nonce).
    function _checkAttestationSignature(
        TrialId trialId,
        address participant,
        uint16 version,
        bytes32 consentFormHash,
        bytes32 consentHash,
        SignatureMeaning meaning,
        CoSignature calldata attestation
    ) private {
        _checkSignature(
            attestation.signer,
            keccak256(
                abi.encode(
                    ATTESTATION_TYPEHASH,
                    trialId,
                    participant,
                    version,
                    consentFormHash,
                    consentHash,
                    meaning,
                    attestation.signer,
                    attestation.deadline,
                    _useNonce(attestation.signer)
                )
            ),
            attestation.deadline,
            attestation.signature
        );
    }

    /**
     * @dev Reverts unless `witness` is impartial: not the participant, its recorded or current
     * representative, the sponsor, the IRB, a site of the trial (the relaying site is one), or an
     * investigator of the trial.
     */
    function _checkImpartial(
        TrialId trialId,
        Trial storage t,
        address participant,
        address representative,
        address witness
    ) private view {
        if (
            witness == participant ||
            witness == representative ||
            witness == msg.sender ||
            witness == t.sponsor ||
            witness == t.irb ||
            _trialRolesOf(trialId, witness) & TrialFlags.ROLE_SITE != 0 ||
            _investigatorSiteOf(trialId, witness) != address(0) ||
            _currentAuthority(trialId, participant, witness) != 0
        ) revert TrialsWitnessNotImpartial(witness);
    }

    /**
     * @dev The state checks and the write of a consent whose signature was verified, with the
     * attestation bits `attested` (zero, or P_ATTESTED when the investigator attested in the same
     * call). A representative's consent needs its authority in force now and records its id; it
     * never replaces the participant's own consent while that is at the version required of them.
     */
    function _recordConsent(ConsentTerms calldata terms, bytes32 termsHash, uint8 attested) private {
        TrialId trialId = terms.trialId;
        Trial storage t = _siteTrial(trialId);
        _checkConsentTerms(t, terms);
        Participation storage p = _participationOf(trialId, terms.participant);
        uint8 flags = p.flags;
        if (flags & TrialFlags.P_WITHDRAWN != 0) revert TrialsParticipantWithdrawn(trialId, terms.participant);
        address representative;
        uint32 authorityId;
        if (terms.signer != terms.participant) {
            representative = terms.signer;
            authorityId = _currentAuthority(trialId, terms.participant, representative);
            if (authorityId == 0) revert TrialsNoRepresentativeAuthority(trialId, terms.participant, representative);
            if (
                flags & TrialFlags.P_CONSENTED != 0 &&
                p.representative == address(0) &&
                _versionOk(t, flags, p.consentVersion)
            ) revert TrialsSelfConsentInForce(trialId, terms.participant);
        }
        if (terms.scope & DataUse.DS != 0) _setDisease(trialId, terms.participant, terms.diseaseCodeHash);
        else if (p.scope & DataUse.DS != 0) _setDisease(trialId, terms.participant, 0);
        // A new consent needs its own attestations: only the enrolled bit is carried over.
        _setParticipation(
            trialId,
            terms.participant,
            Participation({
                consentVersion: terms.protocolVersion,
                scope: terms.scope,
                categories: terms.categories,
                flags: (flags & TrialFlags.P_ENROLLED) |
                    TrialFlags.P_CONSENTED |
                    attested |
                    (terms.futureContact ? TrialFlags.P_FUTURE_CONTACT : 0),
                useUntil: terms.useUntil,
                representative: representative,
                authorityId: authorityId,
                termsHash: termsHash
            })
        );
    }

    function _emitConsentSigned(ConsentTerms calldata terms) private {
        emit ConsentSigned(
            terms.trialId,
            terms.participant,
            terms.signer,
            terms.meaning,
            terms.protocolVersion,
            terms.consentFormHash,
            terms.scope,
            terms.diseaseCodeHash,
            terms.useUntil,
            terms.categories,
            terms.futureContact
        );
    }

    /// @dev The state checks of a consent: status, version, form, meaning, scope, categories.
    function _checkConsentTerms(Trial storage t, ConsentTerms calldata terms) private view {
        TrialId trialId = terms.trialId;
        _checkStatus(trialId, t.status, STATES_AMENDABLE);
        uint16 version = t.protocolVersion;
        if (terms.protocolVersion != version) {
            revert TrialsConsentVersionMismatch(trialId, terms.protocolVersion, version);
        }
        bytes32 form = _amendmentOf(trialId, version).consentFormHash;
        if (terms.consentFormHash != form) revert TrialsConsentFormMismatch(trialId, terms.consentFormHash, form);
        if (terms.participant == address(0)) revert TrialsZeroAddress();
        SignatureMeaning expected =
            terms.signer == terms.participant
                ? SignatureMeaning.ParticipantConsent
                : SignatureMeaning.RepresentativeConsent;
        if (terms.meaning != expected) revert TrialsWrongMeaning(terms.participant, terms.signer, terms.meaning);
        uint16 scope = terms.scope;
        if (
            !DataUse.isValidConsentScope(scope) ||
            (scope & DataUse.DS != 0) != (terms.diseaseCodeHash != 0) ||
            (scope & DataUse.TS != 0) != (terms.useUntil != 0) ||
            // solhint-disable-next-line gas-strict-inequalities
            (terms.useUntil != 0 && terms.useUntil <= block.timestamp)
        ) revert TrialsInvalidScope(scope, terms.diseaseCodeHash, terms.useUntil);
        if (terms.categories & ~TrialFlags.ALL_CATEGORIES != 0) revert TrialsInvalidCategories(terms.categories);
    }

    /**
     * @dev A withdrawal by `by`: the participant's depends on nothing but its own record, so nothing
     * else (trial status, suspensions) can block it; a representative's on its authority in force.
     * The first withdrawal of an enrolled participant frees its place under the cap.
     */
    function _withdraw(TrialId trialId, address participant, address by, WithdrawalChoice choice) private {
        Participation storage p = _participationOf(trialId, participant);
        uint8 flags = p.flags;
        if (flags & TrialFlags.P_CONSENTED == 0) revert TrialsNotConsented(trialId, participant);
        // `by` is never zero (msg.sender, or a signer whose signature verified).
        if (by != participant && _currentAuthority(trialId, participant, by) == 0) {
            revert TrialsNotParticipantOrRepresentative(trialId, participant, by);
        }
        if (choice == WithdrawalChoice.None) revert TrialsInvalidWithdrawalChoice();
        if (flags & (TrialFlags.P_WITHDRAWN | TrialFlags.P_ENROLLED) == TrialFlags.P_ENROLLED) {
            // Cannot underflow: this enrolled, not yet withdrawn participant is counted in `enrolled`.
            unchecked {
                --_trialOf(trialId).enrolled;
            }
        }
        // Bits only accumulate: a second withdrawal can widen the first, never narrow it.
        p.flags =
            flags |
            (choice == WithdrawalChoice.WithdrawData ? TrialFlags.P_WITHDRAWN : TrialFlags.P_NO_FURTHER_COLLECTION);
        emit ConsentWithdrawn(trialId, participant, by, choice);
    }
}
