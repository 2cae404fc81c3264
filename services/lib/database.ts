/**
 * The one database opener of Carechain's HTTP services (services/gateway, services/responder):
 * PGlite — embedded, in a folder or in memory — by default, PostgreSQL when a connection string is
 * given (DATABASE_URL). Both answer the same small SQL surface; a service keeps its own schema and
 * queries. Neither `pg` nor PGlite ships with the SDK: each service lists them in its package.json.
 */
import fs from "node:fs";

/** Options PGlite takes beside a query (a `/dev/blob` for COPY … FROM); PostgreSQL refuses them. */
export interface QueryOptions {
  blob?: Blob;
}

/** What runs SQL: the database, or a transaction on it. */
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
}

/** The SQL surface the services need, over PGlite or pg. */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  exec(text: string): Promise<void>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The part of pg's Pool used here (pg ships no types; @types/pg is not needed for this). */
interface PgClient {
  query(text: string, params?: unknown[]): Promise<{ rows: never[] }>;
}
interface PgPool extends PgClient {
  connect(): Promise<PgClient & { release(): void }>;
  end(): Promise<void>;
}

/** A package of the calling service's folder, with a clear error if it was not installed. */
function serviceRequire(service: string, name: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name);
  } catch (e) {
    throw new Error(
      `services/${service} needs its own packages (${name}): run \`npm ci\` at the root (${(e as Error).message.split("\n")[0]})`,
    );
  }
}

function pgOnly(options: QueryOptions | undefined): void {
  if (options?.blob) throw new Error("a /dev/blob COPY is PGlite's: on PostgreSQL, insert the rows");
}

/**
 * PostgreSQL at `databaseUrl` (a pool of 4), else PGlite in `dataDir` (created if missing;
 * undefined: in memory). `service` names the caller in the error when a package is missing.
 */
export async function openDatabase(
  options: { databaseUrl?: string; dataDir?: string },
  service = "gateway",
): Promise<Database> {
  if (options.databaseUrl) {
    const pg = serviceRequire(service, "pg") as {
      Pool: new (options: { connectionString: string; max: number }) => PgPool;
    };
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    await pool.query("select 1");
    return {
      kind: "postgres",
      query: async (text, params, qo) => {
        pgOnly(qo);
        return (await pool.query(text, params)).rows;
      },
      exec: async (text) => void (await pool.query(text)),
      transaction: async (work) => {
        const client = await pool.connect();
        try {
          await client.query("begin");
          const result = await work({
            query: async (text, params, qo) => {
              pgOnly(qo);
              return (await client.query(text, params)).rows;
            },
          });
          await client.query("commit");
          return result;
        } catch (e) {
          await client.query("rollback");
          throw e;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const { PGlite } = serviceRequire(service, "@electric-sql/pglite") as typeof import("@electric-sql/pglite");
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const db = new PGlite(options.dataDir);
  await db.waitReady;
  return {
    kind: "pglite",
    query: async (text, params, qo) => (await db.query(text, params, qo)).rows as never,
    exec: async (text) => void (await db.exec(text)),
    transaction: (work) =>
      db.transaction((tx) =>
        work({ query: async (text, params, qo) => (await tx.query(text, params, qo)).rows as never }),
      ),
    close: () => db.close(),
  };
}
