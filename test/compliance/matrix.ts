/**
 * The compliance matrix (docs/COMPLIANCE.md, issue 17) is checked against the code: every
 * `Contract.function` it names exists in that contract's ABI (or, for a library or an internal
 * function, in the compiler's AST of that contract), and every test it names is an `it(...)` with
 * that exact title in that file. A rename that the matrix does not follow fails here.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { artifacts } from "hardhat";

const ROOT = path.resolve(__dirname, "../..");
const MATRIX = path.join(ROOT, "docs/COMPLIANCE.md");

interface Row {
  id: string;
  functions: { contract: string; name: string }[];
  proofs: { file: string; title: string }[];
}

/** The rows of the matrix's tables: lines `| ID-n | requirement | implements | proved by | notes |`. */
export function parseMatrix(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 6 || !/^[A-Z0-9]+-\d+$/.test(cells[1])) continue;
    const functions = [...cells[3].matchAll(/`([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => ({
      contract: m[1],
      name: m[2],
    }));
    const proofs = [...cells[4].matchAll(/`(test\/[\w./-]+\.ts)` › "([^"]+)"/g)].map((m) => ({
      file: m[1],
      title: m[2],
    }));
    rows.push({ id: cells[1], functions, proofs });
  }
  return rows;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface AstNode {
  nodeType?: string;
  name?: string;
  nodes?: AstNode[];
}

/** The functions (and public state variables) a contract declares, by the compiler's AST. */
async function declaredNames(contract: string): Promise<Set<string>> {
  const artifact = await artifacts.readArtifact(contract);
  const names = new Set<string>(
    artifact.abi.filter((e: { type: string }) => e.type === "function").map((e: { name: string }) => e.name),
  );
  const buildInfo = await artifacts.getBuildInfo(`${artifact.sourceName}:${contract}`);
  const ast = buildInfo?.output.sources[artifact.sourceName]?.ast as AstNode | undefined;
  for (const node of ast?.nodes ?? []) {
    if (node.nodeType !== "ContractDefinition" || node.name !== contract) continue;
    for (const member of node.nodes ?? []) {
      if ((member.nodeType === "FunctionDefinition" || member.nodeType === "VariableDeclaration") && member.name) {
        names.add(member.name);
      }
    }
  }
  return names;
}

describe("compliance matrix (docs/COMPLIANCE.md)", function () {
  const rows = parseMatrix(fs.readFileSync(MATRIX, "utf8"));

  it("covers every regulation the project claims, with unique row ids", function () {
    const prefixes = new Set(rows.map((r) => r.id.split("-")[0]));
    for (const p of ["DSCSA", "FMD", "GS1", "HIPAA", "P11", "CONSENT", "GDPR"]) expect(prefixes).to.include(p);
    expect(new Set(rows.map((r) => r.id)).size).to.equal(rows.length);
  });

  it("names at least one function and one test in every row", function () {
    for (const row of rows) {
      expect(row.functions, `${row.id}: no Contract.function`).to.not.be.empty;
      expect(row.proofs, `${row.id}: no test`).to.not.be.empty;
    }
  });

  it("names only functions that exist in the compiled contracts", async function () {
    const byContract = new Map<string, Set<string>>();
    const missing: string[] = [];
    for (const row of rows) {
      for (const f of row.functions) {
        if (!byContract.has(f.contract)) {
          byContract.set(f.contract, await declaredNames(f.contract).catch(() => new Set<string>()));
        }
        if (!byContract.get(f.contract)!.has(f.name)) missing.push(`${row.id}: ${f.contract}.${f.name}`);
      }
    }
    expect(missing, "functions named in the matrix but not found").to.deep.equal([]);
  });

  it("names only tests that exist, by file and exact title", function () {
    const missing: string[] = [];
    const sources = new Map<string, string>();
    for (const row of rows) {
      for (const p of row.proofs) {
        const file = path.join(ROOT, p.file);
        if (!sources.has(file)) sources.set(file, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
        const pattern = new RegExp(`\\bit\\(\\s*(["'\`])${escapeRegExp(p.title)}\\1`);
        if (!pattern.test(sources.get(file)!)) missing.push(`${row.id}: ${p.file} › "${p.title}"`);
      }
    }
    expect(missing, "tests named in the matrix but not found").to.deep.equal([]);
  });

  it("rejects a misspelt function or title (the checker's own negative control)", async function () {
    const [row] = parseMatrix(
      '| X-1 | r | `SupplyChain.verifyUnitt` | `test/supply/SupplyChain.ts` › "no such title" | |',
    );
    expect((await declaredNames("SupplyChain")).has(row.functions[0].name)).to.equal(false);
    expect((await declaredNames("SupplyChain")).has("verifyUnit")).to.equal(true);
    const source = fs.readFileSync(path.join(ROOT, row.proofs[0].file), "utf8");
    expect(new RegExp(`\\bit\\(\\s*"${escapeRegExp(row.proofs[0].title)}"`).test(source)).to.equal(false);
  });
});
