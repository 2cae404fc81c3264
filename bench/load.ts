/**
 * `npm run bench:load` (issue 6): throughput on a real `hardhat node` over JSON-RPC.
 *
 * 1. Starts a node on a free loopback port (a hardhat node; LOAD_NODE=anvil: anvil; or uses the node
 *    at LOAD_NODE_URL) and deploys Carechain with the Ignition CLI (the e2e harness,
 *    test/e2e/consortium.ts). Receipts are awaited (waitForTransaction), never assumed.
 * 2. Baseline: 20 concurrent signers send plain ETH transfers.
 * 3. Each workload (registry now; supply, records, trials when they land) prepares its state,
 *    then the same 20 signers send its transactions concurrently, then it checks the final state
 *    against its model: nothing lost, nothing duplicated, duplicates rejected.
 * 4. Prints transactions per second of each workload and its ratio to the plain transfers sent
 *    the same way, to the same node, in the same run.
 *
 * Transactions are signed before the clock starts, with explicit nonce, chain id, gas limit and
 * fees, so each is exactly one eth_sendRawTransaction in every workload: the ratio compares the
 * node's work. Size: LOAD_TX_PER_SIGNER (default 50) transactions per signer per workload.
 * The target, ≥ 4,000 transactions across the three domains, is reached when the domain
 * workloads are added to WORKLOADS.
 */
import { getAddress, id, type HDNodeWallet, type TransactionRequest } from "ethers";
import { startConsortium, hardhatWallet, type E2EContext } from "../test/e2e/consortium";
import { rpc, type RunningNode } from "../test/helpers/node";
import { startAnvil } from "../scripts/lib/anvil";
import { describeError, parseGLN, Role, withCheckDigit } from "../src";
import { MemberRegistry__factory } from "../typechain-types";
import { supplyWorkload } from "./workloads/supply";
import { recordsWorkload } from "./workloads/records";
import { trialsWorkload } from "./workloads/trials";

const SIGNERS = 20;
const TX_PER_SIGNER = Number(process.env.LOAD_TX_PER_SIGNER ?? 50);
/** How long a transaction may take to be mined before the run fails. */
const RECEIPT_TIMEOUT_MS = Number(process.env.LOAD_RECEIPT_TIMEOUT_MS ?? 120_000);

/** The receipts of `hashes`, polled until each is mined (or RECEIPT_TIMEOUT_MS passes: null). */
async function receiptsOf(provider: E2EContext["provider"], hashes: readonly string[]) {
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  const receipts = new Array<Awaited<ReturnType<typeof provider.getTransactionReceipt>>>(hashes.length).fill(null);
  let pending = hashes.map((_, i) => i);
  while (pending.length > 0 && Date.now() < deadline) {
    const found = await Promise.all(pending.map((i) => provider.getTransactionReceipt(hashes[i])));
    found.forEach((r, k) => (receipts[pending[k]] = r));
    pending = pending.filter((i) => receipts[i] === null);
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return receipts;
}

/**
 * The node: LOAD_NODE_URL (a node already running whose first 30 development accounts are funded:
 * anvil, a Besu dev node, …), or LOAD_NODE=anvil (anvil started here on a free port, chain id 1337),
 * else a hardhat node started here.
 */
async function nodeToUse(): Promise<RunningNode | undefined> {
  const url = process.env.LOAD_NODE_URL;
  if (url) {
    const chainId = BigInt((await rpc(url, "eth_chainId")) as string);
    return { url, port: Number(new URL(url).port), chainId, output: () => "", stop: async () => undefined };
  }
  if (process.env.LOAD_NODE === "anvil") return startAnvil();
  return undefined;
}
const FEES = { maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };

/** One kind of load. `build` must give each (signer, i) a distinct, valid transaction. */
export interface Workload {
  name: string;
  /** State the transactions need (roles, lots, …), set up before timing. */
  prepare(ctx: E2EContext, signers: HDNodeWallet[]): Promise<void>;
  build(signer: number, i: number): TransactionRequest;
  /** Compares the chain with the model after the load; returns problems (empty when all is well). */
  verify(ctx: E2EContext, signers: HDNodeWallet[]): Promise<string[]>;
}

interface Result {
  name: string;
  transactions: number;
  seconds: number;
  perSecond: number;
}

/** Signs, then sends from each signer concurrently, the transactions `build` gives; all must succeed. */
async function runConcurrently(
  ctx: E2EContext,
  name: string,
  signers: HDNodeWallet[],
  build: (signer: number, i: number) => TransactionRequest,
): Promise<Result> {
  const { chainId, provider } = ctx;
  const nonces = await Promise.all(signers.map((s) => provider.getTransactionCount(s.address, "pending")));
  const raw = await Promise.all(
    signers.map(async (signer, k) => {
      const signed: string[] = [];
      for (let i = 0; i < TX_PER_SIGNER; i++) {
        signed.push(await signer.signTransaction({ ...build(k, i), nonce: nonces[k] + i, chainId, type: 2, ...FEES }));
      }
      return signed;
    }),
  );
  const started = performance.now();
  const hashes = await Promise.all(
    raw.map(async (txs) => {
      const sent: string[] = [];
      for (const tx of txs) sent.push((await provider.send("eth_sendRawTransaction", [tx])) as string);
      return sent;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // Accepted is not mined: wait for each receipt as any client must (anvil and Besu mine after they
  // answer eth_sendRawTransaction; asking for the receipt at once finds none).
  const receipts = await receiptsOf(provider, hashes.flat());
  const failed = receipts.filter((r) => r === null || r.status !== 1).length;
  if (failed > 0) throw new Error(`${name}: ${failed} transaction(s) not mined successfully`);
  const transactions = signers.length * TX_PER_SIGNER;
  return { name, transactions, seconds, perSecond: transactions / seconds };
}

// ---------------------------------------------------------------- registry workload

/** A distinct valid GLN per (signer, i) (company prefix 41, not used elsewhere). */
function loadGLN(signer: number, i: number): bigint {
  return parseGLN(withCheckDigit(String(410000000000 + signer * 100_000 + i)));
}

/** A distinct member address per (signer, i). */
function loadMember(signer: number, i: number): string {
  return getAddress("0x" + id(`carechain-load-member-${signer}-${i}`).slice(-40));
}

function registryWorkload(): Workload {
  const iface = MemberRegistry__factory.createInterface();
  let registryAddress = "";
  return {
    name: "registry admitMember",
    async prepare(ctx, signers) {
      registryAddress = await ctx.registry.getAddress();
      const asGovernance = ctx.registry.connect(ctx.actors.governance);
      for (const s of signers) await (await asGovernance.grantRole(Role.REGISTRAR, s.address)).wait();
    },
    build(k, i) {
      return {
        to: registryAddress,
        data: iface.encodeFunctionData("admitMember", [loadMember(k, i), loadGLN(k, i), id(`load-${k}-${i}`)]),
        gasLimit: 200_000n,
      };
    },
    async verify(ctx, signers) {
      const problems: string[] = [];
      // Duplicates: each signer admits its neighbour's first member again; each must be refused.
      let rejected = 0;
      await Promise.all(
        signers.map(async (signer, k) => {
          const duplicate = loadMember((k + 1) % signers.length, 0);
          try {
            await ctx.registry
              .connect(signer)
              .admitMember.staticCall(duplicate, loadGLN(k, TX_PER_SIGNER + 1), id("duplicate"));
          } catch (error) {
            if (describeError(error, [iface]) === `MemberAlreadyAdmitted(${duplicate})`) rejected++;
          }
        }),
      );
      if (rejected !== signers.length) problems.push(`duplicates rejected ${rejected}/${signers.length}`);
      // The model: signers × TX_PER_SIGNER distinct members, each admitted once, under its GLN.
      const events = await ctx.registry.queryFilter(ctx.registry.filters.MemberAdmitted(), 0, "latest");
      const counts = new Map<string, number>();
      for (const e of events) counts.set(e.args.account, (counts.get(e.args.account) ?? 0) + 1);
      let lost = 0;
      let duplicated = 0;
      for (let k = 0; k < signers.length; k++) {
        for (let i = 0; i < TX_PER_SIGNER; i++) {
          const member = loadMember(k, i);
          const seen = counts.get(member) ?? 0;
          if (seen === 0 || (await ctx.registry.memberByGLN(loadGLN(k, i))) !== member) lost++;
          if (seen > 1) duplicated++;
        }
      }
      if (events.length !== signers.length * TX_PER_SIGNER) {
        problems.push(`${events.length} MemberAdmitted events for ${signers.length * TX_PER_SIGNER} admissions`);
      }
      if (lost > 0) problems.push(`${lost} member(s) lost`);
      if (duplicated > 0) problems.push(`${duplicated} member(s) admitted twice`);
      return problems;
    },
  };
}

/** Every workload; domains add theirs after the registry's. */
const WORKLOADS: (() => Workload)[] = [registryWorkload, supplyWorkload, recordsWorkload, trialsWorkload];

async function main(): Promise<void> {
  const ctx = await startConsortium({ node: await nodeToUse() });
  try {
    // Accounts 10-29 (the node funds 30): registry roles are granted by each workload's prepare.
    const signers = Array.from({ length: SIGNERS }, (_, k) => hardhatWallet(10 + k, ctx.provider));
    console.log(
      `node ${ctx.node.url}: ${SIGNERS} concurrent signers, ${TX_PER_SIGNER} transactions each per workload\n`,
    );

    const sink = ctx.actors.outsider.address;
    const eth = await runConcurrently(ctx, "plain ETH transfers", signers, () => ({
      to: sink,
      value: 1n,
      gasLimit: 21_000n,
    }));
    const results: (Result & { problems: string[] })[] = [];
    for (const make of WORKLOADS) {
      const workload = make();
      await workload.prepare(ctx, signers);
      const result = await runConcurrently(ctx, workload.name, signers, (k, i) => workload.build(k, i));
      results.push({ ...result, problems: await workload.verify(ctx, signers) });
    }

    console.log("| workload                 | transactions |  seconds |     tx/s | ratio to ETH |");
    console.log("|--------------------------|--------------|----------|----------|--------------|");
    for (const r of [{ ...eth, problems: [] as string[] }, ...results]) {
      console.log(
        `| ${r.name.padEnd(24)} | ${String(r.transactions).padStart(12)} | ${r.seconds.toFixed(2).padStart(8)} | ${r.perSecond.toFixed(1).padStart(8)} | ${(r.perSecond / eth.perSecond).toFixed(3).padStart(12)} |`,
      );
    }
    const total = results.reduce((n, r) => n + r.transactions, 0);
    const seconds = results.reduce((n, r) => n + r.seconds, 0);
    console.log(
      `\nCarechain: ${total} transactions in ${seconds.toFixed(2)} s = ${(total / seconds).toFixed(1)} tx/s; ` +
        `ETH transfers: ${eth.perSecond.toFixed(1)} tx/s; ratio ${(total / seconds / eth.perSecond).toFixed(3)}`,
    );
    const problems = results.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`));
    if (problems.length > 0) {
      console.error(`\nstate check FAILED:\n  ${problems.join("\n  ")}`);
      process.exitCode = 1;
    } else {
      console.log("state check: nothing lost, nothing duplicated, duplicates rejected");
    }
  } finally {
    await ctx.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
