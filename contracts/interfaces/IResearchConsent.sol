// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IResearchConsent
 * @notice The link from the trials domain to the records domain: what a trial's researcher may
 * read of a participant's health records, as that participant's valid consent says. The records
 * domain calls it for purpose "research"; there is no separate grant.
 */
interface IResearchConsent {
    /**
     * @notice The record categories (bitmask; bit i = category i of the records domain) that
     * `researcher` may read of `participant`'s records for trial `trialId`; zero when it may read
     * nothing: `researcher` is not an active RESEARCHER of the trial, or the participant has no
     * valid consent at the trial's required version, or has withdrawn. O(1).
     */
    function researchCategories(
        bytes32 trialId,
        address participant,
        address researcher
    ) external view returns (uint16 categories);
}
