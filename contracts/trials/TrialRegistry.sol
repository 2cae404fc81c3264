// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrialRegistry} from "../interfaces/ITrialRegistry.sol";
import {TrialId} from "../interfaces/ITrialTypes.sol";
import {Roles} from "../access/Roles.sol";
import {TrialFlags} from "../libraries/TrialFlags.sol";
import {TrialsBase} from "./TrialsBase.sol";

/**
 * @title TrialRegistry
 * @notice The trial-registry module of {ClinicalTrials}: the sponsor's acts (registration,
 * commitments, sites, researchers, recruitment, closing, amendments, results) and the IRB's
 * (approval of the trial and of amendments). See {ITrialRegistry}.
 * @dev A trial is two packed slots; an amendment's hashes are written when proposed, so approving
 * it moves pointers in the trial's first slot only: O(1) whatever the number of consents.
 */
abstract contract TrialRegistry is ITrialRegistry, TrialsBase {
    /// @dev Statuses a registration commitment is allowed from: before Closed.
    bytes32 private constant STATES_COMMITTABLE = bytes32(
        (uint256(1) << uint8(TrialStatus.Registered)) |
            (uint256(1) << uint8(TrialStatus.Approved)) |
            (uint256(1) << uint8(TrialStatus.Recruiting))
    );
    /// @dev Statuses a trial may be closed from: Approved, Recruiting.
    bytes32 private constant STATES_CLOSABLE = bytes32(
        (uint256(1) << uint8(TrialStatus.Approved)) | (uint256(1) << uint8(TrialStatus.Recruiting))
    );

    // ------------------------------------------------------------------ sponsor

    /// @inheritdoc ITrialRegistry
    function registerTrial(TrialRegistration calldata r) external onlyMember(Roles.SPONSOR) returns (TrialId trialId) {
        trialId = trialIdOf(msg.sender, r.salt);
        Trial storage t = _trialOf(trialId);
        if (t.status != TrialStatus.None) revert TrialsAlreadyRegistered(trialId);
        if (r.protocolHash == 0) revert TrialsZeroHash("protocolHash");
        if (r.consentFormHash == 0) revert TrialsZeroHash("consentFormHash");
        if (r.enrollmentCap == 0) revert TrialsZeroEnrollmentCap();
        // A sponsor never oversees its own trial, whatever roles it holds.
        if (r.irb == msg.sender || !_isMember(Roles.IRB, r.irb)) revert TrialsNotEligible(r.irb, Roles.IRB);

        uint8 flags = r.witnessRequired ? TrialFlags.TRIAL_WITNESS_REQUIRED : 0;
        // The registry reference is only ever compared off chain: its event is its record, the
        // flag is what enrollment checks (a stored copy would cost 20,000 gas for no on-chain use).
        if (r.registryRefHash != 0) flags |= TrialFlags.TRIAL_REF_COMMITTED;
        if (r.outcomeHash != 0) flags |= TrialFlags.TRIAL_OUTCOME_COMMITTED;
        t.sponsor = msg.sender;
        t.status = TrialStatus.Registered;
        t.flags = flags;
        t.irb = r.irb;
        t.enrollmentCap = r.enrollmentCap;
        // Version 0 is approved by the trial's approval; its status is implied (see {amendment}).
        Amendment storage v0 = _amendmentOf(trialId, 0);
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
        TrialId trialId,
        bytes32 registryRefHash,
        bytes32 outcomeHash
    ) external onlyMember(Roles.SPONSOR) {
        Trial storage t = _sponsorTrial(trialId);
        _checkStatus(trialId, t.status, STATES_COMMITTABLE);
        if (registryRefHash == 0 && outcomeHash == 0) revert TrialsZeroHash("registration");
        uint8 flags = t.flags;
        if (registryRefHash != 0) {
            if (flags & TrialFlags.TRIAL_REF_COMMITTED != 0) revert TrialsAlreadyCommitted(trialId, "registryRefHash");
            flags |= TrialFlags.TRIAL_REF_COMMITTED;
        }
        if (outcomeHash != 0) {
            if (flags & TrialFlags.TRIAL_OUTCOME_COMMITTED != 0) revert TrialsAlreadyCommitted(trialId, "outcomeHash");
            flags |= TrialFlags.TRIAL_OUTCOME_COMMITTED;
            _amendmentOf(trialId, 0).outcomeHash = outcomeHash;
        }
        t.flags = flags;
        emit TrialRegistrationCommitted(trialId, registryRefHash, outcomeHash);
    }

    /// @inheritdoc ITrialRegistry
    function setSite(TrialId trialId, address site, bool isSite_) external onlyMember(Roles.SPONSOR) {
        _sponsorTrial(trialId);
        if (isSite_ && !_isMember(Roles.TRIAL_SITE, site)) revert TrialsNotEligible(site, Roles.TRIAL_SITE);
        uint8 bits = _trialRolesOf(trialId, site);
        _setTrialRoles(trialId, site, isSite_ ? bits | TrialFlags.ROLE_SITE : bits & ~TrialFlags.ROLE_SITE);
        emit TrialSiteSet(trialId, site, isSite_);
    }

    /// @inheritdoc ITrialRegistry
    function setResearcher(TrialId trialId, address researcher, bool isResearcher_) external onlyMember(Roles.SPONSOR) {
        _sponsorTrial(trialId);
        if (isResearcher_ && !_isMember(Roles.RESEARCHER, researcher)) {
            revert TrialsNotEligible(researcher, Roles.RESEARCHER);
        }
        uint8 bits = _trialRolesOf(trialId, researcher);
        _setTrialRoles(
            trialId,
            researcher,
            isResearcher_ ? bits | TrialFlags.ROLE_RESEARCHER : bits & ~TrialFlags.ROLE_RESEARCHER
        );
        emit TrialResearcherSet(trialId, researcher, isResearcher_);
    }

    /// @inheritdoc ITrialRegistry
    function openRecruitment(TrialId trialId) external onlyMember(Roles.SPONSOR) {
        Trial storage t = _sponsorTrial(trialId);
        _checkStatus(trialId, t.status, _stateBit(TrialStatus.Approved));
        t.status = TrialStatus.Recruiting;
        emit TrialStatusChanged(trialId, TrialStatus.Approved, TrialStatus.Recruiting);
    }

    /// @inheritdoc ITrialRegistry
    function closeTrial(TrialId trialId) external onlyMember(Roles.SPONSOR) {
        Trial storage t = _sponsorTrial(trialId);
        TrialStatus from = t.status;
        _checkStatus(trialId, from, STATES_CLOSABLE);
        t.status = TrialStatus.Closed;
        emit TrialStatusChanged(trialId, from, TrialStatus.Closed);
    }

    /// @inheritdoc ITrialRegistry
    function proposeAmendment(
        TrialId trialId,
        bytes32 protocolHash,
        bytes32 consentFormHash,
        ReconsentPolicy policy,
        bytes32 outcomeHash
    ) external onlyMember(Roles.SPONSOR) returns (uint16 amendmentId) {
        Trial storage t = _sponsorTrial(trialId);
        _checkStatus(trialId, t.status, STATES_AMENDABLE);
        if (outcomeHash != 0 && t.status == TrialStatus.Closed) revert TrialsOutcomeLocked(trialId);
        if (protocolHash == 0) revert TrialsZeroHash("protocolHash");
        if (consentFormHash == 0) revert TrialsZeroHash("consentFormHash");
        amendmentId = t.lastAmendmentId + 1;
        t.lastAmendmentId = amendmentId;
        _setAmendment(
            trialId,
            amendmentId,
            Amendment({
                protocolHash: protocolHash,
                consentFormHash: consentFormHash,
                outcomeHash: outcomeHash,
                status: AmendmentStatus.Proposed,
                policy: policy
            })
        );
        emit AmendmentProposed(trialId, amendmentId, protocolHash, consentFormHash, outcomeHash, policy);
    }

    /// @inheritdoc ITrialRegistry
    function postResults(
        TrialId trialId,
        bytes32 resultsHash_,
        bytes32 reportedOutcomeHash
    ) external onlyMember(Roles.SPONSOR) returns (OutcomeReport report) {
        Trial storage t = _sponsorTrial(trialId);
        _checkStatus(trialId, t.status, _stateBit(TrialStatus.Closed));
        if (resultsHash_ == 0) revert TrialsZeroHash("resultsHash");
        if (reportedOutcomeHash == 0) revert TrialsZeroHash("reportedOutcomeHash");
        uint16 outcomeVersion = t.outcomeVersion;
        if (reportedOutcomeHash != _amendmentOf(trialId, outcomeVersion).outcomeHash) {
            report = OutcomeReport.Unregistered;
        } else {
            report = outcomeVersion == 0 ? OutcomeReport.AsRegistered : OutcomeReport.AsAmended;
        }
        t.status = TrialStatus.ResultsPosted;
        t.outcomeReport = report;
        _getTrialsStorage()._results[trialId] = resultsHash_;
        emit TrialStatusChanged(trialId, TrialStatus.Closed, TrialStatus.ResultsPosted);
        emit ResultsPosted(trialId, resultsHash_, reportedOutcomeHash, report, outcomeVersion);
    }

    // ------------------------------------------------------------------ IRB

    /// @inheritdoc ITrialRegistry
    function approveTrial(TrialId trialId) external onlyMember(Roles.IRB) {
        Trial storage t = _irbTrial(trialId);
        _checkStatus(trialId, t.status, _stateBit(TrialStatus.Registered));
        t.status = TrialStatus.Approved;
        emit TrialStatusChanged(trialId, TrialStatus.Registered, TrialStatus.Approved);
    }

    /// @inheritdoc ITrialRegistry
    function approveAmendment(TrialId trialId, uint16 amendmentId) external onlyMember(Roles.IRB) {
        Trial storage t = _irbTrial(trialId);
        _checkStatus(trialId, t.status, STATES_AMENDABLE);
        Amendment storage a = _pendingAmendment(trialId, t, amendmentId);
        // solhint-disable-next-line gas-strict-inequalities
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
            t.flags |= TrialFlags.TRIAL_OUTCOME_COMMITTED;
        }
        emit AmendmentApproved(trialId, amendmentId, t.minVersionAll, t.minVersionNew, outcomeChanged);
    }

    /// @inheritdoc ITrialRegistry
    function rejectAmendment(TrialId trialId, uint16 amendmentId, bytes32 reasonHash) external onlyMember(Roles.IRB) {
        Trial storage t = _irbTrial(trialId);
        Amendment storage a = _pendingAmendment(trialId, t, amendmentId);
        a.status = AmendmentStatus.Rejected;
        emit AmendmentRejected(trialId, amendmentId, reasonHash);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITrialRegistry
    function trialIdOf(address sponsor, bytes32 salt) public pure returns (TrialId) {
        return TrialId.wrap(keccak256(abi.encode(sponsor, salt)));
    }

    /// @inheritdoc ITrialRegistry
    function trial(TrialId trialId) external view returns (Trial memory) {
        return _trialOf(trialId);
    }

    /// @inheritdoc ITrialRegistry
    function resultsHash(TrialId trialId) external view returns (bytes32) {
        return _getTrialsStorage()._results[trialId];
    }

    /// @inheritdoc ITrialRegistry
    function amendment(TrialId trialId, uint16 amendmentId) external view returns (Amendment memory a) {
        a = _amendmentOf(trialId, amendmentId);
        if (amendmentId == 0 && _trialOf(trialId).status != TrialStatus.None) a.status = AmendmentStatus.Approved;
    }

    /// @inheritdoc ITrialRegistry
    function currentOutcomeHash(TrialId trialId) external view returns (bytes32) {
        return _amendmentOf(trialId, _trialOf(trialId).outcomeVersion).outcomeHash;
    }

    /// @inheritdoc ITrialRegistry
    function isSite(TrialId trialId, address account) external view returns (bool) {
        return _trialRolesOf(trialId, account) & TrialFlags.ROLE_SITE != 0;
    }

    /// @inheritdoc ITrialRegistry
    function isResearcher(TrialId trialId, address account) external view returns (bool) {
        return _trialRolesOf(trialId, account) & TrialFlags.ROLE_RESEARCHER != 0;
    }

    // ------------------------------------------------------------------ internal

    function _pendingAmendment(
        TrialId trialId,
        Trial storage t,
        uint16 amendmentId
    ) private view returns (Amendment storage a) {
        if (amendmentId == 0 || amendmentId > t.lastAmendmentId) revert TrialsUnknownAmendment(trialId, amendmentId);
        a = _amendmentOf(trialId, amendmentId);
        if (a.status != AmendmentStatus.Proposed) revert TrialsAmendmentNotPending(trialId, amendmentId, a.status);
    }
}
