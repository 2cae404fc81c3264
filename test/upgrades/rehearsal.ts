/**
 * The upgrade rehearsal (issue 11): Carechain v1 deployed through its Ignition modules, governance handed
 * to the consortium's TimelockController (the production path, docs/CONSORTIUM.md), every domain filled
 * (members, a lot in custody and in transit, records and a grant by signature, a trial with consents by
 * signature, nonces used), then every contract upgraded through the timelock (schedule, wait the delay,
 * execute) to a v2 (contracts/mocks/upgrades/) that adds a field in a new ERC-7201 namespace and a
 * function. All state, both EIP-712 domains, the nonces, and signatures made before the upgrade are the
 * same after it; nobody but governance can upgrade, not even the deployer.
 */
import { expect } from "chai";
import { ethers, ignition } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, Contract } from "ethers";
import GovernanceModule from "../../ignition/modules/Governance";
import { contractKeys, DEPLOYABLE_CONTRACTS, type ContractKey } from "../../src/deployments";
import { withCheckDigit } from "../../src/gs1/checkDigit";
import { expiryTimestamp } from "../../src/gs1/elementString";
import { SerialTree, lotIdOf, sequentialSerials, shipmentIdOf } from "../../src/supply";
import { MAX_UINT40, RecordCategory, categoryMask, purposeMask, Action, signGrant } from "../../src/records";
import type { MemberRegistry, RecordAccess, SupplyChain, ClinicalTrials } from "../../typechain-types";
import { deployTrialsFixture, registration, prepareTrial, consent, consentPackage, relay } from "../trials/fixture";
import { testRecordId } from "../records/fixture";
import { erc7201, mappingSlot } from "../helpers/storage";

const DAY = 24n * 3600n;
/** The timelock's delay in the rehearsal (production: 2 days by default, ignition/modules/Governance.ts). */
const MIN_DELAY = 2n * DAY;
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
const DEFAULT_ADMIN = ethers.ZeroHash;

async function word(address: string, slot: bigint): Promise<string> {
  return ethers.provider.getStorage(address, slot);
}

const V2_MOCKS: Record<ContractKey, string> = {
  registry: "MemberRegistryV2Mock",
  supply: "SupplyChainV2Mock",
  trials: "ClinicalTrialsV2Mock",
  records: "RecordAccessV2Mock",
};

const GTIN = BigInt(withCheckDigit("0950600013435"));
const LOT = "REHEARSAL-1";
const EXPIRY = expiryTimestamp("351231", new Date("2026-01-01T00:00:00Z"));
const TREE = SerialTree.build({ gtin: GTIN, lotNumber: LOT, expiry: EXPIRY }, sequentialSerials(8));
const LOT_ID = lotIdOf(GTIN, LOT);
const SHIP = ethers.id("rehearsal: ship 4");
const SHIP_IN_TRANSIT = ethers.id("rehearsal: ship 2, in transit at the upgrade");

async function v1Fixture() {
  const ctx = await deployTrialsFixture();
  const registry = ctx.registry as MemberRegistry;
  const supply = ctx.deployed.supply as unknown as SupplyChain;
  const records = ctx.deployed.records as unknown as RecordAccess;
  const trials = ctx.trials as ClinicalTrials;
  const [, , , , p0, p1, p2, patient] = ctx.others;

  // Governance: the consortium's timelock, proposer the founding multisig (here the governance signer).
  const { timelock } = (await ignition.deploy(GovernanceModule, {
    parameters: { Governance: { proposers: [ctx.governance.address], minDelay: MIN_DELAY } },
  })) as unknown as { timelock: Contract };
  const timelockAddress = await timelock.getAddress();

  /** Schedules `data` on `target` by the proposer, waits the delay, executes it (anyone may). */
  async function viaTimelock(target: string, data: string, salt = ethers.id(data)) {
    const asProposer = timelock.connect(ctx.governance) as Contract;
    const id = await timelock.hashOperation(target, 0, data, ethers.ZeroHash, salt);
    await expect(asProposer.schedule(target, 0, data, ethers.ZeroHash, salt, MIN_DELAY))
      .to.emit(timelock, "CallScheduled")
      .withArgs(id, 0, target, 0, data, ethers.ZeroHash, MIN_DELAY);
    // Not before the delay: members and patients see the CallScheduled event for MIN_DELAY seconds first.
    await expect((timelock.connect(ctx.outsider) as Contract).execute(target, 0, data, ethers.ZeroHash, salt))
      .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
      .withArgs(id, "0x0000000000000000000000000000000000000000000000000000000000000004");
    await time.increase(MIN_DELAY);
    return (timelock.connect(ctx.outsider) as Contract).execute(target, 0, data, ethers.ZeroHash, salt);
  }

  // The registry's admin moves to the timelock in two steps (AccessControlDefaultAdminRules).
  await registry.connect(ctx.governance).beginDefaultAdminTransfer(timelockAddress);
  await time.increase(Number(await registry.defaultAdminDelay()) + 1);
  await viaTimelock(await registry.getAddress(), registry.interface.encodeFunctionData("acceptDefaultAdminTransfer"));
  expect(await registry.defaultAdmin()).to.equal(timelockAddress);

  // Fill: members (fixture), an endpoint, a lot in custody and a shipment in transit.
  await registry.connect(ctx.pharmacy).setEndpoint(ethers.id("gs1:verificationService"), "https://verify.example");
  await supply.connect(ctx.manufacturer).registerProduct(GTIN, ethers.id("rehearsal product"));
  await supply.connect(ctx.manufacturer).commissionLot(GTIN, LOT, EXPIRY, 8, TREE.root, ethers.id("commission"));
  await supply.connect(ctx.manufacturer).ship(LOT_ID, ctx.wholesaler.address, 4, SHIP);
  await supply.connect(ctx.wholesaler).receiveShipment(LOT_ID, ctx.manufacturer.address, 4, SHIP, ethers.id("recv"));
  await supply.connect(ctx.manufacturer).ship(LOT_ID, ctx.wholesaler.address, 2, SHIP_IN_TRANSIT);
  const inTransit = shipmentIdOf(LOT_ID, ctx.manufacturer.address, ctx.wholesaler.address, 2, SHIP_IN_TRANSIT);

  // Records: a record and a grant by the patient's signature (its nonce used).
  const recordsDomain = {
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await records.getAddress(),
  };
  const now = BigInt(await time.latest());
  const recordId = testRecordId(1);
  await records
    .connect(ctx.hospital)
    .registerRecord(patient.address, recordId, RecordCategory.Labs, ethers.id("ct"), now - DAY);
  const terms = {
    categories: categoryMask(["Labs"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: now,
    validUntil: now + 365n * DAY,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
  };
  const grantMessage = async (grantee: string, deadline: bigint) => ({
    patient: patient.address,
    signer: patient.address,
    grantee,
    ...terms,
    nonce: await records.nonces(patient.address),
    deadline,
  });
  const first = await grantMessage(ctx.specialist.address, now + 30n * DAY);
  await records
    .connect(ctx.outsider)
    .grantBySig(
      patient.address,
      patient.address,
      ctx.specialist.address,
      terms,
      first.deadline,
      await signGrant(patient, recordsDomain, first),
    );

  // Trials: a recruiting trial, two consents by signature (participant's + investigator's).
  await trials.connect(ctx.sponsor).registerTrial(registration(ctx));
  await prepareTrial(ctx, true);
  await consent(ctx, p0);
  await consent(ctx, p1);

  // Signed before the upgrade, relayed after it: a grant (patient's next nonce) and a consent (p2's).
  const pending = await grantMessage(ctx.hospital.address, now + 30n * DAY);
  const pendingGrant = { message: pending, terms, signature: await signGrant(patient, recordsDomain, pending) };
  const pendingConsent = await consentPackage(ctx, p2, {
    deadline: now + 30n * DAY,
    investigatorDeadline: now + 30n * DAY,
  });

  const contracts: Record<ContractKey, BaseContract> = { registry, supply, trials, records };
  return {
    ...ctx,
    registry,
    supply,
    records,
    trials,
    contracts,
    timelock,
    timelockAddress,
    viaTimelock,
    patient,
    participants: [p0, p1, p2],
    recordId,
    inTransit,
    pendingGrant,
    pendingConsent,
  };
}

type V1 = Awaited<ReturnType<typeof v1Fixture>>;

/** Everything the v1 state and signatures are read by, as one JSON-able value. */
async function snapshot(c: V1): Promise<unknown> {
  const [p0, p1, p2] = c.participants;
  const members = [c.manufacturer, c.wholesaler, c.pharmacy, c.hospital, c.sponsor, c.irb, c.site];
  const values: unknown[] = [
    await c.registry.defaultAdmin(),
    await c.registry.defaultAdminDelay(),
    await c.registry.hasRole(DEFAULT_ADMIN, c.timelockAddress),
    await c.registry.hasRole(await c.registry.REGISTRAR_ROLE(), c.registrar.address),
    await c.registry.endpointOf(c.pharmacy.address, ethers.id("gs1:verificationService")),
    ...(await Promise.all(members.map((m) => c.registry.memberOf(m.address)))),
    ...(await Promise.all(members.map((m) => c.registry.hasActiveRole(ethers.id("PROVIDER_ROLE"), m.address)))),
    await c.supply.productOf(GTIN),
    await c.supply.lotOf(LOT_ID),
    await c.supply.custodyOf(LOT_ID, c.manufacturer.address),
    await c.supply.custodyOf(LOT_ID, c.wholesaler.address),
    await c.supply.isInTransit(c.inTransit),
    await c.records.recordOf(c.patient.address, c.recordId),
    await c.records.grantOf(c.patient.address, c.specialist.address),
    await c.records.epochOf(c.patient.address),
    await c.records.canAccess(c.patient.address, c.specialist.address, c.recordId, 0),
    await c.records.researchConsent(),
    await c.records.registry(),
    await c.records.DOMAIN_SEPARATOR(),
    await c.records.eip712Domain(),
    await c.trials.trial(c.trialId),
    await c.trials.amendment(c.trialId, 0),
    await c.trials.isSite(c.trialId, c.site.address),
    await c.trials.investigatorSite(c.trialId, c.investigator.address),
    ...(await Promise.all([p0, p1, p2].map((p) => c.trials.participation(c.trialId, p.address)))),
    ...(await Promise.all([p0, p1, p2].map((p) => c.trials.isConsentValid(c.trialId, p.address)))),
    await c.trials.registry(),
    await c.trials.DOMAIN_SEPARATOR(),
    await c.trials.eip712Domain(),
    ...(await Promise.all(
      [c.patient, p0, p1, p2, c.investigator].map(async (a) => [
        await c.records.nonces(a.address),
        await c.trials.nonces(a.address),
      ]),
    )),
  ];
  return JSON.parse(JSON.stringify(values, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Deploys the v2 implementation of `key` (built with the same registry as v1). */
async function deployV2(c: V1, key: ContractKey): Promise<BaseContract> {
  const args = key === "registry" ? [] : [await c.registry.getAddress()];
  return ethers.deployContract(V2_MOCKS[key], args);
}

describe("upgrade rehearsal (issue 11)", function () {
  it("keeps the v1 state where ERC-7201 puts it (slots by the formula)", async function () {
    const c = await loadFixture(v1Fixture);
    const [p0] = c.participants;
    // MemberRegistry: _members (field 0) → Member.metadataHash in its first word.
    const member = mappingSlot("address", c.manufacturer.address, erc7201("carechain.storage.MemberRegistry"));
    expect(await word(await c.registry.getAddress(), member)).to.equal(
      (await c.registry.memberOf(c.manufacturer.address)).metadataHash,
    );
    // Supply: _products (field 0) → Product.manufacturer in its first word.
    const product = mappingSlot("uint64", GTIN, erc7201("carechain.storage.Supply"));
    expect(BigInt(await word(await c.supply.getAddress(), product))).to.equal(BigInt(c.manufacturer.address));
    // Records: _researchConsent (field 8) is the trials proxy.
    const consentSlot = erc7201("carechain.storage.Records") + 8n;
    expect(BigInt(await word(await c.records.getAddress(), consentSlot))).to.equal(BigInt(await c.trials.getAddress()));
    // Trials: _trialRoles (field 2)[trialId][site] holds ROLE_SITE (bit 0).
    const roles = mappingSlot(
      "address",
      c.site.address,
      mappingSlot("bytes32", c.trialId, erc7201("carechain.storage.Trials") + 2n),
    );
    expect(BigInt(await word(await c.trials.getAddress(), roles))).to.equal(1n);
    // Nothing at the v1 layout's old slots 0..: the namespaces are the only storage.
    expect(BigInt(await word(await c.trials.getAddress(), 0n))).to.equal(0n);
    expect(await c.trials.isConsentValid(c.trialId, p0.address)).to.equal(true);
  });

  it("refuses initialize on every proxy and every implementation", async function () {
    const c = await loadFixture(v1Fixture);
    for (const key of contractKeys()) {
      const proxy = c.contracts[key];
      const implementationAddress = ethers.getAddress(
        "0x" + (await word(await proxy.getAddress(), BigInt(IMPLEMENTATION_SLOT))).slice(26),
      );
      const implementation = await ethers.getContractAt(DEPLOYABLE_CONTRACTS[key].contract, implementationAddress);
      const fragment = proxy.interface.getFunction("initialize")!;
      const args =
        key === "registry"
          ? [c.outsider.address, 0, c.outsider.address]
          : fragment.inputs.map(() => c.outsider.address);
      for (const target of [proxy, implementation]) {
        await expect(target.connect(c.outsider).getFunction("initialize")(...args)).to.be.revertedWithCustomError(
          proxy,
          "InvalidInitialization",
        );
      }
    }
  });

  it("refuses a direct upgrade by anyone but governance, even the deployer and the former admin", async function () {
    const c = await loadFixture(v1Fixture);
    for (const key of contractKeys()) {
      const v2 = await deployV2(c, key);
      const proxy = c.contracts[key];
      for (const caller of [c.deployer, c.governance, c.registrar]) {
        const attempt = proxy.connect(caller).getFunction("upgradeToAndCall")(await v2.getAddress(), "0x");
        if (key === "registry") {
          await expect(attempt)
            .to.be.revertedWithCustomError(proxy, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, DEFAULT_ADMIN);
        } else {
          await expect(attempt)
            .to.be.revertedWithCustomError(proxy, "MemberGatedUnauthorizedUpgrade")
            .withArgs(caller.address, c.timelockAddress);
        }
      }
    }
  });

  it("refuses, even from governance, a domain implementation built on another registry", async function () {
    const c = await loadFixture(v1Fixture);
    const other = await ethers.deployContract("SupplyChainV2Mock", [c.outsider.address]);
    const data = c.supply.interface.encodeFunctionData("upgradeToAndCall", [await other.getAddress(), "0x"]);
    await expect(c.viaTimelock(await c.supply.getAddress(), data))
      .to.be.revertedWithCustomError(c.supply, "MemberGatedUpgradeRegistryChanged")
      .withArgs(await other.getAddress(), await c.registry.getAddress());
  });

  it("upgrades every contract through the timelock and keeps state, domains, nonces and signatures", async function () {
    const c = await loadFixture(v1Fixture);
    const before = await snapshot(c);

    for (const [i, key] of contractKeys().entries()) {
      const proxy = c.contracts[key];
      const v2 = await deployV2(c, key);
      const v2Address = await v2.getAddress();
      const marker = 1000n + BigInt(i);
      const data = proxy.interface.encodeFunctionData("upgradeToAndCall", [
        v2Address,
        v2.interface.encodeFunctionData("initializeV2", [marker]),
      ]);
      const tx = c.viaTimelock(await proxy.getAddress(), data);
      await expect(tx).to.emit(proxy, "Upgraded").withArgs(v2Address);
      await expect(tx)
        .to.emit(v2.attach(await proxy.getAddress()), "UpgradeV2Initialized")
        .withArgs(marker);
      // The ERC-1967 slot names v2; v2's new field and function answer through the same address.
      expect(await word(await proxy.getAddress(), BigInt(IMPLEMENTATION_SLOT))).to.equal(
        ethers.zeroPadValue(v2Address.toLowerCase(), 32),
      );
      const upgraded = v2.attach(await proxy.getAddress()) as Contract;
      expect(await upgraded.v2Marker()).to.equal(marker);
      expect(await upgraded.version()).to.equal("2");
      // The reinitializer ran once: never again.
      await expect(upgraded.connect(c.outsider).getFunction("initializeV2")(1n)).to.be.revertedWithCustomError(
        proxy,
        "InvalidInitialization",
      );
    }

    // Every v1 value, both EIP-712 domain separators and every nonce are the same.
    expect(await snapshot(c)).to.deep.equal(before);

    // Signatures made before the upgrade verify after it, and consume their nonces as before.
    const { message, terms, signature } = c.pendingGrant;
    await expect(
      c.records
        .connect(c.outsider)
        .grantBySig(c.patient.address, c.patient.address, c.hospital.address, terms, message.deadline, signature),
    ).to.emit(c.records, "AccessGranted");
    expect(await c.records.nonces(c.patient.address)).to.equal(message.nonce + 1n);
    const [, , p2] = c.participants;
    await relay(c, c.pendingConsent);
    expect(await c.trials.isConsentValid(c.trialId, p2.address)).to.equal(true);

    // And v1 behaviour goes on: the shipment in transit is received, a new consent is signed.
    await c.supply
      .connect(c.wholesaler)
      .receiveShipment(LOT_ID, c.manufacturer.address, 2, SHIP_IN_TRANSIT, ethers.id("recv 2"));
    expect((await c.supply.custodyOf(LOT_ID, c.wholesaler.address)).quantity).to.equal(6n);
  });
});
