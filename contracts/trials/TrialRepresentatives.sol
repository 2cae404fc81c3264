// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// EIP-712 type strings are longer than 32 bytes by nature (hashed at compile time).
// solhint-disable gas-small-strings

import {ITrialRepresentatives} from "../interfaces/ITrialRepresentatives.sol";
import {TrialId} from "../interfaces/ITrialTypes.sol";
import {Roles} from "../access/Roles.sol";
import {TrialsBase} from "./TrialsBase.sol";

/**
 * @title TrialRepresentatives
 * @notice The representative-authority module of {ClinicalTrials}: appointment by the participant
 * (directly or by signature), determination of incapacity by an investigator confirmed by the
 * trial's IRB, revocation, IRB end and end time. See {ITrialRepresentatives} for the model and its
 * regulatory basis.
 * @dev The representation record lives in {TrialsBase}, whose O(1) checks {_currentAuthority} and
 * {_authorityHolds} the consent and enrollment modules use; pending determinations are this
 * module's own.
 */
abstract contract TrialRepresentatives is ITrialRepresentatives, TrialsBase {
    /// @dev EIP-712 struct of a participant's appointment of a representative (the participant signs).
    bytes32 private constant APPOINTMENT_TYPEHASH = keccak256(
        "RepresentativeAppointment(bytes32 trialId,address participant,address representative,uint40 endsAt,"
        "uint256 deadline,uint256 nonce)"
    );
    /// @dev EIP-712 struct of a participant's revocation of every representative authority.
    bytes32 private constant REVOCATION_TYPEHASH = keccak256(
        "RepresentativeRevocation(bytes32 trialId,address participant,uint256 deadline,uint256 nonce)"
    );
    /// @dev EIP-712 struct of an investigator's determination of incapacity and of the LAR.
    bytes32 private constant DETERMINATION_TYPEHASH = keccak256(
        "RepresentativeDetermination(bytes32 trialId,address participant,address representative,uint40 endsAt,"
        "bytes32 basisHash,address investigator,uint256 deadline,uint256 nonce)"
    );

    // ------------------------------------------------------------------ participant

    /// @inheritdoc ITrialRepresentatives
    function appointRepresentative(TrialId trialId, address representative, uint40 endsAt) external {
        _existing(trialId);
        _appoint(trialId, msg.sender, representative, endsAt, 0);
    }

    /// @inheritdoc ITrialRepresentatives
    function appointRepresentativeBySig(RepresentativeAppointment calldata a, bytes calldata signature) external {
        _checkSignature(
            a.participant,
            keccak256(abi.encode(APPOINTMENT_TYPEHASH, a, _useNonce(a.participant))),
            a.deadline,
            signature
        );
        _existing(a.trialId);
        _appoint(a.trialId, a.participant, a.representative, a.endsAt, 0);
    }

    /// @inheritdoc ITrialRepresentatives
    function revokeRepresentative(TrialId trialId) external {
        _end(trialId, msg.sender, false);
    }

    /// @inheritdoc ITrialRepresentatives
    function revokeRepresentativeBySig(
        TrialId trialId,
        address participant,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _checkSignature(
            participant,
            keccak256(abi.encode(REVOCATION_TYPEHASH, trialId, participant, deadline, _useNonce(participant))),
            deadline,
            signature
        );
        _end(trialId, participant, false);
    }

    // ------------------------------------------------------------------ site and IRB

    /// @inheritdoc ITrialRepresentatives
    function determineRepresentativeBySig(
        RepresentativeDetermination calldata d,
        bytes calldata signature
    ) external onlyMember(Roles.TRIAL_SITE) {
        _checkSignature(
            d.investigator,
            keccak256(abi.encode(DETERMINATION_TYPEHASH, d, _useNonce(d.investigator))),
            d.deadline,
            signature
        );
        TrialId trialId = d.trialId;
        _siteTrial(trialId);
        if (_investigatorSiteOf(trialId, d.investigator) != msg.sender) {
            revert TrialsNotInvestigator(trialId, msg.sender, d.investigator);
        }
        _checkAppointee(d.participant, d.representative, d.endsAt);
        if (d.basisHash == 0) revert TrialsZeroHash("basisHash");
        _getTrialsStorage()._pending[trialId][d.participant] = keccak256(
            abi.encode(d.representative, d.endsAt, d.basisHash)
        );
        emit RepresentativeDetermined(
            trialId,
            d.participant,
            d.representative,
            d.investigator,
            msg.sender,
            d.endsAt,
            d.basisHash
        );
    }

    /// @inheritdoc ITrialRepresentatives
    function confirmRepresentative(
        TrialId trialId,
        address participant,
        address representative,
        uint40 endsAt,
        bytes32 basisHash
    ) external onlyMember(Roles.IRB) {
        _irbTrial(trialId);
        bytes32 determination = keccak256(abi.encode(representative, endsAt, basisHash));
        if (basisHash == 0 || _getTrialsStorage()._pending[trialId][participant] != determination) {
            revert TrialsNoPendingDetermination(trialId, participant, determination);
        }
        delete _getTrialsStorage()._pending[trialId][participant];
        _appoint(trialId, participant, representative, endsAt, basisHash);
    }

    /// @inheritdoc ITrialRepresentatives
    function endRepresentative(TrialId trialId, address participant) external onlyMember(Roles.IRB) {
        _irbTrial(trialId);
        _end(trialId, participant, true);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITrialRepresentatives
    function representation(TrialId trialId, address participant) external view returns (Representation memory) {
        return _representationOf(trialId, participant);
    }

    /// @inheritdoc ITrialRepresentatives
    function pendingDetermination(TrialId trialId, address participant) external view returns (bytes32) {
        return _getTrialsStorage()._pending[trialId][participant];
    }

    /// @inheritdoc ITrialRepresentatives
    function isRepresentative(TrialId trialId, address participant, address account) external view returns (bool) {
        return _currentAuthority(trialId, participant, account) != 0;
    }

    // ------------------------------------------------------------------ internal

    function _checkAppointee(address participant, address representative, uint40 endsAt) private view {
        if (representative == address(0) || representative == participant) {
            revert TrialsInvalidRepresentative(participant, representative);
        }
        // solhint-disable-next-line gas-strict-inequalities
        if (endsAt != 0 && endsAt <= block.timestamp) revert TrialsInvalidEndTime(endsAt);
    }

    /// @dev Establishes a new authority (next id), ending the one it replaces.
    function _appoint(
        TrialId trialId,
        address participant,
        address representative,
        uint40 endsAt,
        bytes32 basisHash
    ) private {
        _checkAppointee(participant, representative, endsAt);
        Representation storage r = _representationOf(trialId, participant);
        uint32 previousId = r.authorityId;
        address previous = r.representative;
        if (previous != address(0)) {
            emit RepresentativeEnded(
                trialId,
                participant,
                previous,
                previousId,
                basisHash != 0 ? msg.sender : participant
            );
        }
        uint32 id = previousId + 1;
        _setRepresentation(
            trialId,
            participant,
            Representation({
                representative: representative,
                endsAt: endsAt,
                authorityId: id,
                irbConfirmed: basisHash != 0
            })
        );
        emit RepresentativeAppointed(trialId, participant, representative, id, endsAt, basisHash);
    }

    /**
     * @dev Ends the authority in force and drops a pending determination. By the IRB
     * (`byIrb`): only an IRB-confirmed authority is ended. Depends on nothing but these two records,
     * so nothing can block a participant's revocation.
     */
    function _end(TrialId trialId, address participant, bool byIrb) private {
        Representation storage r = _representationOf(trialId, participant);
        address representative = r.representative;
        bool ends = representative != address(0) && (!byIrb || r.irbConfirmed);
        bool drops = _getTrialsStorage()._pending[trialId][participant] != 0;
        if (!ends && !drops) revert TrialsNothingToEnd(trialId, participant);
        address by = byIrb ? msg.sender : participant;
        if (drops) {
            delete _getTrialsStorage()._pending[trialId][participant];
            emit RepresentativeEnded(trialId, participant, address(0), 0, by);
        }
        if (ends) {
            // The id stays: the next appointment takes the one after it.
            r.representative = address(0);
            r.irbConfirmed = false;
            emit RepresentativeEnded(trialId, participant, representative, r.authorityId, by);
        }
    }
}
