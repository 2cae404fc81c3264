/**
 * `npm run app`: the whole thing on one machine — a hardhat node on a free port, Carechain deployed and
 * filled with the demo's organisations (scripts/app/stack.ts), the manufacturer's verification
 * responder and a site's consent intake, then the web pages built with vite and served by
 * `vite preview` on a free loopback port (proxying /svc/* to the services). Prints the URL and the
 * test accounts; Ctrl-C stops everything by PID.
 *
 *   npm run app                    # build and serve
 *   npm run app -- --dev           # vite dev server instead (hot reload)
 *   npm run app -- --ready-file F  # write {url, configFile, pid} to F once serving (the browser tests)
 *   npm run app -- --no-indexer    # histories from the node's logs even when services/indexer is installed
 */
import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet } from "ethers";
import { PROJECT_ROOT, freePort, spawnGroup } from "../test/helpers/node";
import { ACTOR_INDEX } from "./lib/actors";
import { formatBracketed } from "../src/gs1/elementString";
import { APP_PRODUCT, PEOPLE, startAppStack } from "./app/stack";

const WEB = path.join(PROJECT_ROOT, "apps", "web");
const VITE = path.join(PROJECT_ROOT, "node_modules", "vite", "bin", "vite.js");

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : (process.argv[i + 1] ?? "");
}

async function runVite(args: string[], env: NodeJS.ProcessEnv) {
  return spawnGroup(process.execPath, [VITE, ...args], { cwd: WEB, env: { ...process.env, ...env } });
}

async function main(): Promise<void> {
  const started = Date.now();
  const dev = process.argv.includes("--dev");
  const readyFile = flag("ready-file");
  const stack = await startAppStack({ log: (l) => console.log(l), indexer: !process.argv.includes("--no-indexer") });
  const env = { CARECHAIN_APP_CONFIG: stack.configFile };
  const children: { kill(): Promise<void> }[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the app server, the services and the node…");
    for (const c of children.reverse()) await c.kill();
    await stack.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  try {
    if (!dev) {
      console.log("building the pages (vite build)…");
      const build = await runVite(["build"], env);
      const code = await new Promise<number | null>((r) => build.child.once("exit", r));
      await build.kill();
      if (code !== 0) throw new Error(`vite build failed:\n${build.output()}`);
      fs.writeFileSync(path.join(WEB, "dist", "build-output.txt"), build.output());
    }
    const port = await freePort();
    const server = await runVite(
      dev ? ["--port", String(port), "--strictPort"] : ["preview", "--port", String(port), "--strictPort"],
      env,
    );
    children.push(server);
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; ; i++) {
      const ok = await fetch(url + "config.json").then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (server.child.exitCode !== null || i > 240) throw new Error(`vite did not serve:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const key = (index: number) =>
      HDNodeWallet.fromPhrase(
        "test test test test test test test test test test test junk",
        undefined,
        "m/44'/60'/0'/0",
      ).deriveChild(index);
    const who = (label: string, index: number) =>
      `  ${label.padEnd(14)} ${key(index).address}  key ${key(index).privateKey}`;
    console.log(
      [
        "",
        `Carechain pages:  ${url}   (ready in ${((Date.now() - started) / 1000).toFixed(0)} s)`,
        `node (JSON-RPC):  ${stack.ctx.node.url}   chain id ${stack.ctx.chainId}`,
        `responder:        ${stack.responderUrl}`,
        `site intake:      ${stack.intakeUrl}`,
        `indexer:          ${stack.indexerUrl ?? "not running (histories from the node's logs)"}`,
        "",
        "Test accounts (Hardhat's public dev keys; import one into your wallet, add the network above):",
        who("pharmacy", ACTOR_INDEX.pharmacy),
        who("patient", PEOPLE.patient),
        who("participant", PEOPLE.participant),
        who("site", ACTOR_INDEX.site),
        who("IRB", ACTOR_INDEX.irb),
        who("specialist", ACTOR_INDEX.specialist),
        "",
        "Ctrl-C stops everything.",
      ].join("\n"),
    );
    const pack = { gtin: APP_PRODUCT.gtin, lot: APP_PRODUCT.lot, expiry: APP_PRODUCT.printedExpiry };
    if (readyFile !== undefined) {
      fs.writeFileSync(
        readyFile,
        JSON.stringify({
          url,
          configFile: stack.configFile,
          rpcUrl: stack.ctx.node.url,
          trialId: stack.trialId,
          lotId: stack.lotId,
          packs: {
            genuine: formatBracketed({ ...pack, serial: stack.tree.serials[3] }),
            genuineIndex: 3,
            forged: formatBracketed({ ...pack, serial: "ACMFORGED01" }),
          },
        }),
      );
    }
    await new Promise(() => undefined);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}

void main();
