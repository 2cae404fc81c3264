/** Shared test steps: connect the injected wallet, the accessibility scan, screenshots, chain access. */
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { JsonRpcProvider } from "ethers";
import { PROJECT_ROOT, SCREENSHOTS, stack } from "./stack";
import { injectWallet, type InjectedWallet } from "./wallet";

/** The deployment's addresses (from the config.json the app is served with). */
export function addresses(): { registry: string; supply: string; records: string; trials: string } {
  return JSON.parse(fs.readFileSync(stack().configFile, "utf8")).addresses;
}

export function chain(): JsonRpcProvider {
  return new JsonRpcProvider(stack().rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
}

/** Opens `route` with the test wallet of account `index` injected, and connects it. */
export async function openAs(page: Page, route: string, index: number): Promise<InjectedWallet> {
  const wallet = await injectWallet(page, stack().rpcUrl, index);
  await page.goto(`${stack().url}#/${route}`);
  await page.getByRole("button", { name: "Connect Test wallet" }).click();
  await expect(page.getByTestId("account")).toHaveText(wallet.address);
  return wallet;
}

/** axe-core over the page as it is now; returns the serious and critical violations (expected none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: path.join(PROJECT_ROOT, "node_modules", "axe-core", "axe.min.js") });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            c: Document,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join(", ")})`);
}

/** A full-page screenshot kept as a CI artefact (test-results/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
