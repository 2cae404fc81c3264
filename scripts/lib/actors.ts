/**
 * The organisations of the Carechain story and the Hardhat account index each one uses — the same
 * in the demo, the test fixtures and the end-to-end tests (one list, so they never drift apart).
 * Accounts from OTHERS_FROM are people, not members (patients, participants, relayers); from
 * RESERVED_FROM they are kept for the shared test behaviours.
 */
export const ACTOR_INDEX = {
  deployer: 0,
  governance: 1,
  registrar: 2,
  manufacturer: 3,
  wholesaler: 4,
  pharmacy: 5,
  hospital: 6,
  specialist: 7,
  sponsor: 8,
  irb: 9,
  site: 10,
  researcher: 11,
  regulator: 12,
  sensor: 13,
  privacyOfficer: 14,
  outsider: 15,
} as const;

export type ActorName = keyof typeof ACTOR_INDEX;

export const OTHERS_FROM = 16;
export const RESERVED_FROM = 27;

/** The named actors picked out of a list of accounts (signers or wallets), by ACTOR_INDEX. */
export function actorsOf<T>(accounts: readonly T[]): Record<ActorName, T> {
  const entries = (Object.keys(ACTOR_INDEX) as ActorName[]).map((name) => {
    const account = accounts[ACTOR_INDEX[name]];
    if (account === undefined) throw new Error(`account ${ACTOR_INDEX[name]} (${name}) does not exist`);
    return [name, account] as const;
  });
  return Object.fromEntries(entries) as Record<ActorName, T>;
}
