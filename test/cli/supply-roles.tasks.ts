/**
 * What the supply roles were missing on the command line: a wholesaler's inbox of incoming shipments,
 * a lot's status and history, release/quarantine saying when nothing would change.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import { runTaskCapturing } from "../helpers/tasks";
import { ACTOR_INDEX } from "../../scripts/lib/actors";
import { LotStatus, lotIdOf, shipmentIdOf } from "../../src/supply";
import type { SupplyChain } from "../../typechain-types";

const GTIN = "09506000134352";
const M = String(ACTOR_INDEX.manufacturer);
const W = String(ACTOR_INDEX.wholesaler);

describe("supply tasks by role: inbox, lot status and history, already released (test/cli)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-supply-roles-"));

  async function shipped() {
    const f = await deployConsortiumFixture();
    const supply = f.deployed.supply as unknown as SupplyChain;
    const address = await supply.getAddress();
    await supply.connect(f.manufacturer).registerProduct(GTIN, ethers.id("leaflet"));
    const expiry = 1924905600n; // 2030-12-31
    await supply.connect(f.manufacturer).commissionLot(GTIN, "H1", expiry, 100, ethers.id("root"), ethers.ZeroHash);
    const lotId = lotIdOf(GTIN, "H1");
    const eventHash = ethers.id("shipping event");
    await supply.connect(f.manufacturer).ship(lotId, f.wholesaler.address, 40, eventHash);
    const shipmentId = shipmentIdOf(lotId, f.manufacturer.address, f.wholesaler.address, 40, eventHash);
    return { ...f, supply, address, lotId, shipmentId };
  }

  async function ok(name: string, args: Record<string, unknown>): Promise<string[]> {
    const r = await runTaskCapturing(name, args);
    expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(undefined);
    return r.out;
  }

  it("lists the wholesaler's inbox, receives from it, and shows the lot's status, custody and history", async function () {
    const { address, lotId, shipmentId, manufacturer, wholesaler, supply } = await loadFixture(shipped);
    const inbox = await ok("supply:inbox", { address, from: W });
    expect(inbox[0]).to.match(
      new RegExp(`^${shipmentId}  in transit  40 units of lot ${lotId} from ${manufacturer.address} \\(block \\d+\\)$`),
    );
    expect(inbox[1]).to.equal("1 to receive: npx hardhat supply:receive --shipment <id> (or --reject)");
    // Anyone may look at another member's inbox by account number (the events are public).
    expect(await ok("supply:inbox", { address, to: W })).to.deep.equal(inbox);

    await ok("supply:receive", { address, from: W, shipment: shipmentId, epcisOut: path.join(tmp, "recv.jsonld") });
    expect(await ok("supply:inbox", { address, from: W })).to.deep.equal([
      `no shipment in transit to ${wholesaler.address}`,
    ]);
    expect((await ok("supply:inbox", { address, from: W, all: true }))[0]).to.match(/  closed      40 units/);

    expect(await ok("supply:lot", { address, gtin: GTIN, lot: "H1", holder: W })).to.deep.equal([
      `lot ${lotId}: Active; 100 units, expires 2030-12-31, manufacturer ${manufacturer.address}`,
      `${wholesaler.address} holds 40 units`,
    ]);
    await ok("supply:quarantine", { address, from: M, lotId, epcisOut: path.join(tmp, "q.jsonld") });
    expect((await ok("supply:lot", { address, lotId }))[0]).to.match(/: Quarantined, hold by Manufacturer; /);
    await ok("supply:release", { address, from: M, lotId, epcisOut: path.join(tmp, "r.jsonld") });
    const block = await ethers.provider.getBlockNumber();
    expect(await ok("supply:release", { address, from: M, lotId })).to.deep.equal([
      `already released (the lot is Active, on no hold): nothing changed, nothing sent (lot ${lotId})`,
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);

    const history = await ok("supply:history", { address, lotId });
    expect(history[0]).to.match(/: Active; 100 units/);
    expect(history.slice(1).map((l) => l.split("  ")[1])).to.deep.equal([
      "LotCommissioned",
      "ShipmentSent",
      "ShipmentReceived",
      "LotQuarantined",
      "LotReleased",
    ]);
  });

  it("refuses an unknown lot, a release by a wholesaler, and a bad inbox account in one line, sending nothing", async function () {
    const { address, lotId } = await loadFixture(shipped);
    const block = await ethers.provider.getBlockNumber();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "supply:lot",
        { address, gtin: GTIN, lot: "NOPE" },
        /^Error: no lot 0x[0-9a-f]{64} was commissioned on this chain$/,
      ],
      ["supply:history", { address, gtin: GTIN, lot: "NOPE" }, /^Error: no lot 0x[0-9a-f]{64} was commissioned/],
      ["supply:inbox", { address, to: "99" }, /^Error: --to 99: network "hardhat" has 30 accounts$/],
      ["supply:quarantine", { address, from: W, lotId, epcisOut: path.join(tmp, "no.jsonld") }, /^Error: \w+: /],
    ];
    for (const [name, args, expected] of cases) {
      const r = await runTaskCapturing(name, args);
      expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(1);
      expect(r.lines, name).to.have.length(1);
      expect(r.lines[0], name).to.match(expected);
    }
    expect(fs.existsSync(path.join(tmp, "no.jsonld"))).to.equal(false);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });
});
