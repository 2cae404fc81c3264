/**
 * Records and EPCIS histories page through block ranges (RPC providers cap eth_getLogs ranges):
 * activeGrants, consentsOf and fetchAnchoredSteps read from the deployment's block to a given block
 * in pages, and give what one unbounded query gives; a FHIR Consent bundle "at block N" is built
 * from the events up to N only.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { RecordAccess } from "../../../typechain-types";
import { pagedQuery } from "../../../src/history";
import { activeGrants, consentsOf } from "../../../src/records";
import { defaultTerms, recordsFixture } from "../../records/fixture";

/** `records` whose queryFilter refuses ranges wider than `cap` blocks, as a capped RPC provider does. */
function capped(records: RecordAccess, cap: number, seen: number[][]): RecordAccess {
  return new Proxy(records, {
    get(target, key, receiver) {
      if (key !== "queryFilter") return Reflect.get(target, key, receiver);
      return async (filter: never, from?: number, to?: number) => {
        if (typeof from !== "number" || typeof to !== "number" || to - from + 1 > cap) {
          throw new Error(`eth_getLogs range ${from}..${to} exceeds ${cap} blocks`);
        }
        seen.push([from, to]);
        return target.queryFilter(filter, from, to);
      };
    },
  });
}

describe("SDK history paging: records and EPCIS", function () {
  it("pagedQuery covers fromBlock..toBlock in consecutive pages, none wider than blockRange", async function () {
    const pages: number[][] = [];
    const provider = { getBlockNumber: async () => 1_000 };
    const out = await pagedQuery(provider, async (a, b) => (pages.push([a, b]), [a]), {
      fromBlock: 3,
      toBlock: 10,
      blockRange: 3,
    });
    expect(pages).to.deep.equal([
      [3, 5],
      [6, 8],
      [9, 10],
    ]);
    expect(out).to.deep.equal([3, 6, 9]);
    // Without toBlock: to the latest block.
    pages.length = 0;
    await pagedQuery(provider, async (a, b) => (pages.push([a, b]), []), { fromBlock: 999, blockRange: 10 });
    expect(pages).to.deep.equal([[999, 1_000]]);
  });

  it("activeGrants pages its four event queries and agrees with one unbounded query", async function () {
    const ctx = await loadFixture(recordsFixture);
    const p = ctx.records.connect(ctx.patient);
    const [a, b, c] = ctx.others.slice(6, 9);
    await p.grant(ctx.patient.address, a.address, await defaultTerms());
    await mine(5);
    await p.grant(ctx.patient.address, b.address, await defaultTerms());
    await p.revoke(ctx.patient.address, a.address);
    await mine(7);
    await p.grant(ctx.patient.address, c.address, await defaultTerms());

    const whole = await activeGrants(ctx.records, ctx.patient.address);
    expect(whole.map((g) => g.grantee).sort()).to.deep.equal([b.address, c.address].sort());
    const seen: number[][] = [];
    const paged = await activeGrants(capped(ctx.records, 2, seen), ctx.patient.address, { logPageSize: 2 });
    expect(paged).to.deep.equal(whole);
    expect(seen.length).to.be.greaterThan(4 * 5);
    // The default page (10,000 blocks) is one request per event here: over a 2-block cap it fails.
    const error = await activeGrants(capped(ctx.records, 2, []), ctx.patient.address).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).to.match(/exceeds 2 blocks/);
  });

  it("consentsOf at block N shows the grants made up to N, not the ones after, reading in pages", async function () {
    const ctx = await loadFixture(recordsFixture);
    const p = ctx.records.connect(ctx.patient);
    const [early, late] = ctx.others.slice(6, 8);
    await p.grant(ctx.patient.address, early.address, await defaultTerms());
    const at = await ethers.provider.getBlockNumber();
    await p.grant(ctx.patient.address, late.address, await defaultTerms());

    const seen: number[][] = [];
    const bundle = await consentsOf(capped(ctx.records, 3, seen), ctx.patient.address, {
      blockTag: at,
      logPageSize: 3,
    });
    const text = JSON.stringify(bundle).toLowerCase();
    expect(text).to.include(early.address.slice(2, 10).toLowerCase());
    expect(text).to.not.include(late.address.slice(2, 10).toLowerCase());
    expect(Math.max(...seen.map(([, to]) => to))).to.equal(at);
    // At the latest block both grants show.
    const now = JSON.stringify(await consentsOf(ctx.records, ctx.patient.address)).toLowerCase();
    expect(now).to.include(late.address.slice(2, 10).toLowerCase());
  });
});
