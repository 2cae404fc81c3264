import type { ContractTransactionResponse } from "ethers";
import type { ClinicalTrials } from "../../typechain-types";
import { SignatureMeaning } from "./enums";
import type { ConsentPackage } from "./typedData";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * Relays a consent package as a site: the participant's (or representative's) signature, then the
 * investigator's attestation, then the witness's when there is one. Each is its own transaction
 * (one signature kind per call); the consent counts once the last of them is mined. Waits for each.
 */
export async function relayConsentPackage(
  trials: ClinicalTrials,
  pkg: ConsentPackage,
): Promise<ContractTransactionResponse[]> {
  const sent: ContractTransactionResponse[] = [];
  const send = async (tx: Promise<ContractTransactionResponse>) => {
    const response = await tx;
    await response.wait();
    sent.push(response);
  };
  const { trialId, participant } = pkg.terms;
  await send(trials.consentBySig(pkg.terms, pkg.signature));
  await send(trials.attestBySig(trialId, participant, SignatureMeaning.InvestigatorAttestation, pkg.investigator));
  if (pkg.witness.signer !== ZERO_ADDRESS) {
    await send(trials.attestBySig(trialId, participant, SignatureMeaning.WitnessAttestation, pkg.witness));
  }
  return sent;
}
