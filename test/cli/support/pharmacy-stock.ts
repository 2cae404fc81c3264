/**
 * A pharmacy holding 5 packs of lot T1 (10 serials SN01…SN10, tree file written for --tree), on the
 * network of the running Hardhat runtime: shared by test/cli/dispense-confirm.tasks.ts and the real
 * terminal run (test/cli/support/dispense-at-terminal.ts). No side effect when loaded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { deployConsortiumFixture } from "../../helpers/fixtures";
import { SerialTree, lotIdOf } from "../../../src/supply";
import { expiryTimestamp } from "../../../src/gs1/elementString";
import { saveSerialTree } from "../../../src/node/serialTreeFile";
import type { SupplyChain } from "../../../typechain-types";

export const GTIN = "09506000134352";
export const LOT = "T1";
export const EXPIRY = "301231";

export async function pharmacyWithStock() {
  const f = await deployConsortiumFixture();
  const supply = f.deployed.supply as unknown as SupplyChain;
  const serials = Array.from({ length: 10 }, (_, i) => `SN${String(i + 1).padStart(2, "0")}`);
  const expiry = expiryTimestamp(EXPIRY);
  const tree = SerialTree.build({ gtin: BigInt(GTIN), lotNumber: LOT, expiry }, serials);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dispense-confirm-"));
  const treeFile = path.join(dir, "tree.json");
  saveSerialTree(tree, treeFile);
  const m = supply.connect(f.manufacturer);
  await m.registerProduct(GTIN, ethers.id("leaflet"));
  await m.commissionLot(GTIN, LOT, expiry, serials.length, tree.root, ethers.ZeroHash);
  const lotId = lotIdOf(GTIN, LOT);
  const shipped = ethers.id("shipping event");
  await m.ship(lotId, f.pharmacy.address, 5, shipped);
  await supply
    .connect(f.pharmacy)
    .receiveShipment(lotId, f.manufacturer.address, 5, shipped, ethers.id("receiving event"));
  return { ...f, supply, address: await supply.getAddress(), lotId, treeFile };
}
