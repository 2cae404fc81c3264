/**
 * Supply load workload (bench/load.ts): every signer dispenses its own distinct packs of one lot.
 *
 * Prepared state (not timed): the manufacturer (actor account 3) is an active MANUFACTURER, has
 * registered a product and commissioned one lot of signers × LOAD_TX_PER_SIGNER + SPARE units; each
 * signer is an active DISPENSER (admitted here unless another workload already admitted it) and has
 * received a shipment of LOAD_TX_PER_SIGNER units. Timed: signer k sends LOAD_TX_PER_SIGNER
 * `dispense` transactions, of units k × LOAD_TX_PER_SIGNER + i — the hot path of the domain, every
 * one flipping a bit of the same lot's bitmap from 20 concurrent senders.
 *
 * Verified against the model: each unit is decommissioned exactly once, by its signer, as
 * Dispensed (events and bitmap), no suspect-pack alert, every signer's custody back to zero, the
 * manufacturer keeps SPARE, the lot still Active; duplicates are rejected: a second dispense of a
 * neighbour's dispensed pack answers AlreadyDecommissioned, a second scan of a signer's own latest
 * pack answers AlreadyDecommissionedByYou (a counter double scan: no alert), and a replayed receipt
 * of a shipment reverts ShipmentNotInTransit.
 */
import { id, type HDNodeWallet } from "ethers";
import type { E2EContext } from "../../test/e2e/consortium";
import type { Workload } from "../load";
import { MemberStatus, Role, describeError, parseGLN, withCheckDigit } from "../../src";
import type { RoleName } from "../../src";
import { expiryTimestamp } from "../../src/gs1/elementString";
import {
  DecommissionReason,
  LotStatus,
  SerialTree,
  UnitCheck,
  lotIdOf,
  sequentialSerials,
  shipmentIdOf,
} from "../../src/supply";
import { SupplyChain__factory, type SupplyChain } from "../../typechain-types";

/** Same variable and default as bench/load.ts: how many transactions each signer sends. */
const TX_PER_SIGNER = Number(process.env.LOAD_TX_PER_SIGNER ?? 50);
/** Units the manufacturer keeps (so that its custody is a non-trivial check too). */
const SPARE = 24;
const GTIN = BigInt(withCheckDigit("0950600077777"));
const LOT = "LOAD-1";
/** Printed AI (17) expiry "301231": fixed, so the tree and calldata are the same every run. */
const EXPIRY = expiryTimestamp("301231", new Date("2026-01-01T00:00:00Z"));
const DISPENSE_GAS = 200_000n;

/** A distinct valid GLN per load dispenser (company prefix 4290, not used elsewhere). */
function supplyLoadGLN(n: number): bigint {
  return parseGLN(withCheckDigit(String(429000000000 + n)));
}

function shipHashOf(k: number): string {
  return id(`load: ship to dispenser ${k}`);
}

/** Makes `account` an active member holding `role`, whatever an earlier workload did with it. */
async function ensureRole(ctx: E2EContext, account: string, gln: bigint, role: RoleName): Promise<void> {
  const registrar = ctx.registry.connect(ctx.actors.registrar);
  const member = await ctx.registry.memberOf(account);
  if (member.status === BigInt(MemberStatus.None)) {
    await (await registrar.admitMember(account, gln, id(`load-supply-${account}`))).wait();
  }
  if (!(await ctx.registry.hasRole(Role[role], account))) {
    await (await registrar.grantRole(Role[role], account)).wait();
  }
  if (!(await ctx.registry.hasActiveRole(Role[role], account))) {
    throw new Error(`supply workload: ${account} is not an active ${role} (suspended by an earlier workload?)`);
  }
}

export function supplyWorkload(): Workload {
  const iface = SupplyChain__factory.createInterface();
  const lotId = lotIdOf(GTIN, LOT);
  let supply: SupplyChain | undefined;
  let tree: SerialTree | undefined;
  let units = 0;
  const unitOfSigner = (k: number, i: number) => k * TX_PER_SIGNER + i;

  return {
    name: "supply dispense",
    async prepare(ctx, signers) {
      const address = ctx.deployment.addresses.supply;
      if (address === undefined) throw new Error("the deployment has no supply contract");
      supply = SupplyChain__factory.connect(address, ctx.provider);
      const { manufacturer } = ctx.actors;
      await ensureRole(ctx, manufacturer.address, supplyLoadGLN(0), "MANUFACTURER");
      for (const [k, s] of signers.entries()) await ensureRole(ctx, s.address, supplyLoadGLN(1 + k), "DISPENSER");

      units = signers.length * TX_PER_SIGNER + SPARE;
      tree = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry: EXPIRY }, sequentialSerials(units, "LD"));
      const m = supply.connect(manufacturer);
      await (await m.registerProduct(GTIN, id("load product"))).wait();
      await (await m.commissionLot(GTIN, LOT, EXPIRY, units, tree.root, id("load: commission"))).wait();
      // Custody for the timed dispenses: one shipment per signer, received by the signer.
      for (const [k, s] of signers.entries()) {
        await (await m.ship(lotId, s.address, TX_PER_SIGNER, shipHashOf(k))).wait();
        const receive = supply
          .connect(s)
          .receiveShipment(lotId, manufacturer.address, TX_PER_SIGNER, shipHashOf(k), id(`load: recv ${k}`));
        await (await receive).wait();
      }
    },
    build(k, i) {
      if (!supply || !tree) throw new Error("supply workload: prepare first");
      const index = unitOfSigner(k, i);
      return {
        to: supply.target as string,
        data: iface.encodeFunctionData("dispense", [tree.unit(index), tree.proof(index)]),
        gasLimit: DISPENSE_GAS,
      };
    },
    async verify(ctx: E2EContext, signers: HDNodeWallet[]) {
      if (!supply || !tree) return ["prepare did not run"];
      const problems: string[] = [];
      const expected = signers.length * TX_PER_SIGNER;

      // Events: each unit decommissioned exactly once, by its own signer, as Dispensed; no alert.
      const events = await supply.queryFilter(supply.filters.UnitDecommissioned(lotId), 0, "latest");
      const byIndex = new Map<number, { actor: string; reason: number }[]>();
      for (const e of events) {
        const index = Number(e.args.index);
        byIndex.set(index, [...(byIndex.get(index) ?? []), { actor: e.args.actor, reason: Number(e.args.reason) }]);
      }
      if (events.length !== expected) problems.push(`${events.length} UnitDecommissioned events for ${expected}`);
      let lost = 0;
      let duplicated = 0;
      let wrong = 0;
      for (let k = 0; k < signers.length; k++) {
        for (let i = 0; i < TX_PER_SIGNER; i++) {
          const seen = byIndex.get(unitOfSigner(k, i)) ?? [];
          if (seen.length === 0) lost++;
          if (seen.length > 1) duplicated++;
          if (seen.some((d) => d.actor !== signers[k].address || d.reason !== DecommissionReason.Dispensed)) wrong++;
        }
      }
      if (lost > 0) problems.push(`${lost} dispense(s) lost (no event)`);
      if (duplicated > 0) problems.push(`${duplicated} unit(s) decommissioned more than once`);
      if (wrong > 0) problems.push(`${wrong} unit(s) decommissioned by the wrong actor or reason`);
      const alerts = await supply.queryFilter(supply.filters.SuspectPackAlert(lotId), 0, "latest");
      if (alerts.length > 0) problems.push(`${alerts.length} suspect-pack alert(s)`);

      // State: the bitmap agrees with the model for every unit (dispensed ones set, the spare ones clear).
      const bits = await Promise.all(
        Array.from({ length: units }, (_, index) => supply!.isDecommissioned(lotId, index)),
      );
      const bitmapWrong = bits.filter((set, index) => set !== index < expected).length;
      if (bitmapWrong > 0) problems.push(`${bitmapWrong} unit bit(s) disagree with the model`);
      const custody = await Promise.all(signers.map((s) => supply!.custodyOf(lotId, s.address)));
      const notEmpty = custody.filter((c) => c.quantity !== 0n).length;
      if (notEmpty > 0) problems.push(`${notEmpty} signer(s) still hold units after dispensing all of theirs`);
      const kept = (await supply.custodyOf(lotId, ctx.actors.manufacturer.address)).quantity;
      if (kept !== BigInt(SPARE)) problems.push(`the manufacturer holds ${kept}, expected ${SPARE}`);
      const status = (await supply.lotOf(lotId)).status;
      if (status !== BigInt(LotStatus.Active)) problems.push(`the lot is ${LotStatus[Number(status)]}, not Active`);

      // Duplicates: each signer re-dispenses its neighbour's first pack (answer, no state change), its own
      // latest pack (a double scan: answered as its own), and replays its own receipt (reverts).
      let rejected = 0;
      await Promise.all(
        signers.map(async (s, k) => {
          const other = unitOfSigner((k + 1) % signers.length, 0);
          const answer = await supply!.connect(s).dispense.staticCall(tree!.unit(other), tree!.proof(other));
          if (Number(answer) === UnitCheck.AlreadyDecommissioned) rejected++;
          const own = unitOfSigner(k, TX_PER_SIGNER - 1);
          const again = await supply!.connect(s).dispense.staticCall(tree!.unit(own), tree!.proof(own));
          if (Number(again) === UnitCheck.AlreadyDecommissionedByYou) rejected++;
          const replay = supply!
            .connect(s)
            .receiveShipment.staticCall(lotId, ctx.actors.manufacturer.address, TX_PER_SIGNER, shipHashOf(k), id("x"));
          const error = await replay.then(
            () => undefined,
            (e: unknown) => e,
          );
          const shipmentId = shipmentIdOf(
            lotId,
            ctx.actors.manufacturer.address,
            s.address,
            TX_PER_SIGNER,
            shipHashOf(k),
          );
          if (error !== undefined && describeError(error, [iface]) === `ShipmentNotInTransit(${shipmentId})`)
            rejected++;
        }),
      );
      if (rejected !== 3 * signers.length) problems.push(`duplicates rejected ${rejected}/${3 * signers.length}`);
      return problems;
    },
  };
}
