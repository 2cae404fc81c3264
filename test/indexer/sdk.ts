/**
 * The SDK's histories read from the indexer equal the same histories read from the node's logs
 * in pages (src/indexer.ts): provenance, accounting of disclosures, consent trail, shipment inbox.
 * Used by test/indexer/indexer.e2e.ts after the load workload, with a few disclosures added.
 */
import { expect } from "chai";
import type { HDNodeWallet } from "ethers";
import type { E2EContext } from "../e2e/consortium";
import { hardhatWallet } from "../e2e/consortium";
import { SupplyClient, accountingOfDisclosures, consentTrail } from "../../src";
import { ClinicalTrials__factory, RecordAccess__factory, SupplyChain__factory } from "../../typechain-types";
import { SIGNERS } from "./workload";

/** Three disclosures by each of the first `patients` custodians, of their patient's record. */
export async function logSomeDisclosures(ctx: E2EContext, patients = 4): Promise<void> {
  const records = RecordAccess__factory.connect(ctx.deployment.addresses.records!, ctx.provider);
  const registered = await records.queryFilter(records.filters.RecordRegistered());
  const signers = new Map<string, HDNodeWallet>();
  for (let k = 0; k < SIGNERS; k++) {
    const w = hardhatWallet(10 + k, ctx.provider);
    signers.set(w.address.toLowerCase(), w);
  }
  let done = 0;
  for (const log of registered) {
    const custodian = signers.get(log.args.custodian.toLowerCase());
    if (!custodian || done >= patients) continue;
    for (let i = 0; i < 3; i++) {
      const tx = await records
        .connect(custodian)
        .logDisclosure(log.args.patient, log.args.recordId, ctx.others[i].address, i % 3);
      await tx.wait();
    }
    done++;
  }
  expect(done, "patients with disclosures").to.equal(patients);
}

/** Every history of the workload, both ways: equal and not empty. */
export async function expectSameHistories(ctx: E2EContext, indexer: string): Promise<Record<string, number>> {
  const { provider } = ctx;
  const addresses = ctx.deployment.addresses;
  const records = RecordAccess__factory.connect(addresses.records!, provider);
  const trials = ClinicalTrials__factory.connect(addresses.trials!, provider);
  const supplyContract = SupplyChain__factory.connect(addresses.supply!, provider);
  const supply = new SupplyClient(addresses.supply!, provider);
  const paged = { logPageSize: 25 };
  const viaIndexer = { indexer };
  const seen: Record<string, number> = { disclosures: 0, provenance: 0, consentTrail: 0, shipmentsTo: 0 };

  const patients = [
    ...new Set((await records.queryFilter(records.filters.DisclosureLogged())).map((l) => l.args.patient)),
  ];
  expect(patients.length).to.be.greaterThan(0);
  for (const patient of patients) {
    const fromLogs = await accountingOfDisclosures(records, patient, 0, paged);
    expect(await accountingOfDisclosures(records, patient, 0, viaIndexer), `disclosures of ${patient}`).to.deep.equal(
      fromLogs,
    );
    seen.disclosures += fromLogs.length;
  }

  const lots = (await supplyContract.queryFilter(supplyContract.filters.LotCommissioned())).map((l) => l.args.lotId);
  expect(lots.length).to.be.greaterThan(0);
  for (const lotId of lots) {
    const fromLogs = await supply.provenance(lotId, 0, paged);
    expect(await supply.provenance(lotId, 0, viaIndexer), `provenance of ${lotId}`).to.deep.equal(fromLogs);
    seen.provenance += fromLogs.length;
  }

  const recipients = [
    ...new Set((await supplyContract.queryFilter(supplyContract.filters.ShipmentSent())).map((l) => l.args.to)),
  ];
  for (const to of recipients.slice(0, 6)) {
    const fromLogs = await supply.shipmentsTo(to, undefined, paged);
    expect(await supply.shipmentsTo(to, undefined, viaIndexer), `shipments to ${to}`).to.deep.equal(fromLogs);
    seen.shipmentsTo += fromLogs.length;
  }

  const consents = await trials.queryFilter(trials.filters.ConsentSigned());
  for (const log of consents.slice(0, 8)) {
    const { trialId, participant } = log.args;
    const fromLogs = await consentTrail(trials, trialId, participant, 0, paged);
    expect(
      await consentTrail(trials, trialId, participant, 0, viaIndexer),
      `consent trail of ${participant}`,
    ).to.deep.equal(fromLogs);
    seen.consentTrail += fromLogs.length;
  }
  for (const [history, entries] of Object.entries(seen)) expect(entries, history).to.be.greaterThan(0);
  return seen;
}
