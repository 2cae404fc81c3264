/**
 * One client shape: connect(deployment, runner) gives typed contracts and a client per domain; the
 * supply client runs a lot's life (register → commission from a tree → ship → receive / reject →
 * quarantine → release → recall); grants and consents are signed in one shape (domain and nonce read
 * from the contract); history pages through block ranges from the deployment block.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { recruitingTrialFixture } from "../trials/fixture";
import { connect, signAction, type ConnectableDeployment } from "../../src/clients";
import { DeploymentError } from "../../src/deployments";
import { SerialTree, sequentialSerials } from "../../src/supply/serials";
import { RecallClass, LotStatus } from "../../src/supply/enums";
import { withCheckDigit } from "../../src/gs1/checkDigit";
import { Action, MAX_UINT40, categoryMask, purposeMask } from "../../src/records";

const GTIN = BigInt(withCheckDigit("0950600013437"));

async function clientsFixture() {
  const ctx = await recruitingTrialFixture();
  const addresses: Record<string, string> = {};
  for (const key of ["registry", "supply", "records", "trials"]) {
    addresses[key] = await (ctx.deployed[key] as { getAddress(): Promise<string> }).getAddress();
  }
  const deployment: ConnectableDeployment = { addresses, fromBlock: 0 };
  const expiry = BigInt(await time.latest()) + 365n * 86400n;
  const tree = SerialTree.build({ gtin: GTIN, lotNumber: "CLIENT-1", expiry }, sequentialSerials(20));
  return { ...ctx, deployment, tree };
}

describe("SDK clients: connect(deployment, runner), one shape per domain", function () {
  it("runs a lot's life through the SupplyClient and pages its history through block ranges", async function () {
    const f = await loadFixture(clientsFixture);
    const asManufacturer = connect(f.deployment, f.manufacturer, { blockRange: 2 });
    const asWholesaler = connect(f.deployment, f.wholesaler, { blockRange: 2 });
    await asManufacturer.supply.registerProduct(GTIN, ethers.id("product"));
    const { lotId } = await asManufacturer.supply.commissionLot(f.tree, ethers.id("commission"));
    expect((await asManufacturer.contracts.supply.lotOf(lotId)).unitCount).to.equal(20n);

    const first = await asManufacturer.supply.ship(lotId, f.wholesaler.address, 10, ethers.id("ship-1"));
    await asWholesaler.supply.receive(first.shipmentId, ethers.id("receive-1"));
    const second = await asManufacturer.supply.ship(lotId, f.wholesaler.address, 5, ethers.id("ship-2"));
    await asWholesaler.supply.reject(second.shipmentId, ethers.id("reject-2"));
    expect(await asManufacturer.contracts.supply.isInTransit(second.shipmentId)).to.equal(false);

    await asManufacturer.supply.quarantine(lotId, ethers.id("quarantine"));
    expect((await asManufacturer.contracts.supply.lotOf(lotId)).status).to.equal(BigInt(LotStatus.Quarantined));
    await asManufacturer.supply.release(lotId, ethers.id("release"));
    await asManufacturer.supply.recall(lotId, RecallClass.ClassII, ethers.id("recall"));
    expect((await asManufacturer.contracts.supply.lotOf(lotId)).status).to.equal(BigInt(LotStatus.Recalled));

    const events = (await asManufacturer.supply.provenance(lotId)).map((e) => e.event);
    expect(events).to.deep.equal([
      "LotCommissioned",
      "ShipmentSent",
      "ShipmentReceived",
      "ShipmentSent",
      "ShipmentRejected",
      "LotQuarantined",
      "LotReleased",
      "LotRecalled",
    ]);
    // The same history in one range, and none before the deployment block.
    const oneRange = connect(f.deployment, f.manufacturer, { blockRange: 1_000_000 });
    expect((await oneRange.supply.provenance(lotId)).map((e) => e.event)).to.deep.equal(events);
    const latest = await ethers.provider.getBlockNumber();
    const later = connect({ ...f.deployment, fromBlock: latest + 1 }, f.manufacturer);
    expect(await later.supply.provenance(lotId)).to.deep.equal([]);
  });

  it("signs and relays a grant in the one signing shape (domain and nonce read from the contract)", async function () {
    const f = await loadFixture(clientsFixture);
    const [patient, relayer] = [f.participants[0], f.participants[1]];
    const now = BigInt(await time.latest());
    const grant = {
      patient: patient.address,
      signer: patient.address,
      grantee: f.specialist.address,
      categories: categoryMask(["Labs"]),
      actions: Action.Read,
      purposes: purposeMask(["Treatment"]),
      validFrom: now,
      validUntil: now + 30n * 86400n,
      dataFrom: 0n,
      dataUntil: MAX_UINT40,
      deadline: now + 3600n,
    };
    const asPatient = connect(f.deployment, patient);
    const { data, signature } = await asPatient.records.signGrant(patient, grant);
    expect(data.message.nonce).to.equal("0");
    expect(data.domain.name).to.equal("Carechain RecordAccess");
    const asRelayer = connect(f.deployment, relayer);
    await expect(asRelayer.records.relayGrant(grant, signature)).to.not.be.rejected;
    expect(await asRelayer.contracts.records.nonces(patient.address)).to.equal(1n);
  });

  it("signs and relays a trial consent in the same shape", async function () {
    const f = await loadFixture(clientsFixture);
    const participant = f.participants[2];
    const t = await f.trials.trial(f.trialId);
    const asParticipant = connect(f.deployment, participant);
    const { terms, signature } = await asParticipant.trials.signConsent(participant, {
      trialId: f.trialId,
      participant: participant.address,
      protocolVersion: Number(t.protocolVersion),
      consentFormHash: (await f.trials.amendment(f.trialId, Number(t.protocolVersion))).consentFormHash,
      scope: 1,
      categories: categoryMask(["Labs"]),
      futureContact: false,
      deadline: BigInt(await time.latest()) + 3600n,
    });
    const asSite = connect(f.deployment, f.site);
    await asSite.trials.relayConsent(terms, signature);
    expect(await asSite.contracts.trials.nonces(participant.address)).to.equal(1n);
    // The same shape signs any struct: a revocation of the participant's representatives.
    const revocation = await signAction(participant, asSite.contracts.trials, "RepresentativeRevocation", {
      trialId: f.trialId,
      participant: participant.address,
      deadline: BigInt(await time.latest()) + 3600n,
    });
    expect(revocation.data.message.nonce).to.equal("1");
  });

  it("refuses a contract the deployment does not have, naming it", async function () {
    const f = await loadFixture(clientsFixture);
    const partial = connect({ addresses: { registry: f.deployment.addresses.registry } }, ethers.provider);
    expect(await partial.contracts.registry.getAddress()).to.equal(f.deployment.addresses.registry);
    expect(() => partial.contracts.supply).to.throw(DeploymentError, "Supply#SupplyChain");
  });
});
