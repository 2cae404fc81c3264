/**
 * Example (a): a lot's journey with ethers v6 — the manufacturer commissions a serialised lot and
 * ships it, the wholesaler receives it and ships on, the pharmacy receives, verifies a scanned
 * pack against the lot's serial tree (saved and loaded with "carechain/node") and dispenses it.
 * Every step is anchored with the hash of its GS1 EPCIS event.
 *
 *   npm run examples -- supply
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { id } from "ethers";
import {
  LotStatus,
  SerialTree,
  UnitCheck,
  commissioningEvent,
  connect,
  eventHashBytes32,
  expiryTimestamp,
  formatRaw,
  gtinToString,
  parseGLN,
  receivingEvent,
  sequentialSerials,
  shippingEvent,
  withCheckDigit,
  type PackIdentity,
} from "carechain";
import { loadSerialTree, saveSerialTree } from "carechain/node";
import { REGISTRAR, runExample } from "./lib/devnet";

const GTIN = BigInt(withCheckDigit("0950600099991"));
const LOT = "EX-LOT-1";
const EXPIRY = "301231"; // AI (17): 31 December 2030
const UNITS = 20;

runExample("supply", async ({ deployment, wallets, provider }) => {
  const [registrar, manufacturer, wholesaler, pharmacy] = [REGISTRAR, 3, 4, 5].map((i) => wallets[i]);
  const gln = { manufacturer: 1, wholesaler: 2, pharmacy: 3 } as const;
  const glnOf = (n: number) => parseGLN(withCheckDigit(String(950600000000 + n)));
  const now = async () => (await provider.getBlock("latest"))!.timestamp;

  // The consortium's registrar admits the three organisations with their roles.
  const operator = connect(deployment, registrar);
  for (const [member, role, n] of [
    [manufacturer, "MANUFACTURER", gln.manufacturer],
    [wholesaler, "WHOLESALER", gln.wholesaler],
    [pharmacy, "DISPENSER", gln.pharmacy],
  ] as const) {
    await operator.registry.admit(member.address, glnOf(n), id(`profile of member ${n}`));
    await operator.registry.grantRole(role, member.address);
  }

  // Each organisation connects with its own wallet.
  const maker = connect(deployment, manufacturer).supply;
  const trader = connect(deployment, wholesaler).supply;
  const counter = connect(deployment, pharmacy).supply;

  // 1. Commission: register the product, build the serial tree of the lot, commit its root.
  await maker.registerProduct(GTIN, id("product master data"));
  const expiry = expiryTimestamp(EXPIRY, new Date("2026-01-01T00:00:00Z"));
  const tree = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry }, sequentialSerials(UNITS, "EX"));
  const lot = { companyPrefixLength: 6, gtin: GTIN, lot: LOT };
  const { lotId } = await maker.commissionLot(
    tree,
    eventHashBytes32(
      commissioningEvent({ ...lot, eventTime: await now(), quantity: UNITS, manufacturerGln: glnOf(gln.manufacturer) }),
    ),
  );

  // 2. Ship 10 units to the wholesaler, who receives them by the shipment id.
  const leg1 = { ...lot, quantity: 10, fromGln: glnOf(gln.manufacturer), toGln: glnOf(gln.wholesaler) };
  const toWholesaler = await maker.ship(
    lotId,
    wholesaler.address,
    10,
    eventHashBytes32(shippingEvent({ ...leg1, eventTime: await now() })),
  );
  await trader.receive(toWholesaler.shipmentId, eventHashBytes32(receivingEvent({ ...leg1, eventTime: await now() })));

  // 3. The wholesaler ships 4 on to the pharmacy, which receives them.
  const leg2 = { ...lot, quantity: 4, fromGln: glnOf(gln.wholesaler), toGln: glnOf(gln.pharmacy) };
  const toPharmacy = await trader.ship(
    lotId,
    pharmacy.address,
    4,
    eventHashBytes32(shippingEvent({ ...leg2, eventTime: await now() })),
  );
  await counter.receive(toPharmacy.shipmentId, eventHashBytes32(receivingEvent({ ...leg2, eventTime: await now() })));

  // The manufacturer hands the lot's serial tree on (a file; in production, its verification
  // responder serves the proofs): the pharmacy proves each pack against the root on chain.
  const treeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "carechain-example-")), "lot.tree.json");
  saveSerialTree(tree, treeFile);
  const proofs = loadSerialTree(treeFile);
  fs.rmSync(path.dirname(treeFile), { recursive: true, force: true });

  // 4. Verify a scanned pack (as a 2D scanner sends it: "]d2" and GS separators) — a free view.
  const pack: PackIdentity = { gtin: gtinToString(GTIN), serial: tree.serials[7], lot: LOT, expiry: EXPIRY };
  const scanned = formatRaw(pack);
  const verified = await counter.verifyPack(scanned, proofs, pharmacy.address);
  assert.equal(verified.answer, UnitCheck.Genuine, `verify answered ${verified.answerName}`);

  // 5. Dispense it: the pack is decommissioned on chain; a second scan is recognised.
  const dispensed = await counter.dispense(scanned, proofs);
  assert.equal(dispensed.answer, UnitCheck.Genuine, `dispense answered ${dispensed.answerName}`);
  assert.equal(await counter.contract.isDecommissioned(lotId, 7), true);
  assert.equal((await counter.verifyPack(scanned, proofs, pharmacy.address)).answerName, "AlreadyDecommissionedByYou");
  assert.equal((await counter.contract.custodyOf(lotId, pharmacy.address)).quantity, 3n);
  assert.equal((await counter.contract.lotOf(lotId)).status, BigInt(LotStatus.Active));

  // The lot's provenance, rebuilt from the contract's events.
  const history = await counter.provenance(lotId);
  assert.deepEqual(
    history.map((h) => h.event),
    ["LotCommissioned", "ShipmentSent", "ShipmentReceived", "ShipmentSent", "ShipmentReceived", "UnitDecommissioned"],
  );
  for (const h of history) console.log(`  block ${h.blockNumber}: ${h.event}`);
});
