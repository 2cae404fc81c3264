/**
 * Readable errors: describeError decodes every custom error of Carechain's ABIs by default, with
 * role names (never a 32-byte role hash), enum names, GTINs with leading zeros and UTC dates; and
 * explainError says "member is suspended" when that is why an account was refused.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Interface } from "ethers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import { carechainErrorFragments } from "../../scripts/lib/errorFragments";
import { CARECHAIN_ERRORS } from "../../src/errors.generated";
import { CARECHAIN_ERRORS_INTERFACE, describeError, enumMirrorOf, explainError } from "../../src/errors";
import { Role, TimelockRole } from "../../src/roles";
import { MemberStatus } from "../../src/enums";
import { LotStatus, lotStatusSet } from "../../src/supply/enums";
import type { SupplyChain } from "../../typechain-types";

const ROLE_HASHES = Object.values(Role).map((h) => h.toLowerCase());

/** A plausible value for an error argument. */
function sample(input: { name: string; type: string; internalType: string }): unknown {
  if (input.internalType.startsWith("enum ")) return 1;
  if (input.type === "address") return "0x" + "ab".repeat(20);
  if (input.type === "bytes32") return /role/i.test(input.name) ? Role.DISPENSER : ethers.id(input.name);
  if (input.type === "bool") return true;
  if (input.type === "string") return "LOT-1";
  if (input.type === "bytes") return "0x1234";
  if (input.type === "bytes32[]") return [Role.DISPENSER, Role.WHOLESALER];
  if (input.type.startsWith("bytes")) return "0x" + "01".repeat(Number(input.type.slice(5)));
  if (/gtin/i.test(input.name)) return 312345678906n;
  if (/^uint(8|16|32)$/.test(input.type)) return 7n;
  if (input.type.startsWith("uint")) return 1796083200n;
  throw new Error(`no sample for ${input.type}`);
}

function revert(name: string, args: unknown[]): { data: string } {
  return { data: CARECHAIN_ERRORS_INTERFACE.encodeErrorResult(name, args) };
}

describe("SDK errors: describeError decodes every Carechain custom error", function () {
  it("knows every custom error of the compiled ABIs (src/errors.generated.ts is current)", function () {
    expect(JSON.parse(JSON.stringify(CARECHAIN_ERRORS))).to.deep.equal(carechainErrorFragments());
    expect(CARECHAIN_ERRORS.length).to.be.greaterThan(100);
  });

  it("has an SDK enum mirror for every enum an error carries", function () {
    for (const e of CARECHAIN_ERRORS) {
      for (const i of e.inputs) {
        if (i.internalType.startsWith("enum "))
          expect(enumMirrorOf(i.internalType), `${e.name}.${i.name}`).to.not.equal(undefined);
      }
    }
  });

  for (const e of CARECHAIN_ERRORS) {
    it(`${e.name}: a sentence without a raw role hash or enum number`, function () {
      const args = e.inputs.map((i) => sample(i));
      const text = describeError(revert(e.name, args));
      expect(text.startsWith(`${e.name}: `), text).to.equal(true);
      for (const hash of ROLE_HASHES) expect(text.toLowerCase(), text).to.not.contain(hash.slice(2));
      expect(text, text).to.not.match(/an unknown role|unknown [A-Z]\w+ \d/);
      for (const [i, input] of e.inputs.entries()) {
        if (/role/i.test(input.name) && input.type === "bytes32") expect(text, text).to.contain("DISPENSER");
        if (input.internalType.startsWith("enum ")) {
          expect(text.toLowerCase(), text).to.contain(String(enumMirrorOf(input.internalType)![1]).toLowerCase());
        }
        if (
          /^uint(40|48|64|256)$/.test(input.type) &&
          args[i] === 1796083200n &&
          /until|deadline|expiry|From|endsAt|recordDate|nowSeconds/.test(input.name)
        ) {
          expect(text, text).to.contain("2026-12-01 00:00 UTC");
        }
      }
    });
  }

  it("renders enums, GTINs and dates as people read them", function () {
    const lot = ethers.id("lot");
    expect(
      describeError(
        revert("LotUnexpectedStatus", [lot, LotStatus.Recalled, lotStatusSet(LotStatus.Active, LotStatus.Quarantined)]),
      ),
    ).to.equal(`LotUnexpectedStatus: lot ${lot} is recalled; the action needs it active or quarantined`);
    expect(
      describeError(revert("MemberGatedUnauthorizedAny", [lot.slice(0, 42), [Role.DISPENSER, Role.WHOLESALER]])),
    ).to.equal(
      `MemberGatedUnauthorizedAny: ${ethers.getAddress(lot.slice(0, 42))} is not an active member holding the DISPENSER or WHOLESALER role`,
    );
    expect(describeError(revert("ProductUnknown", [312345678906n]))).to.equal(
      "ProductUnknown: product GTIN 00312345678906 is not registered",
    );
    expect(describeError(revert("SignatureExpired", [1796083200n]))).to.equal(
      "SignatureExpired: the signature expired at 2026-12-01 00:00 UTC",
    );
    expect(describeError(revert("MemberUnexpectedStatus", ["0x" + "ab".repeat(20), MemberStatus.Suspended]))).to.equal(
      `MemberUnexpectedStatus: member ${ethers.getAddress("0x" + "ab".repeat(20))} is suspended`,
    );
  });

  it("names the governance timelock's roles (the errors gov:* prints)", function () {
    const account = "0x" + "ab".repeat(20);
    for (const [name, role] of Object.entries(TimelockRole)) {
      const text = describeError(revert("AccessControlUnauthorizedAccount", [account, role]));
      expect(text, text).to.contain(`the timelock's ${name}`);
      expect(text, text).to.not.contain(role.slice(2, 10));
    }
  });

  it("keeps the compact form for callers that pass ABIs", function () {
    const iface = new Interface(["error LotUnknown(bytes32 lotId)"]);
    const lot = ethers.id("lot");
    expect(describeError({ data: iface.encodeErrorResult("LotUnknown", [lot]) }, [iface])).to.equal(
      `LotUnknown(${lot})`,
    );
  });

  it("says a refused member is suspended, from the registry (explainError)", async function () {
    const c = await loadFixture(deployConsortiumFixture);
    const supply = c.deployed.supply as unknown as SupplyChain;
    await c.registry.connect(c.registrar).suspendMember(c.manufacturer.address, ethers.id("audit"));
    const error = await supply
      .connect(c.manufacturer)
      .registerProduct(312345678906n, ethers.id("m"))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error, "accepted").to.not.equal(undefined);
    expect(describeError(error)).to.equal(
      `MemberGatedUnauthorized: ${c.manufacturer.address} is not an active member holding the MANUFACTURER role`,
    );
    expect(await explainError(error, { registry: await c.registry.getAddress(), runner: ethers.provider })).to.equal(
      `MemberGatedUnauthorized: member ${c.manufacturer.address} is suspended`,
    );
  });
});
