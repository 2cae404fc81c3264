/**
 * Drug-traceability tasks: `npx hardhat supply:<verb> --network <net> …`.
 * Every task prints one line "Error: …" (decoded custom error or input problem) and sets a non-zero
 * exit code on failure, never a stack trace. The SDK is imported lazily inside the actions so that
 * loading the Hardhat config never needs compiled artifacts or typechain types.
 */
import fs from "node:fs";
import { task, types } from "hardhat/config";
import { DOCUMENT_HELP, accountArg, contractAddress, documentArg, runTask, signerOf } from "./lib";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { EpcisEvent } from "../src/epcis";
import type { ProofSource } from "../src/supply/client";
import type { SupplyChain as SupplyContract } from "../typechain-types";
import { LotStatus, UnitCheck } from "../src/supply/enums";
import { loadSerialTree, saveSerialTree } from "../src/node/serialTreeFile";

interface Common {
  address?: string;
  from?: string;
}

/** The SupplyChain address: --address, else Ignition's deployment record of this chain. */
function supplyAddress(hre: HardhatRuntimeEnvironment, address?: string): Promise<string> {
  return contractAddress(hre, "supply", address);
}

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** What an act anchors: the hash, and the EPCIS document to write for it (none when --event gave it). */
interface Anchor {
  hash: string;
  file?: string;
  document?: string;
}

/**
 * Stands in for a hash or root not computed yet in the static call a task makes before any long work
 * or file: the contract checks neither (only that a root is not zero), so the answer is the real one's.
 */
const PLACEHOLDER = "0x" + "ca".repeat(32);

/** An act on chain: what the chain would answer (a static call, nothing sent), and sending it. */
interface Act<T> {
  check: (hash: string) => Promise<unknown>;
  send: (hash: string) => Promise<T>;
}

/** An {@link Act} of a contract method whose last argument is the anchored hash. */
function actOf(method: unknown, ...head: unknown[]): Act<{ hash: string; gasUsed: bigint }> {
  const m = method as unknown as {
    staticCall: (...a: unknown[]) => Promise<unknown>;
    (...a: unknown[]): Promise<{ wait(): Promise<{ hash: string; gasUsed: bigint } | null> }>;
  };
  return {
    check: (hash) => m.staticCall(...head, hash),
    send: async (hash) => {
      const receipt = await (await m(...head, hash)).wait();
      if (!receipt) throw new Error("the transaction was not mined");
      return receipt;
    },
  };
}

/** The --event / --epcis-out / --company-prefix-length parameters of a task that anchors an EPCIS event. */
interface EventArgs {
  event?: string;
  epcisOut?: string;
  companyPrefixLength?: number;
}

/** Everything a builder needs besides the act's own data: chain time and the identifier split. */
interface BuildContext {
  eventTime: number;
  companyPrefixLength: number;
  /** A member's GLN from the member registry (memberOf(address).gln); refuses non-members. */
  glnOf: (address: string) => Promise<bigint>;
}

/**
 * The EPCIS event hash an act anchors. --event: a 0x… 32-byte hash as is (hashed elsewhere), else a
 * partner's EPCIS document (JSON-LD or XML) holding exactly one event, hashed with GS1's Event Hash ID.
 * Without --event: the SDK's event for the act, at the latest block's time, written as an EPCIS 2.0
 * JSON-LD document to --epcis-out (default <lot>.<act>.<shortHash>.epcis.jsonld) by {@link sendAnchored}
 * once the chain would accept the act and before it is sent, so that partners can recompute the hash;
 * removed again when the transaction fails.
 */
async function anchorOf(
  hre: HardhatRuntimeEnvironment,
  c: SupplyContract,
  args: EventArgs,
  lot: string,
  act: string,
  build: (ctx: BuildContext) => Promise<EpcisEvent>,
): Promise<Anchor> {
  const { hashEpcisDocument, eventHashBytes32, epcisDocument } = await import("../src/epcis");
  const { TaskInputError } = await import("./lib");
  if (args.event !== undefined && args.event !== "") {
    if (HASH.test(args.event)) return { hash: args.event.toLowerCase() };
    if (/^0x/i.test(args.event)) throw new TaskInputError(`--event ${args.event}: a hash must be 0x + 64 hex digits`);
    let text: string;
    try {
      text = fs.readFileSync(args.event, "utf8");
    } catch {
      throw new TaskInputError(`--event ${args.event}: no such readable file`);
    }
    let events;
    try {
      events = hashEpcisDocument(text);
    } catch (e) {
      throw new TaskInputError(`--event ${args.event}: ${(e as Error).message}`);
    }
    if (events.length !== 1)
      throw new TaskInputError(
        `--event ${args.event}: an EPCIS document of exactly one event is needed, it has ${events.length}`,
      );
    return { hash: events[0].bytes32 };
  }
  const cpl = args.companyPrefixLength ?? 7;
  const { MemberRegistry__factory } = await import("../typechain-types");
  const registry = MemberRegistry__factory.connect(await c.registry(), hre.ethers.provider);
  const latest = await hre.ethers.provider.getBlock("latest");
  const event = await build({
    eventTime: latest?.timestamp ?? 0,
    companyPrefixLength: cpl,
    glnOf: async (address) => {
      const gln = (await registry.memberOf(address)).gln;
      if (gln === 0n) throw new TaskInputError(`${address} is not a member: no GLN in the member registry`);
      return gln;
    },
  });
  const hash = eventHashBytes32(event);
  const file = args.epcisOut ?? `${lot.replace(/[^A-Za-z0-9._-]/g, "_")}.${act}.${hash.slice(2, 10)}.epcis.jsonld`;
  return { hash, file, document: JSON.stringify(epcisDocument([event], latest?.timestamp ?? 0), null, 2) + "\n" };
}

/**
 * Sends an act that anchors `anchor`: asks the chain first (static call), then writes the EPCIS
 * document and sends; prints where the event is, or removes the document and `alsoRemove` (files
 * written for this act) when nothing was anchored.
 */
async function sendAnchored<T>(anchor: Anchor, act: Act<T>, alsoRemove: string[] = []): Promise<T> {
  let written: string | undefined;
  const remove = () => {
    for (const f of [written, ...alsoRemove]) if (f) fs.rmSync(f, { force: true });
  };
  let result: T;
  try {
    await act.check(anchor.hash);
    if (anchor.file) {
      fs.writeFileSync(anchor.file, anchor.document ?? "");
      written = anchor.file;
    }
    result = await act.send(anchor.hash);
  } catch (e) {
    remove();
    throw e;
  }
  if (anchor.file) console.log(`EPCIS event ${anchor.hash} written to ${anchor.file}`);
  return result;
}

/** GTIN and lot number of a lot: from --gtin/--lot, else from the lot's LotCommissioned event. */
async function lotRefOf(
  c: SupplyContract,
  lotId: string,
  args: { gtin?: string; lot?: string },
): Promise<{ gtin: string; lot: string }> {
  const { gtinToString, gtinToUint } = await import("../src/supply/ids");
  if (args.gtin && args.lot) return { gtin: gtinToString(gtinToUint(args.gtin)), lot: args.lot };
  const [log] = await c.queryFilter(c.filters.LotCommissioned(lotId));
  if (!log) {
    const { TaskInputError } = await import("./lib");
    throw new TaskInputError(`no lot ${lotId} was commissioned on this chain`);
  }
  return { gtin: gtinToString(log.args.gtin), lot: log.args.lotNumber };
}

/** The lot id from --lot-id or --gtin + --lot. */
async function lotIdFrom(args: { lotId?: string; gtin?: string; lot?: string }): Promise<string> {
  const { lotIdOf } = await import("../src/supply/ids");
  if (args.lotId) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(args.lotId)) throw new Error(`--lot-id must be 32 bytes of hex: "${args.lotId}"`);
    return args.lotId;
  }
  if (!args.gtin || !args.lot) throw new Error("give --lot-id, or --gtin and --lot");
  return lotIdOf(args.gtin, args.lot);
}

/** Runs a task body; on failure prints one line and sets the exit code. */
function run(hre: HardhatRuntimeEnvironment, body: () => Promise<void>): Promise<void> {
  return runTask(hre, ["SupplyChain"], body);
}

async function client(hre: HardhatRuntimeEnvironment, args: Common) {
  const { SupplyClient } = await import("../src/supply/client");
  const signer = await signerOf(hre, args.from);
  return { signer, client: new SupplyClient(await supplyAddress(hre, args.address), signer) };
}

/** The parameters of a task that anchors an EPCIS event (`what`: e.g. "shipping"). */
function eventParams(t: ConfigurableTaskDefinition, what: string): ConfigurableTaskDefinition {
  return t
    .addOptionalParam(
      "event",
      `your own EPCIS ${what} event instead of the SDK's: an EPCIS document (JSON-LD, EPCIS 2.0 or 1.2 XML) of ` +
        "exactly one event, anchored by its GS1 Event Hash ID; or a 0x… 32-byte Event Hash ID digest computed elsewhere",
    )
    .addOptionalParam(
      "epcisOut",
      "where to write the SDK's EPCIS event (JSON-LD document) that is anchored " +
        "(default <lot>.<act>.<shortHash>.epcis.jsonld in the current folder)",
    )
    .addOptionalParam("companyPrefixLength", "GS1 Company Prefix length of the event's EPC URIs", 7, types.int);
}

/** The parameters every supply task takes. */
function common(t: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return t
    .addOptionalParam("address", "SupplyChain address (default: Ignition deployment of this chain)")
    .addOptionalParam("from", "account index or address to send from (default 0)");
}

common(task("supply:register-product", "Register a product (GTIN) as the sending manufacturer"))
  .addParam("gtin", "GTIN-8/12/13/14 (check digit validated)")
  .addOptionalParam("metadata", `product master data: ${DOCUMENT_HELP}`, "")
  .setAction(async (args: Common & { gtin: string; metadata: string }, hre) =>
    run(hre, async () => {
      const { gtinToUint } = await import("../src/supply/ids");
      const gtin = gtinToUint(args.gtin);
      const hash = documentArg(hre, "metadata", args.metadata, true);
      const { client: c } = await client(hre, args);
      const receipt = await (await c.contract.registerProduct(gtin, hash)).wait();
      console.log(`registered GTIN ${args.gtin} (tx ${receipt?.hash}, gas ${receipt?.gasUsed})`);
    }),
  );

eventParams(
  common(
    task(
      "supply:commission",
      "Commission a lot from a CSV of serials: checks the file and what the chain would say, then builds and " +
        "saves the serial tree and sends",
    ),
  ),
  "commissioning",
)
  .addParam("gtin", "the product's GTIN")
  .addParam("lot", "lot number, AI (10)")
  .addParam("expiry", "expiry date as printed, AI (17) YYMMDD")
  .addParam(
    "serials",
    "CSV file (RFC 4180: quotes, CRLF) whose header names a column serial (or 'serial number'); one unit per row",
  )
  .addOptionalParam(
    "delimiter",
    "the CSV's delimiter: , ; tab or | (default: the one that splits the header into a serial column)",
  )
  .addOptionalParam("out", "where to save the serial tree (default <lot>.serials.json)")
  .addFlag(
    "dryRun",
    "check the file (serial column, GS1 characters, duplicates) and what the chain would say, then stop: " +
      "nothing is built, written or sent",
  )
  .setAction(
    async (
      args: Common &
        EventArgs & {
          gtin: string;
          lot: string;
          expiry: string;
          serials: string;
          delimiter?: string;
          out?: string;
          dryRun?: boolean;
        },
      hre,
    ) =>
      run(hre, async () => {
        const { SerialTree } = await import("../src/supply/serials");
        const { readSerialsCsv, duplicateSerials, delimiterName } = await import("../src/supply/serialsCsv");
        const { gtinToUint, lotIdOf } = await import("../src/supply/ids");
        const { expiryTimestamp, checkSerialOrLot } = await import("../src/gs1/elementString");
        const { commissioningEvent } = await import("../src/epcis");
        const { TaskInputError } = await import("./lib");
        const { SingleBar, Presets } = await import("cli-progress");
        const gtin = gtinToUint(args.gtin);
        const expiry = expiryTimestamp(args.expiry);
        checkSerialOrLot("10", args.lot);
        if (!fs.existsSync(args.serials)) throw new TaskInputError(`no such file: ${args.serials}`);
        const csv = readSerialsCsv(fs.readFileSync(args.serials, "utf8"), { delimiter: args.delimiter });
        const serials = csv.serials;
        const duplicates = duplicateSerials(csv);
        if (duplicates.length > 0) {
          const shown = (d: { serial: string; lines: number[] }) =>
            `${JSON.stringify(d.serial)} on lines ${d.lines.join(", ")}`;
          for (const d of duplicates) console.log(`  duplicate ${shown(d)}`);
          throw new TaskInputError(
            `${args.serials}: ${duplicates.length} serial${duplicates.length === 1 ? "" : "s"} appear more than once ` +
              `(${shown(duplicates[0])}${duplicates.length > 1 ? ", …: all listed above" : ""}); nothing was sent`,
          );
        }
        const first = serials.slice(0, 3).join(", ") + (serials.length > 3 ? ", …" : "");
        console.log(
          `${args.serials}: ${serials.length} serials in column "${csv.column}" ` +
            `(${delimiterName(csv.delimiter)}-separated): ${first}`,
        );
        const { client: c, signer } = await client(hre, args);
        // What the chain would say, before the tree is built or any file written: an unknown product,
        // a lot number taken, a sender who is not the product's manufacturer cost nothing.
        const lotId = lotIdOf(gtin, args.lot);
        const act = actOf(c.contract.commissionLot, gtin, args.lot, expiry, serials.length, PLACEHOLDER);
        await act.check(PLACEHOLDER);
        const anchor = await anchorOf(hre, c.contract, args, args.lot, "commissioning", async (x) =>
          commissioningEvent({
            ...x,
            gtin,
            lot: args.lot,
            quantity: serials.length,
            manufacturerGln: await x.glnOf(signer.address),
          }),
        );
        if (args.dryRun) {
          console.log(
            `dry run: the chain would commission lot ${lotId} of ${serials.length} units; nothing built, written or sent`,
          );
          return;
        }
        const bar = new SingleBar(
          { format: "  {stage} |{bar}| {value}/{total}", hideCursor: true },
          Presets.shades_classic,
        );
        let stage = "";
        const started = Date.now();
        let tree;
        try {
          tree = SerialTree.build({ gtin, lotNumber: args.lot, expiry }, serials, (s, done, total) => {
            if (s !== stage) {
              if (stage) bar.stop();
              stage = s;
              bar.start(total, 0, { stage: s.padEnd(6) });
            }
            bar.update(done, { stage: s.padEnd(6) });
          });
        } finally {
          bar.stop();
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const out = args.out ?? `${args.lot}.serials.json`;
        saveSerialTree(tree, out);
        console.log(`built the tree of ${serials.length} serials in ${seconds} s; root ${tree.root}; saved ${out}`);
        const send = actOf(c.contract.commissionLot, gtin, args.lot, expiry, serials.length, tree.root);
        const receipt = await sendAnchored(anchor, send, [out]);
        console.log(`commissioned lot ${lotId} (tx ${receipt.hash}, gas ${receipt.gasUsed})`);
      }),
  );

eventParams(common(task("supply:ship", "Ship units of a lot to another trading partner")), "shipping")
  .addOptionalParam("lotId", "lot id (or --gtin and --lot)")
  .addOptionalParam("gtin", "GTIN of the lot")
  .addOptionalParam("lot", "lot number")
  .addParam("to", "recipient: an address, or an account number of this network like --from")
  .addParam("quantity", "units to ship", undefined, types.int)
  .setAction(
    async (
      args: Common & EventArgs & { lotId?: string; gtin?: string; lot?: string; to: string; quantity: number },
      hre,
    ) =>
      run(hre, async () => {
        const to = await accountArg(hre, "to", args.to);
        if (!Number.isInteger(args.quantity) || args.quantity < 1 || args.quantity > 0xffffffff) {
          throw new Error(`--quantity must be a whole number of units ≥ 1: ${args.quantity}`);
        }
        const lotId = await lotIdFrom(args);
        const { client: c, signer } = await client(hre, args);
        const { shippingEvent } = await import("../src/epcis");
        const act = actOf(c.contract.ship, lotId, to, args.quantity);
        await act.check(PLACEHOLDER);
        const ref = args.event ? undefined : await lotRefOf(c.contract, lotId, args);
        const anchor = await anchorOf(hre, c.contract, args, ref?.lot ?? "", "shipping", async (x) =>
          shippingEvent({
            ...x,
            ...ref!,
            quantity: args.quantity,
            fromGln: await x.glnOf(signer.address),
            toGln: await x.glnOf(to),
          }),
        );
        const { shipmentIdOf } = await import("../src/supply/ids");
        const receipt = await sendAnchored(anchor, act);
        const id = shipmentIdOf(lotId, signer.address, to, args.quantity, anchor.hash);
        console.log(`shipment ${id} in transit (tx ${receipt.hash}, gas ${receipt.gasUsed})`);
      }),
  );

eventParams(
  common(task("supply:receive", "Receive (or --reject) a shipment addressed to the sender")),
  "receiving (or, with --reject, rejection)",
)
  .addParam("shipment", "shipment id (printed by supply:ship, or from ShipmentSent)")
  .addFlag("reject", "refuse the shipment: it returns to the sender")
  .setAction(async (args: Common & EventArgs & { shipment: string; reject: boolean }, hre) =>
    run(hre, async () => {
      const { client: c, signer } = await client(hre, args);
      const { receivingEvent, rejectionEvent } = await import("../src/epcis");
      const s = await c.findShipment(args.shipment, signer.address);
      if (!s) throw new Error(`no shipment ${args.shipment} to ${signer.address} (see supply:inbox)`);
      const call = actOf(
        args.reject ? c.contract.rejectShipment : c.contract.receiveShipment,
        s.lotId,
        s.from,
        s.quantity,
        s.eventHash,
      );
      await call.check(PLACEHOLDER);
      const ref = args.event ? undefined : await lotRefOf(c.contract, s.lotId, {});
      const act = args.reject ? "rejection" : "receiving";
      const anchor = await anchorOf(hre, c.contract, args, ref?.lot ?? "", act, async (x) =>
        (args.reject ? rejectionEvent : receivingEvent)({
          ...x,
          ...ref!,
          quantity: s.quantity,
          fromGln: await x.glnOf(s.from),
          toGln: await x.glnOf(s.to),
        }),
      );
      const receipt = await sendAnchored(anchor, call);
      console.log(
        `${args.reject ? "rejected" : "received"} shipment ${args.shipment} (tx ${receipt.hash}, gas ${receipt.gasUsed})`,
      );
    }),
  );

eventParams(
  common(
    task("supply:cancel", "Cancel a shipment you sent that its recipient cannot receive (suspended, no trading role)"),
  ),
  "cancellation (void_shipping)",
)
  .addParam("shipment", "shipment id (printed by supply:ship, or from ShipmentSent)")
  .setAction(async (args: Common & EventArgs & { shipment: string }, hre) =>
    run(hre, async () => {
      const { client: c, signer } = await client(hre, args);
      const { cancellationEvent } = await import("../src/epcis");
      const logs = await c.contract.queryFilter(c.contract.filters.ShipmentSent(undefined, signer.address));
      const sent = logs.find((l) => l.args.shipmentId.toLowerCase() === args.shipment.toLowerCase());
      if (!sent) throw new Error(`no shipment ${args.shipment} from ${signer.address}`);
      const { lotId, to, quantity, eventHash } = sent.args;
      const act = actOf(c.contract.cancelShipment, lotId, to, quantity, eventHash);
      await act.check(PLACEHOLDER);
      const ref = args.event ? undefined : await lotRefOf(c.contract, sent.args.lotId, {});
      const anchor = await anchorOf(hre, c.contract, args, ref?.lot ?? "", "cancellation", async (x) =>
        cancellationEvent({
          ...x,
          ...ref!,
          quantity: sent.args.quantity,
          fromGln: await x.glnOf(sent.args.from),
          toGln: await x.glnOf(sent.args.to),
        }),
      );
      const receipt = await sendAnchored(anchor, act);
      console.log(
        `cancelled shipment ${args.shipment}; units back in your custody (tx ${receipt.hash}, gas ${receipt.gasUsed})`,
      );
    }),
  );

/** Where a pharmacy's proof comes from: --responder URL (the normal way) or --tree FILE (the manufacturer's own file). */
interface ProofArgs {
  tree?: string;
  responder?: string;
}

/** The parameters --responder and --tree of a task that needs a pack's proof. */
function proofParams(t: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return t
    .addOptionalParam(
      "responder",
      "the manufacturer's verification responder URL (default: the one its manufacturer published on chain, " +
        "registry.endpointOf): the pack's proof is asked for in a request signed by the --from account, which " +
        "must be an active trading member",
    )
    .addOptionalParam(
      "tree",
      "instead of --responder: the lot's serial tree file (from supply:commission), for the manufacturer's own checks",
    );
}

/** A scanned code as typed on a command line: a literal \\x1d or <GS> stands for the GS separator. */
function scannedCode(code: string): string {
  return code.replace(/\\x1d|<GS>/g, "\u001d");
}

/**
 * The proof source for one scanned pack: the responder at --responder, asked with a request signed by
 * `signer` (exactly the pack's proof, nothing else), or the whole tree file at --tree. Exactly one of them.
 */
async function proofSourceFor(args: ProofArgs, signer: Signer, supply: string, code: string): Promise<ProofSource> {
  const { TaskInputError } = await import("./lib");
  const tree = args.tree !== undefined && args.tree !== "" ? args.tree : undefined;
  let url = args.responder !== undefined && args.responder !== "" ? args.responder : undefined;
  if (tree === undefined && url === undefined) {
    // The endpoint directory: the product's manufacturer on chain, and the responder it published.
    const { resolveVerificationEndpoint, EndpointNotFoundError } = await import("../src/supply/endpoints");
    const { parsePack } = await import("../src/gs1/elementString");
    parsePack(code); // a bad scan is reported as such (GS1Error), before anything is asked
    try {
      url = await resolveVerificationEndpoint(signer, supply, code);
    } catch (e) {
      if (e instanceof EndpointNotFoundError) {
        throw new TaskInputError(`${e.message} (--responder URL, or --tree FILE for the manufacturer's own file)`);
      }
      throw e;
    }
  }
  if (tree !== undefined && url !== undefined) {
    throw new TaskInputError("give either --responder or --tree, not both");
  }
  if (tree !== undefined) {
    if (!fs.existsSync(tree)) throw new TaskInputError(`no such file: ${tree}`);
    const { SerialTree } = await import("../src/supply/serials");
    return loadSerialTree(tree);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url!);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new TaskInputError(`--responder "${url}" is not an http(s) URL`);
  }
  const { HttpProofSource, ResponderRequestError } = await import("../src/supply/httpProofSource");
  const { parsePack } = await import("../src/gs1/elementString");
  parsePack(code); // a bad scan is reported as such (GS1Error), before anything is asked
  const responder = await HttpProofSource.connect(url!, signer, supply);
  try {
    return await responder.sourceFor(code);
  } catch (e) {
    if (e instanceof ResponderRequestError) throw new TaskInputError(e.message);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new TaskInputError(
      `cannot reach the responder at ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
    );
  }
}

proofParams(
  common(
    task(
      "supply:verify",
      "Verify a scanned pack code (free view); its proof from the manufacturer's --responder URL, or a --tree file",
    ),
  ),
)
  .addParam("code", 'scanned code: "(01)…(17)…(10)…(21)…", a raw ]d2 scan with GS (\\x1d), or a Digital Link')
  .addOptionalParam(
    "holder",
    "also check this holder's custody of the lot (an address or an account number). Exit code 0 only for " +
      "Genuine, 2 for any other answer",
  )
  .setAction(async (args: Common & ProofArgs & { code: string; holder?: string }, hre) =>
    run(hre, async () => {
      const code = scannedCode(args.code);
      const { client: c, signer } = await client(hre, args);
      const proofs = await proofSourceFor(args, signer, await c.contract.getAddress(), code);
      const holder = args.holder === undefined ? undefined : await accountArg(hre, "holder", args.holder);
      const v = await c.verifyPack(code, proofs, holder);
      console.log(
        `${v.answerName}: GTIN ${v.pack.gtin} serial ${v.pack.serial} lot ${v.pack.lot} expiry ${v.pack.expiry}`,
      );
      // Scripts and scanners branch on the exit code: only a genuine pack succeeds.
      if (v.answer !== UnitCheck.Genuine) process.exitCode = 2;
    }),
  );

proofParams(
  common(
    task(
      "supply:dispense",
      "Verify and dispense a scanned pack (alerts instead of reverting on a suspect pack); its proof from the " +
        "manufacturer's --responder URL, or a --tree file",
    ),
  ),
)
  .addParam("code", "scanned code (any GS1 form)")
  .addFlag(
    "reportSuspect",
    "when the pack verifies as anything but Genuine, record a suspect-pack alert on chain (the chain may put " +
      "the lot on hold); without it such a pack is refused and nothing is sent, or, at a terminal, you are " +
      "asked [y/N]",
  )
  .setAction(async (args: Common & ProofArgs & { code: string; reportSuspect?: boolean }, hre) =>
    run(hre, async () => {
      const code = scannedCode(args.code);
      const { client: c, signer } = await client(hre, args);
      const proofs = await proofSourceFor(args, signer, await c.contract.getAddress(), code);
      // What the chain would answer, before anything is sent: a suspect pack needs the pharmacist's decision.
      const prepared = c.prepare(code, proofs);
      let answer = Number(await c.contract.dispense.staticCall(prepared.unit, prepared.proof)) as UnitCheck;
      if (answer === UnitCheck.AlreadyDecommissioned) {
        const by = await c.decommissionedBy(prepared.lotId, prepared.unit.index);
        if (by?.toLowerCase() === signer.address.toLowerCase()) answer = UnitCheck.AlreadyDecommissionedByYou;
      }
      if (answer !== UnitCheck.Genuine && answer !== UnitCheck.AlreadyDecommissionedByYou && !args.reportSuspect) {
        const { TaskInputError } = await import("./lib");
        const { unitCheckName } = await import("../src/supply/client");
        const { isYes, terminalAsk } = await import("./prompt");
        const { pack } = prepared;
        const verdict = `serial ${pack.serial} verifies as ${unitCheckName(answer)}, not Genuine`;
        const ask = terminalAsk();
        if (ask === undefined) {
          throw new TaskInputError(
            `${verdict}: not dispensed, nothing sent. Keep the pack aside; to record a suspect-pack alert (the lot ` +
              "may be put on hold) run again with --report-suspect",
          );
        }
        // At a terminal the pharmacist decides here; only an explicit yes sends the alert.
        console.log(`${verdict} (GTIN ${pack.gtin}, lot ${pack.lot}, expiry ${pack.expiry}): not dispensed.`);
        const reply = await ask(`Record a suspect-pack alert for serial ${pack.serial} of lot ${pack.lot}? [y/N] `);
        if (!isYes(reply)) {
          console.log("no alert recorded: nothing sent. Keep the pack aside.");
          process.exitCode = 2;
          return;
        }
      }
      const r = await c.dispense(code, proofs);
      if (!r.receipt) {
        // A double scan of a pack this account itself decommissioned: nothing sent, no alert.
        console.log(
          `already dispensed by you: serial ${r.pack.serial}; nothing recorded (undo within 10 days if it was a mistake)`,
        );
      } else if (r.answerName === "Genuine") {
        console.log(`dispensed serial ${r.pack.serial} (tx ${r.receipt.hash}, gas ${r.receipt.gasUsed})`);
      } else {
        console.log(
          `ALERT recorded: ${r.answerName} for serial ${r.pack.serial}; pack not dispensed (tx ${r.receipt.hash})`,
        );
        process.exitCode = 2;
      }
    }),
  );

/** The parameters and lot of a lot-level act (recall, quarantine, release, destroy, excursion). */
interface LotArgs extends Common, EventArgs {
  lotId?: string;
  gtin?: string;
  lot?: string;
}

function lotParams(t: ConfigurableTaskDefinition, what: string): ConfigurableTaskDefinition {
  return eventParams(common(t), what)
    .addOptionalParam("lotId", "lot id (or --gtin and --lot)")
    .addOptionalParam("gtin", "GTIN of the lot")
    .addOptionalParam("lot", "lot number");
}

/**
 * A lot-level act: the lot, its EPCIS event by `build` (actor = the sender's GLN) or --event, and the
 * transaction `send(lotId, hash)`; prints `done` with the receipt.
 */
async function lotAct(
  hre: HardhatRuntimeEnvironment,
  args: LotArgs,
  act: string,
  build: (
    ref: { gtin: string; lot: string; actorGln: bigint } & Omit<BuildContext, "glnOf">,
  ) => EpcisEvent | Promise<EpcisEvent>,
  actFor: (c: SupplyContract, lotId: string) => Act<{ hash: string; gasUsed: bigint }>,
  done: string,
  already?: (status: number) => string | undefined,
): Promise<void> {
  const lotId = await lotIdFrom(args);
  const { client: c, signer } = await client(hre, args);
  if (already) {
    const nothing = already(Number((await c.contract.lotOf(lotId)).status));
    if (nothing) {
      console.log(`${nothing}: nothing changed, nothing sent (lot ${lotId})`);
      return;
    }
  }
  const call = actFor(c.contract, lotId);
  await call.check(PLACEHOLDER);
  const ref = args.event ? undefined : await lotRefOf(c.contract, lotId, args);
  const anchor = await anchorOf(hre, c.contract, args, ref?.lot ?? "", act, async (x) =>
    build({
      ...ref!,
      eventTime: x.eventTime,
      companyPrefixLength: x.companyPrefixLength,
      actorGln: await x.glnOf(signer.address),
    }),
  );
  const receipt = await sendAnchored(anchor, call);
  console.log(`${done} lot ${lotId} (tx ${receipt.hash}, gas ${receipt.gasUsed})`);
}

lotParams(task("supply:recall", "Recall a lot (class I, II or III) as its manufacturer or a regulator"), "recall")
  .addParam("class", "recall class: I, II or III")
  .setAction(async (args: LotArgs & { class: string }, hre) =>
    run(hre, async () => {
      const classes: Record<string, number> = { I: 1, II: 2, III: 3, "1": 1, "2": 2, "3": 3 };
      const recallClass = classes[args.class.toUpperCase()];
      if (!recallClass) throw new Error(`--class must be I, II or III: "${args.class}"`);
      const { recallEvent } = await import("../src/epcis");
      await lotAct(
        hre,
        args,
        "recall",
        recallEvent,
        (c, lotId) => actOf(c.recallLot, lotId, recallClass),
        `class ${args.class} recall of`,
        (status) => (status === LotStatus.Recalled ? "already recalled" : undefined),
      );
    }),
  );

lotParams(
  task("supply:quarantine", "Put a lot on hold (suspect product) as its manufacturer or a regulator"),
  "quarantine",
).setAction(async (args: LotArgs, hre) =>
  run(hre, async () => {
    const { quarantineEvent } = await import("../src/epcis");
    await lotAct(hre, args, "quarantine", quarantineEvent, (c, lotId) => actOf(c.quarantineLot, lotId), "quarantined");
  }),
);

lotParams(task("supply:release", "Release a quarantined lot as its manufacturer or a regulator"), "release").setAction(
  async (args: LotArgs, hre) =>
    run(hre, async () => {
      const { releaseEvent } = await import("../src/epcis");
      await lotAct(
        hre,
        args,
        "release",
        releaseEvent,
        (c, lotId) => actOf(c.releaseLot, lotId),
        "released",
        (status) => (status === LotStatus.Active ? "already released (the lot is Active, on no hold)" : undefined),
      );
    }),
);

lotParams(
  task("supply:destroy", "Mark a whole lot destroyed (terminal) as its manufacturer or a regulator"),
  "destruction",
).setAction(async (args: LotArgs, hre) =>
  run(hre, async () => {
    const { destructionEvent } = await import("../src/epcis");
    await lotAct(
      hre,
      args,
      "destruction",
      destructionEvent,
      (c, lotId) => actOf(c.destroyLot, lotId),
      "destroyed",
      (status) => (status === LotStatus.Destroyed ? "already destroyed" : undefined),
    );
  }),
);

lotParams(
  task("supply:excursion", "Report a cold-chain excursion of a lot (as a sensor oracle or a holder of its units)"),
  "sensor_reporting",
)
  .addOptionalParam("minTemp", "lowest temperature the logger recorded, °C (in the event's sensor report)")
  .addOptionalParam("maxTemp", "highest temperature the logger recorded, °C (in the event's sensor report)")
  .addOptionalParam("device", "the logger's identifier, e.g. a GIAI Digital Link (in the sensor report)")
  .setAction(async (args: LotArgs & { minTemp?: string; maxTemp?: string; device?: string }, hre) =>
    run(hre, async () => {
      const temperature = (name: string, v?: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (v.trim() === "" || !Number.isFinite(n)) throw new Error(`--${name} must be a temperature in °C: "${v}"`);
        return n;
      };
      const minValue = temperature("min-temp", args.minTemp);
      const maxValue = temperature("max-temp", args.maxTemp);
      const { excursionEvent } = await import("../src/epcis");
      await lotAct(
        hre,
        args,
        "excursion",
        (x) =>
          excursionEvent({
            ...x,
            sensor:
              minValue === undefined && maxValue === undefined
                ? undefined
                : { deviceID: args.device, readings: [{ time: x.eventTime, minValue, maxValue }] },
          }),
        (c, lotId) => actOf(c.reportExcursion, lotId),
        "cold-chain excursion reported for",
      );
    }),
  );

common(
  task(
    "supply:inbox",
    "Shipments addressed to you (or --to): those in transit first, with the command that receives each",
  ),
)
  .addOptionalParam("to", "whose inbox: an address or account number (default: --from)")
  .addOptionalParam("lotId", "only shipments of this lot")
  .addFlag("all", "also list shipments already received, rejected or cancelled")
  .setAction(async (args: Common & { to?: string; lotId?: string; all?: boolean }, hre) =>
    run(hre, async () => {
      const { client: c, signer } = await client(hre, args);
      const to = args.to ? await accountArg(hre, "to", args.to) : signer.address;
      const lotId = args.lotId ? await lotIdFrom({ lotId: args.lotId }) : undefined;
      const all = await c.shipmentsTo(to, lotId);
      const shown = all
        .filter((s) => args.all || s.inTransit)
        .sort((a, b) => Number(b.inTransit) - Number(a.inTransit));
      if (shown.length === 0) {
        console.log(`no shipment ${args.all ? "" : "in transit "}to ${to}`);
        return;
      }
      for (const s of shown) {
        console.log(
          `${s.shipmentId}  ${s.inTransit ? "in transit" : "closed    "}  ${s.quantity} units of lot ${s.lotId} from ${s.from} (block ${s.blockNumber})`,
        );
      }
      const waiting = shown.filter((s) => s.inTransit).length;
      if (waiting > 0) console.log(`${waiting} to receive: npx hardhat supply:receive --shipment <id> (or --reject)`);
    }),
  );

/** The status line of a lot. */
async function lotLine(c: SupplyContract, lotId: string): Promise<string> {
  const { HoldOrigin, RecallClass } = await import("../src/supply/enums");
  const lot = await c.lotOf(lotId);
  const status = Number(lot.status);
  if (status === LotStatus.None) {
    const { TaskInputError } = await import("./lib");
    throw new TaskInputError(`no lot ${lotId} was commissioned on this chain`);
  }
  const extra =
    status === LotStatus.Quarantined
      ? `, hold by ${HoldOrigin[Number(lot.holdOrigin)]}`
      : status === LotStatus.Recalled
        ? `, ${RecallClass[Number(lot.recallClass)]}`
        : "";
  const expiry = new Date(Number(lot.expiry) * 1000).toISOString().slice(0, 10);
  return `lot ${lotId}: ${LotStatus[status]}${extra}; ${lot.unitCount} units, expires ${expiry}, manufacturer ${lot.manufacturer}`;
}

common(task("supply:lot", "A lot's status (Active, Quarantined and by whom, Recalled and its class, …) and custody"))
  .addOptionalParam("lotId", "lot id (or --gtin and --lot)")
  .addOptionalParam("gtin", "GTIN of the lot")
  .addOptionalParam("lot", "lot number")
  .addOptionalParam("holder", "also show this holder's custody: an address or account number")
  .setAction(async (args: Common & { lotId?: string; gtin?: string; lot?: string; holder?: string }, hre) =>
    run(hre, async () => {
      const lotId = await lotIdFrom(args);
      const { client: c } = await client(hre, args);
      console.log(await lotLine(c.contract, lotId));
      if (args.holder) {
        const holder = await accountArg(hre, "holder", args.holder);
        console.log(`${holder} holds ${(await c.contract.custodyOf(lotId, holder)).quantity} units`);
      }
    }),
  );

common(task("supply:history", "A lot's history from its events: commissioning, shipments, alerts, holds, recall"))
  .addOptionalParam("lotId", "lot id (or --gtin and --lot)")
  .addOptionalParam("gtin", "GTIN of the lot")
  .addOptionalParam("lot", "lot number")
  .addOptionalParam("fromBlock", "first block to search (default 0; use the deployment block on long chains)", "0")
  .setAction(async (args: Common & { lotId?: string; gtin?: string; lot?: string; fromBlock: string }, hre) =>
    run(hre, async () => {
      const lotId = await lotIdFrom(args);
      const { client: c } = await client(hre, args);
      console.log(await lotLine(c.contract, lotId));
      for (const e of await c.provenance(lotId, Number(args.fromBlock))) {
        const details = Object.entries(e.details)
          .filter(([k]) => k !== "eventHash")
          .map(([k, v]) => `${k}=${v}`)
          .join(" ");
        console.log(`block ${e.blockNumber}  ${e.event}  ${details}`);
      }
    }),
  );
