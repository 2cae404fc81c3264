/**
 * E2E step "supply": a lot's journey over JSON-RPC with the SDK only (src/supply, src/gs1) and
 * ethers wallets. The manufacturer registers its product, builds the serial tree and commissions a
 * lot, then ships part of it; the wholesaler finds the shipment from the events, receives it and
 * ships on; the pharmacy receives, verifies a scanned GS1 code and dispenses the pack. Runs after
 * the registry step (which admits the members).
 */
import { expect } from "chai";
import { id } from "ethers";
import {
  Role,
  commissioningEvent,
  connectContract,
  describeError,
  epcisDocument,
  eventHashBytes32,
  fetchAnchoredSteps,
  matchEpcisDocument,
  receivingEvent,
  shippingEvent,
  type EpcisEvent,
} from "../../../src";
import { withCheckDigit } from "../../../src/gs1/checkDigit";
import { formatBracketed, formatRaw, type PackIdentity } from "../../../src/gs1/elementString";
import {
  LotStatus,
  SerialTree,
  SupplyClient,
  UnitCheck,
  gtinToString,
  lotIdOf,
  sequentialSerials,
  shipmentIdOf,
} from "../../../src/supply";
import { expiryTimestamp } from "../../../src/gs1/elementString";
import type { E2EContext, E2EStep } from "../consortium";

const GTIN = BigInt(withCheckDigit("0950600099991"));
const LOT = "E2E-LOT-1";
/** Printed AI (17) expiry: 31 December 2030. */
const PRINTED_EXPIRY = "301231";
const UNITS = 20;
/** The e2e members' GLNs have company prefix 400000. */
const CPL = 6;

/** State carried between the step's tests (they run in order against one deployment). */
interface SupplyStepState {
  tree: SerialTree;
  lotId: string;
  toWholesaler?: string;
  toPharmacy?: string;
  /** The EPCIS events the steps anchored, in order. */
  events: EpcisEvent[];
}

export const supplyStep: E2EStep = {
  name: "supply: a lot from the manufacturer to a dispensed pack",
  define(ctx: () => E2EContext) {
    let state: SupplyStepState | undefined;
    const the = (): SupplyStepState => {
      if (!state) throw new Error("the lot was not commissioned");
      return state;
    };
    const clientOf = (name: "manufacturer" | "wholesaler" | "pharmacy" | "outsider") => {
      const { deployment, actors } = ctx();
      const address = deployment.addresses.supply;
      if (address === undefined) throw new Error("the deployment has no supply contract");
      return new SupplyClient(address, actors[name]);
    };
    /** A member's GLN from the registry, and the chain's time: what an EPCIS event of the step is built from. */
    const glnOf = async (address: string) => {
      const supply = clientOf("manufacturer").contract;
      const registry = connectContract("MemberRegistry", await supply.registry(), supply.runner);
      return (await registry.memberOf(address)).gln;
    };
    const chainTime = async () => (await ctx().actors.manufacturer.provider!.getBlock("latest"))!.timestamp;
    /** Records `event` as anchored by the step and returns the hash to anchor. */
    const anchor = (event: EpcisEvent) => {
      the().events.push(event);
      return eventHashBytes32(event);
    };

    it("the manufacturer registers its GTIN and commissions a serialised lot", async function () {
      const { actors } = ctx();
      const manufacturer = clientOf("manufacturer").contract;
      await (await manufacturer.registerProduct(GTIN, id("e2e product master data"))).wait();
      const expiry = expiryTimestamp(PRINTED_EXPIRY, new Date("2026-01-01T00:00:00Z"));
      const tree = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry }, sequentialSerials(UNITS, "E2E"));
      const lotId = lotIdOf(GTIN, LOT);
      state = { tree, lotId, events: [] };
      const commission = anchor(
        commissioningEvent({
          eventTime: await chainTime(),
          companyPrefixLength: CPL,
          gtin: GTIN,
          lot: LOT,
          quantity: UNITS,
          manufacturerGln: await glnOf(actors.manufacturer.address),
        }),
      );
      await (await manufacturer.commissionLot(GTIN, LOT, expiry, UNITS, tree.root, commission)).wait();
      expect(await manufacturer.lotIdOf(GTIN, LOT)).to.equal(lotId);
      const lot = await manufacturer.lotOf(lotId);
      expect(lot.manufacturer).to.equal(actors.manufacturer.address);
      expect(lot.status).to.equal(BigInt(LotStatus.Active));
      expect(lot.unitCount).to.equal(BigInt(UNITS));
      expect(lot.serialsRoot).to.equal(tree.root);
      expect((await manufacturer.custodyOf(lotId, actors.manufacturer.address)).quantity).to.equal(BigInt(UNITS));
    });

    it("refuses an outsider's shipment with MemberGatedUnauthorized, decoded by the SDK", async function () {
      const { actors } = ctx();
      const outsider = clientOf("outsider").contract;
      const error = await outsider.ship(the().lotId, actors.wholesaler.address, 1, id("x")).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, "the transaction was accepted").to.not.equal(undefined);
      expect(describeError(error, [outsider.interface])).to.equal(
        `MemberGatedUnauthorized(${actors.outsider.address}, ${Role.WHOLESALER})`,
      );
    });

    it("the manufacturer ships 10 units and the wholesaler receives them, found from the events", async function () {
      const { actors } = ctx();
      const { lotId } = the();
      const transfer = {
        eventTime: await chainTime(),
        companyPrefixLength: CPL,
        gtin: GTIN,
        lot: LOT,
        quantity: 10,
        fromGln: await glnOf(actors.manufacturer.address),
        toGln: await glnOf(actors.wholesaler.address),
      };
      const shipHash = anchor(shippingEvent(transfer));
      await (await clientOf("manufacturer").contract.ship(lotId, actors.wholesaler.address, 10, shipHash)).wait();
      const wholesaler = clientOf("wholesaler");
      const pending = (await wholesaler.shipmentsTo(actors.wholesaler.address, lotId)).filter((s) => s.inTransit);
      expect(pending).to.have.length(1);
      const expectedId = shipmentIdOf(lotId, actors.manufacturer.address, actors.wholesaler.address, 10, shipHash);
      expect(pending[0].shipmentId).to.equal(expectedId);
      await wholesaler.closeShipment(expectedId, anchor(receivingEvent({ ...transfer, eventTime: await chainTime() })));
      expect(await wholesaler.contract.isInTransit(expectedId)).to.equal(false);
      expect((await wholesaler.contract.custodyOf(lotId, actors.wholesaler.address)).quantity).to.equal(10n);
      expect((await wholesaler.contract.custodyOf(lotId, actors.manufacturer.address)).quantity).to.equal(
        BigInt(UNITS - 10),
      );
      the().toWholesaler = expectedId;
    });

    it("the wholesaler ships 4 units on and the pharmacy receives them", async function () {
      const { actors } = ctx();
      const { lotId } = the();
      const transfer = {
        eventTime: await chainTime(),
        companyPrefixLength: CPL,
        gtin: GTIN,
        lot: LOT,
        quantity: 4,
        fromGln: await glnOf(actors.wholesaler.address),
        toGln: await glnOf(actors.pharmacy.address),
      };
      const shipHash = anchor(shippingEvent(transfer));
      const tx = await clientOf("wholesaler").contract.ship(lotId, actors.pharmacy.address, 4, shipHash);
      await tx.wait();
      const pharmacy = clientOf("pharmacy");
      const [shipment] = await pharmacy.shipmentsTo(actors.pharmacy.address, lotId);
      expect(shipment.from).to.equal(actors.wholesaler.address);
      expect(shipment.quantity).to.equal(4n);
      expect(shipment.inTransit).to.equal(true);
      await pharmacy.closeShipment(
        shipment.shipmentId,
        anchor(receivingEvent({ ...transfer, eventTime: await chainTime() })),
      );
      expect((await pharmacy.contract.custodyOf(lotId, actors.pharmacy.address)).quantity).to.equal(4n);
      expect((await pharmacy.contract.custodyOf(lotId, actors.wholesaler.address)).quantity).to.equal(6n);
      the().toPharmacy = shipment.shipmentId;
    });

    it("a partner's EPCIS document of the step's events matches every anchored step of the lot, none missing", async function () {
      const { lotId, events } = the();
      const supply = clientOf("manufacturer").contract;
      const steps = await fetchAnchoredSteps(supply.runner!.provider!, await supply.getAddress(), { lotId });
      expect(steps.map((s) => s.event)).to.deep.equal([
        "LotCommissioned",
        "ShipmentSent",
        "ShipmentReceived",
        "ShipmentSent",
        "ShipmentReceived",
      ]);
      const result = matchEpcisDocument(JSON.stringify(epcisDocument(events, await chainTime())), steps, [lotId]);
      expect(result.matched.map((m) => m.steps.map((s) => s.event))).to.deep.equal(steps.map((s) => [s.event]));
      expect(result.unanchored).to.deep.equal([]);
      expect(result.missing).to.deep.equal([]);
    });

    it("the pharmacy verifies a scanned GS1 code as genuine and in its custody, and a forged serial as unknown", async function () {
      const { actors } = ctx();
      const { tree } = the();
      const pharmacy = clientOf("pharmacy");
      const pack: PackIdentity = {
        gtin: gtinToString(GTIN),
        serial: tree.serials[7],
        lot: LOT,
        expiry: PRINTED_EXPIRY,
      };
      // As a 2D scanner delivers it: symbology identifier "]d2" and GS separators.
      const scanned = formatRaw(pack);
      const genuine = await pharmacy.verifyPack(scanned, tree, actors.pharmacy.address);
      expect(genuine.answer).to.equal(UnitCheck.Genuine);
      expect(genuine.unit.index).to.equal(7);
      expect(genuine.lotId).to.equal(the().lotId);
      const forged = await pharmacy.verifyPack(formatBracketed({ ...pack, serial: "FORGED0001" }), tree);
      expect(forged.answerName).to.equal("UnknownSerial");
    });

    it("the pharmacy dispenses the scanned pack; its own second scan answers AlreadyDecommissionedByYou without a transaction", async function () {
      const { actors } = ctx();
      const { tree, lotId } = the();
      const pharmacy = clientOf("pharmacy");
      const pack: PackIdentity = {
        gtin: gtinToString(GTIN),
        serial: tree.serials[7],
        lot: LOT,
        expiry: PRINTED_EXPIRY,
      };
      const dispensed = await pharmacy.dispense(formatRaw(pack), tree);
      expect(dispensed.answer).to.equal(UnitCheck.Genuine);
      expect(dispensed.receipt?.status).to.equal(1);
      expect(await pharmacy.contract.isDecommissioned(lotId, 7)).to.equal(true);
      expect(await pharmacy.contract.isDecommissioned(lotId, 6)).to.equal(false);
      expect((await pharmacy.contract.custodyOf(lotId, actors.pharmacy.address)).quantity).to.equal(3n);
      const again = await pharmacy.verifyPack(formatRaw(pack), tree);
      expect(again.answer).to.equal(UnitCheck.AlreadyDecommissioned);
      const mine = await pharmacy.verifyPack(formatRaw(pack), tree, actors.pharmacy.address);
      expect(mine.answerName).to.equal("AlreadyDecommissionedByYou");
      const rescan = await pharmacy.dispense(formatRaw(pack), tree);
      expect(rescan.answer).to.equal(UnitCheck.AlreadyDecommissionedByYou);
      expect(rescan.receipt).to.equal(undefined);
      expect((await pharmacy.contract.lotOf(lotId)).status).to.equal(BigInt(LotStatus.Active));
    });

    it("rebuilds the lot's provenance from its events over JSON-RPC", async function () {
      const { actors } = ctx();
      const { lotId, toWholesaler, toPharmacy } = the();
      const history = await clientOf("pharmacy").provenance(lotId);
      expect(history.map((h) => h.event)).to.deep.equal([
        "LotCommissioned",
        "ShipmentSent",
        "ShipmentReceived",
        "ShipmentSent",
        "ShipmentReceived",
        "UnitDecommissioned",
      ]);
      expect(history[1].details.shipmentId).to.equal(toWholesaler);
      expect(history[3].details.shipmentId).to.equal(toPharmacy);
      expect(history[5].details.actor).to.equal(actors.pharmacy.address);
      expect(history[5].details.reason).to.equal("Dispensed");
    });
  },
};
