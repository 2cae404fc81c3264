import { expect } from "chai";
import { ethers, ignition } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import RegistryModule from "../../ignition/modules/Registry";
import { deployRegistryFixture, testGLN, admit } from "../helpers/fixtures";
import { deployProxied } from "../helpers/proxy";
import type { MemberRegistry } from "../../typechain-types";
import { MemberStatus } from "../helpers/enums";
import { DOMAIN_ROLES, Role } from "../../src/roles";

describe("MemberRegistry", function () {
  async function fixture() {
    const base = await deployRegistryFixture();
    const [, , , alice, bob, carol, outsider] = base.signers;
    return { ...base, alice, bob, carol, outsider };
  }

  async function withAlice() {
    const f = await fixture();
    await admit(f.registry, f.registrar, f.alice, 1, ["MANUFACTURER"]);
    return f;
  }

  describe("constructor", function () {
    it("gives DEFAULT_ADMIN_ROLE to governance and REGISTRAR_ROLE to the registrar, nothing to the deployer", async function () {
      const { registry, governance, registrar, deployer } = await loadFixture(fixture);
      expect(await registry.defaultAdmin()).to.equal(governance.address);
      expect(await registry.hasRole(Role.REGISTRAR, registrar.address)).to.equal(true);
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), deployer.address)).to.equal(false);
      expect(await registry.hasRole(Role.REGISTRAR, deployer.address)).to.equal(false);
      expect(await registry.defaultAdminDelay()).to.equal(86400n);
    });

    it("makes REGISTRAR_ROLE the admin of every domain role and governance the registrars' admin", async function () {
      const { registry } = await loadFixture(fixture);
      for (const role of DOMAIN_ROLES) expect(await registry.getRoleAdmin(Role[role])).to.equal(Role.REGISTRAR);
      expect(await registry.getRoleAdmin(Role.REGISTRAR)).to.equal(await registry.DEFAULT_ADMIN_ROLE());
    });

    it("exposes each role id under its name", async function () {
      const { registry } = await loadFixture(fixture);
      expect(await registry.REGISTRAR_ROLE()).to.equal(Role.REGISTRAR);
      expect(await registry.MANUFACTURER_ROLE()).to.equal(Role.MANUFACTURER);
      expect(await registry.WHOLESALER_ROLE()).to.equal(Role.WHOLESALER);
      expect(await registry.DISPENSER_ROLE()).to.equal(Role.DISPENSER);
      expect(await registry.PROVIDER_ROLE()).to.equal(Role.PROVIDER);
      expect(await registry.SPONSOR_ROLE()).to.equal(Role.SPONSOR);
      expect(await registry.IRB_ROLE()).to.equal(Role.IRB);
      expect(await registry.TRIAL_SITE_ROLE()).to.equal(Role.TRIAL_SITE);
      expect(await registry.RESEARCHER_ROLE()).to.equal(Role.RESEARCHER);
      expect(await registry.REGULATOR_ROLE()).to.equal(Role.REGULATOR);
      expect(await registry.SENSOR_ORACLE_ROLE()).to.equal(Role.SENSOR_ORACLE);
      expect(await registry.PRIVACY_OFFICER_ROLE()).to.equal(Role.PRIVACY_OFFICER);
    });

    it("appoints no registrar when the zero address is given", async function () {
      const [, governance] = await ethers.getSigners();
      const { contract: registry } = await deployProxied<MemberRegistry>(
        "MemberRegistry",
        [],
        [governance.address, 0, ethers.ZeroAddress],
      );
      expect(await registry.hasRole(Role.REGISTRAR, ethers.ZeroAddress)).to.equal(false);
    });

    it("reverts when governance is the zero address", async function () {
      const factory = await ethers.getContractFactory("MemberRegistry");
      await expect(
        deployProxied("MemberRegistry", [], [ethers.ZeroAddress, 0, ethers.ZeroAddress]),
      ).to.be.revertedWithCustomError(factory, "MemberZeroGovernance");
    });

    it("cannot be deployed through Ignition without an explicit governance parameter", async function () {
      let failure = "";
      try {
        await ignition.deploy(RegistryModule, { parameters: { Registry: {} } });
      } catch (e) {
        failure = String(e);
      }
      expect(failure).to.match(/governance/);
    });
  });

  describe("admitMember", function () {
    it("emits MemberAdmitted and records the member when the registrar admits a valid GLN", async function () {
      const { registry, registrar, alice } = await loadFixture(fixture);
      const gln = testGLN(7);
      const metadata = ethers.id("alice-profile");
      await expect(registry.connect(registrar).admitMember(alice.address, gln, metadata))
        .to.emit(registry, "MemberAdmitted")
        .withArgs(alice.address, gln, metadata);
      const m = await registry.memberOf(alice.address);
      const now = await time.latest();
      expect(m.gln).to.equal(gln);
      expect(m.status).to.equal(MemberStatus.Active);
      expect(m.metadataHash).to.equal(metadata);
      expect(m.admittedAt).to.equal(now);
      expect(m.statusChangedAt).to.equal(now);
      expect(await registry.memberByGLN(gln)).to.equal(alice.address);
      expect(await registry.isActiveMember(alice.address)).to.equal(true);
    });

    it("accepts a GLN with leading zeros", async function () {
      const { registry, registrar, alice } = await loadFixture(fixture);
      // 0614141000012 is a valid 13-digit GLN with a leading zero.
      await registry.connect(registrar).admitMember(alice.address, 614141000012n, ethers.ZeroHash);
      expect(await registry.memberByGLN(614141000012n)).to.equal(alice.address);
    });

    it("reverts when the caller is not a registrar", async function () {
      const { registry, alice, governance } = await loadFixture(fixture);
      for (const caller of [alice, governance]) {
        await expect(registry.connect(caller).admitMember(alice.address, testGLN(1), ethers.ZeroHash))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, Role.REGISTRAR);
      }
    });

    it("reverts when the account is the zero address", async function () {
      const { registry, registrar } = await loadFixture(fixture);
      await expect(
        registry.connect(registrar).admitMember(ethers.ZeroAddress, testGLN(1), ethers.ZeroHash),
      ).to.be.revertedWithCustomError(registry, "MemberZeroAddress");
    });

    it("reverts when the GLN check digit is wrong, too long or zero", async function () {
      const { registry, registrar, alice } = await loadFixture(fixture);
      const good = testGLN(1);
      const badCheck = good - (good % 10n) + ((good + 1n) % 10n);
      for (const gln of [badCheck, 0n, good * 10n, 12345n * 10n ** 13n]) {
        await expect(registry.connect(registrar).admitMember(alice.address, gln, ethers.ZeroHash))
          .to.be.revertedWithCustomError(registry, "MemberInvalidGLN")
          .withArgs(gln);
      }
      expect(await registry.isActiveMember(alice.address)).to.equal(false);
    });

    it("reverts when the GLN is already registered to another member", async function () {
      const { registry, registrar, alice, bob } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).admitMember(bob.address, testGLN(1), ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "MemberGLNTaken")
        .withArgs(testGLN(1), alice.address);
    });

    it("reverts when the account is already a member, active or suspended", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).admitMember(alice.address, testGLN(2), ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "MemberAlreadyAdmitted")
        .withArgs(alice.address);
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      await expect(registry.connect(registrar).admitMember(alice.address, testGLN(2), ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "MemberAlreadyAdmitted")
        .withArgs(alice.address);
    });
  });

  describe("updateMemberMetadata", function () {
    it("emits MemberMetadataUpdated and stores the new hash", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      const metadata = ethers.id("v2");
      await expect(registry.connect(registrar).updateMemberMetadata(alice.address, metadata))
        .to.emit(registry, "MemberMetadataUpdated")
        .withArgs(alice.address, metadata);
      expect((await registry.memberOf(alice.address)).metadataHash).to.equal(metadata);
    });

    it("reverts when the caller is not a registrar", async function () {
      const { registry, alice } = await loadFixture(withAlice);
      await expect(registry.connect(alice).updateMemberMetadata(alice.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, Role.REGISTRAR);
    });

    it("reverts when the account is not a member", async function () {
      const { registry, registrar, bob } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).updateMemberMetadata(bob.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "MemberNotFound")
        .withArgs(bob.address);
    });
  });

  describe("suspendMember", function () {
    it("emits MemberSuspended and stops the member everywhere while keeping its roles", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      const reason = ethers.id("audit finding 42");
      await expect(registry.connect(registrar).suspendMember(alice.address, reason))
        .to.emit(registry, "MemberSuspended")
        .withArgs(alice.address, reason);
      expect((await registry.memberOf(alice.address)).status).to.equal(MemberStatus.Suspended);
      expect((await registry.memberOf(alice.address)).statusChangedAt).to.equal(await time.latest());
      expect(await registry.isActiveMember(alice.address)).to.equal(false);
      expect(await registry.hasActiveRole(Role.MANUFACTURER, alice.address)).to.equal(false);
      expect(await registry.hasRole(Role.MANUFACTURER, alice.address)).to.equal(true);
    });

    it("reverts when the caller is not a registrar", async function () {
      const { registry, alice } = await loadFixture(withAlice);
      await expect(registry.connect(alice).suspendMember(alice.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, Role.REGISTRAR);
    });

    it("reverts when the account is not a member", async function () {
      const { registry, registrar, bob } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).suspendMember(bob.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "MemberNotFound")
        .withArgs(bob.address);
    });

    it("reverts when the member is already suspended", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      await expect(registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "MemberUnexpectedStatus")
        .withArgs(alice.address, MemberStatus.Suspended);
    });
  });

  describe("reinstateMember", function () {
    it("emits MemberReinstated and makes the member's roles count again", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      await expect(registry.connect(registrar).reinstateMember(alice.address))
        .to.emit(registry, "MemberReinstated")
        .withArgs(alice.address);
      expect((await registry.memberOf(alice.address)).status).to.equal(MemberStatus.Active);
      // The status change is dated (mutation testing, issue 17: deleting this write survived).
      expect((await registry.memberOf(alice.address)).statusChangedAt).to.equal(await time.latest());
      expect(await registry.hasActiveRole(Role.MANUFACTURER, alice.address)).to.equal(true);
    });

    it("reverts when the caller is not a registrar", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      await expect(registry.connect(alice).reinstateMember(alice.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, Role.REGISTRAR);
    });

    it("reverts when the account is not a member", async function () {
      const { registry, registrar, bob } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).reinstateMember(bob.address))
        .to.be.revertedWithCustomError(registry, "MemberNotFound")
        .withArgs(bob.address);
    });

    it("reverts when the member is active", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).reinstateMember(alice.address))
        .to.be.revertedWithCustomError(registry, "MemberUnexpectedStatus")
        .withArgs(alice.address, MemberStatus.Active);
    });
  });

  describe("setEndpoint / endpointOf", function () {
    const VERIFICATION = ethers.id("gs1:verificationService");

    it("emits MemberEndpointSet and publishes the member's own endpoint per link type", async function () {
      const { registry, alice, bob } = await loadFixture(withAlice);
      await expect(registry.connect(alice).setEndpoint(VERIFICATION, "https://verify.alice.example"))
        .to.emit(registry, "MemberEndpointSet")
        .withArgs(alice.address, VERIFICATION, "https://verify.alice.example");
      expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal("https://verify.alice.example");
      expect(await registry.endpointOf(alice.address, ethers.id("gs1:pip"))).to.equal("");
      expect(await registry.endpointOf(bob.address, VERIFICATION)).to.equal("");
    });

    it("replaces the endpoint, and an empty URL withdraws it", async function () {
      const { registry, alice } = await loadFixture(withAlice);
      await registry.connect(alice).setEndpoint(VERIFICATION, "http://127.0.0.1:8080");
      await registry.connect(alice).setEndpoint(VERIFICATION, "https://new.example/v1");
      expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal("https://new.example/v1");
      await expect(registry.connect(alice).setEndpoint(VERIFICATION, ""))
        .to.emit(registry, "MemberEndpointSet")
        .withArgs(alice.address, VERIFICATION, "");
      expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal("");
    });

    it("reverts when the caller is not a member", async function () {
      const { registry, bob } = await loadFixture(withAlice);
      await expect(registry.connect(bob).setEndpoint(VERIFICATION, "https://x.example"))
        .to.be.revertedWithCustomError(registry, "MemberNotFound")
        .withArgs(bob.address);
    });

    it("reverts when the member is suspended, and keeps the endpoint it had", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await registry.connect(alice).setEndpoint(VERIFICATION, "https://verify.alice.example");
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      await expect(registry.connect(alice).setEndpoint(VERIFICATION, "https://evil.example"))
        .to.be.revertedWithCustomError(registry, "MemberUnexpectedStatus")
        .withArgs(alice.address, MemberStatus.Suspended);
      expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal("https://verify.alice.example");
    });

    it("reverts when the URL is longer than 256 bytes", async function () {
      const { registry, alice } = await loadFixture(withAlice);
      const long = "https://" + "a".repeat(249);
      await expect(registry.connect(alice).setEndpoint(VERIFICATION, long))
        .to.be.revertedWithCustomError(registry, "MemberEndpointTooLong")
        .withArgs(257, 256);
      await registry.connect(alice).setEndpoint(VERIFICATION, long.slice(0, 256));
      expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal(long.slice(0, 256));
    });

    it("reverts when the URL is not http(s), has an upper-case scheme or no host", async function () {
      const { registry, alice } = await loadFixture(withAlice);
      for (const url of ["ftp://x.example", "HTTPS://x.example", "javascript:alert(1)", "https://", "http://", "x"]) {
        await expect(registry.connect(alice).setEndpoint(VERIFICATION, url)).to.be.revertedWithCustomError(
          registry,
          "MemberEndpointNotHttp",
        );
      }
      expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal("");
    });

    it("accepts the shortest URLs: a scheme and a one-character host", async function () {
      const { registry, alice } = await loadFixture(withAlice);
      for (const url of ["https://a", "http://a"]) {
        await registry.connect(alice).setEndpoint(VERIFICATION, url);
        expect(await registry.endpointOf(alice.address, VERIFICATION)).to.equal(url);
      }
    });
  });

  describe("grantRole / revokeRole", function () {
    it("lets the registrar grant and revoke a domain role of a member, with AccessControl events", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await expect(registry.connect(registrar).grantRole(Role.REGULATOR, alice.address))
        .to.emit(registry, "RoleGranted")
        .withArgs(Role.REGULATOR, alice.address, registrar.address);
      expect(await registry.hasActiveRole(Role.REGULATOR, alice.address)).to.equal(true);
      await expect(registry.connect(registrar).revokeRole(Role.REGULATOR, alice.address))
        .to.emit(registry, "RoleRevoked")
        .withArgs(Role.REGULATOR, alice.address, registrar.address);
      expect(await registry.hasActiveRole(Role.REGULATOR, alice.address)).to.equal(false);
    });

    it("lets the registrar grant a role to a suspended member, which counts only once reinstated", async function () {
      const { registry, registrar, alice } = await loadFixture(withAlice);
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      await registry.connect(registrar).grantRole(Role.WHOLESALER, alice.address);
      expect(await registry.hasActiveRole(Role.WHOLESALER, alice.address)).to.equal(false);
      await registry.connect(registrar).reinstateMember(alice.address);
      expect(await registry.hasActiveRole(Role.WHOLESALER, alice.address)).to.equal(true);
    });

    it("lets governance appoint and remove registrars, who need not be members", async function () {
      const { registry, governance, bob } = await loadFixture(fixture);
      await expect(registry.connect(governance).grantRole(Role.REGISTRAR, bob.address))
        .to.emit(registry, "RoleGranted")
        .withArgs(Role.REGISTRAR, bob.address, governance.address);
      await registry.connect(governance).revokeRole(Role.REGISTRAR, bob.address);
      expect(await registry.hasRole(Role.REGISTRAR, bob.address)).to.equal(false);
    });

    it("reverts when a domain role is granted to an address that is not a member", async function () {
      const { registry, registrar, bob } = await loadFixture(fixture);
      await expect(registry.connect(registrar).grantRole(Role.DISPENSER, bob.address))
        .to.be.revertedWithCustomError(registry, "MemberNotFound")
        .withArgs(bob.address);
    });

    it("reverts when the role is not a Carechain role", async function () {
      const { registry, governance, bob } = await loadFixture(fixture);
      const unknown = ethers.id("SUPERUSER_ROLE");
      // Unknown roles are administered by DEFAULT_ADMIN_ROLE, so only governance gets this far.
      await expect(registry.connect(governance).grantRole(unknown, bob.address))
        .to.be.revertedWithCustomError(registry, "MemberUnknownRole")
        .withArgs(unknown);
    });

    it("reverts when the caller is not the role's admin", async function () {
      const { registry, registrar, alice, governance } = await loadFixture(withAlice);
      await expect(registry.connect(alice).grantRole(Role.DISPENSER, alice.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, Role.REGISTRAR);
      // Governance administers registrars, not domain roles: the registrar does that.
      await expect(registry.connect(governance).grantRole(Role.DISPENSER, alice.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(governance.address, Role.REGISTRAR);
      await expect(registry.connect(registrar).grantRole(Role.REGISTRAR, alice.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(registrar.address, await registry.DEFAULT_ADMIN_ROLE());
      await expect(registry.connect(alice).revokeRole(Role.MANUFACTURER, alice.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, Role.REGISTRAR);
    });

    it("refuses to grant DEFAULT_ADMIN_ROLE directly: governance changes hands only in two steps", async function () {
      const { registry, governance, bob } = await loadFixture(fixture);
      await expect(
        registry.connect(governance).grantRole(await registry.DEFAULT_ADMIN_ROLE(), bob.address),
      ).to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules");
    });

    it("hands governance over only after the delay", async function () {
      const { registry, governance, bob } = await loadFixture(fixture);
      await registry.connect(governance).beginDefaultAdminTransfer(bob.address);
      await expect(registry.connect(bob).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
        registry,
        "AccessControlEnforcedDefaultAdminDelay",
      );
      await time.increase(86401);
      await registry.connect(bob).acceptDefaultAdminTransfer();
      expect(await registry.defaultAdmin()).to.equal(bob.address);
    });
  });

  describe("views", function () {
    it("answers hasActiveRole for non-members, wrong roles, suspended and active members", async function () {
      const { registry, registrar, alice, bob } = await loadFixture(withAlice);
      expect(await registry.hasActiveRole(Role.MANUFACTURER, bob.address)).to.equal(false);
      expect(await registry.hasActiveRole(Role.DISPENSER, alice.address)).to.equal(false);
      expect(await registry.hasActiveRole(Role.MANUFACTURER, alice.address)).to.equal(true);
      await registry.connect(registrar).suspendMember(alice.address, ethers.ZeroHash);
      expect(await registry.hasActiveRole(Role.MANUFACTURER, alice.address)).to.equal(false);
    });

    it("returns an empty member and no GLN holder for unknown accounts", async function () {
      const { registry, bob } = await loadFixture(fixture);
      const m = await registry.memberOf(bob.address);
      expect(m.status).to.equal(MemberStatus.None);
      expect(m.gln).to.equal(0n);
      expect(await registry.memberByGLN(testGLN(99))).to.equal(ethers.ZeroAddress);
    });

    it("tells the domain roles from the others", async function () {
      const { registry } = await loadFixture(fixture);
      for (const role of DOMAIN_ROLES) expect(await registry.isDomainRole(Role[role])).to.equal(true);
      expect(await registry.isDomainRole(Role.REGISTRAR)).to.equal(false);
      expect(await registry.isDomainRole(ethers.ZeroHash)).to.equal(false);
    });

    it("supports the AccessControl interfaces", async function () {
      const { registry } = await loadFixture(fixture);
      expect(await registry.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await registry.supportsInterface("0x31498786")).to.equal(true); // IAccessControlDefaultAdminRules
    });
  });
});
