import { concat, hexlify, keccak256, randomBytes, toUtf8Bytes, isHexString } from "ethers";

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
