/**
 * Compiling a mutant (issue 17): in-process solc-js (the npm `solc` package, the compiler of
 * scripts/lib/compiler.ts), with the exact settings of the Hardhat compilation job that built each
 * affected artifact (its build-info: optimizer runs — 200 for ClinicalTrials, 10,000 otherwise —
 * and EVM version), but only the sources of the affected contracts' import closure, and only their
 * bytecode requested. The affected contracts are every artifact with bytecode whose closure holds
 * the mutated file (a library or module mutant reaches each contract that inlines it). By default
 * without the IR pipeline (see {loadWorkspace}).
 */
import fs from "node:fs";
import path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc") as { compile(input: string): string; version(): string };

interface BuildInfo {
  id: string;
  solcLongVersion: string;
  input: { language: string; sources: Record<string, { content: string }>; settings: Record<string, unknown> };
  output: {
    sources: Record<string, { ast: { nodes: { nodeType: string; absolutePath?: string }[] } }>;
  };
}

export interface Target {
  /** artifacts/…/Name.json */
  artifactFile: string;
  contractName: string;
  sourceName: string;
  buildInfoFile: string;
}

export interface Workspace {
  root: string;
  targets: Target[];
  buildInfos: Map<string, BuildInfo>;
  /** buildInfoFile → sourceName → its import closure. */
  closures: Map<string, Map<string, Set<string>>>;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.name.endsWith(".json") && !e.name.endsWith(".dbg.json")) out.push(full);
  }
  return out;
}

/**
 * The workspace of the artifacts under `root`. `legacyCodegen` drops `viaIR` from every job's settings
 * (ClinicalTrials': its IR compile takes 50 s with solc-js, the legacy one 10 s); the tests then run
 * with CARECHAIN_MUTATION_LEGACY_CODEGEN=1 (hardhat.config.ts), since that code exceeds EIP-170.
 */
export function loadWorkspace(root: string, legacyCodegen = false): Workspace {
  const targets: Target[] = [];
  const buildInfos = new Map<string, BuildInfo>();
  for (const file of walk(path.join(root, "artifacts", "contracts"))) {
    const artifact = JSON.parse(fs.readFileSync(file, "utf8")) as {
      contractName: string;
      sourceName: string;
      bytecode: string;
    };
    if (!artifact.bytecode || artifact.bytecode === "0x") continue;
    const dbg = JSON.parse(fs.readFileSync(file.replace(/\.json$/, ".dbg.json"), "utf8")) as { buildInfo: string };
    const buildInfoFile = path.resolve(path.dirname(file), dbg.buildInfo);
    targets.push({
      artifactFile: file,
      contractName: artifact.contractName,
      sourceName: artifact.sourceName,
      buildInfoFile,
    });
    if (!buildInfos.has(buildInfoFile)) {
      const info = JSON.parse(fs.readFileSync(buildInfoFile, "utf8")) as BuildInfo;
      if (legacyCodegen) delete info.input.settings.viaIR;
      buildInfos.set(buildInfoFile, info);
    }
  }
  const closures = new Map<string, Map<string, Set<string>>>();
  for (const [file, info] of buildInfos) {
    const imports = new Map<string, string[]>();
    for (const [name, src] of Object.entries(info.output.sources)) {
      imports.set(
        name,
        src.ast.nodes.filter((n) => n.nodeType === "ImportDirective").map((n) => n.absolutePath as string),
      );
    }
    const byFile = new Map<string, Set<string>>();
    for (const name of imports.keys()) {
      const seen = new Set<string>();
      const stack = [name];
      while (stack.length) {
        const s = stack.pop()!;
        if (seen.has(s)) continue;
        seen.add(s);
        stack.push(...(imports.get(s) ?? []));
      }
      byFile.set(name, seen);
    }
    closures.set(file, byFile);
  }
  return { root, targets, buildInfos, closures };
}

/** The deployable artifacts that a change to `sourceName` reaches. */
export function affectedTargets(ws: Workspace, sourceName: string): Target[] {
  return ws.targets.filter((t) => ws.closures.get(t.buildInfoFile)?.get(t.sourceName)?.has(sourceName));
}

export interface CompiledMutant {
  ok: boolean;
  errors?: string;
  /** artifactFile → new bytecode and deployedBytecode. */
  bytecode: Map<string, { bytecode: string; deployedBytecode: string }>;
}

/** Compiles `targets` with `sourceName` replaced by `content`, one solc run per compilation job. */
export function compileMutant(ws: Workspace, targets: Target[], sourceName: string, content: string): CompiledMutant {
  const result: CompiledMutant = { ok: true, bytecode: new Map() };
  const byJob = new Map<string, Target[]>();
  for (const t of targets) byJob.set(t.buildInfoFile, [...(byJob.get(t.buildInfoFile) ?? []), t]);
  for (const [jobFile, jobTargets] of byJob) {
    const info = ws.buildInfos.get(jobFile)!;
    const closure = new Set<string>();
    for (const t of jobTargets) for (const s of ws.closures.get(jobFile)!.get(t.sourceName)!) closure.add(s);
    const sources: Record<string, { content: string }> = {};
    for (const s of closure) sources[s] = { content: s === sourceName ? content : info.input.sources[s].content };
    const outputSelection: Record<string, Record<string, string[]>> = {};
    for (const t of jobTargets) {
      outputSelection[t.sourceName] ??= {};
      outputSelection[t.sourceName][t.contractName] = ["evm.bytecode.object", "evm.deployedBytecode.object"];
    }
    const input = {
      language: info.input.language,
      sources,
      settings: { ...info.input.settings, outputSelection },
    };
    const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
      errors?: { severity: string; formattedMessage: string }[];
      contracts?: Record<
        string,
        Record<string, { evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
      >;
    };
    const errors = (output.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length)
      return { ok: false, errors: errors.map((e) => e.formattedMessage).join("\n"), bytecode: new Map() };
    for (const t of jobTargets) {
      const c = output.contracts?.[t.sourceName]?.[t.contractName];
      if (!c) return { ok: false, errors: `no output for ${t.sourceName}:${t.contractName}`, bytecode: new Map() };
      result.bytecode.set(t.artifactFile, {
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      });
    }
  }
  return result;
}

export function compilerVersion(): string {
  return solc.version();
}
