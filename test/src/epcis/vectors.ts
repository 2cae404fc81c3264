import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { hashEpcisDocument, hashIdOfPreHash } from "../../../src/epcis";

/** GS1 reference implementation vectors (see vectors/SOURCE.md for origin, licence and scope). */
const DIR = path.join(__dirname, "vectors");
const read = (name: string) => fs.readFileSync(path.join(DIR, name), "utf8");
const lines = (name: string) => read(name).split("\n").filter(Boolean);

describe("EPCIS Event Hash ID — reference vectors (epcis-event-hash-generator)", function () {
  describe("epcisDocWithSingleEvent (JSON-LD)", function () {
    it("produces the reference pre-hash strings", function () {
      const events = hashEpcisDocument(read("epcisDocWithSingleEvent.jsonld"));
      expect(events.map((e) => e.preHash)).to.deep.equal(lines("epcisDocWithSingleEvent.prehashes"));
    });
    it("produces the reference Event Hash IDs", function () {
      const events = hashEpcisDocument(read("epcisDocWithSingleEvent.jsonld"));
      expect(events.map((e) => e.hashId)).to.deep.equal(lines("epcisDocWithSingleEvent.hashes"));
      expect(events[0].bytes32).to.equal("0x" + lines("epcisDocWithSingleEvent.hashes")[0].slice(14, 78));
    });
  });

  describe("epcisDocWithShippingAndTransportingEvent (XML and JSON-LD)", function () {
    it("hashes each reference pre-hash string to the reference Event Hash ID", function () {
      const pre = lines("epcisDocWithShippingAndTransportingEvent.prehashes");
      expect(pre.map(hashIdOfPreHash)).to.deep.equal(lines("epcisDocWithShippingAndTransportingEvent.hashes"));
    });
    it("gives the XML and the JSON-LD edition of the document the same pre-hash strings and hashes", function () {
      const xml = hashEpcisDocument(read("epcisDocWithShippingAndTransportingEvent.xml"));
      const json = hashEpcisDocument(read("epcisDocWithShippingAndTransportingEvent.jsonld"));
      expect(xml).to.have.length(2);
      expect(xml.map((e) => e.preHash)).to.deep.equal(json.map((e) => e.preHash));
      expect(xml.map((e) => e.hashId)).to.deep.equal(json.map((e) => e.hashId));
      // The CBV 2.0 canonical forms: SSCC, SGLN and PGLN as Digital Link, CBV terms as web URIs, UTC times.
      expect(xml[0].preHash).to.equal(
        "eventType=ObjectEventeventTime=2022-02-16T11:50:00.000ZeventTimeZoneOffset=+01:00" +
          "epcListepc=https://id.gs1.org/00/140123451122233341action=OBSERVE" +
          "bizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/4012345000221" +
          "bizTransactionListbizTransaction=urn:epcglobal:cbv:bt:4012345000009:ASN1099type=https://ref.gs1.org/cbv/BTT-desadv" +
          "sourceListsource=https://id.gs1.org/417/4012345000009type=https://ref.gs1.org/cbv/SDT-possessing_party" +
          "destinationListdestination=https://id.gs1.org/417/4023333000000type=https://ref.gs1.org/cbv/SDT-possessing_party",
      );
    });
  });
});
