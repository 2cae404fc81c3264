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
 * authorised representatives). Every check is O(1). A UUPS implementation behind an ERC-1967 proxy;
 * only governance upgrades it ({MemberGated-_authorizeUpgrade}); its state is {TrialsBase}'s ERC-7201
 * namespace.
 */
contract ClinicalTrials is IClinicalTrials, TrialRegistry, TrialConsent, TrialEnrollment, TrialRepresentatives {
    /// @param registry_ The consortium registry (an immutable of the implementation: see {MemberGated}).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_) TrialsBase(registry_) {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy (called once, by the proxy's constructor). The trials domain starts
     * empty, its registry is the implementation's and its EIP-712 domain a constant ({TrialsBase}), so
     * there is nothing to set: the call marks the proxy initialised, so that nobody can call it again
     * ({InvalidInitialization}).
     * @dev The EIP-712 name and version are constants returned by `_EIP712Name`/`_EIP712Version`, so
     * EIP712Upgradeable's initializer (which would store them) is deliberately not called.
     * @custom:oz-upgrades-unsafe-allow missing-initializer-call
     */
    function initialize() external initializer {}

    /// @inheritdoc ISignedActions
    function nonces(address owner) public view override(ISignedActions, SignedActions) returns (uint256) {
        return super.nonces(owner);
    }
}
