/**
 * `npm run examples [-- name …]`: runs each example (supply, records, trials) as its own Node
 * process, one after the other, each on its own devnet; exits 1 if any fails. Prints the time taken.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const ALL = ["supply", "records", "trials"];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length > 0) {
  console.error(`unknown example(s): ${unknown.join(", ")} (choose from ${ALL.join(", ")})`);
  process.exit(2);
}
const started = Date.now();
const failed: string[] = [];
for (const name of chosen.length > 0 ? chosen : ALL) {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, `${name}.ts`)],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        TS_NODE_PROJECT: path.join(__dirname, "tsconfig.json"),
        // Node runs them as CommonJS; require("carechain") resolves through package.json "exports".
        TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs", moduleResolution: "node10" }),
      },
    },
  );
  if (result.status !== 0) failed.push(name);
}
console.log(
  `examples: ${failed.length === 0 ? "all passed" : `FAILED: ${failed.join(", ")}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed.length === 0 ? 0 : 1);
