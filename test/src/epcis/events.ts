import { expect } from "chai";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import schema from "../../../src/epcis/schema/EPCIS-JSON-Schema.json";
import {
  commissioningEvent,
  decommissioningEvent,
  destructionEvent,
  dispensingEvent,
  EPCIS_CONTEXT,
  documentToXml,
  epcisDocument,
  eventHashBytes32,
  eventHashId,
  eventPreHash,
  excursionEvent,
  hashEpcisDocument,
  hashIdToBytes32,
  lgtinURI,
  pglnURI,
  quarantineEvent,
  recallEvent,
  receivingEvent,
  rejectionEvent,
  cancellationEvent,
  releaseEvent,
  sglnURI,
  sgtinURI,
  shippingEvent,
  toCanonicalDigitalLink,
  type EpcisEvent,
} from "../../../src/epcis";

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const GTIN = "09506000134352";
const MAKER = "4000000000013"; // GLNs with company prefix 400000 (6 digits), as the test consortium's
const SHOP = "4000000000020";
const T = 1_767_225_600n; // 2026-01-01T00:00:00Z
const base = { eventTime: T, companyPrefixLength: 6 };
const lot = { gtin: GTIN, lot: "L-2026-01" };

/** One event of every kind the SDK builds. */
const builders: Record<string, () => EpcisEvent> = {
  "commissioning (serials)": () =>
    commissioningEvent({ ...base, ...lot, serials: ["S1", "S2"], manufacturerGln: MAKER }),
  "commissioning (lot)": () => commissioningEvent({ ...base, ...lot, quantity: 300, manufacturerGln: MAKER }),
  shipping: () => shippingEvent({ ...base, ...lot, quantity: 50, fromGln: MAKER, toGln: SHOP }),
  receiving: () => receivingEvent({ ...base, ...lot, quantity: 50, fromGln: MAKER, toGln: SHOP }),
  rejection: () => rejectionEvent({ ...base, ...lot, quantity: 50, fromGln: MAKER, toGln: SHOP }),
  cancellation: () => cancellationEvent({ ...base, ...lot, quantity: 50, fromGln: MAKER, toGln: SHOP }),
  dispensing: () => dispensingEvent({ ...base, gtin: GTIN, serial: "S1", actorGln: SHOP }),
  decommissioning: () => decommissioningEvent({ ...base, gtin: GTIN, serial: "S1", actorGln: SHOP, reason: "Sample" }),
  "destruction (pack)": () =>
    decommissioningEvent({ ...base, gtin: GTIN, serial: "S2", actorGln: SHOP, reason: "Destroyed" }),
  "destruction (lot)": () => destructionEvent({ ...base, ...lot, actorGln: MAKER }),
  recall: () => recallEvent({ ...base, ...lot, actorGln: MAKER }),
  quarantine: () => quarantineEvent({ ...base, ...lot, actorGln: MAKER }),
  release: () => releaseEvent({ ...base, ...lot, actorGln: MAKER }),
  "cold-chain excursion (no report)": () => excursionEvent({ ...base, ...lot, actorGln: SHOP }),
  "cold-chain excursion (sensor report)": () =>
    excursionEvent({
      ...base,
      ...lot,
      actorGln: SHOP,
      sensor: {
        deviceID: "urn:epc:id:giai:400000.LOGGER7",
        readings: [
          { time: T - 600n, value: 9.4 },
          { time: T, minValue: 2.1, maxValue: 11.8, uom: "CEL" },
        ],
      },
    }),
};

/** Same object, keys in reverse order at every level. */
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

describe("EPCIS events (src/epcis/events.ts)", function () {
  for (const [name, build] of Object.entries(builders)) {
    describe(name, function () {
      it("is valid against GS1's EPCIS 2.0 JSON schema, alone and in a document", function () {
        const event = build();
        // A standalone JSON-LD event carries the context; in a document the document's context applies.
        expect(validate({ "@context": [EPCIS_CONTEXT], ...event }), JSON.stringify(validate.errors)).to.equal(true);
        const doc = epcisDocument([event], T);
        expect(validate(doc), JSON.stringify(validate.errors)).to.equal(true);
      });
      it("carries its own Event Hash ID as eventID", function () {
        const event = build();
        expect(event.eventID).to.equal(eventHashId(event));
        expect(hashIdToBytes32(event.eventID as string)).to.equal(eventHashBytes32(event));
      });
      it("hashes the same as JSON with shuffled keys, as EPCIS 2.0 XML and as EPCIS 1.2 XML", function () {
        const event = build();
        const doc = epcisDocument([event], T);
        const expected = eventHashId(event);
        const fromShuffled = hashEpcisDocument(JSON.stringify(shuffled(doc)));
        const fromXml20 = hashEpcisDocument(documentToXml(doc, "2.0"));
        const fromXml12 = hashEpcisDocument(documentToXml(doc, "1.2"));
        expect([fromShuffled[0].hashId, fromXml20[0].hashId, fromXml12[0].hashId]).to.deep.equal([
          expected,
          expected,
          expected,
        ]);
      });
    });
  }

  it("builds shipping with the CBV terms and the members' GLNs as owning party and location", function () {
    const e = builders.shipping();
    expect(e).to.include({ type: "ObjectEvent", action: "OBSERVE", bizStep: "shipping", disposition: "in_transit" });
    expect(e.quantityList).to.deep.equal([{ epcClass: "urn:epc:class:lgtin:950600.0013435.L-2026-01", quantity: 50 }]);
    expect(e.sourceList).to.deep.equal([
      { type: "owning_party", source: "urn:epc:id:pgln:400000.000001" },
      { type: "location", source: "urn:epc:id:sgln:400000.000001.0" },
    ]);
    expect(e.destinationList).to.deep.equal([
      { type: "owning_party", destination: "urn:epc:id:pgln:400000.000002" },
      { type: "location", destination: "urn:epc:id:sgln:400000.000002.0" },
    ]);
    expect(eventPreHash(e)).to.equal(
      "eventType=ObjectEventeventTime=2026-01-01T00:00:00.000ZeventTimeZoneOffset=+00:00" +
        "quantityListquantityElementepcClass=https://id.gs1.org/01/09506000134352/10/L-2026-01quantity=50" +
        "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit" +
        "readPointid=https://id.gs1.org/414/4000000000013bizLocationid=https://id.gs1.org/414/4000000000013" +
        // Typed lists as the reference writes them: each item `type=<t><name>=<v>`, items sorted.
        "sourceListtype=https://ref.gs1.org/cbv/SDT-locationsource=https://id.gs1.org/414/4000000000013" +
        "type=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/4000000000013" +
        "destinationListtype=https://ref.gs1.org/cbv/SDT-locationdestination=https://id.gs1.org/414/4000000000020" +
        "type=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://id.gs1.org/417/4000000000020",
    );
  });

  it("gives the same hash whatever GS1 Company Prefix length splits the EPC URIs", function () {
    const a = shippingEvent({ ...base, ...lot, quantity: 5, fromGln: MAKER, toGln: SHOP, companyPrefixLength: 6 });
    const b = shippingEvent({ ...base, ...lot, quantity: 5, fromGln: MAKER, toGln: SHOP, companyPrefixLength: 9 });
    expect(a.quantityList).to.not.deep.equal(b.quantityList);
    expect(eventHashId(a)).to.equal(eventHashId(b));
  });

  it("changes the hash when a field changes", function () {
    const a = shippingEvent({ ...base, ...lot, quantity: 5, fromGln: MAKER, toGln: SHOP });
    const b = shippingEvent({ ...base, ...lot, quantity: 6, fromGln: MAKER, toGln: SHOP });
    const c = shippingEvent({ ...base, ...lot, quantity: 5, fromGln: MAKER, toGln: SHOP, eventTime: T + 1n });
    expect(new Set([eventHashId(a), eventHashId(b), eventHashId(c)]).size).to.equal(3);
  });
});

describe("EPCIS identifiers (src/epcis/ids.ts)", function () {
  it("writes SGTIN, LGTIN, SGLN and PGLN URIs for a given company prefix length", function () {
    expect(sgtinURI("10614141073464", "2017", 7)).to.equal("urn:epc:id:sgtin:0614141.107346.2017");
    expect(lgtinURI("10614141073464", "A/1", 7)).to.equal("urn:epc:class:lgtin:0614141.107346.A%2F1");
    expect(sglnURI("0614141073467", 7)).to.equal("urn:epc:id:sgln:0614141.07346.0");
    expect(pglnURI("0614141073467", 7)).to.equal("urn:epc:id:pgln:0614141.07346");
    expect(() => sglnURI("0614141073468", 7)).to.throw("not a GLN");
    expect(() => sgtinURI("10614141073464", "1", 5)).to.throw("6 to 12 digits");
  });
  it("converts EPC URIs and any-domain Digital Link URIs to canonical Digital Link", function () {
    expect(toCanonicalDigitalLink("urn:epc:id:sgtin:0614141.107346.2017")).to.equal(
      "https://id.gs1.org/01/10614141073464/21/2017",
    );
    expect(toCanonicalDigitalLink("urn:epc:class:lgtin:4012345.012345.998877")).to.equal(
      "https://id.gs1.org/01/04012345123456/10/998877",
    );
    expect(toCanonicalDigitalLink("urn:epc:id:sgln:0614141.07346.1234")).to.equal(
      "https://id.gs1.org/414/0614141073467/254/1234",
    );
    expect(toCanonicalDigitalLink("https://example.com/01/10614141073464/10/L1/21/2017?17=260101")).to.equal(
      "https://id.gs1.org/01/10614141073464/21/2017",
    );
    expect(toCanonicalDigitalLink("http://transaction.acme.com/po/12345678")).to.equal(undefined);
  });
});
