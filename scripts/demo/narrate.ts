/** Console narration for the demo: numbered sections, steps and tables a person can follow. */
import { markdownTable } from "../lib/table";

let sectionNo = 0;

export function section(title: string): void {
  sectionNo += 1;
  console.log(`\n== ${sectionNo}. ${title} ${"=".repeat(Math.max(0, 70 - title.length))}`);
}

export function step(text: string): void {
  console.log(`  - ${text}`);
}

export function table(rows: Record<string, unknown>[]): void {
  for (const line of markdownTable(rows, "  ")) console.log(line);
}

/** A short form of a 32-byte hash or an address for tables. */
export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}
