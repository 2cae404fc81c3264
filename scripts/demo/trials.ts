import type { DemoContext } from "./context";

// PLACEHOLDER until the trials domain lands.
export async function runTrialsDemo(_ctx: DemoContext): Promise<void> {}
