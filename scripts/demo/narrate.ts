/** Console narration for the demo: numbered sections, steps and tables a person can follow. */
let sectionNo = 0;

export function section(title: string): void {
  sectionNo += 1;
  console.log(`\n== ${sectionNo}. ${title} ${"=".repeat(Math.max(0, 70 - title.length))}`);
}

export function step(text: string): void {
  console.log(`  - ${text}`);
}

export function table(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => "  | " + values.map((v, i) => v.padEnd(widths[i])).join(" | ") + " |";
  console.log(line(headers));
  console.log("  |" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const c of cells) console.log(line(c));
}

/** A short form of a 32-byte hash or an address for tables. */
export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}
