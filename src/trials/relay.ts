import type { ContractTransactionResponse } from "ethers";
import type { ClinicalTrials } from "../../typechain-types";
import { SignatureMeaning } from "./enums";
import type { ConsentPackage } from "./typedData";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * Relays the consent visit of a package as a site, in one transaction: the participant's (or
 * representative's) signature and the investigator's attestation of exactly those terms
 * (`consentAndAttestBySig`). The consent counts once mined, unless the trial requires a witness.
 */
export function relayConsentVisit(trials: ClinicalTrials, pkg: ConsentPackage): Promise<ContractTransactionResponse> {
  return trials.consentAndAttestBySig(pkg.terms, pkg.signature, pkg.investigator);
}

/** How {relayConsentPackage} relays. */
export interface RelayOptions {
  /**
   * Relay the participant's signature and the investigator's attestation as two transactions
   * (`consentBySig`, then `attestBySig`) instead of one (`consentAndAttestBySig`): for an
   * attestation signed after the visit. Default false.
   */
  separate?: boolean;
}

/**
 * Relays a consent package as a site: the participant's (or representative's) signature with the
 * investigator's attestation in one transaction (or two, `separate`), then the witness's when there
 * is one. The consent counts once the last of them is mined. Waits for each.
 */
export async function relayConsentPackage(
  trials: ClinicalTrials,
  pkg: ConsentPackage,
  options: RelayOptions = {},
): Promise<ContractTransactionResponse[]> {
  const sent: ContractTransactionResponse[] = [];
  const send = async (tx: Promise<ContractTransactionResponse>) => {
    const response = await tx;
    await response.wait();
    sent.push(response);
  };
  const { trialId, participant } = pkg.terms;
  if (options.separate) {
    await send(trials.consentBySig(pkg.terms, pkg.signature));
    await send(trials.attestBySig(trialId, participant, SignatureMeaning.InvestigatorAttestation, pkg.investigator));
  } else {
    await send(relayConsentVisit(trials, pkg));
  }
  if (pkg.witness.signer !== ZERO_ADDRESS) {
    await send(trials.attestBySig(trialId, participant, SignatureMeaning.WitnessAttestation, pkg.witness));
  }
  return sent;
}
