/**
 * Nothing wrong reaches the chain: every bad serial file or commissioning the chain would refuse gets
 * one "Error:" line, and leaves the chain (block number) and the working folder (no tree, no EPCIS
 * file) as they were.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { admit, deployConsortiumFixture } from "../helpers/fixtures";
import { runTaskCapturing } from "../helpers/tasks";
import { ACTOR_INDEX } from "../../scripts/lib/actors";
import { LotStatus, lotIdOf } from "../../src/supply";
import type { SupplyChain } from "../../typechain-types";

const GTIN = "09506000134352";
const M = String(ACTOR_INDEX.manufacturer);

describe("supply:commission input checks (test/cli)", function () {
  async function fixture() {
    const f = await deployConsortiumFixture();
    const supply = f.deployed.supply as unknown as SupplyChain;
    await supply.connect(f.manufacturer).registerProduct(GTIN, ethers.id("leaflet"));
    return { ...f, supply, address: await supply.getAddress() };
  }

  /** Runs supply:commission in a fresh folder holding only `csv` (as serials.csv), with default output names. */
  async function commission(address: string, csv: string, extra: Record<string, unknown> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "commission-"));
    fs.writeFileSync(path.join(dir, "serials.csv"), csv);
    const cwd = process.cwd();
    const block = await ethers.provider.getBlockNumber();
    process.chdir(dir);
    try {
      const r = await runTaskCapturing("supply:commission", {
        address,
        from: M,
        gtin: GTIN,
        lot: "L1",
        expiry: "301231",
        serials: "serials.csv",
        ...extra,
      });
      return {
        ...r,
        errors: r.lines.filter((l) => l.startsWith("Error:")),
        files: fs.readdirSync(dir).sort(),
        blocksAdded: (await ethers.provider.getBlockNumber()) - block,
      };
    } finally {
      process.chdir(cwd);
    }
  }

  /** One Error line matching `expected`, exit code 1, no block mined, no file besides the CSV. */
  function expectRefused(r: Awaited<ReturnType<typeof commission>>, expected: RegExp) {
    expect(r.exitCode, r.lines.join("\n")).to.equal(1);
    expect(r.errors, r.lines.join("\n")).to.have.length(1);
    expect(r.errors[0]).to.match(expected);
    expect(r.blocksAdded, "nothing sent").to.equal(0);
    expect(r.files, "no file left").to.deep.equal(["serials.csv"]);
  }

  it("reads a semicolon-separated, quoted CSV with CRLF and a BOM by its serial column: the serials are the values, not the header or the quotes", async function () {
    const { address, supply } = await loadFixture(fixture);
    const csv = '\uFEFF"Expiry";"Serial"\r\n"301231";"Q1"\r\n301231;"Q""2"\r\n\r\n301231;Q3\r\n';
    const r = await commission(address, csv, { dryRun: true });
    expect(r.exitCode, r.lines.join("\n")).to.equal(undefined);
    expect(r.lines[0]).to.equal('serials.csv: 3 serials in column "Serial" (semicolon-separated): Q1, Q"2, Q3');
    expect(r.lines.at(-1)).to.match(/^dry run: the chain would commission lot 0x[0-9a-f]{64} of 3 units; nothing/);
    expect(r.files).to.deep.equal(["serials.csv"]);
    expect(r.blocksAdded).to.equal(0);
    expect((await supply.lotOf(lotIdOf(GTIN, "L1"))).status).to.equal(LotStatus.None);

    const sent = await commission(address, csv);
    expect(sent.exitCode, sent.lines.join("\n")).to.equal(undefined);
    expect(
      sent.files.filter((f) => f.endsWith(".epcis.jsonld")),
      sent.files.join(),
    ).to.have.length(1);
    expect(sent.files).to.include("L1.serials.json");
    expect((await supply.lotOf(lotIdOf(GTIN, "L1"))).unitCount).to.equal(3);
  });

  it("takes an explicit --delimiter (tab) and refuses a wrong one with one line", async function () {
    const { address } = await loadFixture(fixture);
    const ok = await commission(address, "serial\tnote\nA1\tx\nA2\ty\n", { delimiter: "tab", dryRun: true });
    expect(ok.exitCode, ok.lines.join("\n")).to.equal(undefined);
    expect(ok.lines[0]).to.match(/2 serials in column "serial" \(tab-separated\): A1, A2$/);
    expectRefused(
      await commission(address, "serial\tnote\nA1\tx\n", { delimiter: ";" }),
      /^Error: serials CSV has no column named "serial" in its header \(semicolon-separated\)/,
    );
  });

  it("refuses a CSV without a serial column by name (it once used the first column)", async function () {
    const { address } = await loadFixture(fixture);
    expectRefused(
      await commission(address, "SN0001\nSN0002\n"),
      /^Error: serials CSV has no column named "serial" in its header: first row is "SN0001" \(tried comma, semicolon, tab and pipe\)$/,
    );
    expectRefused(await commission(address, "gtin;lot\n0950;L1\n"), /^Error: serials CSV has no column named "serial"/);
  });

  it("lists every duplicate with its line numbers, and sends nothing", async function () {
    const { address } = await loadFixture(fixture);
    const r = await commission(address, "serial\nA1\nA2\nA1\nB7\nA2\nA1\n");
    expectRefused(
      r,
      /^Error: serials\.csv: 2 serials appear more than once \("A1" on lines 2, 4, 7, …: all listed above\); nothing was sent$/,
    );
    expect(r.out).to.deep.equal(['  duplicate "A1" on lines 2, 4, 7', '  duplicate "A2" on lines 3, 6']);
  });

  it("refuses bad CSV (ragged rows, an unclosed quote, an empty or non-GS1 serial) naming the line", async function () {
    const { address } = await loadFixture(fixture);
    expectRefused(
      await commission(address, "serial,note\nA1,x\nA2\n"),
      /^Error: serials CSV is not valid CSV \(comma-separated\): Invalid Record Length: expect 2, got 1 on line 3$/,
    );
    expectRefused(
      await commission(address, 'serial\n"A1\nA2\n'),
      /^Error: serials CSV is not valid CSV .*Quote Not Closed/,
    );
    expectRefused(
      await commission(address, "serial,note\nA1,x\n,y\n"),
      /^Error: serials CSV line 3 has no serial in column "serial"$/,
    );
    expectRefused(
      await commission(address, "serial\nA 1\n"),
      /^Error: serials CSV line 2: AI \(21\) SERIAL: character " "/,
    );
    expectRefused(await commission(address, "serial\n"), /^Error: serials CSV has a header but no serials$/);
  });

  it("asks the chain before building anything: unknown product, lot number taken, not the manufacturer, expiry past — one line, no files", async function () {
    const { address, supply, manufacturer, registrar, registry, signers } = await loadFixture(fixture);
    const csv = "serial\nA1\nA2\n";
    expectRefused(
      await commission(address, csv, { gtin: "00012345600012" }),
      /^Error: ProductUnknown: product GTIN 00012345600012 is not registered$/,
    );
    expectRefused(
      await commission(address, csv, { from: String(ACTOR_INDEX.wholesaler) }),
      /^Error: MemberGatedUnauthorized: 0x[0-9a-fA-F]{40} is not an active member holding the MANUFACTURER role$/,
    );
    // Another manufacturer member is not the product's manufacturer.
    const other = signers[20];
    await admit(registry, registrar, other, 90, ["MANUFACTURER"]);
    expectRefused(await commission(address, csv, { from: "20" }), /^Error: ProductNotManufacturer: /);
    expectRefused(
      await commission(address, csv, { expiry: "200101" }),
      /^Error: LotInvalidExpiry: lot invalid expiry \(expiry 2020-01-02 00:00 UTC, nowSeconds /,
    );
    await supply.connect(manufacturer).commissionLot(GTIN, "L1", 1924905600n, 1, ethers.id("root"), ethers.ZeroHash);
    expectRefused(await commission(address, csv), /^Error: LotAlreadyCommissioned: /);
    expectRefused(await commission(address, csv, { dryRun: true }), /^Error: LotAlreadyCommissioned: /);
  });
});
