/**
 * EPCIS tasks: match a trading partner's EPCIS document to the chain, export a lot's provenance as an
 * EPCIS 2.0 document. `npx hardhat supply:match-epcis --file <document> --network <net>`.
 * Events are hashed with GS1's EPCIS Event Hash ID (src/epcis): any serialisation of an event (JSON-LD
 * with any key order, EPCIS 2.0 or 1.2 XML) finds the step that anchors it.
 */
import fs from "node:fs";
import { task, types } from "hardhat/config";
import { contractAddress, runTask, TaskInputError } from "./lib";

function readFile(file: string): string {
  if (!fs.existsSync(file)) throw new TaskInputError(`--file ${file}: no such file`);
  return fs.readFileSync(file, "utf8");
}

function lotIdArg(lotId?: string): string | undefined {
  if (lotId === undefined || lotId === "") return undefined;
  if (!/^0x[0-9a-fA-F]{64}$/.test(lotId)) throw new TaskInputError(`--lot-id must be 32 bytes of hex: "${lotId}"`);
  return lotId;
}

task("supply:match-epcis", "Hash every event of an EPCIS document (JSON-LD or XML) and find the steps it anchors")
  .addParam("file", "EPCIS document: JSON-LD, EPCIS 2.0 XML or EPCIS 1.2 XML")
  .addOptionalParam("lotId", "audit this lot: list its steps the document lacks (default: the lots it matches)")
  .addOptionalParam("fromBlock", "first block to scan", 0, types.int)
  .addOptionalParam("pageSize", "blocks per eth_getLogs call", 5000, types.int)
  .addOptionalParam("address", "SupplyChain address (default: Ignition deployment of this chain)")
  .addFlag("json", "print the result as JSON")
  .setAction(async (args, hre) =>
    runTask(hre, ["SupplyChain"], async () => {
      const { fetchAnchoredSteps, matchEpcisDocument, EpcisParseError } = await import("../src/epcis");
      const text = readFile(args.file);
      const lotId = lotIdArg(args.lotId);
      const address = await contractAddress(hre, "supply", args.address);
      const steps = await fetchAnchoredSteps(hre.ethers.provider, address, {
        fromBlock: args.fromBlock,
        pageSize: args.pageSize,
        lotId,
      });
      let result;
      try {
        result = matchEpcisDocument(text, steps, lotId ? [lotId] : undefined);
      } catch (e) {
        if (e instanceof EpcisParseError) throw new TaskInputError(`--file ${args.file}: ${e.message}`);
        throw e;
      }
      if (args.json) {
        console.log(
          JSON.stringify(
            {
              matched: result.matched.map((m) => ({
                index: m.event.index,
                hashId: m.event.hashId,
                steps: m.steps.map((s) => ({
                  event: s.event,
                  lotId: s.lotId,
                  tx: s.transactionHash,
                  block: s.blockNumber,
                })),
              })),
              unanchored: result.unanchored.map((e) => ({ index: e.index, hashId: e.hashId })),
              missing: result.missing.map((s) => ({
                event: s.event,
                lotId: s.lotId,
                hash: s.hash,
                tx: s.transactionHash,
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      console.log(`${result.events.length} events, ${steps.length} anchoring steps scanned`);
      for (const m of result.matched)
        for (const s of m.steps)
          console.log(
            `  anchored  #${m.event.index} ${m.event.hashId} -> ${s.event} lot ${s.lotId} tx ${s.transactionHash}`,
          );
      for (const e of result.unanchored) console.log(`  NOT ANCHORED  #${e.index} ${e.eventType} ${e.hashId}`);
      for (const s of result.missing)
        console.log(`  MISSING FROM DOCUMENT  ${s.event} lot ${s.lotId} hash ${s.hash} tx ${s.transactionHash}`);
      if (result.unanchored.length || result.missing.length) process.exitCode = 2;
    }),
  );

task("supply:export-epcis", "Write a lot's provenance as one EPCIS 2.0 JSON-LD document")
  .addParam("gtin", "GTIN of the lot")
  .addParam("lot", "lot number (AI 10)")
  .addOptionalParam("own", "your own EPCIS events of the lot (JSON-LD document), used where the chain anchors them")
  .addOptionalParam("out", "output file (default: stdout)")
  .addOptionalParam("companyPrefixLength", "GS1 Company Prefix length of the EPC URIs", 7, types.int)
  .addOptionalParam("fromBlock", "first block to scan", 0, types.int)
  .addOptionalParam("pageSize", "blocks per eth_getLogs call", 5000, types.int)
  .addOptionalParam("address", "SupplyChain address (default: Ignition deployment of this chain)")
  .setAction(async (args, hre) =>
    runTask(hre, ["SupplyChain"], async () => {
      const { fetchAnchoredSteps, provenanceAsEpcis, jsonEvents } = await import("../src/epcis");
      const { lotIdOf } = await import("../src/supply/ids");
      const { MemberRegistry__factory } = await import("../typechain-types");
      const address = await contractAddress(hre, "supply", args.address);
      const registry = MemberRegistry__factory.connect(await contractAddress(hre, "registry"), hre.ethers.provider);
      const lotId = lotIdOf(args.gtin, args.lot);
      const steps = await fetchAnchoredSteps(hre.ethers.provider, address, {
        lotId,
        fromBlock: args.fromBlock,
        pageSize: args.pageSize,
        timestamps: true,
      });
      const glns = new Map<string, bigint>();
      for (const s of steps)
        for (const key of ["manufacturer", "from", "to", "by", "reporter"]) {
          const a = s.args[key];
          if (a && !glns.has(a)) glns.set(a, (await registry.memberOf(a)).gln);
        }
      const own = args.own
        ? (jsonEvents(JSON.parse(readFile(args.own))).events as unknown as Parameters<
            typeof provenanceAsEpcis
          >[0]["own"])
        : [];
      const result = provenanceAsEpcis({
        gtin: args.gtin,
        lot: args.lot,
        steps,
        own,
        glnOf: (a) => {
          const g = glns.get(hre.ethers.getAddress(a));
          return g && g !== 0n ? g : undefined;
        },
        companyPrefixLength: args.companyPrefixLength,
        creationDate: (await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0,
      });
      const text = JSON.stringify(result.document, null, 2);
      if (args.out) fs.writeFileSync(args.out, text + "\n");
      else console.log(text);
      console.error(
        `${lotId}: ${result.anchored} own events anchored, ${result.rebuilt} rebuilt from the chain, ${result.unanchored} own events not anchored`,
      );
    }),
  );
