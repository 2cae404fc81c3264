import { AbiCoder, concat, hexlify, keccak256, randomBytes, toUtf8Bytes, isHexString } from "ethers";

/** A fresh 32-byte random salt (hex). Keep it with the custodian's record; it never goes on chain. */
export function newSalt(): string {
  return hexlify(randomBytes(32));
}

/**
 * The on-chain record id: keccak256(salt ‖ utf8(localId)). `localId` is the custodian's own
 * document identifier (it may embed an MRN); the 32-byte secret salt makes the id reveal nothing
 * and unlinkable across records, even for guessable local ids.
 */
export function recordIdOf(salt: string, localId: string): string {
  if (!isHexString(salt, 32)) throw new Error("salt must be 32 bytes of hex");
  return keccak256(concat([salt, toUtf8Bytes(localId)]));
}

/** What a break-glass reason commitment opens to (kept by the provider, shown to the reviewer). */
export interface EmergencyReasonOpening {
  /** EmergencyReason code 1..4. */
  reasonCode: number;
  /** A free-text note (may be empty); never on chain. */
  note: string;
  /** 32 random bytes (newSalt()): without it the four codes could be guessed from the hash. */
  salt: string;
}

/**
 * The salted commitment a provider passes to breakGlass: keccak256(abi.encode(patient, provider,
 * reasonCode, keccak256(utf8(note)), salt)). Bound to the patient and the provider, so that an
 * opening cannot be replayed for another declaration. Only the commitment goes on chain.
 */
export function emergencyReasonCommitment(patient: string, provider: string, opening: EmergencyReasonOpening): string {
  if (!isHexString(opening.salt, 32)) throw new Error("salt must be 32 bytes of hex");
  if (!Number.isInteger(opening.reasonCode) || opening.reasonCode < 1 || opening.reasonCode > 4) {
    throw new Error(`reason code must be 1..4, got ${opening.reasonCode}`);
  }
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address", "address", "uint8", "bytes32", "bytes32"],
      [patient, provider, opening.reasonCode, keccak256(toUtf8Bytes(opening.note)), opening.salt],
    ),
  );
}
