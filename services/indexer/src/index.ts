/**
 * Every event of MemberRegistry, SupplyChain, RecordAccess and ClinicalTrials → the tables of
 * ponder.schema.ts. The state tables mirror the contracts' storage writes one for one (the
 * contract's code is cited where the rule is not obvious); the history tables keep every event.
 *
 * The handlers are one object keyed "<Contract>:<Event>" so that test/indexer can check, from the
 * compiled ABIs, that every event has exactly one handler (and Ponder refuses a key whose event is
 * not in the ABI). ABIs are read at run time from the deployment record, so event arguments are
 * typed loosely here (`Args`).
 */
import { ponder } from "ponder:registry";
import * as s from "ponder:schema";
import { encodeAbiParameters, keccak256 } from "viem";

type Hex = `0x${string}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = Record<string, any>;
interface Event {
  id: string;
  args: Args;
  block: { number: bigint; timestamp: bigint };
  log: { logIndex: number };
  transaction: { hash: Hex };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Context = { db: any };
type Handler = (input: { event: Event; context: Context }) => Promise<void>;

const ZERO: Hex = "0x0000000000000000000000000000000000000000";
const ZERO32: Hex = "0x0000000000000000000000000000000000000000000000000000000000000000";
const lc = (value: string): Hex => value.toLowerCase() as Hex;
const where = (event: Event) => ({
  id: event.id,
  blockNumber: event.block.number,
  logIndex: event.log.logIndex,
  timestamp: event.block.timestamp,
  transactionHash: event.transaction.hash,
});
/** Event arguments as JSON (bigints as decimal strings, addresses lower case). */
function plain(args: Args, skip: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (/^\d+$/.test(k) || skip.includes(k)) continue;
    out[k] =
      typeof v === "bigint" ? v.toString() : typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
  }
  return out;
}

// Contract constants mirrored (contracts/supply, contracts/trials).
const LotStatus = { Active: 1, Quarantined: 2, Recalled: 3, Destroyed: 4 } as const;
const P_CONSENTED = 1 << 0;
const P_FUTURE_CONTACT = 1 << 1;
const P_ENROLLED = 1 << 2;
const P_NO_FURTHER_COLLECTION = 1 << 3;
const P_WITHDRAWN_DATA = 1 << 4;
const P_ATTESTED = 1 << 5;
const P_WITNESSED = 1 << 6;
const TRIAL_REF_COMMITTED = 1 << 0;
const TRIAL_OUTCOME_COMMITTED = 1 << 1;
const TRIAL_WITNESS_REQUIRED = 1 << 2;
const DS_SCOPE_BIT = 1 << 2; // DataUse.DS (contracts/libraries/DataUse.sol)
const INVESTIGATOR_ATTESTATION = 5;
const WITHDRAW_DATA = 2;
const DENY_ACTOR = 1;

// ---------------------------------------------------------------- helpers over the tables

async function lotEvent(event: Event, context: Context, name: string, statusAfter?: number): Promise<void> {
  const lotId = lc(event.args.lotId);
  const current = await context.db.find(s.lot, { lotId });
  await context.db.insert(s.lotEvent).values({
    ...where(event),
    lotId,
    event: name,
    args: plain(event.args, ["lotId"]),
    statusAfter: statusAfter ?? current?.status ?? 0,
  });
}

async function setLot(context: Context, lotId: Hex, values: Record<string, unknown>): Promise<number> {
  const row = await context.db.update(s.lot, { lotId }).set(values);
  return row.status as number;
}

/** SupplyChain._credit */
async function credit(context: Context, lotId: Hex, holder: Hex, quantity: bigint): Promise<void> {
  await context.db
    .insert(s.custody)
    .values({ lotId, holder, quantity, lastIndex: 0n, lastAt: 0n, lastReason: 0, earlier: 0n })
    .onConflictDoUpdate((row: { quantity: bigint }) => ({ quantity: row.quantity + quantity }));
}

async function closeShipment(event: Event, context: Context, status: string): Promise<Args | undefined> {
  const shipmentId = lc(event.args.shipmentId);
  const row = await context.db.find(s.shipment, { shipmentId });
  if (row) {
    await context.db
      .update(s.shipment, { shipmentId })
      .set({ status, closedBlock: event.block.number, closeEventHash: lc(event.args.eventHash) });
  }
  return row;
}

/** The patient word, created on first use (PatientDirectives.PatientState). */
async function patientWord(context: Context, patient: Hex) {
  return (
    (await context.db.find(s.patient, { patient })) ??
    (await context.db
      .insert(s.patient)
      .values({ patient, epoch: 0n, pendingEmergencies: 0n, deniedCategories: 0, denyExempt: ZERO }))
  );
}

const EMPTY_GRANT = {
  grantedBy: null,
  categories: 0,
  deniedCategories: 0,
  actions: 0,
  purposes: 0,
  revoked: false,
  validFrom: 0n,
  validUntil: 0n,
  dataFrom: 0n,
  dataUntil: 0n,
  byGuardian: false,
  epoch: 0n,
};

async function participationOf(context: Context, trialId: Hex, participant: Hex) {
  return (
    (await context.db.find(s.participation, { trialId, participant })) ??
    (await context.db.insert(s.participation).values({
      trialId,
      participant,
      consentVersion: 0,
      scope: 0,
      categories: 0,
      flags: 0,
      useUntil: 0n,
      representative: ZERO,
      diseaseCodeHash: ZERO32,
    }))
  );
}

async function consentEvent(event: Event, context: Context, kind: string, values: Record<string, unknown>) {
  await context.db.insert(s.consentEvent).values({
    ...where(event),
    trialId: lc(event.args.trialId),
    participant: lc(event.args.participant),
    kind,
    ...values,
  });
}

async function representationOf(context: Context, trialId: Hex, participant: Hex) {
  return (
    (await context.db.find(s.representation, { trialId, participant })) ??
    (await context.db.insert(s.representation).values({
      trialId,
      participant,
      representative: ZERO,
      endsAt: 0n,
      authorityId: 0n,
      irbConfirmed: false,
      pendingDetermination: ZERO32,
    }))
  );
}

// ---------------------------------------------------------------- the handlers

export const handlers: Record<string, Handler> = {
  // ------------------------------------------------ MemberRegistry
  "MemberRegistry:MemberAdmitted": async ({ event, context }) => {
    const t = event.block.timestamp;
    await context.db.insert(s.member).values({
      account: lc(event.args.account),
      gln: event.args.gln,
      metadataHash: lc(event.args.metadataHash),
      status: 1,
      admittedAt: t,
      statusChangedAt: t,
    });
  },
  "MemberRegistry:MemberMetadataUpdated": async ({ event, context }) => {
    await context.db
      .update(s.member, { account: lc(event.args.account) })
      .set({ metadataHash: lc(event.args.metadataHash) });
  },
  "MemberRegistry:MemberSuspended": async ({ event, context }) => {
    await context.db
      .update(s.member, { account: lc(event.args.account) })
      .set({ status: 2, statusChangedAt: event.block.timestamp, suspensionReasonHash: lc(event.args.reasonHash) });
  },
  "MemberRegistry:MemberReinstated": async ({ event, context }) => {
    await context.db
      .update(s.member, { account: lc(event.args.account) })
      .set({ status: 1, statusChangedAt: event.block.timestamp, suspensionReasonHash: null });
  },
  "MemberRegistry:MemberEndpointSet": async ({ event, context }) => {
    const key = { account: lc(event.args.account), linkType: lc(event.args.linkType) };
    if (event.args.url === "") await context.db.delete(s.endpoint, key);
    else
      await context.db
        .insert(s.endpoint)
        .values({ ...key, url: event.args.url, setAt: event.block.timestamp })
        .onConflictDoUpdate({ url: event.args.url, setAt: event.block.timestamp });
  },
  "MemberRegistry:RoleGranted": async ({ event, context }) => {
    await context.db
      .insert(s.roleMember)
      .values({
        role: lc(event.args.role),
        account: lc(event.args.account),
        grantedBy: lc(event.args.sender),
        grantedAt: event.block.timestamp,
      })
      .onConflictDoNothing();
  },
  "MemberRegistry:RoleRevoked": async ({ event, context }) => {
    await context.db.delete(s.roleMember, { role: lc(event.args.role), account: lc(event.args.account) });
  },
  "MemberRegistry:RoleAdminChanged": async ({ event, context }) => {
    await context.db
      .insert(s.roleAdmin)
      .values({ role: lc(event.args.role), adminRole: lc(event.args.newAdminRole) })
      .onConflictDoUpdate({ adminRole: lc(event.args.newAdminRole) });
  },
  "MemberRegistry:DefaultAdminTransferScheduled": async ({ event, context }) => {
    await context.db.insert(s.adminChange).values({
      ...where(event),
      kind: "transfer_scheduled",
      newAdmin: lc(event.args.newAdmin),
      schedule: BigInt(event.args.acceptSchedule),
    });
  },
  "MemberRegistry:DefaultAdminTransferCanceled": async ({ event, context }) => {
    await context.db.insert(s.adminChange).values({ ...where(event), kind: "transfer_cancelled" });
  },
  "MemberRegistry:DefaultAdminDelayChangeScheduled": async ({ event, context }) => {
    await context.db.insert(s.adminChange).values({
      ...where(event),
      kind: "delay_change_scheduled",
      newDelay: BigInt(event.args.newDelay),
      schedule: BigInt(event.args.effectSchedule),
    });
  },
  "MemberRegistry:DefaultAdminDelayChangeCanceled": async ({ event, context }) => {
    await context.db.insert(s.adminChange).values({ ...where(event), kind: "delay_change_cancelled" });
  },

  // ------------------------------------------------ SupplyChain
  "SupplyChain:ProductRegistered": async ({ event, context }) => {
    await context.db.insert(s.product).values({
      gtin: event.args.gtin,
      manufacturer: lc(event.args.manufacturer),
      metadataHash: lc(event.args.metadataHash),
      registeredAt: event.block.timestamp,
    });
  },
  "SupplyChain:LotCommissioned": async ({ event, context }) => {
    const a = event.args;
    const lotId = lc(a.lotId);
    await context.db.insert(s.lot).values({
      lotId,
      gtin: a.gtin,
      lotNumber: a.lotNumber,
      manufacturer: lc(a.manufacturer),
      expiry: BigInt(a.expiry),
      unitCount: Number(a.unitCount),
      status: LotStatus.Active,
      recallClass: 0,
      holdOrigin: 0,
      serialsRoot: lc(a.serialsRoot),
      eventHash: lc(a.eventHash),
      commissionedAt: event.block.timestamp,
      decommissioned: 0,
    });
    await credit(context, lotId, lc(a.manufacturer), BigInt(a.unitCount));
    await lotEvent(event, context, "LotCommissioned", LotStatus.Active);
  },
  "SupplyChain:ShipmentSent": async ({ event, context }) => {
    const a = event.args;
    const lotId = lc(a.lotId);
    const from = lc(a.from);
    const quantity = BigInt(a.quantity);
    await context.db
      .update(s.custody, { lotId, holder: from })
      .set((row: { quantity: bigint }) => ({ quantity: row.quantity - quantity }));
    const values = {
      lotId,
      from,
      to: lc(a.to),
      quantity: Number(a.quantity),
      eventHash: lc(a.eventHash),
      status: "in_transit",
      sentBlock: event.block.number,
      sentLogIndex: event.log.logIndex,
      sentTransactionHash: event.transaction.hash,
      closedBlock: null,
      closeEventHash: null,
    };
    // A shipment id shipped again after it closed is in transit again (same fields, new send).
    await context.db
      .insert(s.shipment)
      .values({ shipmentId: lc(a.shipmentId), ...values })
      .onConflictDoUpdate(values);
    await context.db.insert(s.shipmentSent).values({
      ...where(event),
      shipmentId: lc(a.shipmentId),
      lotId,
      from,
      to: lc(a.to),
      quantity: Number(a.quantity),
      eventHash: lc(a.eventHash),
    });
    await lotEvent(event, context, "ShipmentSent");
  },
  "SupplyChain:ShipmentReceived": async ({ event, context }) => {
    const row = await closeShipment(event, context, "received");
    if (row) await credit(context, row.lotId, lc(event.args.to), BigInt(row.quantity));
    await lotEvent(event, context, "ShipmentReceived");
  },
  "SupplyChain:ShipmentRejected": async ({ event, context }) => {
    const row = await closeShipment(event, context, "rejected");
    if (row) await credit(context, row.lotId, row.from, BigInt(row.quantity));
    await lotEvent(event, context, "ShipmentRejected");
  },
  "SupplyChain:ShipmentCancelled": async ({ event, context }) => {
    const row = await closeShipment(event, context, "cancelled");
    if (row) await credit(context, row.lotId, lc(event.args.from), BigInt(row.quantity));
    await lotEvent(event, context, "ShipmentCancelled");
  },
  "SupplyChain:UnitDecommissioned": async ({ event, context }) => {
    const a = event.args;
    const lotId = lc(a.lotId);
    const holder = lc(a.actor);
    const index = BigInt(a.index);
    // SupplyChain._decommission: quantity − 1, the latest decommission pushed into `earlier` as index + 1.
    await context.db
      .update(s.custody, { lotId, holder })
      .set((row: { quantity: bigint; lastIndex: bigint; lastReason: number; earlier: bigint }) => ({
        quantity: row.quantity - 1n,
        lastIndex: index,
        lastAt: event.block.timestamp,
        lastReason: Number(a.reason),
        earlier:
          row.lastReason !== 0 ? ((row.earlier << 32n) | (row.lastIndex + 1n)) & ((1n << 128n) - 1n) : row.earlier,
      }));
    await context.db
      .insert(s.decommission)
      .values({ lotId, index, actor: holder, reason: Number(a.reason), at: event.block.timestamp });
    await context.db
      .update(s.lot, { lotId })
      .set((row: { decommissioned: number }) => ({ decommissioned: row.decommissioned + 1 }));
    await lotEvent(event, context, "UnitDecommissioned");
  },
  "SupplyChain:UnitDecommissionUndone": async ({ event, context }) => {
    const lotId = lc(event.args.lotId);
    const holder = lc(event.args.actor);
    // SupplyChain.undoDecommission: the latest record cleared, the earlier ones kept.
    await context.db.update(s.custody, { lotId, holder }).set((row: { quantity: bigint }) => ({
      quantity: row.quantity + 1n,
      lastIndex: 0n,
      lastAt: 0n,
      lastReason: 0,
    }));
    await context.db.delete(s.decommission, { lotId, index: BigInt(event.args.index) });
    await context.db
      .update(s.lot, { lotId })
      .set((row: { decommissioned: number }) => ({ decommissioned: row.decommissioned - 1 }));
    await lotEvent(event, context, "UnitDecommissionUndone");
  },
  "SupplyChain:SuspectPackAlert": async ({ event, context }) => {
    const a = event.args;
    await context.db.insert(s.alert).values({
      ...where(event),
      lotId: lc(a.lotId),
      kind: "suspect_pack",
      reporter: lc(a.reporter),
      answer: Number(a.answer),
      unitIndex: BigInt(a.index),
      leaf: lc(a.leaf),
    });
    await lotEvent(event, context, "SuspectPackAlert");
  },
  "SupplyChain:LotQuarantined": async ({ event, context }) => {
    const status = await setLot(context, lc(event.args.lotId), {
      status: LotStatus.Quarantined,
      holdOrigin: Number(event.args.origin),
    });
    await lotEvent(event, context, "LotQuarantined", status);
  },
  "SupplyChain:LotReleased": async ({ event, context }) => {
    const status = await setLot(context, lc(event.args.lotId), { status: LotStatus.Active, holdOrigin: 0 });
    await lotEvent(event, context, "LotReleased", status);
  },
  "SupplyChain:LotRecalled": async ({ event, context }) => {
    const status = await setLot(context, lc(event.args.lotId), {
      status: LotStatus.Recalled,
      recallClass: Number(event.args.recallClass),
      holdOrigin: 0,
    });
    await lotEvent(event, context, "LotRecalled", status);
  },
  "SupplyChain:LotDestroyed": async ({ event, context }) => {
    const status = await setLot(context, lc(event.args.lotId), { status: LotStatus.Destroyed, holdOrigin: 0 });
    await lotEvent(event, context, "LotDestroyed", status);
  },
  "SupplyChain:ColdChainExcursion": async ({ event, context }) => {
    // The quarantine that may follow is its own LotQuarantined event.
    await context.db.insert(s.alert).values({
      ...where(event),
      lotId: lc(event.args.lotId),
      kind: "cold_chain",
      reporter: lc(event.args.reporter),
      attestationHash: lc(event.args.attestationHash),
    });
    await lotEvent(event, context, "ColdChainExcursion");
  },

  // ------------------------------------------------ RecordAccess
  "RecordAccess:RecordRegistered": async ({ event, context }) => {
    const a = event.args;
    await context.db.insert(s.record).values({
      patient: lc(a.patient),
      recordId: lc(a.recordId),
      custodian: lc(a.custodian),
      category: Number(a.category),
      recordDate: BigInt(a.recordDate),
      keyEpoch: 0n,
      contentHash: lc(a.contentHash),
    });
  },
  "RecordAccess:RecordContentUpdated": async ({ event, context }) => {
    await context.db
      .update(s.record, { patient: lc(event.args.patient), recordId: lc(event.args.recordId) })
      .set({ contentHash: lc(event.args.contentHash), keyEpoch: BigInt(event.args.keyEpoch) });
  },
  "RecordAccess:AccessGranted": async ({ event, context }) => {
    const a = event.args;
    const t = a.terms as Args;
    const patient = lc(a.patient);
    const grantee = lc(a.grantee);
    const existing = await context.db.find(s.grant, { patient, grantee });
    // PatientDirectives._grant: the whole word rewritten, the deny mask against the grantee carried over.
    const values = {
      grantedBy: lc(a.actor),
      categories: Number(t.categories),
      deniedCategories: existing?.deniedCategories ?? 0,
      actions: Number(t.actions),
      purposes: Number(t.purposes),
      revoked: false,
      validFrom: BigInt(t.validFrom),
      validUntil: BigInt(t.validUntil),
      dataFrom: BigInt(t.dataFrom),
      dataUntil: BigInt(t.dataUntil),
      byGuardian: lc(a.actor) !== patient,
      epoch: BigInt(a.epoch),
    };
    await context.db
      .insert(s.grant)
      .values({ patient, grantee, ...values })
      .onConflictDoUpdate(values);
    await patientWord(context, patient);
  },
  "RecordAccess:AccessRevoked": async ({ event, context }) => {
    const patient = lc(event.args.patient);
    const grantee = lc(event.args.grantee);
    const g = await context.db.find(s.grant, { patient, grantee });
    if (!g) return;
    // PatientDirectives._revoke marks only a live grant (_isLive: not expired-unset, not revoked, current epoch).
    const word = await patientWord(context, patient);
    const guardianRow = await context.db.find(s.guardian, { patient });
    const epochFor = g.byGuardian ? (guardianRow?.epoch ?? 0n) : word.epoch;
    if (g.validUntil !== 0n && !g.revoked && g.epoch === epochFor) {
      await context.db.update(s.grant, { patient, grantee }).set({ revoked: true });
    }
  },
  "RecordAccess:AllAccessRevoked": async ({ event, context }) => {
    const patient = lc(event.args.patient);
    await patientWord(context, patient);
    await context.db.update(s.patient, { patient }).set({ epoch: BigInt(event.args.newEpoch) });
    // PatientDirectives._revokeAll: a named guardian's epoch is bumped too.
    const g = await context.db.find(s.guardian, { patient });
    if (g && g.account !== ZERO) await context.db.update(s.guardian, { patient }).set({ epoch: g.epoch + 1n });
  },
  "RecordAccess:DenyRuleSet": async ({ event, context }) => {
    const a = event.args;
    const patient = lc(a.patient);
    const target = lc(a.target);
    const categories = Number(a.categories);
    if (Number(a.scope) === DENY_ACTOR) {
      await context.db
        .insert(s.grant)
        .values({ patient, grantee: target, ...EMPTY_GRANT, deniedCategories: categories })
        .onConflictDoUpdate({ deniedCategories: categories });
    } else {
      await patientWord(context, patient);
      await context.db.update(s.patient, { patient }).set({ deniedCategories: categories, denyExempt: target });
    }
    await context.db
      .insert(s.denyRule)
      .values({ ...where(event), patient, target, actor: lc(a.actor), scope: Number(a.scope), categories });
  },
  "RecordAccess:GuardianSet": async ({ event, context }) => {
    const a = event.args;
    const values = {
      account: lc(a.guardian),
      categories: Number(a.categories),
      powers: Number(a.powers),
      until: BigInt(a.until),
      epoch: BigInt(a.epoch),
    };
    await context.db
      .insert(s.guardian)
      .values({ patient: lc(a.patient), ...values })
      .onConflictDoUpdate(values);
  },
  "RecordAccess:EmergencyAccessDeclared": async ({ event, context }) => {
    const a = event.args;
    const patient = lc(a.patient);
    const provider = lc(a.provider);
    const until = BigInt(a.until);
    await context.db
      .insert(s.emergency)
      .values({ patient, provider, until, pendingReviews: 1n })
      .onConflictDoUpdate((row: { pendingReviews: bigint }) => ({ until, pendingReviews: row.pendingReviews + 1n }));
    await patientWord(context, patient);
    await context.db
      .update(s.patient, { patient })
      .set((row: { pendingEmergencies: bigint }) => ({ pendingEmergencies: row.pendingEmergencies + 1n }));
    await context.db.insert(s.emergencyEvent).values({
      ...where(event),
      patient,
      provider,
      kind: "declared",
      reasonCommitment: lc(a.reasonCommitment),
      until,
    });
  },
  "RecordAccess:EmergencyReviewed": async ({ event, context }) => {
    const a = event.args;
    const patient = lc(a.patient);
    const provider = lc(a.provider);
    const count = BigInt(a.count);
    await context.db.update(s.emergency, { patient, provider }).set({ pendingReviews: 0n });
    await context.db
      .update(s.patient, { patient })
      .set((row: { pendingEmergencies: bigint }) => ({ pendingEmergencies: row.pendingEmergencies - count }));
    await context.db
      .insert(s.emergencyEvent)
      .values({ ...where(event), patient, provider, kind: "reviewed", reviewer: lc(a.reviewer), count });
  },
  "RecordAccess:PrivacyOfficerDesignated": async ({ event, context }) => {
    const provider = lc(event.args.provider);
    const officer = lc(event.args.officer);
    if (officer === ZERO) await context.db.delete(s.privacyOfficer, { provider });
    else await context.db.insert(s.privacyOfficer).values({ provider, officer }).onConflictDoUpdate({ officer });
  },
  "RecordAccess:ResearchParticipantLinked": async ({ event, context }) => {
    const key = { patient: lc(event.args.patient), trialId: lc(event.args.trialId) };
    const participant = lc(event.args.participant);
    await context.db
      .insert(s.researchLink)
      .values({ ...key, participant })
      .onConflictDoUpdate({ participant });
  },
  "RecordAccess:DisclosureLogged": async ({ event, context }) => {
    const a = event.args;
    await context.db.insert(s.disclosure).values({
      ...where(event),
      patient: lc(a.patient),
      recordId: lc(a.recordId),
      discloser: lc(a.discloser),
      recipient: lc(a.recipient),
      purpose: Number(a.purpose),
      disclosedAt: BigInt(a.disclosedAt),
    });
  },
  "RecordAccess:EncryptionKeyRegistered": async ({ event, context }) => {
    const account = lc(event.args.account);
    const publicKey = lc(event.args.publicKey);
    await context.db.insert(s.encryptionKey).values({ account, publicKey }).onConflictDoUpdate({ publicKey });
  },
  "RecordAccess:EIP712DomainChanged": async ({ event, context }) => {
    await context.db.insert(s.domainChange).values({ ...where(event), contract: "RecordAccess" });
  },

  // ------------------------------------------------ ClinicalTrials
  "ClinicalTrials:TrialRegistered": async ({ event, context }) => {
    const a = event.args;
    const flags =
      (a.witnessRequired ? TRIAL_WITNESS_REQUIRED : 0) |
      (lc(a.registryRefHash) !== ZERO32 ? TRIAL_REF_COMMITTED : 0) |
      (lc(a.outcomeHash) !== ZERO32 ? TRIAL_OUTCOME_COMMITTED : 0);
    await context.db.insert(s.trial).values({
      trialId: lc(a.trialId),
      sponsor: lc(a.sponsor),
      irb: lc(a.irb),
      status: 1,
      flags,
      registryRefHash: lc(a.registryRefHash),
      protocolHash: lc(a.protocolHash),
      consentFormHash: lc(a.consentFormHash),
      outcomeHash: lc(a.outcomeHash),
      enrollmentCap: BigInt(a.enrollmentCap),
      witnessRequired: Boolean(a.witnessRequired),
      protocolVersion: 0,
      outcomeVersion: 0,
      minVersionAll: 0,
      minVersionNew: 0,
      lastAmendmentId: 0,
      enrolled: 0n,
      outcomeReport: 0,
      registeredAt: event.block.timestamp,
    });
    // Version 0 is the registered protocol (ClinicalTrials.registerTrial).
    await context.db.insert(s.amendment).values({
      trialId: lc(a.trialId),
      amendmentId: 0,
      protocolHash: lc(a.protocolHash),
      consentFormHash: lc(a.consentFormHash),
      outcomeHash: lc(a.outcomeHash),
      status: 0,
      policy: 0,
    });
  },
  "ClinicalTrials:TrialRegistrationCommitted": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const ref = lc(a.registryRefHash);
    const outcome = lc(a.outcomeHash);
    await context.db
      .update(s.trial, { trialId })
      .set((row: { flags: number; registryRefHash: Hex; outcomeHash: Hex }) => ({
        flags:
          row.flags | (ref !== ZERO32 ? TRIAL_REF_COMMITTED : 0) | (outcome !== ZERO32 ? TRIAL_OUTCOME_COMMITTED : 0),
        registryRefHash: ref !== ZERO32 ? ref : row.registryRefHash,
        outcomeHash: outcome !== ZERO32 ? outcome : row.outcomeHash,
      }));
    if (outcome !== ZERO32)
      await context.db.update(s.amendment, { trialId, amendmentId: 0 }).set({ outcomeHash: outcome });
  },
  "ClinicalTrials:TrialStatusChanged": async ({ event, context }) => {
    const trialId = lc(event.args.trialId);
    await context.db.update(s.trial, { trialId }).set({ status: Number(event.args.to) });
    await context.db
      .insert(s.trialStatusChange)
      .values({ ...where(event), trialId, from: Number(event.args.from), to: Number(event.args.to) });
  },
  "ClinicalTrials:TrialSiteSet": async ({ event, context }) => {
    const key = { trialId: lc(event.args.trialId), account: lc(event.args.site), kind: "site" };
    if (event.args.isSite) await context.db.insert(s.trialMember).values(key).onConflictDoNothing();
    else await context.db.delete(s.trialMember, key);
  },
  "ClinicalTrials:TrialResearcherSet": async ({ event, context }) => {
    const key = { trialId: lc(event.args.trialId), account: lc(event.args.researcher), kind: "researcher" };
    if (event.args.isResearcher) await context.db.insert(s.trialMember).values(key).onConflictDoNothing();
    else await context.db.delete(s.trialMember, key);
  },
  "ClinicalTrials:TrialInvestigatorSet": async ({ event, context }) => {
    const key = { trialId: lc(event.args.trialId), account: lc(event.args.investigator), kind: "investigator" };
    const site = lc(event.args.site);
    if (site === ZERO) await context.db.delete(s.trialMember, key);
    else
      await context.db
        .insert(s.trialMember)
        .values({ ...key, site })
        .onConflictDoUpdate({ site });
  },
  "ClinicalTrials:AmendmentProposed": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const amendmentId = Number(a.amendmentId);
    await context.db.insert(s.amendment).values({
      trialId,
      amendmentId,
      protocolHash: lc(a.protocolHash),
      consentFormHash: lc(a.consentFormHash),
      outcomeHash: lc(a.outcomeHash),
      status: 1,
      policy: Number(a.policy),
    });
    await context.db.update(s.trial, { trialId }).set({ lastAmendmentId: amendmentId });
    await context.db.insert(s.amendmentEvent).values({ ...where(event), trialId, amendmentId, kind: "proposed" });
  },
  "ClinicalTrials:AmendmentApproved": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const amendmentId = Number(a.amendmentId);
    const minVersionAll = Number(a.minVersionAll);
    const minVersionNew = Number(a.minVersionNew);
    await context.db
      .update(s.amendment, { trialId, amendmentId })
      .set({ status: 2, minVersionAll, minVersionNew, outcomeChanged: Boolean(a.outcomeChanged) });
    await context.db.update(s.trial, { trialId }).set((row: { flags: number; outcomeVersion: number }) => ({
      protocolVersion: amendmentId,
      minVersionAll,
      minVersionNew,
      outcomeVersion: a.outcomeChanged ? amendmentId : row.outcomeVersion,
      flags: a.outcomeChanged ? row.flags | TRIAL_OUTCOME_COMMITTED : row.flags,
    }));
    await context.db
      .insert(s.amendmentEvent)
      .values({ ...where(event), trialId, amendmentId, kind: "approved", minVersionAll, minVersionNew });
  },
  "ClinicalTrials:AmendmentRejected": async ({ event, context }) => {
    const trialId = lc(event.args.trialId);
    const amendmentId = Number(event.args.amendmentId);
    await context.db
      .update(s.amendment, { trialId, amendmentId })
      .set({ status: 3, reasonHash: lc(event.args.reasonHash) });
    await context.db.insert(s.amendmentEvent).values({ ...where(event), trialId, amendmentId, kind: "rejected" });
  },
  "ClinicalTrials:ResultsPosted": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    await context.db
      .update(s.trial, { trialId })
      .set({ outcomeReport: Number(a.report), resultsHash: lc(a.resultsHash) });
    await context.db.insert(s.result).values({
      ...where(event),
      trialId,
      resultsHash: lc(a.resultsHash),
      reportedOutcomeHash: lc(a.reportedOutcomeHash),
      report: Number(a.report),
      outcomeVersion: Number(a.outcomeVersion),
    });
  },
  "ClinicalTrials:ConsentSigned": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const participant = lc(a.participant);
    const p = await participationOf(context, trialId, participant);
    const scope = Number(a.scope);
    // ClinicalTrials._consent: a new consent needs its own attestations; only the enrolled bit is carried over.
    await context.db.update(s.participation, { trialId, participant }).set({
      consentVersion: Number(a.protocolVersion),
      scope,
      categories: Number(a.categories),
      flags: (p.flags & P_ENROLLED) | P_CONSENTED | (a.futureContact ? P_FUTURE_CONTACT : 0),
      useUntil: BigInt(a.useUntil),
      representative: lc(a.signer) === participant ? ZERO : lc(a.signer),
      diseaseCodeHash: scope & DS_SCOPE_BIT ? lc(a.diseaseCodeHash) : ZERO32,
    });
    await consentEvent(event, context, "consent", {
      signer: lc(a.signer),
      meaning: Number(a.meaning),
      protocolVersion: Number(a.protocolVersion),
      consentFormHash: lc(a.consentFormHash),
      scope,
      diseaseCodeHash: lc(a.diseaseCodeHash),
      useUntil: BigInt(a.useUntil),
      categories: Number(a.categories),
      futureContact: Boolean(a.futureContact),
    });
  },
  "ClinicalTrials:ConsentAttested": async ({ event, context }) => {
    const a = event.args;
    const key = { trialId: lc(a.trialId), participant: lc(a.participant) };
    const bit = Number(a.meaning) === INVESTIGATOR_ATTESTATION ? P_ATTESTED : P_WITNESSED;
    await context.db.update(s.participation, key).set((row: { flags: number }) => ({ flags: row.flags | bit }));
    await consentEvent(event, context, "attestation", {
      signer: lc(a.signer),
      meaning: Number(a.meaning),
      site: lc(a.site),
    });
  },
  "ClinicalTrials:ConsentWithdrawn": async ({ event, context }) => {
    const a = event.args;
    const key = { trialId: lc(a.trialId), participant: lc(a.participant) };
    const bit = Number(a.choice) === WITHDRAW_DATA ? P_WITHDRAWN_DATA : P_NO_FURTHER_COLLECTION;
    await participationOf(context, key.trialId, key.participant);
    await context.db.update(s.participation, key).set((row: { flags: number }) => ({ flags: row.flags | bit }));
    await consentEvent(event, context, "withdrawal", { by: lc(a.by), choice: Number(a.choice) });
  },
  "ClinicalTrials:ParticipantEnrolled": async ({ event, context }) => {
    const a = event.args;
    const key = { trialId: lc(a.trialId), participant: lc(a.participant) };
    await context.db.update(s.participation, key).set((row: { flags: number }) => ({ flags: row.flags | P_ENROLLED }));
    await context.db.update(s.trial, { trialId: key.trialId }).set({ enrolled: BigInt(a.enrolled) });
    await consentEvent(event, context, "enrollment", { site: lc(a.site), enrolled: BigInt(a.enrolled) });
  },
  "ClinicalTrials:RepresentativeAppointed": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const participant = lc(a.participant);
    const basisHash = lc(a.basisHash);
    const r = await representationOf(context, trialId, participant);
    await context.db.update(s.representation, { trialId, participant }).set({
      representative: lc(a.representative),
      endsAt: BigInt(a.endsAt),
      authorityId: BigInt(a.authorityId),
      irbConfirmed: basisHash !== ZERO32,
      // An IRB confirmation consumes the pending determination it confirms.
      pendingDetermination: basisHash !== ZERO32 ? ZERO32 : r.pendingDetermination,
    });
    await context.db.insert(s.representativeEvent).values({
      ...where(event),
      trialId,
      participant,
      kind: "appointed",
      representative: lc(a.representative),
      authorityId: BigInt(a.authorityId),
      endsAt: BigInt(a.endsAt),
      basisHash,
    });
  },
  "ClinicalTrials:RepresentativeDetermined": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const participant = lc(a.participant);
    await representationOf(context, trialId, participant);
    // TrialRepresentatives: pending = keccak256(abi.encode(representative, endsAt, basisHash)).
    const pending = keccak256(
      encodeAbiParameters(
        [{ type: "address" }, { type: "uint40" }, { type: "bytes32" }],
        [a.representative, Number(a.endsAt), a.basisHash],
      ),
    );
    await context.db.update(s.representation, { trialId, participant }).set({ pendingDetermination: pending });
    await context.db.insert(s.representativeEvent).values({
      ...where(event),
      trialId,
      participant,
      kind: "determined",
      representative: lc(a.representative),
      endsAt: BigInt(a.endsAt),
      basisHash: lc(a.basisHash),
      investigator: lc(a.investigator),
      site: lc(a.site),
    });
  },
  "ClinicalTrials:RepresentativeEnded": async ({ event, context }) => {
    const a = event.args;
    const trialId = lc(a.trialId);
    const participant = lc(a.participant);
    const representative = lc(a.representative);
    await representationOf(context, trialId, participant);
    // Representative zero: a pending determination dropped. Otherwise the authority ends (its id stays).
    if (representative === ZERO)
      await context.db.update(s.representation, { trialId, participant }).set({ pendingDetermination: ZERO32 });
    else
      await context.db
        .update(s.representation, { trialId, participant })
        .set({ representative: ZERO, irbConfirmed: false });
    await context.db.insert(s.representativeEvent).values({
      ...where(event),
      trialId,
      participant,
      kind: "ended",
      representative,
      authorityId: BigInt(a.authorityId),
      by: lc(a.by),
    });
  },
  "ClinicalTrials:EIP712DomainChanged": async ({ event, context }) => {
    await context.db.insert(s.domainChange).values({ ...where(event), contract: "ClinicalTrials" });
  },

  // ------------------------------------------------ every proxied contract (issue 11)
  "MemberRegistry:Upgraded": async ({ event, context }) => {
    await context.db.insert(s.upgrade).values({
      ...where(event),
      contract: "MemberRegistry",
      kind: "upgraded",
      implementation: lc(event.args.implementation),
    });
  },
  "MemberRegistry:Initialized": async ({ event, context }) => {
    await context.db.insert(s.upgrade).values({
      ...where(event),
      contract: "MemberRegistry",
      kind: "initialized",
      version: BigInt(event.args.version),
    });
  },
  "SupplyChain:Upgraded": async ({ event, context }) => {
    await context.db.insert(s.upgrade).values({
      ...where(event),
      contract: "SupplyChain",
      kind: "upgraded",
      implementation: lc(event.args.implementation),
    });
  },
  "SupplyChain:Initialized": async ({ event, context }) => {
    await context.db
      .insert(s.upgrade)
      .values({ ...where(event), contract: "SupplyChain", kind: "initialized", version: BigInt(event.args.version) });
  },
  "RecordAccess:Upgraded": async ({ event, context }) => {
    await context.db.insert(s.upgrade).values({
      ...where(event),
      contract: "RecordAccess",
      kind: "upgraded",
      implementation: lc(event.args.implementation),
    });
  },
  "RecordAccess:Initialized": async ({ event, context }) => {
    await context.db
      .insert(s.upgrade)
      .values({ ...where(event), contract: "RecordAccess", kind: "initialized", version: BigInt(event.args.version) });
  },
  "ClinicalTrials:Upgraded": async ({ event, context }) => {
    await context.db.insert(s.upgrade).values({
      ...where(event),
      contract: "ClinicalTrials",
      kind: "upgraded",
      implementation: lc(event.args.implementation),
    });
  },
  "ClinicalTrials:Initialized": async ({ event, context }) => {
    await context.db.insert(s.upgrade).values({
      ...where(event),
      contract: "ClinicalTrials",
      kind: "initialized",
      version: BigInt(event.args.version),
    });
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
for (const [name, handler] of Object.entries(handlers)) (ponder.on as any)(name, handler);
