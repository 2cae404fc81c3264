/**
 * Readable signing: the ERC-7730 descriptors cover every Carechain typed struct field for field,
 * match the contracts' EIP-712 domains, are the files shipped in erc7730/, and `describe` renders one
 * plain-language sentence (names for enums and flags, dates for times).
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../../helpers/fixtures";
import {
  STRUCT_DESCRIPTIONS,
  SIGNING_ENUMS,
  describeTypedData,
  erc7730Descriptor,
  erc7730FileName,
} from "../../../src/describe";
import {
  Action,
  MAX_UINT40,
  RECORDS_TYPES,
  categoryMask,
  grantTypedData,
  purposeMask,
  revokeTypedData,
} from "../../../src/records";
import {
  ATTESTATION_TYPES,
  CONSENT_TYPES,
  REPRESENTATIVE_APPOINTMENT_TYPES,
  REPRESENTATIVE_DETERMINATION_TYPES,
  REPRESENTATIVE_REVOCATION_TYPES,
  WITHDRAWAL_TYPES,
  buildConsent,
  buildWithdrawal,
  consentTerms,
  encodeScope,
  WithdrawalChoice,
} from "../../../src/trials";
import { readDomain } from "../../../src/signatures";

const PATIENT = "0x" + "11".repeat(20);
const GRANTEE = "0x" + "22".repeat(20);
const CONTRACT = "0x" + "33".repeat(20);
const domain = { chainId: 31337n, verifyingContract: CONTRACT };
// 2026-12-01 00:00 UTC and 2026-12-31 00:00 UTC, as unix seconds.
const DEC_1 = 1796083200n;
const DEC_31 = 1798675200n;

/** Every typed struct the SDK signs, by primary type (the SDK's types are the contracts' type hashes). */
const SDK_STRUCTS: Record<string, { name: string; type: string }[]> = {
  ...Object.fromEntries(Object.entries(RECORDS_TYPES).map(([k, v]) => [k, [...v]])),
  ...CONSENT_TYPES,
  ...ATTESTATION_TYPES,
  ...WITHDRAWAL_TYPES,
  ...REPRESENTATIVE_APPOINTMENT_TYPES,
  ...REPRESENTATIVE_REVOCATION_TYPES,
  ...REPRESENTATIVE_DETERMINATION_TYPES,
};

describe("SDK signing: ERC-7730 descriptors and describe()", function () {
  describe("descriptors", function () {
    it("describe every typed struct, every field shown or excluded (the nonce only)", function () {
      expect(Object.keys(STRUCT_DESCRIPTIONS).sort()).to.deep.equal(Object.keys(SDK_STRUCTS).sort());
      for (const contract of ["records", "trials"] as const) {
        const d = erc7730Descriptor(contract) as {
          context: { eip712: { schemas: { primaryType: string; types: Record<string, unknown[]> }[] } };
          display: { formats: Record<string, { fields: { path: string; format: string }[]; excluded: string[] }> };
        };
        for (const schema of d.context.eip712.schemas) {
          const fields = SDK_STRUCTS[schema.primaryType];
          expect(schema.types[schema.primaryType], schema.primaryType).to.deep.equal(fields);
          const format = d.display.formats[schema.primaryType];
          const shown = format.fields.map((f) => f.path);
          expect([...shown, ...format.excluded].sort(), schema.primaryType).to.deep.equal(
            fields.map((f) => f.name).sort(),
          );
          expect(format.excluded, schema.primaryType).to.deep.equal(["nonce"]);
          for (const f of format.fields) {
            expect(["addressName", "date", "enum", "raw"], `${schema.primaryType}.${f.path}`).to.include(f.format);
          }
          // Times are dates, addresses are names, small ints are enums.
          for (const field of fields) {
            const f = format.fields.find((x) => x.path === field.name);
            if (!f) continue;
            if (field.type === "address")
              expect(f.format, `${schema.primaryType}.${field.name}`).to.equal("addressName");
            if (field.type === "uint40" || field.name === "deadline") {
              expect(f.format, `${schema.primaryType}.${field.name}`).to.equal("date");
            }
            if (field.type === "uint8" && field.name !== "protocolVersion") {
              expect(f.format, `${schema.primaryType}.${field.name}`).to.equal("enum");
            }
          }
        }
        expect(d.display.formats).to.have.all.keys(d.context.eip712.schemas.map((s) => s.primaryType));
      }
    });

    it("are the files shipped in erc7730/ (npx ts-node -T scripts/erc7730.ts regenerates them)", function () {
      for (const contract of ["records", "trials"] as const) {
        const file = path.join(__dirname, "..", "..", "..", "erc7730", erc7730FileName(contract));
        expect(JSON.parse(fs.readFileSync(file, "utf8"))).to.deep.equal(
          JSON.parse(JSON.stringify(erc7730Descriptor(contract))),
        );
      }
    });

    it("are bound to the domains the deployed contracts declare (ERC-5267)", async function () {
      const c = await loadFixture(deployConsortiumFixture);
      for (const [contract, address] of [
        ["records", await (c.deployed.records as { getAddress(): Promise<string> }).getAddress()],
        ["trials", await (c.deployed.trials as { getAddress(): Promise<string> }).getAddress()],
      ] as const) {
        const onChain = await readDomain(address, ethers.provider);
        const d = erc7730Descriptor(contract) as { context: { eip712: { domain: { name: string; version: string } } } };
        expect(d.context.eip712.domain).to.deep.equal({ name: onChain.name, version: onChain.version });
      }
    });

    it("name every category, purpose and DUO bit", function () {
      expect(Object.keys(SIGNING_ENUMS.categories)).to.have.length(9);
      expect(Object.keys(SIGNING_ENUMS.purposes)).to.have.length(6);
      expect(Object.keys(SIGNING_ENUMS.duoScope)).to.have.length(9);
    });
  });

  describe("describe()", function () {
    it("renders a grant with names for flags and dates for times", function () {
      const data = grantTypedData(domain, {
        patient: PATIENT,
        signer: PATIENT,
        grantee: GRANTEE,
        categories: categoryMask(["Labs", "Imaging"]),
        actions: Action.Read,
        purposes: purposeMask(["Treatment"]),
        validFrom: DEC_1,
        validUntil: DEC_31,
        dataFrom: 0n,
        dataUntil: MAX_UINT40,
        nonce: 0n,
        deadline: DEC_1,
      });
      expect(describeTypedData(data, { names: { [GRANTEE]: "Dr Rivera" } })).to.equal(
        `You, the patient, let Dr Rivera (${ethers.getAddress(GRANTEE)}) read lab results and imaging records of patient ` +
          `${ethers.getAddress(PATIENT)} for treatment, from 2026-12-01 00:00 UTC until 2026-12-31 00:00 UTC, covering records ` +
          `dated from the earliest until the latest; this signature expires 2026-12-01 00:00 UTC.`,
      );
    });

    it("renders a revocation", function () {
      const data = revokeTypedData(domain, {
        patient: PATIENT,
        signer: GRANTEE,
        grantee: CONTRACT,
        nonce: 1n,
        deadline: DEC_31,
      });
      expect(describeTypedData(data)).to.equal(
        `You (${ethers.getAddress(GRANTEE)}), as guardian of patient ${ethers.getAddress(PATIENT)}, end the access of ` +
          `${ethers.getAddress(CONTRACT)} to the records of patient ${ethers.getAddress(PATIENT)}; this signature expires 2026-12-31 00:00 UTC.`,
      );
    });

    it("renders a trial consent with DUO labels, categories and the contact choice", function () {
      const trialId = ethers.id("trial");
      const terms = consentTerms({
        trialId,
        participant: PATIENT,
        protocolVersion: 2,
        consentFormHash: ethers.id("form"),
        scope: encodeScope(["HMB", "NCU"]),
        categories: categoryMask(["Genomic"]),
        futureContact: true,
        deadline: DEC_1,
      });
      const sentence = describeTypedData(buildConsent(domain, terms, 0n), { names: { [trialId]: "ACME-ONC-001" } });
      expect(sentence).to.equal(
        `You, participant ${ethers.getAddress(PATIENT)}, consent to trial ACME-ONC-001 under protocol version 2 and consent form ` +
          `${ethers.id("form")}: genomic data records may be used for health or medical or biomedical research and non-commercial ` +
          `use only until no end date, and you may be contacted about future research (participant's consent); this signature ` +
          `expires 2026-12-01 00:00 UTC.`,
      );
    });

    it("renders a withdrawal choice by name", function () {
      const data = buildWithdrawal(domain, ethers.id("t"), PATIENT, WithdrawalChoice.WithdrawData, PATIENT, DEC_1, 0n);
      expect(describeTypedData(data)).to.contain("stop collecting and withdraw the data already collected");
    });

    it("renders every struct without raw enum numbers or unix times", function () {
      for (const [primaryType, d] of Object.entries(STRUCT_DESCRIPTIONS)) {
        const message: Record<string, unknown> = {};
        for (const f of d.types[primaryType]) {
          message[f.name] =
            f.type === "address"
              ? PATIENT
              : f.type === "bytes32"
                ? ethers.ZeroHash
                : f.type === "bool"
                  ? false
                  : f.name === "meaning"
                    ? "1"
                    : f.name === "choice" || f.name === "scope"
                      ? "1"
                      : f.type === "uint40" || f.name === "deadline"
                        ? DEC_1.toString()
                        : "1";
        }
        const s = describeTypedData({ domain: {}, types: d.types, primaryType, message });
        expect(s, primaryType).to.match(/\.$/);
        expect(s, primaryType).to.not.match(/unknown|\b1796083200\b/);
      }
    });

    it("refuses a struct that is not Carechain's", function () {
      expect(() => describeTypedData({ domain: {}, types: { Mail: [] }, primaryType: "Mail", message: {} })).to.throw(
        "Mail is not a Carechain signed action",
      );
    });
  });
});
