/**
 * The load workload of bench/load.ts (its registry admissions and the supply, records and trials
 * workloads of bench/workloads/), sent the same way — signed first, then 20 signers concurrently —
 * for the indexer's tests and benchmark. `txPerSigner` is LOAD_TX_PER_SIGNER (read by the
 * workloads when first loaded, so it is set before they are required).
 */
import { getAddress, id, type HDNodeWallet, type TransactionRequest } from "ethers";
import { hardhatWallet, type E2EContext } from "../e2e/consortium";
import { parseGLN, Role, withCheckDigit } from "../../src";
import { MemberRegistry__factory } from "../../typechain-types";
import type { Workload } from "../../bench/load";

const FEES = { maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
export const SIGNERS = 20;

/** bench/load.ts's registry workload: each signer (a REGISTRAR) admits distinct members. */
function registryWorkload(txPerSigner: number): Workload {
  const iface = MemberRegistry__factory.createInterface();
  let registry = "";
  const gln = (k: number, i: number) => parseGLN(withCheckDigit(String(410000000000 + k * 100_000 + i)));
  const member = (k: number, i: number) => getAddress("0x" + id(`carechain-load-member-${k}-${i}`).slice(-40));
  return {
    name: "registry admitMember",
    async prepare(ctx, signers) {
      registry = await ctx.registry.getAddress();
      const asGovernance = ctx.registry.connect(ctx.actors.governance);
      for (const s of signers) await (await asGovernance.grantRole(Role.REGISTRAR, s.address)).wait();
    },
    build: (k, i) => ({
      to: registry,
      data: iface.encodeFunctionData("admitMember", [member(k, i), gln(k, i), id(`load-${k}-${i}`)]),
      gasLimit: 200_000n,
    }),
    verify: async () => (txPerSigner > 0 ? [] : ["no transactions"]),
  };
}

async function sendConcurrently(
  ctx: E2EContext,
  signers: HDNodeWallet[],
  txPerSigner: number,
  build: (k: number, i: number) => TransactionRequest,
): Promise<number> {
  const { chainId, provider } = ctx;
  const nonces = await Promise.all(signers.map((s) => provider.getTransactionCount(s.address, "pending")));
  const raw = await Promise.all(
    signers.map(async (signer, k) => {
      const signed: string[] = [];
      for (let i = 0; i < txPerSigner; i++) {
        signed.push(await signer.signTransaction({ ...build(k, i), nonce: nonces[k] + i, chainId, type: 2, ...FEES }));
      }
      return signed;
    }),
  );
  const hashes = await Promise.all(
    raw.map(async (txs) => {
      const sent: string[] = [];
      for (const tx of txs) sent.push((await provider.send("eth_sendRawTransaction", [tx])) as string);
      return sent;
    }),
  );
  // Polled directly (one eth_getTransactionReceipt per pending hash per round).
  const receipts: { status: string }[] = [];
  let pending = hashes.flat();
  while (pending.length > 0) {
    const answers = await Promise.all(
      pending.map((h) => provider.send("eth_getTransactionReceipt", [h]) as Promise<{ status: string } | null>),
    );
    receipts.push(...answers.filter((r): r is { status: string } => r !== null));
    pending = pending.filter((_, i) => answers[i] === null);
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 50));
  }
  const failed = receipts.filter((r) => Number(r.status) !== 1).length;
  if (failed > 0) throw new Error(`${failed} load transaction(s) failed`);
  return receipts.length;
}

export interface LoadResult {
  transactions: number;
  problems: string[];
}

/**
 * Runs the four workloads (registry, supply, records, trials) with `txPerSigner` each per signer,
 * then (unless `verify` is false) each workload's own model check.
 */
export async function runLoad(ctx: E2EContext, txPerSigner: number, verify = true): Promise<LoadResult> {
  process.env.LOAD_TX_PER_SIGNER = String(txPerSigner);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { supplyWorkload } = require("../../bench/workloads/supply") as typeof import("../../bench/workloads/supply");
  const { recordsWorkload } =
    require("../../bench/workloads/records") as typeof import("../../bench/workloads/records");
  const { trialsWorkload } = require("../../bench/workloads/trials") as typeof import("../../bench/workloads/trials");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const signers = Array.from({ length: SIGNERS }, (_, k) => hardhatWallet(10 + k, ctx.provider));
  let transactions = 0;
  const problems: string[] = [];
  for (const workload of [registryWorkload(txPerSigner), supplyWorkload(), recordsWorkload(), trialsWorkload()]) {
    await workload.prepare(ctx, signers);
    transactions += await sendConcurrently(ctx, signers, txPerSigner, (k, i) => workload.build(k, i));
    if (verify) problems.push(...(await workload.verify(ctx, signers)).map((p) => `${workload.name}: ${p}`));
  }
  return { transactions, problems };
}
