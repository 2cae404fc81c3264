/**
 * Mutant generation (issue 17): parses a Solidity file with @solidity-parser/parser (source
 * ranges) and lists the single-point mutants of its function and modifier bodies and constants.
 *
 * Operators:
 * - AOR arithmetic operator replacement (+ -, * /, %, **; and the compound assignments)
 * - ROR comparison operator replacement (< <= > >= == !=, each to its boundary neighbour and negation)
 * - LOR / BOR logical and bitwise operator replacement (&& ||, & | ^, << >>)
 * - CNG condition negation (if / while / for / ternary conditions), UOR `!x` to `x`
 * - SDL statement deletion (expression and emit statements, replaced by `{}`: Solidity has no empty statement)
 * - RRD require / revert removal
 * - CCH constant change (number literals n to n+1 and 0/1 swaps; true/false)
 *
 * A mutant's id is a hash of (file, enclosing function, original text, replacement, its index
 * among identical mutants of that function): it survives edits elsewhere in the file, so the list
 * of equivalent mutants (scripts/mutation/equivalent.json) stays valid across unrelated changes.
 */
import crypto from "node:crypto";
import { parse, visit } from "@solidity-parser/parser";

export interface Mutant {
  id: string;
  file: string;
  operator: string;
  /** Enclosing contract.function (or contract.<constant>). */
  scope: string;
  line: number;
  /** [start, end) in the source string. */
  start: number;
  end: number;
  original: string;
  replacement: string;
}

type Node = {
  type: string;
  range?: [number, number];
  loc?: { start: { line: number; column: number } };
  [k: string]: unknown;
};

const ARITHMETIC: Record<string, string[]> = {
  "+": ["-"],
  "-": ["+"],
  "*": ["/"],
  "/": ["*"],
  "%": ["*"],
  "**": ["*"],
};
const COMPARISON: Record<string, string[]> = {
  "<": ["<=", ">="],
  "<=": ["<", ">"],
  ">": [">=", "<="],
  ">=": [">", "<"],
  "==": ["!="],
  "!=": ["=="],
};
const LOGICAL: Record<string, string[]> = { "&&": ["||"], "||": ["&&"] };
const BITWISE: Record<string, string[]> = { "&": ["|"], "|": ["&"], "^": ["&"], "<<": [">>"], ">>": ["<<"] };
const ASSIGN: Record<string, string[]> = {
  "+=": ["-="],
  "-=": ["+="],
  "*=": ["/="],
  "/=": ["*="],
  "|=": ["&="],
  "&=": ["|="],
};

function operatorClass(op: string): [string, string[]] | undefined {
  if (ARITHMETIC[op]) return ["AOR", ARITHMETIC[op]];
  if (COMPARISON[op]) return ["ROR", COMPARISON[op]];
  if (LOGICAL[op]) return ["LOR", LOGICAL[op]];
  if (BITWISE[op]) return ["BOR", BITWISE[op]];
  return undefined;
}

/** Index of `op` as a whole token in source[from, to) (not part of a longer operator). */
function findOperator(source: string, from: number, to: number, op: string): number {
  const opChars = "+-*/%<>=!&|^";
  let i = source.indexOf(op, from);
  while (i >= 0 && i + op.length <= to) {
    const before = source[i - 1] ?? " ";
    const after = source[i + op.length] ?? " ";
    if (!opChars.includes(before) && !opChars.includes(after)) return i;
    i = source.indexOf(op, i + 1);
  }
  return -1;
}

export function generateMutants(file: string, source: string): Mutant[] {
  const ast = parse(source, { range: true, loc: true, tolerant: false }) as unknown as Node;
  const raw: Omit<Mutant, "id">[] = [];
  let contract = "";
  let fn = "";
  let inBody = 0;

  const lineOf = (pos: number) => source.slice(0, pos).split("\n").length;
  const add = (operator: string, start: number, end: number, replacement: string) => {
    if (!(start >= 0 && end > start)) return;
    const original = source.slice(start, end);
    if (original === replacement) return;
    raw.push({
      file,
      operator,
      scope: `${contract}.${fn || "<state>"}`,
      line: lineOf(start),
      start,
      end,
      original,
      replacement,
    });
  };
  // Nodes without a range (the parser leaves some out) are not mutated: NaN fails `add`'s check.
  const r = (n: Node) => (n?.range ?? [NaN, NaN]) as [number, number];

  const visitor = {
    ContractDefinition: (n: Node) => {
      contract = n.name as string;
    },
    FunctionDefinition: (n: Node) => {
      fn = (n.name as string) || (n.isConstructor ? "constructor" : String(n.kind));
      if (n.body) inBody++;
    },
    "FunctionDefinition:exit": (n: Node) => {
      if (n.body) inBody--;
      fn = "";
    },
    ModifierDefinition: (n: Node) => {
      fn = n.name as string;
      inBody++;
    },
    "ModifierDefinition:exit": () => {
      inBody--;
      fn = "";
    },
    StateVariableDeclaration: (n: Node) => {
      const vars = n.variables as Node[];
      fn = vars.map((v) => v.name).join(",");
    },
    "StateVariableDeclaration:exit": () => {
      fn = "";
    },
    BinaryOperation: (n: Node) => {
      const op = n.operator as string;
      const left = n.left as Node;
      const right = n.right as Node;
      if (!left?.range || !right?.range) return;
      if (ASSIGN[op] || op === "=") {
        if (ASSIGN[op]) {
          const at = findOperator(source, r(left)[1] + 1, r(right)[0], op);
          if (at >= 0) for (const to of ASSIGN[op]) add("AOR", at, at + op.length, to);
        }
        return;
      }
      const cls = operatorClass(op);
      if (!cls || (!inBody && !fn)) return;
      const at = findOperator(source, r(left)[1] + 1, r(right)[0], op);
      if (at < 0) return;
      for (const to of cls[1]) add(cls[0], at, at + op.length, to);
    },
    UnaryOperation: (n: Node) => {
      if (!inBody) return;
      if (n.operator === "!" && n.isPrefix) {
        const sub = n.subExpression as Node;
        add("UOR", r(n)[0], r(n)[1] + 1, source.slice(r(sub)[0], r(sub)[1] + 1));
      }
    },
    IfStatement: (n: Node) => negate(n.condition as Node),
    WhileStatement: (n: Node) => negate(n.condition as Node),
    DoWhileStatement: (n: Node) => negate(n.condition as Node),
    ForStatement: (n: Node) => {
      if (n.conditionExpression) negate(n.conditionExpression as Node);
    },
    Conditional: (n: Node) => {
      if (inBody) negate(n.condition as Node);
    },
    ExpressionStatement: (n: Node) => {
      if (!inBody) return;
      const e = n.expression as Node;
      const isRequire =
        e?.type === "FunctionCall" &&
        (e.expression as Node)?.type === "Identifier" &&
        ["require", "assert"].includes((e.expression as Node).name as string);
      // The statement's range may or may not include its ';' depending on the parser: cover it.
      let end = r(n)[1] + 1;
      if (source[end] === ";") end++;
      add(isRequire ? "RRD" : "SDL", r(n)[0], end, "{}");
    },
    EmitStatement: (n: Node) => {
      if (!inBody) return;
      let end = r(n)[1] + 1;
      if (source[end] === ";") end++;
      add("SDL", r(n)[0], end, "{}");
    },
    RevertStatement: (n: Node) => {
      if (!inBody) return;
      let end = r(n)[1] + 1;
      if (source[end] === ";") end++;
      add("RRD", r(n)[0], end, "{}");
    },
    NumberLiteral: (n: Node) => {
      if (!inBody && !fn) return;
      const text = source.slice(r(n)[0], r(n)[1] + 1);
      const m = /^(0x[0-9a-fA-F_]+|[0-9_]+)(\s+\w+)?$/.exec(text);
      if (!m) return;
      const value = BigInt(m[1].replace(/_/g, ""));
      const unit = m[2] ?? "";
      const variants = value === 0n ? [1n] : value === 1n ? [0n, 2n] : [value + 1n];
      for (const v of variants) add("CCH", r(n)[0], r(n)[1] + 1, `${v}${unit}`);
    },
    BooleanLiteral: (n: Node) => {
      if (!inBody && !fn) return;
      add("CCH", r(n)[0], r(n)[1] + 1, n.value ? "false" : "true");
    },
  };

  function negate(cond: Node) {
    if (!cond?.range) return;
    const text = source.slice(r(cond)[0], r(cond)[1] + 1);
    add("CNG", r(cond)[0], r(cond)[1] + 1, `!(${text})`);
  }

  visit(ast as never, visitor as never);

  // Stable ids: hash of file, scope, original, replacement and index among identical ones.
  // A node reachable twice (a state variable's `expression` and `initialValue`) is mutated once.
  const unique = new Map<string, Omit<Mutant, "id">>();
  for (const m of raw) unique.set(`${m.start}:${m.end}:${m.replacement}`, m);
  const seen = new Map<string, number>();
  return [...unique.values()]
    .sort((a, b) => a.start - b.start || a.end - b.end || a.replacement.localeCompare(b.replacement))
    .map((m) => {
      const key = `${m.file}|${m.scope}|${m.operator}|${m.original}|${m.replacement}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const id = crypto.createHash("sha1").update(`${key}|${n}`).digest("hex").slice(0, 10);
      return { id, ...m };
    });
}

/** The source with one mutant applied. */
export function applyMutant(source: string, m: Mutant): string {
  return source.slice(0, m.start) + m.replacement + source.slice(m.end);
}
