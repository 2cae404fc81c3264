/**
 * The GS1 Barcode Syntax Tests ("linters") that the Syntax Dictionary names, written for this SDK
 * from their published descriptions (GS1 General Specifications; the reference implementations in
 * gs1/gs1-syntax-engine src/c-lib/syntax/lint_*.c, Apache-2.0, were read, not copied).
 *
 * Each linter returns undefined when the component passes, or a short reason. Linters that this SDK
 * does not implement are listed in UNCHECKED_LINTERS (the component still gets its character-set
 * and length checks); docs/GS1.md says why.
 */
import { gs1CheckDigit } from "./checkDigit";

export type Linter = (data: string) => string | undefined;

/** GS1 AI encodable character set 82 (GenSpecs figure 7.11-1), in weight order for csumalpha. */
export const CSET82_CHARS = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
/** GS1 AI encodable character set 39 (GenSpecs figure 7.11-2). */
export const CSET39_CHARS = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Check characters of csumalpha (GS1 character set 32), in weight order. */
const CSET32_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const CSET39 = /^[#\-/0-9A-Z]*$/;
const CSET64 = /^[A-Za-z0-9_-]*$/;
const DIGITS = /^[0-9]*$/;

function firstBad(data: string, allowed: string): number {
  for (let i = 0; i < data.length; i++) if (!allowed.includes(data[i])) return i;
  return -1;
}

/** Character-set checks, named as in the dictionary's types (N, X = cset 82, Y = cset 39, Z = cset 64). */
export const CSET_LINTERS: Readonly<Record<"N" | "X" | "Y" | "Z", Linter>> = {
  N: (d) => (DIGITS.test(d) ? undefined : `non-digit character at position ${firstBad(d, "0123456789") + 1}`),
  X: (d) =>
    CSET82.test(d)
      ? undefined
      : `character "${d[firstBad(d, CSET82_CHARS)]}" at position ${firstBad(d, CSET82_CHARS) + 1} is outside GS1 character set 82`,
  Y: (d) =>
    CSET39.test(d)
      ? undefined
      : `character "${d[firstBad(d, CSET39_CHARS)]}" at position ${firstBad(d, CSET39_CHARS) + 1} is outside GS1 character set 39`,
  Z: (d) => {
    // Base64url (RFC 4648 section 5); "=" padding is optional, at most 2, and only where the padded
    // length is a multiple of 3 (the rule of GS1's reference linter lint_cset64.c).
    const body = d.replace(/=+$/, "");
    const pads = d.length - body.length;
    if (pads > 2 || (pads > 0 && d.length % 3 !== 0)) return "incorrect padding (character set 64)";
    if (!CSET64.test(body)) return "character outside GS1 character set 64 (base64url)";
    return undefined;
  },
};

/** ISO 3166-1 numeric country codes (list as in GS1's reference linter lint_iso3166.c). */
const ISO3166 = new Set(
  (
    "004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064 068 070 072 074 076 084 086 090 092 096 " +
    "100 104 108 112 116 120 124 132 136 140 144 148 152 156 158 162 166 170 174 175 178 180 184 188 191 192 196 " +
    "203 204 208 212 214 218 222 226 231 232 233 234 238 239 242 246 248 250 254 258 260 262 266 268 270 275 276 288 292 296 " +
    "300 304 308 312 316 320 324 328 332 334 336 340 344 348 352 356 360 364 368 372 376 380 384 388 392 398 " +
    "400 404 408 410 414 417 418 422 426 428 430 434 438 440 442 446 450 454 458 462 466 470 474 478 480 484 492 496 498 499 " +
    "500 504 508 512 516 520 524 528 531 533 534 535 540 548 554 558 562 566 570 574 578 580 581 583 584 585 586 591 598 " +
    "600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 654 659 660 662 663 666 670 674 678 682 686 688 690 694 " +
    "702 703 704 705 706 710 716 724 728 729 732 740 744 748 752 756 760 762 764 768 772 776 780 784 788 792 795 796 798 " +
    "800 804 807 818 826 831 832 833 834 840 850 854 858 860 862 876 882 887 894"
  ).split(" "),
);

/** ISO 3166-1 alpha-2 country codes (list as in GS1's reference linter lint_iso3166alpha2.c). */
const ISO3166_ALPHA2 = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
    "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
    "UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** ISO 4217 numeric currency codes (list as in GS1's reference linter lint_iso4217.c). */
const ISO4217 = new Set(
  (
    "008 012 032 036 044 048 050 051 052 060 064 068 072 084 090 096 104 108 116 124 132 136 144 152 156 170 174 188 191 192 " +
    "203 208 214 222 230 232 238 242 262 270 292 320 324 328 332 340 344 348 352 356 360 364 368 376 388 392 398 " +
    "400 404 408 410 414 417 418 422 426 430 434 446 454 458 462 480 484 496 498 504 512 516 524 532 533 548 554 558 566 578 586 590 598 " +
    "600 604 608 634 643 646 654 682 690 694 702 704 706 710 728 748 752 756 760 764 776 780 784 788 800 807 818 826 834 840 858 860 882 886 " +
    "901 925 927 928 929 930 931 932 933 934 936 938 940 941 943 944 946 947 948 949 950 951 952 953 955 956 957 958 959 " +
    "960 961 962 963 964 965 967 968 969 970 971 972 973 975 976 977 978 979 980 981 984 985 986 990 994 997 999"
  ).split(" "),
);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YYMMDD, DD = 00 allowed when `allowDay00` (GenSpecs 7.12: the last day of the month). */
function yymmdd(data: string, allowDay00: boolean): string | undefined {
  if (!/^\d{6}$/.test(data)) return "date must be 6 digits YYMMDD";
  const month = Number(data.slice(2, 4));
  const day = Number(data.slice(4, 6));
  if (month < 1 || month > 12) return `no month ${month}`;
  if (day === 0) return allowDay00 ? undefined : "day 00 is not allowed here";
  // 2000 and 2100 differ only for YY = 00; the GS1 reference linter treats YY divisible by 4 as a leap year.
  const yy = Number(data.slice(0, 2));
  const leapProxy = 2000 + yy; // same leap-ness as the real year for every YY except 2100 ≡ 00
  if (day > daysInMonth(leapProxy, month)) return `no day ${day} in month ${month}`;
  return undefined;
}

function yyyymmdd(data: string, allowDay00: boolean): string | undefined {
  if (!/^\d{8}$/.test(data)) return "date must be 8 digits YYYYMMDD";
  const year = Number(data.slice(0, 4));
  const month = Number(data.slice(4, 6));
  const day = Number(data.slice(6, 8));
  if (month < 1 || month > 12) return `no month ${month}`;
  if (day === 0) return allowDay00 ? undefined : "day 00 is not allowed here";
  if (day > daysInMonth(year, month)) return `no day ${day} in ${year}-${String(month).padStart(2, "0")}`;
  return undefined;
}

const twoDigits = (max: number, what: string) => (d: string) =>
  /^\d{2}$/.test(d) && Number(d) <= max ? undefined : `not a valid ${what} (00-${max})`;

const hh = twoDigits(23, "hour");
const mi = twoDigits(59, "minute");

function iban(data: string): string | undefined {
  if (data.length < 5) return "IBAN too short";
  if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]+$/.test(data))
    return "IBAN must be a country code, 2 check digits and capitals or digits";
  if (!ISO3166_ALPHA2.has(data.slice(0, 2)))
    return `IBAN country "${data.slice(0, 2)}" is not an ISO 3166 alpha-2 code`;
  const rearranged = data.slice(4) + data.slice(0, 4);
  let rem = 0;
  for (const c of rearranged) {
    const v = c >= "A" ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1 ? undefined : "incorrect IBAN checksum";
}

function csumalpha(data: string): string | undefined {
  if (data.length < 2) return "too short for a check character pair";
  const body = data.slice(0, -2);
  if (firstBad(body, CSET82_CHARS) !== -1) return "character outside GS1 character set 82";
  if (firstBad(data.slice(-2), CSET32_CHARS) !== -1) return "check characters outside GS1 character set 32";
  const primes: number[] = [];
  for (let n = 2; primes.length < body.length; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += CSET82_CHARS.indexOf(body[i]) * primes[body.length - 1 - i];
  sum %= 1021;
  return data.slice(-2) === CSET32_CHARS[sum >> 5] + CSET32_CHARS[sum & 31]
    ? undefined
    : "incorrect check character pair";
}

/** Linters by the dictionary's names. */
export const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (d) => {
    if (!/^\d{2,}$/.test(d)) return "too short for a check digit";
    const want = gs1CheckDigit(d.slice(0, -1));
    return Number(d[d.length - 1]) === want ? undefined : `incorrect check digit (expected ${want})`;
  },
  csumalpha,
  // Without GS1's registry of Company Prefixes these check what the reference implementation checks
  // offline: the data starts (gcppos1) or continues after its first digit (gcppos2) with 4 digits.
  gcppos1: (d) => (/^\d{4}/.test(d) ? undefined : "does not start with a GS1 Company Prefix (4 digits at least)"),
  gcppos2: (d) => (/^.\d{4}/.test(d) ? undefined : "has no GS1 Company Prefix from position 2 (4 digits at least)"),
  yymmdd: (d) => yymmdd(d, false),
  yymmd0: (d) => yymmdd(d, true),
  yyyymmdd: (d) => yyyymmdd(d, false),
  yyyymmd0: (d) => yyyymmdd(d, true),
  hh,
  mi,
  ss: twoDigits(59, "second"),
  hhmi: (d) => (d.length === 4 ? (hh(d.slice(0, 2)) ?? mi(d.slice(2))) : "time must be 4 digits HHMI"),
  iso3166: (d) => (ISO3166.has(d) ? undefined : `"${d}" is not an ISO 3166 numeric country code`),
  iso3166999: (d) =>
    d === "999" || ISO3166.has(d) ? undefined : `"${d}" is not an ISO 3166 numeric country code or 999`,
  iso3166alpha2: (d) => (ISO3166_ALPHA2.has(d) ? undefined : `"${d}" is not an ISO 3166 alpha-2 country code`),
  iso4217: (d) => (ISO4217.has(d) ? undefined : `"${d}" is not an ISO 4217 numeric currency code`),
  iso5218: (d) => (/^[0129]$/.test(d) ? undefined : "biological sex must be 0, 1, 2 or 9 (ISO 5218)"),
  iban,
  pcenc: (d) => (/%(?![0-9A-Fa-f]{2})/.test(d) ? "invalid percent-encoding sequence" : undefined),
  yesno: (d) => (d === "0" || d === "1" ? undefined : "must be 0 or 1"),
  zero: (d) => (d === "0" ? undefined : "must be 0"),
  nonzero: (d) => (/^0+$/.test(d) ? "must not be zero" : undefined),
  nozeroprefix: (d) => (d.length > 1 && d[0] === "0" ? "must not start with 0" : undefined),
  hasnondigit: (d) => (/^\d*$/.test(d) ? "must contain a non-digit character" : undefined),
  hyphen: (d) => (d === "-" ? undefined : 'must be "-"'),
  winding: (d) => (/^[019]$/.test(d) ? undefined : "winding direction must be 0, 1 or 9"),
  pieceoftotal: (d) => {
    if (!/^\d{4}$/.test(d)) return "piece of total must be 4 digits";
    const piece = Number(d.slice(0, 2));
    const total = Number(d.slice(2));
    if (piece === 0) return "piece number must not be 0";
    if (total === 0) return "total pieces must not be 0";
    return piece <= total ? undefined : "piece number exceeds total pieces";
  },
  posinseqslash: (d) => {
    const m = /^([1-9])\/([1-9])$/.exec(d);
    if (!m) return 'must be "position/total", two digits 1-9';
    return Number(m[1]) <= Number(m[2]) ? undefined : "position exceeds total";
  },
  importeridx: (d) => (/^[0-9A-Za-z_-]$/.test(d) ? undefined : "importer index must be one of 0-9 A-Z a-z - _"),
  mediatype: (d) => {
    const n = Number(d);
    return /^\d{2}$/.test(d) && ((n >= 1 && n <= 10) || n >= 80)
      ? undefined
      : "not a GS1 AIDC media type (01-10, 80-99)";
  },
  latitude: (d) => (/^\d{10}$/.test(d) && Number(d) <= 1_800_000_000 ? undefined : "latitude out of range"),
  longitude: (d) => (/^\d{10}$/.test(d) && Number(d) <= 3_600_000_000 ? undefined : "longitude out of range"),
};

/**
 * Linters named by the dictionary that this SDK does not apply: the coupon structures (North American
 * coupon codes, AIs 8110 and 8112) and the UN/ECE Recommendation 21 package type list (AI 7041).
 */
export const UNCHECKED_LINTERS: ReadonlySet<string> = new Set(["couponcode", "couponposoffer", "packagetype"]);
