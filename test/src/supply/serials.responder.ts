/**
 * The verification responder (services/responder) in-process on a free loopback port, over the
 * Hardhat chain: a pharmacy verifies and dispenses with only the responder's URL; strangers,
 * non-trading members, suspended members, replayed, expired, unsigned and tampered requests are
 * refused; ERC-1271 wallets work; a shipment's proof bundle verifies offline; PGlite is the default
 * store and rebuilds the tree files from the database. A PostgreSQL run needs DATABASE_URL.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { stockedFixture, GTIN, LOT } from "../../supply/fixture";
import { admit } from "../../helpers/fixtures";
import { gs1DateOfExpiry, formatBracketed, formatRaw, type PackIdentity } from "../../../src/gs1/elementString";
import {
  HttpProofSource,
  ResponderRequestError,
  SupplyClient,
  UnitCheck,
  bundleProofSource,
  gtinToString,
  RESPONDER_HEADERS,
  sessionRequestHeaders,
  signResponderRequest,
  verificationPath,
  verifyProofBundle,
  type ProofBundle,
  type VerificationAnswer,
} from "../../../src/supply";
import { startResponder, type Responder } from "../../../services/responder/src/server";
import { TreeStore, openDatabase } from "../../../services/responder/src/store";
import type { ERC1271WalletMock } from "../../../typechain-types";
import { saveSerialTree } from "../../../src/node/serialTreeFile";

type F = Awaited<ReturnType<typeof stockedFixture>>;

/** A JSON answer's fields. */
const jsonOf = (r: Response) => r.json() as Promise<Record<string, unknown>>;

describe("verification responder (services/responder)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "responder-test-"));
  let f: F;
  let store: TreeStore;
  let responder: Responder;
  let treeFile: string;

  const packOf = (serial: string): PackIdentity => ({
    gtin: gtinToString(GTIN),
    serial,
    lot: LOT,
    expiry: gs1DateOfExpiry(f.expiry),
  });
  const source = (signer: F["pharmacy"], options: Partial<ConstructorParameters<typeof HttpProofSource>[2]> = {}) =>
    HttpProofSource.connect(responder.url, signer, f.supply.target as string, options);
  async function refusal(p: Promise<unknown>): Promise<ResponderRequestError> {
    try {
      await p;
    } catch (e) {
      expect(e).to.be.instanceOf(ResponderRequestError);
      return e as ResponderRequestError;
    }
    throw new Error("the responder answered a request it should have refused");
  }
  /** Signed headers for a raw fetch (to replay or tamper with them). */
  async function signed(signer: F["pharmacy"], method: string, pathAndQuery: string, body = "", ttl = 60) {
    return signResponderRequest(signer, {
      chainId: (await ethers.provider.getNetwork()).chainId,
      supplyChain: f.supply.target as string,
      method,
      pathAndQuery,
      body,
      now: await time.latest(),
      ttl,
    });
  }

  before(async function () {
    f = await loadFixture(stockedFixture);
    treeFile = path.join(tmp, "lot.serials.json");
    saveSerialTree(f.tree, treeFile); // what supply:commission writes
    const db = await openDatabase({ dataDir: path.join(tmp, "pglite") });
    store = new TreeStore(db, path.join(tmp, "trees"));
    await store.init();
    const { imported } = await store.importFile(treeFile);
    expect(imported).to.equal(true);
    responder = await startResponder({
      store,
      provider: ethers.provider,
      supplyChain: f.supply.target as string,
      port: 0,
    });
  });

  after(async function () {
    await responder?.close();
    await store?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(async function () {
    f = await loadFixture(stockedFixture);
  });

  it("reports its health unsigned, on PGlite by default", async function () {
    const health = await jsonOf(await fetch(`${responder.url}/health`));
    expect(health).to.include({ status: "ok", lots: 1, database: "pglite", supplyChain: f.supply.target });
  });

  it("lets a pharmacy verify and dispense with only the responder's URL", async function () {
    const pharmacy = await source(f.pharmacy);
    const serial = f.tree.serials[42];
    const answer = await pharmacy.verify(packOf(serial));
    expect(answer.found).to.equal(true);
    expect(answer.unit).to.include({ index: 42, serial, lotNumber: LOT });
    expect(answer.proof).to.deep.equal(f.tree.proof(42));
    expect(answer.lot).to.include({ status: "Active", root: f.tree.root, onChainRoot: f.tree.root, lotId: f.lotId });
    expect(answer.verdict).to.include({ answer: UnitCheck.Genuine, answerName: "Genuine", holder: f.pharmacy.address });

    const client = new SupplyClient(f.supply.target as string, f.pharmacy);
    const scan = formatRaw(packOf(serial));
    const verified = await client.verifyPack(scan, await pharmacy.sourceFor(scan), f.pharmacy.address);
    expect(verified.answer).to.equal(UnitCheck.Genuine);
    const dispensed = await client.dispense(scan, await pharmacy.sourceFor(scan));
    expect(dispensed.answer).to.equal(UnitCheck.Genuine);
    // The responder's verdict follows the chain: the pack is now decommissioned — by this pharmacy,
    // so its own second scan is answered as such (no alert), and anyone else sees a decommissioned pack.
    expect((await pharmacy.scan(scan)).verdict.answerName).to.equal("AlreadyDecommissionedByYou");
    expect((await client.dispense(scan, await pharmacy.sourceFor(scan))).answer).to.equal(
      UnitCheck.AlreadyDecommissionedByYou,
    );
    expect((await (await source(f.wholesaler)).scan(scan)).verdict.answerName).to.equal("AlreadyDecommissioned");
  });

  it("answers a raw scan POST in any form, and an unknown serial with the chain's UnknownSerial", async function () {
    const pharmacy = await source(f.pharmacy);
    const bracketed = await pharmacy.scan(formatBracketed(packOf(f.tree.serials[7])));
    expect(bracketed.unit.index).to.equal(7);
    expect(bracketed.verdict.answerName).to.equal("Genuine");
    const unknown = await pharmacy.scan(formatBracketed(packOf("FAKE0001")));
    expect(unknown).to.deep.include({ found: false, proof: [] });
    expect(unknown.verdict.answerName).to.equal("UnknownSerial");
    const client = new SupplyClient(f.supply.target as string, f.pharmacy);
    const scan = formatBracketed(packOf("FAKE0001"));
    expect((await client.verifyPack(scan, await pharmacy.sourceFor(scan))).answer).to.equal(UnitCheck.UnknownSerial);
    const otherLot = await refusal(pharmacy.verify({ ...packOf("X1"), lot: "NOPE" }));
    expect([otherLot.status, otherLot.code]).to.deep.equal([404, "unknown_lot"]);
  });

  it("refuses a stranger and a member without a trading role (403)", async function () {
    for (const who of [f.outsider, f.hospital]) {
      const e = await refusal((await source(who)).verify(packOf(f.tree.serials[1])));
      expect([e.status, e.code]).to.deep.equal([403, "not_a_trading_member"]);
      expect(e.message).to.include(who.address);
    }
    for (const who of [f.wholesaler, f.regulator, f.manufacturer]) {
      expect((await (await source(who)).verify(packOf(f.tree.serials[1]))).found).to.equal(true);
    }
  });

  it("refuses a suspended member from the next block on", async function () {
    const pharmacy = await source(f.pharmacy);
    expect((await pharmacy.verify(packOf(f.tree.serials[3]))).found).to.equal(true);
    await f.registry.connect(f.registrar).suspendMember(f.pharmacy.address, ethers.id("audit"));
    const e = await refusal(pharmacy.verify(packOf(f.tree.serials[3])));
    expect([e.status, e.code]).to.deep.equal([403, "not_a_trading_member"]);
  });

  it("refuses a replayed request, an expired one, one living too long, an unsigned and a tampered one (401)", async function () {
    const p = verificationPath(packOf(f.tree.serials[5]));
    const headers = await signed(f.pharmacy, "GET", p);
    const first = await fetch(responder.url + p, { headers });
    expect(first.status).to.equal(200);
    const replay = await fetch(responder.url + p, { headers });
    expect([replay.status, (await jsonOf(replay)).code]).to.deep.equal([401, "replayed"]);

    const stale = await signed(f.pharmacy, "GET", p, "", 60);
    await time.increase(61);
    const expired = await fetch(responder.url + p, { headers: stale });
    expect([expired.status, (await jsonOf(expired)).code]).to.deep.equal([401, "expired"]);

    const long = await signed(f.pharmacy, "GET", p);
    long[RESPONDER_HEADERS.expiry] = String((await time.latest()) + 3600);
    const tooFar = await fetch(responder.url + p, { headers: long });
    expect([tooFar.status, (await jsonOf(tooFar)).code]).to.deep.equal([401, "expiry_too_far"]);

    const unsigned = await fetch(responder.url + p);
    expect([unsigned.status, (await jsonOf(unsigned)).code]).to.deep.equal([401, "unsigned"]);

    // A signature for serial 5 does not open serial 6; nor does it speak for another member.
    const forFive = await signed(f.pharmacy, "GET", p);
    const other = verificationPath(packOf(f.tree.serials[6]));
    const tampered = await fetch(responder.url + other, { headers: forFive });
    expect([tampered.status, (await jsonOf(tampered)).code]).to.deep.equal([401, "bad_signature"]);
    const impostor = await signed(f.outsider, "GET", p);
    impostor[RESPONDER_HEADERS.requester] = f.pharmacy.address;
    const spoofed = await fetch(responder.url + p, { headers: impostor });
    expect([spoofed.status, (await jsonOf(spoofed)).code]).to.deep.equal([401, "bad_signature"]);
  });

  it("accepts an ERC-1271 wallet member's request, and refuses it when the wallet says no", async function () {
    const owner = f.others[0];
    const wallet = (await (
      await ethers.getContractFactory("ERC1271WalletMock")
    ).deploy(owner.address)) as unknown as ERC1271WalletMock;
    await admit(f.registry, f.registrar, await wallet.getAddress(), 90, ["DISPENSER"]);
    const viaWallet = await source(owner, { requester: await wallet.getAddress() });
    const answer = await viaWallet.verify(packOf(f.tree.serials[9]));
    expect(answer.found).to.equal(true);
    expect(answer.verdict.holder).to.equal(await wallet.getAddress());
    await wallet.setAccepting(false);
    const e = await refusal(viaWallet.verify(packOf(f.tree.serials[9])));
    expect([e.status, e.code]).to.deep.equal([401, "bad_signature"]);
  });

  it("serves a session (one signature, then an HMAC per request) with the same checks", async function () {
    const pharmacy = await source(f.pharmacy, { session: true });
    expect((await pharmacy.verify(packOf(f.tree.serials[12]))).verdict.answerName).to.equal("Genuine");
    const session = await pharmacy.openSession();
    expect(session.requester).to.equal(f.pharmacy.address);
    expect(session.expiry - (await time.latest())).to.be.within(1, 120);
    const p = verificationPath(packOf(f.tree.serials[13]));
    const headers = sessionRequestHeaders(session, "GET", p);
    expect((await fetch(responder.url + p, { headers })).status).to.equal(200);
    const replay = await fetch(responder.url + p, { headers });
    expect([replay.status, (await jsonOf(replay)).code]).to.deep.equal([401, "replayed"]);
    const other = verificationPath(packOf(f.tree.serials[14]));
    const tampered = await fetch(responder.url + other, { headers: sessionRequestHeaders(session, "GET", p) });
    expect([tampered.status, (await jsonOf(tampered)).code]).to.deep.equal([401, "bad_mac"]);
    const forged = { ...session, session: "0x" + "ab".repeat(32) };
    const unknown = await fetch(responder.url + p, { headers: sessionRequestHeaders(forged, "GET", p) });
    expect([unknown.status, (await jsonOf(unknown)).code]).to.deep.equal([401, "unknown_session"]);
    // Suspension ends a session's use at the next block; expiry ends it in any case.
    await f.registry.connect(f.registrar).suspendMember(f.pharmacy.address, ethers.id("audit"));
    const suspended = await fetch(responder.url + p, { headers: sessionRequestHeaders(session, "GET", p) });
    expect([suspended.status, (await jsonOf(suspended)).code]).to.deep.equal([403, "not_a_trading_member"]);
    const wholesaler = await source(f.wholesaler, { session: true });
    const ws = await wholesaler.openSession();
    await time.increase(121);
    const late = await fetch(responder.url + p, { headers: sessionRequestHeaders(ws, "GET", p) });
    expect([late.status, (await jsonOf(late)).code]).to.deep.equal([401, "expired"]);
    // The client renews an expired session by itself.
    expect((await wholesaler.verify(packOf(f.tree.serials[15]))).found).to.equal(true);
  });

  it("serves a shipment's proof bundle to its recipient only, verifiable offline", async function () {
    const shipments = await new SupplyClient(f.supply.target as string, f.pharmacy).shipmentsTo(f.pharmacy.address);
    const shipmentId = shipments[0].shipmentId;
    const serials = f.tree.serials.slice(100, 119);
    const pharmacy = await source(f.pharmacy);
    const bundle: ProofBundle = await pharmacy.bundle(shipmentId, gtinToString(GTIN), LOT, [...serials, "NOT-IN-LOT"]);
    expect(bundle.units.map((u) => u.unit.serial)).to.deep.equal(serials);
    expect(bundle.missing).to.deep.equal(["NOT-IN-LOT"]);
    expect(verifyProofBundle(bundle)).to.deep.equal([]);
    // Offline: the bundle is a ProofSource; the chain (when online again) agrees.
    const client = new SupplyClient(f.supply.target as string, f.pharmacy);
    const scan = formatRaw(packOf(serials[0]));
    expect((await client.verifyPack(scan, bundleProofSource(bundle), f.pharmacy.address)).answer).to.equal(
      UnitCheck.Genuine,
    );
    // A tampered bundle is caught offline.
    const forged = structuredClone(bundle);
    forged.units[3].unit.serial = "FORGED";
    expect(verifyProofBundle(forged)).to.deep.equal(["FORGED"]);
    // Someone else's shipment, or more serials than it carried, is refused.
    const e = await refusal((await source(f.regulator)).bundle(shipmentId, gtinToString(GTIN), LOT, serials));
    expect([e.status, e.code]).to.deep.equal([403, "not_your_shipment"]);
    const tooMany = await refusal(pharmacy.bundle(shipmentId, gtinToString(GTIN), LOT, f.tree.serials.slice(0, 21)));
    expect([tooMany.status, tooMany.code]).to.deep.equal([413, "bundle_too_large"]);
  });

  it("never serves the serial list and refuses malformed requests clearly", async function () {
    for (const p of ["/serials", `/01/${gtinToString(GTIN)}/10/${LOT}`, "/lots"]) {
      const r = await fetch(responder.url + p, { headers: await signed(f.pharmacy, "GET", p) });
      expect(r.status, p).to.be.oneOf([400, 404]);
      expect((await jsonOf(r)).error).to.be.a("string");
    }
    const other = await fetch(
      responder.url + verificationPath(packOf("X")).replace("gs1%3AverificationService", "gs1%3Apip"),
    );
    expect([other.status, (await jsonOf(other)).code]).to.deep.equal([404, "unknown_link_type"]);
    const body = "not a code";
    const bad = await fetch(`${responder.url}/scan`, {
      method: "POST",
      body,
      headers: await signed(f.pharmacy, "POST", "/scan", body),
    });
    expect([bad.status, (await jsonOf(bad)).code]).to.deep.equal([400, "bad_scan"]);
  });

  it("rate-limits each member (429) without slowing the others", async function () {
    const limited = await startResponder({
      store,
      provider: ethers.provider,
      supplyChain: f.supply.target as string,
      ratePerSecond: 0.001,
      rateBurst: 2,
    });
    try {
      const pharmacy = await HttpProofSource.connect(limited.url, f.pharmacy, f.supply.target as string);
      await pharmacy.verify(packOf(f.tree.serials[1]));
      await pharmacy.verify(packOf(f.tree.serials[2]));
      const e = await refusal(pharmacy.verify(packOf(f.tree.serials[3])));
      expect([e.status, e.code]).to.deep.equal([429, "rate_limited"]);
      const wholesaler = await HttpProofSource.connect(limited.url, f.wholesaler, f.supply.target as string);
      expect((await wholesaler.verify(packOf(f.tree.serials[3]))).found).to.equal(true);
    } finally {
      await limited.close();
    }
  });

  it("keeps its lots in the database: a restart with no tree files rebuilds them; re-imports are idempotent", async function () {
    const again = await store.importFile(treeFile);
    expect(again.imported).to.equal(false);
    const db = await openDatabase({ dataDir: path.join(tmp, "pglite-2") });
    const second = new TreeStore(db, path.join(tmp, "trees-2"));
    await second.init();
    await second.importFile(treeFile);
    await second.close();
    fs.rmSync(path.join(tmp, "trees-2"), { recursive: true, force: true });
    const reopened = new TreeStore(
      await openDatabase({ dataDir: path.join(tmp, "pglite-2") }),
      path.join(tmp, "trees-2"),
    );
    try {
      await reopened.init();
      const entry = reopened.get(f.lotId)!;
      expect(entry.lot.root).to.equal(f.tree.root);
      expect(entry.file.proofFor(f.tree.serials[250])!.proof).to.deep.equal(f.tree.proof(250));
      // Another tree under the same lot is refused.
      const forged = f.tree.constructor as unknown as typeof import("../../../src/supply").SerialTree;
      const other = forged.build(f.tree.lot, f.tree.serials.slice(0, 10));
      const otherFile = path.join(tmp, "other.serials.json");
      saveSerialTree(other, otherFile);
      let error: unknown;
      await reopened.importFile(otherFile).catch((e) => (error = e));
      expect(String(error)).to.match(/already held with root/);
    } finally {
      await reopened.close();
    }
  });

  (process.env.DATABASE_URL ? it : it.skip)(
    "stores and serves on PostgreSQL when DATABASE_URL is set (skipped without it)",
    async function () {
      const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
      await db.exec("drop table if exists responder_tree_pages; drop table if exists responder_lots;");
      const pgStore = new TreeStore(db, path.join(tmp, "trees-pg"));
      await pgStore.init();
      await pgStore.importFile(treeFile);
      const pgResponder = await startResponder({
        store: pgStore,
        provider: ethers.provider,
        supplyChain: f.supply.target as string,
      });
      try {
        const health = await jsonOf(await fetch(`${pgResponder.url}/health`));
        expect(health.database).to.equal("postgres");
        const pharmacy = await HttpProofSource.connect(pgResponder.url, f.pharmacy, f.supply.target as string);
        const answer: VerificationAnswer = await pharmacy.verify(packOf(f.tree.serials[11]));
        expect(answer.verdict.answerName).to.equal("Genuine");
      } finally {
        await pgResponder.close();
        await pgStore.close();
      }
    },
  );
});
