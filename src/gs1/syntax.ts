/**
 * AI element strings checked against the GS1 Barcode Syntax Dictionary: the table generated from it
 * (aiTable.generated.ts), each component's character set, length and linters, and the AI pairings
 * the dictionary requires (req) or forbids (ex). Browser-safe: no Node APIs.
 */
import { AI_TABLE_ROWS } from "./aiTable.generated";
import type { AIEntry } from "./aiTypes";
import { GS1Error } from "./checkDigit";
import { CSET_LINTERS, LINTERS, UNCHECKED_LINTERS } from "./linters";

function expand(): Map<string, AIEntry> {
  const map = new Map<string, AIEntry>();
  for (const { last, ...row } of AI_TABLE_ROWS) {
    const to = Number(last ?? row.ai);
    for (let n = Number(row.ai); n <= to; n++) {
      const ai = String(n).padStart(row.ai.length, "0");
      map.set(ai, { ...row, ai });
    }
  }
  return map;
}

/** Every AI of the GS1 Barcode Syntax Dictionary, by AI. */
export const AI_ENTRIES: ReadonlyMap<string, AIEntry> = expand();

/** AI length by the AI's first two digits (the dictionary gives every AI of a prefix the same length). */
const AI_LENGTH_BY_PREFIX: ReadonlyMap<string, number> = new Map(
  [...AI_ENTRIES.keys()].map((ai) => [ai.slice(0, 2), ai.length] as const),
);

const CSET_RULE = { N: "cset N", X: "cset 82", Y: "cset 39", Z: "cset 64" } as const;

/** The dictionary entry of `ai`, or undefined when the AI is not in the dictionary. */
export function lookupAI(ai: string): AIEntry | undefined {
  return AI_ENTRIES.get(ai);
}

/** The AI at the start of `data` (raw element string), or undefined. */
export function aiAtStartOf(data: string): AIEntry | undefined {
  const length = AI_LENGTH_BY_PREFIX.get(data.slice(0, 2));
  return length === undefined ? undefined : AI_ENTRIES.get(data.slice(0, length));
}

/** "AI (17) USE BY or EXPIRY": how messages name an AI. */
export function aiLabel(ai: string): string {
  const entry = AI_ENTRIES.get(ai);
  return entry ? `AI (${ai}) ${entry.title}` : `AI (${ai})`;
}

/** The length of a predefined-length AI's value (no FNC1 needed after it), or undefined. */
export function predefinedLength(entry: AIEntry): number | undefined {
  return entry.fnc1 ? undefined : entry.components.reduce((n, c) => n + c.max, 0);
}

function specOf(entry: AIEntry): string {
  return entry.components
    .map((c) => {
      const t = `${c.cset}${c.min === c.max ? c.max : `${c.min === 1 ? "" : c.min}..${c.max}`}`;
      return c.optional ? `[${t}]` : t;
    })
    .join(" ");
}

/** The known AI `ai`, or a GS1Error naming it as unknown. */
export function requireAI(ai: string, where = ""): AIEntry {
  const entry = AI_ENTRIES.get(ai);
  if (!entry) {
    throw new GS1Error(`unsupported application identifier (${ai})${where}: not in the GS1 Barcode Syntax Dictionary`, {
      ai,
      rule: "unknown-ai",
    });
  }
  return entry;
}

/**
 * Checks one AI's value against its dictionary entry: length, then per component its character set
 * and linters. Throws a GS1Error naming the AI and the rule.
 */
export function validateAIValue(ai: string, value: string): void {
  const entry = requireAI(ai);
  // Fast path for the single-component AIs without linters, e.g. serials (21) checked a million at a time.
  const only = entry.components.length === 1 ? entry.components[0] : undefined;
  if (only && only.linters.length === 0 && value.length >= only.min && value.length <= only.max) {
    if (CSET_LINTERS[only.cset](value) === undefined) return;
  }
  const label = `AI (${ai}) ${entry.title}`; // V8 builds concatenations lazily (ropes): cheap on the happy path
  if (value.length === 0) throw new GS1Error(`${label} is empty`, { ai, rule: "length" });
  let min = 0;
  let max = 0;
  for (const c of entry.components) {
    if (!c.optional) min += c.min;
    max += c.max;
  }
  const spec = { toString: () => specOf(entry) }; // only rendered into an error message
  if (min === max && value.length !== max) {
    throw new GS1Error(`${label} must be ${max} characters, got ${value.length}: "${value}" (rule: length ${spec})`, {
      ai,
      rule: "length",
    });
  }
  if (value.length < min) {
    throw new GS1Error(`${label} is at least ${min} characters, got ${value.length} (rule: length ${spec})`, {
      ai,
      rule: "length",
    });
  }
  if (value.length > max) {
    throw new GS1Error(`${label} is at most ${max} characters, got ${value.length} (rule: length ${spec})`, {
      ai,
      rule: "length",
    });
  }
  let at = 0;
  for (const c of entry.components) {
    const part = value.slice(at, at + c.max);
    if (c.optional && part.length === 0) continue;
    if (part.length < c.min) {
      throw new GS1Error(`${label} is too short: a component of ${spec} is incomplete (rule: length ${spec})`, {
        ai,
        rule: "length",
      });
    }
    const csetError = CSET_LINTERS[c.cset](part);
    if (csetError)
      throw new GS1Error(`${label}: ${csetError} (rule: ${CSET_RULE[c.cset]})`, { ai, rule: CSET_RULE[c.cset] });
    for (const name of c.linters) {
      const linter = LINTERS[name];
      if (!linter) {
        if (UNCHECKED_LINTERS.has(name)) continue;
        throw new GS1Error(`${label}: the SDK does not know linter "${name}" (rule: ${name})`, { ai, rule: name });
      }
      const error = linter(part);
      if (error) throw new GS1Error(`${label}: ${error} (rule: ${name})`, { ai, rule: name });
    }
    at += part.length;
  }
}

/** Whether AI `ai` matches dictionary pattern `pattern` ("n" stands for any digit, e.g. "31nn"). */
function matches(pattern: string, ai: string): boolean {
  if (pattern.length !== ai.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== "n" && pattern[i] !== ai[i]) return false;
  return true;
}

/**
 * Checks the AI pairings of the dictionary over all AIs read (from one carrier, or the combined
 * carriers of one item): every "ex=" (an AI never excludes itself) and every "req=".
 */
export function validateAssociations(ais: Iterable<string>): void {
  const present = [...new Set(ais)];
  for (const ai of present) {
    const entry = requireAI(ai);
    for (const ex of entry.ex) {
      for (const pattern of ex) {
        const other = present.find((o) => o !== ai && matches(pattern, o));
        if (other !== undefined) {
          throw new GS1Error(`${aiLabel(ai)} must not appear with ${aiLabel(other)} (rule: ex=${ex.join(",")})`, {
            ai,
            rule: "ex",
          });
        }
      }
    }
    for (const req of entry.req) {
      const satisfied = req.some((group) =>
        group.every((pattern) => present.some((o) => o !== ai && matches(pattern, o))),
      );
      if (!satisfied) {
        const options = req.map((group) => group.map((p) => `(${p})`).join("+"));
        throw new GS1Error(
          `${aiLabel(ai)} requires ${options.length > 1 ? "one of " : ""}${options.join(", ")} in the same data (rule: req=${req.map((g) => g.join("+")).join(",")})`,
          { ai, rule: "req" },
        );
      }
    }
  }
}
