import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import type { SupplyChain } from "../../typechain-types";
import { standardLeafHash } from "@openzeppelin/merkle-tree/dist/hashes";
import { RecallClass, SerialTree, UNIT_LEAF_ENCODING, UnitCheck, lotIdOf, sequentialSerials } from "../../src/supply";
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
  return { ...f, supply, tree, lotId: lotIdOf(GTIN, LOT) };
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
            if (dispensed.has(a.unit)) expect(answer).to.equal(UnitCheck.AlreadyDecommissioned);
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
