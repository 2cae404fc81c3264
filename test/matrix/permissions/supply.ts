/**
 * Permissions of SupplyChain (contracts/supply): see test/matrix/permissions.ts.
 *
 * Roles (ISupplyChain NatSpec): products and lots belong to an active MANUFACTURER; custody moves
 * between trading partners (active WHOLESALER, MANUFACTURER or DISPENSER — refusals name WHOLESALER);
 * only a DISPENSER dispenses; lot authority (quarantine, release, recall, destroy) is the lot's own
 * manufacturer or any REGULATOR (refusals name MANUFACTURER, or LotNotManufacturer for another
 * manufacturer); a hold imposed by a regulator or an alert is lifted only by a REGULATOR; a sender cancels
 * a shipment only when its recipient cannot receive; cold-chain excursions come from a SENSOR_ORACLE or
 * a member holding units of the lot.
 *
 * Every case starts from the consortium fixture plus `setup` (a product, a lot, some stock), built
 * from fixed values so that `args` can be computed synchronously after the setup.
 */
import { ethers } from "hardhat";
import { Role } from "../../../src/roles";
import { withCheckDigit } from "../../../src/gs1/checkDigit";
import { expiryTimestamp } from "../../../src/gs1/elementString";
import {
  DecommissionReason,
  HoldOrigin,
  RecallClass,
  SerialTree,
  lotIdOf,
  sequentialSerials,
  shipmentIdOf,
} from "../../../src/supply";
import { admit } from "../../helpers/fixtures";
import type { SupplyChain } from "../../../typechain-types";
import type { FunctionPermission, MatrixEnv, RefusalCase } from "../types";
import { upgradePermissions } from "./upgrades";

const GTIN = BigInt(withCheckDigit("0950600013435"));
const LOT = "MATRIX-1";
// A fixed printed expiry (AI 17 "351231"), years after the in-process chain's clock: the tree is fixed.
const EXPIRY = expiryTimestamp("351231", new Date("2026-01-01T00:00:00Z"));
const UNITS = 8;
const TREE = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry: EXPIRY }, sequentialSerials(UNITS));
const LOT_ID = lotIdOf(GTIN, LOT);
const SHIP_HASH = ethers.id("matrix: ship manufacturer -> wholesaler");
const RECEIVE_HASH = ethers.id("matrix: receive");
const REASON = ethers.id("matrix: reason");
/** Unit the wholesaler decommissions (it holds units 0-…; which serial is irrelevant to custody counts). */
const UNIT = 3;
/** GLN sequence number for a second manufacturer admitted by some cases. */
const SECOND_MANUFACTURER_GLN = 900;

function supplyOf(e: MatrixEnv): SupplyChain {
  return e.contracts.supply as unknown as SupplyChain;
}

/** The product registered and the 8-unit lot commissioned by the fixture's manufacturer. */
async function commissioned(e: MatrixEnv): Promise<void> {
  const supply = supplyOf(e).connect(e.manufacturer);
  await supply.registerProduct(GTIN, ethers.id("matrix product"));
  await supply.commissionLot(GTIN, LOT, EXPIRY, UNITS, TREE.root, ethers.id("matrix: commission"));
}

/** commissioned + 4 units received by the wholesaler and 2 of those received by the pharmacy. */
async function stocked(e: MatrixEnv): Promise<void> {
  await commissioned(e);
  const supply = supplyOf(e);
  await supply.connect(e.manufacturer).ship(LOT_ID, e.wholesaler.address, 4, SHIP_HASH);
  await supply.connect(e.wholesaler).receiveShipment(LOT_ID, e.manufacturer.address, 4, SHIP_HASH, RECEIVE_HASH);
  const toPharmacy = ethers.id("matrix: ship wholesaler -> pharmacy");
  await supply.connect(e.wholesaler).ship(LOT_ID, e.pharmacy.address, 2, toPharmacy);
  await supply.connect(e.pharmacy).receiveShipment(LOT_ID, e.wholesaler.address, 2, toPharmacy, RECEIVE_HASH);
}

/** commissioned + 4 units shipped by the manufacturer to the wholesaler (in transit). */
async function shipped(e: MatrixEnv): Promise<void> {
  await commissioned(e);
  await supplyOf(e).connect(e.manufacturer).ship(LOT_ID, e.wholesaler.address, 4, SHIP_HASH);
}

/** shipped, then the recipient (wholesaler) suspended: it can neither receive nor reject. */
async function strandedShipment(e: MatrixEnv): Promise<void> {
  await shipped(e);
  await e.registry.connect(e.registrar).suspendMember(e.wholesaler.address, ethers.ZeroHash);
}

/** A second active MANUFACTURER (others[0]), which did not register the product nor commission the lot. */
async function withSecondManufacturer(e: MatrixEnv, then: (e: MatrixEnv) => Promise<void>): Promise<void> {
  await then(e);
  await admit(e.registry, e.registrar, e.others[0], SECOND_MANUFACTURER_GLN, ["MANUFACTURER"]);
}

/** The two refusals of a lot-authority function: a non-manufacturer member, another manufacturer. */
function lotAuthority(
  name: string,
  args: (e: MatrixEnv) => unknown[],
  setup: (e: MatrixEnv) => Promise<void>,
): FunctionPermission {
  return {
    permitted: "the lot's manufacturer (while an active MANUFACTURER) or any active REGULATOR",
    refusals: [
      {
        name: `a wholesaler holding units calls ${name}`,
        caller: (e) => e.wholesaler,
        permitted: (e) => e.manufacturer,
        args,
        error: (e) => ["MemberGatedUnauthorized", e.wholesaler.address, Role.MANUFACTURER],
        setup,
      },
      {
        name: `an outsider calls ${name}`,
        caller: (e) => e.outsider,
        permitted: (e) => e.regulator,
        args,
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.MANUFACTURER],
        setup,
      },
      {
        name: `a manufacturer of another company calls ${name} on the lot`,
        caller: (e) => e.others[0],
        permitted: (e) => e.regulator,
        args,
        error: (e) => ["LotNotManufacturer", LOT_ID, e.others[0].address, e.manufacturer.address],
        setup: (e) => withSecondManufacturer(e, setup),
      },
    ],
  };
}

/** The refusals of receiveShipment / rejectShipment of the manufacturer's shipment to the wholesaler. */
function closeShipmentRefusals(name: string): RefusalCase[] {
  const args = (e: MatrixEnv) => [LOT_ID, e.manufacturer.address, 4, SHIP_HASH, RECEIVE_HASH];
  return [
    {
      name: `an outsider calls ${name} of a shipment in transit`,
      caller: (e) => e.outsider,
      permitted: (e) => e.wholesaler,
      args,
      error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.WHOLESALER],
      setup: shipped,
    },
    {
      name: `a member without a trading role (regulator) calls ${name}`,
      caller: (e) => e.regulator,
      permitted: (e) => e.wholesaler,
      args,
      error: (e) => ["MemberGatedUnauthorized", e.regulator.address, Role.WHOLESALER],
      setup: shipped,
    },
    {
      name: `a trading partner the shipment is not addressed to (pharmacy) calls ${name}`,
      caller: (e) => e.pharmacy,
      permitted: (e) => e.wholesaler,
      args,
      // The id is recomputed with the caller as recipient: no such shipment is in transit.
      error: (e) => [
        "ShipmentNotInTransit",
        shipmentIdOf(LOT_ID, e.manufacturer.address, e.pharmacy.address, 4, SHIP_HASH),
      ],
      setup: shipped,
    },
  ];
}

const unitArgs = (reason?: DecommissionReason) => () => {
  const args: unknown[] = [TREE.unit(UNIT), TREE.proof(UNIT)];
  if (reason !== undefined) args.push(reason);
  return args;
};

export const supplyPermissions: Record<string, FunctionPermission> = {
  "registerProduct(uint64,bytes32)": {
    permitted: "an active MANUFACTURER (becomes the product's manufacturer)",
    refusals: [
      {
        name: "a wholesaler registers a product",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.manufacturer,
        args: () => [GTIN, ethers.id("matrix product")],
        error: (e) => ["MemberGatedUnauthorized", e.wholesaler.address, Role.MANUFACTURER],
      },
      {
        name: "an outsider registers a product",
        caller: (e) => e.outsider,
        permitted: (e) => e.manufacturer,
        args: () => [GTIN, ethers.id("matrix product")],
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.MANUFACTURER],
      },
      {
        name: "a suspended manufacturer registers a product",
        caller: (e) => e.manufacturer,
        permitted: (e) => e.others[0],
        args: () => [GTIN, ethers.id("matrix product")],
        error: (e) => ["MemberGatedUnauthorized", e.manufacturer.address, Role.MANUFACTURER],
        setup: async (e) => {
          await admit(e.registry, e.registrar, e.others[0], SECOND_MANUFACTURER_GLN, ["MANUFACTURER"]);
          await e.registry.connect(e.registrar).suspendMember(e.manufacturer.address, ethers.ZeroHash);
        },
      },
    ],
  },
  "commissionLot(uint64,string,uint40,uint32,bytes32,bytes32)": {
    permitted: "the active MANUFACTURER that registered the GTIN",
    refusals: [
      {
        name: "a wholesaler commissions a lot",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.manufacturer,
        args: () => [GTIN, LOT, EXPIRY, UNITS, TREE.root, ethers.id("matrix: commission")],
        error: (e) => ["MemberGatedUnauthorized", e.wholesaler.address, Role.MANUFACTURER],
        setup: async (e) => {
          await supplyOf(e).connect(e.manufacturer).registerProduct(GTIN, ethers.id("matrix product"));
        },
      },
      {
        name: "a manufacturer commissions a lot of another manufacturer's GTIN",
        caller: (e) => e.others[0],
        permitted: (e) => e.manufacturer,
        args: () => [GTIN, LOT, EXPIRY, UNITS, TREE.root, ethers.id("matrix: commission")],
        error: (e) => ["ProductNotManufacturer", GTIN, e.others[0].address, e.manufacturer.address],
        setup: (e) =>
          withSecondManufacturer(e, async (env) => {
            await supplyOf(env).connect(env.manufacturer).registerProduct(GTIN, ethers.id("matrix product"));
          }),
      },
    ],
  },
  "ship(bytes32,address,uint32,bytes32)": {
    permitted: "an active trading partner (WHOLESALER, MANUFACTURER or DISPENSER) holding enough units",
    refusals: [
      {
        name: "an outsider ships units of a lot",
        caller: (e) => e.outsider,
        permitted: (e) => e.manufacturer,
        args: (e) => [LOT_ID, e.wholesaler.address, 4, SHIP_HASH],
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.WHOLESALER],
        setup: commissioned,
      },
      {
        name: "a member without a trading role (regulator) ships units",
        caller: (e) => e.regulator,
        permitted: (e) => e.manufacturer,
        args: (e) => [LOT_ID, e.wholesaler.address, 4, SHIP_HASH],
        error: (e) => ["MemberGatedUnauthorized", e.regulator.address, Role.WHOLESALER],
        setup: commissioned,
      },
      {
        name: "a trading partner ships units of a lot it does not hold",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.manufacturer,
        args: (e) => [LOT_ID, e.pharmacy.address, 1, SHIP_HASH],
        error: (e) => ["CustodyInsufficient", LOT_ID, e.wholesaler.address, 0, 1],
        setup: commissioned,
      },
    ],
  },
  "receiveShipment(bytes32,address,uint32,bytes32,bytes32)": {
    permitted: "the active trading partner the shipment in transit is addressed to",
    refusals: closeShipmentRefusals("receiveShipment"),
  },
  "rejectShipment(bytes32,address,uint32,bytes32,bytes32)": {
    permitted: "the active trading partner the shipment in transit is addressed to",
    refusals: closeShipmentRefusals("rejectShipment"),
  },
  "cancelShipment(bytes32,address,uint32,bytes32,bytes32)": {
    permitted: "the active trading partner that sent the shipment, once its recipient cannot receive it",
    refusals: [
      {
        name: "an outsider cancels a stranded shipment",
        caller: (e) => e.outsider,
        permitted: (e) => e.manufacturer,
        args: (e) => [LOT_ID, e.wholesaler.address, 4, SHIP_HASH, RECEIVE_HASH],
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.WHOLESALER],
        setup: strandedShipment,
      },
      {
        name: "a trading partner that did not send the shipment (pharmacy) cancels it",
        caller: (e) => e.pharmacy,
        permitted: (e) => e.manufacturer,
        args: (e) => [LOT_ID, e.wholesaler.address, 4, SHIP_HASH, RECEIVE_HASH],
        // The id is recomputed with the caller as sender: no such shipment is in transit.
        error: (e) => [
          "ShipmentNotInTransit",
          shipmentIdOf(LOT_ID, e.pharmacy.address, e.wholesaler.address, 4, SHIP_HASH),
        ],
        setup: strandedShipment,
      },
      {
        name: "a member without a trading role (regulator) cancels a shipment",
        caller: (e) => e.regulator,
        permitted: (e) => e.manufacturer,
        args: (e) => [LOT_ID, e.wholesaler.address, 4, SHIP_HASH, RECEIVE_HASH],
        error: (e) => ["MemberGatedUnauthorized", e.regulator.address, Role.WHOLESALER],
        setup: strandedShipment,
      },
    ],
  },
  "dispense((uint64,uint40,uint32,string,string),bytes32[])": {
    permitted: "an active DISPENSER holding units of the lot (otherwise it gets an alert, not a dispense)",
    refusals: [
      {
        name: "a wholesaler holding the unit dispenses it",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.pharmacy,
        args: unitArgs(),
        error: (e) => ["MemberGatedUnauthorized", e.wholesaler.address, Role.DISPENSER],
        setup: stocked,
      },
      {
        name: "an outsider dispenses a pack",
        caller: (e) => e.outsider,
        permitted: (e) => e.pharmacy,
        args: unitArgs(),
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.DISPENSER],
        setup: stocked,
      },
    ],
  },
  "decommission((uint64,uint40,uint32,string,string),bytes32[],uint8)": {
    permitted: "an active trading partner holding units of the lot",
    refusals: [
      {
        name: "a member without a trading role (regulator) decommissions a unit",
        caller: (e) => e.regulator,
        permitted: (e) => e.wholesaler,
        args: unitArgs(DecommissionReason.Sample),
        error: (e) => ["MemberGatedUnauthorized", e.regulator.address, Role.WHOLESALER],
        setup: stocked,
      },
      {
        name: "a trading partner holding no unit of the lot decommissions one",
        caller: (e) => e.wholesaler,
        permitted: (e) => e.manufacturer,
        args: unitArgs(DecommissionReason.Destroyed),
        error: (e) => ["CustodyInsufficient", LOT_ID, e.wholesaler.address, 0, 1],
        setup: commissioned,
      },
    ],
  },
  "undoDecommission(bytes32,uint32)": {
    permitted: "the trading partner whose latest decommission in the lot it is (within 10 days)",
    refusals: [
      {
        name: "a trading partner undoes another holder's decommission",
        caller: (e) => e.pharmacy,
        permitted: (e) => e.wholesaler,
        args: () => [LOT_ID, UNIT],
        error: (e) => ["UnitNothingToUndo", LOT_ID, e.pharmacy.address, UNIT],
        setup: async (e) => {
          await stocked(e);
          await supplyOf(e)
            .connect(e.wholesaler)
            .decommission(TREE.unit(UNIT), TREE.proof(UNIT), DecommissionReason.Sample);
        },
      },
      {
        name: "an outsider undoes a decommission",
        caller: (e) => e.outsider,
        permitted: (e) => e.wholesaler,
        args: () => [LOT_ID, UNIT],
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.WHOLESALER],
        setup: async (e) => {
          await stocked(e);
          await supplyOf(e)
            .connect(e.wholesaler)
            .decommission(TREE.unit(UNIT), TREE.proof(UNIT), DecommissionReason.Sample);
        },
      },
    ],
  },
  "quarantineLot(bytes32,bytes32)": lotAuthority("quarantineLot", () => [LOT_ID, REASON], stocked),
  "releaseLot(bytes32,bytes32)": (() => {
    const base = lotAuthority(
      "releaseLot",
      () => [LOT_ID, REASON],
      async (e) => {
        await stocked(e);
        await supplyOf(e).connect(e.manufacturer).quarantineLot(LOT_ID, REASON);
      },
    );
    return {
      permitted: `${base.permitted}; a Regulator, CounterfeitAlert or DuplicateAlert hold only a REGULATOR`,
      refusals: [
        ...base.refusals,
        {
          name: "the lot's manufacturer lifts a regulator's hold",
          caller: (e) => e.manufacturer,
          permitted: (e) => e.regulator,
          args: () => [LOT_ID, REASON],
          error: (e) => ["LotReleaseUnauthorized", LOT_ID, e.manufacturer.address, HoldOrigin.Regulator],
          setup: async (e) => {
            await stocked(e);
            await supplyOf(e).connect(e.regulator).quarantineLot(LOT_ID, REASON);
          },
        },
        {
          name: "the lot's manufacturer lifts a counterfeit alert's hold",
          caller: (e) => e.manufacturer,
          permitted: (e) => e.regulator,
          args: () => [LOT_ID, REASON],
          error: (e) => ["LotReleaseUnauthorized", LOT_ID, e.manufacturer.address, HoldOrigin.CounterfeitAlert],
          setup: async (e) => {
            await stocked(e);
            await supplyOf(e)
              .connect(e.pharmacy)
              .dispense({ ...TREE.unit(UNIT), serial: "MATRIX-FAKE" }, []);
          },
        },
      ],
    };
  })(),
  "recallLot(bytes32,uint8,bytes32)": lotAuthority("recallLot", () => [LOT_ID, RecallClass.ClassII, REASON], stocked),
  "destroyLot(bytes32,bytes32)": lotAuthority("destroyLot", () => [LOT_ID, REASON], stocked),
  "reportExcursion(bytes32,bytes32)": {
    permitted: "an active SENSOR_ORACLE, or an active member holding units of the lot",
    refusals: [
      {
        name: "a trading partner holding no unit of the lot reports an excursion",
        caller: (e) => e.pharmacy,
        permitted: (e) => e.sensor,
        args: () => [LOT_ID, ethers.id("matrix: readings")],
        error: (e) => ["MemberGatedUnauthorized", e.pharmacy.address, Role.SENSOR_ORACLE],
        setup: commissioned,
      },
      {
        name: "an outsider reports an excursion",
        caller: (e) => e.outsider,
        permitted: (e) => e.wholesaler,
        args: () => [LOT_ID, ethers.id("matrix: readings")],
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.SENSOR_ORACLE],
        setup: stocked,
      },
    ],
  },
  ...upgradePermissions(
    "supply",
    "initialize()",
    async (e) => [await e.registry.getAddress()],
    () => [],
  ),
};
