import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DemoContext } from "./context";
import { section, step, table, short } from "./narrate";
import { describeError } from "../../src/errors";
import { expiryTimestamp, formatBracketed, formatDigitalLink, formatRaw, type PackIdentity } from "../../src/gs1";
import {
  DecommissionReason,
  HoldOrigin,
  HttpProofSource,
  LotStatus,
  RecallClass,
  SerialTree,
  SupplyClient,
  gtinToString,
  lotIdOf,
  sequentialSerials,
  shipmentIdOf,
} from "../../src/supply";
import {
  commissioningEvent,
  epcisDocument,
  eventHashBytes32,
  fetchAnchoredSteps,
  matchEpcisDocument,
  provenanceAsEpcis,
  recallEvent,
  receivingEvent,
  releaseEvent,
  shippingEvent,
  type EpcisEvent,
} from "../../src/epcis";
import { startResponder } from "../../services/responder/src/server";
import { LinkType, linkTypeKey, resolveVerificationEndpoint } from "../../src/supply/endpoints";
import { TreeStore, openDatabase } from "../../services/responder/src/store";
import { saveSerialTree } from "../../src/node/serialTreeFile";

/** A readable form of a GS1 raw scan (GS shown as <GS>). */
function visible(scan: string): string {
  return scan.replace(/\u001d/g, "<GS>");
}

/**
 * Part 2 of the story: a lot of 10,000 serialised packs committed, shipped manufacturer → wholesaler
 * → pharmacy, one pack scanned and dispensed, a double scan at the counter answered without alert, a
 * counterfeit and a duplicate caught (holds only a regulator lifts), a recall. Only the manufacturer
 * holds the serial tree: its verification responder (services/responder, in-process here) hands the
 * pharmacy and the wholesaler one pack's proof at a time, and the chain gives the verdict.
 */
export async function runSupplyDemo(ctx: DemoContext): Promise<void> {
  const { hre, actors, deployed, registry } = ctx;
  const { manufacturer, wholesaler, pharmacy, regulator } = actors;
  const address = deployed.supply;
  const asManufacturer = new SupplyClient(address, manufacturer);
  const asWholesaler = new SupplyClient(address, wholesaler);
  const asPharmacy = new SupplyClient(address, pharmacy);
  const supply = asManufacturer.contract;
  const names = new Map<string, string>([
    [manufacturer.address, "manufacturer"],
    [wholesaler.address, "wholesaler"],
    [pharmacy.address, "pharmacy"],
    [regulator.address, "regulator"],
  ]);
  const who = (a: string) => names.get(a) ?? short(a);
  // Every anchored step carries the GS1 Event Hash ID of a real EPCIS 2.0 event: the members' GLNs from
  // the registry, the chain's time. The events are what each partner keeps in its EPCIS repository.
  const glns = new Map<string, bigint>();
  const glnOf = async (a: string) => {
    if (!glns.has(a)) glns.set(a, (await registry.memberOf(a)).gln);
    return glns.get(a)!;
  };
  const now = async () => (await hre.ethers.provider.getBlock("latest"))!.timestamp;
  const events: EpcisEvent[] = [];
  const anchor = (event: EpcisEvent) => {
    events.push(event);
    return eventHashBytes32(event);
  };

  section("Supply: a product and a lot of 10,000 serialised packs");
  const gtin = "09506000134352";
  const lotNumber = "ACM-2611";
  const printedExpiry = "281130"; // AI (17): 30 Nov 2028
  const expiry = expiryTimestamp(
    printedExpiry,
    new Date(Number((await hre.ethers.provider.getBlock("latest"))!.timestamp) * 1000),
  );
  await (await supply.registerProduct(BigInt(gtin), hre.ethers.id("SmPC + leaflet of Acmexil 20 mg"))).wait();
  step(`manufacturer registered GTIN ${gtin} (check digit verified on chain)`);
  const started = Date.now();
  const tree = SerialTree.build({ gtin: BigInt(gtin), lotNumber, expiry }, sequentialSerials(10_000, "ACM"));
  step(
    `serial tree of 10,000 packs built in ${((Date.now() - started) / 1000).toFixed(1)} s; root ${short(tree.root)}`,
  );
  const lotRef = { gtin, lot: lotNumber };
  const commissioning = anchor(
    commissioningEvent({
      ...lotRef,
      eventTime: await now(),
      quantity: 10_000,
      manufacturerGln: await glnOf(manufacturer.address),
    }),
  );
  const commission = await (
    await supply.commissionLot(BigInt(gtin), lotNumber, expiry, 10_000, tree.root, commissioning)
  ).wait();
  const lotId = lotIdOf(gtin, lotNumber);
  step(`lot ${lotNumber} commissioned as ${short(lotId)} for ${commission!.gasUsed} gas (nothing stored per pack)`);
  // The manufacturer's verification responder: the saved tree imported into its database (PGlite).
  const responderDir = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-demo-responder-"));
  const treeFile = path.join(responderDir, `${lotNumber}.serials.json`);
  saveSerialTree(tree, treeFile); // what supply:commission writes
  const store = new TreeStore(
    await openDatabase({ dataDir: path.join(responderDir, "pglite") }),
    path.join(responderDir, "trees"),
  );
  await store.init();
  await store.importFile(treeFile);
  const responder = await startResponder({ store, provider: hre.ethers.provider, supplyChain: address, port: 0 });
  step(
    `manufacturer's verification responder serves the lot at ${responder.url} (one pack's proof per signed request of an active trading member; never the serial list)`,
  );
  await (
    await registry.connect(manufacturer).setEndpoint(linkTypeKey(LinkType.verificationService), responder.url)
  ).wait();
  step(
    `the manufacturer published its responder in the registry's endpoint directory (${LinkType.verificationService})`,
  );
  try {
    section("Supply: two-phase custody manufacturer → wholesaler → pharmacy");
    const legs: [SupplyClient, SupplyClient, string, number][] = [
      [asManufacturer, asWholesaler, wholesaler.address, 2_000],
      [asWholesaler, asPharmacy, pharmacy.address, 200],
    ];
    for (const [sender, receiver, to, quantity] of legs) {
      const from = await (sender.contract.runner as unknown as { getAddress(): Promise<string> }).getAddress();
      const leg = { ...lotRef, quantity, fromGln: await glnOf(from), toGln: await glnOf(to) };
      const shipHash = anchor(shippingEvent({ ...leg, eventTime: await now() }));
      await (await sender.contract.ship(lotId, to, quantity, shipHash)).wait();
      const id = shipmentIdOf(lotId, from, to, quantity, shipHash);
      step(`${who(from)} shipped ${quantity} packs to ${who(to)}: shipment ${short(id)} in transit`);
      await receiver.closeShipment(id, anchor(receivingEvent({ ...leg, eventTime: await now() })));
      step(`${who(to)} received shipment ${short(id)}`);
    }
    const custody = [];
    for (const a of [manufacturer, wholesaler, pharmacy]) {
      custody.push({ holder: who(a.address), packs: Number((await supply.custodyOf(lotId, a.address)).quantity) });
    }
    table(custody);

    section("Supply: the pharmacy scans a pack and dispenses it");
    const pack: PackIdentity = { gtin, serial: tree.serials[4242], lot: lotNumber, expiry: printedExpiry };
    const scan = formatRaw(pack);
    step(`DataMatrix scan: ${visible(scan)}   (label: ${formatBracketed(pack)})`);
    // The pharmacy knows no URL: the chain names the product's manufacturer and the responder it published.
    const found = await resolveVerificationEndpoint(pharmacy, address, scan);
    step(`the pharmacy finds the lot's responder on chain: GTIN → manufacturer → ${found}`);
    const pharmacyAsks = await HttpProofSource.connect(found, pharmacy, address);
    const check = await asPharmacy.verifyPack(scan, await pharmacyAsks.sourceFor(scan), pharmacy.address);
    step(
      `the pharmacy asks the manufacturer's responder for the pack's proof (a request signed with its own key) and the chain verifies it, no transaction: ${check.answerName}, unit #${check.unit.index}, proof of ${check.proof.length} hashes`,
    );
    const dispensed = await asPharmacy.dispense(scan, await pharmacyAsks.sourceFor(scan));
    step(`dispensed: ${dispensed.answerName}, ${dispensed.receipt?.gasUsed} gas`);
    const rescan = await asPharmacy.dispense(scan, await pharmacyAsks.sourceFor(scan));
    step(
      `the pharmacist scans the same pack again by mistake: ${rescan.answerName} — no transaction, no alert (undo stays possible for 10 days)`,
    );

    section("Supply: a counterfeit pack and a duplicate of another holder's pack");
    const fake: PackIdentity = { ...pack, serial: "ACM9999999999" };
    const fakeLink = formatDigitalLink(fake);
    step(`counterfeit scanned as a Digital Link: ${fakeLink}`);
    const asked = await pharmacyAsks.verify(fakeLink);
    const counterfeit = await asPharmacy.dispense(fakeLink, await pharmacyAsks.sourceFor(fakeLink));
    const held = await supply.lotOf(lotId);
    step(
      `the responder holds no such serial (found: ${asked.found}); the chain answers ${counterfeit.answerName}: alert recorded, pack not dispensed, lot on hold (origin ${HoldOrigin[Number(held.holdOrigin)]})`,
    );
    const refusedRelease = await supply.releaseLot
      .staticCall(lotId, hre.ethers.id("manufacturer: nothing to see"))
      .then(() => "accepted (unexpected)")
      .catch((e: unknown) => describeError(e));
    step(`the manufacturer tries to lift the alert's hold: ${refusedRelease}`);
    const release = anchor(
      releaseEvent({ ...lotRef, eventTime: await now(), actorGln: await glnOf(regulator.address) }),
    );
    await (await supply.connect(regulator).releaseLot(lotId, release)).wait();
    step("the regulator investigated and released the lot");
    const sample = { gtin, serial: tree.serials[4243], lot: lotNumber, expiry: printedExpiry };
    const sampled = (await (await HttpProofSource.connect(responder.url, wholesaler, address)).proofForPack(sample))!;
    await (await asWholesaler.contract.decommission(sampled.unit, sampled.proof, DecommissionReason.Sample)).wait();
    step(`the wholesaler took pack ${sample.serial} out as a sample (its proof, too, from the responder)`);
    const duplicate = await asPharmacy.dispense(formatRaw(sample), await pharmacyAsks.sourceFor(formatRaw(sample)));
    step(`a pack with the same identity reaches the pharmacy: ${duplicate.answerName} → alert, lot on hold again`);

    section("Supply: recall (one write for 10,000 packs)");
    const recalled = anchor(
      recallEvent({ ...lotRef, eventTime: await now(), actorGln: await glnOf(manufacturer.address) }),
    );
    const recall = await (await supply.recallLot(lotId, RecallClass.ClassII, recalled)).wait();
    step(`manufacturer recalled lot ${lotNumber} class II for ${recall!.gasUsed} gas`);
    const another = formatBracketed({ ...pack, serial: tree.serials[7] });
    const afterRecall = await asPharmacy.verifyPack(another, await pharmacyAsks.sourceFor(another), pharmacy.address);
    step(`another pack of the lot now verifies as: ${afterRecall.answerName}`);
    const refused = await supply
      .connect(wholesaler)
      .ship.staticCall(lotId, pharmacy.address, 1, hre.ethers.ZeroHash)
      .then(() => "accepted (unexpected)")
      .catch((e: unknown) => describeError(e));
    step(`the wholesaler tries to ship more: ${refused}`);
    const lot = await supply.lotOf(lotId);
    step(`lot status ${LotStatus[Number(lot.status)]}, GTIN ${gtinToString(BigInt(gtin))}, ${lot.unitCount} units`);
  } finally {
    await responder.close();
    await store.close();
    fs.rmSync(responderDir, { recursive: true, force: true });
  }

  section("Supply: provenance of the lot, from events indexed by lot id");
  const history = await asPharmacy.provenance(lotId);
  table(
    history.map((h) => ({
      block: h.blockNumber,
      event: h.event,
      detail: Object.entries(h.details)
        .filter(
          ([k]) => !["eventHash", "reasonHash", "serialsRoot", "leaf", "shipmentId", "attestationHash"].includes(k),
        )
        .map(([k, v]) => `${k}=${/^0x[0-9a-fA-F]{40}$/.test(v) ? who(v) : v}`)
        .join(" "),
    })),
  );

  section("Supply: the lot's provenance as EPCIS 2.0, matched to the chain");
  const steps = await fetchAnchoredSteps(hre.ethers.provider, address, { lotId, timestamps: true });
  for (const s of steps)
    for (const k of ["manufacturer", "from", "to", "by", "reporter"]) if (s.args[k]) await glnOf(s.args[k]);
  const provenance = provenanceAsEpcis({
    ...lotRef,
    steps,
    own: events,
    glnOf: (a) => glns.get(hre.ethers.getAddress(a)),
    creationDate: await now(),
  });
  step(
    `exported ${provenance.document.epcisBody.eventList.length} EPCIS events: ${provenance.anchored} anchored by their hash, ${provenance.rebuilt} rebuilt from the chain (the alert holds)`,
  );
  const match = matchEpcisDocument(JSON.stringify(epcisDocument(events, await now())), steps, [lotId]);
  const alertHolds = match.missing.filter(
    (s) => s.event === "LotQuarantined" && Number(s.args.origin) >= HoldOrigin.CounterfeitAlert,
  );
  step(
    `a partner's repository recomputes GS1 Event Hash IDs: ${match.matched.length}/${events.length} events matched to their steps, ${match.unanchored.length} unanchored; ` +
      `${match.missing.length} steps without an event are the ${alertHolds.length} alert holds (they anchor the scanned pack's leaf)`,
  );
  if (match.matched.length !== events.length || match.unanchored.length || match.missing.length !== alertHolds.length)
    throw new Error("the lot's EPCIS events do not match the chain");
}
