/**
 * The indexer handles every event (part of `npm test`; no node needed): each event of the four
 * indexed contracts' compiled ABIs has exactly one handler in services/indexer/src/index.ts, and
 * every handler names an event of its contract (Ponder refuses that too, at start).
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../helpers/node";

const CONTRACTS = ["MemberRegistry", "SupplyChain", "RecordAccess", "ClinicalTrials"] as const;

function artifactAbi(contract: string): { type: string; name?: string }[] {
  const base = path.join(PROJECT_ROOT, "artifacts", "contracts");
  for (const domain of fs.readdirSync(base)) {
    const file = path.join(base, domain, `${contract}.sol`, `${contract}.json`);
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { abi: { type: string }[] }).abi;
  }
  throw new Error(`no compiled artifact for ${contract}`);
}

/** The "<Contract>:<Event>" keys of the handlers object, read from the source. */
function handlerKeys(): string[] {
  const source = fs.readFileSync(path.join(PROJECT_ROOT, "services", "indexer", "src", "index.ts"), "utf8");
  return [...source.matchAll(/^\s*"(\w+:\w+)": async/gm)].map((m) => m[1]);
}

describe("indexer: every event has a handler", function () {
  const keys = handlerKeys();

  it("has no handler twice", function () {
    expect(keys.length).to.be.greaterThan(0);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  for (const contract of CONTRACTS) {
    it(`handles every event of ${contract}'s ABI, and nothing else`, function () {
      const events = artifactAbi(contract)
        .filter((item) => item.type === "event")
        .map((item) => `${contract}:${item.name}`)
        .sort();
      expect(events.length).to.be.greaterThan(0);
      const handled = keys.filter((k) => k.startsWith(`${contract}:`)).sort();
      expect(handled).to.deep.equal(events);
    });
  }
});
