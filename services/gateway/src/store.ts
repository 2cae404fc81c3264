/**
 * Where a custodian's gateway keeps its records: PGlite (embedded) by default, PostgreSQL when
 * DATABASE_URL is set — the same choice as services/responder.
 *
 * A row holds the record's current version: its envelope (AES-256-GCM ciphertext of the FHIR JSON),
 * the data key wrapped to the gateway's own encryption key (never the key in clear), the random
 * salt the on-chain record id was made with (recordIdOf(salt, localId)), and what the chain has
 * (category, record date, key epoch, content hash). Served requests' nonces and the gateway's own
 * account of what it disclosed (with whether it was an emergency) are kept too.
 */
import type { Database } from "../../lib/database";

// One opener for every service (PGlite, or PostgreSQL with DATABASE_URL): services/lib/database.ts.
export { openDatabase, type Database } from "../../lib/database";

const SCHEMA = `
create table if not exists gateway_records (
  patient text not null,
  record_id text not null,
  local_id text not null,
  salt text not null,
  category integer not null,
  record_date bigint not null,
  resource_type text not null,
  key_epoch bigint not null,
  content_hash text not null,
  envelope bytea not null,
  wrapped_key text not null,
  stored_at timestamptz not null default now(),
  primary key (patient, record_id)
);
create table if not exists gateway_nonces (
  requester text not null,
  nonce text not null,
  expiry bigint not null,
  primary key (requester, nonce)
);
create table if not exists gateway_disclosures (
  patient text not null,
  record_id text not null,
  recipient text not null,
  purpose integer not null,
  reason text not null,
  emergency boolean not null,
  transaction_hash text not null primary key,
  block_number bigint not null
);
`;

/** A stored record (its current version). */
export interface StoredRecord {
  patient: string;
  recordId: string;
  localId: string;
  salt: string;
  category: number;
  recordDate: number;
  resourceType: string;
  keyEpoch: number;
  contentHash: string;
  envelope: Uint8Array;
  /** The data key wrapped to the gateway's own encryption key (hex). */
  wrappedKey: string;
}

/** One disclosure the gateway made. */
export interface GatewayDisclosure {
  patient: string;
  recordId: string;
  recipient: string;
  purpose: number;
  reason: string;
  emergency: boolean;
  transactionHash: string;
  blockNumber: number;
}

interface Row {
  patient: string;
  record_id: string;
  local_id: string;
  salt: string;
  category: number;
  record_date: string | number;
  resource_type: string;
  key_epoch: string | number;
  content_hash: string;
  envelope: Uint8Array;
  wrapped_key: string;
}

function fromRow(r: Row): StoredRecord {
  return {
    patient: r.patient,
    recordId: r.record_id,
    localId: r.local_id,
    salt: r.salt,
    category: r.category,
    recordDate: Number(r.record_date),
    resourceType: r.resource_type,
    keyEpoch: Number(r.key_epoch),
    contentHash: r.content_hash,
    envelope: new Uint8Array(r.envelope),
    wrappedKey: r.wrapped_key,
  };
}

/** Addresses and ids are kept lower-case. */
const lc = (s: string) => s.toLowerCase();

export class RecordStore {
  constructor(readonly db: Database) {}

  async init(): Promise<void> {
    await this.db.exec(SCHEMA);
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>("select count(*)::int as n from gateway_records");
    return n;
  }

  async get(patient: string, recordId: string): Promise<StoredRecord | undefined> {
    const [row] = await this.db.query<Row>("select * from gateway_records where patient = $1 and record_id = $2", [
      lc(patient),
      lc(recordId),
    ]);
    return row ? fromRow(row) : undefined;
  }

  async hasLocalId(patient: string, localId: string): Promise<boolean> {
    const rows = await this.db.query("select 1 from gateway_records where patient = $1 and local_id = $2", [
      lc(patient),
      localId,
    ]);
    return rows.length > 0;
  }

  /** The patient's records, oldest record date first. */
  async ofPatient(patient: string): Promise<StoredRecord[]> {
    const rows = await this.db.query<Row>(
      "select * from gateway_records where patient = $1 order by record_date, record_id",
      [lc(patient)],
    );
    return rows.map(fromRow);
  }

  async insert(r: StoredRecord): Promise<void> {
    await this.db.query(
      `insert into gateway_records (patient, record_id, local_id, salt, category, record_date, resource_type,
         key_epoch, content_hash, envelope, wrapped_key) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        lc(r.patient),
        lc(r.recordId),
        r.localId,
        r.salt,
        r.category,
        r.recordDate,
        r.resourceType,
        r.keyEpoch,
        lc(r.contentHash),
        r.envelope,
        r.wrappedKey,
      ],
    );
  }

  async remove(patient: string, recordId: string): Promise<void> {
    await this.db.query("delete from gateway_records where patient = $1 and record_id = $2", [
      lc(patient),
      lc(recordId),
    ]);
  }

  /** Replaces a record's current version (after the chain accepted it). */
  async replaceVersion(
    patient: string,
    recordId: string,
    v: { resourceType: string; keyEpoch: number; contentHash: string; envelope: Uint8Array; wrappedKey: string },
  ): Promise<void> {
    await this.db.query(
      `update gateway_records set resource_type = $3, key_epoch = $4, content_hash = $5, envelope = $6,
         wrapped_key = $7, stored_at = now() where patient = $1 and record_id = $2`,
      [lc(patient), lc(recordId), v.resourceType, v.keyEpoch, lc(v.contentHash), v.envelope, v.wrappedKey],
    );
  }

  async nonceUsed(requester: string, nonce: string): Promise<boolean> {
    const rows = await this.db.query("select 1 from gateway_nonces where requester = $1 and nonce = $2", [
      lc(requester),
      lc(nonce),
    ]);
    return rows.length > 0;
  }

  /** Records a served request's nonce (and forgets those expired before `now`). */
  async useNonce(requester: string, nonce: string, expiry: number, now: number): Promise<void> {
    await this.db.query("insert into gateway_nonces (requester, nonce, expiry) values ($1, $2, $3)", [
      lc(requester),
      lc(nonce),
      expiry,
    ]);
    await this.db.query("delete from gateway_nonces where expiry < $1", [now - 3600]);
  }

  async logDisclosure(d: GatewayDisclosure): Promise<void> {
    await this.db.query(
      `insert into gateway_disclosures (patient, record_id, recipient, purpose, reason, emergency, transaction_hash,
         block_number) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        lc(d.patient),
        lc(d.recordId),
        lc(d.recipient),
        d.purpose,
        d.reason,
        d.emergency,
        d.transactionHash,
        d.blockNumber,
      ],
    );
  }

  async disclosures(patient: string): Promise<GatewayDisclosure[]> {
    const rows = await this.db.query<{
      patient: string;
      record_id: string;
      recipient: string;
      purpose: number;
      reason: string;
      emergency: boolean;
      transaction_hash: string;
      block_number: string | number;
    }>("select * from gateway_disclosures where patient = $1 order by block_number", [lc(patient)]);
    return rows.map((r) => ({
      patient: r.patient,
      recordId: r.record_id,
      recipient: r.recipient,
      purpose: r.purpose,
      reason: r.reason,
      emergency: r.emergency,
      transactionHash: r.transaction_hash,
      blockNumber: Number(r.block_number),
    }));
  }

  /** Rows per table: what a test compares to prove a refusal wrote nothing. */
  async snapshot(): Promise<string> {
    const parts: unknown[] = [];
    for (const t of ["gateway_records", "gateway_nonces", "gateway_disclosures"])
      parts.push(await this.db.query(`select * from ${t} order by 1, 2`));
    return JSON.stringify(parts, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
