import type { DemoContext } from "./context";

// PLACEHOLDER until the supply domain lands.
export async function runSupplyDemo(_ctx: DemoContext): Promise<void> {}
