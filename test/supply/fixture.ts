import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import type { SupplyChain } from "../../typechain-types";
import { SerialTree, lotIdOf, sequentialSerials } from "../../src/supply";
import { withCheckDigit } from "../../src/gs1/checkDigit";
import { expiryTimestamp, gs1DateOfExpiry } from "../../src/gs1/elementString";

export const GTIN = BigInt(withCheckDigit("0950600013435"));
export const OTHER_GTIN = BigInt(withCheckDigit("0950600013436"));
export const LOT = "L-2026-01";
export const UNITS = 300; // two bitmap words
export const YEAR = 365n * 86_400n;

/** The consortium, the product registered, a 300-unit lot commissioned by the manufacturer. */
export async function supplyFixture() {
  const f = await deployConsortiumFixture();
  const supply = f.deployed.supply as unknown as SupplyChain;
  await supply.connect(f.manufacturer).registerProduct(GTIN, ethers.id("product"));
  // A real AI (17) expiry: midnight UTC after a printed date about a year ahead.
  const expiry = expiryTimestamp(gs1DateOfExpiry(BigInt(await time.latest()) + YEAR));
  const tree = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry }, sequentialSerials(UNITS));
  await supply.connect(f.manufacturer).commissionLot(GTIN, LOT, expiry, UNITS, tree.root, ethers.id("commission"));
  return { ...f, supply, expiry, tree, lotId: lotIdOf(GTIN, LOT) };
}

/** supplyFixture + 50 units at the wholesaler and 20 at the pharmacy (received). */
export async function stockedFixture() {
  const f = await supplyFixture();
  const { supply, lotId, manufacturer, wholesaler, pharmacy } = f;
  const h1 = ethers.id("ship m->w");
  await supply.connect(manufacturer).ship(lotId, wholesaler.address, 50, h1);
  await supply.connect(wholesaler).receiveShipment(lotId, manufacturer.address, 50, h1, ethers.id("recv w"));
  const h2 = ethers.id("ship w->p");
  await supply.connect(wholesaler).ship(lotId, pharmacy.address, 20, h2);
  await supply.connect(pharmacy).receiveShipment(lotId, wholesaler.address, 20, h2, ethers.id("recv p"));
  return f;
}
