import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SupplyClient, UnitCheck, epcisEventHash, shipmentIdOf } from "../../../src/supply";
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

  it("dispenses, then reports the duplicate, and rebuilds provenance from indexed events", async function () {
    const { asPharmacy, tree, pack, lotId, supply } = await clientFixture();
    const first = await asPharmacy.dispense(formatRaw(pack(8)), tree);
    expect(first.answer).to.equal(UnitCheck.Genuine);
    const second = await asPharmacy.dispense(formatRaw(pack(8)), tree);
    expect(second.answer).to.equal(UnitCheck.AlreadyDecommissioned);
    expect(await supply.isDecommissioned(lotId, 8)).to.equal(true);
    const history = await asPharmacy.provenance(lotId);
    expect(history.map((h) => h.event)).to.deep.equal([
      "LotCommissioned",
      "ShipmentSent",
      "ShipmentReceived",
      "ShipmentSent",
      "ShipmentReceived",
      "UnitDecommissioned",
      "SuspectPackAlert",
      "LotQuarantined",
    ]);
    expect(history[5].details.reason).to.equal("Dispensed");
    expect(history[6].details.answer).to.equal("AlreadyDecommissioned");
  });

  it("finds and receives or rejects a shipment by its id", async function () {
    const { supply, address, wholesaler, pharmacy, lotId } = await clientFixture();
    const hash = epcisEventHash("w->p 2");
    await supply.connect(wholesaler).ship(lotId, pharmacy.address, 4, hash);
    const id = shipmentIdOf(lotId, wholesaler.address, pharmacy.address, 4, hash);
    const client = new SupplyClient(address, pharmacy);
    const pending = await client.shipmentsTo(pharmacy.address, lotId);
    expect(pending.filter((s) => s.inTransit).map((s) => s.shipmentId)).to.deep.equal([id]);
    await client.closeShipment(id, epcisEventHash("recv"), true);
    expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(30);
    await expect(client.closeShipment(id, epcisEventHash("recv"))).to.be.revertedWithCustomError(
      supply,
      "ShipmentNotInTransit",
    );
  });
});
