/**
 * Site and IRB: the trial's pending amendment is listed; the IRB approves it from the page and the chain
 * says the amendment is approved and the protocol version moved. Also measures the first load.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Wallet } from "ethers";
import { categoryMask } from "../../../src/categories";
import { AmendmentStatus } from "../../../src/trials/enums";
import { encodeScope } from "../../../src/trials/duo";
import { hasParticipationFlag } from "../../../src/trials/flags";
import { consentTerms, signConsent, trialsDomain } from "../../../src/trials/typedData";
import { PEOPLE } from "../../../scripts/app/stack";
import { testKey } from "./wallet";
import { ClinicalTrials__factory } from "../../../typechain-types";
import { ACTOR_INDEX } from "../../../scripts/lib/actors";
import { addresses, chain, openAs, screenshot, seriousViolations } from "./helpers";
import { WEB_ROOT, stack } from "./stack";

test("first load: navigation timing of a cold page", async ({ page }) => {
  await page.goto(`${stack().url}#/site`);
  await expect(page.getByRole("heading", { name: "Trial sites and IRB" })).toBeVisible();
  await expect(page.getByTestId("trial")).toBeVisible();
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return {
      domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
      loadMs: Math.round(nav.loadEventEnd),
      transferKiB: Math.round(
        performance
          .getEntriesByType("resource")
          .reduce((n, r) => n + (r as PerformanceResourceTiming).transferSize, nav.transferSize) / 1024,
      ),
      firstDataMs: Math.round(performance.now()),
    };
  });
  fs.mkdirSync(path.join(WEB_ROOT, "test-results"), { recursive: true });
  fs.writeFileSync(path.join(WEB_ROOT, "test-results", "first-load.json"), JSON.stringify(timing, null, 2));
  console.log(`first load: ${JSON.stringify(timing)}`);
  expect(timing.loadMs).toBeGreaterThan(0);
});

test("the investigator attests a consent awaiting attestation, and the consent then counts", async ({ page }) => {
  const { trialId } = stack();
  const provider = chain();
  const trials = ClinicalTrials__factory.connect(addresses().trials, provider);
  // A participant's consent that the site recorded, not yet attested (set up through the SDK).
  const participant = new Wallet(testKey(PEOPLE.participant + 2), provider);
  const site = new Wallet(testKey(ACTOR_INDEX.site), provider);
  const t = await trials.trial(trialId);
  const terms = consentTerms({
    trialId,
    participant: participant.address,
    protocolVersion: Number(t.protocolVersion),
    consentFormHash: (await trials.amendment(trialId, t.protocolVersion)).consentFormHash,
    scope: encodeScope(["HMB", "NCU"]),
    categories: categoryMask(["Labs"]),
    futureContact: false,
    deadline: BigInt((await provider.getBlock("latest"))!.timestamp + 3600),
  });
  const domain = trialsDomain((await provider.getNetwork()).chainId, addresses().trials);
  const signature = await signConsent(participant, domain, terms, await trials.nonces(participant.address));
  await (await trials.connect(site).consentBySig(terms, signature)).wait();
  expect(await trials.isConsentValid(trialId, participant.address)).toBe(false);

  const wallet = await openAs(page, "site", PEOPLE.investigator);
  await expect(page.getByTestId("awaiting")).toContainText(participant.address);
  await page.getByRole("button", { name: `Attest ${participant.address}'s consent` }).click();
  await expect(page.getByTestId("sentence")).toContainText("investigator's attestation");
  expect(wallet.signed).toEqual([]);
  await page.getByRole("button", { name: "Sign in my wallet" }).click();
  await expect(page.getByTestId("done")).toContainText("consent now counts");
  expect(wallet.signed).toEqual(["Attestation"]);
  expect(await trials.isConsentValid(trialId, participant.address)).toBe(true);
  expect(hasParticipationFlag((await trials.participation(trialId, participant.address)).flags, "Attested")).toBe(true);
});

test("the site/IRB page shows the pending amendment and the IRB approves it", async ({ page }) => {
  const { trialId } = stack();
  const trials = ClinicalTrials__factory.connect(addresses().trials, chain());
  const before = await trials.trial(trialId);
  expect(Number(before.lastAmendmentId)).toBe(1);
  expect(Number((await trials.amendment(trialId, 1)).status)).toBe(AmendmentStatus.Proposed);
  await openAs(page, "site", ACTOR_INDEX.irb);
  const trial = page.getByTestId("trial");
  await expect(trial).toContainText("recruiting");
  await expect(trial.getByTestId("pending")).toContainText(
    "Amendment 1: awaiting IRB decision; every participant must consent again",
  );
  await expect(trial).toContainText("investigators investigator (Dr Ivy)");
  await expect(trial.getByLabel(/Enrollment: 0 of 10/)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "site");

  await page.getByRole("button", { name: "Approve amendment 1" }).click();
  await expect(page.getByTestId("done")).toContainText("Amendment 1 of");
  expect(Number((await trials.amendment(trialId, 1)).status)).toBe(AmendmentStatus.Approved);
  expect(Number((await trials.trial(trialId)).protocolVersion)).toBe(1);
  await expect(trial.getByTestId("no-pending")).toBeVisible();
  await expect(trial).toContainText("amendment 1 approved");
});
