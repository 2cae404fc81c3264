/**
 * One run of solc's model checker: `ts-node -T scripts/smt-worker.ts <source> <contract> <target,...>`.
 * Started by scripts/verify-smt.ts, one process per run, so a run that exhausts soljson's heap
 * ends only itself. Writes cache/smt/<contract>.<targets>.json (SmtRunResult) and exits 0 even when
 * the compiler reports errors: those are findings for verify-smt to judge.
 *
 * The compiler input is built here rather than by Hardhat so that it is byte-identical on every
 * machine (scripts/lib/smt.ts says why): one source, imports answered by the callback in the order
 * solc asks, no code generation (the checker runs during analysis).
 */
import fs from "node:fs";
import path from "node:path";
import { EVM_VERSION, SOLC_LONG_VERSION } from "./lib/compiler";
import { SMT_DIR, runFile, type SmtFinding, type SmtRunResult } from "./lib/smt";

const ROOT = path.resolve(__dirname, "..");

interface SolcDiagnostic {
  severity: "error" | "warning" | "info";
  errorCode?: string;
  type?: string;
  message: string;
  sourceLocation?: { file: string; start: number; end: number };
}

interface Solc {
  version(): string;
  compile(input: string, callbacks: { import: (p: string) => { contents: string } | { error: string } }): string;
}

function main(): void {
  const [source, contract, targetList] = process.argv.slice(2);
  if (!source || !contract || !targetList) throw new Error("usage: smt-worker <source> <contract> <target,...>");
  const targets = targetList.split(",");

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc/wrapper")(require("solc/soljson.js")) as Solc;
  if (!solc.version().startsWith(SOLC_LONG_VERSION)) {
    throw new Error(`soljson is ${solc.version()}, the project compiles with ${SOLC_LONG_VERSION}`);
  }

  const contents = new Map<string, string>();
  const read = (name: string): string | undefined => {
    for (const base of [ROOT, path.join(ROOT, "node_modules")]) {
      const file = path.join(base, name);
      if (fs.existsSync(file)) {
        const text = fs.readFileSync(file, "utf8");
        contents.set(name, text);
        return text;
      }
    }
    return undefined;
  };
  const root = read(source);
  if (root === undefined) throw new Error(`${source} not found`);

  const input = {
    language: "Solidity",
    sources: { [source]: { content: root } },
    settings: {
      evmVersion: EVM_VERSION,
      modelChecker: {
        engine: "chc",
        contracts: { [source]: [contract] },
        targets,
        showUnproved: true,
        showUnsupported: true,
        showProvedSafe: true,
      },
      outputSelection: { "*": { "": [] } },
    },
  };

  const started = Date.now();
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (name) => {
        const text = read(name);
        return text === undefined ? { error: `${name} not found` } : { contents: text };
      },
    }),
  ) as { errors?: SolcDiagnostic[] };
  const seconds = Math.round((Date.now() - started) / 1000);

  const lineOf = (file: string, start: number): { line: number; code: string } | null => {
    const text = contents.get(file);
    if (text === undefined || start < 0) return null;
    const before = Buffer.from(text, "utf8").subarray(0, start).toString("utf8").split("\n");
    return { line: before.length, code: text.split("\n")[before.length - 1].trim() };
  };
  const findings: SmtFinding[] = (output.errors ?? []).map((d) => {
    const at = d.sourceLocation ? lineOf(d.sourceLocation.file, d.sourceLocation.start) : null;
    return {
      severity: d.severity,
      errorCode: d.errorCode ?? null,
      message: d.type === "InternalCompilerError" ? `InternalCompilerError: ${d.message}` : d.message,
      file: d.sourceLocation?.file ?? null,
      line: at?.line ?? null,
      code: at?.code ?? null,
    };
  });

  const result: SmtRunResult = {
    source,
    contract,
    targets,
    compiler: solc.version(),
    seconds,
    peakMegabytes: Math.round(process.resourceUsage().maxRSS / 1024),
    findings,
  };
  fs.mkdirSync(SMT_DIR, { recursive: true });
  fs.writeFileSync(runFile(contract, targets), JSON.stringify(result, null, 2) + "\n");
}

main();
