/**
 * The indexer's HTTP API (Ponder serves it on its port, beside its own /health, /ready, /status
 * and /metrics):
 * - POST /graphql: GraphQL over every table (Ponder's);
 * - /sql/*: read-only SQL over HTTP (Ponder's client protocol, for `@ponder/client`);
 * - GET /carechain/health: the contracts indexed and the latest indexed block;
 * - GET /history/*: the histories the SDK reads (src/indexer.ts), in chain order.
 */
import { db, publicClients } from "ponder:api";
import schema from "ponder:schema";
import * as s from "ponder:schema";
import { Hono } from "hono";
import { and, asc, client, eq, graphql, replaceBigInts, sql } from "ponder";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

const hex = (value: string | undefined): `0x${string}` | undefined =>
  value !== undefined && /^0x[0-9a-fA-F]*$/.test(value) ? (value.toLowerCase() as `0x${string}`) : undefined;
const json = (rows: unknown) => replaceBigInts(rows, (v) => v.toString());

/**
 * Health: 200 while the indexer is within CARECHAIN_HEALTH_MAX_LAG blocks (default 10) of the
 * node's head, 503 otherwise; the body says both blocks. (Ponder's /health only says the process
 * is up; /ready says the backfill is done.)
 */
app.get("/carechain/health", async (c) => {
  const rows = (await db.execute(sql`SELECT latest_checkpoint FROM _ponder_checkpoint`)) as unknown as
    { rows: { latest_checkpoint: string }[] } | { latest_checkpoint: string }[];
  const list = Array.isArray(rows) ? rows : rows.rows;
  // Checkpoint layout (ponder utils/checkpoint.ts): timestamp 10 digits, chain id 16, block number 16, …
  const indexed = list.length > 0 ? Number(list[0]!.latest_checkpoint.slice(26, 42)) : -1;
  const head = Number(await publicClients.carechain.getBlockNumber());
  const maxLag = Number(process.env.CARECHAIN_HEALTH_MAX_LAG ?? "10");
  const healthy = indexed >= 0 && head - indexed <= maxLag;
  return c.json({ healthy, head, indexed, lag: head - indexed }, healthy ? 200 : 503);
});

/** A patient's accounting of disclosures. */
app.get("/history/disclosures/:patient", async (c) => {
  const patient = hex(c.req.param("patient"));
  if (!patient) return c.json({ error: "patient is not an address" }, 400);
  const rows = await db
    .select()
    .from(s.disclosure)
    .where(eq(s.disclosure.patient, patient))
    .orderBy(asc(s.disclosure.blockNumber), asc(s.disclosure.logIndex));
  return c.json(json(rows));
});

/** A lot's provenance: every event indexed by its id. */
app.get("/history/provenance/:lotId", async (c) => {
  const lotId = hex(c.req.param("lotId"));
  if (!lotId) return c.json({ error: "lotId is not a hash" }, 400);
  const rows = await db
    .select()
    .from(s.lotEvent)
    .where(eq(s.lotEvent.lotId, lotId))
    .orderBy(asc(s.lotEvent.blockNumber), asc(s.lotEvent.logIndex));
  return c.json(json(rows));
});

/** A participant's consent trail in a trial, with the trial's approved amendments. */
app.get("/history/consent/:trialId/:participant", async (c) => {
  const trialId = hex(c.req.param("trialId"));
  const participant = hex(c.req.param("participant"));
  if (!trialId || !participant) return c.json({ error: "bad trial id or participant" }, 400);
  const [events, amendments] = await Promise.all([
    db
      .select()
      .from(s.consentEvent)
      .where(and(eq(s.consentEvent.trialId, trialId), eq(s.consentEvent.participant, participant)))
      .orderBy(asc(s.consentEvent.blockNumber), asc(s.consentEvent.logIndex)),
    db
      .select()
      .from(s.amendmentEvent)
      .where(and(eq(s.amendmentEvent.trialId, trialId), eq(s.amendmentEvent.kind, "approved")))
      .orderBy(asc(s.amendmentEvent.blockNumber), asc(s.amendmentEvent.logIndex)),
  ]);
  return c.json(json({ events, amendments }));
});

/** Shipments sent to an address (optionally of one lot), each with whether its id is in transit now. */
app.get("/history/shipments-to/:to", async (c) => {
  const to = hex(c.req.param("to"));
  const lotId = c.req.query("lot") ? hex(c.req.query("lot")) : undefined;
  if (!to || (c.req.query("lot") && !lotId)) return c.json({ error: "bad address or lot" }, 400);
  const rows = await db
    .select({ sent: s.shipmentSent, status: s.shipment.status })
    .from(s.shipmentSent)
    .innerJoin(s.shipment, eq(s.shipment.shipmentId, s.shipmentSent.shipmentId))
    .where(lotId ? and(eq(s.shipmentSent.to, to), eq(s.shipmentSent.lotId, lotId)) : eq(s.shipmentSent.to, to))
    .orderBy(asc(s.shipmentSent.blockNumber), asc(s.shipmentSent.logIndex));
  return c.json(json(rows.map((r) => ({ ...r.sent, inTransit: r.status === "in_transit" }))));
});

export default app;
