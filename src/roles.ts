import { id } from "ethers";

/** Consortium role ids, as contracts/access/Roles.sol defines them (keccak256 of the name). */
export const Role = {
  REGISTRAR: id("REGISTRAR_ROLE"),
  MANUFACTURER: id("MANUFACTURER_ROLE"),
  WHOLESALER: id("WHOLESALER_ROLE"),
  DISPENSER: id("DISPENSER_ROLE"),
  PROVIDER: id("PROVIDER_ROLE"),
  SPONSOR: id("SPONSOR_ROLE"),
  IRB: id("IRB_ROLE"),
  TRIAL_SITE: id("TRIAL_SITE_ROLE"),
  RESEARCHER: id("RESEARCHER_ROLE"),
  REGULATOR: id("REGULATOR_ROLE"),
  SENSOR_ORACLE: id("SENSOR_ORACLE_ROLE"),
  PRIVACY_OFFICER: id("PRIVACY_OFFICER_ROLE"),
} as const;

export type RoleName = keyof typeof Role;

/** The roles a member organisation may hold (everything but REGISTRAR). */
export const DOMAIN_ROLES: readonly RoleName[] = [
  "MANUFACTURER",
  "WHOLESALER",
  "DISPENSER",
  "PROVIDER",
  "SPONSOR",
  "IRB",
  "TRIAL_SITE",
  "RESEARCHER",
  "REGULATOR",
  "SENSOR_ORACLE",
  "PRIVACY_OFFICER",
];

/** The roles of governance's TimelockController (OpenZeppelin 5), for readable errors of `gov:*`. */
export const TimelockRole = {
  PROPOSER: id("PROPOSER_ROLE"),
  EXECUTOR: id("EXECUTOR_ROLE"),
  CANCELLER: id("CANCELLER_ROLE"),
} as const;

/** The role's name for a role id, or undefined. */
export function roleName(roleId: string): RoleName | undefined {
  const lower = roleId.toLowerCase();
  return (Object.keys(Role) as RoleName[]).find((name) => Role[name].toLowerCase() === lower);
}
