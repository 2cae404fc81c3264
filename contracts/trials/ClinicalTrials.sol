// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// EIP-712 type strings are longer than 32 bytes by nature (hashed at compile time), and version
// comparisons are ">=" by meaning ("at least version v").
// solhint-disable gas-small-strings, gas-strict-inequalities

import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IResearchConsent} from "../interfaces/IResearchConsent.sol";
import {IClinicalTrials} from "../interfaces/IClinicalTrials.sol";
import {ITrialConsent} from "../interfaces/ITrialConsent.sol";
import {ITrialRegistry} from "../interfaces/ITrialRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {SignedActions} from "../access/SignedActions.sol";
import {Roles} from "../access/Roles.sol";
import {DataUse} from "../libraries/DataUse.sol";
import {TrialRepresentatives} from "./TrialRepresentatives.sol";

/**
 * @title ClinicalTrials
 * @notice Trial registry, IRB-approved protocol versions, signed consent with DUO scopes, re-consent
 * at constant cost, withdrawal, enrollment and the consent-scoped research link to the records
 * domain. See {IClinicalTrials} for the model and the reasons behind its choices.
 * @dev Every check is O(1): a trial is two packed slots, a participant's consent three (the packed
 * record, the representative authority id, the signed terms' hash); sites, researchers,
 * investigators and representatives are mappings; re-consent is two version numbers compared; a
 * representative's authority is one id compared ({TrialRepresentatives}).
 */
contract ClinicalTrials is IClinicalTrials, TrialRepresentatives {
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

    uint8 private constant TRIAL_REF_COMMITTED = 1 << 0;
    uint8 private constant TRIAL_OUTCOME_COMMITTED = 1 << 1;
    uint8 private constant TRIAL_WITNESS_REQUIRED = 1 << 2;

    uint8 private constant ROLE_SITE = 1 << 0;
    uint8 private constant ROLE_RESEARCHER = 1 << 1;

    uint8 private constant P_CONSENTED = 1 << 0;
    uint8 private constant P_FUTURE_CONTACT = 1 << 1;
    uint8 private constant P_ENROLLED = 1 << 2;
    uint8 private constant P_NO_FURTHER_COLLECTION = 1 << 3;
    uint8 private constant P_WITHDRAWN_DATA = 1 << 4;
    uint8 private constant P_WITHDRAWN = P_NO_FURTHER_COLLECTION | P_WITHDRAWN_DATA;
    uint8 private constant P_ATTESTED = 1 << 5;
    uint8 private constant P_WITNESSED = 1 << 6;

    /// @dev Bits of the record categories (Labs 0 … Genomic 8), as src/categories.ts.
    uint16 private constant ALL_CATEGORIES = (1 << 9) - 1;

    mapping(bytes32 trialId => Trial) private _trials;
    mapping(bytes32 trialId => bytes32) private _results;
    mapping(bytes32 trialId => mapping(uint16 amendmentId => Amendment)) private _amendments;
    mapping(bytes32 trialId => mapping(address account => uint8 roleBits)) private _trialRoles;
    mapping(bytes32 trialId => mapping(address investigator => address site)) private _investigators;
    mapping(bytes32 trialId => mapping(address participant => Participation)) private _participations;
    mapping(bytes32 trialId => mapping(address participant => bytes32)) private _diseases;

    constructor(IMemberRegistry registry_) MemberGated(registry_) SignedActions("Carechain Trials", "1") {}

    // ------------------------------------------------------------------ sponsor

    /// @inheritdoc ITrialRegistry
    function registerTrial(TrialRegistration calldata r) external onlyMember(Roles.SPONSOR) returns (bytes32 trialId) {
        trialId = trialIdOf(msg.sender, r.salt);
        if (_trials[trialId].status != TrialStatus.None) revert TrialsAlreadyRegistered(trialId);
        if (r.protocolHash == 0) revert TrialsZeroHash("protocolHash");
        if (r.consentFormHash == 0) revert TrialsZeroHash("consentFormHash");
        if (r.enrollmentCap == 0) revert TrialsZeroEnrollmentCap();
        // A sponsor never oversees its own trial, whatever roles it holds.
        if (r.irb == msg.sender || !_isMember(Roles.IRB, r.irb)) revert TrialsNotEligible(r.irb, Roles.IRB);

        uint8 flags = r.witnessRequired ? TRIAL_WITNESS_REQUIRED : 0;
        // The registry reference is only ever compared off chain: its event is its record, the
        // flag is what enrollment checks (a stored copy would cost 20,000 gas for no on-chain use).
        if (r.registryRefHash != 0) flags |= TRIAL_REF_COMMITTED;
        if (r.outcomeHash != 0) flags |= TRIAL_OUTCOME_COMMITTED;
        Trial storage t = _trials[trialId];
        t.sponsor = msg.sender;
        t.status = TrialStatus.Registered;
        t.flags = flags;
        t.irb = r.irb;
        t.enrollmentCap = r.enrollmentCap;
        // Version 0 is approved by the trial's approval; its status is implied (see {amendment}).
        Amendment storage v0 = _amendments[trialId][0];
        v0.protocolHash = r.protocolHash;
        v0.consentFormHash = r.consentFormHash;
        if (r.outcomeHash != 0) v0.outcomeHash = r.outcomeHash;
        emit TrialRegistered(
            trialId,
            msg.sender,
            r.irb,
            r.registryRefHash,
            r.protocolHash,
            r.consentFormHash,
            r.outcomeHash,
            r.enrollmentCap,
            r.witnessRequired
        );
    }

    /// @inheritdoc ITrialRegistry
    function commitRegistration(
        bytes32 trialId,
        bytes32 registryRefHash,
        bytes32 outcomeHash
    ) external onlyMember(Roles.SPONSOR) {
        Trial storage t = _sponsorTrial(trialId);
        if (t.status >= TrialStatus.Closed) revert TrialsUnexpectedStatus(trialId, t.status);
        if (registryRefHash == 0 && outcomeHash == 0) revert TrialsZeroHash("registration");
        uint8 flags = t.flags;
        if (registryRefHash != 0) {
            if (flags & TRIAL_REF_COMMITTED != 0) revert TrialsAlreadyCommitted(trialId, "registryRefHash");
            flags |= TRIAL_REF_COMMITTED;
        }
        if (outcomeHash != 0) {
            if (flags & TRIAL_OUTCOME_COMMITTED != 0) revert TrialsAlreadyCommitted(trialId, "outcomeHash");
            flags |= TRIAL_OUTCOME_COMMITTED;
            _amendments[trialId][0].outcomeHash = outcomeHash;
        }
        t.flags = flags;
        emit TrialRegistrationCommitted(trialId, registryRefHash, outcomeHash);
    }

    /// @inheritdoc ITrialRegistry
    function setSite(bytes32 trialId, address site, bool isSite_) external onlyMember(Roles.SPONSOR) {
        _sponsorTrial(trialId);
        if (isSite_ && !_isMember(Roles.TRIAL_SITE, site)) revert TrialsNotEligible(site, Roles.TRIAL_SITE);
        uint8 bits = _trialRoles[trialId][site];
        _trialRoles[trialId][site] = isSite_ ? bits | ROLE_SITE : bits & ~ROLE_SITE;
        emit TrialSiteSet(trialId, site, isSite_);
    }

    /// @inheritdoc ITrialRegistry
    function setResearcher(bytes32 trialId, address researcher, bool isResearcher_) external onlyMember(Roles.SPONSOR) {
        _sponsorTrial(trialId);
        if (isResearcher_ && !_isMember(Roles.RESEARCHER, researcher)) {
            revert TrialsNotEligible(researcher, Roles.RESEARCHER);
        }
        uint8 bits = _trialRoles[trialId][researcher];
        _trialRoles[trialId][researcher] = isResearcher_ ? bits | ROLE_RESEARCHER : bits & ~ROLE_RESEARCHER;
        emit TrialResearcherSet(trialId, researcher, isResearcher_);
    }

    /// @inheritdoc ITrialRegistry
    function openRecruitment(bytes32 trialId) external onlyMember(Roles.SPONSOR) {
        Trial storage t = _sponsorTrial(trialId);
        if (t.status != TrialStatus.Approved) revert TrialsUnexpectedStatus(trialId, t.status);
        t.status = TrialStatus.Recruiting;
        emit TrialStatusChanged(trialId, TrialStatus.Approved, TrialStatus.Recruiting);
    }

    /// @inheritdoc ITrialRegistry
    function closeTrial(bytes32 trialId) external onlyMember(Roles.SPONSOR) {
        Trial storage t = _sponsorTrial(trialId);
        TrialStatus from = t.status;
        if (from != TrialStatus.Approved && from != TrialStatus.Recruiting)
            revert TrialsUnexpectedStatus(trialId, from);
        t.status = TrialStatus.Closed;
        emit TrialStatusChanged(trialId, from, TrialStatus.Closed);
    }

    /// @inheritdoc ITrialRegistry
    function proposeAmendment(
        bytes32 trialId,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        ReconsentPolicy policy,
        bytes32 outcomeHash
    ) external onlyMember(Roles.SPONSOR) returns (uint16 amendmentId) {
        Trial storage t = _sponsorTrial(trialId);
        _checkAmendable(trialId, t.status);
        if (outcomeHash != 0 && t.status == TrialStatus.Closed) revert TrialsOutcomeLocked(trialId);
        if (protocolHash == 0) revert TrialsZeroHash("protocolHash");
        if (consentFormHash == 0) revert TrialsZeroHash("consentFormHash");
        amendmentId = t.lastAmendmentId + 1;
        t.lastAmendmentId = amendmentId;
        _amendments[trialId][amendmentId] = Amendment({
            protocolHash: protocolHash,
            consentFormHash: consentFormHash,
            outcomeHash: outcomeHash,
            status: AmendmentStatus.Proposed,
            policy: policy
        });
        emit AmendmentProposed(trialId, amendmentId, protocolHash, consentFormHash, outcomeHash, policy);
    }

    /// @inheritdoc ITrialRegistry
    function postResults(
        bytes32 trialId,
        bytes32 resultsHash_,
        bytes32 reportedOutcomeHash
    ) external onlyMember(Roles.SPONSOR) returns (OutcomeReport report) {
        Trial storage t = _sponsorTrial(trialId);
        if (t.status != TrialStatus.Closed) revert TrialsUnexpectedStatus(trialId, t.status);
        if (resultsHash_ == 0) revert TrialsZeroHash("resultsHash");
        if (reportedOutcomeHash == 0) revert TrialsZeroHash("reportedOutcomeHash");
        uint16 outcomeVersion = t.outcomeVersion;
        if (reportedOutcomeHash != _amendments[trialId][outcomeVersion].outcomeHash) {
            report = OutcomeReport.Unregistered;
        } else {
            report = outcomeVersion == 0 ? OutcomeReport.AsRegistered : OutcomeReport.AsAmended;
        }
        t.status = TrialStatus.ResultsPosted;
        t.outcomeReport = report;
        _results[trialId] = resultsHash_;
        emit TrialStatusChanged(trialId, TrialStatus.Closed, TrialStatus.ResultsPosted);
        emit ResultsPosted(trialId, resultsHash_, reportedOutcomeHash, report, outcomeVersion);
    }

    // ------------------------------------------------------------------ IRB

    /// @inheritdoc ITrialRegistry
    function approveTrial(bytes32 trialId) external onlyMember(Roles.IRB) {
        Trial storage t = _irbTrial(trialId);
        if (t.status != TrialStatus.Registered) revert TrialsUnexpectedStatus(trialId, t.status);
        t.status = TrialStatus.Approved;
        emit TrialStatusChanged(trialId, TrialStatus.Registered, TrialStatus.Approved);
    }

    /// @inheritdoc ITrialRegistry
    function approveAmendment(bytes32 trialId, uint16 amendmentId) external onlyMember(Roles.IRB) {
        Trial storage t = _irbTrial(trialId);
        _checkAmendable(trialId, t.status);
        Amendment storage a = _pendingAmendment(trialId, t, amendmentId);
        if (amendmentId <= t.protocolVersion) revert TrialsAmendmentSuperseded(trialId, amendmentId, t.protocolVersion);
        bool outcomeChanged = a.outcomeHash != 0;
        // An amendment proposed before closing must not switch the outcome after it.
        if (outcomeChanged && t.status == TrialStatus.Closed) revert TrialsOutcomeLocked(trialId);
        a.status = AmendmentStatus.Approved;
        ReconsentPolicy policy = a.policy;
        t.protocolVersion = amendmentId;
        if (policy == ReconsentPolicy.AllParticipants) {
            t.minVersionAll = amendmentId;
            t.minVersionNew = amendmentId;
        } else if (policy == ReconsentPolicy.NewEnrolleesOnly) {
            t.minVersionNew = amendmentId;
        }
        if (outcomeChanged) {
            t.outcomeVersion = amendmentId;
            t.flags |= TRIAL_OUTCOME_COMMITTED;
        }
        emit AmendmentApproved(trialId, amendmentId, t.minVersionAll, t.minVersionNew, outcomeChanged);
    }

    /// @inheritdoc ITrialRegistry
    function rejectAmendment(bytes32 trialId, uint16 amendmentId, bytes32 reasonHash) external onlyMember(Roles.IRB) {
        Trial storage t = _irbTrial(trialId);
        Amendment storage a = _pendingAmendment(trialId, t, amendmentId);
        a.status = AmendmentStatus.Rejected;
        emit AmendmentRejected(trialId, amendmentId, reasonHash);
    }

    // ------------------------------------------------------------------ site

    /// @inheritdoc ITrialConsent
    function setInvestigator(
        bytes32 trialId,
        address investigator,
        bool enabled
    ) external onlyMember(Roles.TRIAL_SITE) {
        _siteTrial(trialId);
        if (investigator == address(0)) revert TrialsZeroAddress();
        address current = _investigators[trialId][investigator];
        if (enabled ? current != address(0) && current != msg.sender : current != msg.sender) {
            revert TrialsNotInvestigator(trialId, msg.sender, investigator);
        }
        address site = enabled ? msg.sender : address(0);
        _investigators[trialId][investigator] = site;
        emit TrialInvestigatorSet(trialId, investigator, site);
    }

    /// @inheritdoc ITrialConsent
    function consentBySig(ConsentTerms calldata terms, bytes calldata signature) external onlyMember(Roles.TRIAL_SITE) {
        // Signature first, so that a replay fails with SignatureInvalid whatever the state.
        bytes32 termsHash = keccak256(abi.encode(CONSENT_TYPEHASH, terms, _useNonce(terms.signer)));
        _checkSignature(terms.signer, termsHash, terms.deadline, signature);
        _recordConsent(terms, termsHash);
        _emitConsentSigned(terms);
    }

    /// @inheritdoc ITrialConsent
    function attestBySig(
        bytes32 trialId,
        address participant,
        SignatureMeaning meaning,
        CoSignature calldata attestation
    ) external onlyMember(Roles.TRIAL_SITE) {
        Participation storage p = _participations[trialId][participant];
        uint16 version = p.consentVersion;
        // Signature first (over the exact terms the participant consented to), then state.
        _checkSignature(
            attestation.signer,
            keccak256(
                abi.encode(
                    ATTESTATION_TYPEHASH,
                    trialId,
                    participant,
                    version,
                    _amendments[trialId][version].consentFormHash,
                    p.termsHash,
                    meaning,
                    attestation.signer,
                    attestation.deadline,
                    _useNonce(attestation.signer)
                )
            ),
            attestation.deadline,
            attestation.signature
        );
        Trial storage t = _siteTrial(trialId);
        _checkAmendable(trialId, t.status);
        uint8 flags = p.flags;
        if (flags & P_CONSENTED == 0) revert TrialsNotConsented(trialId, participant);
        if (flags & P_WITHDRAWN != 0) revert TrialsParticipantWithdrawn(trialId, participant);
        uint8 bit;
        if (meaning == SignatureMeaning.InvestigatorAttestation) {
            if (_investigators[trialId][attestation.signer] != msg.sender) {
                revert TrialsNotInvestigator(trialId, msg.sender, attestation.signer);
            }
            bit = P_ATTESTED;
        } else if (meaning == SignatureMeaning.WitnessAttestation) {
            _checkImpartial(trialId, t, participant, p.representative, attestation.signer);
            bit = P_WITNESSED;
        } else {
            revert TrialsWrongMeaning(participant, attestation.signer, meaning);
        }
        if (flags & bit != 0) revert TrialsAlreadyAttested(trialId, participant, meaning);
        p.flags = flags | bit;
        emit ConsentAttested(trialId, participant, attestation.signer, meaning, msg.sender);
    }

    /// @inheritdoc ITrialConsent
    function enroll(bytes32 trialId, address participant) external onlyMember(Roles.TRIAL_SITE) {
        Trial storage t = _siteTrial(trialId);
        if (t.status != TrialStatus.Recruiting) revert TrialsUnexpectedStatus(trialId, t.status);
        uint8 committed = TRIAL_REF_COMMITTED | TRIAL_OUTCOME_COMMITTED;
        if (t.flags & committed != committed) revert TrialsRegistrationIncomplete(trialId);
        Participation storage p = _participations[trialId][participant];
        uint8 flags = p.flags;
        if (flags & P_ENROLLED != 0) revert TrialsAlreadyEnrolled(trialId, participant);
        // Not enrolled, so the version check of {_counts} is the one for a new enrollee (minVersionNew).
        if (!_counts(trialId, participant, t, p, 0)) revert TrialsConsentInvalid(trialId, participant);
        uint32 enrolled = t.enrolled;
        if (enrolled >= t.enrollmentCap) revert TrialsEnrollmentCapReached(trialId, t.enrollmentCap);
        // Cannot overflow: enrolled < enrollmentCap, a uint32.
        unchecked {
            ++enrolled;
        }
        t.enrolled = enrolled;
        p.flags = flags | P_ENROLLED;
        emit ParticipantEnrolled(trialId, participant, msg.sender, enrolled);
    }

    // ------------------------------------------------------------------ participant

    /// @inheritdoc ITrialConsent
    function withdraw(bytes32 trialId, address participant, WithdrawalChoice choice) external {
        _withdraw(trialId, participant, msg.sender, choice);
    }

    /// @inheritdoc ITrialConsent
    function withdrawBySig(
        bytes32 trialId,
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

    /// @inheritdoc ITrialRegistry
    function trialIdOf(address sponsor, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(sponsor, salt));
    }

    /// @inheritdoc ITrialRegistry
    function trial(bytes32 trialId) external view returns (Trial memory) {
        return _trials[trialId];
    }

    /// @inheritdoc ITrialRegistry
    function resultsHash(bytes32 trialId) external view returns (bytes32) {
        return _results[trialId];
    }

    /// @inheritdoc ITrialRegistry
    function amendment(bytes32 trialId, uint16 amendmentId) external view returns (Amendment memory a) {
        a = _amendments[trialId][amendmentId];
        if (amendmentId == 0 && _trials[trialId].status != TrialStatus.None) a.status = AmendmentStatus.Approved;
    }

    /// @inheritdoc ITrialRegistry
    function currentOutcomeHash(bytes32 trialId) external view returns (bytes32) {
        return _amendments[trialId][_trials[trialId].outcomeVersion].outcomeHash;
    }

    /// @inheritdoc ITrialConsent
    function participation(bytes32 trialId, address participant) external view returns (Participation memory) {
        return _participations[trialId][participant];
    }

    /// @inheritdoc ITrialConsent
    function diseaseCodeHashOf(bytes32 trialId, address participant) external view returns (bytes32) {
        return _diseases[trialId][participant];
    }

    /// @inheritdoc ITrialRegistry
    function isSite(bytes32 trialId, address account) external view returns (bool) {
        return _trialRoles[trialId][account] & ROLE_SITE != 0;
    }

    /// @inheritdoc ITrialRegistry
    function isResearcher(bytes32 trialId, address account) external view returns (bool) {
        return _trialRoles[trialId][account] & ROLE_RESEARCHER != 0;
    }

    /// @inheritdoc ITrialConsent
    function investigatorSite(bytes32 trialId, address investigator) external view returns (address) {
        return _investigators[trialId][investigator];
    }

    /// @inheritdoc ITrialConsent
    function isConsentValid(bytes32 trialId, address participant) external view returns (bool) {
        return _counts(trialId, participant, _trials[trialId], _participations[trialId][participant], 0);
    }

    /// @inheritdoc ITrialConsent
    function mayUse(bytes32 trialId, address participant, uint16 scope) external view returns (bool) {
        return _mayUse(trialId, participant, scope, 0);
    }

    /// @inheritdoc ITrialConsent
    function mayUseFor(
        bytes32 trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) external view returns (bool) {
        return _mayUse(trialId, participant, scope, diseaseCodeHash);
    }

    /// @inheritdoc IResearchConsent
    function researchCategories(
        bytes32 trialId,
        address participant,
        address researcher
    ) external view returns (uint16 categories) {
        if (_trialRoles[trialId][researcher] & ROLE_RESEARCHER == 0) return 0;
        Participation storage p = _participations[trialId][participant];
        if (!_counts(trialId, participant, _trials[trialId], p, 0) || _timeLimitPassed(p)) return 0;
        if (!_isMember(Roles.RESEARCHER, researcher)) return 0;
        return p.categories;
    }

    /// @inheritdoc IClinicalTrials
    function nonces(address signer) public view override(IClinicalTrials, Nonces) returns (uint256) {
        return super.nonces(signer);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The trial, after checking it exists and the caller is its sponsor.
    function _sponsorTrial(bytes32 trialId) private view returns (Trial storage t) {
        t = _existing(trialId);
        if (t.sponsor != msg.sender) revert TrialsNotSponsor(trialId, msg.sender);
    }

    /// @dev The trial, after checking it exists and the caller is its IRB.
    function _irbTrial(bytes32 trialId) private view returns (Trial storage t) {
        t = _existing(trialId);
        if (t.irb != msg.sender) revert TrialsNotIRB(trialId, msg.sender);
    }

    /// @dev The trial, after checking it exists and the caller is one of its sites.
    function _siteTrial(bytes32 trialId) private view returns (Trial storage t) {
        t = _existing(trialId);
        if (_trialRoles[trialId][msg.sender] & ROLE_SITE == 0) revert TrialsNotSite(trialId, msg.sender);
    }

    function _existing(bytes32 trialId) private view returns (Trial storage t) {
        t = _trials[trialId];
        if (t.status == TrialStatus.None) revert TrialsUnknownTrial(trialId);
    }

    function _requireTrial(bytes32 trialId) internal view override {
        _existing(trialId);
    }

    function _requireSite(bytes32 trialId) internal view override {
        _siteTrial(trialId);
    }

    function _requireIrb(bytes32 trialId) internal view override {
        _irbTrial(trialId);
    }

    function _investigatorSiteOf(bytes32 trialId, address investigator) internal view override returns (address) {
        return _investigators[trialId][investigator];
    }

    /**
     * @dev Reverts unless `witness` is impartial: not the participant, its recorded or current
     * representative, the sponsor, the IRB, a site of the trial (the relaying site is one), or an
     * investigator of the trial.
     */
    function _checkImpartial(
        bytes32 trialId,
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
            _trialRoles[trialId][witness] & ROLE_SITE != 0 ||
            _investigators[trialId][witness] != address(0) ||
            _currentAuthority(trialId, participant, witness) != 0
        ) revert TrialsWitnessNotImpartial(witness);
    }

    /// @dev Amendments, and consent under the current version, are allowed from Approved to Closed.
    function _checkAmendable(bytes32 trialId, TrialStatus status) private pure {
        if (status < TrialStatus.Approved || status > TrialStatus.Closed)
            revert TrialsUnexpectedStatus(trialId, status);
    }

    function _pendingAmendment(
        bytes32 trialId,
        Trial storage t,
        uint16 amendmentId
    ) private view returns (Amendment storage a) {
        if (amendmentId == 0 || amendmentId > t.lastAmendmentId) revert TrialsUnknownAmendment(trialId, amendmentId);
        a = _amendments[trialId][amendmentId];
        if (a.status != AmendmentStatus.Proposed) revert TrialsAmendmentNotPending(trialId, amendmentId, a.status);
    }

    /**
     * @dev The state checks and the write of a consent whose signature was verified. A
     * representative's consent needs its authority in force now and records its id; it never
     * replaces the participant's own consent while that is at the version required of them.
     */
    function _recordConsent(ConsentTerms calldata terms, bytes32 termsHash) private {
        bytes32 trialId = terms.trialId;
        Trial storage t = _siteTrial(trialId);
        _checkConsentTerms(t, terms);
        Participation storage p = _participations[trialId][terms.participant];
        uint8 flags = p.flags;
        if (flags & P_WITHDRAWN != 0) revert TrialsParticipantWithdrawn(trialId, terms.participant);
        address representative;
        uint32 authorityId;
        if (terms.signer != terms.participant) {
            representative = terms.signer;
            authorityId = _currentAuthority(trialId, terms.participant, representative);
            if (authorityId == 0) revert TrialsNoRepresentativeAuthority(trialId, terms.participant, representative);
            if (flags & P_CONSENTED != 0 && p.representative == address(0) && _versionOk(t, flags, p.consentVersion))
                revert TrialsSelfConsentInForce(trialId, terms.participant);
        }
        if (terms.scope & DataUse.DS != 0) _diseases[trialId][terms.participant] = terms.diseaseCodeHash;
        else if (p.scope & DataUse.DS != 0) delete _diseases[trialId][terms.participant];
        // A new consent needs its own attestations: only the enrolled bit is carried over.
        _participations[trialId][terms.participant] = Participation({
            consentVersion: terms.protocolVersion,
            scope: terms.scope,
            categories: terms.categories,
            flags: (flags & P_ENROLLED) | P_CONSENTED | (terms.futureContact ? P_FUTURE_CONTACT : 0),
            useUntil: terms.useUntil,
            representative: representative,
            authorityId: authorityId,
            termsHash: termsHash
        });
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
        bytes32 trialId = terms.trialId;
        _checkAmendable(trialId, t.status);
        uint16 version = t.protocolVersion;
        if (terms.protocolVersion != version) {
            revert TrialsConsentVersionMismatch(trialId, terms.protocolVersion, version);
        }
        bytes32 form = _amendments[trialId][version].consentFormHash;
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
            (terms.useUntil != 0 && terms.useUntil <= block.timestamp)
        ) revert TrialsInvalidScope(scope, terms.diseaseCodeHash, terms.useUntil);
        if (terms.categories & ~ALL_CATEGORIES != 0) revert TrialsInvalidCategories(terms.categories);
    }

    /**
     * @dev A withdrawal by `by`: the participant's depends on nothing but its own record, so nothing
     * else (trial status, suspensions) can block it; a representative's on its authority in force.
     * The first withdrawal of an enrolled participant frees its place under the cap.
     */
    function _withdraw(bytes32 trialId, address participant, address by, WithdrawalChoice choice) private {
        Participation storage p = _participations[trialId][participant];
        uint8 flags = p.flags;
        if (flags & P_CONSENTED == 0) revert TrialsNotConsented(trialId, participant);
        // `by` is never zero (msg.sender, or a signer whose signature verified).
        if (by != participant && _currentAuthority(trialId, participant, by) == 0) {
            revert TrialsNotParticipantOrRepresentative(trialId, participant, by);
        }
        if (choice == WithdrawalChoice.None) revert TrialsInvalidWithdrawalChoice();
        if (flags & (P_WITHDRAWN | P_ENROLLED) == P_ENROLLED) {
            // Cannot underflow: this enrolled, not yet withdrawn participant is counted in `enrolled`.
            unchecked {
                --_trials[trialId].enrolled;
            }
        }
        // Bits only accumulate: a second withdrawal can widen the first, never narrow it.
        p.flags = flags | (choice == WithdrawalChoice.WithdrawData ? P_WITHDRAWN : P_NO_FURTHER_COLLECTION);
        emit ConsentWithdrawn(trialId, participant, by, choice);
    }

    /// @dev Whether the consent's signatures are complete (participant or representative,
    /// investigator, and witness where required) and it was not withdrawn (either choice).
    function _isSigned(uint8 trialFlags, uint8 flags) private pure returns (bool) {
        uint8 needed = P_CONSENTED | P_ATTESTED;
        if (trialFlags & TRIAL_WITNESS_REQUIRED != 0) needed |= P_WITNESSED;
        return flags & needed == needed && flags & P_WITHDRAWN == 0;
    }

    /// @dev Whether consent version `version` is at least what the trial requires of this
    /// participant: `minVersionAll`, and `minVersionNew` unless enrolled (before the amendment).
    function _versionOk(Trial storage t, uint8 flags, uint16 version) private view returns (bool) {
        if (version < t.minVersionAll) return false;
        return flags & P_ENROLLED != 0 || version >= t.minVersionNew;
    }

    /**
     * @dev The one rule of "this consent counts" for {isConsentValid}, {enroll},
     * {researchCategories} and {mayUseFor}: complete signatures, not withdrawn (ignoring the flags
     * in `ignored`: {mayUseFor} ignores NoFurtherCollection, the only intended difference), the
     * versions required of this participant, and a representative's authority still in force.
     */
    function _counts(
        bytes32 trialId,
        address participant,
        Trial storage t,
        Participation storage p,
        uint8 ignored
    ) private view returns (bool) {
        uint8 flags = p.flags & ~ignored;
        if (!_isSigned(t.flags, flags) || !_versionOk(t, flags, p.consentVersion)) return false;
        address representative = p.representative;
        return representative == address(0) || _authorityHolds(trialId, participant, representative, p.authorityId);
    }

    function _timeLimitPassed(Participation storage p) private view returns (bool) {
        return p.scope & DataUse.TS != 0 && block.timestamp > p.useUntil;
    }

    function _mayUse(
        bytes32 trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) private view returns (bool) {
        Participation storage p = _participations[trialId][participant];
        // A NoFurtherCollection withdrawal keeps the use of data collected under the consent.
        if (!_counts(trialId, participant, _trials[trialId], p, P_NO_FURTHER_COLLECTION) || _timeLimitPassed(p)) {
            return false;
        }
        return DataUse.covers(p.scope, _diseases[trialId][participant], scope, diseaseCodeHash);
    }
}
