/**
 * The local stack behind the web pages (`npm run app`, and the browser tests' global setup): a hardhat
 * node on a free loopback port with Carechain deployed by the Ignition CLI (test/e2e/consortium.ts),
 * filled through the SDK with the demo's organisations — members admitted, a serialised lot shipped to
 * the pharmacy with the manufacturer's verification responder published on chain, records and a
 * disclosure for a patient, an approved and recruiting trial with a pending amendment — and a site's
 * consent intake (the trial site receives signed consents and withdrawals and relays them with its
 * own key). Writes the app's config.json (with the server-side `proxy` map vite uses for /svc/*).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { id, toUtf8Bytes, keccak256, type HDNodeWallet } from "ethers";
import { startConsortium, type E2EContext } from "../../test/e2e/consortium";
import { PROJECT_ROOT } from "../../test/helpers/node";
import { MEMBER_ROLES } from "../../test/e2e/steps/registry";
import { ACTOR_INDEX, OTHERS_FROM, type ActorName } from "../lib/actors";
import { Role, parseGLN, withCheckDigit, type RoleName } from "../../src";
import { expiryTimestamp } from "../../src/gs1/elementString";
import { SerialTree, SupplyClient, lotIdOf, sequentialSerials, shipmentIdOf } from "../../src/supply";
import { LinkType, linkTypeKey } from "../../src/supply/endpoints";
import { saveSerialTree } from "../../src/node/serialTreeFile";
import {
  Action,
  EmergencyReason,
  MAX_UINT40,
  Purpose,
  RecordCategory,
  categoryMask,
  purposeMask,
} from "../../src/records";
import { emergencyReasonCommitment, newSalt, recordIdOf } from "../../src/records";
import { ReconsentPolicy, registryRefHash, trialIdOf } from "../../src/trials";
import { startResponder } from "../../services/responder/src/server";
import { TreeStore, openDatabase } from "../../services/responder/src/store";

/** The demo's pack: what a pharmacist scans. */
export const APP_PRODUCT = { gtin: "09506000134352", lot: "ACM-2611", printedExpiry: "281130", units: 200 } as const;
/** Units the pharmacy holds after the two shipments. */
export const PHARMACY_STOCK = 20;
/** The trial's public name and consent forms (their keccak256 is what the trial commits to). */
export const TRIAL_TITLE = "NCT09990042 — ACME-ONC-001";
export const CONSENT_FORMS = [
  "ACME-ONC-001 informed consent form, version 0.\n\nYou are invited to take part in a study of a new cancer treatment. " +
    "Taking part is voluntary. You may withdraw at any time without giving a reason and without losing any care. " +
    "If you agree, the study team will use your laboratory results and genomic data for health and medical research, " +
    "for non-commercial use only.",
  "ACME-ONC-001 informed consent form, version 1 (new safety monitoring).\n\nThe study adds a monthly safety visit. " +
    "Everything else in version 0 stays the same; you will be asked to consent again once this version is approved.",
];
const TRIAL_SALT = id("app trial ACME-ONC-001");

/** The people of the story (accounts from OTHERS_FROM): who is who in the pages and the tests. */
export const PEOPLE = { patient: OTHERS_FROM, participant: OTHERS_FROM + 4, investigator: OTHERS_FROM + 1 } as const;

export interface AppStack {
  ctx: E2EContext;
  /** The config.json the app is served with (including the server-side `proxy` map). */
  config: Record<string, unknown>;
  configFile: string;
  responderUrl: string;
  intakeUrl: string;
  /** The indexer's URL when it was started (its packages installed and not turned off). */
  indexerUrl?: string;
  trialId: string;
  lotId: string;
  tree: SerialTree;
  stop(): Promise<void>;
}

function gln(n: number): bigint {
  return parseGLN(withCheckDigit(String(400000000000 + n)));
}

async function mined(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

async function chainNow(ctx: E2EContext): Promise<bigint> {
  return BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The site's consent intake: GET /forms/<hash> serves a consent form by its keccak256; POST /consent
 * relays a participant's signed consent (`consentBySig`, as the trial site); POST /withdrawal relays a
 * signed withdrawal (`withdrawBySig`); POST /attestation relays an investigator's signed attestation
 * (`attestBySig`). Loopback only.
 */
async function startIntake(ctx: E2EContext, site: HDNodeWallet): Promise<{ url: string; close(): Promise<void> }> {
  const trials = ctx.deployment.addresses.trials!;
  const { ClinicalTrials__factory } = await import("../../typechain-types");
  const asSite = ClinicalTrials__factory.connect(trials, site);
  const forms = new Map(CONSENT_FORMS.map((text) => [keccak256(toUtf8Bytes(text)), text]));
  let queue = Promise.resolve();
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "http://x");
        const form = /^\/forms\/(0x[0-9a-fA-F]{64})$/.exec(url.pathname);
        if (req.method === "GET" && form) {
          const text = forms.get(form[1].toLowerCase());
          if (text === undefined) return reply(404, { error: "no such consent form" });
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
          return res.end(text);
        }
        if (req.method !== "POST") return reply(404, { error: "not found" });
        const body = JSON.parse(await readBody(req)) as Record<string, never>;
        // One relayed transaction at a time: the site's nonce.
        const send = (make: () => Promise<{ hash: string; wait(): Promise<unknown> }>) => {
          const run = queue.then(async () => {
            const tx = await make();
            await tx.wait();
            return tx.hash;
          });
          queue = run.then(
            () => undefined,
            () => undefined,
          );
          return run;
        };
        if (url.pathname === "/consent") {
          const hash = await send(() => asSite.consentBySig(body.terms, body.signature));
          return reply(200, { hash });
        }
        if (url.pathname === "/attestation") {
          const a = body as unknown as Record<string, string>;
          const hash = await send(() =>
            asSite.attestBySig(a.trialId, a.participant, a.meaning, {
              signer: a.signer,
              deadline: a.deadline,
              signature: a.signature,
            }),
          );
          return reply(200, { hash });
        }
        if (url.pathname === "/withdrawal") {
          const w = body as unknown as Record<string, string>;
          const hash = await send(() =>
            asSite.withdrawBySig(w.trialId, w.participant, w.choice, w.signer, w.deadline, w.signature),
          );
          return reply(200, { hash });
        }
        reply(404, { error: "not found" });
      } catch (e) {
        const data = (e as { data?: string; info?: { error?: { data?: string } } }).data;
        reply(422, { error: e instanceof Error ? e.message.split("\n")[0] : String(e), data });
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Starts and fills the stack; `log` narrates. */
export async function startAppStack(
  options: { log?: (line: string) => void; configFile?: string; indexer?: boolean } = {},
): Promise<AppStack> {
  const log = options.log ?? (() => undefined);
  log("starting a hardhat node and deploying Carechain (Ignition)…");
  const ctx = await startConsortium();
  const stops: (() => Promise<void>)[] = [() => ctx.close()];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-app-"));
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    const { actors, registry, deployment } = ctx;
    const { RecordAccess__factory, ClinicalTrials__factory, SupplyChain__factory } =
      await import("../../typechain-types");

    log("admitting the consortium's members…");
    let n = 1;
    for (const [name, role] of Object.entries(MEMBER_ROLES) as [ActorName, RoleName][]) {
      const registrar = registry.connect(actors.registrar);
      await mined(registrar.admitMember(actors[name].address, gln(n++), id(`app-profile-${name}`)));
      await mined(registrar.grantRole(Role[role], actors[name].address));
    }

    log("commissioning a serialised lot and shipping it to the pharmacy…");
    const supply = SupplyChain__factory.connect(deployment.addresses.supply!, ctx.provider);
    const { gtin, lot, printedExpiry, units } = APP_PRODUCT;
    const expiry = expiryTimestamp(printedExpiry, new Date(Number(await chainNow(ctx)) * 1000));
    await mined(supply.connect(actors.manufacturer).registerProduct(BigInt(gtin), id("Acmexil 20 mg leaflet")));
    const tree = SerialTree.build({ gtin: BigInt(gtin), lotNumber: lot, expiry }, sequentialSerials(units, "ACM"));
    await mined(
      supply.connect(actors.manufacturer).commissionLot(BigInt(gtin), lot, expiry, units, tree.root, id("commission")),
    );
    const lotId = lotIdOf(gtin, lot);
    const legs: [HDNodeWallet, HDNodeWallet, number][] = [
      [actors.manufacturer, actors.wholesaler, 100],
      [actors.wholesaler, actors.pharmacy, PHARMACY_STOCK],
    ];
    for (const [from, to, quantity] of legs) {
      const eventHash = id(`ship ${from.address} ${to.address}`);
      await mined(supply.connect(from).ship(lotId, to.address, quantity, eventHash));
      const shipmentId = shipmentIdOf(lotId, from.address, to.address, quantity, eventHash);
      await new SupplyClient(deployment.addresses.supply!, to).closeShipment(shipmentId, id(`receive ${shipmentId}`));
    }

    log("starting the manufacturer's verification responder…");
    const treeFile = path.join(work, `${lot}.serials.json`);
    saveSerialTree(tree, treeFile);
    const store = new TreeStore(await openDatabase({ dataDir: path.join(work, "pglite") }), path.join(work, "trees"));
    await store.init();
    await store.importFile(treeFile);
    const responder = await startResponder({
      store,
      provider: ctx.provider,
      supplyChain: deployment.addresses.supply!,
      port: 0,
    });
    stops.push(async () => {
      await responder.close();
      await store.close();
    });
    await mined(
      registry.connect(actors.manufacturer).setEndpoint(linkTypeKey(LinkType.verificationService), responder.url),
    );

    log("registering a patient's records, a grant to the hospital, a disclosure and a break-glass…");
    const records = RecordAccess__factory.connect(deployment.addresses.records!, ctx.provider);
    const patient = ctx.others[PEOPLE.patient - OTHERS_FROM];
    const now = await chainNow(ctx);
    const recordIds: string[] = [];
    for (const [i, category] of [RecordCategory.Labs, RecordCategory.MentalHealth].entries()) {
      const recordId = recordIdOf(newSalt(), `app-doc-${i}`);
      recordIds.push(recordId);
      await mined(
        records
          .connect(actors.hospital)
          .registerRecord(patient.address, recordId, category, id(`ciphertext ${i}`), now - 86400n * BigInt(10 + i)),
      );
    }
    await mined(
      records.connect(patient).grant(patient.address, actors.hospital.address, {
        categories: categoryMask(["Labs"]),
        actions: Action.Read,
        purposes: purposeMask(["Treatment"]),
        validFrom: now,
        validUntil: now + 90n * 86400n,
        dataFrom: 0n,
        dataUntil: MAX_UINT40,
      }),
    );
    await mined(
      records
        .connect(actors.hospital)
        .logDisclosure(patient.address, recordIds[0], actors.hospital.address, Purpose.Treatment),
    );
    const opening = { reasonCode: EmergencyReason.LifeThreatening, note: "app", salt: newSalt() };
    await mined(
      records
        .connect(actors.specialist)
        .breakGlass(patient.address, emergencyReasonCommitment(patient.address, actors.specialist.address, opening)),
    );
    await mined(records.connect(actors.specialist).designatePrivacyOfficer(actors.privacyOfficer.address));

    log("registering a trial, approving it, opening recruitment and proposing an amendment…");
    const trials = ClinicalTrials__factory.connect(deployment.addresses.trials!, ctx.provider);
    const [form0, form1] = CONSENT_FORMS.map((t) => keccak256(toUtf8Bytes(t)));
    const trialId = trialIdOf(actors.sponsor.address, TRIAL_SALT);
    const investigator = ctx.others[PEOPLE.investigator - OTHERS_FROM];
    await mined(
      trials.connect(actors.sponsor).registerTrial({
        salt: TRIAL_SALT,
        registryRefHash: registryRefHash("NCT09990042"),
        protocolHash: id("ACME-ONC-001 protocol v0"),
        consentFormHash: form0,
        outcomeHash: id("ACME-ONC-001 primary outcome"),
        irb: actors.irb.address,
        enrollmentCap: 10,
        witnessRequired: false,
      }),
    );
    await mined(trials.connect(actors.irb).approveTrial(trialId));
    await mined(trials.connect(actors.sponsor).setSite(trialId, actors.site.address, true));
    await mined(trials.connect(actors.sponsor).setResearcher(trialId, actors.researcher.address, true));
    await mined(trials.connect(actors.site).setInvestigator(trialId, investigator.address, true));
    await mined(trials.connect(actors.sponsor).openRecruitment(trialId));
    await mined(
      trials
        .connect(actors.sponsor)
        .proposeAmendment(
          trialId,
          id("ACME-ONC-001 protocol v1"),
          form1,
          ReconsentPolicy.AllParticipants,
          id("ACME-ONC-001 primary outcome"),
        ),
    );

    const intake = await startIntake(ctx, actors.site);
    stops.push(() => intake.close());

    // The indexer (services/indexer, its own package) serves the pages' histories when its packages are
    // installed (`cd services/indexer && npm ci`); without it the pages read the node's logs in pages.
    let indexerUrl: string | undefined;
    if (options.indexer !== false) {
      if (!fs.existsSync(path.join(PROJECT_ROOT, "services", "indexer", "node_modules", ".bin", "ponder"))) {
        log(
          "indexer not started: its packages are not installed (cd services/indexer && npm ci); histories come from the node's logs",
        );
      } else {
        log("starting the indexer on its embedded database (PGlite)…");
        const { startIndexer } = await import("../../test/indexer/harness");
        const indexer = await startIndexer({
          rpcUrl: ctx.node.url,
          chainId: ctx.chainId,
          deploymentDir: ctx.deployment.dir,
          dataDir: path.join(work, "indexer"),
          pollingMs: 250,
        });
        stops.push(() => indexer.stop());
        await indexer.waitReady();
        indexerUrl = indexer.url;
      }
    }

    const names: Record<string, string> = {};
    for (const name of Object.keys(ACTOR_INDEX) as ActorName[]) names[actors[name].address] = name;
    names[patient.address] = "patient (Pat)";
    names[investigator.address] = "investigator (Dr Ivy)";
    names[ctx.others[PEOPLE.participant - OTHERS_FROM].address] = "participant (Alex)";
    const config = {
      chainId: ctx.chainId.toString(),
      chainName: "carechain-local",
      rpcUrl: "/svc/rpc",
      fromBlock: 0,
      addresses: deployment.addresses,
      services: { siteIntake: "/svc/site", ...(indexerUrl ? { indexer: "/svc/indexer" } : {}) },
      rewrite: { [responder.url]: "/svc/responder" },
      trials: [{ id: trialId, title: TRIAL_TITLE, formsUrl: "/svc/site/forms" }],
      names,
      proxy: {
        "/svc/rpc": ctx.node.url,
        "/svc/responder": responder.url,
        "/svc/site": intake.url,
        ...(indexerUrl ? { "/svc/indexer": indexerUrl } : {}),
      },
    };
    const configFile = options.configFile ?? path.join(work, "config.json");
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    return {
      ctx,
      config,
      configFile,
      responderUrl: responder.url,
      intakeUrl: intake.url,
      indexerUrl,
      trialId,
      lotId,
      tree,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
