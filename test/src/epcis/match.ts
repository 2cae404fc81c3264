import { expect } from "chai";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import schema from "../../../src/epcis/schema/EPCIS-JSON-Schema.json";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  documentToXml,
  epcisDocument,
  eventHashBytes32,
  fetchAnchoredSteps,
  hashEpcisDocument,
  matchEpcisDocument,
  provenanceAsEpcis,
  receivingEvent,
  shippingEvent,
  type EpcisEvent,
} from "../../../src/epcis";
import { GTIN, LOT, supplyFixture } from "../../supply/fixture";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runTaskCapturing } from "../../helpers/tasks";

/** Keys reversed at every level: another system's serialisation of the same events. */
function shuffled(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].reverse().map(shuffled);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, shuffled(v)]),
    );
  return value;
}

describe("Matching EPCIS documents to the chain (src/epcis/match.ts)", function () {
  /** Two shipments manufacturer → wholesaler, one received, anchored with eventHashBytes32 of SDK events. */
  async function anchoredFixture() {
    const f = await loadFixture(supplyFixture);
    const { supply, registry, lotId, manufacturer, wholesaler } = f;
    const glnOf = async (a: string) => (await registry.memberOf(a)).gln;
    const [m, w] = [await glnOf(manufacturer.address), await glnOf(wholesaler.address)];
    const at = BigInt(await time.latest());
    const common = { gtin: GTIN, lot: LOT, fromGln: m, toGln: w, companyPrefixLength: 6 };
    const ship1 = shippingEvent({ ...common, quantity: 50, eventTime: at });
    const ship2 = shippingEvent({ ...common, quantity: 20, eventTime: at + 60n });
    const recv1 = receivingEvent({ ...common, quantity: 50, eventTime: at + 120n });
    await supply.connect(manufacturer).ship(lotId, wholesaler.address, 50, eventHashBytes32(ship1));
    await supply.connect(manufacturer).ship(lotId, wholesaler.address, 20, eventHashBytes32(ship2));
    await supply
      .connect(wholesaler)
      .receiveShipment(lotId, manufacturer.address, 50, eventHashBytes32(ship1), eventHashBytes32(recv1));
    const steps = await fetchAnchoredSteps(ethers.provider, await supply.getAddress(), {
      pageSize: 3,
      timestamps: true,
    });
    return {
      ...f,
      m,
      w,
      ship1,
      ship2,
      recv1,
      steps,
      glnByAddress: { [manufacturer.address]: m, [wholesaler.address]: w },
    };
  }

  it("pages eth_getLogs over the anchoring events (commissioning, shipments, receipt)", async function () {
    const { steps, lotId, ship1, ship2, recv1 } = await anchoredFixture();
    expect(steps.map((s) => s.event)).to.deep.equal([
      "LotCommissioned",
      "ShipmentSent",
      "ShipmentSent",
      "ShipmentReceived",
    ]);
    expect(steps.every((s) => s.lotId === lotId.toLowerCase())).to.equal(true);
    expect(steps.slice(1).map((s) => s.hash)).to.deep.equal([ship1, ship2, recv1].map((e) => eventHashBytes32(e)));
    expect(steps.every((s) => typeof s.timestamp === "number" && s.timestamp > 0)).to.equal(true);
  });

  it("anchors the SDK's document, the same events with keys shuffled, as EPCIS 2.0 XML and as EPCIS 1.2 XML to the same steps", async function () {
    const { steps, ship1, ship2, recv1 } = await anchoredFixture();
    const doc = epcisDocument([ship1, ship2, recv1]);
    const serialisations: (string | Record<string, unknown>)[] = [
      doc as unknown as Record<string, unknown>,
      JSON.stringify(shuffled(doc), null, 1),
      documentToXml(doc, "2.0"),
      documentToXml(doc, "1.2"),
    ];
    const outcomes = serialisations.map((d) => matchEpcisDocument(d, steps));
    // The shuffled copy also lists the events in reverse: compare the sets of anchored steps.
    const anchoredSteps = (o: (typeof outcomes)[number]) =>
      o.matched.flatMap((x) => x.steps.map((s) => `${s.event}@${s.transactionHash}`)).sort();
    for (const o of outcomes) {
      expect(anchoredSteps(o)).to.deep.equal(anchoredSteps(outcomes[0]));
      expect(o.matched).to.have.length(3);
      expect(o.unanchored).to.have.length(0);
      // The lot's commissioning step anchors an event this document does not hold.
      expect(o.missing.map((s) => s.event)).to.deep.equal(["LotCommissioned"]);
    }
    expect(outcomes[0].matched[2].steps[0].event).to.equal("ShipmentReceived");
  });

  it("reports an event that anchors nothing and the on-chain steps whose event is missing", async function () {
    const { steps, ship1, recv1, m, w } = await anchoredFixture();
    const stray: EpcisEvent = shippingEvent({
      gtin: GTIN,
      lot: LOT,
      fromGln: m,
      toGln: w,
      quantity: 49,
      eventTime: 1n,
    });
    const o = matchEpcisDocument(documentToXml(epcisDocument([ship1, stray])), steps);
    expect(o.matched.map((x) => x.event.index)).to.deep.equal([0]);
    expect(o.unanchored.map((x) => x.bytes32)).to.deep.equal([eventHashBytes32(stray)]);
    expect(o.missing.map((s) => s.event)).to.deep.equal(["LotCommissioned", "ShipmentSent", "ShipmentReceived"]);
    expect(o.missing[2].hash).to.equal(eventHashBytes32(recv1));
  });

  it("exports the lot's provenance as one EPCIS 2.0 document: own events where anchored, rebuilt from the chain otherwise", async function () {
    const { steps, ship1, recv1, glnByAddress } = await anchoredFixture();
    const p = provenanceAsEpcis({
      gtin: GTIN,
      lot: LOT,
      steps,
      own: [ship1, recv1],
      glnOf: (a) => glnByAddress[ethers.getAddress(a)],
      companyPrefixLength: 6,
    });
    expect({ anchored: p.anchored, rebuilt: p.rebuilt, unanchored: p.unanchored }).to.deep.equal({
      anchored: 2,
      rebuilt: 2,
      unanchored: 0,
    });
    const events = p.document.epcisBody.eventList;
    expect(events.map((e) => e.bizStep)).to.have.members(["commissioning", "shipping", "shipping", "receiving"]);
    const rebuiltShip = events.find((e) => e["carechain:anchor"] && e.bizStep === "shipping")!;
    expect(rebuiltShip.quantityList).to.deep.equal([
      { epcClass: "urn:epc:class:lgtin:950600.0013435.L-2026-01", quantity: 20 },
    ]);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(p.document), JSON.stringify(validate.errors)).to.equal(true);
    // Re-reading the exported document matches the chain: the own events anchor, the rebuilt ones are marked.
    const o = matchEpcisDocument(JSON.stringify(p.document), steps);
    expect(o.matched).to.have.length(2);
    expect(hashEpcisDocument(JSON.stringify(p.document))).to.have.length(4);
  });

  describe("task supply:match-epcis", function () {
    it("reports anchored events of an XML document, the unanchored one and the missing steps (exit code 2)", async function () {
      const { supply, ship1, recv1, m, w } = await anchoredFixture();
      const stray = shippingEvent({ gtin: GTIN, lot: LOT, fromGln: m, toGln: w, quantity: 49, eventTime: 1n });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "epcis-")), "partner.xml");
      fs.writeFileSync(file, documentToXml(epcisDocument([ship1, recv1, stray]), "1.2"));
      const { lines, exitCode } = await runTaskCapturing("supply:match-epcis", {
        file,
        address: await supply.getAddress(),
        pageSize: 2,
      });
      const out = lines.join("\n");
      expect(out).to.include("3 events, 4 anchoring steps scanned");
      expect(out.match(/ anchored /g)).to.have.length(2);
      expect(out).to.include("-> ShipmentSent").and.include("-> ShipmentReceived");
      expect(out).to.include(
        `NOT ANCHORED  #2 ObjectEvent ni:///sha-256;${eventHashBytes32(stray).slice(2)}?ver=CBV2.0`,
      );
      expect(out)
        .to.include("MISSING FROM DOCUMENT  LotCommissioned")
        .and.include("MISSING FROM DOCUMENT  ShipmentSent");
      expect(Number(exitCode)).to.equal(2);
    });

    it("refuses a file that is not an EPCIS document in one line", async function () {
      const { supply } = await anchoredFixture();
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "epcis-")), "x.json");
      fs.writeFileSync(file, '{"hello": 1}');
      const { lines, exitCode } = await runTaskCapturing("supply:match-epcis", {
        file,
        address: await supply.getAddress(),
      });
      expect(lines.join("\n")).to.include("Error: --file").and.include("no epcisBody");
      expect(Number(exitCode)).to.equal(1);
    });
  });
});
