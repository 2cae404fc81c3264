/**
 * Drug-traceability tasks: `npx hardhat supply:<verb> --network <net> …`.
 * Every task prints one line "Error: …" (decoded custom error or input problem) and sets a non-zero
 * exit code on failure, never a stack trace. The SDK is imported lazily inside the actions so that
 * loading the Hardhat config never needs compiled artifacts or typechain types.
 */
import fs from "node:fs";
import { task, types } from "hardhat/config";
import { contractAddress, runTask, signerOf } from "./lib";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";

interface Common {
  address?: string;
  from?: string;
}

/** The SupplyChain address: --address, else Ignition's deployment record of this chain. */
function supplyAddress(hre: HardhatRuntimeEnvironment, address?: string): Promise<string> {
  return contractAddress(hre, "supply", address);
}

/** An EPCIS event hash from --event: a 32-byte hex hash as is, else the hash of the given document text. */
async function eventHashOf(text: string | undefined, fallback: object): Promise<string> {
  const { epcisEventHash } = await import("../src/supply/ids");
  if (text && /^0x[0-9a-fA-F]{64}$/.test(text)) return text;
  return epcisEventHash(text ?? { ...fallback, eventTime: new Date().toISOString() });
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

/** The parameters every supply task takes. */
function common(t: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return t
    .addOptionalParam("address", "SupplyChain address (default: Ignition deployment of this chain)")
    .addOptionalParam("from", "account index or address to send from (default 0)");
}

common(task("supply:register-product", "Register a product (GTIN) as the sending manufacturer"))
  .addParam("gtin", "GTIN-8/12/13/14 (check digit validated)")
  .addOptionalParam("metadata", "product master data document (hashed) or a 0x… hash", "")
  .setAction(async (args: Common & { gtin: string; metadata: string }, hre) =>
    run(hre, async () => {
      const { gtinToUint } = await import("../src/supply/ids");
      const gtin = gtinToUint(args.gtin);
      const hash = /^0x[0-9a-fA-F]{64}$/.test(args.metadata) ? args.metadata : hre.ethers.id(args.metadata);
      const { client: c } = await client(hre, args);
      const receipt = await (await c.contract.registerProduct(gtin, hash)).wait();
      console.log(`registered GTIN ${args.gtin} (tx ${receipt?.hash}, gas ${receipt?.gasUsed})`);
    }),
  );

common(task("supply:commission", "Commission a lot from a CSV of serials (builds and saves the serial tree)"))
  .addParam("gtin", "the product's GTIN")
  .addParam("lot", "lot number, AI (10)")
  .addParam("expiry", "expiry date as printed, AI (17) YYMMDD")
  .addParam("serials", "CSV file of serials (one per line, or a column named serial)")
  .addOptionalParam("out", "where to save the serial tree (default <lot>.serials.json)")
  .addOptionalParam("event", "EPCIS commissioning event document or 0x… hash")
  .setAction(
    async (
      args: Common & { gtin: string; lot: string; expiry: string; serials: string; out?: string; event?: string },
      hre,
    ) =>
      run(hre, async () => {
        const { SerialTree, parseSerialsCsv } = await import("../src/supply/serials");
        const { gtinToUint, lotIdOf } = await import("../src/supply/ids");
        const { expiryTimestamp } = await import("../src/gs1/elementString");
        const { SingleBar, Presets } = await import("cli-progress");
        const gtin = gtinToUint(args.gtin);
        const expiry = expiryTimestamp(args.expiry);
        if (!fs.existsSync(args.serials)) throw new Error(`no such file: ${args.serials}`);
        const serials = parseSerialsCsv(fs.readFileSync(args.serials, "utf8"));
        const bar = new SingleBar(
          { format: "  {stage} |{bar}| {value}/{total}", hideCursor: true },
          Presets.shades_classic,
        );
        let stage = "";
        const started = Date.now();
        const tree = SerialTree.build({ gtin, lotNumber: args.lot, expiry }, serials, (s, done, total) => {
          if (s !== stage) {
            if (stage) bar.stop();
            stage = s;
            bar.start(total, 0, { stage: s.padEnd(6) });
          }
          bar.update(done, { stage: s.padEnd(6) });
        });
        bar.stop();
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const out = args.out ?? `${args.lot}.serials.json`;
        tree.save(out);
        console.log(`built the tree of ${serials.length} serials in ${seconds} s; root ${tree.root}; saved ${out}`);
        const { client: c } = await client(hre, args);
        const hash = await eventHashOf(args.event, { type: "ObjectEvent", action: "ADD", bizStep: "commissioning" });
        const receipt = await (
          await c.contract.commissionLot(gtin, args.lot, expiry, serials.length, tree.root, hash)
        ).wait();
        console.log(`commissioned lot ${lotIdOf(gtin, args.lot)} (tx ${receipt?.hash}, gas ${receipt?.gasUsed})`);
      }),
  );

common(task("supply:ship", "Ship units of a lot to another trading partner"))
  .addOptionalParam("lotId", "lot id (or --gtin and --lot)")
  .addOptionalParam("gtin", "GTIN of the lot")
  .addOptionalParam("lot", "lot number")
  .addParam("to", "recipient address")
  .addParam("quantity", "units to ship", undefined, types.int)
  .addOptionalParam("event", "EPCIS shipping event document or 0x… hash")
  .setAction(
    async (
      args: Common & { lotId?: string; gtin?: string; lot?: string; to: string; quantity: number; event?: string },
      hre,
    ) =>
      run(hre, async () => {
        if (!hre.ethers.isAddress(args.to)) throw new Error(`--to is not an address: "${args.to}"`);
        if (!Number.isInteger(args.quantity) || args.quantity < 1 || args.quantity > 0xffffffff) {
          throw new Error(`--quantity must be a whole number of units ≥ 1: ${args.quantity}`);
        }
        const lotId = await lotIdFrom(args);
        const { client: c, signer } = await client(hre, args);
        const hash = await eventHashOf(args.event, { type: "ObjectEvent", action: "OBSERVE", bizStep: "shipping" });
        const { shipmentIdOf } = await import("../src/supply/ids");
        const receipt = await (await c.contract.ship(lotId, args.to, args.quantity, hash)).wait();
        const id = shipmentIdOf(lotId, signer.address, args.to, args.quantity, hash);
        console.log(`shipment ${id} in transit (tx ${receipt?.hash}, gas ${receipt?.gasUsed})`);
      }),
  );

common(task("supply:receive", "Receive (or --reject) a shipment addressed to the sender"))
  .addParam("shipment", "shipment id (printed by supply:ship, or from ShipmentSent)")
  .addFlag("reject", "refuse the shipment: it returns to the sender")
  .addOptionalParam("event", "EPCIS receiving event document or 0x… hash")
  .setAction(async (args: Common & { shipment: string; reject: boolean; event?: string }, hre) =>
    run(hre, async () => {
      const { client: c } = await client(hre, args);
      const hash = await eventHashOf(args.event, {
        type: "ObjectEvent",
        action: "OBSERVE",
        bizStep: args.reject ? "receiving_rejected" : "receiving",
      });
      const receipt = await c.closeShipment(args.shipment, hash, args.reject);
      console.log(
        `${args.reject ? "rejected" : "received"} shipment ${args.shipment} (tx ${receipt.hash}, gas ${receipt.gasUsed})`,
      );
    }),
  );

common(
  task("supply:cancel", "Cancel a shipment you sent that its recipient cannot receive (suspended, no trading role)"),
)
  .addParam("shipment", "shipment id (printed by supply:ship, or from ShipmentSent)")
  .addOptionalParam("event", "EPCIS event document of the return or 0x… hash")
  .setAction(async (args: Common & { shipment: string; event?: string }, hre) =>
    run(hre, async () => {
      const { client: c } = await client(hre, args);
      const hash = await eventHashOf(args.event, { type: "ObjectEvent", action: "OBSERVE", bizStep: "void_shipping" });
      const receipt = await c.cancelShipment(args.shipment, hash);
      console.log(
        `cancelled shipment ${args.shipment}; units back in your custody (tx ${receipt.hash}, gas ${receipt.gasUsed})`,
      );
    }),
  );

common(task("supply:verify", "Verify a scanned pack code (free view)"))
  .addParam("code", 'scanned code: "(01)…(17)…(10)…(21)…", a raw ]d2 scan with GS (\\x1d), or a Digital Link')
  .addParam("tree", "the lot's serial tree file (from supply:commission)")
  .addOptionalParam("holder", "also check this holder's custody of the lot")
  .setAction(async (args: Common & { code: string; tree: string; holder?: string }, hre) =>
    run(hre, async () => {
      const { SerialTree } = await import("../src/supply/serials");
      if (!fs.existsSync(args.tree)) throw new Error(`no such file: ${args.tree}`);
      const { client: c } = await client(hre, args);
      const v = await c.verifyPack(args.code.replace(/\\x1d|<GS>/g, "\u001d"), SerialTree.load(args.tree), args.holder);
      console.log(
        `${v.answerName}: GTIN ${v.pack.gtin} serial ${v.pack.serial} lot ${v.pack.lot} expiry ${v.pack.expiry}`,
      );
    }),
  );

common(task("supply:dispense", "Verify and dispense a scanned pack (alerts instead of reverting on a suspect pack)"))
  .addParam("code", "scanned code (any GS1 form)")
  .addParam("tree", "the lot's serial tree file")
  .setAction(async (args: Common & { code: string; tree: string }, hre) =>
    run(hre, async () => {
      const { SerialTree } = await import("../src/supply/serials");
      if (!fs.existsSync(args.tree)) throw new Error(`no such file: ${args.tree}`);
      const { client: c } = await client(hre, args);
      const r = await c.dispense(args.code.replace(/\\x1d|<GS>/g, "\u001d"), SerialTree.load(args.tree));
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

common(task("supply:recall", "Recall a lot (class I, II or III) as its manufacturer or a regulator"))
  .addOptionalParam("lotId", "lot id (or --gtin and --lot)")
  .addOptionalParam("gtin", "GTIN of the lot")
  .addOptionalParam("lot", "lot number")
  .addParam("class", "recall class: I, II or III")
  .addParam("reason", "recall notice document (hashed) or 0x… hash")
  .setAction(
    async (args: Common & { lotId?: string; gtin?: string; lot?: string; class: string; reason: string }, hre) =>
      run(hre, async () => {
        const classes: Record<string, number> = { I: 1, II: 2, III: 3, "1": 1, "2": 2, "3": 3 };
        const recallClass = classes[args.class.toUpperCase()];
        if (!recallClass) throw new Error(`--class must be I, II or III: "${args.class}"`);
        const lotId = await lotIdFrom(args);
        const hash = /^0x[0-9a-fA-F]{64}$/.test(args.reason) ? args.reason : hre.ethers.id(args.reason);
        const { client: c } = await client(hre, args);
        const receipt = await (await c.contract.recallLot(lotId, recallClass, hash)).wait();
        console.log(`recalled lot ${lotId} class ${args.class} (tx ${receipt?.hash}, gas ${receipt?.gasUsed})`);
      }),
  );
