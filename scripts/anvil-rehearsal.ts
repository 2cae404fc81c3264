/**
 * The consortium rehearsal on a second client (`npx ts-node -T scripts/anvil-rehearsal.ts`, CI step
 * "rehearsal"): anvil (chain id 1337, Cancun, free port) gets the same Ignition deployment the
 * operators run, the members file through `access:onboard` (run twice: the second changes nothing),
 * and the demo over JSON-RPC. Anvil is stopped by its PID; the deployment record is removed.
 */
import fs from "node:fs";
import path from "node:path";
import { startAnvil } from "./lib/anvil";
import { PROJECT_ROOT, runHardhat } from "../test/helpers/node";

async function main(): Promise<void> {
  const started = Date.now();
  const anvil = await startAnvil();
  const deploymentId = `rehearsal-anvil-${process.pid}`;
  const deploymentDir = path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId);
  const env = { HARDHAT_VAR_LOCALHOST_URL: anvil.url, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" };
  const step = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
  try {
    step(`anvil pid ${anvil.pid} on ${anvil.url}, chain id ${anvil.chainId}`);
    await runHardhat(
      [
        "ignition",
        "deploy",
        path.join("ignition", "modules", "Carechain.ts"),
        "--network",
        "localhost",
        "--parameters",
        path.join("ignition", "parameters", "localhost.json"),
        "--deployment-id",
        deploymentId,
      ],
      env,
    );
    const addresses = JSON.parse(fs.readFileSync(path.join(deploymentDir, "deployed_addresses.json"), "utf8"));
    const registry = addresses["Registry#MemberRegistry"];
    step(`Carechain deployed by Ignition; registry ${registry}`);
    const onboard = [
      "access:onboard",
      "--network",
      "localhost",
      "--from",
      "2",
      "--address",
      registry,
      "--file",
      path.join("ignition", "parameters", "localhost.members.json"),
    ];
    await runHardhat(onboard, env);
    const again = await runHardhat(onboard, env);
    step(`members file applied; second run: ${again.trim().split("\n").at(-1)}`);
    await runHardhat(["run", path.join("scripts", "demo.ts"), "--network", "localhost"], env);
    step("demo told on anvil");
  } finally {
    await anvil.stop();
    fs.rmSync(deploymentDir, { recursive: true, force: true });
  }
  console.log(`rehearsal on anvil passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
