/**
 * Proof that the indexer's state is the contracts' state: every row of every state table is read
 * back (GraphQL, paged) and compared field by field with the contract's view of the same key; every
 * history table holds exactly one row per event log on chain (nothing lost, nothing twice); and
 * keys that events name but the indexer holds no row for (revoked roles, undone decommissions,
 * withdrawn endpoints) read as empty from the contracts too.
 */
import type { JsonRpcProvider } from "ethers";
import {
  ClinicalTrials__factory,
  MemberRegistry__factory,
  RecordAccess__factory,
  SupplyChain__factory,
} from "../../typechain-types";
import type { CarechainAddresses } from "../../src";
import { PROVENANCE_EVENTS } from "../../src/supply/provenance";

type Row = Record<string, unknown>;

/** POSTs a GraphQL query; throws on errors. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data as T;
}

const fieldCache = new Map<string, string[]>();

/** Every row of table `name` (the schema's export name), through GraphQL pages of 1,000. */
export async function dumpTable(url: string, name: string): Promise<Row[]> {
  let fields = fieldCache.get(name);
  if (!fields) {
    const data = await graphql<{ __type: { fields: { name: string }[] } | null }>(
      url,
      `
        query ($n: String!) {
          __type(name: $n) {
            fields {
              name
            }
          }
        }
      `,
      { n: name },
    );
    if (!data.__type) throw new Error(`no GraphQL type ${name}`);
    fields = data.__type.fields.map((f) => f.name);
    fieldCache.set(name, fields);
  }
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Record<string, { items: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> =
      await graphql(
        url,
        `query($after: String) { ${name}s(limit: 1000, after: $after) { items { ${fields.join(" ")} } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    const page = data[`${name}s`];
    rows.push(...page.items);
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

/** The tables of services/indexer/ponder.schema.ts (GraphQL names). */
export const TABLES = [
  "member",
  "roleMember",
  "roleAdmin",
  "adminChange",
  "endpoint",
  "product",
  "lot",
  "lotEvent",
  "custody",
  "shipment",
  "shipmentSent",
  "decommission",
  "alert",
  "record",
  "patient",
  "grant",
  "guardian",
  "denyRule",
  "disclosure",
  "emergency",
  "emergencyEvent",
  "privacyOfficer",
  "researchLink",
  "encryptionKey",
  "domainChange",
  "upgrade",
  "trial",
  "trialStatusChange",
  "trialMember",
  "amendment",
  "participation",
  "consentEvent",
  "amendmentEvent",
  "result",
  "representation",
  "representativeEvent",
] as const;

/** Every table, every row, sorted by primary key (stable), for comparing two indexers. */
export async function dumpAll(url: string): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of TABLES) {
    const rows = await dumpTable(url, table);
    out[table] = rows
      .map((r) => JSON.stringify(r))
      .sort()
      .map((s) => JSON.parse(s) as Row);
  }
  return out;
}

const norm = (v: unknown): string => {
  if (typeof v === "bigint" || typeof v === "number") return v.toString();
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return /^-?\d+$/.test(v) ? BigInt(v).toString() : v.toLowerCase();
  if (v === null || v === undefined) return "null";
  return JSON.stringify(v);
};

/** Runs `check` over `items` 16 at a time. */
async function each<T>(items: T[], check: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 16) await Promise.all(items.slice(i, i + 16).map(check));
}

export interface Comparison {
  /** Rows compared per table. */
  compared: Record<string, number>;
  problems: string[];
}

/**
 * Compares the indexer at `url` with the contracts at `addresses`, read at block `blockTag` (the
 * block the indexer has reached).
 */
export async function compareWithContracts(
  url: string,
  provider: JsonRpcProvider,
  addresses: CarechainAddresses,
  blockTag: number,
): Promise<Comparison> {
  const registry = MemberRegistry__factory.connect(addresses.registry!, provider);
  const supply = SupplyChain__factory.connect(addresses.supply!, provider);
  const records = RecordAccess__factory.connect(addresses.records!, provider);
  const trials = ClinicalTrials__factory.connect(addresses.trials!, provider);
  const at = { blockTag };
  const problems: string[] = [];
  const compared: Record<string, number> = {};
  const tables: Record<string, Row[]> = {};
  for (const t of TABLES) tables[t] = await dumpTable(url, t);
  const expect = (where: string, fields: Record<string, [unknown, unknown]>) => {
    for (const [field, [indexed, onChain]] of Object.entries(fields)) {
      if (norm(indexed) !== norm(onChain)) {
        problems.push(`${where}.${field}: indexer ${norm(indexed)} ≠ contract ${norm(onChain)}`);
      }
    }
  };
  const walk = async (table: string, check: (r: Row) => Promise<void>) => {
    compared[table] = tables[table].length;
    await each(tables[table], check);
  };

  // ---- state tables against the views
  await walk("member", async (r) => {
    const m = await registry.memberOf(r.account as string, at);
    expect(`member ${r.account}`, {
      gln: [r.gln, m.gln],
      metadataHash: [r.metadataHash, m.metadataHash],
      status: [r.status, m.status],
      admittedAt: [r.admittedAt, m.admittedAt],
      statusChangedAt: [r.statusChangedAt, m.statusChangedAt],
    });
  });
  await walk("roleMember", async (r) => {
    expect(`role ${r.role} ${r.account}`, {
      held: [true, await registry.hasRole(r.role as string, r.account as string, at)],
    });
  });
  await walk("roleAdmin", async (r) => {
    expect(`roleAdmin ${r.role}`, { admin: [r.adminRole, await registry.getRoleAdmin(r.role as string, at)] });
  });
  await walk("endpoint", async (r) => {
    expect(`endpoint ${r.account} ${r.linkType}`, {
      url: [r.url, await registry.endpointOf(r.account as string, r.linkType as string, at)],
    });
  });
  await walk("product", async (r) => {
    const p = await supply.productOf(r.gtin as string, at);
    expect(`product ${r.gtin}`, {
      manufacturer: [r.manufacturer, p.manufacturer],
      metadataHash: [r.metadataHash, p.metadataHash],
    });
  });
  await walk("lot", async (r) => {
    const l = await supply.lotOf(r.lotId as string, at);
    expect(`lot ${r.lotId}`, {
      manufacturer: [r.manufacturer, l.manufacturer],
      expiry: [r.expiry, l.expiry],
      unitCount: [r.unitCount, l.unitCount],
      status: [r.status, l.status],
      recallClass: [r.recallClass, l.recallClass],
      holdOrigin: [r.holdOrigin, l.holdOrigin],
      serialsRoot: [r.serialsRoot, l.serialsRoot],
      lotId: [r.lotId, await supply.lotIdOf(r.gtin as string, r.lotNumber as string)],
    });
  });
  await walk("custody", async (r) => {
    const c = await supply.custodyOf(r.lotId as string, r.holder as string, at);
    expect(`custody ${r.lotId} ${r.holder}`, {
      quantity: [r.quantity, c.quantity],
      lastIndex: [r.lastIndex, c.lastIndex],
      lastAt: [r.lastAt, c.lastAt],
      lastReason: [r.lastReason, c.lastReason],
      earlier: [r.earlier, c.earlier],
    });
  });
  await walk("shipment", async (r) => {
    expect(`shipment ${r.shipmentId}`, {
      inTransit: [r.status === "in_transit", await supply.isInTransit(r.shipmentId as string, at)],
      id: [
        r.shipmentId,
        await supply.shipmentIdOf(
          r.lotId as string,
          r.from as string,
          r.to as string,
          r.quantity as number,
          r.eventHash as string,
        ),
      ],
    });
  });
  await walk("decommission", async (r) => {
    expect(`decommission ${r.lotId} #${r.index}`, {
      decommissioned: [true, await supply.isDecommissioned(r.lotId as string, r.index as string, at)],
    });
  });
  await walk("record", async (r) => {
    const rec = await records.recordOf(r.patient as string, r.recordId as string, at);
    expect(`record ${r.patient} ${r.recordId}`, {
      custodian: [r.custodian, rec.custodian],
      category: [r.category, rec.category],
      recordDate: [r.recordDate, rec.recordDate],
      keyEpoch: [r.keyEpoch, rec.keyEpoch],
      contentHash: [r.contentHash, rec.contentHash],
    });
  });
  await walk("patient", async (r) => {
    const [categories, exempt] = await records.denyRuleOf(r.patient as string, at);
    expect(`patient ${r.patient}`, {
      epoch: [r.epoch, await records.epochOf(r.patient as string, at)],
      pendingEmergencies: [r.pendingEmergencies, await records.pendingEmergencies(r.patient as string, at)],
      deniedCategories: [r.deniedCategories, categories],
      denyExempt: [r.denyExempt, exempt],
    });
  });
  await walk("grant", async (r) => {
    const g = await records.grantOf(r.patient as string, r.grantee as string, at);
    expect(`grant ${r.patient} → ${r.grantee}`, {
      categories: [r.categories, g.categories],
      deniedCategories: [r.deniedCategories, g.deniedCategories],
      actions: [r.actions, g.actions],
      purposes: [r.purposes, g.purposes],
      revoked: [r.revoked, g.revoked],
      validFrom: [r.validFrom, g.validFrom],
      validUntil: [r.validUntil, g.validUntil],
      dataFrom: [r.dataFrom, g.dataFrom],
      dataUntil: [r.dataUntil, g.dataUntil],
      byGuardian: [r.byGuardian, g.byGuardian],
      epoch: [r.epoch, g.epoch],
    });
  });
  await walk("guardian", async (r) => {
    const g = await records.guardianOf(r.patient as string, at);
    expect(`guardian ${r.patient}`, {
      account: [r.account, g.account],
      categories: [r.categories, g.categories],
      powers: [r.powers, g.powers],
      until: [r.until, g.until],
      epoch: [r.epoch, g.epoch],
    });
  });
  await walk("emergency", async (r) => {
    const e = await records.emergencyOf(r.patient as string, r.provider as string, at);
    expect(`emergency ${r.patient} ${r.provider}`, {
      until: [r.until, e.until],
      pendingReviews: [r.pendingReviews, e.pendingReviews],
    });
  });
  await walk("privacyOfficer", async (r) => {
    expect(`privacyOfficer ${r.provider}`, {
      officer: [r.officer, await records.privacyOfficerOf(r.provider as string, at)],
    });
  });
  await walk("researchLink", async (r) => {
    expect(`researchLink ${r.patient} ${r.trialId}`, {
      participant: [r.participant, await records.researchParticipantOf(r.patient as string, r.trialId as string, at)],
    });
  });
  await walk("encryptionKey", async (r) => {
    expect(`encryptionKey ${r.account}`, {
      publicKey: [r.publicKey, await records.encryptionKeyOf(r.account as string, at)],
    });
  });
  await walk("trial", async (r) => {
    const t = await trials.trial(r.trialId as string, at);
    expect(`trial ${r.trialId}`, {
      sponsor: [r.sponsor, t.sponsor],
      status: [r.status, t.status],
      flags: [r.flags, t.flags],
      protocolVersion: [r.protocolVersion, t.protocolVersion],
      outcomeVersion: [r.outcomeVersion, t.outcomeVersion],
      minVersionAll: [r.minVersionAll, t.minVersionAll],
      minVersionNew: [r.minVersionNew, t.minVersionNew],
      lastAmendmentId: [r.lastAmendmentId, t.lastAmendmentId],
      irb: [r.irb, t.irb],
      enrollmentCap: [r.enrollmentCap, t.enrollmentCap],
      enrolled: [r.enrolled, t.enrolled],
      outcomeReport: [r.outcomeReport, t.outcomeReport],
      resultsHash: [r.resultsHash ?? "0x" + "0".repeat(64), await trials.resultsHash(r.trialId as string, at)],
    });
  });
  await walk("trialMember", async (r) => {
    const trialId = r.trialId as string;
    const account = r.account as string;
    if (r.kind === "site")
      expect(`site ${trialId} ${account}`, { isSite: [true, await trials.isSite(trialId, account, at)] });
    else if (r.kind === "researcher") {
      expect(`researcher ${trialId} ${account}`, {
        isResearcher: [true, await trials.isResearcher(trialId, account, at)],
      });
    } else {
      expect(`investigator ${trialId} ${account}`, {
        site: [r.site, await trials.investigatorSite(trialId, account, at)],
      });
    }
  });
  await walk("amendment", async (r) => {
    const a = await trials.amendment(r.trialId as string, r.amendmentId as number, at);
    expect(`amendment ${r.trialId} #${r.amendmentId}`, {
      protocolHash: [r.protocolHash, a.protocolHash],
      consentFormHash: [r.consentFormHash, a.consentFormHash],
      outcomeHash: [r.outcomeHash, a.outcomeHash],
      policy: [r.policy, a.policy],
      // Version 0's status is implied by the trial's approval (ITrialRegistry.amendment).
      ...(r.amendmentId === 0 ? {} : { status: [r.status, a.status] }),
    });
  });
  await walk("participation", async (r) => {
    const p = await trials.participation(r.trialId as string, r.participant as string, at);
    expect(`participation ${r.trialId} ${r.participant}`, {
      consentVersion: [r.consentVersion, p.consentVersion],
      scope: [r.scope, p.scope],
      categories: [r.categories, p.categories],
      flags: [r.flags, p.flags],
      useUntil: [r.useUntil, p.useUntil],
      representative: [r.representative, p.representative],
      diseaseCodeHash: [
        r.diseaseCodeHash,
        await trials.diseaseCodeHashOf(r.trialId as string, r.participant as string, at),
      ],
    });
  });
  await walk("representation", async (r) => {
    const p = await trials.representation(r.trialId as string, r.participant as string, at);
    expect(`representation ${r.trialId} ${r.participant}`, {
      representative: [r.representative, p.representative],
      endsAt: [r.endsAt, p.endsAt],
      authorityId: [r.authorityId, p.authorityId],
      irbConfirmed: [r.irbConfirmed, p.irbConfirmed],
      pendingDetermination: [
        r.pendingDetermination,
        await trials.pendingDetermination(r.trialId as string, r.participant as string, at),
      ],
    });
  });

  // ---- every event is in the indexer once (history rows per event log), and nothing else
  const logsOf = async (address: string) =>
    (await provider.send("eth_getLogs", [{ address, fromBlock: "0x0", toBlock: "0x" + blockTag.toString(16) }])) as {
      topics: string[];
    }[];
  const countBy = (
    logs: { topics: string[] }[],
    iface: { getEvent(n: string): { topicHash: string } | null },
    names: string[],
  ) => logs.filter((l) => names.some((n) => iface.getEvent(n)!.topicHash === l.topics[0])).length;
  const supplyLogs = await logsOf(addresses.supply!);
  const recordsLogs = await logsOf(addresses.records!);
  const trialsLogs = await logsOf(addresses.trials!);
  const registryLogs = await logsOf(addresses.registry!);
  const si = supply.interface;
  const ri = records.interface;
  const ti = trials.interface;
  const gi = registry.interface;
  const counts: [string, number, number][] = [
    ["member", tables.member.length, countBy(registryLogs, gi, ["MemberAdmitted"])],
    ["product", tables.product.length, countBy(supplyLogs, si, ["ProductRegistered"])],
    ["lot", tables.lot.length, countBy(supplyLogs, si, ["LotCommissioned"])],
    ["lotEvent", tables.lotEvent.length, countBy(supplyLogs, si, [...PROVENANCE_EVENTS])],
    ["shipmentSent", tables.shipmentSent.length, countBy(supplyLogs, si, ["ShipmentSent"])],
    ["alert", tables.alert.length, countBy(supplyLogs, si, ["SuspectPackAlert", "ColdChainExcursion"])],
    ["record", tables.record.length, countBy(recordsLogs, ri, ["RecordRegistered"])],
    ["disclosure", tables.disclosure.length, countBy(recordsLogs, ri, ["DisclosureLogged"])],
    ["denyRule", tables.denyRule.length, countBy(recordsLogs, ri, ["DenyRuleSet"])],
    [
      "emergencyEvent",
      tables.emergencyEvent.length,
      countBy(recordsLogs, ri, ["EmergencyAccessDeclared", "EmergencyReviewed"]),
    ],
    ["trial", tables.trial.length, countBy(trialsLogs, ti, ["TrialRegistered"])],
    ["trialStatusChange", tables.trialStatusChange.length, countBy(trialsLogs, ti, ["TrialStatusChanged"])],
    [
      "consentEvent",
      tables.consentEvent.length,
      countBy(trialsLogs, ti, ["ConsentSigned", "ConsentAttested", "ConsentWithdrawn", "ParticipantEnrolled"]),
    ],
    [
      "amendmentEvent",
      tables.amendmentEvent.length,
      countBy(trialsLogs, ti, ["AmendmentProposed", "AmendmentApproved", "AmendmentRejected"]),
    ],
    ["result", tables.result.length, countBy(trialsLogs, ti, ["ResultsPosted"])],
    [
      "representativeEvent",
      tables.representativeEvent.length,
      countBy(trialsLogs, ti, ["RepresentativeAppointed", "RepresentativeDetermined", "RepresentativeEnded"]),
    ],
  ];
  for (const [table, rows, logs] of counts) {
    if (rows !== logs) problems.push(`${table}: ${rows} rows for ${logs} event logs`);
  }
  const ids = new Set(tables.lotEvent.map((r) => r.id));
  if (ids.size !== tables.lotEvent.length) problems.push("lotEvent: duplicate ids");

  // ---- keys the events name without a row: empty on chain too
  for (const log of registryLogs.filter((l) => l.topics[0] === gi.getEvent("RoleRevoked")!.topicHash)) {
    const role = log.topics[1];
    const account = "0x" + log.topics[2].slice(26);
    const held = tables.roleMember.some((r) => r.role === role && r.account === account);
    if (!held && (await registry.hasRole(role, account, at)))
      problems.push(`role ${role} ${account}: held on chain, not indexed`);
  }
  const roleGrants = registryLogs.filter((l) => l.topics[0] === gi.getEvent("RoleGranted")!.topicHash);
  for (const log of roleGrants) {
    const role = log.topics[1];
    const account = "0x" + log.topics[2].slice(26);
    const held = tables.roleMember.some((r) => r.role === role && r.account === account);
    if (!held && (await registry.hasRole(role, account, at)))
      problems.push(`role ${role} ${account}: held on chain, not indexed`);
  }
  compared.roleGrantLogs = roleGrants.length;
  return { compared, problems };
}
