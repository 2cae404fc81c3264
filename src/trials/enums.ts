/**
 * Mirrors of the enums of contracts/interfaces/ITrialTypes.sol (the numbers ethers returns);
 * test/trials/mirrors.ts checks names and values against the compiled AST.
 */

export enum TrialStatus {
  None = 0,
  Registered = 1,
  Approved = 2,
  Recruiting = 3,
  Closed = 4,
  ResultsPosted = 5,
}

/** E6(R3) 2.8.2: who must sign an amended consent form. */
export enum ReconsentPolicy {
  None = 0,
  AllParticipants = 1,
  NewEnrolleesOnly = 2,
}

export enum AmendmentStatus {
  None = 0,
  Proposed = 1,
  Approved = 2,
  Rejected = 3,
}

/** 21 CFR 11.50: the meaning every signature states. */
export enum SignatureMeaning {
  None = 0,
  ParticipantConsent = 1,
  RepresentativeConsent = 2,
  Withdrawal = 3,
  WitnessAttestation = 4,
  InvestigatorAttestation = 5,
}

export enum WithdrawalChoice {
  None = 0,
  NoFurtherCollection = 1,
  WithdrawData = 2,
}

export enum OutcomeReport {
  None = 0,
  AsRegistered = 1,
  AsAmended = 2,
  Unregistered = 3,
}
