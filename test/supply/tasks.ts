import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import type { SupplyChain } from "../../typechain-types";
import { LotStatus, lotIdOf, sequentialSerials } from "../../src/supply";
import { formatBracketed, formatRaw } from "../../src/gs1";
import { runTaskCapturing } from "../helpers/tasks";
import { setAsk } from "../../tasks/prompt";
import {
  documentToXml,
  epcisDocument,
  eventHashBytes32,
  fetchAnchoredSteps,
  hashEpcisDocument,
  shippingEvent,
  type EpcisEvent,
} from "../../src/epcis";
import { ethers } from "hardhat";
import { startResponder } from "../../services/responder/src/server";
import { TreeStore, openDatabase } from "../../services/responder/src/store";

/** The EPCIS event file a task wrote, from its "EPCIS event 0x… written to <file>" line. */
function writtenEvent(out: string): { hash: string; file: string } {
  const m = /EPCIS event (0x[0-9a-f]{64}) written to (.+)$/m.exec(out);
  if (!m) throw new Error(`no EPCIS event file printed:\n${out}`);
  return { hash: m[1], file: m[2] };
}

async function runTask(name: string, args: Record<string, unknown>): Promise<{ out: string; code: number }> {
  const { lines, exitCode } = await runTaskCapturing(name, args);
  return { out: lines.join("\n"), code: Number(exitCode ?? 0) };
}

describe("supply tasks", function () {
  // As in CI: nobody at a terminal to confirm a suspect pack (test/cli/dispense-confirm.tasks.ts asks).
  before(() => setAsk(undefined));
  after(() => setAsk("terminal"));

  async function taskFixture() {
    const f = await deployConsortiumFixture();
    const supply = f.deployed.supply as unknown as SupplyChain;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supply-tasks-"));
    const csv = path.join(dir, "serials.csv");
    fs.writeFileSync(csv, "serial\n" + sequentialSerials(1000).join("\n") + "\n");
    return { ...f, supply, address: await supply.getAddress(), dir, csv };
  }

  it("runs the lot's life (register, commission from CSV, ship, receive, verify, dispense, alert, release, cancel, quarantine, excursion, recall, destroy); each written EPCIS event recomputes to its anchored hash and supply:match-epcis matches them all", async function () {
    const { supply, address, dir, csv, pharmacy, regulator, manufacturer } = await loadFixture(taskFixture);
    const M = "3"; // manufacturer's account index in the consortium fixture
    const P = "5"; // pharmacy
    const R = "12"; // regulator
    let r = await runTask("supply:register-product", {
      address,
      from: M,
      gtin: "09506000134352",
      metadata: "leaflet v1",
    });
    expect(r.code, r.out).to.equal(0);
    const tree = path.join(dir, "tree.json");
    r = await runTask("supply:commission", {
      address,
      from: M,
      gtin: "09506000134352",
      lot: "T1",
      expiry: "301231",
      serials: csv,
      out: tree,
      epcisOut: path.join(dir, "commissioning.jsonld"),
    });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/built the tree of 1000 serials/);
    const written = [writtenEvent(r.out)];
    expect(written[0].file).to.equal(path.join(dir, "commissioning.jsonld"));
    const lotId = lotIdOf("09506000134352", "T1");
    expect((await supply.lotOf(lotId)).unitCount).to.equal(1000);

    r = await runTask("supply:ship", {
      address,
      from: M,
      gtin: "09506000134352",
      lot: "T1",
      to: pharmacy.address,
      quantity: 10,
      epcisOut: path.join(dir, "shipping.jsonld"),
    });
    expect(r.code, r.out).to.equal(0);
    written.push(writtenEvent(r.out));
    const shipment = /shipment (0x[0-9a-f]{64})/.exec(r.out)![1];
    // Without --epcis-out the event goes to <lot>.<act>.<shortHash>.epcis.jsonld in the current folder.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      r = await runTask("supply:receive", { address, from: P, shipment, reject: false });
    } finally {
      process.chdir(cwd);
    }
    expect(r.code, r.out).to.equal(0);
    const received = writtenEvent(r.out);
    expect(received.file).to.equal(`T1.receiving.${received.hash.slice(2, 10)}.epcis.jsonld`);
    written.push({ ...received, file: path.join(dir, received.file) });
    expect((await supply.custodyOf(lotId, pharmacy.address)).quantity).to.equal(10);

    const pack = { gtin: "09506000134352", serial: "SN0000000042", lot: "T1", expiry: "301231" };
    r = await runTask("supply:verify", { address, code: formatBracketed(pack), tree, holder: pharmacy.address });
    expect(r.out).to.match(/^Genuine: GTIN 09506000134352 serial SN0000000042/);
    r = await runTask("supply:dispense", { address, from: P, code: formatRaw(pack), tree });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/dispensed serial SN0000000042/);
    // The pharmacy's own double scan: answered, nothing sent, no alert.
    r = await runTask("supply:dispense", { address, from: P, code: formatRaw(pack), tree });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^already dispensed by you: serial SN0000000042/);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
    // A suspect pack needs the pharmacist's decision: without --report-suspect nothing is sent.
    const block = await ethers.provider.getBlockNumber();
    r = await runTask("supply:dispense", { address, from: P, code: formatRaw({ ...pack, serial: "FAKE1" }), tree });
    expect(r.code, r.out).to.equal(1);
    expect(r.out).to.equal(
      "Error: serial FAKE1 verifies as UnknownSerial, not Genuine: not dispensed, nothing sent. Keep the pack " +
        "aside; to record a suspect-pack alert (the lot may be put on hold) run again with --report-suspect",
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
    r = await runTask("supply:verify", { address, code: formatBracketed({ ...pack, serial: "FAKE1" }), tree });
    expect(r.code, r.out).to.equal(2);
    expect(r.out).to.match(/^UnknownSerial: GTIN 09506000134352 serial FAKE1/);
    r = await runTask("supply:dispense", {
      address,
      from: P,
      code: formatRaw({ ...pack, serial: "FAKE1" }),
      tree,
      reportSuspect: true,
    });
    expect(r.code).to.equal(2);
    expect(r.out).to.match(/ALERT recorded: UnknownSerial/);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);

    // A shipment to a member that cannot receive (the regulator has no trading role) is cancelled by its sender.
    r = await runTask("supply:ship", { address, from: M, lotId, to: regulator.address, quantity: 5 }).catch(
      (e: unknown) => ({ code: 1, out: String(e) }),
    );
    expect(r.code).to.equal(1); // the lot is on hold: nothing ships
    r = await runTask("supply:release", { address, from: R, lotId, epcisOut: path.join(dir, "release.jsonld") });
    expect(r.code, r.out).to.equal(0);
    written.push(writtenEvent(r.out));
    r = await runTask("supply:ship", {
      address,
      from: M,
      lotId,
      to: regulator.address,
      quantity: 5,
      epcisOut: path.join(dir, "shipping-2.jsonld"),
    });
    expect(r.code, r.out).to.equal(0);
    written.push(writtenEvent(r.out));
    const stranded = /shipment (0x[0-9a-f]{64})/.exec(r.out)![1];
    r = await runTask("supply:cancel", {
      address,
      from: M,
      shipment: stranded,
      epcisOut: path.join(dir, "cancellation.jsonld"),
    });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^cancelled shipment 0x/m);
    written.push(writtenEvent(r.out));
    expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(990);

    for (const [task, act, from] of [
      ["supply:quarantine", "quarantine", M],
      ["supply:excursion", "excursion", P],
      ["supply:recall", "recall", R],
      ["supply:destroy", "destruction", R],
    ] as const) {
      const extra =
        task === "supply:recall"
          ? { class: "I" }
          : task === "supply:excursion"
            ? { minTemp: "2.5", maxTemp: "14" }
            : {};
      r = await runTask(task, { address, from, lotId, ...extra, epcisOut: path.join(dir, `${act}.jsonld`) });
      expect(r.code, `${task}: ${r.out}`).to.equal(0);
      written.push(writtenEvent(r.out));
      if (task === "supply:recall") expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Recalled);
    }
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Destroyed);

    // Each written file recomputes (Event Hash ID) to the hash its step anchored on chain.
    const steps = await fetchAnchoredSteps(ethers.provider, address, { lotId });
    const alertHold = steps.find((s) => s.event === "LotQuarantined" && s.args.origin === "3")!;
    expect(alertHold, "the counterfeit scan's hold").to.not.equal(undefined);
    const anchoredByTasks = steps.filter((s) => s !== alertHold);
    expect(anchoredByTasks.map((s) => s.event)).to.deep.equal([
      "LotCommissioned",
      "ShipmentSent",
      "ShipmentReceived",
      "LotReleased",
      "ShipmentSent",
      "ShipmentCancelled",
      "LotQuarantined",
      "ColdChainExcursion",
      "LotRecalled",
      "LotDestroyed",
    ]);
    const events: EpcisEvent[] = [];
    written.forEach((w, k) => {
      const [hashed] = hashEpcisDocument(fs.readFileSync(w.file, "utf8"));
      expect(hashed.bytes32, w.file).to.equal(w.hash);
      expect(hashed.bytes32, w.file).to.equal(anchoredByTasks[k].hash);
      events.push(hashed.event!);
    });
    const sensor = JSON.parse(fs.readFileSync(path.join(dir, "excursion.jsonld"), "utf8")).epcisBody.eventList[0];
    expect(sensor.sensorElementList[0].sensorReport[0]).to.include({ minValue: 2.5, maxValue: 14, uom: "CEL" });

    // A partner's repository holding the written events (here as one XML document) matches every step.
    const partner = path.join(dir, "partner.xml");
    fs.writeFileSync(partner, documentToXml(epcisDocument(events, "2026-01-01T00:00:00Z")));
    const match = await runTaskCapturing("supply:match-epcis", { address, file: partner, lotId, json: true });
    const report = JSON.parse(match.out.join("\n"));
    expect(report.matched.map((m: { steps: { tx: string }[] }) => m.steps[0].tx)).to.deep.equal(
      anchoredByTasks.map((s) => s.transactionHash),
    );
    expect(report.unanchored).to.deep.equal([]);
    expect(report.missing.map((s: { tx: string }) => s.tx)).to.deep.equal([alertHold.transactionHash]);
    const text = await runTaskCapturing("supply:match-epcis", { address, file: partner, lotId });
    expect(text.out.filter((l) => l.startsWith("  anchored  "))).to.have.length(anchoredByTasks.length);
    expect(text.out.filter((l) => l.includes("MISSING FROM DOCUMENT"))).to.deep.equal([
      `  MISSING FROM DOCUMENT  LotQuarantined lot ${lotId} hash ${alertHold.hash} tx ${alertHold.transactionHash}`,
    ]);
    expect(text.exitCode).to.equal(2); // the counterfeit scan's hold anchors the pack's leaf, not an EPCIS event
  });

  it("verifies and dispenses with only the manufacturer's responder URL (--responder, signed by --from): genuine, double scan, counterfeit alert; a stranger and an unreachable responder get one Error line", async function () {
    const { supply, address, dir, csv, pharmacy } = await loadFixture(taskFixture);
    const M = "3";
    const P = "5";
    const gtin = "09506000134352";
    let r = await runTask("supply:register-product", { address, from: M, gtin });
    expect(r.code, r.out).to.equal(0);
    const tree = path.join(dir, "r1.serials.json");
    r = await runTask("supply:commission", {
      address,
      from: M,
      gtin,
      lot: "R1",
      expiry: "301231",
      serials: csv,
      out: tree,
      event: ethers.id("commissioning R1"),
    });
    expect(r.code, r.out).to.equal(0);
    r = await runTask("supply:ship", {
      address,
      from: M,
      gtin,
      lot: "R1",
      to: pharmacy.address,
      quantity: 10,
      event: ethers.id("shipping R1"),
    });
    expect(r.code, r.out).to.equal(0);
    const shipment = /shipment (0x[0-9a-f]{64})/.exec(r.out)![1];
    r = await runTask("supply:receive", {
      address,
      from: P,
      shipment,
      reject: false,
      event: ethers.id("receiving R1"),
    });
    expect(r.code, r.out).to.equal(0);

    // The manufacturer's responder holds the tree; the pharmacy has only its URL.
    const store = new TreeStore(await openDatabase({ dataDir: path.join(dir, "pglite") }), path.join(dir, "trees"));
    await store.init();
    await store.importFile(tree);
    fs.rmSync(tree);
    const responder = await startResponder({ store, provider: ethers.provider, supplyChain: address, port: 0 });
    try {
      const lotId = lotIdOf(gtin, "R1");
      const pack = { gtin, serial: "SN0000000042", lot: "R1", expiry: "301231" };
      const url = responder.url;
      // Without --responder the endpoint directory on chain is asked: nothing published yet → one line.
      r = await runTask("supply:verify", { address, from: P, code: formatBracketed(pack) });
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.match(
        /^Error: GTIN 09506000134352's manufacturer 0x[0-9a-fA-F]{40} has published no verification responder .*--responder URL/,
      );
      r = await runTask("supply:verify", {
        address,
        from: P,
        code: formatBracketed({ ...pack, gtin: "09506000134369" }),
      });
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.equal(
        "Error: GTIN 09506000134369 is not registered on chain: the pack cannot be genuine (--responder URL, or --tree FILE for the manufacturer's own file)",
      );
      // The manufacturer publishes its responder; a second identical run changes nothing.
      const registry = await supply.registry();
      r = await runTask("access:set-endpoint", { address: registry, from: M, url });
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(
        /^published gs1:verificationService of 0x[0-9a-fA-F]{40}: http:\/\/127\.0\.0\.1:\d+ \(tx 0x/,
      );
      r = await runTask("access:set-endpoint", { address: registry, from: M, url });
      expect(r.out).to.match(/^nothing changed: /);
      r = await runTask("access:set-endpoint", { address: registry, from: P, url: "ftp://x" });
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.match(/^Error: --url "ftp:\/\/x" is not an http\(s\) URL/);
      // Now the pharmacy needs no URL at all: GTIN → manufacturer → its published responder.
      r = await runTask("supply:verify", {
        address,
        from: P,
        code: formatBracketed(pack),
        holder: pharmacy.address,
      });
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/^Genuine: GTIN 09506000134352 serial SN0000000042 lot R1/);
      r = await runTask("supply:dispense", { address, from: P, code: formatRaw(pack), responder: url });
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/^dispensed serial SN0000000042 \(tx 0x/);
      const [decommissioned] = await supply.queryFilter(supply.filters.UnitDecommissioned(lotId));
      expect(decommissioned.args.index).to.equal(42n);
      // The pharmacy's own double scan: answered, nothing sent, no alert.
      const block = await ethers.provider.getBlockNumber();
      r = await runTask("supply:dispense", { address, from: P, code: formatRaw(pack), responder: url });
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/^already dispensed by you: serial SN0000000042/);
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      r = await runTask("supply:verify", { address, from: P, code: formatBracketed(pack), responder: url });
      expect(r.code, r.out).to.equal(2);
      expect(r.out).to.match(/^AlreadyDecommissioned: /);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);

      // A counterfeit: the responder does not hold the serial (found: false), the chain says UnknownSerial.
      const fake = { ...pack, serial: "FAKE1" };
      r = await runTask("supply:verify", { address, from: P, code: formatBracketed(fake), responder: url });
      expect(r.code, r.out).to.equal(2);
      expect(r.out).to.match(/^UnknownSerial: GTIN 09506000134352 serial FAKE1/);
      r = await runTask("supply:dispense", { address, from: P, code: formatRaw(fake), responder: url });
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.match(
        /^Error: serial FAKE1 verifies as UnknownSerial, not Genuine: not dispensed, nothing sent/,
      );
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
      r = await runTask("supply:dispense", {
        address,
        from: P,
        code: formatRaw(fake),
        responder: url,
        reportSuspect: true,
      });
      expect(r.code, r.out).to.equal(2);
      expect(r.out).to.match(/^ALERT recorded: UnknownSerial for serial FAKE1; pack not dispensed/);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);

      // Only active trading members get proofs: the deployer (0) and an outsider (15) are refused.
      for (const from of ["0", "15"]) {
        const before = await ethers.provider.getBlockNumber();
        r = await runTask("supply:dispense", { address, from, code: formatRaw(pack), responder: url });
        expect(r.code, r.out).to.equal(1);
        expect(r.out.split("\n"), r.out).to.have.length(1);
        expect(r.out).to.match(/^Error: responder refused \(403 not_a_trading_member\): /);
        expect(await ethers.provider.getBlockNumber()).to.equal(before);
      }
    } finally {
      await responder.close();
      await store.close();
    }
    // Nobody answers there any more.
    r = await runTask("supply:verify", {
      address,
      from: P,
      code: formatBracketed({ gtin, serial: "SN0000000001", lot: "R1", expiry: "301231" }),
      responder: responder.url,
    });
    expect(r.code, r.out).to.equal(1);
    expect(r.out).to.match(/^Error: cannot reach the responder at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/);
  });

  it("anchors a partner's own EPCIS event (1.2 XML) or a 0x hash with --event, and refuses bad --event input with nothing on chain", async function () {
    const { supply, address, dir, csv, pharmacy, manufacturer } = await loadFixture(taskFixture);
    const M = "3";
    let r = await runTask("supply:register-product", { address, from: M, gtin: "09506000134352" });
    expect(r.code, r.out).to.equal(0);
    r = await runTask("supply:commission", {
      address,
      from: M,
      gtin: "09506000134352",
      lot: "T2",
      expiry: "301231",
      serials: csv,
      out: path.join(dir, "t2.json"),
      event: ethers.id("commissioning event hashed elsewhere"),
    });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.not.match(/written to/);
    const lotId = lotIdOf("09506000134352", "T2");
    const [commissioned] = await supply.queryFilter(supply.filters.LotCommissioned(lotId));
    expect(commissioned.args.eventHash).to.equal(ethers.id("commissioning event hashed elsewhere"));

    const event = shippingEvent({
      eventTime: "2026-03-01T10:00:00Z",
      gtin: "09506000134352",
      lot: "T2",
      quantity: 3,
      fromGln: "4000000000013",
      toGln: "4000000000020",
    });
    const xml = path.join(dir, "own.xml");
    fs.writeFileSync(xml, documentToXml(epcisDocument([event], "2026-03-01T10:00:00Z"), "1.2"));
    r = await runTask("supply:ship", { address, from: M, lotId, to: pharmacy.address, quantity: 3, event: xml });
    expect(r.code, r.out).to.equal(0);
    const [sent] = await supply.queryFilter(supply.filters.ShipmentSent(lotId));
    expect(sent.args.eventHash).to.equal(eventHashBytes32(event));

    const bad: [string, string | undefined, RegExp][] = [
      ["missing.jsonld", undefined, /^Error: --event .*missing\.jsonld: no such readable file/],
      ["broken.jsonld", '{"type": "EPCISDocument", ', /^Error: --event .*broken\.jsonld: neither XML nor JSON/],
      ["broken.xml", "<epcis:EPCISDocument><EPCISBody>", /^Error: --event .*broken\.xml: /],
      [
        "empty.jsonld",
        JSON.stringify(epcisDocument([], "2026-03-01T10:00:00Z")),
        /^Error: --event .*empty\.jsonld: an EPCIS document of exactly one event is needed, it has 0/,
      ],
      [
        "two.jsonld",
        JSON.stringify(
          epcisDocument([event, { ...event, eventTime: "2026-03-02T10:00:00.000Z" }], "2026-03-02T10:00:00Z"),
        ),
        /^Error: --event .*two\.jsonld: an EPCIS document of exactly one event is needed, it has 2/,
      ],
      ["0x1234", undefined, /^Error: --event 0x1234: a hash must be 0x \+ 64 hex digits/],
    ];
    const custody = (await supply.custodyOf(lotId, manufacturer.address)).quantity;
    for (const [name, content, expected] of bad) {
      const file = name.startsWith("0x") ? name : path.join(dir, name);
      if (content !== undefined) fs.writeFileSync(file, content);
      const block = await ethers.provider.getBlockNumber();
      r = await runTask("supply:ship", { address, from: M, lotId, to: pharmacy.address, quantity: 1, event: file });
      expect(r.code, `${name}: ${r.out}`).to.equal(1);
      const errors = r.out.split("\n").filter((l) => l.startsWith("Error:"));
      expect(errors, r.out).to.have.length(1);
      expect(errors[0], name).to.match(expected);
      expect(await ethers.provider.getBlockNumber(), `${name}: a transaction was sent`).to.equal(block);
    }
    expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(custody);
    // A refused transaction leaves no event file behind: nothing was anchored.
    const before = fs.readdirSync(dir).length;
    r = await runTask("supply:ship", {
      address,
      from: M,
      lotId,
      to: manufacturer.address,
      quantity: 1,
      epcisOut: path.join(dir, "refused.jsonld"),
    });
    expect(r.out).to.match(/^Error: ShipmentInvalidRecipient: /m);
    expect(fs.existsSync(path.join(dir, "refused.jsonld"))).to.equal(false);
    expect(fs.readdirSync(dir).length).to.equal(before);
  });

  it("prints one-line errors for bad input and reverts", async function () {
    const { address, csv, pharmacy } = await loadFixture(taskFixture);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["supply:register-product", { address, from: "3", gtin: "09506000134353" }, /^Error: GTIN check digit is wrong/],
      [
        "supply:register-product",
        { address, from: "5", gtin: "09506000134352" },
        /^Error: MemberGatedUnauthorized: 0x[0-9a-fA-F]{40} is not an active member holding the \w+ role$/,
      ],
      [
        "supply:commission",
        { address, from: "3", gtin: "09506000134352", lot: "T1", expiry: "301331", serials: csv },
        /^Error: date has no month 13/,
      ],
      [
        "supply:commission",
        { address, from: "3", gtin: "09506000134352", lot: "T1", expiry: "301231", serials: "/nope.csv" },
        /^Error: no such file/,
      ],
      [
        "supply:ship",
        { address, from: "3", gtin: "09506000134352", lot: "NOPE", to: pharmacy.address, quantity: 1 },
        /^Error: LotUnknown: lot unknown \(lotId 0x[0-9a-f]{64}\)$/,
      ],
      [
        "supply:ship",
        { address, from: "3", lotId: "0x12", to: pharmacy.address, quantity: 1 },
        /^Error: --lot-id must be/,
      ],
      [
        "supply:receive",
        { address, from: "5", shipment: "0x" + "ab".repeat(32), reject: false },
        /^Error: no shipment/,
      ],
      [
        "supply:recall",
        { address, from: "12", lotId: "0x" + "ab".repeat(32), class: "IV", reason: "x" },
        /^Error: --class/,
      ],
      ["supply:verify", { address, code: "(01)123", tree: "/nope.json" }, /^Error: no such file/],
      [
        "supply:verify",
        { address, from: "5", code: "(01)09506000134352(17)301231(10)T1(21)SN1" },
        // Neither --responder nor --tree: the endpoint directory is asked, and the product is unknown.
        /^Error: GTIN 09506000134352 is not registered on chain: the pack cannot be genuine \(--responder URL, or --tree FILE for the manufacturer's own file\)$/,
      ],
      [
        "supply:dispense",
        { address, from: "5", code: "(01)09506000134352(17)301231(10)T1(21)SN1" },
        /^Error: GTIN 09506000134352 is not registered on chain: .*--responder URL, or --tree FILE/,
      ],
      [
        "supply:dispense",
        {
          address,
          from: "5",
          code: "(01)09506000134352(17)301231(10)T1(21)SN1",
          tree: csv,
          responder: "http://127.0.0.1:1",
        },
        /^Error: give either --responder or --tree, not both$/,
      ],
      [
        "supply:verify",
        { address, from: "5", code: "(01)09506000134352(17)301231(10)T1(21)SN1", responder: "ftp://example.org" },
        /^Error: --responder "ftp:\/\/example\.org" is not an http\(s\) URL$/,
      ],
      [
        // A bad scan is reported as such before anything is asked (nobody listens on port 1).
        "supply:verify",
        { address, from: "5", code: "(01)123", responder: "http://127.0.0.1:1" },
        /^Error: AI \(01\) GTIN must be 14 characters/,
      ],
    ];
    for (const [name, args, expected] of cases) {
      const r = await runTask(name, args);
      expect(r.code, `${name}: ${r.out}`).to.equal(1);
      expect(
        r.out.split("\n").filter((l) => l.startsWith("Error:")),
        r.out,
      ).to.have.length(1);
      expect(
        r.out.split("\n").find((l) => l.startsWith("Error:")),
        name,
      ).to.match(expected);
    }
  });
});
