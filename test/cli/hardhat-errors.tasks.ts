/**
 * Hardhat's own errors, as a user meets them on the command line: one "Error:" line that says what to
 * do, exit code 1, no stack trace (Hardhat prints one on CI servers; the config's filter removes it).
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** The environment without BESU_URL: the besu case must see it unset. */
function withoutBesuUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.HARDHAT_VAR_BESU_URL;
  return copy;
}

function hardhat(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "hardhat"), args, {
    cwd: ROOT,
    env: { ...withoutBesuUrl(process.env), TS_NODE_TRANSPILE_ONLY: "1", ...env },
    encoding: "utf8",
    timeout: 600_000, // a hang, not slowness: a CLI may take minutes to start on a loaded machine (docs/TESTING.md)
  });
  const lines = `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => l.trim() !== "");
  return { status: r.status, lines };
}

describe("Hardhat errors on the command line (test/cli)", function () {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      "HH100 unknown network",
      ["--network", "nope", "access:members"],
      {},
      /^Error: Network nope doesn't exist \(HH100\): use one of the networks of hardhat\.config\.ts: hardhat, localhost, sepolia, besu$/,
    ],
    [
      "HH306 missing option",
      ["supply:ship", "--gtin", "1"],
      {},
      /^Error: The '--to' parameter of task 'supply:ship' expects a value, but none was passed\. \(HH306\): npx hardhat help supply:ship lists its options$/,
    ],
    [
      "HH301 bad value",
      ["supply:ship", "--to", "1", "--quantity", "many"],
      {},
      /^Error: Invalid value many for argument quantity of type int \(HH301\): npx hardhat help supply:ship lists its options$/,
    ],
    [
      "HH108 node not running",
      ["--network", "localhost", "access:members"],
      { HARDHAT_VAR_LOCALHOST_URL: "http://127.0.0.1:1" },
      /^Error: Cannot connect to the network localhost\. \(HH108\): start the node, or point the network at it: npx hardhat vars set LOCALHOST_URL/,
    ],
    [
      "besu without BESU_URL never falls back to localhost",
      ["--network", "besu", "access:members"],
      {},
      /^Error: network besu needs BESU_URL: npx hardhat vars set BESU_URL https:\/\/your-node:8545 \(or HARDHAT_VAR_BESU_URL=… for one command\)$/,
    ],
  ];
  for (const [name, args, env, expected] of cases) {
    it(`${name}: one line with what to do, exit code 1`, function () {
      const r = hardhat(args, env);
      expect(r.status, r.lines.join("\n")).to.equal(1);
      expect(r.lines, r.lines.join("\n")).to.have.length(1);
      expect(r.lines[0]).to.match(expected);
    });
  }
});
