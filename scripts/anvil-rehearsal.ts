/**
 * The consortium rehearsal on a second client (`npx ts-node -T scripts/anvil-rehearsal.ts`, CI step
 * "rehearsal"): anvil, with free gas and chain id 1337 like a Besu QBFT network (zero base fee, no
 * minimum priority fee; Cancun; free port), gets the same Ignition deployment the operators run
 * (`ignition deploy` of ignition/modules/Carechain.ts with ignition/parameters/localhost.json), the
 * members file through `access:onboard` (run twice: the second must change nothing), and the demo, all
 * over JSON-RPC (`--network localhost`). With `--e2e`, then the end-to-end flows on a second anvil.
 * Prints the time of each step.
 *
 * One Hardhat runtime runs the three, in this process: the same tasks the CLI runs (`hre.run`), with
 * the config loaded once instead of five times (a Hardhat process costs 3-12 s to start before it
 * sends anything). Anvil is stopped by its PID; the deployment records are removed.
 */
import fs from "node:fs";
import path from "node:path";
import { startAnvil } from "./lib/anvil";
import { PROJECT_ROOT, rpc } from "../test/helpers/node";

const DEPLOYMENTS = path.join(PROJECT_ROOT, "ignition", "deployments");

/** Runs `body`, returning what it printed with console.log (also echoed); throws if it set an exit code. */
async function capturing(what: string, body: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => {
    lines.push(parts.join(" "));
    log(...parts);
  };
  process.exitCode = undefined;
  try {
    await body();
  } finally {
    console.log = log;
  }
  if (process.exitCode !== undefined && process.exitCode !== 0) {
    throw new Error(`${what} failed (exit code ${process.exitCode})`);
  }
  return lines;
}

async function main(): Promise<void> {
  const started = Date.now();
  const step = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
  const anvil = await startAnvil({ chainId: 1337, zeroFee: true });
  const deploymentId = `rehearsal-anvil-${process.pid}`;
  const before = new Set(fs.existsSync(DEPLOYMENTS) ? fs.readdirSync(DEPLOYMENTS) : []);
  // This run's records: the operators' deployment and the demo's own (demo-<time>); also when stopped
  // by a signal (CI's timeout), which ends the process before `finally` runs.
  const removeRecords = () => {
    for (const name of fs.existsSync(DEPLOYMENTS) ? fs.readdirSync(DEPLOYMENTS) : []) {
      if (name === deploymentId || (/^demo-\d+$/.test(name) && !before.has(name))) {
        fs.rmSync(path.join(DEPLOYMENTS, name), { recursive: true, force: true });
      }
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, removeRecords);
  try {
    const block = (await rpc(anvil.url, "eth_getBlockByNumber", ["latest", false])) as { baseFeePerGas: string };
    if (anvil.chainId !== 1337n || BigInt(block.baseFeePerGas) !== 0n) {
      throw new Error(`anvil is not a free-gas chain 1337: chain id ${anvil.chainId}, base fee ${block.baseFeePerGas}`);
    }
    step(`anvil pid ${anvil.pid} on ${anvil.url}: chain id 1337, base fee 0`);

    // What `npx hardhat --network localhost …` gets, with HARDHAT_VAR_LOCALHOST_URL pointing at anvil.
    process.env.HARDHAT_NETWORK = "localhost";
    process.env.HARDHAT_VAR_LOCALHOST_URL = anvil.url;
    process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT = "true";
    const hre = (await import("hardhat")).default;
    // Ignition waits blockPollingInterval (1 s by default, right for a chain with 2-5 s blocks) before
    // it looks for the block of each batch's transactions; anvil mines each transaction at once, so
    // here it looks again after 50 ms (the same deployment: 3 batches, twice with the demo's).
    hre.config.ignition.blockPollingInterval = 50;
    step("Hardhat runtime loaded (network localhost)");

    await capturing("ignition deploy", () =>
      hre.run(
        { scope: "ignition", task: "deploy" },
        {
          modulePath: path.join("ignition", "modules", "Carechain.ts"),
          parameters: path.join("ignition", "parameters", "localhost.json"),
          deploymentId,
        },
      ),
    );
    const addresses = JSON.parse(
      fs.readFileSync(path.join(DEPLOYMENTS, deploymentId, "deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    const registry = addresses["Registry#MemberRegistry"];
    step(`Carechain deployed by Ignition; registry ${registry}`);

    const onboard = {
      from: "2",
      address: registry,
      file: path.join("ignition", "parameters", "localhost.members.json"),
    };
    await capturing("access:onboard", () => hre.run("access:onboard", onboard));
    const again = (await capturing("access:onboard (again)", () => hre.run("access:onboard", onboard))).at(-1) ?? "";
    if (!/: 0 admitted, 0 roles granted$/.test(again)) {
      throw new Error(`the members file applied twice changed something the second time: ${again}`);
    }
    step(`members file applied; second run changed nothing (${again})`);

    const { runDemo } = await import("./demo");
    await capturing("the demo", runDemo);
    step("demo told on anvil");

    if (process.argv.includes("--e2e")) {
      // The partners' flows (test/e2e/flows.e2e.ts) on a second anvil (chain id 31337, what they
      // assert), through mocha in this process: the runtime is loaded already.
      process.env.E2E_NODE = "anvil";
      const { default: Mocha } = await import("mocha");
      const mocha = new Mocha({ timeout: 900_000, reporter: "dot" });
      mocha.addFile(path.join(PROJECT_ROOT, "test", "e2e", "flows.e2e.ts"));
      await mocha.loadFilesAsync();
      const failures = await new Promise<number>((resolve) => mocha.run(resolve));
      if (failures > 0) throw new Error(`e2e flows on anvil: ${failures} failed`);
      step("e2e flows passed on anvil");
    }
  } finally {
    await anvil.stop();
    removeRecords();
  }
  console.log(`rehearsal on anvil passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Exits when done, pass or fail: a step that failed half-way may leave a demo service or an HTTP
// connection open, and CI must not wait for its timeout then (anvil is already stopped).
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
