import { expect } from "chai";
import {
  GS1Error,
  formatGLN,
  gs1CheckDigit,
  isValidGS1Key,
  normalizeGTIN,
  parseGLN,
  withCheckDigit,
} from "../../src/gs1/checkDigit";

describe("SDK gs1/checkDigit", function () {
  it("computes check digits as the GS1 General Specifications example does", function () {
    expect(gs1CheckDigit("0061414100001")).to.equal(2);
    expect(withCheckDigit("629104150021")).to.equal("6291041500213");
  });

  it("validates keys with and without a required length", function () {
    expect(isValidGS1Key("00614141000012")).to.equal(true);
    expect(isValidGS1Key("00614141000012", 13)).to.equal(false);
    expect(isValidGS1Key("00614141000013")).to.equal(false);
    expect(isValidGS1Key("0061414100001a")).to.equal(false);
  });

  it("normalises GTIN-8/12/13/14 to 14 digits and refuses bad ones", function () {
    expect(normalizeGTIN("614141000012")).to.equal("00614141000012");
    expect(normalizeGTIN("96385074")).to.equal("00000096385074");
    expect(() => normalizeGTIN("614141000013")).to.throw(GS1Error, /check digit/);
    expect(() => normalizeGTIN("12345")).to.throw(GS1Error, /8, 12, 13 or 14/);
  });

  it("parses and formats GLNs", function () {
    expect(parseGLN("0614141000012")).to.equal(614141000012n);
    expect(formatGLN(614141000012n)).to.equal("0614141000012");
    expect(() => parseGLN("0614141000013")).to.throw(GS1Error);
  });

  it("refuses a body that is not digits", function () {
    expect(() => gs1CheckDigit("12a")).to.throw(GS1Error, /digits/);
  });
});
