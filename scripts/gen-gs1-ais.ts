/**
 * Generates src/gs1/aiTable.generated.ts from the GS1 Barcode Syntax Dictionary
 * (scripts/gs1/gs1-syntax-dictionary.txt, a copy of GS1's file, Apache-2.0).
 *
 *   npx ts-node -T scripts/gen-gs1-ais.ts [path/to/gs1-syntax-dictionary.txt]
 *
 * The dictionary's own header defines the syntax read here:
 *   AIs  [Flags]  Specification  [Attributes...]  [# Title]
 * AIs is one AI or a range ("3100-3105", "91-99"); flags "*" (predefined length, no FNC1) and "?"
 * (Digital Link data attribute); each specification component is Type[,linter...] with the type
 * N/X/Y/Z and a length "5" or "..20", optional when bracketed "[...]"; attributes are "req=",
 * "ex=" and "dlpkey[=...]". test/src/gs1/aiTable.ts regenerates the table and compares.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import type { AIComponent, AIEntry, AITableRow, CharacterSet } from "../src/gs1/aiTypes";

export const DICTIONARY_PATH = path.join(__dirname, "gs1", "gs1-syntax-dictionary.txt");
export const TABLE_PATH = path.join(__dirname, "..", "src", "gs1", "aiTable.generated.ts");

const FLAG_CHARS = new Set("*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~");

function parseComponent(token: string, line: number): AIComponent {
  const [typePart, ...linters] = token.split(",");
  let type = typePart;
  let optional = false;
  if (type.startsWith("[") && type.endsWith("]")) {
    optional = true;
    type = type.slice(1, -1);
  }
  const m = /^([NXYZ])(\d*)(?:\.\.(\d+))?$/.exec(type);
  if (!m) throw new Error(`dictionary line ${line}: bad component "${token}"`);
  const cset = m[1] as CharacterSet;
  const min = m[3] !== undefined ? (m[2] === "" ? 1 : Number(m[2])) : Number(m[2]);
  const max = m[3] !== undefined ? Number(m[3]) : Number(m[2]);
  if (!(min >= 1 && max >= min)) throw new Error(`dictionary line ${line}: bad length in "${token}"`);
  return { cset, min, max, optional, linters: linters.filter((l) => l.length > 0) };
}

/** The dictionary's lines as table rows (a range stays one row), in the dictionary's (lexical) order. */
export function parseDictionary(text: string): AITableRow[] {
  const rows: AITableRow[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    const hash = raw.indexOf("#");
    const body = hash === -1 ? raw : raw.slice(0, hash);
    const title = hash === -1 ? "" : raw.slice(hash + 1).trim();
    const tokens = body.trim().split(/\s+/);
    const aiToken = tokens.shift()!;
    let flags = "";
    if (tokens.length > 0 && [...tokens[0]].every((c) => FLAG_CHARS.has(c))) flags = tokens.shift()!;
    const components: AIComponent[] = [];
    const req: string[][][] = [];
    const ex: string[][] = [];
    let dlpkey: string[][] | undefined;
    for (const token of tokens) {
      if (token.startsWith("req=")) {
        req.push(
          token
            .slice(4)
            .split(",")
            .map((alt) => alt.split("+")),
        );
      } else if (token.startsWith("ex=")) {
        ex.push(token.slice(3).split(","));
      } else if (token === "dlpkey") {
        dlpkey = [[]];
      } else if (token.startsWith("dlpkey=")) {
        dlpkey = token
          .slice(7)
          .split("|")
          .map((seq) => seq.split(","));
      } else if (/^\[?[NXYZ]/.test(token)) {
        if (req.length + ex.length > 0 || dlpkey)
          throw new Error(`dictionary line ${line}: component after attributes`);
        components.push(parseComponent(token, line));
      } else {
        throw new Error(`dictionary line ${line}: unknown token "${token}"`);
      }
    }
    if (components.length === 0) throw new Error(`dictionary line ${line}: no specification`);
    const range = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(aiToken);
    if (!range || (range[2] !== undefined && range[2].length !== range[1].length)) {
      throw new Error(`dictionary line ${line}: bad AI "${aiToken}"`);
    }
    if (range[2] !== undefined && Number(range[2]) <= Number(range[1])) {
      throw new Error(`dictionary line ${line}: empty range "${aiToken}"`);
    }
    const row: AITableRow = {
      ai: range[1],
      title,
      fnc1: !flags.includes("*"),
      dlAttr: flags.includes("?"),
      components,
      req,
      ex,
    };
    if (range[2] !== undefined) row.last = range[2];
    if (dlpkey) row.dlpkey = dlpkey;
    rows.push(row);
  });
  return rows;
}

/** Every AI of the dictionary, ranges expanded. */
export function expandRows(rows: readonly AITableRow[]): AIEntry[] {
  const entries: AIEntry[] = [];
  for (const { last, ...row } of rows) {
    const to = Number(last ?? row.ai);
    for (let n = Number(row.ai); n <= to; n++) entries.push({ ...row, ai: String(n).padStart(row.ai.length, "0") });
  }
  return entries;
}

function literal(entry: AITableRow): string {
  const parts = entry.components
    .map(
      (c) =>
        `{ cset: ${JSON.stringify(c.cset)}, min: ${c.min}, max: ${c.max}, optional: ${c.optional}, linters: ${JSON.stringify(c.linters)} }`,
    )
    .join(", ");
  const dl = entry.dlpkey ? `, dlpkey: ${JSON.stringify(entry.dlpkey)}` : "";
  return (
    `{ ai: ${JSON.stringify(entry.ai)}${entry.last ? `, last: ${JSON.stringify(entry.last)}` : ""}, title: ${JSON.stringify(entry.title)}, fnc1: ${entry.fnc1}, ` +
    `dlAttr: ${entry.dlAttr}, components: [${parts}], req: ${JSON.stringify(entry.req)}, ex: ${JSON.stringify(entry.ex)}${dl} }`
  );
}

/** The TypeScript source of the table (formatted with the project's Prettier settings). */
export async function generateAITableSource(dictionary: string): Promise<string> {
  const entries = parseDictionary(dictionary);
  const sha256 = createHash("sha256").update(dictionary).digest("hex");
  const source = [
    "// GENERATED by scripts/gen-gs1-ais.ts from scripts/gs1/gs1-syntax-dictionary.txt: do not edit.",
    "// GS1 Barcode Syntax Dictionary: Copyright (c) 2020-2021 BWIPP project, (c) 2020-2021 Zint Project,",
    "// (c) 2021-2025 GS1 AISBL; Apache License 2.0 (http://www.apache.org/licenses/LICENSE-2.0).",
    'import type { AITableRow } from "./aiTypes";',
    "",
    "/** SHA-256 of the dictionary file this table was generated from. */",
    `export const AI_DICTIONARY_SHA256 = ${JSON.stringify(sha256)};`,
    "",
    "/** Every line of the GS1 Barcode Syntax Dictionary (a range of AIs is one row), in lexical order. */",
    "export const AI_TABLE_ROWS: readonly AITableRow[] = [",
    ...entries.map((e) => `  ${literal(e)},`),
    "];",
    "",
  ].join("\n");
  const config = (await prettier.resolveConfig(TABLE_PATH)) ?? {};
  return prettier.format(source, { ...config, plugins: [], filepath: TABLE_PATH });
}

async function main(): Promise<void> {
  const from = process.argv[2] ?? DICTIONARY_PATH;
  const source = await generateAITableSource(readFileSync(from, "utf8"));
  writeFileSync(TABLE_PATH, source);
  console.log(
    `wrote ${path.relative(process.cwd(), TABLE_PATH)} (${expandRows(parseDictionary(readFileSync(from, "utf8"))).length} AIs)`,
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
