// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Enrollment is refused at the cap: "enrolled >= cap" is the meaning.
// solhint-disable gas-strict-inequalities

import {ITrialEnrollment} from "../interfaces/ITrialEnrollment.sol";
import {IResearchConsent} from "../interfaces/IResearchConsent.sol";
import {TrialId} from "../interfaces/ITrialTypes.sol";
import {Roles} from "../access/Roles.sol";
import {DataUse} from "../libraries/DataUse.sol";
import {TrialFlags} from "../libraries/TrialFlags.sol";
import {TrialsBase} from "./TrialsBase.sol";

/**
 * @title TrialEnrollment
 * @notice The enrollment and data-use module of {ClinicalTrials}: enrollment under the cap, and the
 * O(1) views of whether a consent counts, which data uses it covers, and what a trial's researcher
 * may read of the records domain ({IResearchConsent}). See {ITrialEnrollment}.
 * @dev {_counts} is the one rule of "this consent counts".
 */
abstract contract TrialEnrollment is ITrialEnrollment, TrialsBase {
    /// @inheritdoc ITrialEnrollment
    function enroll(TrialId trialId, address participant) external onlyMember(Roles.TRIAL_SITE) {
        Trial storage t = _siteTrial(trialId);
        _checkStatus(trialId, t.status, _stateBit(TrialStatus.Recruiting));
        uint8 committed = TrialFlags.TRIAL_REF_COMMITTED | TrialFlags.TRIAL_OUTCOME_COMMITTED;
        if (t.flags & committed != committed) revert TrialsRegistrationIncomplete(trialId);
        Participation storage p = _participationOf(trialId, participant);
        uint8 flags = p.flags;
        if (flags & TrialFlags.P_ENROLLED != 0) revert TrialsAlreadyEnrolled(trialId, participant);
        // Not enrolled, so the version check of {_counts} is the one for a new enrollee (minVersionNew).
        if (!_counts(trialId, participant, t, p, 0)) revert TrialsConsentInvalid(trialId, participant);
        uint32 enrolled = t.enrolled;
        if (enrolled >= t.enrollmentCap) revert TrialsEnrollmentCapReached(trialId, t.enrollmentCap);
        // Cannot overflow: enrolled < enrollmentCap, a uint32.
        unchecked {
            ++enrolled;
        }
        t.enrolled = enrolled;
        p.flags = flags | TrialFlags.P_ENROLLED;
        emit ParticipantEnrolled(trialId, participant, msg.sender, enrolled);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITrialEnrollment
    function participation(TrialId trialId, address participant) external view returns (Participation memory) {
        return _participationOf(trialId, participant);
    }

    /// @inheritdoc ITrialEnrollment
    function diseaseCodeHashOf(TrialId trialId, address participant) external view returns (bytes32) {
        return _diseaseOf(trialId, participant);
    }

    /// @inheritdoc ITrialEnrollment
    function isConsentValid(TrialId trialId, address participant) external view returns (bool) {
        return _counts(trialId, participant, _trialOf(trialId), _participationOf(trialId, participant), 0);
    }

    /// @inheritdoc ITrialEnrollment
    function mayUse(TrialId trialId, address participant, uint16 scope) external view returns (bool) {
        return _mayUse(trialId, participant, scope, 0);
    }

    /// @inheritdoc ITrialEnrollment
    function mayUseFor(
        TrialId trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) external view returns (bool) {
        return _mayUse(trialId, participant, scope, diseaseCodeHash);
    }

    /// @inheritdoc IResearchConsent
    function researchCategories(
        bytes32 trialId_,
        address participant,
        address researcher
    ) external view returns (uint16 categories) {
        TrialId trialId = TrialId.wrap(trialId_);
        if (_trialRolesOf(trialId, researcher) & TrialFlags.ROLE_RESEARCHER == 0) return 0;
        Participation storage p = _participationOf(trialId, participant);
        if (!_counts(trialId, participant, _trialOf(trialId), p, 0) || _timeLimitPassed(p)) return 0;
        if (!_isMember(Roles.RESEARCHER, researcher)) return 0;
        return p.categories;
    }

    // ------------------------------------------------------------------ internal

    /// @dev Whether the consent's signatures are complete (participant or representative,
    /// investigator, and witness where required) and it was not withdrawn (either choice).
    function _isSigned(uint8 trialFlags, uint8 flags) private pure returns (bool) {
        uint8 needed = TrialFlags.P_CONSENTED | TrialFlags.P_ATTESTED;
        if (trialFlags & TrialFlags.TRIAL_WITNESS_REQUIRED != 0) needed |= TrialFlags.P_WITNESSED;
        return flags & needed == needed && flags & TrialFlags.P_WITHDRAWN == 0;
    }

    /**
     * @dev The one rule of "this consent counts" for {isConsentValid}, {enroll},
     * {researchCategories} and {mayUseFor}: complete signatures, not withdrawn (ignoring the flags
     * in `ignored`: {mayUseFor} ignores NoFurtherCollection, the only intended difference), the
     * versions required of this participant, and a representative's authority still in force.
     */
    function _counts(
        TrialId trialId,
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
        TrialId trialId,
        address participant,
        uint16 scope,
        bytes32 diseaseCodeHash
    ) private view returns (bool) {
        Participation storage p = _participationOf(trialId, participant);
        // A NoFurtherCollection withdrawal keeps the use of data collected under the consent.
        if (
            !_counts(trialId, participant, _trialOf(trialId), p, TrialFlags.P_NO_FURTHER_COLLECTION) ||
            _timeLimitPassed(p)
        ) {
            return false;
        }
        return DataUse.covers(p.scope, _diseaseOf(trialId, participant), scope, diseaseCodeHash);
    }
}
