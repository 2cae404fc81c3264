import { expect } from "chai";
import { id as labelHash } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SupplyClient, UnitCheck, shipmentIdOf } from "../../../src/supply";
import { formatBracketed, formatDigitalLink, formatRaw, gs1DateOfExpiry } from "../../../src/gs1";
import { GTIN, LOT, stockedFixture } from "../../supply/fixture";

describe("SupplyClient (src/supply/client.ts)", function () {
  async function clientFixture() {
    const f = await loadFixture(stockedFixture);
    const address = await f.supply.getAddress();
    const pack = (i: number) => ({
      gtin: GTIN.toString().padStart(14, "0"),
      serial: f.tree.serials[i],
      lot: LOT,
      expiry: gs1DateOfExpiry(f.tree.lot.expiry),
    });
    return { ...f, address, pack, asPharmacy: new SupplyClient(address, f.pharmacy) };
  }

  it("verifies a pack from each scan form", async function () {
    const { asPharmacy, tree, pharmacy, pack } = await clientFixture();
    for (const code of [formatBracketed(pack(3)), formatRaw(pack(3)), formatDigitalLink(pack(3))]) {
      const v = await asPharmacy.verifyPack(code, tree, pharmacy.address);
      expect(v.answer).to.equal(UnitCheck.Genuine);
      expect(v.answerName).to.equal("Genuine");
      expect(v.unit.index).to.equal(3);
    }
  });

  it("answers UnknownSerial for a serial outside the lot's tree", async function () {
    const { asPharmacy, tree, pack } = await clientFixture();
    const v = await asPharmacy.verifyPack(formatBracketed({ ...pack(3), serial: "FAKE" }), tree);
    expect(v.answer).to.equal(UnitCheck.UnknownSerial);
    expect(v.proof).to.deep.equal([]);
  });

  it("dispenses, answers its own double scan without a transaction, reports another's duplicate, and rebuilds provenance", async function () {
    const { asPharmacy, tree, pack, lotId, supply, wholesaler, pharmacy } = await clientFixture();
    const first = await asPharmacy.dispense(formatRaw(pack(8)), tree);
    expect(first.answer).to.equal(UnitCheck.Genuine);
    const second = await asPharmacy.dispense(formatRaw(pack(8)), tree);
    expect(second.answer).to.equal(UnitCheck.AlreadyDecommissionedByYou);
    expect(second.answerName).to.equal("AlreadyDecommissionedByYou");
    expect(second.receipt).to.equal(undefined);
    expect(await supply.isDecommissioned(lotId, 8)).to.equal(true);
    await supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), 3);
    const duplicate = await asPharmacy.dispense(formatRaw(pack(9)), tree);
    expect(duplicate.answer).to.equal(UnitCheck.AlreadyDecommissioned);
    expect((await asPharmacy.verifyPack(formatRaw(pack(9)), tree, pharmacy.address)).answer).to.equal(
      UnitCheck.AlreadyDecommissioned,
    );
    const history = await asPharmacy.provenance(lotId);
    expect(history.map((h) => h.event)).to.deep.equal([
      "LotCommissioned",
      "ShipmentSent",
      "ShipmentReceived",
      "ShipmentSent",
      "ShipmentReceived",
      "UnitDecommissioned",
      "UnitDecommissioned",
      "SuspectPackAlert",
      "LotQuarantined",
    ]);
    expect(history[5].details.reason).to.equal("Dispensed");
    expect(history[7].details.answer).to.equal("AlreadyDecommissioned");
    expect(history[8].details.origin).to.equal("DuplicateAlert");
  });

  it("recognises from the events a pack the signer dispensed longer ago than the contract remembers", async function () {
    const { asPharmacy, tree, pack, pharmacy, supply, lotId } = await clientFixture();
    for (const i of [1, 2, 3, 4, 5, 6, 7]) await asPharmacy.dispense(formatRaw(pack(i)), tree);
    // On chain, unit 1 is no longer among the pharmacy's five latest: a raw dispense would alert.
    expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(1), tree.proof(1))).to.equal(
      UnitCheck.AlreadyDecommissioned,
    );
    const v = await asPharmacy.verifyPack(formatRaw(pack(1)), tree, pharmacy.address);
    expect(v.answer).to.equal(UnitCheck.AlreadyDecommissionedByYou);
    const again = await asPharmacy.dispense(formatRaw(pack(1)), tree);
    expect(again.answer).to.equal(UnitCheck.AlreadyDecommissionedByYou);
    expect(again.receipt).to.equal(undefined);
    expect(await asPharmacy.decommissionedBy(lotId, 1)).to.equal(pharmacy.address);
    expect(await asPharmacy.decommissionedBy(lotId, 0)).to.equal(undefined);
  });

  it("cancels a shipment whose recipient was suspended", async function () {
    const { supply, address, wholesaler, pharmacy, registry, registrar, lotId } = await clientFixture();
    const hash = labelHash("w->p stranded");
    await supply.connect(wholesaler).ship(lotId, pharmacy.address, 4, hash);
    await registry.connect(registrar).suspendMember(pharmacy.address, hash);
    const id = shipmentIdOf(lotId, wholesaler.address, pharmacy.address, 4, hash);
    await new SupplyClient(address, wholesaler).cancelShipment(id, labelHash("back to stock"));
    expect(await supply.isInTransit(id)).to.equal(false);
    expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(30);
    const history = await new SupplyClient(address, wholesaler).provenance(lotId);
    expect(history.at(-1)?.event).to.equal("ShipmentCancelled");
  });

  it("finds and receives or rejects a shipment by its id", async function () {
    const { supply, address, wholesaler, pharmacy, lotId } = await clientFixture();
    const hash = labelHash("w->p 2");
    await supply.connect(wholesaler).ship(lotId, pharmacy.address, 4, hash);
    const id = shipmentIdOf(lotId, wholesaler.address, pharmacy.address, 4, hash);
    const client = new SupplyClient(address, pharmacy);
    const pending = await client.shipmentsTo(pharmacy.address, lotId);
    expect(pending.filter((s) => s.inTransit).map((s) => s.shipmentId)).to.deep.equal([id]);
    await client.closeShipment(id, labelHash("recv"), true);
    expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(30);
    await expect(client.closeShipment(id, labelHash("recv"))).to.be.revertedWithCustomError(
      supply,
      "ShipmentNotInTransit",
    );
  });
});
