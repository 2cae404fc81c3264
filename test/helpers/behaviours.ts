import { expect } from "chai";
import { ethers } from "hardhat";
import type { BaseContract } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MemberRegistry } from "../../typechain-types";
import { DOMAIN_ROLES, Role, RoleName } from "../../src/roles";
import { RESERVED_SIGNERS_FROM, admit } from "./fixtures";

/** What {shouldBehaveLikeMemberGated} needs: a fresh state in which only the caller's membership is wrong. */
export interface MemberGatedCase {
  /** The contract whose ABI declares MemberGatedUnauthorized. */
  contract: BaseContract;
  registry: MemberRegistry;
  registrar: HardhatEthersSigner;
  /** The role the function needs (the one the error reports). */
  role: RoleName;
  /** Other roles the function also accepts; the wrong-role member gets none of them. */
  alsoAccepted?: RoleName[];
  /** Calls the function as `caller`; everything but the caller's membership must be valid. */
  call: (caller: HardhatEthersSigner) => Promise<unknown>;
}

/**
 * Shared behaviour of every member-gated function: a non-member, a suspended member holding the
 * role, and an active member with a wrong role are refused with MemberGatedUnauthorized(caller, role).
 * `setup` must return a fresh state (use loadFixture inside it).
 */
export function shouldBehaveLikeMemberGated(setup: () => Promise<MemberGatedCase>): void {
  describe("member gating", function () {
    async function reserved(): Promise<HardhatEthersSigner[]> {
      return (await ethers.getSigners()).slice(RESERVED_SIGNERS_FROM, RESERVED_SIGNERS_FROM + 3);
    }

    it("reverts for a caller that is not a member", async function () {
      const c = await setup();
      const [nonMember] = await reserved();
      await expect(c.call(nonMember))
        .to.be.revertedWithCustomError(c.contract, "MemberGatedUnauthorized")
        .withArgs(nonMember.address, Role[c.role]);
    });

    it("reverts for a suspended member holding the role", async function () {
      const c = await setup();
      const [, , suspended] = await reserved();
      await admit(c.registry, c.registrar, suspended, 9_029, [c.role, ...(c.alsoAccepted ?? [])]);
      await c.registry.connect(c.registrar).suspendMember(suspended.address, ethers.ZeroHash);
      await expect(c.call(suspended))
        .to.be.revertedWithCustomError(c.contract, "MemberGatedUnauthorized")
        .withArgs(suspended.address, Role[c.role]);
    });

    it("reverts for an active member with a wrong role", async function () {
      const c = await setup();
      const [, wrongRole] = await reserved();
      const accepted = new Set<RoleName>([c.role, ...(c.alsoAccepted ?? [])]);
      const other = DOMAIN_ROLES.filter((r) => !accepted.has(r));
      await admit(c.registry, c.registrar, wrongRole, 9_028, other);
      await expect(c.call(wrongRole))
        .to.be.revertedWithCustomError(c.contract, "MemberGatedUnauthorized")
        .withArgs(wrongRole.address, Role[c.role]);
    });
  });
}
