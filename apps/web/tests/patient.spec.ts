/**
 * The patient's story: the plain sentence of a grant is shown before the wallet is asked; the grant
 * reaches the chain and the specialist's access appears; the patient revokes it and it is gone from the
 * chain and the page. The disclosures and the break-glass of the filled stack are listed.
 */
import { expect, test } from "@playwright/test";
import { activeGrants } from "../../../src/records/history";
import { RecordAccess__factory } from "../../../typechain-types";
import { ACTOR_INDEX } from "../../../scripts/lib/actors";
import { PEOPLE } from "../../../scripts/app/stack";
import { addresses, chain, openAs, screenshot, seriousViolations } from "./helpers";
import { testKey } from "./wallet";
import { Wallet } from "ethers";

test("the patient grants the specialist access, sees it, and revokes it", async ({ page }) => {
  const records = RecordAccess__factory.connect(addresses().records, chain());
  const specialist = new Wallet(testKey(ACTOR_INDEX.specialist)).address;
  const hospital = new Wallet(testKey(ACTOR_INDEX.hospital)).address;
  const wallet = await openAs(page, "patient", PEOPLE.patient);
  const grantees = async () => (await activeGrants(records, wallet.address)).map((g) => g.grantee);
  expect(await grantees()).toEqual([hospital]);
  await expect(page.getByTestId("grants")).toContainText("hospital may read your lab results for treatment");
  await expect(page.getByRole("table")).toContainText("hospital");
  await expect(page.getByTestId("emergencies")).toContainText("specialist declared an emergency");

  await page.getByLabel("Their account address (from your clinician)").fill(specialist);
  await page.getByRole("group", { name: "Which records" }).getByLabel("mental health").check();
  await page.getByRole("button", { name: "Review and sign" }).first().click();
  const sentence = page.getByTestId("sentence");
  await expect(sentence).toContainText("specialist");
  await expect(sentence).toContainText("lab results and mental health");
  // The sentence is on screen and the wallet has not been asked yet.
  expect(wallet.signed).toEqual([]);
  await page.getByRole("button", { name: "Sign in my wallet" }).click();
  await expect(page.getByTestId("done")).toContainText(
    "Granted: specialist can now read your lab results and mental health",
  );
  expect(wallet.signed).toEqual(["Grant"]);
  expect(await grantees()).toEqual([hospital, specialist]);
  const granted = (await activeGrants(records, wallet.address)).find((g) => g.grantee === specialist)!;
  expect(granted.categories).toBe((1 << 0) | (1 << 5));
  await expect(page.locator(`[data-grantee="${specialist}"]`)).toContainText(
    "specialist may read your lab results and mental health",
  );
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "patient");

  await page.getByRole("button", { name: "Revoke specialist" }).click();
  await expect(page.getByTestId("sentence")).toContainText("specialist");
  await page.getByRole("button", { name: "Sign in my wallet" }).click();
  await expect(page.getByTestId("done")).toContainText("Revoked: specialist can no longer see your records");
  expect(wallet.signed).toEqual(["Grant", "Revoke"]);
  expect(await grantees()).toEqual([hospital]);
  await expect(page.locator(`[data-grantee="${specialist}"]`)).toHaveCount(0);
});
