/** A Markdown table of `rows` (objects with the same keys, in column order), each column as wide as its widest cell. */
export function markdownTable(rows: readonly Record<string, unknown>[], indent = ""): string[] {
  if (rows.length === 0) return [];
  const headers = Object.keys(rows[0]);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => `${indent}| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
  return [line(headers), `${indent}|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)];
}
