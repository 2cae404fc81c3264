/**
 * Deployment parameters are checked before Ignition starts: a placeholder governance fails in one
 * line and nothing is deployed; development accounts never govern a real network.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { deploymentProblems } from "../../tasks/deployCheck";

describe("ignition deploy: parameters checked first (test/cli)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-deploy-"));
  const write = (name: string, value: unknown) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };

  it("refuses ignition/parameters/besu.json as shipped (placeholder governance) in one line, deploying nothing", async function () {
    const block = await ethers.provider.getBlockNumber();
    const [log, error, exit] = [console.log, console.error, process.exitCode];
    const lines: string[] = [];
    console.log = (...a: unknown[]) => lines.push(a.join(" "));
    console.error = (...a: unknown[]) => lines.push(a.join(" "));
    let code;
    try {
      await hre.run(
        { scope: "ignition", task: "deploy" },
        { modulePath: "ignition/modules/Carechain.ts", parameters: "ignition/parameters/besu.json" },
      );
    } finally {
      [console.log, console.error, code, process.exitCode] = [log, error, process.exitCode, exit];
    }
    expect(code).to.equal(1);
    expect(lines).to.deep.equal([
      "Error: besu.json: Registry.governance is a placeholder (0x0000000000000000000000000000000000000000): " +
        "put the real governance address; nothing was deployed",
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("names every problem: missing file, not JSON, missing governance, not an address, too short a delay", async function () {
    const p = (file: string | undefined) => deploymentProblems(hre, "ignition/modules/Carechain.ts", file);
    expect(await p(undefined)).to.deep.equal([
      "ignition/modules/Carechain.ts needs --parameters ignition/parameters/<network>.json (governance has no default)",
    ]);
    expect(await p(path.join(tmp, "none.json"))).to.deep.equal([
      `--parameters ${path.join(tmp, "none.json")}: no such file`,
    ]);
    expect((await p(write("bad.json", "{")))[0]).to.match(/^--parameters .*bad\.json: not JSON/);
    expect(await p(write("empty.json", { Registry: {} }))).to.deep.equal([
      "empty.json: Registry.governance is missing",
    ]);
    expect(
      await p(write("x.json", { Registry: { governance: "acme", registrar: "0xdead", adminTransferDelay: 60 } })),
    ).to.deep.equal([
      'x.json: Registry.governance "acme" is not an address',
      'x.json: Registry.registrar "0xdead" is not an address',
      "x.json: Registry.adminTransferDelay 60 must be at least 3600 seconds",
    ]);
    expect(await p("ignition/parameters/localhost.json")).to.deep.equal([]);
    // Other modules are not Carechain's: untouched.
    expect(await deploymentProblems(hre, "ignition/modules/Other.ts", undefined)).to.deep.equal([]);
  });
});
