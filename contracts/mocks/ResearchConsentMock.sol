// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IResearchConsent} from "../interfaces/IResearchConsent.sol";

/**
 * @dev STAND-IN for the trials domain while it is built in parallel: answers
 * {IResearchConsent-researchCategories} from values a test sets. Not for deployment beyond tests
 * and the demo; at merge the real trials contract replaces it in ignition/modules/Trials.ts.
 */
contract ResearchConsentMock is IResearchConsent {
    mapping(bytes32 trialId => mapping(address participant => mapping(address researcher => uint16))) private _c;

    /// @dev Sets what `researcher` may read of `participant`'s records for `trialId`.
    function setResearchCategories(
        bytes32 trialId,
        address participant,
        address researcher,
        uint16 categories
    ) external {
        _c[trialId][participant][researcher] = categories;
    }

    /// @inheritdoc IResearchConsent
    function researchCategories(
        bytes32 trialId,
        address participant,
        address researcher
    ) external view returns (uint16 categories) {
        return _c[trialId][participant][researcher];
    }
}
