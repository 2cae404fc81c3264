import { expect } from "chai";
import {
  GS,
  GS1Error,
  expiryTimestamp,
  formatBracketed,
  formatDigitalLink,
  formatRaw,
  gs1CheckDigit,
  gs1DateOfExpiry,
  isValidGTIN14,
  isValidSSCC,
  parseBracketed,
  parseDigitalLink,
  parseElementString,
  parseGS1Date,
  parsePack,
  parseRaw,
} from "../../../src/gs1";

const PACK = { gtin: "09506000134352", serial: "12345AB", lot: "A1-B", expiry: "281231" };

describe("GS1 element strings (src/gs1)", function () {
  describe("check digits (GS1 General Specifications 7.9)", function () {
    it("computes the GenSpecs worked example and validates published keys", function () {
      expect(gs1CheckDigit("629104150021")).to.equal(3); // GTIN-13 6291041500213
      expect(isValidGTIN14("09506000134352")).to.equal(true); // GS1 Digital Link standard example
      expect(isValidGTIN14("09506000134353")).to.equal(false);
      expect(isValidSSCC("376104250021234569")).to.equal(true); // GenSpecs SSCC example
      expect(isValidSSCC("106141412345678908")).to.equal(true); // (00) example of GS1-128 guides
      expect(isValidSSCC("106141412345678909")).to.equal(false);
    });
  });

  describe("parseBracketed", function () {
    it("reads (01)(17)(10)(21)", function () {
      const e = parseBracketed("(01)09506000134352(17)281231(10)A1-B(21)12345AB");
      expect(Object.fromEntries(e)).to.deep.equal({ "01": PACK.gtin, "17": "281231", "10": "A1-B", "21": "12345AB" });
    });

    it("reads an SSCC (00)", function () {
      expect(parseBracketed("(00)376104250021234569").get("00")).to.equal("376104250021234569");
    });

    it("rejects a wrong check digit, a bad date, an unknown AI, a repeated AI and stray text", function () {
      expect(() => parseBracketed("(01)09506000134353(21)1")).to.throw(GS1Error, /check digit/);
      expect(() => parseBracketed("(01)09506000134352(17)281331")).to.throw(GS1Error, /no month 13/);
      expect(() => parseBracketed("(01)09506000134352(17)280230")).to.throw(GS1Error, /no day 30/);
      expect(() => parseBracketed("(89)X")).to.throw(GS1Error, /unsupported/); // (99) is a GS1 AI; (89) is not
      expect(() => parseBracketed("(21)A(21)B")).to.throw(GS1Error, /twice/);
      expect(() => parseBracketed("x(21)A")).to.throw(GS1Error, /must start/);
      expect(() => parseBracketed("(01)0950600013435")).to.throw(GS1Error, /14 characters/);
      expect(() => parseBracketed("(21)" + "A".repeat(21))).to.throw(GS1Error, /at most 20/);
      expect(() => parseBracketed("(21)A B")).to.throw(GS1Error, /character set 82/);
    });
  });

  describe("parseRaw", function () {
    it("reads a GS1 DataMatrix scan with ]d2 and GS separators", function () {
      const e = parseRaw(`]d201095060001343521728123110A1-B${GS}2112345AB`);
      expect(Object.fromEntries(e)).to.deep.equal({ "01": PACK.gtin, "17": "281231", "10": "A1-B", "21": "12345AB" });
    });

    it("reads a scan without symbology prefix, with a leading FNC1 and a variable field last", function () {
      const e = parseRaw(`${GS}0109506000134352${GS}2112345AB${GS}10A1-B${GS}17281231`);
      expect(e.get("21")).to.equal("12345AB");
      expect(e.get("10")).to.equal("A1-B");
      expect(e.get("17")).to.equal("281231");
    });

    it("rejects an empty scan and an unknown AI", function () {
      expect(() => parseRaw("]d2")).to.throw(GS1Error, /empty/);
      expect(() => parseRaw("8912")).to.throw(GS1Error, /unsupported or malformed AI .*"8912"/);
    });
  });

  describe("parseDigitalLink", function () {
    it("reads key and qualifiers from the path and the expiry from the query", function () {
      const e = parseDigitalLink("https://id.gs1.org/01/09506000134352/10/A1-B/21/12345AB?17=281231&linkType=gs1:pip");
      expect(Object.fromEntries(e)).to.deep.equal({ "01": PACK.gtin, "10": "A1-B", "21": "12345AB", "17": "281231" });
    });

    it("decodes percent-escapes and accepts a custom domain and path prefix; a GTIN-13 only when permitted", function () {
      const e = parseDigitalLink("https://example.com/some/prefix/01/06291041500213/21/A%2F1?17=281231");
      expect(e.get("01")).to.equal("06291041500213");
      expect(e.get("21")).to.equal("A/1");
      // GS1's Syntax Engine refuses a zero-suppressed GTIN in the path unless told to pad it (legacy).
      const short = "https://example.com/some/prefix/01/6291041500213/21/A%2F1?17=281231";
      expect(() => parseDigitalLink(short)).to.throw(GS1Error, /14 characters/);
      expect(parseDigitalLink(short, { permitZeroSuppressedGTIN: true }).get("01")).to.equal("06291041500213");
    });

    it("rejects a URI without a primary key, an odd path, and a non-URI", function () {
      expect(() => parseDigitalLink("https://id.gs1.org/10/A1")).to.throw(GS1Error, /primary key/);
      expect(() => parseDigitalLink("https://id.gs1.org/01/09506000134352/21")).to.throw(GS1Error, /primary key/);
      expect(() => parseDigitalLink("not a uri")).to.throw(GS1Error, /not a URI/);
      expect(() => parseDigitalLink("ftp://id.gs1.org/01/09506000134352")).to.throw(GS1Error, /http/);
    });
  });

  describe("parsePack / parseElementString / format*", function () {
    it("round-trips the three forms", function () {
      for (const text of [formatBracketed(PACK), formatRaw(PACK), formatDigitalLink(PACK)]) {
        expect(parsePack(text)).to.deep.equal(PACK);
        expect(parseElementString(text).get("01")).to.equal(PACK.gtin);
      }
    });

    it("escapes lot and serial in a Digital Link as GS1 does and reads them back", function () {
      const pack = { ...PACK, lot: "L/1+2", serial: "S(1)*%'" };
      const uri = formatDigitalLink(pack);
      expect(uri).to.equal("https://id.gs1.org/01/09506000134352/10/L%2F1%2B2/21/S%281%29%2A%25%27?17=281231");
      expect(parsePack(uri)).to.deep.equal(pack);
      expect(parsePack(formatRaw(pack, "]Q3"))).to.deep.equal(pack);
      expect(parsePack(formatBracketed({ ...pack, serial: "S1" }))).to.deep.equal({ ...pack, serial: "S1" });
    });

    it("says in the error which AI and rule failed (GS1Error.ai, GS1Error.rule)", function () {
      try {
        parsePack("(01)09506000134352(17)281231(10)A(21)B(17)281230");
        expect.fail("parsed a pack with two expiry dates");
      } catch (e) {
        expect(e).to.be.instanceOf(GS1Error);
        expect((e as GS1Error).ai).to.equal("17");
        expect((e as GS1Error).rule).to.equal("duplicate");
        expect((e as GS1Error).message).to.match(/AI \(17\).*appears twice with different values/);
      }
    });

    it("names the missing elements", function () {
      expect(() => parsePack("(01)09506000134352(21)1")).to.throw(GS1Error, /missing \(10\) BATCH\/LOT, \(17\)/);
    });
  });

  describe("dates", function () {
    it("applies the GenSpecs 7.12 century rule", function () {
      const ref = new Date("2026-06-01T00:00:00Z");
      expect(parseGS1Date("760101", ref).year).to.equal(2076);
      expect(parseGS1Date("770101", ref).year).to.equal(1977);
      expect(parseGS1Date("990101", new Date("2049-01-01T00:00:00Z")).year).to.equal(2099);
      expect(parseGS1Date("000101", new Date("2051-01-01T00:00:00Z")).year).to.equal(2100);
    });

    it("maps DD=00 to the month's last day and expiry to the next day's midnight, and back", function () {
      const ref = new Date("2026-01-01T00:00:00Z");
      expect(parseGS1Date("280200", ref).day).to.equal(29); // 2028 is a leap year
      const ts = expiryTimestamp("281231", ref);
      expect(new Date(Number(ts) * 1000).toISOString()).to.equal("2029-01-01T00:00:00.000Z");
      expect(gs1DateOfExpiry(ts)).to.equal("281231");
      expect(() => parseGS1Date("28123")).to.throw(GS1Error, /YYMMDD/);
    });
  });
});
