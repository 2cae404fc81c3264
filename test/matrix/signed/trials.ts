/** Signed actions of the trials contract: see test/matrix/signed.ts. */
import type { SignedActionCase } from "../../helpers/signatures";
import {
  appointmentCase,
  determinationCase,
  investigatorAttestationCase,
  participantConsentCase,
  revocationCase,
  visitConsentCase,
  withdrawalCase,
} from "../../trials/signedCases";

/** The cases are the domain tests' own (test/trials/signedCases.ts); the representative's consent,
 * the witness's attestation and the investigator's signature of consentAndAttestBySig take the
 * same paths and are covered there too. */
export const trialsSignedActions: Record<string, () => Promise<SignedActionCase<unknown>>> = {
  "consentBySig((bytes32,address,address,uint8,uint16,bytes32,uint16,bytes32,uint40,uint16,bool,uint256),bytes)":
    participantConsentCase as () => Promise<SignedActionCase<unknown>>,
  "consentAndAttestBySig((bytes32,address,address,uint8,uint16,bytes32,uint16,bytes32,uint40,uint16,bool,uint256),bytes,(address,uint256,bytes))":
    visitConsentCase as () => Promise<SignedActionCase<unknown>>,
  "attestBySig(bytes32,address,uint8,(address,uint256,bytes))": investigatorAttestationCase as () => Promise<
    SignedActionCase<unknown>
  >,
  "withdrawBySig(bytes32,address,uint8,address,uint256,bytes)": withdrawalCase as () => Promise<
    SignedActionCase<unknown>
  >,
  "appointRepresentativeBySig((bytes32,address,address,uint40,uint256),bytes)": appointmentCase as () => Promise<
    SignedActionCase<unknown>
  >,
  "revokeRepresentativeBySig(bytes32,address,uint256,bytes)": revocationCase as () => Promise<
    SignedActionCase<unknown>
  >,
  "determineRepresentativeBySig((bytes32,address,address,uint40,bytes32,address,uint256),bytes)":
    determinationCase as () => Promise<SignedActionCase<unknown>>,
};
