/**
 * Matching an EPCIS document from any system to the chain: every event is hashed (Event Hash ID, so
 * the serialisation does not matter) and looked up among the SupplyChain steps that anchor an event
 * hash; events that anchor nothing and steps whose event the document lacks are reported.
 */
import { Interface, type Provider } from "ethers";
import { carechainInterface } from "../contracts";
import { pagedQuery } from "../history";
import { hashEpcisDocument, type HashedEvent } from "./hash";

/** SupplyChain events that carry the hash of an off-chain event, and the argument that holds it. */
export const ANCHOR_FIELDS = {
  LotCommissioned: "eventHash",
  ShipmentSent: "eventHash",
  ShipmentReceived: "eventHash",
  ShipmentRejected: "eventHash",
  ShipmentCancelled: "eventHash",
  LotDestroyed: "eventHash",
  LotQuarantined: "reasonHash",
  LotReleased: "reasonHash",
  LotRecalled: "reasonHash",
  ColdChainExcursion: "attestationHash",
} as const;

export type AnchorEventName = keyof typeof ANCHOR_FIELDS;

/** One on-chain step with the hash it anchors. */
export interface AnchoredStep {
  event: AnchorEventName;
  lotId: string;
  /** The anchored bytes32, lower-case 0x hex. */
  hash: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  /** The event's other arguments as strings (addresses, quantity, shipmentId, …). */
  args: Record<string, string>;
  /** The block's timestamp (unix seconds), when fetched with `timestamps`. */
  timestamp?: number;
}

const ZERO = "0x" + "0".repeat(64);

let iface: Interface | undefined;
function supplyInterface(): Interface {
  return (iface ??= carechainInterface("SupplyChain"));
}

/** Options of {@link fetchAnchoredSteps}. */
export interface FetchOptions {
  fromBlock?: number;
  /** Default: the latest block. */
  toBlock?: number;
  /** Blocks per eth_getLogs call (default 5,000; many providers cap ranges or result sizes). */
  pageSize?: number;
  /** Only this lot's steps (the lot id is the first indexed topic of every anchoring event). */
  lotId?: string;
  /** Also read each step's block timestamp (one call per distinct block). */
  timestamps?: boolean;
}

/** The steps anchoring event hashes at SupplyChain `address`, by paged eth_getLogs, in chain order. */
export async function fetchAnchoredSteps(
  provider: Provider,
  address: string,
  options: FetchOptions = {},
): Promise<AnchoredStep[]> {
  const i = supplyInterface();
  const names = Object.keys(ANCHOR_FIELDS) as AnchorEventName[];
  const topic0 = names.map((n) => i.getEvent(n)!.topicHash);
  const topics: (string | string[] | null)[] = [topic0];
  if (options.lotId) topics.push(options.lotId.toLowerCase());
  const from = options.fromBlock ?? 0;
  const to = options.toBlock ?? (await provider.getBlockNumber());
  const logs = await pagedQuery(
    provider,
    (fromBlock, toBlock) => provider.getLogs({ address, topics, fromBlock, toBlock }),
    { fromBlock: from, toBlock: to, blockRange: Math.max(1, options.pageSize ?? 5000) },
  );
  const steps: AnchoredStep[] = [];
  for (const log of logs) {
    const parsed = i.parseLog(log);
    if (!parsed) continue;
    const name = parsed.name as AnchorEventName;
    const args: Record<string, string> = {};
    parsed.fragment.inputs.forEach((input, k) => (args[input.name] = String(parsed.args[k])));
    steps.push({
      event: name,
      lotId: args.lotId.toLowerCase(),
      hash: args[ANCHOR_FIELDS[name]].toLowerCase(),
      blockNumber: log.blockNumber,
      logIndex: log.index,
      transactionHash: log.transactionHash,
      args,
    });
  }
  if (options.timestamps) {
    const times = new Map<number, number>();
    for (const s of steps) {
      if (!times.has(s.blockNumber)) times.set(s.blockNumber, (await provider.getBlock(s.blockNumber))?.timestamp ?? 0);
      s.timestamp = times.get(s.blockNumber);
    }
  }
  return steps.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** The outcome of {@link matchEpcisDocument}. */
export interface EpcisMatch {
  /** Every event of the document, hashed. */
  events: HashedEvent[];
  /** Events with the steps anchoring their hash. */
  matched: { event: HashedEvent; steps: AnchoredStep[] }[];
  /** Events no step anchors. */
  unanchored: HashedEvent[];
  /** Steps (of the lots considered) whose event is not in the document. */
  missing: AnchoredStep[];
}

/**
 * Hashes every event of `document` (JSON-LD object or text, EPCIS 2.0 / 1.2 XML text) and matches
 * them to `onChainSteps` by hash. `missing` lists the steps of `lots` (default: the lots of the matched
 * steps; pass all lot ids of interest to audit a lot the document does not touch at all) that anchor a
 * non-zero hash absent from the document.
 */
export function matchEpcisDocument(
  document: string | Record<string, unknown>,
  onChainSteps: readonly AnchoredStep[],
  lots?: readonly string[],
): EpcisMatch {
  const events = hashEpcisDocument(document);
  const byHash = new Map<string, AnchoredStep[]>();
  for (const s of onChainSteps) byHash.set(s.hash.toLowerCase(), [...(byHash.get(s.hash.toLowerCase()) ?? []), s]);
  const matched: EpcisMatch["matched"] = [];
  const unanchored: HashedEvent[] = [];
  for (const e of events) {
    const steps = byHash.get(e.bytes32);
    if (steps) matched.push({ event: e, steps });
    else unanchored.push(e);
  }
  const hashes = new Set(events.map((e) => e.bytes32));
  const scope = new Set((lots ?? matched.flatMap((m) => m.steps.map((s) => s.lotId))).map((l) => l.toLowerCase()));
  const missing = onChainSteps.filter(
    (s) => scope.has(s.lotId.toLowerCase()) && s.hash !== ZERO && !hashes.has(s.hash.toLowerCase()),
  );
  return { events, matched, unanchored, missing };
}
