/**
 * A chain reorganisation (issue 14) on anvil: blocks the indexer has already indexed are replaced
 * (`anvil_reorg`) by blocks with other transactions — an admission and a suspension undone, a
 * different admission in their place. Afterwards the live indexer equals, table by table, a fresh
 * index of the canonical chain, and both equal the contracts' views. Run by `npm run test:indexer`.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { id } from "ethers";
import { rpc, underCoverage } from "../helpers/node";
import { hardhatWallet, ACTOR_INDEX } from "../e2e/consortium";
import { parseGLN, withCheckDigit } from "../../src";
import { MemberRegistry__factory } from "../../typechain-types";
import { startAnvilWithCarechain, type RunningAnvil } from "./anvil";
import { startIndexer, type RunningIndexer } from "./harness";
import { compareWithContracts, dumpAll, dumpTable } from "./compare";

const gln = (n: number) => parseGLN(withCheckDigit(String(440000000000 + n)));
const account = (n: number) => "0x" + id(`reorg-member-${n}`).slice(-40);

describe("indexer: a chain reorganisation on anvil", function () {
  this.timeout(1_200_000);
  let anvil: RunningAnvil | undefined;
  const indexers: RunningIndexer[] = [];
  const dirs: string[] = [];
  const start = async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-reorg-"));
    dirs.push(dataDir);
    const a = anvil!;
    const indexer = await startIndexer({ rpcUrl: a.url, chainId: a.chainId, deploymentDir: a.deployment.dir, dataDir });
    indexers.push(indexer);
    return indexer;
  };

  before(async function () {
    if (process.env.CARECHAIN_INDEXER_TESTS !== "1" || underCoverage(hre)) this.skip();
    anvil = await startAnvilWithCarechain();
  });

  after(async function () {
    for (const i of indexers) await i.stop();
    await anvil?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("undoes the replaced blocks' effects and applies the new ones: equal to a fresh index and to the contracts", async function () {
    const a = anvil!;
    const registrarWallet = hardhatWallet(ACTOR_INDEX.registrar, a.provider);
    const registry = MemberRegistry__factory.connect(a.deployment.addresses.registry!, registrarWallet);
    const live = await start();
    await live.waitReady();
    // Members 0-3, each admission its own block (anvil automines).
    for (let n = 0; n < 4; n++) await (await registry.admitMember(account(n), gln(n), id(`m${n}`))).wait();
    // The blocks to be replaced: member 4 admitted, member 0 suspended, member 1's profile updated.
    await (await registry.admitMember(account(4), gln(4), id("m4"))).wait();
    await (await registry.suspendMember(account(0), id("reason"))).wait();
    await (await registry.updateMemberMetadata(account(1), id("new profile"))).wait();
    const before = await a.provider.getBlockNumber();
    await live.waitForBlock(before);
    const indexedBefore = await dumpTable(live.url, "member");
    expect(indexedBefore.map((m) => m.account)).to.include(account(4));
    expect(indexedBefore.find((m) => m.account === account(0))?.status).to.equal(2);

    // Replace the last 3 blocks: member 5 admitted instead (in the first replacement block).
    const data = registry.interface.encodeFunctionData("admitMember", [account(5), gln(5), id("m5")]);
    await rpc(a.url, "anvil_reorg", [
      3,
      [[{ from: registrarWallet.address, to: await registry.getAddress(), data, gas: "0x30d40" }, 0]],
    ]);
    await rpc(a.url, "evm_mine");
    const head = await a.provider.getBlockNumber();
    expect(head).to.equal(before + 1);
    await live.waitForBlock(head);

    const members = await dumpTable(live.url, "member");
    const accounts = members.map((m) => m.account);
    expect(accounts).to.include(account(5));
    expect(accounts).to.not.include(account(4));
    expect(members.find((m) => m.account === account(0))?.status, "the suspension was undone").to.equal(1);
    expect(members.find((m) => m.account === account(1))?.metadataHash).to.equal(id("m1"));

    const { problems } = await compareWithContracts(live.url, a.provider, a.deployment.addresses, head);
    expect(problems).to.deep.equal([]);
    const fresh = await start();
    await fresh.waitReady();
    await fresh.waitForBlock(head);
    expect(await dumpAll(live.url)).to.deep.equal(await dumpAll(fresh.url));
  });
});
