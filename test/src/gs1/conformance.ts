/**
 * GS1 conformance: test vectors from GS1's reference implementation, the GS1 Barcode Syntax Engine
 * (github.com/gs1/gs1-syntax-engine, Apache-2.0), and the cases issue 12 names. Sources:
 *   - src/c-lib/dl.c        test_dl_parseDLuri        (Digital Link URIs; expected "^…" AI data)
 *   - src/c-lib/ai.c        test_ai_parseAIdata, test_ai_processAIdata, test_ai_linters,
 *                           test_ai_validateAIassociations (bracketed / raw AI data, linters, req/ex)
 *   - src/c-lib/scandata.c  test_scandata_* (AIM symbology identifiers)
 *   - src/c-lib/syntax/lint_*.c unit tests (csumalpha, cset64)
 * A few vectors are adapted where the current dictionary (scripts/gs1/gs1-syntax-dictionary.txt)
 * differs from the one those tests were written for; each such line says so.
 */
import { expect } from "chai";
import {
  GS,
  GS1Error,
  expiryTimestamp,
  lookupAI,
  parseBracketed,
  parseDigitalLink,
  parseElementString,
  parseGS1,
  parsePack,
  parseRaw,
  validateAssociations,
  type ElementString,
  type GS1ParseOptions,
} from "../../../src/gs1";

/** The AI data string GS1's engine prints: "^" (FNC1) first and after each AI that needs it, except the last. */
function aiData(elements: ElementString): string {
  const items = [...elements];
  return "^" + items.map(([ai, v], i) => ai + v + (lookupAI(ai)!.fnc1 && i < items.length - 1 ? "^" : "")).join("");
}

/** Asserts a GS1Error whose `.ai`/`.rule` and message name the AI and the rule. */
function expectRefused(fn: () => unknown, ai: string | undefined, rule: string): GS1Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a GS1Error").to.be.instanceOf(GS1Error);
  const err = caught as GS1Error;
  expect(err.rule, err.message).to.equal(rule);
  expect(err.ai, err.message).to.equal(ai);
  if (ai !== undefined) expect(err.message).to.contain(`(${ai})`);
  return err;
}

const NO_PAIRS: GS1ParseOptions = { checkAssociations: false };

describe("GS1 conformance (gs1-syntax-engine test vectors and issue 12)", function () {
  describe("Digital Link URIs (dl.c test_dl_parseDLuri)", function () {
    const accept: [string, string, GS1ParseOptions?][] = [
      ["http://a/00/006141411234567890", "^00006141411234567890"],
      ["HTTP://a/00/006141411234567890", "^00006141411234567890"],
      ["https://a/00/006141411234567890", "^00006141411234567890"],
      ["HTTPS://a/00/006141411234567890", "^00006141411234567890"],
      ["https://a/01/12312312312333", "^0112312312312333"],
      ["https://xn--fsq.xn--0zwm56d/01/12312312312333", "^0112312312312333"],
      ["https://a./01/12312312312333", "^0112312312312333"],
      ["https://a:65535/01/12312312312333", "^0112312312312333"],
      ["https://192.0.2.1/01/12312312312333", "^0112312312312333"],
      ["https://3232235777/01/12312312312333", "^0112312312312333"],
      ["https://0300.0250.01.01/01/12312312312333", "^0112312312312333"],
      ["https://0xC0.0xA8.0x01.0x01/01/12312312312333", "^0112312312312333"],
      ["https://[2001:db8::1]/01/12312312312333", "^0112312312312333"],
      ["https://a/stem/00/006141411234567890", "^00006141411234567890"],
      ["https://a/more/stem/00/006141411234567890", "^00006141411234567890"],
      ["https://a/00/faux/00/006141411234567890", "^00006141411234567890"], // fake AI in stem: rightmost key
      ["https://a/gtin/12312312312333", "^0112312312312333", { permitConvenienceAlphas: true }],
      ["https://a/gtin/12312312312333/ser/ABC123", "^011231231231233321ABC123", { permitConvenienceAlphas: true }],
      ["https://a/sscc/006141411234567890", "^00006141411234567890", { permitConvenienceAlphas: true }],
      ["https://a/01/2112345678900", "^0102112345678900", { permitZeroSuppressedGTIN: true }],
      ["https://a/01/416000336108", "^0100416000336108", { permitZeroSuppressedGTIN: true }],
      ["https://a/01/02345673", "^0100000002345673", { permitZeroSuppressedGTIN: true }],
      ["https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ", "^011231231231233322TEST^10ABC^21XYZ"],
      ["https://a/01/12312312312333/235/TEST", "^0112312312312333235TEST"],
      ["https://a/253/1231231231232", "^2531231231231232"],
      ["https://a/253/1231231231232TEST5678901234567", "^2531231231231232TEST5678901234567"],
      ["https://a/8018/123456789012345675/8019/123", "^8018123456789012345675^8019123"],
      ["https://a/stem/00/006141411234567890?", "^00006141411234567890"],
      ["https://a/stem/00/006141411234567890?99=ABC", "^0000614141123456789099ABC"],
      ["https://a/stem/401/12345678?99=ABC", "^40112345678^99ABC"],
      ["https://a/01/12312312312333?99=ABC&98=XYZ", "^011231231231233399ABC^98XYZ"],
      ["https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&", "^011231231231233399ABC^98XYZ"],
      ["https://a/01/12312312312333?99=ABC&unknown=666&98=XYZ", "^011231231231233399ABC^98XYZ"],
      ["https://a/01/12312312312333?unknown=666&99=ABC&98=XYZ", "^011231231231233399ABC^98XYZ"],
      ["https://a/01/12312312312333?99=ABC&98=XYZ&unknown=666", "^011231231231233399ABC^98XYZ"],
      ["https://a/01/12312312312333?99=ABC&singleton&98=XYZ", "^011231231231233399ABC^98XYZ"],
      [
        "https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777&singleton3",
        "^011231231231233399ABC^98XYZ",
      ],
      ["https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987", "^011231231231233322ABC-123^99ABC^98XYZ/987"],
      ["https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987", "^011231231231233322ABC+123^99ABC^98XYZ/987"],
      ["https://a/01/12312312312333/22/test/10/abc/21/xyz#", "^011231231231233322test^10abc^21xyz"],
      ["https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment", "^011231231231233322test^10abc^21xyz"],
      ["https://a/stem/00/006141411234567890?99=ABC#", "^0000614141123456789099ABC"],
      ["https://a/stem/00/006141411234567890?99=ABC#fragment", "^0000614141123456789099ABC"],
      // Examples from the DL specification, as in dl.c
      ["https://id.gs1.org/01/09520123456788", "^0109520123456788"],
      ["https://brand.example.com/01/9520123456788", "^0109520123456788", { permitZeroSuppressedGTIN: true }],
      [
        "https://brand.example.com/some-extra/pathinfo/01/9520123456788",
        "^0109520123456788",
        { permitZeroSuppressedGTIN: true },
      ],
      ["https://id.gs1.org/01/09520123456788/22/2A", "^0109520123456788222A"],
      ["https://id.gs1.org/01/09520123456788/10/ABC123", "^010952012345678810ABC123"],
      ["https://id.gs1.org/01/09520123456788/21/12345", "^01095201234567882112345"],
      ["https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426", "^010952012345678810ABC1^2112345^17180426"],
      ["https://id.gs1.org/01/09520123456788?3103=000195", "^01095201234567883103000195"],
      [
        "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
        "^0109520123456788310300019539220299^17201225",
      ],
      [
        "https://id.gs1.org/01/09520123456788?17=201225&3103=000195&3922=0299",
        "^010952012345678817201225310300019539220299",
      ],
      ["https://id.gs1.org/00/952012345678912345", "^00952012345678912345"],
      [
        "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123",
        "^0095201234567891234502095201234567883725^10ABC123",
      ],
      ["https://id.gs1.org/414/9520123456788", "^4149520123456788"],
      ["https://id.gs1.org/414/9520123456788/254/32a%2Fb", "^414952012345678825432a/b"],
      ["https://example.com/8004/9520614141234567?01=9520123456788", "^80049520614141234567^0109520123456788"],
      ["https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123", "^0109520123456788235XYZ^10ABC123"],
    ];
    for (const [uri, expected, options] of accept) {
      it(`accepts ${uri}${options ? ` ${JSON.stringify(options)}` : ""}`, function () {
        expect(aiData(parseDigitalLink(uri, options))).to.equal(expected);
      });
    }

    const refuse: [string, string, GS1ParseOptions?][] = [
      ["", "dl-scheme"],
      ["ftp://", "dl-scheme"],
      ["http://", "dl-domain"],
      ["http:///", "dl-domain"],
      ["http://a", "dl-domain"],
      ["http://a/", "dl-primary-key"],
      ["http://a/b", "dl-primary-key"],
      ["http://a/b/", "dl-trailing-slash"],
      ["HtTp://a/b/00/006141411234567890", "dl-scheme"], // mixed-case scheme forbidden
      ["https://00/006141411234567890", "dl-primary-key"], // no domain
      ["https://[fe80::1%25lo]/01/12312312312333", "dl-domain"],
      ["https://$a/006141411234567890", "dl-domain"],
      ["https://a$/006141411234567890", "dl-domain"],
      ["https://a/gtin/12312312312333", "dl-primary-key"], // convenience alphas off by default
      ["https://a/01/2112345678900", "length"], // GTIN-13 in the path: off by default
      ["https://a/01/416000336108", "length"],
      ["https://a/01/02345673", "length"],
      ["https://a/253/1231231231232TEST56789012345678", "length"], // too long N13 X0..17
      ["https://a/stem/00/006141411234567890/", "dl-trailing-slash"], // can't end in slash
      ["https://a/01/12312312312333?99=", "length"], // empty AI value in query
      ["https://a/01/12312312312333?99=ABC&999=faux", "unknown-ai"], // non-AI numeric query parameter
      ["https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987", "cset 82"], // "+" is a space in the query
      ["https://example.com/01/09520123456788?10=ABC123", "dl-key-qualifiers"], // belongs in the path
      ["https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788", "duplicate"],
      ["https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", "duplicate"],
      ["https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789", "duplicate"],
      ["https://example.com/01/09520123456788/89/ABC123?99=XYZ", "dl-primary-key"], // unknown AI in the path
      ["https://example.com/01/09520123456788?99=XYZ&89=ABC123", "unknown-ai"],
    ];
    for (const [uri, rule, options] of refuse) {
      it(`refuses ${JSON.stringify(uri)} (${rule})`, function () {
        let caught: unknown;
        try {
          parseDigitalLink(uri, options);
        } catch (e) {
          caught = e;
        }
        expect(caught).to.be.instanceOf(GS1Error);
        expect((caught as GS1Error).rule, (caught as GS1Error).message).to.equal(rule);
      });
    }

    it("refuses key qualifiers out of the dictionary's order and mixed alternatives (dlpkey)", function () {
      expectRefused(() => parseDigitalLink("https://a/01/12312312312333/10/ABC/22/TEST"), "01", "dl-key-qualifiers");
      expectRefused(() => parseDigitalLink("https://a/01/12312312312333/22/TEST/235/X"), "01", "dl-key-qualifiers");
      expectRefused(() => parseDigitalLink("https://a/00/006141411234567890/10/ABC"), "00", "dl-key-qualifiers");
    });

    it("refuses an AI that is not a Digital Link data attribute in the query (no '?' flag)", function () {
      expectRefused(() => parseDigitalLink("https://a/00/006141411234567890?8011=1"), "8011", "dl-attribute");
    });
  });

  describe("bracketed AI data (ai.c test_ai_parseAIdata)", function () {
    const accept: [string, string][] = [
      ["(01)12345678901231", "^0112345678901231"],
      ["(10)12345", "^1012345"],
      ["(01)12345678901231(10)12345", "^01123456789012311012345"],
      ["(3100)123456(10)12345", "^31001234561012345"],
      ["(10)12345(11)991225", "^1012345^11991225"],
      ["(3900)12345(11)991225", "^390012345^11991225"],
      ["(10)12345\\(11)991225", "^1012345(11)991225"], // escaped bracket
      ["(10)12345\\(", "^1012345("],
    ];
    for (const [text, expected] of accept) {
      it(`accepts ${text}`, function () {
        expect(aiData(parseBracketed(text, NO_PAIRS))).to.equal(expected);
      });
    }
    for (const text of [
      "(10)(11)98765",
      "(10)12345(11)",
      "(1A)12345",
      "1(12345",
      "12345",
      "()12345",
      "(1)12345",
      "(12345)12345",
      "(15",
      "(1",
      "(",
      "(01)123456789012312(10)12345",
      "(10)12345^",
      "(17)9(90)217",
    ]) {
      it(`refuses ${text}`, function () {
        expect(() => parseBracketed(text, NO_PAIRS)).to.throw(GS1Error);
      });
    }
  });

  describe("raw AI data after FNC1 (ai.c test_ai_processAIdata; ^ = FNC1 = GS)", function () {
    const raw = (s: string) => s.slice(1).replaceAll("^", GS);
    for (const data of [
      "^991234",
      "^0112345678901231",
      "^0112345678901231^",
      "^0112345678901231991234",
      "^0112345678901231^991234",
      "^2421",
      "^242123456",
      "^242123456^10ABC123",
      "^242123456^",
      "^81111234",
      "^81111234^10ABC123",
      "^800112341234512398",
      "^800112341234512398^0112345678901231",
      "^7007211225211231",
      "^7007211225",
      "^800302112345678900ABC",
      "^800302112345678900",
      "^800302112345678900^10ABC123",
      "^800302112345678900ABCDEFGHIJKLMNOP",
      "^7230121234567890123456789012345678",
      "^7230123",
    ]) {
      it(`accepts ${data}`, function () {
        expect(() => parseRaw(`]d2${raw(data)}`, NO_PAIRS)).to.not.throw();
      });
    }
    for (const data of [
      "^",
      "^891234",
      "^99~ABC",
      "^99ABC~",
      "^01A2345678901231",
      "^011234567890123A",
      "^0112345678901234",
      "^011234567890123",
      "^01123456789012312",
      "^011234567890123^",
      "^01123456789012345^",
      "^01123456789012345^991234",
      "^2421234567",
      "^8111123",
      "^811112345",
      "^80011234123451239",
      "^8001123412345123981",
      "^80011234123451239^0112345678901231",
      "^70072112252",
      "^700721122521",
      "^7007211225211",
      "^70072112252112",
      "^700721122521123",
      "^70072112252212311",
      "^800302112345678901ABC",
      "^800302112345678900ABCDEFGHIJKLMNOPQ",
      "^72301212345678901234567890123456789",
      "^723012",
    ]) {
      it(`refuses ${JSON.stringify(data)}`, function () {
        expect(() => parseRaw(`]d2${raw(data)}`, NO_PAIRS)).to.throw(GS1Error);
      });
    }
  });

  describe("linters (ai.c test_ai_linters; lint_*.c)", function () {
    const cases: [string, string, string | undefined][] = [
      ["(00)123456789012345675", "00", undefined],
      ["(00)A23456789012345675", "00", "cset N"],
      ["(10) ", "10", "cset 82"],
      ["(8010)123456_", "8010", "cset 39"],
      ["(8013)123456ABOO", "8013", "csumalpha"], // check characters outside cset 32
      ["(8030)ABC:123", "8030", "cset 64"],
      ["(8030)123=", "8030", "cset 64"], // padding
      ["(8030)12=", "8030", undefined], // lint_cset64.c: padding is optional
      ["(00)123456789012345670", "00", "csum"],
      ["(8013)123456ABXX", "8013", "csumalpha"],
      ["(8013)A", "8013", "csumalpha"],
      ["(8013)1987654Ad4X4bL5ttr2310c2K", "8013", undefined], // lint_csumalpha.c
      ["(8013)1987654Ad4X4bL5ttr2310cXK", "8013", "csumalpha"],
      ["(401)123", "401", "gcppos1"],
      ["(7023)12A4", "7023", "gcppos1"],
      ["(7040)1AB=", "7040", "importeridx"],
      ["(8001)12340000012311", "8001", "nonzero"],
      ["(8003)112345678901281234567890123456", "8003", "zero"],
      ["(8011)023456789012", "8011", "nozeroprefix"],
      ["(4321)2", "4321", "yesno"],
      ["(8001)12341234512321", "8001", "winding"],
      ["(426)987", "426", "iso3166"],
      ["(7030)987ABC", "7030", "iso3166999"],
      ["(7030)999ABC", "7030", undefined],
      ["(4307)AA", "4307", "iso3166alpha2"],
      ["(3910)9870", "3910", "iso4217"],
      ["(3910)9781", "3910", undefined],
      ["(8007)AB1234", "8007", "iban"],
      ["(8007)FR12_45678901234", "8007", "iban"],
      ["(8007)AB12345678901234", "8007", "iban"],
      ["(8007)FR12345678901234", "8007", "iban"],
      ["(8007)GB82WEST12345698765432", "8007", undefined], // the ISO 13616 example IBAN
      ["(8008)20122515300", "8008", "length"], // adapted: the current dictionary writes 8008 as N6 N2 [N2] [N2]
      ["(4326)201300", "4326", "yymmdd"],
      ["(4326)201200", "4326", "yymmdd"], // day 00 is not allowed by yymmdd
      ["(4324)2012252400", "4324", "hhmi"],
      ["(4324)2012252360", "4324", "hhmi"],
      ["(8008)201225230060", "8008", "ss"],
      ["(8026)123456789012310099", "8026", "pieceoftotal"],
      ["(8026)123456789012310100", "8026", "pieceoftotal"],
      ["(8026)123456789012310302", "8026", "pieceoftotal"],
      ["(4300)ABC%0g", "4300", "pcenc"],
      ["(4309)18000000010000000000", "4309", "latitude"],
      ["(4309)00000000003600000001", "4309", "longitude"],
      ["(4330)000000X", "4330", "hyphen"],
      ["(01)95012345678903(3103)000123", "3103", undefined],
      ["(01)95012345678902(3103)000123", "01", "csum"],
      ["(01)95012345678903(11)131313", "11", "yymmd0"],
      ["(7250)20240230", "7250", "yyyymmdd"],
      ["(7258)2/1", "7258", "posinseqslash"],
      ["(7252)3", "7252", "iso5218"],
      ["(7241)11", "7241", "mediatype"], // lint_mediatype.c: 01-10 and 80-99
      ["(7241)80", "7241", undefined],
      ["(7258)1/2", "7258", undefined],
    ];
    for (const [text, ai, rule] of cases) {
      it(`${text} → ${rule ? `AI (${ai}) ${rule}` : "ok"}`, function () {
        if (rule === undefined) {
          expect(() => parseBracketed(text, NO_PAIRS)).to.not.throw();
        } else {
          const err = expectRefused(() => parseBracketed(text, NO_PAIRS), ai, rule);
          expect(err.message).to.contain(`rule: ${rule}`);
        }
      });
    }
  });

  describe("required and excluded AI pairs (ai.c test_ai_validateAIassociations, adapted to the current dictionary)", function () {
    const accept = [
      "(400)ABC",
      "(400)ABC(400)ABC", // a repeated AI with the same value is one AI
      "(400)ABC(99)DEF(400)ABC",
      "(02)12345678901231(37)123(00)123456789012345675",
      "(91)XXX(02)12345678901231(92)YYY(37)123(93)ZZZ(00)123456789012345675",
      "(21)ABC123(01)12345678901231",
      "(21)ABC123(8006)123456789012310510",
      "(01)12345678901231(21)XYZ999(250)ABC123",
      "(01)12345678901231(3925)12599(30)123",
      "(01)12345678901231(3925)12599(3100)654321",
      "(01)12345678901231(3925)12599(3165)654321",
      "(01)12345678901231(3925)12599(3575)654321",
      "(01)12345678901231(3925)12599(3695)654321",
    ];
    for (const text of accept) {
      it(`accepts ${text}`, function () {
        expect(() => parseBracketed(text)).to.not.throw();
      });
    }
    const refuse: [string, string, string][] = [
      ["(400)ABC(400)AB", "400", "duplicate"],
      ["(400)ABC(99)DEF(400)XYZ", "400", "duplicate"],
      ["(01)12345678901231(02)12345678901231", "02", "ex"],
      ["(01)12345678901231(255)5412345000150", "01", "ex"], // (01) ex=255 and (255) ex=01: (01) is checked first
      ["(01)12345678901231(37)123", "01", "ex"],
      ["(01)12345678901231(21)ABC123(235)XYZ", "21", "ex"], // adapted: (21) now needs (01)
      ["(255)5412345000150(3940)1234(8111)9999", "3940", "ex"], // adapted: (3940) now needs (255)
      ["(255)5412345000150(3940)1234(3941)9999", "3940", "ex"], // match by "394n", ignoring self
      ["(01)12345678901231(30)5(3955)123456(3929)123", "3955", "ex"], // match by "392n"; adapted
      ["(02)12345678901231", "02", "req"],
      ["(02)12345678901231(37)123", "37", "req"], // (37) req=00+02,00+8026
      ["(21)ABC123", "21", "req"],
      ["(01)12345678901231(250)ABC123", "250", "req"], // (250) req=01+21,...
      ["(01)12345678901231(3925)12599", "3925", "req"],
    ];
    for (const [text, ai, rule] of refuse) {
      it(`refuses ${text}: AI (${ai}) ${rule}`, function () {
        const err = expectRefused(() => parseBracketed(text), ai, rule);
        if (rule !== "duplicate") expect(err.message).to.contain(`rule: ${rule}=`);
      });
    }

    it("checks pairings over AIs combined from several carriers (validateAssociations)", function () {
      const linear = parseBracketed("(21)ABC123", NO_PAIRS); // alone it lacks its (01)
      const twoD = parseBracketed("(01)12345678901231", NO_PAIRS);
      expect(() => validateAssociations([...linear.keys(), ...twoD.keys()])).to.not.throw();
      expectRefused(() => validateAssociations(linear.keys()), "21", "req");
    });
  });

  describe("AIM symbology identifiers (scandata.c)", function () {
    const data = `011231231231233310ABC123${GS}99TESTING`;
    for (const id of ["]d2", "]Q3", "]C1", "]e0", "]J1"]) {
      it(`reads GS1 AI data after ${id}`, function () {
        const r = parseGS1(id + data);
        expect(r.symbologyId).to.equal(id);
        expect(aiData(r.elements)).to.equal("^011231231231233310ABC123^99TESTING");
      });
    }
    for (const id of ["]Q1", "]d1", "]J0", "]C0"]) {
      it(`reads a Digital Link URI after ${id}`, function () {
        const r = parseGS1(`${id}https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426`);
        expect(r).to.deep.include({ form: "digital-link", symbologyId: id });
        expect(aiData(r.elements)).to.equal("^010952012345678810ABC1^2112345^17180426");
      });
    }
    it("reads EAN-13 (]E0) and EAN-8 (]E4) as a GTIN-14, and a composite after |]e0", function () {
      expect(parseGS1("]E02112233789657").elements.get("01")).to.equal("02112233789657");
      expect(parseGS1("]E402345680").elements.get("01")).to.equal("00000002345680");
      expect(aiData(parseGS1(`]E02112233789657|]e010ABC${GS}21X`).elements)).to.equal("^010211223378965710ABC^21X");
      expectRefused(() => parseGS1("]E02112233789658"), "01", "csum");
    });
    it("refuses plain data that is not a Digital Link, and unknown identifiers", function () {
      expectRefused(() => parseGS1("]Q1TESTING"), undefined, "symbology");
      expectRefused(() => parseGS1("]X0011231231231233310ABC123"), undefined, "symbology");
      expectRefused(() => parseRaw("]Q1https://id.gs1.org/01/09520123456788"), undefined, "symbology");
    });
  });

  describe("issue 12", function () {
    const PACK = "(01)09506000134352(17)281231(10)A1-B(21)12345AB";

    it("reads packs with national reimbursement numbers (710-717), (240) and (414)", function () {
      for (const ai of ["710", "711", "712", "713", "714", "715", "716", "717"]) {
        const e = parseElementString(`${PACK}(${ai})12345678`);
        expect(e.get(ai)).to.equal("12345678");
        expect(parsePack(`]d2010950600013435217281231${ai}12345678${GS}10A1-B${GS}2112345AB`)).to.deep.equal({
          gtin: "09506000134352",
          serial: "12345AB",
          lot: "A1-B",
          expiry: "281231",
        });
      }
      const e = parseElementString(`${PACK}(240)ADD-1(414)9520123456788`);
      expect(e.get("240")).to.equal("ADD-1");
      expect(e.get("414")).to.equal("9520123456788");
      const dl = parseElementString(
        "https://id.gs1.org/01/09506000134352/10/A1-B/21/12345AB?17=281231&714=1234567&240=X",
      );
      expect(dl.get("714")).to.equal("1234567");
    });

    it("reads ]Q1 + Digital Link", function () {
      expect(parsePack("]Q1https://id.gs1.org/01/09506000134352/10/A1-B/21/12345AB?17=281231").gtin).to.equal(
        "09506000134352",
      );
    });

    it("uses the rightmost primary key of the path; what precedes it is a custom path prefix", function () {
      const r = parseGS1("https://example.com/414/9520123456788/01/09506000134352/10/A1-B/21/12345AB?17=281231");
      expect([...r.elements.keys()]).to.deep.equal(["01", "10", "21", "17"]);
      expect(r.digitalLink).to.deep.include({
        origin: "https://example.com",
        stem: "/414/9520123456788",
        pathCount: 3,
      });
    });

    it("refuses HtTp:// and a trailing slash as GS1's engine does; HTTP:// and HTTPS:// are accepted", function () {
      const err = expectRefused(
        () => parseElementString("HtTp://id.gs1.org/01/09506000134352"),
        undefined,
        "dl-scheme",
      );
      expect(err.message).to.match(/HtTp/);
      expectRefused(() => parseElementString("https://id.gs1.org/01/09506000134352/"), undefined, "dl-trailing-slash");
      expect(parseElementString("HTTPS://ID.GS1.ORG/01/09506000134352").get("01")).to.equal("09506000134352");
    });

    it("accepts day 00 where the dictionary says yymmd0 (17) and maps it to the month's last day", function () {
      expect(parsePack("(01)09506000134352(17)280200(10)A(21)B").expiry).to.equal("280200");
      const ts = expiryTimestamp("280200", new Date("2026-01-01T00:00:00Z"));
      expect(new Date(Number(ts) * 1000).toISOString()).to.equal("2028-03-01T00:00:00.000Z");
      expectRefused(() => parseElementString("(01)09506000134352(7006)280200"), "7006", "yymmdd");
    });

    it("refuses a bad check digit, a bad character set, a missing required pair and an excluded pair, naming AI and rule", function () {
      const e1 = expectRefused(() => parseElementString("(01)09506000134353(21)1"), "01", "csum");
      expect(e1.message).to.match(/AI \(01\) GTIN.*check digit.*rule: csum/);
      const e2 = expectRefused(() => parseElementString("(01)09506000134352(21)A B"), "21", "cset 82");
      expect(e2.message).to.match(/AI \(21\) SERIAL.*character set 82.*rule: cset 82/);
      expectRefused(() => parseElementString("(01)09506000134352(8010)ab"), "8010", "cset 39");
      expectRefused(() => parseElementString("(00)106141412345678908(8030)a.b"), "8030", "cset 64");
      expectRefused(() => parseElementString("(01)09506000134352(20)1A"), "20", "cset N");
      const e3 = expectRefused(() => parseElementString("(714)1234567"), "714", "req");
      expect(e3.message).to.match(/AI \(714\) NHRN AIM requires \(01\).*rule: req=01/);
      const e4 = expectRefused(() => parseElementString("(01)09506000134352(3100)000100(3101)000010"), "3100", "ex");
      expect(e4.message).to.match(/AI \(3100\).*must not appear with AI \(3101\).*rule: ex=310n/);
    });

    it("refuses a compressed Digital Link with a clear message", function () {
      const err = expectRefused(
        () => parseElementString("https://id.gs1.org/AQnYUc1gmiMB9tcq3ugE"),
        undefined,
        "dl-compressed",
      );
      expect(err.message).to.match(/compressed GS1 Digital Link.*does not decompress/);
      // Partly compressed: an uncompressed key followed by compressed data.
      expectRefused(
        () => parseElementString("https://id.gs1.org/01/09506000134352/AQnYUc1gmiMB9tcq"),
        undefined,
        "dl-compressed",
      );
    });
  });
});
