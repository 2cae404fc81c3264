import { ethers, ignition } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import RegistryModule from "../../ignition/modules/Registry";
import CarechainModule from "../../ignition/modules/Carechain";
import type { MemberRegistry } from "../../typechain-types";
import { Role, RoleName } from "../../src/roles";
import { withCheckDigit } from "../../src/gs1/checkDigit";
import { ACTOR_INDEX, OTHERS_FROM, RESERVED_FROM } from "../../scripts/lib/actors";

/** A valid GLN, unique per `n` (company prefix 400000 is a test prefix of this project). */
export function testGLN(n: number): bigint {
  return BigInt(withCheckDigit((400000000000 + n).toString()));
}

/** Signers 27-29 are reserved for the shared behaviours (test/helpers/behaviours.ts). */
export const RESERVED_SIGNERS_FROM = RESERVED_FROM;

/** Ignition parameters of the test deployments: governance is signer 1, the registrar signer 2. */
function registryParameters(signers: HardhatEthersSigner[]) {
  return { Registry: { governance: signers[1].address, registrar: signers[2].address, adminTransferDelay: 86400 } };
}

/** The registry as users deploy it, through its Ignition module, with no member yet. */
export async function deployRegistryFixture() {
  const signers = await ethers.getSigners();
  const [deployer, governance, registrar] = signers;
  const { registry } = await ignition.deploy(RegistryModule, { parameters: registryParameters(signers) });
  return {
    registry: registry as unknown as MemberRegistry,
    deployer,
    governance,
    registrar,
    signers,
  };
}

/** Admits `account` with GLN `testGLN(n)` and grants it `roles`. */
export async function admit(
  registry: MemberRegistry,
  registrar: HardhatEthersSigner,
  account: HardhatEthersSigner | string,
  n: number,
  roles: readonly RoleName[],
): Promise<void> {
  const address = typeof account === "string" ? account : account.address;
  await registry.connect(registrar).admitMember(address, testGLN(n), ethers.id(`member-profile-${n}`));
  for (const role of roles) await registry.connect(registrar).grantRole(Role[role], address);
}

/**
 * The whole of Carechain deployed through the root Ignition module, and the consortium every domain test builds on: one active member per role, named after what it is.
 * Signers: 0 deployer, 1 governance, 2 registrar, 3-14 members below, 15 outsider (never admitted),
 * 16-26 `others` (not members: patients, participants, relayers), 27-29 reserved for behaviours.
 */
export async function deployConsortiumFixture() {
  const signers = await ethers.getSigners();
  const deployed = await ignition.deploy(CarechainModule, { parameters: registryParameters(signers) });
  const base = {
    registry: deployed.registry as unknown as MemberRegistry,
    /** Every contract of the root module (cast to its typechain type in the domain's tests). */
    deployed: deployed as Record<string, unknown>,
    deployer: signers[0],
    governance: signers[1],
    registrar: signers[2],
    signers,
  };
  const s = signers;
  const members = {
    manufacturer: s[ACTOR_INDEX.manufacturer],
    wholesaler: s[ACTOR_INDEX.wholesaler],
    pharmacy: s[ACTOR_INDEX.pharmacy],
    hospital: s[ACTOR_INDEX.hospital],
    specialist: s[ACTOR_INDEX.specialist],
    sponsor: s[ACTOR_INDEX.sponsor],
    irb: s[ACTOR_INDEX.irb],
    site: s[ACTOR_INDEX.site],
    researcher: s[ACTOR_INDEX.researcher],
    regulator: s[ACTOR_INDEX.regulator],
    sensor: s[ACTOR_INDEX.sensor],
    privacyOfficer: s[ACTOR_INDEX.privacyOfficer],
  };
  const roles: Record<keyof typeof members, RoleName[]> = {
    manufacturer: ["MANUFACTURER"],
    wholesaler: ["WHOLESALER"],
    pharmacy: ["DISPENSER"],
    hospital: ["PROVIDER"],
    specialist: ["PROVIDER"],
    sponsor: ["SPONSOR"],
    irb: ["IRB"],
    site: ["TRIAL_SITE"],
    researcher: ["RESEARCHER"],
    regulator: ["REGULATOR"],
    sensor: ["SENSOR_ORACLE"],
    privacyOfficer: ["PRIVACY_OFFICER"],
  };
  let n = 1;
  for (const key of Object.keys(members) as (keyof typeof members)[]) {
    await admit(base.registry, base.registrar, members[key], n++, roles[key]);
  }
  return { ...base, ...members, outsider: s[ACTOR_INDEX.outsider], others: s.slice(OTHERS_FROM, RESERVED_FROM) };
}
