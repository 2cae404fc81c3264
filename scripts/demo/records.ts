import type { DemoContext } from "./context";

// PLACEHOLDER until the records domain lands.
export async function runRecordsDemo(_ctx: DemoContext): Promise<void> {}
