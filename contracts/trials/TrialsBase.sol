// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Version comparisons are ">=" by meaning ("at least version v").
// solhint-disable gas-strict-inequalities

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {ITrialTypes, TrialId} from "../interfaces/ITrialTypes.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {SignedActions} from "../access/SignedActions.sol";
import {TrialFlags} from "../libraries/TrialFlags.sol";

/**
 * @title TrialsBase
 * @notice The shared storage of the {ClinicalTrials} modules ({TrialRegistry}, {TrialConsent},
 * {TrialEnrollment}, {TrialRepresentatives}) and the small internal accessors and checks through
 * which one module reads what another writes. The modules are siblings: each inherits this base
 * only, so none depends on another's internals (as ENS's resolver profiles share `ResolverBase`).
 * @dev All state is {TrialsStorage} (one ERC-7201 namespace); a field only one module uses is
 * touched by that module alone. A trial's status is
 * checked against a set of allowed states ({_checkStatus}), never by ordinal comparison.
 */
abstract contract TrialsBase is ITrialTypes, MemberGated, SignedActions {
    /// @dev Statuses amendments and consents are allowed from: Approved, Recruiting, Closed.
    bytes32 internal constant STATES_AMENDABLE = bytes32(
        (uint256(1) << uint8(TrialStatus.Approved)) |
            (uint256(1) << uint8(TrialStatus.Recruiting)) |
            (uint256(1) << uint8(TrialStatus.Closed))
    );

    /**
     * @dev The whole of the trials domain's state, in one ERC-7201 namespace so that upgrades can append
     * to it and no inherited contract can collide with it. The first seven fields are read by every
     * module through the accessors below; `_results` is {TrialRegistry}'s and `_pending`
     * {TrialRepresentatives}'s own (no other module touches them). Append new fields at the end, never
     * reorder.
     * @custom:storage-location erc7201:carechain.storage.Trials
     */
    struct TrialsStorage {
        mapping(TrialId trialId => Trial) _trials;
        mapping(TrialId trialId => mapping(uint16 amendmentId => Amendment)) _amendments;
        mapping(TrialId trialId => mapping(address account => uint8 roleBits)) _trialRoles;
        mapping(TrialId trialId => mapping(address investigator => address site)) _investigators;
        mapping(TrialId trialId => mapping(address participant => Participation)) _participations;
        mapping(TrialId trialId => mapping(address participant => bytes32)) _diseases;
        mapping(TrialId trialId => mapping(address participant => Representation)) _representations;
        mapping(TrialId trialId => bytes32) _results;
        mapping(TrialId trialId => mapping(address participant => bytes32 determinationHash)) _pending;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("carechain.storage.Trials")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant TRIALS_STORAGE_LOCATION =
        0xcfaf6e21ed49e19dc770d9b6585f6ad5e4d2a46dba979f2f9f641e1dfaeea400;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_) MemberGated(registry_) {}

    // ------------------------------------------------------------------ accessors

    /// @dev The trial record (status None when unknown).
    function _trialOf(TrialId trialId) internal view returns (Trial storage) {
        return _getTrialsStorage()._trials[trialId];
    }

    /// @dev Protocol version `amendmentId` of the trial (0 = as registered).
    function _amendmentOf(TrialId trialId, uint16 amendmentId) internal view returns (Amendment storage) {
        return _getTrialsStorage()._amendments[trialId][amendmentId];
    }

    function _setAmendment(TrialId trialId, uint16 amendmentId, Amendment memory a) internal {
        _getTrialsStorage()._amendments[trialId][amendmentId] = a;
    }

    /// @dev `participant`'s consent record in the trial.
    function _participationOf(TrialId trialId, address participant) internal view returns (Participation storage) {
        return _getTrialsStorage()._participations[trialId][participant];
    }

    function _setParticipation(TrialId trialId, address participant, Participation memory p) internal {
        _getTrialsStorage()._participations[trialId][participant] = p;
    }

    /// @dev `participant`'s representation record in the trial.
    function _representationOf(TrialId trialId, address participant) internal view returns (Representation storage) {
        return _getTrialsStorage()._representations[trialId][participant];
    }

    function _setRepresentation(TrialId trialId, address participant, Representation memory r) internal {
        _getTrialsStorage()._representations[trialId][participant] = r;
    }

    /// @dev The trial-role bits ({TrialFlags-ROLE_SITE}, {TrialFlags-ROLE_RESEARCHER}) of `account`.
    function _trialRolesOf(TrialId trialId, address account) internal view returns (uint8) {
        return _getTrialsStorage()._trialRoles[trialId][account];
    }

    function _setTrialRoles(TrialId trialId, address account, uint8 bits) internal {
        _getTrialsStorage()._trialRoles[trialId][account] = bits;
    }

    /// @dev The site that registered `investigator` for the trial, or zero.
    function _investigatorSiteOf(TrialId trialId, address investigator) internal view returns (address) {
        return _getTrialsStorage()._investigators[trialId][investigator];
    }

    function _setInvestigatorSite(TrialId trialId, address investigator, address site) internal {
        _getTrialsStorage()._investigators[trialId][investigator] = site;
    }

    /// @dev The salted disease-code hash of `participant`'s DS consent (zero without DS).
    function _diseaseOf(TrialId trialId, address participant) internal view returns (bytes32) {
        return _getTrialsStorage()._diseases[trialId][participant];
    }

    function _setDisease(TrialId trialId, address participant, bytes32 diseaseCodeHash) internal {
        _getTrialsStorage()._diseases[trialId][participant] = diseaseCodeHash;
    }

    // ------------------------------------------------------------------ checks

    /// @dev The trial, after checking it exists.
    function _existing(TrialId trialId) internal view returns (Trial storage t) {
        t = _getTrialsStorage()._trials[trialId];
        if (t.status == TrialStatus.None) revert TrialsUnknownTrial(trialId);
    }

    /// @dev The trial, after checking it exists and the caller is its sponsor.
    function _sponsorTrial(TrialId trialId) internal view returns (Trial storage t) {
        t = _existing(trialId);
        if (t.sponsor != msg.sender) revert TrialsNotSponsor(trialId, msg.sender);
    }

    /// @dev The trial, after checking it exists and the caller is its IRB.
    function _irbTrial(TrialId trialId) internal view returns (Trial storage t) {
        t = _existing(trialId);
        if (t.irb != msg.sender) revert TrialsNotIRB(trialId, msg.sender);
    }

    /// @dev The trial, after checking it exists and the caller is one of its sites.
    function _siteTrial(TrialId trialId) internal view returns (Trial storage t) {
        t = _existing(trialId);
        if (_getTrialsStorage()._trialRoles[trialId][msg.sender] & TrialFlags.ROLE_SITE == 0)
            revert TrialsNotSite(trialId, msg.sender);
    }

    /// @dev The set holding `status` alone (bit `status`), as {TrialsUnexpectedStatus} names sets.
    function _stateBit(TrialStatus status) internal pure returns (bytes32) {
        return bytes32(uint256(1) << uint8(status));
    }

    /// @dev Reverts with {TrialsUnexpectedStatus} unless `current` is in the set `allowed`.
    function _checkStatus(TrialId trialId, TrialStatus current, bytes32 allowed) internal pure {
        if (_stateBit(current) & allowed == 0) revert TrialsUnexpectedStatus(trialId, current, allowed);
    }

    /// @dev Whether consent version `version` is at least what the trial requires of this
    /// participant: `minVersionAll`, and `minVersionNew` unless enrolled (before the amendment).
    function _versionOk(Trial storage t, uint8 flags, uint16 version) internal view returns (bool) {
        if (version < t.minVersionAll) return false;
        return flags & TrialFlags.P_ENROLLED != 0 || version >= t.minVersionNew;
    }

    /**
     * @dev The id of the authority in force by which `account` represents `participant` now, or
     * zero. Ids start at 1, so zero never names an authority.
     */
    function _currentAuthority(TrialId trialId, address participant, address account) internal view returns (uint32) {
        Representation storage r = _getTrialsStorage()._representations[trialId][participant];
        // `account` is never zero (a caller or verified signer), so an ended (zeroed) record matches nobody.
        if (r.representative != account) return 0;
        uint40 endsAt = r.endsAt;
        if (endsAt != 0 && block.timestamp >= endsAt) return 0;
        return r.authorityId;
    }

    /// @dev Whether authority `authorityId` of `representative` over `participant` is still in force.
    function _authorityHolds(
        TrialId trialId,
        address participant,
        address representative,
        uint32 authorityId
    ) internal view returns (bool) {
        return authorityId != 0 && _currentAuthority(trialId, participant, representative) == authorityId;
    }

    /// @dev The domain's namespaced storage ({TrialsStorage}).
    function _getTrialsStorage() internal pure returns (TrialsStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := TRIALS_STORAGE_LOCATION
        }
    }

    /// @dev The EIP-712 domain name, a constant: signatures made before an upgrade stay valid after it.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return "Carechain Trials";
    }

    /// @dev The EIP-712 domain version, a constant (see {_EIP712Name}).
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }
}
