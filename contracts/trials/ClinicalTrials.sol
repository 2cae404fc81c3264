// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IClinicalTrials} from "../interfaces/IClinicalTrials.sol";
import {ISignedActions} from "../interfaces/ISignedActions.sol";
import {SignedActions} from "../access/SignedActions.sol";
import {TrialsBase} from "./TrialsBase.sol";
import {TrialRegistry} from "./TrialRegistry.sol";
import {TrialConsent} from "./TrialConsent.sol";
import {TrialEnrollment} from "./TrialEnrollment.sol";
import {TrialRepresentatives} from "./TrialRepresentatives.sol";

/**
 * @title ClinicalTrials
 * @notice Trial registry, IRB-approved protocol versions, signed consent with DUO scopes, re-consent
 * at constant cost, withdrawal, enrollment and the consent-scoped research link to the records
 * domain. See {IClinicalTrials} for the model and the reasons behind its choices.
 * @dev A composition of sibling modules over one shared storage base ({TrialsBase}), as ENS builds
 * its PublicResolver from profiles: {TrialRegistry} (sponsor and IRB acts, amendments, sites and
 * researchers), {TrialConsent} (investigators, signatures, attestations, withdrawal),
 * {TrialEnrollment} (enrollment and the data-use views) and {TrialRepresentatives} (legally
 * authorised representatives). Every check is O(1).
 */
contract ClinicalTrials is IClinicalTrials, TrialRegistry, TrialConsent, TrialEnrollment, TrialRepresentatives {
    constructor(IMemberRegistry registry_) TrialsBase(registry_) {}

    /// @inheritdoc ISignedActions
    function nonces(address owner) public view override(ISignedActions, SignedActions) returns (uint256) {
        return super.nonces(owner);
    }
}
