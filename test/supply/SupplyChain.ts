import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type MemberGatedCase, shouldBehaveLikeMemberGated } from "../helpers/behaviours";
import { admit } from "../helpers/fixtures";
import {
  DecommissionReason,
  HoldOrigin,
  LotStatus,
  RecallClass,
  SerialTree,
  UnitCheck,
  lotIdOf,
  lotStatusSet,
  sequentialSerials,
  shipmentIdOf,
} from "../../src/supply";
import { GTIN, LOT, OTHER_GTIN, UNITS, YEAR, stockedFixture, supplyFixture } from "./fixture";
import { erc7201, mappingSlot } from "../helpers/storage";

const HASH = ethers.id("epcis");
const REASON = ethers.id("reason");

/** 30 units of the fixture's lot in transit from the manufacturer to the wholesaler. */
async function shipped() {
  const f = await loadFixture(supplyFixture);
  await f.supply.connect(f.manufacturer).ship(f.lotId, f.wholesaler.address, 30, HASH);
  return { ...f, id: shipmentIdOf(f.lotId, f.manufacturer.address, f.wholesaler.address, 30, HASH) };
}

/** The custody functions accept any trading partner: wholesaler, manufacturer or dispenser. */
function shouldAcceptOnlyTradingPartners(
  setup: () => Promise<Pick<MemberGatedCase, "contract" | "registry" | "registrar" | "call">>,
): void {
  shouldBehaveLikeMemberGated(async () => ({
    ...(await setup()),
    role: "WHOLESALER",
    alsoAccepted: ["MANUFACTURER", "DISPENSER"],
  }));
}

describe("SupplyChain", function () {
  describe("registerProduct", function () {
    it("emits ProductRegistered and stores the product when a manufacturer registers a valid GTIN", async function () {
      const { supply, manufacturer } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).registerProduct(OTHER_GTIN, HASH))
        .to.emit(supply, "ProductRegistered")
        .withArgs(OTHER_GTIN, manufacturer.address, HASH);
      const product = await supply.productOf(OTHER_GTIN);
      expect(product.manufacturer).to.equal(manufacturer.address);
      expect(product.metadataHash).to.equal(HASH);
    });

    it("reverts when the GTIN check digit is wrong", async function () {
      const { supply, manufacturer } = await loadFixture(supplyFixture);
      const bad = OTHER_GTIN + 1n;
      await expect(supply.connect(manufacturer).registerProduct(bad, HASH))
        .to.be.revertedWithCustomError(supply, "ProductInvalidGTIN")
        .withArgs(bad);
    });

    it("reverts when the GTIN is longer than 14 digits or zero", async function () {
      const { supply, manufacturer } = await loadFixture(supplyFixture);
      for (const bad of [0n, 123456789012345n]) {
        await expect(supply.connect(manufacturer).registerProduct(bad, HASH))
          .to.be.revertedWithCustomError(supply, "ProductInvalidGTIN")
          .withArgs(bad);
      }
    });

    it("reverts when the GTIN is already registered", async function () {
      const { supply, manufacturer } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).registerProduct(GTIN, HASH))
        .to.be.revertedWithCustomError(supply, "ProductAlreadyRegistered")
        .withArgs(GTIN, manufacturer.address);
    });

    shouldBehaveLikeMemberGated(async () => {
      const f = await loadFixture(supplyFixture);
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        role: "MANUFACTURER",
        call: (caller) => f.supply.connect(caller).registerProduct(OTHER_GTIN, HASH),
      };
    });
  });

  describe("commissionLot", function () {
    async function args() {
      const f = await loadFixture(supplyFixture);
      const expiry = BigInt(await time.latest()) + YEAR;
      const tree = SerialTree.build({ gtin: GTIN, lotNumber: "L2", expiry }, sequentialSerials(10));
      return { ...f, expiry2: expiry, tree2: tree };
    }

    it("emits LotCommissioned and gives the manufacturer custody of every unit", async function () {
      const { supply, manufacturer, expiry2, tree2 } = await args();
      const lotId = lotIdOf(GTIN, "L2");
      await expect(supply.connect(manufacturer).commissionLot(GTIN, "L2", expiry2, 10, tree2.root, HASH))
        .to.emit(supply, "LotCommissioned")
        .withArgs(lotId, GTIN, manufacturer.address, "L2", expiry2, 10, tree2.root, HASH);
      const lot = await supply.lotOf(lotId);
      expect(lot.manufacturer).to.equal(manufacturer.address);
      expect(lot.expiry).to.equal(expiry2);
      expect(lot.unitCount).to.equal(10);
      expect(lot.status).to.equal(LotStatus.Active);
      expect(lot.recallClass).to.equal(RecallClass.None);
      expect(lot.serialsRoot).to.equal(tree2.root);
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(10);
    });

    it("returns the lot id the SDK computes", async function () {
      const { supply, manufacturer, expiry2, tree2 } = await args();
      const returned = await supply
        .connect(manufacturer)
        .commissionLot.staticCall(GTIN, "L2", expiry2, 10, tree2.root, HASH);
      expect(returned).to.equal(lotIdOf(GTIN, "L2"));
      expect(await supply.lotIdOf(GTIN, "L2")).to.equal(returned);
    });

    it("reverts when the product is not registered", async function () {
      const { supply, manufacturer, expiry2, tree2 } = await args();
      await expect(supply.connect(manufacturer).commissionLot(OTHER_GTIN, "L2", expiry2, 10, tree2.root, HASH))
        .to.be.revertedWithCustomError(supply, "ProductUnknown")
        .withArgs(OTHER_GTIN);
    });

    it("reverts when the caller is not the product's manufacturer", async function () {
      const { supply, manufacturer, registry, registrar, others, expiry2, tree2 } = await args();
      const rival = others[0];
      await admit(registry, registrar, rival, 100, ["MANUFACTURER"]);
      await expect(supply.connect(rival).commissionLot(GTIN, "L2", expiry2, 10, tree2.root, HASH))
        .to.be.revertedWithCustomError(supply, "ProductNotManufacturer")
        .withArgs(GTIN, rival.address, manufacturer.address);
    });

    it("reverts when the lot number is empty or longer than 20 characters", async function () {
      const { supply, manufacturer, expiry2, tree2 } = await args();
      for (const bad of ["", "X".repeat(21)]) {
        await expect(supply.connect(manufacturer).commissionLot(GTIN, bad, expiry2, 10, tree2.root, HASH))
          .to.be.revertedWithCustomError(supply, "LotInvalidNumber")
          .withArgs(bad);
      }
    });

    it("reverts when the expiry is not in the future", async function () {
      const { supply, manufacturer, tree2 } = await args();
      const now = BigInt(await time.latest());
      await expect(supply.connect(manufacturer).commissionLot(GTIN, "L2", now, 10, tree2.root, HASH))
        .to.be.revertedWithCustomError(supply, "LotInvalidExpiry")
        .withArgs(now, now + 1n);
    });

    it("refuses an expiry at the block's own second and accepts one a second later, with a 20-character lot number", async function () {
      // The boundaries: a lot must expire after the block that commissions it; GS1 AI (10) allows 20 characters.
      const { supply, manufacturer, tree2 } = await args();
      const at = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(supply.connect(manufacturer).commissionLot(GTIN, "L2", at, 10, tree2.root, HASH))
        .to.be.revertedWithCustomError(supply, "LotInvalidExpiry")
        .withArgs(at, at);
      // The reverted transaction was mined at `at`: the next block comes later.
      const later = at + 10n;
      await time.setNextBlockTimestamp(later);
      const longest = "X".repeat(20);
      await expect(supply.connect(manufacturer).commissionLot(GTIN, longest, later + 1n, 10, tree2.root, HASH))
        .to.emit(supply, "LotCommissioned")
        .withArgs(lotIdOf(GTIN, longest), GTIN, manufacturer.address, longest, later + 1n, 10, tree2.root, HASH);
      expect((await supply.lotOf(lotIdOf(GTIN, longest))).status).to.equal(LotStatus.Active);
    });

    it("reverts when the unit count is zero", async function () {
      const { supply, manufacturer, expiry2, tree2 } = await args();
      await expect(supply.connect(manufacturer).commissionLot(GTIN, "L2", expiry2, 0, tree2.root, HASH))
        .to.be.revertedWithCustomError(supply, "LotInvalidUnitCount")
        .withArgs(0);
    });

    it("reverts when the serials root is zero", async function () {
      const { supply, manufacturer, expiry2 } = await args();
      await expect(
        supply.connect(manufacturer).commissionLot(GTIN, "L2", expiry2, 10, ethers.ZeroHash, HASH),
      ).to.be.revertedWithCustomError(supply, "LotZeroSerialsRoot");
    });

    it("reverts when the lot was already commissioned", async function () {
      const { supply, manufacturer, expiry2, tree2, lotId } = await args();
      await expect(supply.connect(manufacturer).commissionLot(GTIN, LOT, expiry2, 10, tree2.root, HASH))
        .to.be.revertedWithCustomError(supply, "LotAlreadyCommissioned")
        .withArgs(lotId);
    });

    shouldBehaveLikeMemberGated(async () => {
      const f = await args();
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        role: "MANUFACTURER",
        call: (caller) => f.supply.connect(caller).commissionLot(GTIN, "L2", f.expiry2, 10, f.tree2.root, HASH),
      };
    });
  });

  describe("the packed storage words an upgrade inherits", function () {
    // A lot's header and a holder's custody are one word each (contracts/supply/types/). Their layout is
    // part of the storage an upgrade inherits (issue 11): a new implementation reads the words already
    // stored, so it is checked bit by bit in the proxy's storage, not only through the views that decode it.
    const SUPPLY = erc7201("carechain.storage.Supply");
    const LOTS_SLOT = SUPPLY + 1n; // SupplyStorage._lots
    const CUSTODY_SLOT = SUPPLY + 2n; // SupplyStorage._custody
    const bits = (word: bigint, offset: number, width: number) =>
      (word >> BigInt(offset)) & ((1n << BigInt(width)) - 1n);

    it("keeps a custody's fields at their bits: quantity, the latest decommission, four earlier ones, nothing above", async function () {
      // Bits 0-31 quantity, 32-63 latest index, 64-103 its time, 104-111 its reason, 112-239 four lanes
      // of index + 1 (most recent lowest), 240-255 zero. Six dispenses push the oldest (index 10: an
      // odd lane value 11) out of the lanes: a mask one bit too wide would leave its lowest bit at 240.
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      for (const i of [10, 11, 12, 13, 14, 15]) await supply.connect(pharmacy).dispense(tree.unit(i), tree.proof(i));
      const slot = mappingSlot("address", pharmacy.address, mappingSlot("bytes32", lotId, CUSTODY_SLOT));
      const word = BigInt(await ethers.provider.getStorage(await supply.getAddress(), slot));
      expect([
        bits(word, 0, 32),
        bits(word, 32, 32),
        bits(word, 64, 40),
        bits(word, 104, 8),
        bits(word, 112, 128),
        bits(word, 240, 16),
      ]).to.deep.equal([
        14n,
        15n,
        BigInt(await time.latest()),
        BigInt(DecommissionReason.Dispensed),
        15n | (14n << 32n) | (13n << 64n) | (12n << 96n),
        0n,
      ]);
    });

    it("keeps a lot header's fields at their bits, at their largest values, through a hold and a recall", async function () {
      const { supply, registry, registrar, regulator, others } = await loadFixture(supplyFixture);
      // An odd manufacturer address and an even unit count: a field that spilled one bit into its
      // neighbour, or a mask that dropped the address's lowest bit, would change a value read back.
      const maker = others[3];
      expect(BigInt(maker.address) & 1n).to.equal(1n);
      await admit(registry, registrar, maker, 102, ["MANUFACTURER"]);
      await supply.connect(maker).registerProduct(OTHER_GTIN, HASH);
      const expiry = 2n ** 40n - 1n;
      const units = 2n ** 32n - 2n;
      const root = ethers.id("layout root");
      await supply.connect(maker).commissionLot(OTHER_GTIN, "LAYOUT", expiry, units, root, HASH);
      const lotId = lotIdOf(OTHER_GTIN, "LAYOUT");
      const slot = mappingSlot("bytes32", lotId, LOTS_SLOT);
      const header = async () => BigInt(await ethers.provider.getStorage(await supply.getAddress(), slot));
      const fixedFields = (word: bigint) => [bits(word, 0, 160), bits(word, 160, 40), bits(word, 200, 32)];

      let word = await header();
      expect(fixedFields(word)).to.deep.equal([BigInt(maker.address), expiry, units]);
      expect([bits(word, 232, 8), bits(word, 240, 8), bits(word, 248, 8)]).to.deep.equal([
        BigInt(LotStatus.Active),
        0n,
        0n,
      ]);
      expect(BigInt(await ethers.provider.getStorage(await supply.getAddress(), slot + 1n))).to.equal(BigInt(root));

      await supply.connect(regulator).quarantineLot(lotId, REASON);
      word = await header();
      expect(fixedFields(word)).to.deep.equal([BigInt(maker.address), expiry, units]);
      expect([bits(word, 232, 8), bits(word, 240, 8), bits(word, 248, 8)]).to.deep.equal([
        BigInt(LotStatus.Quarantined),
        0n,
        BigInt(HoldOrigin.Regulator),
      ]);

      await supply.connect(regulator).recallLot(lotId, RecallClass.ClassII, REASON);
      word = await header();
      expect(fixedFields(word)).to.deep.equal([BigInt(maker.address), expiry, units]);
      expect([bits(word, 232, 8), bits(word, 240, 8), bits(word, 248, 8)]).to.deep.equal([
        BigInt(LotStatus.Recalled),
        BigInt(RecallClass.ClassII),
        0n,
      ]);
      const lot = await supply.lotOf(lotId);
      expect([lot.manufacturer, lot.expiry, lot.unitCount, lot.status, lot.recallClass, lot.holdOrigin]).to.deep.equal([
        maker.address,
        expiry,
        units,
        BigInt(LotStatus.Recalled),
        BigInt(RecallClass.ClassII),
        BigInt(HoldOrigin.None),
      ]);
    });
  });

  describe("ship", function () {
    it("emits ShipmentSent, moves the quantity in transit and returns the shipment id", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      const id = shipmentIdOf(lotId, manufacturer.address, wholesaler.address, 7, HASH);
      expect(await supply.connect(manufacturer).ship.staticCall(lotId, wholesaler.address, 7, HASH)).to.equal(id);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, 7, HASH))
        .to.emit(supply, "ShipmentSent")
        .withArgs(lotId, manufacturer.address, wholesaler.address, id, 7, HASH);
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(UNITS - 7);
      expect(await supply.isInTransit(id)).to.equal(true);
      expect(await supply.shipmentIdOf(lotId, manufacturer.address, wholesaler.address, 7, HASH)).to.equal(id);
    });

    it("reverts when the quantity is zero", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, 0, HASH))
        .to.be.revertedWithCustomError(supply, "ShipmentInvalidQuantity")
        .withArgs(0);
    });

    it("reverts when the lot is unknown", async function () {
      const { supply, manufacturer, wholesaler } = await loadFixture(supplyFixture);
      const unknown = lotIdOf(GTIN, "NOPE");
      await expect(supply.connect(manufacturer).ship(unknown, wholesaler.address, 1, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnknown")
        .withArgs(unknown);
    });

    it("reverts when the lot is recalled", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, 1, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Recalled, lotStatusSet(LotStatus.Active));
    });

    it("ships to an active member without a trading role, who cannot receive until granted one", async function () {
      const { supply, manufacturer, researcher, registry, registrar, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).ship(lotId, researcher.address, 2, HASH);
      await expect(supply.connect(researcher).receiveShipment(lotId, manufacturer.address, 2, HASH, HASH))
        .to.be.revertedWithCustomError(supply, "MemberGatedUnauthorized")
        .withArgs(researcher.address, ethers.id("WHOLESALER_ROLE"));
      await registry.connect(registrar).grantRole(ethers.id("DISPENSER_ROLE"), researcher.address);
      await supply.connect(researcher).rejectShipment(lotId, manufacturer.address, 2, HASH, HASH);
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(UNITS);
    });

    it("reverts when the recipient is not an active member or is the sender", async function () {
      const { supply, manufacturer, wholesaler, registry, registrar, outsider, lotId } =
        await loadFixture(supplyFixture);
      await registry.connect(registrar).suspendMember(wholesaler.address, REASON);
      for (const to of [outsider.address, wholesaler.address, manufacturer.address]) {
        await expect(supply.connect(manufacturer).ship(lotId, to, 1, HASH))
          .to.be.revertedWithCustomError(supply, "ShipmentInvalidRecipient")
          .withArgs(to);
      }
    });

    it("ships every unit the sender holds, leaving it none", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, UNITS, HASH))
        .to.emit(supply, "ShipmentSent")
        .withArgs(
          lotId,
          manufacturer.address,
          wholesaler.address,
          shipmentIdOf(lotId, manufacturer.address, wholesaler.address, UNITS, HASH),
          UNITS,
          HASH,
        );
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(0);
    });

    it("reverts when the sender holds less than the quantity", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, UNITS + 1, HASH))
        .to.be.revertedWithCustomError(supply, "CustodyInsufficient")
        .withArgs(lotId, manufacturer.address, UNITS, UNITS + 1);
    });

    it("reverts when the same shipment is already in transit", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).ship(lotId, wholesaler.address, 1, HASH);
      const id = shipmentIdOf(lotId, manufacturer.address, wholesaler.address, 1, HASH);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, 1, HASH))
        .to.be.revertedWithCustomError(supply, "ShipmentAlreadyInTransit")
        .withArgs(id);
    });

    shouldAcceptOnlyTradingPartners(async () => {
      const f = await loadFixture(supplyFixture);
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        call: (caller) => f.supply.connect(caller).ship(f.lotId, f.wholesaler.address, 1, HASH),
      };
    });
  });

  describe("receiveShipment", function () {
    it("emits ShipmentReceived and credits the recipient", async function () {
      const { supply, manufacturer, wholesaler, lotId, id } = await shipped();
      const recv = ethers.id("recv");
      await expect(supply.connect(wholesaler).receiveShipment(lotId, manufacturer.address, 30, HASH, recv))
        .to.emit(supply, "ShipmentReceived")
        .withArgs(lotId, id, wholesaler.address, recv);
      expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(30);
      expect(await supply.isInTransit(id)).to.equal(false);
    });

    it("receives a shipment of a lot recalled while in transit (custody stays known)", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await shipped();
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassII, REASON);
      await supply.connect(wholesaler).receiveShipment(lotId, manufacturer.address, 30, HASH, HASH);
      expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(30);
    });

    it("reverts when the shipment is not in transit to the caller", async function () {
      const { supply, manufacturer, pharmacy, wholesaler, lotId, id } = await shipped();
      const asPharmacy = shipmentIdOf(lotId, manufacturer.address, pharmacy.address, 30, HASH);
      await expect(supply.connect(pharmacy).receiveShipment(lotId, manufacturer.address, 30, HASH, HASH))
        .to.be.revertedWithCustomError(supply, "ShipmentNotInTransit")
        .withArgs(asPharmacy);
      await supply.connect(wholesaler).receiveShipment(lotId, manufacturer.address, 30, HASH, HASH);
      await expect(supply.connect(wholesaler).receiveShipment(lotId, manufacturer.address, 30, HASH, HASH))
        .to.be.revertedWithCustomError(supply, "ShipmentNotInTransit")
        .withArgs(id);
    });

    shouldAcceptOnlyTradingPartners(async () => {
      const f = await shipped();
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        call: (caller) => f.supply.connect(caller).receiveShipment(f.lotId, f.manufacturer.address, 30, HASH, HASH),
      };
    });
  });

  describe("rejectShipment", function () {
    it("emits ShipmentRejected and returns the quantity to the sender", async function () {
      const { supply, manufacturer, wholesaler, lotId, id } = await shipped();
      await expect(supply.connect(wholesaler).rejectShipment(lotId, manufacturer.address, 30, HASH, REASON))
        .to.emit(supply, "ShipmentRejected")
        .withArgs(lotId, id, wholesaler.address, REASON);
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(UNITS);
      expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(0);
      expect(await supply.isInTransit(id)).to.equal(false);
    });

    it("reverts when the shipment is not in transit", async function () {
      const { supply, manufacturer, wholesaler, lotId } = await shipped();
      const other = shipmentIdOf(lotId, manufacturer.address, wholesaler.address, 31, HASH);
      await expect(supply.connect(wholesaler).rejectShipment(lotId, manufacturer.address, 31, HASH, REASON))
        .to.be.revertedWithCustomError(supply, "ShipmentNotInTransit")
        .withArgs(other);
    });

    shouldAcceptOnlyTradingPartners(async () => {
      const f = await shipped();
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        call: (caller) => f.supply.connect(caller).rejectShipment(f.lotId, f.manufacturer.address, 30, HASH, HASH),
      };
    });
  });

  describe("cancelShipment", function () {
    /** 30 units in transit to the wholesaler, which the registrar then suspends. */
    async function stranded() {
      const f = await shipped();
      await f.registry.connect(f.registrar).suspendMember(f.wholesaler.address, REASON);
      return f;
    }

    it("emits ShipmentCancelled and returns the units to the sender when the recipient was suspended", async function () {
      const { supply, manufacturer, wholesaler, lotId, id } = await stranded();
      await expect(supply.connect(manufacturer).cancelShipment(lotId, wholesaler.address, 30, HASH, REASON))
        .to.emit(supply, "ShipmentCancelled")
        .withArgs(lotId, id, manufacturer.address, wholesaler.address, REASON);
      expect(await supply.isInTransit(id)).to.equal(false);
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(UNITS);
      expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(0);
    });

    it("cancels a shipment to a member that lost (or never had) a trading role, whatever the lot's status", async function () {
      const { supply, manufacturer, wholesaler, regulator, registry, registrar, lotId, id } = await shipped();
      await registry.connect(registrar).revokeRole(ethers.id("WHOLESALER_ROLE"), wholesaler.address);
      await supply.connect(regulator).recallLot(lotId, RecallClass.ClassI, REASON);
      await expect(supply.connect(manufacturer).cancelShipment(lotId, wholesaler.address, 30, HASH, REASON))
        .to.emit(supply, "ShipmentCancelled")
        .withArgs(lotId, id, manufacturer.address, wholesaler.address, REASON);
      expect((await supply.custodyOf(lotId, manufacturer.address)).quantity).to.equal(UNITS);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Recalled);
    });

    it("reverts when the recipient can still receive", async function () {
      const { supply, manufacturer, wholesaler, lotId, id } = await shipped();
      await expect(supply.connect(manufacturer).cancelShipment(lotId, wholesaler.address, 30, HASH, REASON))
        .to.be.revertedWithCustomError(supply, "ShipmentRecipientCanReceive")
        .withArgs(id, wholesaler.address);
      expect(await supply.isInTransit(id)).to.equal(true);
    });

    it("reverts when the shipment is not in transit from the caller, or was already received", async function () {
      const { supply, manufacturer, wholesaler, pharmacy, lotId } = await stranded();
      const fromPharmacy = shipmentIdOf(lotId, pharmacy.address, wholesaler.address, 30, HASH);
      await expect(supply.connect(pharmacy).cancelShipment(lotId, wholesaler.address, 30, HASH, REASON))
        .to.be.revertedWithCustomError(supply, "ShipmentNotInTransit")
        .withArgs(fromPharmacy);
      await supply.connect(manufacturer).cancelShipment(lotId, wholesaler.address, 30, HASH, REASON);
      const id = shipmentIdOf(lotId, manufacturer.address, wholesaler.address, 30, HASH);
      await expect(supply.connect(manufacturer).cancelShipment(lotId, wholesaler.address, 30, HASH, REASON))
        .to.be.revertedWithCustomError(supply, "ShipmentNotInTransit")
        .withArgs(id);
    });

    shouldAcceptOnlyTradingPartners(async () => {
      const f = await stranded();
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        call: (caller) => f.supply.connect(caller).cancelShipment(f.lotId, f.wholesaler.address, 30, HASH, HASH),
      };
    });
  });

  describe("dispense", function () {
    it("emits UnitDecommissioned, flips the unit's bit and decrements custody for a genuine pack", async function () {
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(5), tree.proof(5))).to.equal(
        UnitCheck.Genuine,
      );
      await expect(supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "UnitDecommissioned")
        .withArgs(lotId, pharmacy.address, 5, DecommissionReason.Dispensed);
      expect(await supply.isDecommissioned(lotId, 5)).to.equal(true);
      expect(await supply.isDecommissioned(lotId, 4)).to.equal(false);
      const custody = await supply.custodyOf(lotId, pharmacy.address);
      expect(custody.quantity).to.equal(19);
      expect(custody.lastIndex).to.equal(5);
      expect(custody.lastAt).to.equal(await time.latest());
      expect(custody.lastReason).to.equal(DecommissionReason.Dispensed);
    });

    it("dispenses units in a second bitmap word", async function () {
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(pharmacy).dispense(tree.unit(299), tree.proof(299));
      expect(await supply.isDecommissioned(lotId, 299)).to.equal(true);
      expect(await supply.isDecommissioned(lotId, 43)).to.equal(false);
    });

    it("keeps units 256 apart in their own bitmap words: unit 259 is Genuine after unit 3 was dispensed", async function () {
      // Same bit (3), words 0 and 1: reading the wrong word would call 259 AlreadyDecommissioned.
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(pharmacy).dispense(tree.unit(3), tree.proof(3));
      expect(await supply.verifyUnit(tree.unit(259), tree.proof(259), pharmacy.address)).to.equal(UnitCheck.Genuine);
      await expect(supply.connect(pharmacy).dispense(tree.unit(259), tree.proof(259)))
        .to.emit(supply, "UnitDecommissioned")
        .withArgs(lotId, pharmacy.address, 259, DecommissionReason.Dispensed);
      const states = await Promise.all([3, 259, 4, 260].map((i) => supply.isDecommissioned(lotId, i)));
      expect(states).to.deep.equal([true, true, false, false]);
    });

    it("emits a duplicate alert and puts the lot on a DuplicateAlert hold when a custodian scans a pack decommissioned by another", async function () {
      const { supply, pharmacy, wholesaler, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(wholesaler).decommission(tree.unit(5), tree.proof(5), DecommissionReason.Sample);
      const leaf = tree.leafHash(5);
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(5), tree.proof(5))).to.equal(
        UnitCheck.AlreadyDecommissioned,
      );
      await expect(supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, pharmacy.address, UnitCheck.AlreadyDecommissioned, 5, leaf)
        .and.to.emit(supply, "LotQuarantined")
        .withArgs(lotId, pharmacy.address, HoldOrigin.DuplicateAlert, leaf);
      const lot = await supply.lotOf(lotId);
      expect(lot.status).to.equal(LotStatus.Quarantined);
      expect(lot.holdOrigin).to.equal(HoldOrigin.DuplicateAlert);
      expect((await supply.custodyOf(lotId, pharmacy.address)).quantity).to.equal(20);
    });

    it("answers AlreadyDecommissioned to a custodian that never decommissioned, for unit 0 decommissioned by another", async function () {
      // A custody word that never recorded a decommission reads last index 0 with no reason:
      // only the reason tells it apart from "decommissioned unit 0".
      const { supply, pharmacy, wholesaler, tree, lotId } = await loadFixture(stockedFixture);
      expect((await supply.custodyOf(lotId, pharmacy.address)).lastReason).to.equal(DecommissionReason.None);
      await supply.connect(wholesaler).decommission(tree.unit(0), tree.proof(0), DecommissionReason.Sample);
      expect(await supply.verifyUnit(tree.unit(0), tree.proof(0), pharmacy.address)).to.equal(
        UnitCheck.AlreadyDecommissioned,
      );
      expect(await supply.verifyUnit(tree.unit(0), tree.proof(0), wholesaler.address)).to.equal(
        UnitCheck.AlreadyDecommissionedByYou,
      );
      await expect(supply.connect(pharmacy).dispense(tree.unit(0), tree.proof(0)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, pharmacy.address, UnitCheck.AlreadyDecommissioned, 0, tree.leafHash(0));
    });

    it("answers AlreadyDecommissionedByYou, without alert or hold, when the dispenser scans its own pack again; undo stays possible", async function () {
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5));
      const before = await supply.custodyOf(lotId, pharmacy.address);
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(5), tree.proof(5))).to.equal(
        UnitCheck.AlreadyDecommissionedByYou,
      );
      await expect(supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5)))
        .not.to.emit(supply, "SuspectPackAlert")
        .and.not.to.emit(supply, "LotQuarantined");
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
      expect(await supply.custodyOf(lotId, pharmacy.address)).to.deep.equal(before);
      expect(await supply.verifyUnit(tree.unit(5), tree.proof(5), pharmacy.address)).to.equal(
        UnitCheck.AlreadyDecommissionedByYou,
      );
      expect(await supply.verifyUnit(tree.unit(5), tree.proof(5), ethers.ZeroAddress)).to.equal(
        UnitCheck.AlreadyDecommissioned,
      );
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.emit(supply, "UnitDecommissionUndone")
        .withArgs(lotId, 5, pharmacy.address);
    });

    it("recognises the dispenser's five latest packs of the lot as its own, and the sixth back as a duplicate", async function () {
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      for (const i of [10, 11, 12, 13, 14, 15]) await supply.connect(pharmacy).dispense(tree.unit(i), tree.proof(i));
      for (const i of [11, 12, 13, 14, 15]) {
        expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(i), tree.proof(i))).to.equal(
          UnitCheck.AlreadyDecommissionedByYou,
        );
      }
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(10), tree.proof(10))).to.equal(
        UnitCheck.AlreadyDecommissioned,
      );
      // An undo forgets only the latest: the four before it are still the dispenser's own.
      await supply.connect(pharmacy).undoDecommission(lotId, 15);
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(14), tree.proof(14))).to.equal(
        UnitCheck.AlreadyDecommissionedByYou,
      );
      const custody = await supply.custodyOf(lotId, pharmacy.address);
      expect(custody.quantity).to.equal(15);
      // earlier = index + 1 per 32-bit lane, most recent lowest: 14, 13, 12, 11.
      expect(custody.earlier).to.equal(15n | (14n << 32n) | (13n << 64n) | (12n << 96n));
    });

    it("still alerts and holds the lot for the duplicate of the dispenser's own pack scanned by another custodian", async function () {
      const { supply, pharmacy, wholesaler, registry, registrar, others, tree, lotId } =
        await loadFixture(stockedFixture);
      await supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5));
      const second = others[0];
      await admit(registry, registrar, second, 101, ["DISPENSER"]);
      await supply.connect(wholesaler).ship(lotId, second.address, 3, HASH);
      await supply.connect(second).receiveShipment(lotId, wholesaler.address, 3, HASH, HASH);
      await expect(supply.connect(second).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, second.address, UnitCheck.AlreadyDecommissioned, 5, tree.leafHash(5))
        .and.to.emit(supply, "LotQuarantined")
        .withArgs(lotId, second.address, HoldOrigin.DuplicateAlert, tree.leafHash(5));
    });

    it("records a counterfeit or duplicate alert from a dispenser holding no unit of the lot without changing its status", async function () {
      const { supply, pharmacy, wholesaler, manufacturer, registry, registrar, others, tree, lotId } =
        await loadFixture(stockedFixture);
      const stranger = others[0];
      await admit(registry, registrar, stranger, 101, ["DISPENSER"]);
      const fake = { ...tree.unit(7), serial: "MADE-UP" };
      await expect(supply.connect(stranger).dispense(fake, []))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, stranger.address, UnitCheck.UnknownSerial, 7, await supply.unitLeaf(fake))
        .and.not.to.emit(supply, "LotQuarantined");
      await supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5));
      await expect(supply.connect(stranger).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, stranger.address, UnitCheck.AlreadyDecommissioned, 5, tree.leafHash(5))
        .and.not.to.emit(supply, "LotQuarantined");
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
      // Nor does it escalate a hold its manufacturer placed.
      await supply.connect(manufacturer).quarantineLot(lotId, REASON);
      await expect(supply.connect(stranger).dispense(fake, [])).not.to.emit(supply, "LotQuarantined");
      expect((await supply.lotOf(lotId)).holdOrigin).to.equal(HoldOrigin.Manufacturer);
      expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(30);
    });

    it("emits a counterfeit alert and puts the lot on a CounterfeitAlert hold for a serial outside the root", async function () {
      const { supply, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      const fake = { ...tree.unit(7), serial: "FAKE0001" };
      const leaf = await supply.unitLeaf(fake);
      await expect(supply.connect(pharmacy).dispense(fake, tree.proof(7)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, pharmacy.address, UnitCheck.UnknownSerial, 7, leaf)
        .and.to.emit(supply, "LotQuarantined")
        .withArgs(lotId, pharmacy.address, HoldOrigin.CounterfeitAlert, leaf);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
      expect((await supply.lotOf(lotId)).holdOrigin).to.equal(HoldOrigin.CounterfeitAlert);
      expect(await supply.isDecommissioned(lotId, 7)).to.equal(false);
    });

    it("answers UnknownSerial for an index beyond the unit count or a wrong expiry", async function () {
      const { supply, pharmacy, tree } = await loadFixture(stockedFixture);
      const beyond = { ...tree.unit(7), index: UNITS };
      expect(await supply.connect(pharmacy).dispense.staticCall(beyond, tree.proof(7))).to.equal(
        UnitCheck.UnknownSerial,
      );
      const wrongExpiry = { ...tree.unit(7), expiry: tree.lot.expiry + 86_400n };
      expect(await supply.connect(pharmacy).dispense.staticCall(wrongExpiry, tree.proof(7))).to.equal(
        UnitCheck.UnknownSerial,
      );
    });

    it("alerts without quarantine when the lot is recalled", async function () {
      const { supply, pharmacy, manufacturer, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON);
      await expect(supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, pharmacy.address, UnitCheck.Recalled, 5, tree.leafHash(5))
        .and.not.to.emit(supply, "LotQuarantined");
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Recalled);
      expect(await supply.isDecommissioned(lotId, 5)).to.equal(false);
    });

    it("keeps a recalled lot recalled when a counterfeit of it is scanned", async function () {
      const { supply, pharmacy, manufacturer, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON);
      await expect(supply.connect(pharmacy).dispense({ ...tree.unit(5), serial: "X" }, tree.proof(5))).not.to.emit(
        supply,
        "LotQuarantined",
      );
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Recalled);
    });

    it("alerts for quarantined, destroyed and expired lots without decommissioning", async function () {
      const { supply, pharmacy, manufacturer, tree, lotId, expiry } = await loadFixture(stockedFixture);
      await supply.connect(manufacturer).quarantineLot(lotId, REASON);
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(5), tree.proof(5))).to.equal(
        UnitCheck.Quarantined,
      );
      await supply.connect(manufacturer).releaseLot(lotId, REASON);
      // Expired from the expiry's own second on: the dispense is mined at exactly `expiry`.
      await time.setNextBlockTimestamp(expiry);
      await expect(supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, pharmacy.address, UnitCheck.Expired, 5, tree.leafHash(5));
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
      await supply.connect(manufacturer).destroyLot(lotId, HASH);
      expect(await supply.connect(pharmacy).dispense.staticCall(tree.unit(5), tree.proof(5))).to.equal(
        UnitCheck.LotDestroyed,
      );
      expect(await supply.isDecommissioned(lotId, 5)).to.equal(false);
    });

    it("alerts NotInYourCustody when the dispenser holds none of the lot", async function () {
      const { supply, pharmacy, tree, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(pharmacy).dispense(tree.unit(5), tree.proof(5)))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotId, pharmacy.address, UnitCheck.NotInYourCustody, 5, tree.leafHash(5))
        .and.not.to.emit(supply, "LotQuarantined");
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
    });

    it("alerts UnknownProduct and UnknownLot for codes of nothing commissioned", async function () {
      const { supply, pharmacy, tree } = await loadFixture(stockedFixture);
      const unknownLot = { ...tree.unit(1), lotNumber: "NOPE" };
      await expect(supply.connect(pharmacy).dispense(unknownLot, []))
        .to.emit(supply, "SuspectPackAlert")
        .withArgs(lotIdOf(GTIN, "NOPE"), pharmacy.address, UnitCheck.UnknownLot, 1, await supply.unitLeaf(unknownLot));
      const unknownProduct = { ...tree.unit(1), gtin: OTHER_GTIN };
      expect(await supply.connect(pharmacy).dispense.staticCall(unknownProduct, [])).to.equal(UnitCheck.UnknownProduct);
    });

    shouldBehaveLikeMemberGated(async () => {
      const f = await loadFixture(stockedFixture);
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        role: "DISPENSER",
        call: (caller) => f.supply.connect(caller).dispense(f.tree.unit(5), f.tree.proof(5)),
      };
    });
  });

  describe("decommission", function () {
    it("emits UnitDecommissioned with the reason for a unit the caller holds", async function () {
      const { supply, wholesaler, tree, lotId } = await loadFixture(stockedFixture);
      await expect(supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), DecommissionReason.Exported))
        .to.emit(supply, "UnitDecommissioned")
        .withArgs(lotId, wholesaler.address, 9, DecommissionReason.Exported);
      expect(await supply.isDecommissioned(lotId, 9)).to.equal(true);
      expect((await supply.custodyOf(lotId, wholesaler.address)).quantity).to.equal(29);
    });

    it("decommissions units of a recalled lot as destroyed", async function () {
      const { supply, wholesaler, manufacturer, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON);
      await supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), DecommissionReason.Destroyed);
      expect(await supply.isDecommissioned(lotId, 9)).to.equal(true);
    });

    it("reverts when the reason is None or Dispensed", async function () {
      const { supply, wholesaler, tree } = await loadFixture(stockedFixture);
      for (const reason of [DecommissionReason.None, DecommissionReason.Dispensed]) {
        await expect(supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), reason))
          .to.be.revertedWithCustomError(supply, "UnitInvalidReason")
          .withArgs(reason);
      }
    });

    it("reverts when the unit does not verify", async function () {
      const { supply, wholesaler, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), DecommissionReason.Sample);
      await expect(supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), DecommissionReason.Sample))
        .to.be.revertedWithCustomError(supply, "UnitNotGenuine")
        .withArgs(lotId, 9, UnitCheck.AlreadyDecommissioned);
    });

    it("reverts when the caller holds none of the lot", async function () {
      const { supply, wholesaler, tree, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), DecommissionReason.Stolen))
        .to.be.revertedWithCustomError(supply, "CustodyInsufficient")
        .withArgs(lotId, wholesaler.address, 0, 1);
    });

    shouldAcceptOnlyTradingPartners(async () => {
      const f = await loadFixture(stockedFixture);
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        call: (caller) =>
          f.supply.connect(caller).decommission(f.tree.unit(9), f.tree.proof(9), DecommissionReason.Sample),
      };
    });
  });

  describe("undoDecommission", function () {
    async function dispensed() {
      const f = await loadFixture(stockedFixture);
      await f.supply.connect(f.pharmacy).dispense(f.tree.unit(5), f.tree.proof(5));
      return f;
    }

    it("emits UnitDecommissionUndone and restores the unit and custody", async function () {
      const { supply, pharmacy, tree, lotId } = await dispensed();
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.emit(supply, "UnitDecommissionUndone")
        .withArgs(lotId, 5, pharmacy.address);
      expect(await supply.isDecommissioned(lotId, 5)).to.equal(false);
      expect((await supply.custodyOf(lotId, pharmacy.address)).quantity).to.equal(20);
      expect(await supply.verifyUnit(tree.unit(5), tree.proof(5), pharmacy.address)).to.equal(UnitCheck.Genuine);
    });

    it("clears only its own unit: undoing unit 259 leaves unit 3 (same bit, first word) decommissioned", async function () {
      const { supply, pharmacy, tree, lotId } = await dispensed();
      await supply.connect(pharmacy).dispense(tree.unit(3), tree.proof(3));
      await supply.connect(pharmacy).dispense(tree.unit(259), tree.proof(259));
      await supply.connect(pharmacy).undoDecommission(lotId, 259);
      const states = await Promise.all([3, 5, 259].map((i) => supply.isDecommissioned(lotId, i)));
      expect(states).to.deep.equal([true, true, false]);
      expect(await supply.verifyUnit(tree.unit(259), tree.proof(259), pharmacy.address)).to.equal(UnitCheck.Genuine);
    });

    it("reverts when the caller's latest decommission is another unit, or another actor asks", async function () {
      const { supply, pharmacy, wholesaler, lotId } = await dispensed();
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 6))
        .to.be.revertedWithCustomError(supply, "UnitNothingToUndo")
        .withArgs(lotId, pharmacy.address, 6);
      await expect(supply.connect(wholesaler).undoDecommission(lotId, 5))
        .to.be.revertedWithCustomError(supply, "UnitNothingToUndo")
        .withArgs(lotId, wholesaler.address, 5);
      await supply.connect(pharmacy).undoDecommission(lotId, 5);
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.be.revertedWithCustomError(supply, "UnitNothingToUndo")
        .withArgs(lotId, pharmacy.address, 5);
    });

    it("reverts after the 10-day window", async function () {
      const { supply, pharmacy, lotId } = await dispensed();
      const at = BigInt((await supply.custodyOf(lotId, pharmacy.address)).lastAt);
      const window = await supply.UNDO_WINDOW();
      expect(window).to.equal(10n * 86_400n);
      await time.setNextBlockTimestamp(at + window + 1n);
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.be.revertedWithCustomError(supply, "UnitUndoWindowClosed")
        .withArgs(lotId, 5, at + window);
    });

    it("undoes in the window's last second", async function () {
      const { supply, pharmacy, lotId } = await dispensed();
      const at = BigInt((await supply.custodyOf(lotId, pharmacy.address)).lastAt);
      await time.setNextBlockTimestamp(at + (await supply.UNDO_WINDOW()));
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.emit(supply, "UnitDecommissionUndone")
        .withArgs(lotId, 5, pharmacy.address);
    });

    it("reverts when the lot is recalled or destroyed", async function () {
      const { supply, pharmacy, manufacturer, lotId } = await dispensed();
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassIII, REASON);
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Recalled, lotStatusSet(LotStatus.Active, LotStatus.Quarantined));
      await supply.connect(manufacturer).destroyLot(lotId, HASH);
      await expect(supply.connect(pharmacy).undoDecommission(lotId, 5))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Destroyed, lotStatusSet(LotStatus.Active, LotStatus.Quarantined));
    });

    /** A lot expiring in 3 days whose unit 1 the manufacturer has just decommissioned (a sample). */
    async function shortLotSampled() {
      const f = await loadFixture(supplyFixture);
      const expiry = BigInt(await time.latest()) + 3n * 86_400n;
      const tree = SerialTree.build({ gtin: GTIN, lotNumber: "SHORT", expiry }, sequentialSerials(4));
      await f.supply.connect(f.manufacturer).commissionLot(GTIN, "SHORT", expiry, 4, tree.root, HASH);
      await f.supply.connect(f.manufacturer).decommission(tree.unit(1), tree.proof(1), DecommissionReason.Sample);
      return { f, expiry, lotId: lotIdOf(GTIN, "SHORT") };
    }

    it("reverts when the lot has expired", async function () {
      const { f, expiry, lotId } = await shortLotSampled();
      await time.setNextBlockTimestamp(expiry);
      await expect(f.supply.connect(f.manufacturer).undoDecommission(lotId, 1))
        .to.be.revertedWithCustomError(f.supply, "LotExpired")
        .withArgs(lotId, expiry);
    });

    it("undoes in the last second before the lot's expiry", async function () {
      const { f, expiry, lotId } = await shortLotSampled();
      await time.setNextBlockTimestamp(expiry - 1n);
      await expect(f.supply.connect(f.manufacturer).undoDecommission(lotId, 1))
        .to.emit(f.supply, "UnitDecommissionUndone")
        .withArgs(lotId, 1, f.manufacturer.address);
    });

    it("reverts for a destroyed or stolen unit (FMD Art. 13)", async function () {
      const { supply, wholesaler, tree, lotId } = await loadFixture(stockedFixture);
      for (const [i, reason] of [
        [9, DecommissionReason.Destroyed],
        [10, DecommissionReason.Stolen],
      ] as const) {
        await supply.connect(wholesaler).decommission(tree.unit(i), tree.proof(i), reason);
        await expect(supply.connect(wholesaler).undoDecommission(lotId, i))
          .to.be.revertedWithCustomError(supply, "UnitInvalidReason")
          .withArgs(reason);
      }
    });

    shouldAcceptOnlyTradingPartners(async () => {
      const f = await dispensed();
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        call: (caller) => f.supply.connect(caller).undoDecommission(f.lotId, 5),
      };
    });
  });

  /** quarantine / release / recall / destroy share the lot-authority rule. */
  function shouldBehaveLikeLotAuthority(
    prepare: (f: Awaited<ReturnType<typeof supplyFixture>>) => Promise<void>,
    call: (
      f: Awaited<ReturnType<typeof supplyFixture>>,
      caller: import("@nomicfoundation/hardhat-ethers/signers").HardhatEthersSigner,
    ) => Promise<unknown>,
  ) {
    async function ready() {
      const f = await loadFixture(supplyFixture);
      await prepare(f);
      return f;
    }

    it("reverts when the lot is unknown, whoever asks", async function () {
      // The lot's existence is checked before the caller: a regulator, a manufacturer and an outsider
      // all get LotUnknown.
      const f = await ready();
      const unknown = lotIdOf(GTIN, "NOPE");
      for (const caller of [f.regulator, f.manufacturer, f.outsider]) {
        await expect(call({ ...f, lotId: unknown }, caller))
          .to.be.revertedWithCustomError(f.supply, "LotUnknown")
          .withArgs(unknown);
      }
    });

    it("accepts a regulator", async function () {
      const f = await ready();
      await expect(call(f, f.regulator)).not.to.be.reverted;
    });

    it("reverts when a manufacturer of another lot calls", async function () {
      const f = await ready();
      const rival = f.others[0];
      await admit(f.registry, f.registrar, rival, 100, ["MANUFACTURER"]);
      await expect(call(f, rival))
        .to.be.revertedWithCustomError(f.supply, "LotNotManufacturer")
        .withArgs(f.lotId, rival.address, f.manufacturer.address);
    });

    it("reverts when the lot's manufacturer has lost its role", async function () {
      const f = await ready();
      await f.registry.connect(f.registrar).suspendMember(f.manufacturer.address, REASON);
      await expect(call(f, f.manufacturer))
        .to.be.revertedWithCustomError(f.supply, "MemberGatedUnauthorized")
        .withArgs(f.manufacturer.address, ethers.id("MANUFACTURER_ROLE"));
    });

    shouldBehaveLikeMemberGated(async () => {
      const f = await ready();
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        role: "MANUFACTURER",
        alsoAccepted: ["REGULATOR"],
        call: (caller) => call(f, caller),
      };
    });
  }

  describe("quarantineLot", function () {
    it("emits LotQuarantined and blocks shipping", async function () {
      const { supply, regulator, manufacturer, wholesaler, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(regulator).quarantineLot(lotId, REASON))
        .to.emit(supply, "LotQuarantined")
        .withArgs(lotId, regulator.address, HoldOrigin.Regulator, REASON);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
      expect((await supply.lotOf(lotId)).holdOrigin).to.equal(HoldOrigin.Regulator);
      await expect(supply.connect(manufacturer).ship(lotId, wholesaler.address, 1, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Quarantined, lotStatusSet(LotStatus.Active));
    });

    it("reverts when the lot is not active", async function () {
      const { supply, manufacturer, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).quarantineLot(lotId, REASON);
      await expect(supply.connect(manufacturer).quarantineLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Quarantined, lotStatusSet(LotStatus.Active));
    });

    it("lets a regulator escalate a manufacturer's or cold-chain hold to a regulator's hold, but not re-hold its own", async function () {
      const { supply, manufacturer, regulator, sensor, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).quarantineLot(lotId, REASON);
      await expect(supply.connect(regulator).quarantineLot(lotId, REASON))
        .to.emit(supply, "LotQuarantined")
        .withArgs(lotId, regulator.address, HoldOrigin.Regulator, REASON);
      await expect(supply.connect(regulator).quarantineLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Quarantined, lotStatusSet(LotStatus.Active));
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotReleaseUnauthorized")
        .withArgs(lotId, manufacturer.address, HoldOrigin.Regulator);
      await supply.connect(regulator).releaseLot(lotId, REASON);
      await supply.connect(sensor).reportExcursion(lotId, HASH);
      await expect(supply.connect(regulator).quarantineLot(lotId, REASON))
        .to.emit(supply, "LotQuarantined")
        .withArgs(lotId, regulator.address, HoldOrigin.Regulator, REASON);
    });

    shouldBehaveLikeLotAuthority(
      async () => {},
      (f, caller) => f.supply.connect(caller).quarantineLot(f.lotId, REASON),
    );
  });

  describe("releaseLot", function () {
    it("emits LotReleased and makes the lot active again", async function () {
      const { supply, manufacturer, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).quarantineLot(lotId, REASON);
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.emit(supply, "LotReleased")
        .withArgs(lotId, manufacturer.address, HoldOrigin.Manufacturer, REASON);
      const lot = await supply.lotOf(lotId);
      expect(lot.status).to.equal(LotStatus.Active);
      expect(lot.holdOrigin).to.equal(HoldOrigin.None);
    });

    it("reverts when the manufacturer releases a regulator's hold", async function () {
      const { supply, manufacturer, regulator, lotId } = await loadFixture(supplyFixture);
      await supply.connect(regulator).quarantineLot(lotId, REASON);
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotReleaseUnauthorized")
        .withArgs(lotId, manufacturer.address, HoldOrigin.Regulator);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
      await expect(supply.connect(regulator).releaseLot(lotId, REASON))
        .to.emit(supply, "LotReleased")
        .withArgs(lotId, regulator.address, HoldOrigin.Regulator, REASON);
    });

    it("reverts when the manufacturer releases a counterfeit or duplicate alert's hold", async function () {
      const { supply, manufacturer, regulator, pharmacy, wholesaler, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(pharmacy).dispense({ ...tree.unit(7), serial: "FAKE" }, []);
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotReleaseUnauthorized")
        .withArgs(lotId, manufacturer.address, HoldOrigin.CounterfeitAlert);
      await supply.connect(regulator).releaseLot(lotId, REASON);
      await supply.connect(wholesaler).decommission(tree.unit(9), tree.proof(9), DecommissionReason.Sample);
      await supply.connect(pharmacy).dispense(tree.unit(9), tree.proof(9));
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotReleaseUnauthorized")
        .withArgs(lotId, manufacturer.address, HoldOrigin.DuplicateAlert);
    });

    it("lets the manufacturer release a cold-chain hold", async function () {
      const { supply, manufacturer, sensor, lotId } = await loadFixture(supplyFixture);
      await supply.connect(sensor).reportExcursion(lotId, HASH);
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.emit(supply, "LotReleased")
        .withArgs(lotId, manufacturer.address, HoldOrigin.ColdChain, REASON);
    });

    it("keeps an alert's hold out of the manufacturer's reach when it quarantined the lot first", async function () {
      const { supply, manufacturer, pharmacy, tree, lotId } = await loadFixture(stockedFixture);
      await supply.connect(manufacturer).quarantineLot(lotId, REASON);
      const fake = { ...tree.unit(7), serial: "FAKE" };
      await expect(supply.connect(pharmacy).dispense(fake, []))
        .to.emit(supply, "LotQuarantined")
        .withArgs(lotId, pharmacy.address, HoldOrigin.CounterfeitAlert, await supply.unitLeaf(fake));
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotReleaseUnauthorized")
        .withArgs(lotId, manufacturer.address, HoldOrigin.CounterfeitAlert);
    });

    it("reverts when the lot is not quarantined", async function () {
      const { supply, manufacturer, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).releaseLot(lotId, REASON))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Active, lotStatusSet(LotStatus.Quarantined));
    });

    shouldBehaveLikeLotAuthority(
      async (f) => {
        await f.supply.connect(f.manufacturer).quarantineLot(f.lotId, REASON);
      },
      (f, caller) => f.supply.connect(caller).releaseLot(f.lotId, REASON),
    );
  });

  describe("recallLot", function () {
    it("emits LotRecalled and records the class", async function () {
      const { supply, manufacturer, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON))
        .to.emit(supply, "LotRecalled")
        .withArgs(lotId, manufacturer.address, RecallClass.ClassI, REASON);
      const lot = await supply.lotOf(lotId);
      expect(lot.status).to.equal(LotStatus.Recalled);
      expect(lot.recallClass).to.equal(RecallClass.ClassI);
    });

    it("recalls a quarantined lot", async function () {
      const { supply, regulator, lotId } = await loadFixture(supplyFixture);
      await supply.connect(regulator).quarantineLot(lotId, REASON);
      await supply.connect(regulator).recallLot(lotId, RecallClass.ClassII, REASON);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Recalled);
    });

    it("reverts when the class is None", async function () {
      const { supply, manufacturer, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(manufacturer).recallLot(lotId, RecallClass.None, REASON))
        .to.be.revertedWithCustomError(supply, "LotInvalidRecallClass")
        .withArgs(RecallClass.None);
    });

    it("reverts when the lot is already recalled", async function () {
      const { supply, manufacturer, lotId } = await loadFixture(supplyFixture);
      await supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON);
      await expect(supply.connect(manufacturer).recallLot(lotId, RecallClass.ClassI, REASON))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(lotId, LotStatus.Recalled, lotStatusSet(LotStatus.Active, LotStatus.Quarantined));
    });

    shouldBehaveLikeLotAuthority(
      async () => {},
      (f, caller) => f.supply.connect(caller).recallLot(f.lotId, RecallClass.ClassII, REASON),
    );
  });

  describe("destroyLot", function () {
    it("emits LotDestroyed from any live status", async function () {
      const { supply, regulator, lotId } = await loadFixture(supplyFixture);
      await supply.connect(regulator).recallLot(lotId, RecallClass.ClassI, REASON);
      await expect(supply.connect(regulator).destroyLot(lotId, HASH))
        .to.emit(supply, "LotDestroyed")
        .withArgs(lotId, regulator.address, HASH);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Destroyed);
    });

    it("reverts when the lot is already destroyed", async function () {
      const { supply, regulator, lotId } = await loadFixture(supplyFixture);
      await supply.connect(regulator).destroyLot(lotId, HASH);
      await expect(supply.connect(regulator).destroyLot(lotId, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(
          lotId,
          LotStatus.Destroyed,
          lotStatusSet(LotStatus.Active, LotStatus.Quarantined, LotStatus.Recalled),
        );
    });

    shouldBehaveLikeLotAuthority(
      async () => {},
      (f, caller) => f.supply.connect(caller).destroyLot(f.lotId, HASH),
    );
  });

  describe("reportExcursion", function () {
    it("emits ColdChainExcursion and quarantines an active lot when a sensor oracle reports", async function () {
      const { supply, sensor, lotId } = await loadFixture(supplyFixture);
      await expect(supply.connect(sensor).reportExcursion(lotId, HASH))
        .to.emit(supply, "ColdChainExcursion")
        .withArgs(lotId, sensor.address, HASH)
        .and.to.emit(supply, "LotQuarantined")
        .withArgs(lotId, sensor.address, HoldOrigin.ColdChain, HASH);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
    });

    it("accepts a holder of the lot and records a second excursion without a status change", async function () {
      const { supply, sensor, wholesaler, lotId } = await loadFixture(stockedFixture);
      await supply.connect(wholesaler).reportExcursion(lotId, HASH);
      await expect(supply.connect(sensor).reportExcursion(lotId, REASON))
        .to.emit(supply, "ColdChainExcursion")
        .and.not.to.emit(supply, "LotQuarantined");
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
    });

    it("accepts a holder of a single unit", async function () {
      const { supply, pharmacy, wholesaler, lotId } = await loadFixture(stockedFixture);
      // The pharmacy ships 19 of its 20 units back: one left.
      await supply.connect(pharmacy).ship(lotId, wholesaler.address, 19, ethers.id("ship p->w"));
      expect((await supply.custodyOf(lotId, pharmacy.address)).quantity).to.equal(1);
      await expect(supply.connect(pharmacy).reportExcursion(lotId, HASH))
        .to.emit(supply, "ColdChainExcursion")
        .withArgs(lotId, pharmacy.address, HASH);
    });

    it("answers LotUnknown for an unknown lot before it looks at the caller", async function () {
      // The lot's existence is public; who may report on it is checked only for a lot that exists.
      const { supply, outsider } = await loadFixture(supplyFixture);
      const unknown = lotIdOf(GTIN, "NOPE");
      await expect(supply.connect(outsider).reportExcursion(unknown, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnknown")
        .withArgs(unknown);
    });

    it("reverts for a suspended holder", async function () {
      const { supply, registry, registrar, wholesaler, lotId } = await loadFixture(stockedFixture);
      await registry.connect(registrar).suspendMember(wholesaler.address, REASON);
      await expect(supply.connect(wholesaler).reportExcursion(lotId, HASH))
        .to.be.revertedWithCustomError(supply, "MemberGatedUnauthorized")
        .withArgs(wholesaler.address, ethers.id("SENSOR_ORACLE_ROLE"));
    });

    it("reverts when the lot is unknown or destroyed", async function () {
      const { supply, sensor, regulator, lotId } = await loadFixture(supplyFixture);
      const unknown = lotIdOf(GTIN, "NOPE");
      await expect(supply.connect(sensor).reportExcursion(unknown, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnknown")
        .withArgs(unknown);
      await supply.connect(regulator).destroyLot(lotId, HASH);
      await expect(supply.connect(sensor).reportExcursion(lotId, HASH))
        .to.be.revertedWithCustomError(supply, "LotUnexpectedStatus")
        .withArgs(
          lotId,
          LotStatus.Destroyed,
          lotStatusSet(LotStatus.Active, LotStatus.Quarantined, LotStatus.Recalled),
        );
    });

    shouldBehaveLikeMemberGated(async () => {
      const f = await loadFixture(supplyFixture);
      return {
        contract: f.supply,
        registry: f.registry,
        registrar: f.registrar,
        role: "SENSOR_ORACLE",
        call: (caller) => f.supply.connect(caller).reportExcursion(f.lotId, HASH),
      };
    });
  });

  describe("verifyUnit", function () {
    it("answers Genuine, NotInYourCustody and custody-free checks", async function () {
      const { supply, pharmacy, wholesaler, tree, outsider } = await loadFixture(stockedFixture);
      expect(await supply.verifyUnit(tree.unit(3), tree.proof(3), pharmacy.address)).to.equal(UnitCheck.Genuine);
      expect(await supply.verifyUnit(tree.unit(3), tree.proof(3), wholesaler.address)).to.equal(UnitCheck.Genuine);
      expect(await supply.verifyUnit(tree.unit(3), tree.proof(3), outsider.address)).to.equal(
        UnitCheck.NotInYourCustody,
      );
      expect(await supply.verifyUnit(tree.unit(3), tree.proof(3), ethers.ZeroAddress)).to.equal(UnitCheck.Genuine);
    });

    it("answers UnknownSerial for a proof of another unit", async function () {
      const { supply, tree } = await loadFixture(stockedFixture);
      expect(await supply.verifyUnit(tree.unit(3), tree.proof(4), ethers.ZeroAddress)).to.equal(
        UnitCheck.UnknownSerial,
      );
    });

    it("computes the leaf the SDK's tree holds", async function () {
      const { supply, tree } = await loadFixture(supplyFixture);
      for (const i of [0, 1, 255, 256, UNITS - 1])
        expect(await supply.unitLeaf(tree.unit(i))).to.equal(tree.leafHash(i));
    });
  });

  describe("commissioning cost", function () {
    it("is the same for 1 and 1,000,000 units (nothing stored per unit)", async function () {
      const { supply, manufacturer, expiry } = await loadFixture(supplyFixture);
      const root = ethers.id("root");
      const small = await (await supply.connect(manufacturer).commissionLot(GTIN, "S1", expiry, 1, root, HASH)).wait();
      const big = await (
        await supply.connect(manufacturer).commissionLot(GTIN, "S2", expiry, 1_000_000, root, HASH)
      ).wait();
      const diff = Number(big!.gasUsed - small!.gasUsed);
      expect(Math.abs(diff)).to.be.lessThan(Number(small!.gasUsed) / 20);
    });
  });
});
