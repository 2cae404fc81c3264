/**
 * A typed client of the SupplyChain contract for partners, tasks, the demo and tests: pack
 * verification from a scanned code, dispensing with alert handling, shipments and lot provenance
 * from indexed events.
 */
import type { ContractRunner, ContractTransactionReceipt, EventFragment, EventLog, Log } from "ethers";
import type { SupplyChain } from "../../typechain-types";
import { connectContract } from "../contracts";
import { GS1Error } from "../gs1/checkDigit";
import { parsePack, type PackIdentity } from "../gs1/elementString";
import { gtinToString, gtinToUint, lotIdOf, unitOf, type UnitStruct } from "./ids";
import { DecommissionReason, HoldOrigin, LotStatus, RecallClass, UnitCheck } from "./enums";
import { pagedQuery, providerOf, type HistoryRange } from "../history";
import type { SerialTree } from "./serials";
import { IndexerClient, type HistoryOptions } from "../indexer";
import { PROVENANCE_EVENTS, provenanceDetails, type ProvenanceEntry, type ShipmentRecord } from "./provenance";

export { PROVENANCE_EVENTS, provenanceDetails, type ProvenanceEntry, type ShipmentRecord } from "./provenance";

/** Where proofs come from: the lot's {@link SerialTree} (or any service that holds it). */
export interface ProofSource {
  proofFor(serial: string): { unit: UnitStruct; proof: string[] } | undefined;
}

/** The outcome of verifying a scanned pack. */
export interface PackVerification {
  answer: UnitCheck;
  /** The answer's name, e.g. "Genuine", "UnknownSerial". */
  answerName: string;
  pack: PackIdentity;
  lotId: string;
  unit: UnitStruct;
  proof: string[];
}

/** The name of a UnitCheck answer. */
export function unitCheckName(answer: UnitCheck | bigint | number): string {
  return UnitCheck[Number(answer)] ?? `UnitCheck(${answer})`;
}

export class SupplyClient {
  readonly contract: SupplyChain;

  /**
   * `history`: where event queries start (the deployment's block) and how many blocks one
   * `eth_getLogs` may span; queries page through the range.
   */
  constructor(
    address: string,
    runner: ContractRunner,
    readonly history: HistoryRange = {},
  ) {
    this.contract = connectContract("SupplyChain", address, runner);
  }

  /** Logs of `query` from the deployment block to the latest, page by page. */
  private logs<T>(query: (fromBlock: number, toBlock: number) => Promise<T[]>, fromBlock?: number): Promise<T[]> {
    const range = fromBlock === undefined ? this.history : { ...this.history, fromBlock };
    return pagedQuery(providerOf(this.contract.runner), query, range);
  }

  /** Registers a product (GTIN-14 as digits or a number) as the signer, the manufacturer. */
  async registerProduct(gtin: string | bigint, metadataHash: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.registerProduct(gtinToUint(gtin), metadataHash));
  }

  /** Commissions the lot `tree` commits (GTIN, lot, expiry, unit count and serials root from the tree). */
  async commissionLot(
    tree: SerialTree,
    eventHash: string,
  ): Promise<{ lotId: string; receipt: ContractTransactionReceipt }> {
    const { gtin, lotNumber, expiry } = tree.lot;
    const receipt = await mined(this.contract.commissionLot(gtin, lotNumber, expiry, tree.size, tree.root, eventHash));
    return { lotId: lotIdOf(gtin, lotNumber), receipt };
  }

  /** Ships `quantity` units of `lotId` to `to`; returns the shipment id from the contract's event. */
  async ship(
    lotId: string,
    to: string,
    quantity: number | bigint,
    eventHash: string,
  ): Promise<{ shipmentId: string; receipt: ContractTransactionReceipt }> {
    const receipt = await mined(this.contract.ship(lotId, to, quantity, eventHash));
    for (const log of receipt.logs) {
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name === "ShipmentSent") return { shipmentId: String(parsed.args.shipmentId), receipt };
    }
    throw new Error("ship: no ShipmentSent event in the receipt");
  }

  /** Receives a shipment to the signer, found by its id. */
  receive(shipmentId: string, eventHash: string): Promise<ContractTransactionReceipt> {
    return this.closeShipment(shipmentId, eventHash, false);
  }

  /** Rejects a shipment to the signer, found by its id (the units go back to the sender). */
  reject(shipmentId: string, eventHash: string): Promise<ContractTransactionReceipt> {
    return this.closeShipment(shipmentId, eventHash, true);
  }

  /** Quarantines a lot (`reasonHash`: a hash of the reason document, never the text). */
  quarantine(lotId: string, reasonHash: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.quarantineLot(lotId, reasonHash));
  }

  /** Releases a quarantined lot. */
  release(lotId: string, reasonHash: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.releaseLot(lotId, reasonHash));
  }

  /** Recalls a lot (class I, II or III). */
  recall(lotId: string, recallClass: RecallClass, reasonHash: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.recallLot(lotId, recallClass, reasonHash));
  }

  /** Parses a scanned code (bracketed, raw with GS/"]d2", or Digital Link) and builds the unit and its proof. */
  prepare(scanned: string, proofs: ProofSource): Omit<PackVerification, "answer" | "answerName"> {
    const pack = parsePack(scanned);
    const found = proofs.proofFor(pack.serial);
    // A serial outside the tree still goes to the chain (index 0, no proof): the contract then tells an
    // unknown product or lot apart from an unknown serial, and a dispense attempt records the alert.
    const unit = unitOf(pack, found?.unit.index ?? 0);
    if (found && (found.unit.lotNumber !== pack.lot || found.unit.gtin !== unit.gtin)) {
      throw new GS1Error(`the proof source holds serial "${pack.serial}" for another lot`);
    }
    return { pack, lotId: lotIdOf(pack.gtin, pack.lot), unit, proof: found?.proof ?? [] };
  }

  /**
   * Verifies a scanned pack (a free view); `holder` (optional) is checked for custody of the lot. An
   * already decommissioned pack whose standing decommission is `holder`'s own answers
   * {@link UnitCheck.AlreadyDecommissionedByYou}: the contract knows the holder's five latest
   * decommissions of the lot, the events tell the rest.
   */
  async verifyPack(scanned: string, proofs: ProofSource, holder?: string): Promise<PackVerification> {
    const prepared = this.prepare(scanned, proofs);
    let answer = Number(
      await this.contract.verifyUnit(
        prepared.unit,
        prepared.proof,
        holder ?? "0x0000000000000000000000000000000000000000",
      ),
    ) as UnitCheck;
    if (
      answer === UnitCheck.AlreadyDecommissioned &&
      holder &&
      (await this.decommissionedBy(prepared.lotId, prepared.unit.index))?.toLowerCase() === holder.toLowerCase()
    ) {
      answer = UnitCheck.AlreadyDecommissionedByYou;
    }
    return { ...prepared, answer, answerName: unitCheckName(answer) };
  }

  /**
   * Who decommissioned unit `index` of lot `lotId` and has not undone it, from the events (undefined if
   * the unit is active). A unit is decommissioned at most once at a time, so its latest
   * UnitDecommissioned event names the actor unless an UnitDecommissionUndone came after it.
   */
  async decommissionedBy(lotId: string, index: bigint | number): Promise<string | undefined> {
    const c = this.contract;
    const [done, undone] = await Promise.all([
      this.logs((f, t) => c.queryFilter(c.filters.UnitDecommissioned(lotId), f, t)),
      this.logs((f, t) => c.queryFilter(c.filters.UnitDecommissionUndone(lotId, index), f, t)),
    ]);
    const order = (l: { blockNumber: number; index: number }) => l.blockNumber * 1e6 + l.index;
    const last = done.filter((l) => l.args.index === BigInt(index)).sort((a, b) => order(b) - order(a))[0];
    if (!last) return undefined;
    if (undone.some((u) => order(u) > order(last))) return undefined;
    return last.args.actor;
  }

  /**
   * Dispenses a scanned pack. The contract never reverts on a suspect pack: it records an alert
   * (and may quarantine the lot); the answer says what happened. A pack the signer itself already
   * decommissioned (a double scan at the counter) answers {@link UnitCheck.AlreadyDecommissionedByYou}
   * and sends no transaction (`receipt` undefined): no alert, no hold, and the signer's undo stays possible.
   */
  async dispense(
    scanned: string,
    proofs: ProofSource,
  ): Promise<PackVerification & { receipt?: ContractTransactionReceipt }> {
    const prepared = this.prepare(scanned, proofs);
    let answer = Number(await this.contract.dispense.staticCall(prepared.unit, prepared.proof)) as UnitCheck;
    if (answer === UnitCheck.AlreadyDecommissioned) {
      const me = await this.signerAddress();
      const by = await this.decommissionedBy(prepared.lotId, prepared.unit.index);
      if (by?.toLowerCase() === me.toLowerCase()) answer = UnitCheck.AlreadyDecommissionedByYou;
    }
    if (answer === UnitCheck.AlreadyDecommissionedByYou) {
      return { ...prepared, answer, answerName: unitCheckName(answer) };
    }
    const tx = await this.contract.dispense(prepared.unit, prepared.proof);
    const receipt = await tx.wait();
    if (!receipt) throw new Error("dispense transaction was not mined");
    return { ...prepared, answer, answerName: unitCheckName(answer), receipt };
  }

  /**
   * Cancels a shipment the signer sent that its recipient cannot receive (suspended, or without a
   * trading role): the units return to the signer's custody. Found by its id among the signer's shipments.
   */
  async cancelShipment(shipmentId: string, eventHash: string): Promise<ContractTransactionReceipt> {
    const me = await this.signerAddress();
    const c = this.contract;
    const logs = await this.logs((f, t) => c.queryFilter(c.filters.ShipmentSent(undefined, me), f, t));
    const sent = logs.find((l) => l.args.shipmentId.toLowerCase() === shipmentId.toLowerCase());
    if (!sent) throw new Error(`no shipment ${shipmentId} from ${me}`);
    const { lotId, to, quantity, eventHash: shipEventHash } = sent.args;
    const tx = await this.contract.cancelShipment(lotId, to, quantity, shipEventHash, eventHash);
    const receipt = await tx.wait();
    if (!receipt) throw new Error("transaction was not mined");
    return receipt;
  }

  private async signerAddress(): Promise<string> {
    const runner = this.contract.runner as unknown as { getAddress?: () => Promise<string> };
    if (!runner?.getAddress) throw new Error("this client has no signer");
    return runner.getAddress();
  }

  /**
   * Shipments sent to `to` (optionally of one lot), with whether each is still in transit: from the
   * indexer when `options.indexer` is its URL, else from the node's logs in pages of blocks.
   */
  async shipmentsTo(
    to: string,
    lotId?: string,
    options: HistoryOptions = {},
  ): Promise<(ShipmentRecord & { inTransit: boolean })[]> {
    if (options.indexer) return new IndexerClient(options.indexer).shipmentsTo(to, lotId);
    const c = this.contract;
    const logs = await this.logs((f, t) => c.queryFilter(c.filters.ShipmentSent(lotId, undefined, to), f, t));
    const records = logs.map((log) => ({
      shipmentId: log.args.shipmentId,
      lotId: log.args.lotId,
      from: log.args.from,
      to: log.args.to,
      quantity: log.args.quantity,
      eventHash: log.args.eventHash,
      blockNumber: log.blockNumber,
    }));
    return Promise.all(records.map(async (r) => ({ ...r, inTransit: await this.contract.isInTransit(r.shipmentId) })));
  }

  /** The shipment with id `shipmentId` sent to `to`, from its ShipmentSent event. */
  async findShipment(shipmentId: string, to: string): Promise<ShipmentRecord | undefined> {
    const all = await this.shipmentsTo(to);
    return all.find((s) => s.shipmentId.toLowerCase() === shipmentId.toLowerCase());
  }

  /** Receives (or rejects) a shipment to the signer, found by its id. */
  async closeShipment(shipmentId: string, eventHash: string, reject = false): Promise<ContractTransactionReceipt> {
    const me = await this.signerAddress();
    const s = await this.findShipment(shipmentId, me);
    if (!s) throw new Error(`no shipment ${shipmentId} to ${me}`);
    const call = reject ? this.contract.rejectShipment : this.contract.receiveShipment;
    const tx = await call(s.lotId, s.from, s.quantity, s.eventHash, eventHash);
    const receipt = await tx.wait();
    if (!receipt) throw new Error("transaction was not mined");
    return receipt;
  }

  /**
   * A lot's full provenance — commissioning, shipments, receipts, decommissions, alerts, quarantine,
   * recall — from the events indexed by lot id (one indexed query per event type), in chain order.
   * From the indexer when `options.indexer` is its URL, else from the node's logs in pages.
   */
  async provenance(lotId: string, fromBlock?: number, options: HistoryOptions = {}): Promise<ProvenanceEntry[]> {
    if (options.indexer) return new IndexerClient(options.indexer).provenance(lotId, fromBlock ?? 0);
    const c = this.contract;
    const filters = {
      LotCommissioned: c.filters.LotCommissioned(lotId),
      ShipmentSent: c.filters.ShipmentSent(lotId),
      ShipmentReceived: c.filters.ShipmentReceived(lotId),
      ShipmentRejected: c.filters.ShipmentRejected(lotId),
      ShipmentCancelled: c.filters.ShipmentCancelled(lotId),
      UnitDecommissioned: c.filters.UnitDecommissioned(lotId),
      UnitDecommissionUndone: c.filters.UnitDecommissionUndone(lotId),
      SuspectPackAlert: c.filters.SuspectPackAlert(lotId),
      LotQuarantined: c.filters.LotQuarantined(lotId),
      LotReleased: c.filters.LotReleased(lotId),
      LotRecalled: c.filters.LotRecalled(lotId),
      LotDestroyed: c.filters.LotDestroyed(lotId),
      ColdChainExcursion: c.filters.ColdChainExcursion(lotId),
    } satisfies Record<(typeof PROVENANCE_EVENTS)[number], unknown>;
    const batches = await Promise.all(
      PROVENANCE_EVENTS.map((name) =>
        this.logs((f, t) => c.queryFilter(filters[name] as Parameters<typeof c.queryFilter>[0], f, t), fromBlock),
      ),
    );
    const entries = batches.flat().map((log: EventLog | Log) => {
      const parsed = c.interface.parseLog(log);
      if (!parsed) throw new Error(`unparseable log in ${log.transactionHash}`);
      const details = provenanceDetails(parsed.fragment, parsed.args);
      return {
        blockNumber: log.blockNumber,
        logIndex: log.index,
        transactionHash: log.transactionHash,
        event: parsed.name,
        details,
      };
    });
    return entries.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }
}

/** Waits for a transaction and returns its receipt (throws if it was not mined). */
async function mined(
  sent: Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>,
): Promise<ContractTransactionReceipt> {
  const receipt = await (await sent).wait();
  if (!receipt) throw new Error("transaction was not mined");
  return receipt;
}
