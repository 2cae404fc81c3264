/**
 * Writes the ERC-7730 clear-signing descriptors of Carechain's typed structs (erc7730/, one per
 * contract) from the SDK's table (src/describe.ts). test/src/signing/describe.ts fails when the
 * files and the table disagree. Run: npx ts-node -T scripts/erc7730.ts
 */
import fs from "node:fs";
import path from "node:path";
import { erc7730Descriptor, erc7730FileName } from "../src/describe";

const dir = path.join(__dirname, "..", "erc7730");
fs.mkdirSync(dir, { recursive: true });
for (const contract of ["records", "trials"] as const) {
  const file = path.join(dir, erc7730FileName(contract));
  fs.writeFileSync(file, JSON.stringify(erc7730Descriptor(contract), null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
