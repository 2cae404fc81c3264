/**
 * `npm run test:mutation` (issue 17): mutation testing of the contracts.
 *
 * For each mutant (scripts/mutation/mutants.ts) of each selected source: write it, compile only the
 * affected contracts' closure in-process with solc-js (scripts/mutation/compile.ts), patch their
 * artifacts' bytecode, run the relevant test files (scripts/mutation/targets.ts) with
 * `hardhat test --no-compile --bail`, restore. All of this happens in a scratch copy of the project
 * (node_modules linked), never in the working tree, so a crash leaves nothing mutated behind.
 *
 * Outcome per mutant: killed (a test failed), survived (all passed), stillborn (does not compile),
 * timeout (ran past the limit: counted as killed, as the suite noticed), equivalent (listed in
 * scripts/mutation/equivalent.json with the reason, or compiles to the original bytecode).
 * Score = killed / (killed + survived), timeouts counted as killed; equivalents and stillborns excluded.
 *
 * Options:
 *   --contract <Name|path>   a source to mutate (repeatable; e.g. MemberRegistry, GS1, contracts/records/RecordIndex.sol)
 *   --changed [<ref>]        the mutable sources changed against a git ref (default origin/main, else HEAD~1)
 *   --sample <N> --seed <S>  N mutants drawn at random (seeded) from the selection
 *   --id <id,…>              only these mutants (e.g. to re-run survivors after adding a test)
 *   --operators <A,B>        only these operators (AOR, ROR, LOR, BOR, CNG, UOR, SDL, RRD, CCH)
 *   --baseline               run the unmutated tests first (they must pass; sets the timeout to 3 × their time)
 *   --timeout <s>            per-mutant limit (default: 3 × the baseline, at least 120 s; 900 s without --baseline)
 *   --list                   list the mutants and exit
 *   --table                  rebuild docs/MUTATION.md's table from reports/mutation/ and exit
 *   --report <name>          the report's name (default: the contracts' names)
 *   --out <dir>              where the JSON report goes (default reports/mutation/)
 *   --no-docs                do not rebuild docs/MUTATION.md's table (CI's sampled run)
 *   --via-ir                 compile as built, with the IR pipeline where the project uses it (ClinicalTrials);
 *                            by default without it, as coverage does: 10 s a compile instead of 50 s, and the
 *                            tests run with EIP-170 lifted (the legacy code is over 24 KB; hardhat.config.ts)
 * Without --contract or --changed every mutable source is mutated (the full run).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { applyMutant, generateMutants, type Mutant } from "./mutants";
import { affectedTargets, compileMutant, loadWorkspace, type Workspace } from "./compile";
import { isMutable, testsFor } from "./targets";
import { table, writeMarkdown, type MutantResult, type Outcome, type Report } from "./report";
import { makeScratch } from "../lib/scratch";

const ROOT = path.resolve(__dirname, "../..");
const EQUIVALENT_FILE = path.join(__dirname, "equivalent.json");

interface Options {
  contracts: string[];
  changed?: string;
  sample?: number;
  seed: number;
  operators?: string[];
  ids?: string[];
  timeout?: number;
  list: boolean;
  tableOnly: boolean;
  baseline: boolean;
  report?: string;
  out: string;
  docs: boolean;
  viaIR: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    contracts: [],
    seed: 1,
    list: false,
    tableOnly: false,
    baseline: false,
    out: path.join(ROOT, "reports", "mutation"),
    docs: true,
    viaIR: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--contract") o.contracts.push(...next().split(","));
    else if (a === "--changed") o.changed = argv[i + 1] && !argv[i + 1].startsWith("--") ? next() : "";
    else if (a === "--sample") o.sample = Number(next());
    else if (a === "--seed") o.seed = Number(next());
    else if (a === "--operators") o.operators = next().split(",");
    else if (a === "--id") o.ids = [...(o.ids ?? []), ...next().split(",")];
    else if (a === "--timeout") o.timeout = Number(next());
    else if (a === "--list") o.list = true;
    else if (a === "--table") o.tableOnly = true;
    else if (a === "--baseline") o.baseline = true;
    else if (a === "--out") o.out = path.resolve(next());
    else if (a === "--no-docs") o.docs = false;
    else if (a === "--report") o.report = next();
    else if (a === "--via-ir") o.viaIR = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function allSources(dir = path.join(ROOT, "contracts")): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...allSources(full));
    else if (e.name.endsWith(".sol")) out.push(path.relative(ROOT, full).split(path.sep).join("/"));
  }
  return out.filter(isMutable).sort();
}

function resolveSource(name: string, sources: string[]): string {
  const hit = sources.find((s) => s === name || path.basename(s, ".sol") === name);
  if (!hit) throw new Error(`no mutable contract source named ${name} (known: ${sources.join(", ")})`);
  return hit;
}

function changedSources(ref: string, sources: string[]): string[] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  let base = ref;
  if (!base) {
    try {
      git("rev-parse", "--verify", "origin/main");
      base = "origin/main";
    } catch {
      base = "HEAD~1";
    }
  }
  const changed = git("diff", "--name-only", base, "--", "contracts").split("\n").filter(Boolean);
  return sources.filter((s) => changed.includes(s));
}

/** mulberry32: a small seeded PRNG, so a sample is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(items: T[], n: number, seed: number): T[] {
  const rand = prng(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

interface RunResult {
  code: number | null;
  timedOut: boolean;
  seconds: number;
  failure: string;
}

/** The running test process group and the scratch folder, cleaned up on Ctrl-C / SIGTERM. */
let current: number | undefined;
let scratchDir: string | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (current) {
      try {
        process.kill(-current, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
    process.exit(130);
  });
}

function runTests(cwd: string, files: string[], timeoutS: number, legacyCodegen: boolean): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(cwd, "node_modules/.bin/hardhat"), "test", "--no-compile", "--bail", ...files],
      {
        cwd,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          FORCE_COLOR: "0",
          PROPERTY_RUNS: process.env.PROPERTY_RUNS ?? "50",
          ...(legacyCodegen ? { CARECHAIN_MUTATION_LEGACY_CODEGEN: "1" } : {}),
        },
      },
    );
    current = child.pid;
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20000)));
    child.stderr.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, timeoutS * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const failing = /\d+\) ([^\n]+)\n/.exec(out.slice(out.indexOf("failing")));
      resolve({ code, timedOut, seconds: (Date.now() - started) / 1000, failure: failing ? failing[1].trim() : "" });
    });
  });
}

/** Removes the CBOR metadata (ipfs hash + solc version) wherever it sits, to compare code only. */
function stripMetadata(hex: string): string {
  return hex.replace(/a264697066735822[0-9a-f]{68}64736f6c6343[0-9a-f]{6}0033/g, "");
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const sources = allSources();
  const currentIds = () =>
    new Map(
      sources.flatMap((s) =>
        generateMutants(s, fs.readFileSync(path.join(ROOT, s), "utf8")).map((m) => [m.id, m.file] as const),
      ),
    );
  if (o.tableOnly) {
    writeMarkdown(o.out, path.join(ROOT, "docs", "MUTATION.md"), currentIds());
    return;
  }
  let selected = o.contracts.length ? o.contracts.map((c) => resolveSource(c, sources)) : sources;
  if (o.changed !== undefined) selected = changedSources(o.changed, sources);
  if (selected.length === 0) {
    console.log("mutation: no contract source selected (nothing changed?)");
    return;
  }
  const equivalents = new Map<string, string>(
    (JSON.parse(fs.readFileSync(EQUIVALENT_FILE, "utf8")) as { id: string; reason: string }[]).map((e) => [
      e.id,
      e.reason,
    ]),
  );

  let mutants: Mutant[] = [];
  for (const s of selected) {
    let ms = generateMutants(s, fs.readFileSync(path.join(ROOT, s), "utf8"));
    if (o.operators) ms = ms.filter((m) => o.operators!.includes(m.operator));
    if (o.ids) ms = ms.filter((m) => o.ids!.includes(m.id));
    mutants.push(...ms);
  }
  if (o.sample !== undefined) mutants = sample(mutants, o.sample, o.seed);
  console.log(`mutation: ${mutants.length} mutants of ${selected.join(", ")}`);
  if (o.list) {
    for (const m of mutants) {
      console.log(
        `${m.id} ${m.file}:${m.line} ${m.operator} ${m.scope}: ${JSON.stringify(m.original)} -> ${JSON.stringify(m.replacement)}`,
      );
    }
    return;
  }

  const scratch = makeScratch("carechain-mutation-");
  scratchDir = scratch;
  const ws: Workspace = loadWorkspace(scratch, !o.viaIR);
  const results: MutantResult[] = [];
  const baselines = new Map<string, { seconds: number; code: Map<string, string> }>();
  const runStarted = Date.now();
  const name =
    o.report ??
    (o.contracts.length
      ? selected.map((s) => path.basename(s, ".sol")).join("+")
      : o.changed !== undefined
        ? "changed"
        : "all");
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  // Written after every mutant (marked partial) and once more at the end: a run stopped part-way
  // (a full run takes hours) keeps every result it reached.
  const writeReport = (partial: boolean): Report => {
    const report: Report = {
      name,
      date: new Date(runStarted).toISOString(),
      commit,
      sampled: o.sample !== undefined ? { n: o.sample, seed: o.seed } : undefined,
      partial: partial ? { of: mutants.length } : undefined,
      seconds: (Date.now() - runStarted) / 1000,
      baselines: Object.fromEntries([...baselines].map(([f, b]) => [f, b.seconds])),
      results,
    };
    fs.mkdirSync(o.out, { recursive: true });
    fs.writeFileSync(path.join(o.out, `${name}.json`), JSON.stringify(report, null, 2) + "\n");
    return report;
  };
  try {
    for (const [i, m] of mutants.entries()) {
      const targets = affectedTargets(ws, m.file);
      const tests = testsFor(
        targets.map((t) => t.contractName),
        m.file,
      ).filter((f) => fs.existsSync(path.join(scratch, f)));
      const original = fs.readFileSync(path.join(scratch, m.file), "utf8");
      const artifactsBefore = new Map(targets.map((t) => [t.artifactFile, fs.readFileSync(t.artifactFile, "utf8")]));

      // Baseline per source: the unmutated code through the same pipeline, and its test time.
      if (!baselines.has(m.file)) {
        const base = compileMutant(ws, targets, m.file, original);
        if (!base.ok) throw new Error(`the unmutated ${m.file} does not compile:\n${base.errors}`);
        const code = new Map([...base.bytecode].map(([f, b]) => [f, stripMetadata(b.bytecode)]));
        let seconds = 0;
        if (o.baseline) {
          const run = await runTests(scratch, tests, 3600, !o.viaIR);
          if (run.code !== 0) throw new Error(`the unmutated tests of ${m.file} fail (${run.failure}): fix them first`);
          seconds = run.seconds;
          console.log(`baseline ${m.file}: ${tests.length} test files, ${run.seconds.toFixed(1)} s`);
        }
        baselines.set(m.file, { seconds, code });
      }
      const baseline = baselines.get(m.file)!;
      const started = Date.now();
      let outcome: Outcome;
      let detail = "";
      if (equivalents.has(m.id)) {
        outcome = "equivalent";
        detail = equivalents.get(m.id)!;
      } else {
        const mutated = applyMutant(original, m);
        const compiled = compileMutant(ws, targets, m.file, mutated);
        if (!compiled.ok) {
          outcome = "stillborn";
          detail = (compiled.errors ?? "").split("\n")[0];
        } else if ([...compiled.bytecode].every(([f, b]) => stripMetadata(b.bytecode) === baseline.code.get(f))) {
          outcome = "equivalent";
          detail = "compiles to the unmutated bytecode (metadata aside)";
        } else {
          for (const [file, b] of compiled.bytecode) {
            const artifact = JSON.parse(artifactsBefore.get(file)!);
            artifact.bytecode = b.bytecode;
            artifact.deployedBytecode = b.deployedBytecode;
            fs.writeFileSync(file, JSON.stringify(artifact, null, 2));
          }
          fs.writeFileSync(path.join(scratch, m.file), mutated);
          const limit = o.timeout ?? (baseline.seconds ? Math.max(120, Math.ceil(baseline.seconds * 3)) : 900);
          const run = await runTests(scratch, tests, limit, !o.viaIR);
          outcome = run.timedOut ? "timeout" : run.code === 0 ? "survived" : "killed";
          detail = run.failure;
          fs.writeFileSync(path.join(scratch, m.file), original);
          for (const [file, text] of artifactsBefore) fs.writeFileSync(file, text);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      results.push({ ...m, outcome, detail, seconds });
      writeReport(i + 1 < mutants.length);
      console.log(
        `[${i + 1}/${mutants.length}] ${outcome.padEnd(10)} ${m.id} ${m.file}:${m.line} ${m.operator} ` +
          `${JSON.stringify(m.original).slice(0, 60)} -> ${JSON.stringify(m.replacement).slice(0, 60)} (${seconds.toFixed(1)} s)`,
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const report = writeReport(false);
  if (o.docs) writeMarkdown(o.out, path.join(ROOT, "docs", "MUTATION.md"), currentIds());
  else console.log(table([report]));

  const counted = results.filter((r) => r.outcome !== "equivalent" && r.outcome !== "stillborn");
  const killed = counted.filter((r) => r.outcome !== "survived").length;
  console.log(
    `mutation: ${killed}/${counted.length} killed (${counted.length ? ((100 * killed) / counted.length).toFixed(1) : "-"}%)`,
  );
  for (const r of results.filter((x) => x.outcome === "survived")) {
    console.log(
      `  survived ${r.id} ${r.file}:${r.line} ${r.operator} ${JSON.stringify(r.original)} -> ${JSON.stringify(r.replacement)}`,
    );
  }
  if (process.env.MUTATION_FAIL_ON_SURVIVOR === "1" && counted.length > killed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
