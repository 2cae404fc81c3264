/**
 * The camera path: Chromium's fake camera plays a Y4M video of a GS1 DataMatrix (modules from bwip-js),
 * the page reads frames with zxing-wasm and checks the pack it sees.
 */
import fs from "node:fs";
import path from "node:path";
import { test as base, expect } from "@playwright/test";
import bwipjs from "bwip-js";
import { formatBracketed } from "../../../src/gs1/elementString";
import { LotStatus } from "../../../src/supply/enums";
import { sequentialSerials } from "../../../src/supply/serials";
import { SupplyChain__factory } from "../../../typechain-types";
import { ACTOR_INDEX } from "../../../scripts/lib/actors";
import { APP_PRODUCT } from "../../../scripts/app/stack";
import { addresses, chain, openAs } from "./helpers";
import { WEB_ROOT, stack } from "./stack";

const INDEX = 5;
const SERIAL = sequentialSerials(APP_PRODUCT.units, "ACM")[INDEX];
const VIDEO = path.join(WEB_ROOT, ".stack", "datamatrix.y4m");

/** A 640x480 greyscale Y4M (4:2:0, neutral chroma) of a DataMatrix of `text`, 12 px per module. */
function writeDataMatrixVideo(file: string, text: string): void {
  const [{ pixs, pixx, pixy }] = bwipjs.raw({ bcid: "gs1datamatrix", text }) as unknown as {
    pixs: number[];
    pixx: number;
    pixy: number;
  }[];
  const W = 640;
  const H = 480;
  const module = 12;
  const x0 = Math.floor((W - pixx * module) / 2);
  const y0 = Math.floor((H - pixy * module) / 2);
  const luma = Buffer.alloc(W * H, 235);
  for (let y = 0; y < pixy * module; y++) {
    for (let x = 0; x < pixx * module; x++) {
      if (pixs[Math.floor(y / module) * pixx + Math.floor(x / module)]) luma[(y0 + y) * W + x0 + x] = 16;
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

// The video must exist before the browser starts: written by the worker's launch options.
const test = base.extend<object, { launchOptions: object }>({
  launchOptions: [
    async ({ launchOptions }, use) => {
      writeDataMatrixVideo(
        VIDEO,
        formatBracketed({
          gtin: APP_PRODUCT.gtin,
          lot: APP_PRODUCT.lot,
          expiry: APP_PRODUCT.printedExpiry,
          serial: SERIAL,
        }),
      );
      const base = launchOptions as { args?: string[] };
      await use({
        ...base,
        args: [
          ...(base.args ?? []),
          "--use-fake-ui-for-media-stream",
          "--use-fake-device-for-media-stream",
          `--use-file-for-fake-video-capture=${VIDEO}`,
        ],
      });
    },
    { scope: "worker" },
  ],
});

test("the pharmacist scans a pack with the camera", async ({ page, context }) => {
  const { lotId } = stack();
  const supply = SupplyChain__factory.connect(addresses().supply, chain());
  await context.grantPermissions(["camera"]);
  await openAs(page, "pharmacy", ACTOR_INDEX.pharmacy);
  await page.getByRole("button", { name: "Scan with the camera" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText(`serial ${SERIAL}`);
  // What the chain says of that pack now (an earlier test's alert may have put the lot on hold).
  const status = Number((await supply.lotOf(lotId)).status);
  await expect(verdict).toHaveAttribute("data-answer", status === LotStatus.Active ? "Genuine" : "Quarantined");
  await expect(page.getByRole("button", { name: "Scan with the camera" })).toBeVisible();
});
