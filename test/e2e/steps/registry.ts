/**
 * E2E step "registry": the consortium operator's part, over JSON-RPC with the SDK only. The
 * registrar admits one organisation per role (the same actors as test/helpers/fixtures.ts), so
 * the domain steps that follow find their members in place.
 */
import { expect } from "chai";
import { id } from "ethers";
import { DOMAIN_ROLES, MemberStatus, Role, describeError, formatGLN, parseGLN, withCheckDigit } from "../../../src";
import type { RoleName } from "../../../src";
import type { ActorName, E2EContext, E2EStep } from "../consortium";

/** Which role each named organisation is admitted with. */
export const MEMBER_ROLES: Partial<Record<ActorName, RoleName>> = {
  manufacturer: "MANUFACTURER",
  wholesaler: "WHOLESALER",
  pharmacy: "DISPENSER",
  hospital: "PROVIDER",
  specialist: "PROVIDER",
  sponsor: "SPONSOR",
  irb: "IRB",
  site: "TRIAL_SITE",
  researcher: "RESEARCHER",
  regulator: "REGULATOR",
  sensor: "SENSOR_ORACLE",
  privacyOfficer: "PRIVACY_OFFICER",
};

/** The GLN of the n-th e2e member (company prefix 400000, as the fixtures). */
function e2eGLN(n: number): bigint {
  return parseGLN(withCheckDigit(String(400000000000 + n)));
}

export const registryStep: E2EStep = {
  name: "registry: the operator admits the consortium",
  define(ctx: () => E2EContext) {
    it("finds the registry by chain id in the Ignition record and reads its governance", async function () {
      const { registry, actors, provider, deployment, chainId } = ctx();
      expect(chainId).to.equal(31337n);
      expect(await provider.getCode(deployment.addresses.registry!)).to.not.equal("0x");
      expect(await registry.defaultAdmin()).to.equal(actors.governance.address);
      expect(await registry.hasRole(Role.REGISTRAR, actors.registrar.address)).to.equal(true);
      expect(await registry.hasRole(Role.REGISTRAR, actors.deployer.address)).to.equal(false);
    });

    it("refuses a non-registrar with AccessControlUnauthorizedAccount, decoded by the SDK", async function () {
      const { registry, actors } = ctx();
      const attempt = registry.connect(actors.outsider).admitMember(actors.outsider.address, e2eGLN(99), id("x"));
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, "the transaction was accepted").to.not.equal(undefined);
      expect(describeError(error, [registry.interface])).to.equal(
        `AccessControlUnauthorizedAccount(${actors.outsider.address}, ${Role.REGISTRAR})`,
      );
      expect((await registry.memberOf(actors.outsider.address)).status).to.equal(BigInt(MemberStatus.None));
    });

    it("admits one member per role and each holds exactly its role", async function () {
      const { registry, actors } = ctx();
      const registrar = registry.connect(actors.registrar);
      let n = 1;
      for (const [name, role] of Object.entries(MEMBER_ROLES) as [ActorName, RoleName][]) {
        const account = actors[name].address;
        await (await registrar.admitMember(account, e2eGLN(n), id(`e2e-profile-${name}`))).wait();
        await (await registrar.grantRole(Role[role], account)).wait();
        expect(await registry.memberByGLN(e2eGLN(n))).to.equal(account);
        expect(formatGLN((await registry.memberOf(account)).gln)).to.equal(e2eGLN(n).toString());
        n++;
      }
      for (const [name, role] of Object.entries(MEMBER_ROLES) as [ActorName, RoleName][]) {
        for (const other of DOMAIN_ROLES) {
          expect(await registry.hasActiveRole(Role[other], actors[name].address), `${name} ${other}`).to.equal(
            other === role,
          );
        }
      }
      expect(await registry.isActiveMember(actors.outsider.address)).to.equal(false);
    });

    it("suspends a member out of its role at once and reinstates it", async function () {
      const { registry, actors } = ctx();
      const registrar = registry.connect(actors.registrar);
      const wholesaler = actors.wholesaler.address;
      await (await registrar.suspendMember(wholesaler, id("e2e-audit"))).wait();
      expect(await registry.hasActiveRole(Role.WHOLESALER, wholesaler)).to.equal(false);
      expect((await registry.memberOf(wholesaler)).status).to.equal(BigInt(MemberStatus.Suspended));
      await (await registrar.reinstateMember(wholesaler)).wait();
      expect(await registry.hasActiveRole(Role.WHOLESALER, wholesaler)).to.equal(true);
    });

    it("rebuilds the member list from MemberAdmitted events over JSON-RPC", async function () {
      const { registry, actors } = ctx();
      const events = await registry.queryFilter(registry.filters.MemberAdmitted(), 0, "latest");
      const admitted = events.map((e) => e.args.account).sort();
      const expected = (Object.keys(MEMBER_ROLES) as ActorName[]).map((name) => actors[name].address).sort();
      expect(admitted).to.deep.equal(expected);
    });
  },
};
