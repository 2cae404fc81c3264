// Standard JSON in on stdin, standard JSON out on stdout, through solc-js (the npm `solc` package).
// forge passes its own arguments (--standard-json, --allow-paths …); the input's remappings and
// sources are all that solc-js needs. Imports are read from disk relative to the working directory.
//
// solc-js 0.8.28 aborts inside its wasm ("memory access out of bounds") past a certain amount of
// source in one unit. In sparse mode forge still asks for the ABI of every suite in one job; such a
// job (more than one `.t.sol` source) is compiled here in parts — each suite with its own import
// closure, then the rest — and the outputs merged (source ids renumbered in the input's order, so
// that they are the ids one unit would have given; an ABI-only output has no source maps).
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const input = fs.readFileSync(0, "utf8");
const bases = [process.cwd()];
function readFileFromDisk(p) {
  for (const base of bases) {
    const full = path.resolve(base, p);
    if (fs.existsSync(full)) return { contents: fs.readFileSync(full, "utf8") };
  }
  return { error: `File not found: ${p}` };
}

function compile(json) {
  return JSON.parse(solc.compile(JSON.stringify(json), { import: readFileFromDisk }));
}

/** The source unit names `unit` imports, resolved against the input's remappings and sources. */
function importsOf(unit, sources, remappings) {
  const text = sources[unit].content ?? "";
  const found = [];
  for (const m of text.matchAll(/import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g)) {
    let p = m[1];
    if (p.startsWith(".")) p = path.posix.normalize(path.posix.join(path.posix.dirname(unit), p));
    else {
      for (const r of remappings) {
        const [prefix, target] = r.split("=");
        if (p.startsWith(prefix)) {
          p = target + p.slice(prefix.length);
          break;
        }
      }
    }
    if (sources[p]) found.push(p);
  }
  return found;
}

function closureOf(roots, sources, remappings) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const u = stack.pop();
    if (seen.has(u)) continue;
    seen.add(u);
    stack.push(...importsOf(u, sources, remappings));
  }
  return seen;
}

function compileInParts(json) {
  const sources = json.sources;
  const remappings = json.settings.remappings ?? [];
  const names = Object.keys(sources);
  const suites = names.filter((n) => n.endsWith(".t.sol"));
  const parts = suites.map((s) => closureOf([s], sources, remappings));
  const covered = new Set(parts.flatMap((p) => [...p]));
  const rest = names.filter((n) => !covered.has(n));
  if (rest.length) parts.push(closureOf(rest, sources, remappings));
  const merged = { contracts: {}, sources: {}, errors: [] };
  const seenErrors = new Set();
  for (const part of parts) {
    const sub = {
      ...json,
      sources: Object.fromEntries([...part].map((n) => [n, sources[n]])),
      settings: {
        ...json.settings,
        outputSelection: Object.fromEntries(
          Object.entries(json.settings.outputSelection ?? {}).filter(([n]) => n === "*" || part.has(n)),
        ),
      },
    };
    const out = compile(sub);
    for (const e of out.errors ?? []) {
      if (!seenErrors.has(e.formattedMessage)) {
        seenErrors.add(e.formattedMessage);
        merged.errors.push(e);
      }
    }
    for (const [n, c] of Object.entries(out.contracts ?? {})) merged.contracts[n] ??= c;
    for (const [n, s] of Object.entries(out.sources ?? {})) merged.sources[n] ??= s;
  }
  const order = Object.keys(merged.sources).sort();
  for (const n of order) merged.sources[n].id = order.indexOf(n);
  return merged;
}

const json = JSON.parse(input);
const abiOnly = Object.values(json.settings?.outputSelection ?? {}).every((files) =>
  Object.values(files).every((outputs) => outputs.every((o) => o === "abi")),
);
const suites = Object.keys(json.sources ?? {}).filter((n) => n.endsWith(".t.sol")).length;
process.stdout.write(JSON.stringify(abiOnly && suites > 1 ? compileInParts(json) : compile(json)));
