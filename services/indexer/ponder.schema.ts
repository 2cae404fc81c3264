/**
 * The indexer's tables. Two kinds:
 * - current state, keyed as the contracts key it (member by address, lot by id, custody by lot and
 *   holder, grant by patient and grantee, …): each row must equal the contract's view of that key
 *   (test/indexer proves it after the load workload);
 * - histories, one row per event (id = Ponder's event id, sortable in chain order), with block, log index and
 *   transaction: the lot status history and provenance, disclosures, consents, attestations,
 *   enrollments, withdrawals, results, emergencies and reviews, deny rules, alerts.
 * Addresses and hashes are lower-case hex; enum values are the contracts' numbers (src/enums.ts).
 */
import { index, onchainTable, primaryKey, type PgColumnsBuilders } from "ponder";

/** Columns every history row carries: where on chain it happened. */
const at = (t: PgColumnsBuilders) => ({
  id: t.text().primaryKey(),
  blockNumber: t.bigint().notNull(),
  logIndex: t.integer().notNull(),
  timestamp: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
});

// ---------------------------------------------------------------- MemberRegistry

export const member = onchainTable(
  "member",
  (t) => ({
    account: t.hex().primaryKey(),
    gln: t.bigint().notNull(),
    metadataHash: t.hex().notNull(),
    /** 1 Active, 2 Suspended (IMemberRegistry.MemberStatus). */
    status: t.integer().notNull(),
    admittedAt: t.bigint().notNull(),
    statusChangedAt: t.bigint().notNull(),
    suspensionReasonHash: t.hex(),
  }),
  (table) => ({ glnIdx: index().on(table.gln) }),
);

/** Roles currently held (RoleGranted adds, RoleRevoked removes). */
export const roleMember = onchainTable(
  "role_member",
  (t) => ({
    role: t.hex().notNull(),
    account: t.hex().notNull(),
    grantedBy: t.hex().notNull(),
    grantedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.role, table.account] }), accountIdx: index().on(table.account) }),
);

/** The admin role of each role that changed from the default. */
export const roleAdmin = onchainTable("role_admin", (t) => ({
  role: t.hex().primaryKey(),
  adminRole: t.hex().notNull(),
}));

/** Governance handover (AccessControlDefaultAdminRules): scheduled / cancelled transfers and delay changes. */
export const adminChange = onchainTable("admin_change", (t) => ({
  ...at(t),
  kind: t.text().notNull(),
  newAdmin: t.hex(),
  newDelay: t.bigint(),
  schedule: t.bigint(),
}));

/** A member's published service URL per GS1 link type (empty URL: withdrawn, row removed). */
export const endpoint = onchainTable(
  "endpoint",
  (t) => ({
    account: t.hex().notNull(),
    linkType: t.hex().notNull(),
    url: t.text().notNull(),
    setAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.linkType] }) }),
);

// ---------------------------------------------------------------- SupplyChain

export const product = onchainTable(
  "product",
  (t) => ({
    gtin: t.bigint().primaryKey(),
    manufacturer: t.hex().notNull(),
    metadataHash: t.hex().notNull(),
    registeredAt: t.bigint().notNull(),
  }),
  (table) => ({ manufacturerIdx: index().on(table.manufacturer) }),
);

export const lot = onchainTable(
  "lot",
  (t) => ({
    lotId: t.hex().primaryKey(),
    gtin: t.bigint().notNull(),
    lotNumber: t.text().notNull(),
    manufacturer: t.hex().notNull(),
    expiry: t.bigint().notNull(),
    unitCount: t.integer().notNull(),
    /** ISupplyChain.LotStatus. */
    status: t.integer().notNull(),
    recallClass: t.integer().notNull(),
    holdOrigin: t.integer().notNull(),
    serialsRoot: t.hex().notNull(),
    eventHash: t.hex().notNull(),
    commissionedAt: t.bigint().notNull(),
    decommissioned: t.integer().notNull(),
  }),
  (table) => ({ gtinIdx: index().on(table.gtin), manufacturerIdx: index().on(table.manufacturer) }),
);

/** Every event indexed by lot id, in chain order: a lot's provenance and its status history. */
export const lotEvent = onchainTable(
  "lot_event",
  (t) => ({
    ...at(t),
    lotId: t.hex().notNull(),
    event: t.text().notNull(),
    /** The event's other arguments, decoded (bigints as decimal strings). */
    args: t.json().notNull(),
    /** The lot's status after the event (LotStatus), for the status history. */
    statusAfter: t.integer().notNull(),
  }),
  (table) => ({ lotIdx: index().on(table.lotId, table.blockNumber, table.logIndex) }),
);

export const custody = onchainTable(
  "custody",
  (t) => ({
    lotId: t.hex().notNull(),
    holder: t.hex().notNull(),
    quantity: t.bigint().notNull(),
    lastIndex: t.bigint().notNull(),
    lastAt: t.bigint().notNull(),
    lastReason: t.integer().notNull(),
    /** The four earlier decommissions (index + 1 per 32-bit lane), as ISupplyChain.Custody.earlier. */
    earlier: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.lotId, table.holder] }), holderIdx: index().on(table.holder) }),
);

/** A shipment id (it commits to lot, from, to, quantity, event hash) and where it stands. */
export const shipment = onchainTable(
  "shipment",
  (t) => ({
    shipmentId: t.hex().primaryKey(),
    lotId: t.hex().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    quantity: t.integer().notNull(),
    eventHash: t.hex().notNull(),
    /** "in_transit" | "received" | "rejected" | "cancelled" */
    status: t.text().notNull(),
    sentBlock: t.bigint().notNull(),
    sentLogIndex: t.integer().notNull(),
    sentTransactionHash: t.hex().notNull(),
    closedBlock: t.bigint(),
    closeEventHash: t.hex(),
  }),
  (table) => ({
    toIdx: index().on(table.to, table.sentBlock),
    fromIdx: index().on(table.from),
    lotIdx: index().on(table.lotId),
  }),
);

/** Every ShipmentSent (a shipment id may be sent again after it closed): the shipment inbox. */
export const shipmentSent = onchainTable(
  "shipment_sent",
  (t) => ({
    ...at(t),
    shipmentId: t.hex().notNull(),
    lotId: t.hex().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    quantity: t.integer().notNull(),
    eventHash: t.hex().notNull(),
  }),
  (table) => ({ toIdx: index().on(table.to, table.blockNumber, table.logIndex) }),
);

/** Units currently decommissioned (an undo removes the row; the lot_event history keeps both). */
export const decommission = onchainTable(
  "decommission",
  (t) => ({
    lotId: t.hex().notNull(),
    index: t.bigint().notNull(),
    actor: t.hex().notNull(),
    reason: t.integer().notNull(),
    at: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.lotId, table.index] }) }),
);

/** Suspect-pack alerts and cold-chain excursions. */
export const alert = onchainTable(
  "alert",
  (t) => ({
    ...at(t),
    lotId: t.hex().notNull(),
    /** "suspect_pack" | "cold_chain" */
    kind: t.text().notNull(),
    reporter: t.hex().notNull(),
    /** UnitCheck answer of a suspect pack. */
    answer: t.integer(),
    unitIndex: t.bigint(),
    leaf: t.hex(),
    attestationHash: t.hex(),
  }),
  (table) => ({ lotIdx: index().on(table.lotId) }),
);

// ---------------------------------------------------------------- RecordAccess

export const record = onchainTable(
  "record",
  (t) => ({
    patient: t.hex().notNull(),
    recordId: t.hex().notNull(),
    custodian: t.hex().notNull(),
    category: t.integer().notNull(),
    recordDate: t.bigint().notNull(),
    keyEpoch: t.bigint().notNull(),
    contentHash: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.patient, table.recordId] }),
    custodianIdx: index().on(table.custodian),
  }),
);

/** The per-patient word: grant epoch, unreviewed emergencies, patient-wide deny rule. */
export const patient = onchainTable("patient", (t) => ({
  patient: t.hex().primaryKey(),
  epoch: t.bigint().notNull(),
  pendingEmergencies: t.bigint().notNull(),
  deniedCategories: t.integer().notNull(),
  denyExempt: t.hex().notNull(),
}));

/** The grant word of (patient, grantee), as IRecordAccess.Grant (deny mask against the grantee included). */
export const grant = onchainTable(
  "grant",
  (t) => ({
    patient: t.hex().notNull(),
    grantee: t.hex().notNull(),
    grantedBy: t.hex(),
    categories: t.integer().notNull(),
    deniedCategories: t.integer().notNull(),
    actions: t.integer().notNull(),
    purposes: t.integer().notNull(),
    revoked: t.boolean().notNull(),
    validFrom: t.bigint().notNull(),
    validUntil: t.bigint().notNull(),
    dataFrom: t.bigint().notNull(),
    dataUntil: t.bigint().notNull(),
    byGuardian: t.boolean().notNull(),
    epoch: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.patient, table.grantee] }), granteeIdx: index().on(table.grantee) }),
);

export const guardian = onchainTable("guardian", (t) => ({
  patient: t.hex().primaryKey(),
  account: t.hex().notNull(),
  categories: t.integer().notNull(),
  powers: t.integer().notNull(),
  until: t.bigint().notNull(),
  epoch: t.bigint().notNull(),
}));

/** Every deny rule set (scope 1: against one accessor; 2: all except `target`). */
export const denyRule = onchainTable(
  "deny_rule",
  (t) => ({
    ...at(t),
    patient: t.hex().notNull(),
    target: t.hex().notNull(),
    actor: t.hex().notNull(),
    scope: t.integer().notNull(),
    categories: t.integer().notNull(),
  }),
  (table) => ({ patientIdx: index().on(table.patient) }),
);

/** The accounting of disclosures (HIPAA §164.528). */
export const disclosure = onchainTable(
  "disclosure",
  (t) => ({
    ...at(t),
    patient: t.hex().notNull(),
    recordId: t.hex().notNull(),
    discloser: t.hex().notNull(),
    recipient: t.hex().notNull(),
    purpose: t.integer().notNull(),
    disclosedAt: t.bigint().notNull(),
  }),
  (table) => ({
    patientIdx: index().on(table.patient, table.blockNumber, table.logIndex),
    discloserIdx: index().on(table.discloser),
  }),
);

/** Break-glass state per (patient, provider). */
export const emergency = onchainTable(
  "emergency",
  (t) => ({
    patient: t.hex().notNull(),
    provider: t.hex().notNull(),
    until: t.bigint().notNull(),
    pendingReviews: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.patient, table.provider] }) }),
);

/** Every break-glass declaration and review. */
export const emergencyEvent = onchainTable(
  "emergency_event",
  (t) => ({
    ...at(t),
    patient: t.hex().notNull(),
    provider: t.hex().notNull(),
    /** "declared" | "reviewed" */
    kind: t.text().notNull(),
    reasonCommitment: t.hex(),
    until: t.bigint(),
    reviewer: t.hex(),
    count: t.bigint(),
  }),
  (table) => ({ patientIdx: index().on(table.patient) }),
);

export const privacyOfficer = onchainTable("privacy_officer", (t) => ({
  provider: t.hex().primaryKey(),
  officer: t.hex().notNull(),
}));

export const researchLink = onchainTable(
  "research_link",
  (t) => ({ patient: t.hex().notNull(), trialId: t.hex().notNull(), participant: t.hex().notNull() }),
  (table) => ({ pk: primaryKey({ columns: [table.patient, table.trialId] }) }),
);

export const encryptionKey = onchainTable("encryption_key", (t) => ({
  account: t.hex().primaryKey(),
  publicKey: t.hex().notNull(),
}));

/** EIP712DomainChanged of RecordAccess and ClinicalTrials (ERC-5267). */
export const domainChange = onchainTable("domain_change", (t) => ({ ...at(t), contract: t.text().notNull() }));

/**
 * Upgrades of a proxied contract (issue 11): ERC-1967 `Upgraded(implementation)` and OpenZeppelin's
 * `Initialized(version)` (1 at deployment, 2… when an upgrade re-initialises), one row per event.
 */
export const upgrade = onchainTable("contract_upgrade", (t) => ({
  ...at(t),
  contract: t.text().notNull(),
  /** "upgraded" or "initialized". */
  kind: t.text().notNull(),
  implementation: t.hex(),
  version: t.bigint(),
}));

// ---------------------------------------------------------------- ClinicalTrials

export const trial = onchainTable(
  "trial",
  (t) => ({
    trialId: t.hex().primaryKey(),
    sponsor: t.hex().notNull(),
    irb: t.hex().notNull(),
    /** ITrialRegistry.TrialStatus. */
    status: t.integer().notNull(),
    flags: t.integer().notNull(),
    registryRefHash: t.hex().notNull(),
    protocolHash: t.hex().notNull(),
    consentFormHash: t.hex().notNull(),
    outcomeHash: t.hex().notNull(),
    enrollmentCap: t.bigint().notNull(),
    witnessRequired: t.boolean().notNull(),
    protocolVersion: t.integer().notNull(),
    outcomeVersion: t.integer().notNull(),
    minVersionAll: t.integer().notNull(),
    minVersionNew: t.integer().notNull(),
    lastAmendmentId: t.integer().notNull(),
    enrolled: t.bigint().notNull(),
    outcomeReport: t.integer().notNull(),
    resultsHash: t.hex(),
    registeredAt: t.bigint().notNull(),
  }),
  (table) => ({ sponsorIdx: index().on(table.sponsor) }),
);

export const trialStatusChange = onchainTable(
  "trial_status_change",
  (t) => ({ ...at(t), trialId: t.hex().notNull(), from: t.integer().notNull(), to: t.integer().notNull() }),
  (table) => ({ trialIdx: index().on(table.trialId) }),
);

/** Sites, researchers and investigators of a trial (kind "site" | "researcher" | "investigator"). */
export const trialMember = onchainTable(
  "trial_member",
  (t) => ({ trialId: t.hex().notNull(), account: t.hex().notNull(), kind: t.text().notNull(), site: t.hex() }),
  (table) => ({ pk: primaryKey({ columns: [table.trialId, table.account, table.kind] }) }),
);

export const amendment = onchainTable(
  "amendment",
  (t) => ({
    trialId: t.hex().notNull(),
    amendmentId: t.integer().notNull(),
    protocolHash: t.hex().notNull(),
    consentFormHash: t.hex().notNull(),
    outcomeHash: t.hex().notNull(),
    /** ITrialRegistry.AmendmentStatus. */
    status: t.integer().notNull(),
    policy: t.integer().notNull(),
    minVersionAll: t.integer(),
    minVersionNew: t.integer(),
    outcomeChanged: t.boolean(),
    reasonHash: t.hex(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.trialId, table.amendmentId] }) }),
);

/** A participant's current consent state, as ITrialConsent.Participation (termsHash excepted). */
export const participation = onchainTable(
  "participation",
  (t) => ({
    trialId: t.hex().notNull(),
    participant: t.hex().notNull(),
    consentVersion: t.integer().notNull(),
    scope: t.integer().notNull(),
    categories: t.integer().notNull(),
    flags: t.integer().notNull(),
    useUntil: t.bigint().notNull(),
    representative: t.hex().notNull(),
    diseaseCodeHash: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.trialId, table.participant] }),
    participantIdx: index().on(table.participant),
  }),
);

/** The consent trail: signatures, attestations, withdrawals, enrollments (kind), in chain order. */
export const consentEvent = onchainTable(
  "consent_event",
  (t) => ({
    ...at(t),
    trialId: t.hex().notNull(),
    participant: t.hex().notNull(),
    /** "consent" | "attestation" | "withdrawal" | "enrollment" */
    kind: t.text().notNull(),
    signer: t.hex(),
    meaning: t.integer(),
    protocolVersion: t.integer(),
    consentFormHash: t.hex(),
    scope: t.integer(),
    diseaseCodeHash: t.hex(),
    useUntil: t.bigint(),
    categories: t.integer(),
    futureContact: t.boolean(),
    site: t.hex(),
    by: t.hex(),
    choice: t.integer(),
    enrolled: t.bigint(),
  }),
  (table) => ({
    trailIdx: index().on(table.trialId, table.participant, table.blockNumber, table.logIndex),
    kindIdx: index().on(table.kind),
  }),
);

/** Approved, proposed and rejected amendments as events (the consent trail shows approvals). */
export const amendmentEvent = onchainTable(
  "amendment_event",
  (t) => ({
    ...at(t),
    trialId: t.hex().notNull(),
    amendmentId: t.integer().notNull(),
    kind: t.text().notNull(),
    minVersionAll: t.integer(),
    minVersionNew: t.integer(),
  }),
  (table) => ({ trialIdx: index().on(table.trialId, table.blockNumber, table.logIndex) }),
);

export const result = onchainTable(
  "result",
  (t) => ({
    ...at(t),
    trialId: t.hex().notNull(),
    resultsHash: t.hex().notNull(),
    reportedOutcomeHash: t.hex().notNull(),
    report: t.integer().notNull(),
    outcomeVersion: t.integer().notNull(),
  }),
  (table) => ({ trialIdx: index().on(table.trialId) }),
);

/** Legally authorised representatives: the authority in force per (trial, participant). */
export const representation = onchainTable(
  "representation",
  (t) => ({
    trialId: t.hex().notNull(),
    participant: t.hex().notNull(),
    representative: t.hex().notNull(),
    endsAt: t.bigint().notNull(),
    authorityId: t.bigint().notNull(),
    irbConfirmed: t.boolean().notNull(),
    pendingDetermination: t.hex().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.trialId, table.participant] }) }),
);

export const representativeEvent = onchainTable(
  "representative_event",
  (t) => ({
    ...at(t),
    trialId: t.hex().notNull(),
    participant: t.hex().notNull(),
    /** "appointed" | "determined" | "ended" */
    kind: t.text().notNull(),
    representative: t.hex().notNull(),
    authorityId: t.bigint(),
    endsAt: t.bigint(),
    basisHash: t.hex(),
    investigator: t.hex(),
    site: t.hex(),
    by: t.hex(),
  }),
  (table) => ({ participantIdx: index().on(table.trialId, table.participant) }),
);
