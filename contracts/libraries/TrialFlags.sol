// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title TrialFlags
 * @notice The one definition of the bits of `Trial.flags`, `Participation.flags` and a trial's
 * per-account roles in {ClinicalTrials}, and of the record-category mask a consent may name. The
 * SDK's mirrors (src/trials/flags.ts) are tested against this file's compiled AST
 * (test/trials/mirrors.ts).
 */
library TrialFlags {
    /// @dev Trial.flags: the registry reference was committed.
    uint8 internal constant TRIAL_REF_COMMITTED = 1 << 0;
    /// @dev Trial.flags: the primary outcome was committed.
    uint8 internal constant TRIAL_OUTCOME_COMMITTED = 1 << 1;
    /// @dev Trial.flags: consents need an impartial witness's attestation.
    uint8 internal constant TRIAL_WITNESS_REQUIRED = 1 << 2;

    /// @dev Participation.flags: the participant (or representative) signed.
    uint8 internal constant P_CONSENTED = 1 << 0;
    /// @dev Participation.flags: the participant agreed to be contacted about future research.
    uint8 internal constant P_FUTURE_CONTACT = 1 << 1;
    /// @dev Participation.flags: enrolled (kept across re-consents).
    uint8 internal constant P_ENROLLED = 1 << 2;
    /// @dev Participation.flags: withdrew, no further collection.
    uint8 internal constant P_NO_FURTHER_COLLECTION = 1 << 3;
    /// @dev Participation.flags: withdrew, including the use of data already collected.
    uint8 internal constant P_WITHDRAWN_DATA = 1 << 4;
    /// @dev Participation.flags: either withdrawal.
    uint8 internal constant P_WITHDRAWN = P_NO_FURTHER_COLLECTION | P_WITHDRAWN_DATA;
    /// @dev Participation.flags: an investigator attested the current consent.
    uint8 internal constant P_ATTESTED = 1 << 5;
    /// @dev Participation.flags: an impartial witness attested the current consent.
    uint8 internal constant P_WITNESSED = 1 << 6;

    /// @dev A trial role of an account: site of the trial.
    uint8 internal constant ROLE_SITE = 1 << 0;
    /// @dev A trial role of an account: researcher of the trial.
    uint8 internal constant ROLE_RESEARCHER = 1 << 1;

    /// @dev Every record category (Labs 0 … Genomic 8, as src/categories.ts).
    uint16 internal constant ALL_CATEGORIES = (1 << 9) - 1;
}
