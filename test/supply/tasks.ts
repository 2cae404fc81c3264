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

async function runTask(name: string, args: Record<string, unknown>): Promise<{ out: string; code: number }> {
  const { lines, exitCode } = await runTaskCapturing(name, args);
  return { out: lines.join("\n"), code: Number(exitCode ?? 0) };
}

describe("supply tasks", function () {
  async function taskFixture() {
    const f = await deployConsortiumFixture();
    const supply = f.deployed.supply as unknown as SupplyChain;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supply-tasks-"));
    const csv = path.join(dir, "serials.csv");
    fs.writeFileSync(csv, "serial\n" + sequentialSerials(1000).join("\n") + "\n");
    return { ...f, supply, address: await supply.getAddress(), dir, csv };
  }

  it("runs the lot's life: register, commission from CSV, ship, receive, verify, dispense, alert, recall", async function () {
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
    });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/built the tree of 1000 serials/);
    const lotId = lotIdOf("09506000134352", "T1");
    expect((await supply.lotOf(lotId)).unitCount).to.equal(1000);

    r = await runTask("supply:ship", {
      address,
      from: M,
      gtin: "09506000134352",
      lot: "T1",
      to: pharmacy.address,
      quantity: 10,
    });
    expect(r.code, r.out).to.equal(0);
    const shipment = /shipment (0x[0-9a-f]{64})/.exec(r.out)![1];
    r = await runTask("supply:receive", { address, from: P, shipment, reject: false });
    expect(r.code, r.out).to.equal(0);
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
    r = await runTask("supply:dispense", { address, from: P, code: formatRaw({ ...pack, serial: "FAKE1" }), tree });
    expect(r.code).to.equal(2);
    expect(r.out).to.match(/ALERT recorded: UnknownSerial/);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);

    // A shipment to a member that cannot receive (the regulator has no trading role) is cancelled by its sender.
    r = await runTask("supply:ship", { address, from: M, lotId, to: regulator.address, quantity: 5 }).catch(
      (e: unknown) => ({ code: 1, out: String(e) }),
    );
    expect(r.code).to.equal(1); // the lot is on hold: nothing ships
    await supply.connect(regulator).releaseLot(lotId, lotId);
    r = await runTask("supply:ship", { address, from: M, lotId, to: regulator.address, quantity: 5 });
    expect(r.code, r.out).to.equal(0);
    const stranded = /shipment (0x[0-9a-f]{64})/.exec(r.out)![1];
    r = await runTask("supply:cancel", { address, from: M, shipment: stranded });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^cancelled shipment 0x/);
    expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(990);

    r = await runTask("supply:recall", { address, from: R, lotId, class: "I", reason: "recall notice 2026-17" });
    expect(r.code, r.out).to.equal(0);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Recalled);
  });

  it("prints one-line errors for bad input and reverts", async function () {
    const { address, csv, pharmacy } = await loadFixture(taskFixture);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["supply:register-product", { address, from: "3", gtin: "09506000134353" }, /^Error: GTIN check digit is wrong/],
      [
        "supply:register-product",
        { address, from: "5", gtin: "09506000134352" },
        /^Error: MemberGatedUnauthorized\(0x/,
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
        /^Error: LotUnknown\(0x/,
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
