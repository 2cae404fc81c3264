/**
 * Where a responder keeps its lots' trees: the database is the store of record (PGlite, embedded, by
 * default; PostgreSQL when DATABASE_URL is set), a local binary tree file per lot is what requests
 * are answered from (a few positioned reads per proof, see src/supply/treeFile.ts).
 *
 * Why not answer from SQL: measured here, PGlite takes ~3-6 ms per proof query and ~0.5 s per MB of
 * bytea written through parameters, and a 1M-unit tree is ~97 MB; a tree file answers in tens of µs
 * from the OS page cache and costs the process no memory. The database keeps each lot's tree file in
 * 1 MiB pages (binary COPY on PGlite), so a new or wiped instance (or a second one on the same
 * PostgreSQL) rebuilds its files from the database without the manufacturer's serial file; each file
 * is checked against the lot's root when opened, and every proof against the root when served.
 */
import fs from "node:fs";
import path from "node:path";
import { GS1Error } from "../../../src/gs1/checkDigit";
import { lotIdOf } from "../../../src/supply/ids";
import { SerialTree } from "../../../src/supply/serials";
import { TREE_FILE_MAGIC, TreeFile, readTreeFileHeader, writeTreeFile } from "../../../src/supply/treeFile";
import { loadSerialTree } from "../../../src/node/serialTreeFile";
import { openDatabase as openSharedDatabase, type Database as SharedDatabase } from "../../lib/database";

const PAGE = 1 << 20;

/** The shared database (services/lib/database.ts) and the one write the responder does its own way. */
export interface Database extends SharedDatabase {
  /** Inserts the lot's row and its file's pages in one transaction. */
  insertLot(lot: StoredLot, fileBytes: number, pages: Buffer[]): Promise<void>;
}

/** PGlite in `dataDir` (undefined: in memory), or PostgreSQL at `databaseUrl` (services/lib/database.ts). */
export async function openDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  const db = await openSharedDatabase(options, "responder");
  return {
    kind: db.kind,
    query: db.query,
    exec: db.exec,
    transaction: db.transaction,
    close: db.close,
    insertLot: (lot, fileBytes, pages) =>
      db.transaction(async (tx) => {
        await tx.query(INSERT_LOT, lotRow(lot, fileBytes));
        if (db.kind === "postgres") {
          for (let p = 0; p < pages.length; p++)
            await tx.query("insert into responder_tree_pages (lot_id, page, bytes) values ($1, $2, $3)", [
              lot.lotId,
              p,
              pages[p],
            ]);
          return;
        }
        // PGlite: binary COPY, one pass, no hex encoding of the bytes (parameters cost ~10x more here).
        await tx.query("copy responder_tree_pages (lot_id, page, bytes) from '/dev/blob' with (format binary)", [], {
          // A view of the Buffer's own memory (no copy), typed as the DOM's BlobPart wants it.
          blob: new Blob([copyView(binaryCopy(lot.lotId, pages))]),
        });
      }),
  };
}

function copyView(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);
}

/** PostgreSQL's binary COPY format of (lot_id text, page int4, bytes bytea) rows. */
function binaryCopy(lotId: string, pages: Buffer[]): Buffer {
  const lot = Buffer.from(lotId, "utf8");
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  pages.forEach((bytes, p) => {
    const h = Buffer.alloc(2 + 4 + lot.length + 4 + 4 + 4);
    let o = h.writeInt16BE(3, 0);
    o = h.writeInt32BE(lot.length, o);
    o += lot.copy(h, o);
    o = h.writeInt32BE(4, o);
    o = h.writeInt32BE(p, o);
    h.writeInt32BE(bytes.length, o);
    parts.push(h, bytes);
  });
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

/** A lot the responder holds. */
export interface StoredLot {
  lotId: string;
  gtin: string;
  lotNumber: string;
  expiry: string;
  root: string;
  units: number;
}

const INSERT_LOT =
  "insert into responder_lots (lot_id, gtin, lot_number, expiry, root, units, file_bytes) values ($1, $2, $3, $4, $5, $6, $7)";

function lotRow(lot: StoredLot, fileBytes: number): unknown[] {
  return [lot.lotId, lot.gtin, lot.lotNumber, lot.expiry, lot.root, lot.units, fileBytes];
}

const SCHEMA = `
create table if not exists responder_lots (
  lot_id text primary key,
  gtin text not null,
  lot_number text not null,
  expiry text not null,
  root text not null,
  units integer not null,
  file_bytes bigint not null,
  imported_at timestamptz not null default now()
);
create table if not exists responder_tree_pages (
  lot_id text not null references responder_lots (lot_id) on delete cascade,
  page integer not null,
  bytes bytea not null,
  primary key (lot_id, page)
);
alter table responder_tree_pages alter column bytes set storage external;
`;

export class TreeStore {
  private readonly open = new Map<string, { lot: StoredLot; file: TreeFile }>();

  constructor(
    readonly db: Database,
    /** Where the tree files live (one `<lotId>.tree` per lot). */
    readonly cacheDir: string,
  ) {}

  /** Creates the tables and opens (rebuilding from the database if needed) every stored lot's file. */
  async init(): Promise<void> {
    fs.mkdirSync(this.cacheDir, { recursive: true });
    await this.db.exec(SCHEMA);
    const rows = await this.db.query<{
      lot_id: string;
      gtin: string;
      lot_number: string;
      expiry: string;
      root: string;
      units: number;
      file_bytes: string;
    }>("select lot_id, gtin, lot_number, expiry, root, units, file_bytes from responder_lots");
    for (const r of rows) {
      const lot = {
        lotId: r.lot_id,
        gtin: r.gtin,
        lotNumber: r.lot_number,
        expiry: r.expiry,
        root: r.root,
        units: r.units,
      };
      await this.openLot(lot, Number(r.file_bytes));
    }
  }

  private filePath(lotId: string): string {
    return path.join(this.cacheDir, `${lotId}.tree`);
  }

  private async openLot(lot: StoredLot, fileBytes: number): Promise<void> {
    const file = this.filePath(lot.lotId);
    let tree: TreeFile | undefined;
    if (fs.existsSync(file) && fs.statSync(file).size === fileBytes) {
      try {
        tree = TreeFile.open(file, lot.root);
      } catch {
        tree = undefined;
      }
    }
    if (!tree) {
      await this.materialise(lot.lotId, file);
      tree = TreeFile.open(file, lot.root);
    }
    this.open.get(lot.lotId)?.file.close();
    this.open.set(lot.lotId, { lot, file: tree });
  }

  /** Writes a lot's tree file from its pages in the database. */
  private async materialise(lotId: string, file: string): Promise<void> {
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      const [{ pages }] = await this.db.query<{ pages: number }>(
        "select count(*)::int as pages from responder_tree_pages where lot_id = $1",
        [lotId],
      );
      for (let p = 0; p < pages; p++) {
        const [row] = await this.db.query<{ bytes: Uint8Array }>(
          "select bytes from responder_tree_pages where lot_id = $1 and page = $2",
          [lotId, p],
        );
        if (!row) throw new GS1Error(`lot ${lotId}: page ${p} is missing from the database`);
        fs.writeSync(fd, row.bytes, 0, row.bytes.length, p * PAGE);
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  /**
   * Imports a lot's tree: the file supply:commission writes (carechain-serials-v1 JSON + its .nodes
   * cache; rebuilt if the cache is missing) or a carechain-tree-v1 file. The same lot again with the
   * same root is a no-op; with another root it is refused.
   */
  async importFile(source: string): Promise<{ lot: StoredLot; imported: boolean }> {
    const head = Buffer.alloc(8);
    const fd = fs.openSync(source, "r");
    fs.readSync(fd, head, 0, 8, 0);
    fs.closeSync(fd);
    let staged = `${this.filePath("staging")}.${process.pid}.${Date.now()}`;
    if (head.toString("latin1") === TREE_FILE_MAGIC) {
      TreeFile.open(source).close(); // checks the file
      fs.copyFileSync(source, staged);
    } else {
      writeTreeFile(loadSerialTree(source), staged);
    }
    try {
      const header = readTreeFileHeader(staged);
      const lot: StoredLot = {
        lotId: lotIdOf(header.gtin, header.lotNumber),
        gtin: header.gtin,
        lotNumber: header.lotNumber,
        expiry: header.expiry,
        root: header.root,
        units: header.units,
      };
      const existing = this.open.get(lot.lotId);
      if (existing) {
        if (existing.lot.root.toLowerCase() !== lot.root.toLowerCase())
          throw new GS1Error(`lot ${lot.lotNumber} is already held with root ${existing.lot.root}, not ${lot.root}`);
        return { lot: existing.lot, imported: false };
      }
      const bytes = fs.readFileSync(staged);
      const pages: Buffer[] = [];
      for (let o = 0; o < bytes.length; o += PAGE) pages.push(bytes.subarray(o, o + PAGE));
      await this.db.insertLot(lot, bytes.length, pages);
      fs.renameSync(staged, this.filePath(lot.lotId));
      staged = "";
      await this.openLot(lot, bytes.length);
      return { lot, imported: true };
    } finally {
      if (staged && fs.existsSync(staged)) fs.unlinkSync(staged);
    }
  }

  /** The lot `lotId` and its tree file, or undefined. */
  get(lotId: string): { lot: StoredLot; file: TreeFile } | undefined {
    return this.open.get(lotId.toLowerCase());
  }

  lots(): StoredLot[] {
    return [...this.open.values()].map((v) => v.lot);
  }

  async close(): Promise<void> {
    for (const { file } of this.open.values()) file.close();
    this.open.clear();
    await this.db.close();
  }
}
