import type { DemoContext } from "./context";
import { section, step, table, short } from "./narrate";
import { Role, RoleName } from "../../src/roles";
import { formatGLN, withCheckDigit } from "../../src/gs1/checkDigit";
import { MemberStatus } from "../../src/enums";
import { describeError } from "../../src/errors";

/** The consortium's member organisations in the demo, with their GLN bodies and roles. */
const MEMBERS: { key: keyof DemoContext["actors"]; name: string; glnBody: string; roles: RoleName[] }[] = [
  { key: "manufacturer", name: "Acme Pharma (manufacturer)", glnBody: "401234500001", roles: ["MANUFACTURER"] },
  { key: "wholesaler", name: "NorthDist (wholesaler)", glnBody: "401234500002", roles: ["WHOLESALER"] },
  { key: "pharmacy", name: "Corner Pharmacy (dispenser)", glnBody: "401234500003", roles: ["DISPENSER"] },
  { key: "hospital", name: "St. Mary's Hospital (provider)", glnBody: "401234500004", roles: ["PROVIDER"] },
  { key: "specialist", name: "Heart Clinic (provider)", glnBody: "401234500005", roles: ["PROVIDER"] },
  { key: "sponsor", name: "Acme Research (sponsor)", glnBody: "401234500006", roles: ["SPONSOR"] },
  { key: "irb", name: "Regional IRB", glnBody: "401234500007", roles: ["IRB"] },
  { key: "site", name: "City Trial Site", glnBody: "401234500008", roles: ["TRIAL_SITE"] },
  { key: "researcher", name: "University Lab (researcher)", glnBody: "401234500009", roles: ["RESEARCHER"] },
  { key: "regulator", name: "National Regulator", glnBody: "401234500010", roles: ["REGULATOR"] },
  { key: "sensor", name: "ColdChain Sensors (oracle)", glnBody: "401234500011", roles: ["SENSOR_ORACLE"] },
  { key: "privacyOfficer", name: "St. Mary's Privacy Office", glnBody: "401234500012", roles: ["PRIVACY_OFFICER"] },
];

/** Part 1 of the story: the registrar admits the consortium's member organisations. */
export async function runAccessDemo(ctx: DemoContext): Promise<void> {
  const { registry, actors, hre } = ctx;
  section("Consortium: governance appointed a registrar, who admits the member organisations");
  step(
    `governance (timelock/multisig stand-in) ${short(actors.governance.address)}; registrar ${short(actors.registrar.address)}`,
  );
  const registrar = registry.connect(actors.registrar);
  for (const m of MEMBERS) {
    const account = actors[m.key] as { address: string };
    const gln = BigInt(withCheckDigit(m.glnBody));
    await (await registrar.admitMember(account.address, gln, hre.ethers.id(`profile:${m.name}`))).wait();
    for (const role of m.roles) await (await registrar.grantRole(Role[role], account.address)).wait();
  }
  const rows = [];
  for (const m of MEMBERS) {
    const account = actors[m.key] as { address: string };
    const member = await registry.memberOf(account.address);
    rows.push({
      organisation: m.name,
      address: short(account.address),
      GLN: formatGLN(member.gln),
      roles: m.roles.join(","),
      status: MemberStatus[Number(member.status)],
    });
  }
  table(rows);
  const refused = await registrar.admitMember
    .staticCall(actors.others[0].address, 4012345000135n, hre.ethers.ZeroHash)
    .then(() => "accepted (unexpected)")
    .catch((e: unknown) => describeError(e));
  step(`a GLN with a wrong check digit (4012345000135) is refused: ${refused}`);
}
