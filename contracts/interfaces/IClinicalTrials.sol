// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMemberGated} from "./IMemberGated.sol";
import {ISignedActions} from "./ISignedActions.sol";
import {ITrialConsent} from "./ITrialConsent.sol";
import {ITrialEnrollment} from "./ITrialEnrollment.sol";
import {ITrialRegistry} from "./ITrialRegistry.sol";
import {ITrialRepresentatives} from "./ITrialRepresentatives.sol";

/**
 * @title IClinicalTrials
 * @notice Clinical-trial registry, IRB-approved protocol versions, signed versioned informed consent
 * with GA4GH DUO data-use scopes, re-consent, withdrawal, enrollment and consent-scoped research
 * access (ICH E6(R3) GCP, 21 CFR Parts 11 and 50, GDPR Art. 7(3), GA4GH Data Use Ontology).
 *
 * Protocol versions: version 0 is the protocol registered with the trial; every amendment gets the
 * next id (1, 2, …) when proposed, and the id becomes the trial's protocol version when the IRB
 * approves it. Ids only grow, so "at least version v" is one comparison; rejected ids never become
 * current. An amendment's hashes are written when it is proposed, so approving it only moves
 * pointers in the trial's first slot: O(1), whatever the number of consents.
 *
 * Re-consent (E6(R3) 2.8.2) is two minimum versions per trial: `minVersionAll` (every consent below
 * it stops counting) and `minVersionNew` (a participant not yet enrolled needs at least it to count
 * and to be enrolled; participants enrolled before the amendment keep their consent). Enrolling
 * requires a consent at both minimums, so anyone enrolled after an amendment has a consent at least
 * at its version: no enrollment time needs storing and no loop is ever needed.
 *
 * Consent (21 CFR 11.50/11.70, E6(R3) 2.8.7): a consent counts only when three records exist for
 * it: the participant's (or legally authorised representative's) EIP-712 signature over the consent
 * terms ({consentBySig}), the attestation of an investigator whom the relaying site registered for
 * the trial ({attestBySig}, meaning InvestigatorAttestation), and, where the trial requires one, an
 * impartial witness's attestation ({attestBySig}, meaning WitnessAttestation). At a consent visit the
 * participant's signature and the investigator's attestation are relayed together
 * ({consentAndAttestBySig}, one transaction, so that no consent exists that does not count yet);
 * signatures gathered at different moments (a witness's, a later attestation) are relayed as they
 * come, each kind by its own call. A new
 * consent clears the attestations of the previous one. Every signature states its meaning as a
 * typed-data field, names its signer, and is bound to the trial, participant, protocol version and
 * consent-form hash; the block time is the record's time. For ERC-1271 signers the answer at
 * submission is what is recorded; a later change of the wallet's mind does not undo a recorded
 * consent (withdrawal is the way out).
 *
 * Withdrawal is final for a (trial, participant) pair: it can be widened (no further collection →
 * withdraw data) but never undone, so a withdrawn consent can never validate again and the record
 * of the withdrawal is never overwritten. A person who wishes to rejoin consents afresh under a new
 * pseudonymous participant address.
 *
 * The registry reference (e.g. the NCT number's hash) is recorded by its event and a "committed"
 * flag; it is never compared on chain, so storing a copy would cost 20,000 gas for nothing.
 *
 * No personal health information: participants are pseudonymous addresses (use one per trial);
 * the disease of a disease-specific (DS) consent is a hash salted with a trial secret known to the
 * trial's researchers (SDK `diseaseCodeHash`), so it cannot be recovered by hashing a code list.
 */
interface IClinicalTrials is
    ITrialRegistry,
    ITrialConsent,
    ITrialEnrollment,
    ITrialRepresentatives,
    IMemberGated,
    ISignedActions
{}
