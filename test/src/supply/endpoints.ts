import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { supplyFixture, GTIN, LOT } from "../../supply/fixture";
import {
  EndpointNotFoundError,
  LinkType,
  linkTypeKey,
  resolveVerificationEndpoint,
} from "../../../src/supply/endpoints";
import { formatBracketed } from "../../../src/gs1";

describe("SDK endpoint directory (resolveVerificationEndpoint)", function () {
  const gtin14 = GTIN.toString().padStart(14, "0");
  const pack = formatBracketed({ gtin: gtin14, serial: "SN1", lot: LOT, expiry: "301231" });

  it("finds the responder the product's manufacturer published, from a scan or a GTIN", async function () {
    const { supply, manufacturer, registry, pharmacy } = await loadFixture(supplyFixture);
    await registry
      .connect(manufacturer)
      .setEndpoint(linkTypeKey(LinkType.verificationService), "https://verify.acme.example/");
    const address = await supply.getAddress();
    expect(await resolveVerificationEndpoint(pharmacy, address, pack)).to.equal("https://verify.acme.example/");
    expect(await resolveVerificationEndpoint(pharmacy, address, GTIN)).to.equal("https://verify.acme.example/");
    expect(linkTypeKey(LinkType.verificationService)).to.equal(ethers.id("gs1:verificationService"));
  });

  it("names the missing link: unregistered GTIN, nothing published, manufacturer suspended", async function () {
    const { supply, manufacturer, registry, registrar, pharmacy } = await loadFixture(supplyFixture);
    const address = await supply.getAddress();
    const refused = async (what: string | bigint) => {
      try {
        await resolveVerificationEndpoint(pharmacy, address, what);
      } catch (e) {
        expect(e).to.be.instanceOf(EndpointNotFoundError);
        return (e as Error).message;
      }
      throw new Error("resolved");
    };
    expect(await refused(9506000134369n)).to.equal(
      "GTIN 09506000134369 is not registered on chain: the pack cannot be genuine",
    );
    expect(await refused(pack)).to.match(
      new RegExp(`^GTIN ${gtin14}'s manufacturer ${manufacturer.address} has published no verification responder`),
    );
    await registry
      .connect(manufacturer)
      .setEndpoint(linkTypeKey(LinkType.verificationService), "https://verify.acme.example");
    await registry.connect(registrar).suspendMember(manufacturer.address, ethers.ZeroHash);
    expect(await refused(pack)).to.equal(
      `GTIN ${gtin14}'s manufacturer ${manufacturer.address} is not an active member`,
    );
  });
});
