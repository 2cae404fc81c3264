import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { admit, deployConsortiumFixture } from "../helpers/fixtures";
import type { SupplyChain } from "../../typechain-types";
import { standardLeafHash } from "@openzeppelin/merkle-tree/dist/hashes";
import {
  HoldOrigin,
  LotStatus,
  RecallClass,
  SerialTree,
  UNIT_LEAF_ENCODING,
  UnitCheck,
  lotIdOf,
  manufacturerMayRelease,
  sequentialSerials,
} from "../../src/supply";
import { GTIN } from "./fixture";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const UNITS = 40;
const LOT = "PROP-1";

async function propertyFixture() {
  const f = await deployConsortiumFixture();
  const supply = f.deployed.supply as unknown as SupplyChain;
  await supply.connect(f.manufacturer).registerProduct(GTIN, ethers.id("product"));
  const expiry = BigInt(await time.latest()) + 365n * 86_400n;
  const tree = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry }, sequentialSerials(UNITS));
  await supply.connect(f.manufacturer).commissionLot(GTIN, LOT, expiry, UNITS, tree.root, ethers.id("c"));
  // A dispenser that never receives any unit of the lot: every alert it raises is a non-custodian's.
  await admit(f.registry, f.registrar, f.others[0], 700, ["DISPENSER"]);
  return { ...f, supply, tree, lotId: lotIdOf(GTIN, LOT), stranger: f.others[0] };
}

/** One step of a history of holds, alerts and recalls (custody as in stockedFixture's shape). */
type HoldAction =
  | { kind: "hold"; by: "manufacturer" | "regulator" }
  | { kind: "release"; by: "manufacturer" | "regulator" }
  | { kind: "recall"; by: "manufacturer" | "regulator" }
  | { kind: "excursion" }
  | { kind: "scan"; by: "pharmacy" | "stranger"; unit: number; fake: boolean };

function holdActions(weights: { hold: number; recall: number; scan: number }): fc.Arbitrary<HoldAction> {
  const by = fc.constantFrom("manufacturer" as const, "regulator" as const);
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("hold" as const), by }), weight: weights.hold },
    { arbitrary: fc.record({ kind: fc.constant("release" as const), by }), weight: weights.hold * 2 },
    { arbitrary: fc.record({ kind: fc.constant("recall" as const), by }), weight: weights.recall },
    { arbitrary: fc.record({ kind: fc.constant("excursion" as const) }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant("scan" as const),
        by: fc.constantFrom("pharmacy" as const, "stranger" as const),
        unit: fc.nat(7),
        fake: fc.boolean(),
      }),
      weight: weights.scan,
    },
  );
}

/** The pharmacy holds 5 units of the property lot (received from the manufacturer). */
async function heldFixture() {
  const f = await propertyFixture();
  const hash = ethers.id("m->p");
  await f.supply.connect(f.manufacturer).ship(f.lotId, f.pharmacy.address, 5, hash);
  await f.supply.connect(f.pharmacy).receiveShipment(f.lotId, f.manufacturer.address, 5, hash, hash);
  return f;
}

/**
 * Runs a history of holds, alerts and recalls against a model of the lot's status and hold origin and
 * checks, after every step: the contract agrees with the model; a recalled lot never dispenses; a
 * manufacturer's release only ever lifts a Manufacturer or ColdChain hold; an alert by a non-custodian
 * never changes the lot's status or hold.
 */
async function runHoldHistory(actions: HoldAction[]): Promise<void> {
  const f = await loadFixture(heldFixture);
  const { supply, tree, lotId } = f;
  const signer = { manufacturer: f.manufacturer, regulator: f.regulator, pharmacy: f.pharmacy, stranger: f.stranger };
  let status = LotStatus.Active;
  let origin = HoldOrigin.None;
  const dispensed = new Set<number>();
  for (const a of actions) {
    if (a.kind === "hold") {
      const regulator = a.by === "regulator";
      const allowed =
        status === LotStatus.Active ||
        (regulator && status === LotStatus.Quarantined && manufacturerMayRelease(origin));
      const ok = await supply
        .connect(signer[a.by])
        .quarantineLot(lotId, ethers.ZeroHash)
        .then(() => true)
        .catch(() => false);
      expect(ok).to.equal(allowed);
      if (ok) [status, origin] = [LotStatus.Quarantined, regulator ? HoldOrigin.Regulator : HoldOrigin.Manufacturer];
    } else if (a.kind === "release") {
      const before = origin;
      const ok = await supply
        .connect(signer[a.by])
        .releaseLot(lotId, ethers.ZeroHash)
        .then(() => true)
        .catch(() => false);
      // Only a regulator lifts a regulator's (or an alert's) hold.
      if (ok && a.by === "manufacturer") expect(manufacturerMayRelease(before)).to.equal(true);
      expect(ok).to.equal(status === LotStatus.Quarantined && (a.by === "regulator" || manufacturerMayRelease(before)));
      if (ok) [status, origin] = [LotStatus.Active, HoldOrigin.None];
    } else if (a.kind === "recall") {
      const ok = await supply
        .connect(signer[a.by])
        .recallLot(lotId, RecallClass.ClassI, ethers.ZeroHash)
        .then(() => true)
        .catch(() => false);
      expect(ok).to.equal(status === LotStatus.Active || status === LotStatus.Quarantined);
      if (ok) [status, origin] = [LotStatus.Recalled, HoldOrigin.None];
    } else if (a.kind === "excursion") {
      await (await supply.connect(f.sensor).reportExcursion(lotId, ethers.ZeroHash)).wait();
      if (status === LotStatus.Active) [status, origin] = [LotStatus.Quarantined, HoldOrigin.ColdChain];
    } else {
      const actor = signer[a.by];
      const unit = a.fake ? { ...tree.unit(a.unit), serial: `FAKE-${a.unit}` } : tree.unit(a.unit);
      const held = (await supply.custodyOf(lotId, actor.address)).quantity;
      const before = await supply.lotOf(lotId);
      const answer = Number(await supply.connect(actor).dispense.staticCall(unit, tree.proof(a.unit)));
      await (await supply.connect(actor).dispense(unit, tree.proof(a.unit))).wait();
      const after = await supply.lotOf(lotId);
      // A recalled lot never dispenses.
      if (status === LotStatus.Recalled) {
        expect(answer).to.not.equal(UnitCheck.Genuine);
        expect(after.status).to.equal(BigInt(LotStatus.Recalled));
      }
      if (answer === UnitCheck.Genuine) {
        expect(status).to.equal(LotStatus.Active);
        expect(held).to.be.greaterThan(0n);
        dispensed.add(a.unit);
      }
      if (held === 0n) {
        // An alert by a non-custodian never changes status.
        expect(after.status).to.equal(before.status);
        expect(after.holdOrigin).to.equal(before.holdOrigin);
      } else if (answer === UnitCheck.UnknownSerial || answer === UnitCheck.AlreadyDecommissioned) {
        const escalate =
          status === LotStatus.Active || (status === LotStatus.Quarantined && manufacturerMayRelease(origin));
        if (escalate) {
          status = LotStatus.Quarantined;
          origin = answer === UnitCheck.UnknownSerial ? HoldOrigin.CounterfeitAlert : HoldOrigin.DuplicateAlert;
        }
      }
      if (a.by === "pharmacy" && dispensed.has(a.unit) && answer !== UnitCheck.Genuine && !a.fake) {
        // The pharmacy's own pack (at most 5 dispensed, all remembered): never an alert.
        expect(answer).to.equal(UnitCheck.AlreadyDecommissionedByYou);
      }
    }
    const lot = await supply.lotOf(lotId);
    expect(lot.status).to.equal(BigInt(status));
    expect(lot.holdOrigin).to.equal(BigInt(origin));
  }
}

/** One step of a random lot history. Actors: 0 manufacturer, 1 wholesaler, 2 pharmacy. */
type Action =
  | { kind: "ship"; from: number; to: number; qty: number }
  | { kind: "receive"; pick: number; reject: boolean }
  | { kind: "dispense"; unit: number }
  | { kind: "recall" }
  | { kind: "quarantine" }
  | { kind: "release" };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("ship" as const),
      from: fc.nat(2),
      to: fc.nat(2),
      qty: fc.integer({ min: 1, max: 30 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("receive" as const), pick: fc.nat(10), reject: fc.boolean() }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("dispense" as const), unit: fc.nat(UNITS - 1) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("recall" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("quarantine" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("release" as const) }), weight: 1 },
);

describe("SupplyChain properties (lot state machine)", function () {
  this.timeout(20 * 60_000);

  it("keeps custody + in transit = units - decommissioned; recalled lots never ship or dispense; no unit is dispensed twice", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        const f = await loadFixture(propertyFixture);
        const { supply, tree, lotId } = f;
        const actors = [f.manufacturer, f.wholesaler, f.pharmacy];
        const shipments: { from: number; to: number; qty: number; hash: string; open: boolean }[] = [];
        const dispensed = new Set<number>();
        let recalled = false;
        for (const [step, a] of actions.entries()) {
          if (a.kind === "ship") {
            const hash = ethers.id(`ship-${step}`);
            const tx = supply.connect(actors[a.from]).ship(lotId, actors[a.to].address, a.qty, hash);
            if (recalled) {
              await expect(tx).to.be.revertedWithCustomError(supply, "LotUnexpectedStatus");
              continue;
            }
            try {
              await (await tx).wait();
              shipments.push({ from: a.from, to: a.to, qty: a.qty, hash, open: true });
            } catch {
              // refused (same actor, insufficient custody, quarantined lot): state unchanged, checked below
            }
          } else if (a.kind === "receive") {
            const open = shipments.filter((s) => s.open);
            if (open.length === 0) continue;
            const s = open[a.pick % open.length];
            const c = supply.connect(actors[s.to]);
            const call = a.reject ? c.rejectShipment : c.receiveShipment;
            await (await call(lotId, actors[s.from].address, s.qty, s.hash, ethers.id(`close-${step}`))).wait();
            s.open = false;
          } else if (a.kind === "dispense") {
            const before = await supply.isDecommissioned(lotId, a.unit);
            const answer = Number(
              await supply.connect(f.pharmacy).dispense.staticCall(tree.unit(a.unit), tree.proof(a.unit)),
            );
            await (await supply.connect(f.pharmacy).dispense(tree.unit(a.unit), tree.proof(a.unit))).wait();
            const after = await supply.isDecommissioned(lotId, a.unit);
            if (recalled) expect(answer).to.not.equal(UnitCheck.Genuine);
            // Only the pharmacy dispenses here: a repeat is its own (answered as such while among its five latest).
            if (dispensed.has(a.unit)) {
              expect(answer).to.be.oneOf([UnitCheck.AlreadyDecommissioned, UnitCheck.AlreadyDecommissionedByYou]);
            }
            if (answer === UnitCheck.Genuine) {
              expect(before).to.equal(false);
              dispensed.add(a.unit);
            } else {
              expect(after).to.equal(before);
            }
          } else if (a.kind === "recall") {
            try {
              await (await supply.connect(f.regulator).recallLot(lotId, RecallClass.ClassI, ethers.id("r"))).wait();
              recalled = true;
            } catch {
              expect(recalled).to.equal(true);
            }
          } else if (a.kind === "quarantine") {
            await supply
              .connect(f.regulator)
              .quarantineLot(lotId, ethers.ZeroHash)
              .catch(() => undefined);
          } else {
            await supply
              .connect(f.regulator)
              .releaseLot(lotId, ethers.ZeroHash)
              .catch(() => undefined);
          }
        }
        let held = 0n;
        for (const actor of actors) held += (await supply.custodyOf(lotId, actor.address)).quantity;
        let inTransit = 0n;
        for (const s of shipments) {
          const open = await supply.isInTransit(
            await supply.shipmentIdOf(lotId, actors[s.from].address, actors[s.to].address, s.qty, s.hash),
          );
          expect(open).to.equal(s.open);
          if (open) inTransit += BigInt(s.qty);
        }
        let bits = 0;
        for (let i = 0; i < UNITS; i++) if (await supply.isDecommissioned(lotId, i)) bits++;
        expect(bits).to.equal(dispensed.size);
        expect(held + inTransit).to.equal(BigInt(UNITS - dispensed.size));
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("a recalled lot never dispenses", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(holdActions({ hold: 1, recall: 2, scan: 4 }), { minLength: 1, maxLength: 12 }), (a) =>
        runHoldHistory(a),
      ),
      { seed: 7, numRuns: RUNS },
    );
  });

  it("only a regulator lifts a regulator's hold (or an alert's)", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(holdActions({ hold: 3, recall: 0, scan: 3 }), { minLength: 1, maxLength: 12 }), (a) =>
        runHoldHistory(a),
      ),
      { seed: 8, numRuns: RUNS },
    );
  });

  it("an alert by a non-custodian never changes status", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(holdActions({ hold: 1, recall: 0, scan: 6 }), { minLength: 1, maxLength: 12 }), (a) =>
        runHoldHistory(a),
      ),
      { seed: 9, numRuns: RUNS },
    );
  });

  it("never answers Genuine for a unit outside the committed root", async function () {
    const f = await loadFixture(propertyFixture);
    const { supply, tree } = f;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(..."ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-") }),
        fc.nat(UNITS * 2),
        fc.nat(UNITS - 1),
        async (serial, index, proofOf) => {
          fc.pre(!(index < UNITS && tree.serials[index] === serial));
          const unit = { ...tree.unit(proofOf), serial, index };
          const answer = Number(await supply.verifyUnit(unit, tree.proof(proofOf), ethers.ZeroAddress));
          expect(answer).to.not.equal(UnitCheck.Genuine);
        },
      ),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("hashes lot ids and unit leaves (assembly) exactly as abi.encode and StandardMerkleTree do", async function () {
    const f = await loadFixture(propertyFixture);
    const abi = ethers.AbiCoder.defaultAbiCoder();
    const text = fc.string({ minLength: 0, maxLength: 40, unit: "binary" }); // multi-byte UTF-8 too
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.nat(),
        fc.bigInt({ min: 0n, max: 2n ** 40n - 1n }),
        text,
        text,
        async (gtin, index, expiry, serial, lotNumber) => {
          expect(await f.supply.lotIdOf(gtin, lotNumber)).to.equal(
            ethers.keccak256(abi.encode(["uint64", "string"], [gtin, lotNumber])),
          );
          const unit = { gtin, expiry, index, serial, lotNumber };
          expect(await f.supply.unitLeaf(unit)).to.equal(
            standardLeafHash([...UNIT_LEAF_ENCODING], [index, gtin, serial, lotNumber, expiry]),
          );
        },
      ),
      { seed: 42, numRuns: RUNS },
    );
  });
});
