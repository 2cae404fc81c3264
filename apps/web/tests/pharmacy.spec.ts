/**
 * The pharmacist's story: a real GS1 DataMatrix image (bwip-js) uploaded and decoded in the page by
 * zxing-wasm, verified as genuine through the manufacturer's responder found on chain, dispensed with one
 * click — and the chain says the pack is dispensed. A forged pack typed by a keyboard-wedge scanner (with
 * its GS control character) is unknown, and reporting it asks for confirmation before the alert is recorded.
 */
import { expect, test } from "@playwright/test";
import bwipjs from "bwip-js";
import { SupplyChain__factory } from "../../../typechain-types";
import { ACTOR_INDEX } from "../../../scripts/lib/actors";
import { addresses, chain, openAs, screenshot, seriousViolations } from "./helpers";
import { stack } from "./stack";

test("the pharmacist uploads a photo of a GS1 DataMatrix, sees Genuine and dispenses the pack", async ({ page }) => {
  const s = stack();
  const supply = SupplyChain__factory.connect(addresses().supply, chain());
  const wallet = await openAs(page, "pharmacy", ACTOR_INDEX.pharmacy);
  const stockBefore = (await supply.custodyOf(s.lotId, wallet.address)).quantity;
  expect(await supply.isDecommissioned(s.lotId, s.packs.genuineIndex)).toBe(false);

  const png = await bwipjs.toBuffer({
    bcid: "gs1datamatrix",
    text: s.packs.genuine,
    scale: 4,
    paddingwidth: 8,
    paddingheight: 8,
    backgroundcolor: "FFFFFF",
  });
  await page
    .getByLabel("Or a photo of the code")
    .setInputFiles({ name: "pack.png", mimeType: "image/png", buffer: png });
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-answer", "Genuine");
  await expect(verdict).toContainText(`serial ${s.packs.genuine.split("(21)")[1]}`);
  // The one signature: the responder session, asked of the pharmacy's wallet.
  expect(wallet.signed).toContain("ResponderRequest");
  await expect(page.getByRole("list", { name: "Provenance timeline" })).toContainText("Received");

  await page.getByRole("button", { name: "Dispense this pack" }).click();
  await expect(page.getByTestId("outcome")).toContainText("Dispensed");
  expect(await supply.isDecommissioned(s.lotId, s.packs.genuineIndex)).toBe(true);
  expect((await supply.custodyOf(s.lotId, wallet.address)).quantity).toBe(stockBefore - 1n);
  await expect(verdict).toHaveAttribute("data-answer", "AlreadyDecommissionedByYou");
  await expect(page.getByRole("button", { name: "Undo my dispense" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Provenance timeline" })).toContainText("Dispensed by pharmacy");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "pharmacy");

  // A mistaken dispense: the pharmacy's own undo puts the pack back in its stock, on chain.
  await page.getByRole("button", { name: "Undo my dispense" }).click();
  await expect(page.getByTestId("outcome")).toContainText("The dispense was undone");
  expect(await supply.isDecommissioned(s.lotId, s.packs.genuineIndex)).toBe(false);
  expect((await supply.custodyOf(s.lotId, wallet.address)).quantity).toBe(stockBefore);
  await expect(verdict).toHaveAttribute("data-answer", "Genuine");
});

test("a forged pack from a wedge scanner is unknown, and reporting it is confirmed before the alert", async ({
  page,
}) => {
  const s = stack();
  const supply = SupplyChain__factory.connect(addresses().supply, chain());
  await openAs(page, "pharmacy", ACTOR_INDEX.pharmacy);
  const alertsBefore = await supply.queryFilter(supply.filters.SuspectPackAlert(s.lotId));
  // A wedge scanner types the raw element string, with GS (Ctrl+]) after the variable-length lot.
  const field = page.getByLabel("Scanner or typed code");
  await field.click();
  await page.keyboard.type("]d2010950600013435217281130" + "10ACM-2611");
  await page.keyboard.press("Control+BracketRight");
  await page.keyboard.type("21ACMFORGED01");
  await expect(field).toHaveValue("]d2010950600013435217281130" + "10ACM-2611␝21ACMFORGED01");
  await page.keyboard.press("Enter");
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-answer", "UnknownSerial");
  await page.getByRole("button", { name: "Report this pack as suspect…" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Record an alert?");
  expect(await supply.queryFilter(supply.filters.SuspectPackAlert(s.lotId))).toHaveLength(alertsBefore.length);
  await page.getByRole("button", { name: "Yes, record the alert" }).click();
  await expect(page.getByTestId("outcome")).toContainText("An alert was recorded");
  const alerts = await supply.queryFilter(supply.filters.SuspectPackAlert(s.lotId));
  expect(alerts).toHaveLength(alertsBefore.length + 1);
});
