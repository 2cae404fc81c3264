/**
 * The participant's story: the consent form is fetched and its hash checked against the trial's
 * committed hash before signing; the signed consent reaches the chain through the site's intake; the
 * participant withdraws (stop and withdraw the data), and the chain records it at once.
 */
import { expect, test } from "@playwright/test";
import { hasParticipationFlag, isWithdrawn, withdrawalOf } from "../../../src/trials/flags";
import { ClinicalTrials__factory } from "../../../typechain-types";
import { PEOPLE } from "../../../scripts/app/stack";
import { addresses, chain, openAs, screenshot, seriousViolations } from "./helpers";
import { stack } from "./stack";

test("the participant reads the checked consent form, consents, then withdraws", async ({ page }) => {
  const { trialId } = stack();
  const trials = ClinicalTrials__factory.connect(addresses().trials, chain());
  const wallet = await openAs(page, "participant", PEOPLE.participant);
  const flags = async () => (await trials.participation(trialId, wallet.address)).flags;
  expect(await flags()).toBe(0n);
  await expect(page.getByTestId("standing")).toContainText("You have not consented");
  await expect(page.getByRole("document", { name: "Consent form text" })).toContainText("You may withdraw at any time");
  await expect(page.getByTestId("form-check")).toContainText("exactly the form the trial committed to on chain");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "participant");

  await page.getByRole("button", { name: "Review and sign my consent" }).click();
  const sentence = page.getByTestId("sentence");
  await expect(sentence).toContainText("lab results and genomic data");
  expect(wallet.signed).toEqual([]);
  await page.getByRole("button", { name: "Sign in my wallet" }).click();
  await expect(page.getByTestId("done")).toContainText("recorded on chain");
  expect(wallet.signed).toEqual(["Consent"]);
  const consented = await flags();
  expect(hasParticipationFlag(consented, "Consented")).toBe(true);
  expect(isWithdrawn(consented)).toBe(false);
  await expect(page.getByRole("list", { name: "Consent trail" })).toContainText("Consent signed (protocol version 0)");
  await expect(page.getByTestId("standing")).toContainText("once the investigator has attested it");

  await page.getByLabel(/Stop, and withdraw my data/).check();
  await page.getByRole("button", { name: "Review and sign my withdrawal" }).click();
  await expect(page.getByTestId("sentence")).toContainText("withdraw the data already collected");
  await page.getByRole("button", { name: "Sign in my wallet" }).click();
  await expect(page.getByTestId("done")).toContainText("Your withdrawal is recorded on chain");
  expect(wallet.signed).toEqual(["Consent", "Withdrawal"]);
  expect(withdrawalOf(await flags())).toBe("data");
  expect(await trials.isConsentValid(trialId, wallet.address)).toBe(false);
  await expect(page.getByTestId("standing")).toContainText("asked for your data to be withdrawn");
  await expect(page.getByRole("list", { name: "Consent trail" })).toContainText("Withdrew");
});

test("a consent form that is not the one committed on chain cannot be signed", async ({ page }) => {
  const { trialId } = stack();
  const trials = ClinicalTrials__factory.connect(addresses().trials, chain());
  // Someone between the site and the participant altered the form.
  await page.route("**/svc/site/forms/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/plain", body: "You may not withdraw." }),
  );
  const wallet = await openAs(page, "participant", PEOPLE.participant + 1);
  await expect(page.getByRole("document", { name: "Consent form text" })).toContainText("You may not withdraw.");
  await expect(page.getByTestId("form-check")).toContainText("not the one the trial committed to on chain");
  await expect(page.getByRole("button", { name: "Review and sign my consent" })).toBeDisabled();
  expect(wallet.signed).toEqual([]);
  expect((await trials.participation(trialId, wallet.address)).flags).toBe(0n);
});
