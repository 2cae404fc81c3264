/**
 * supply:dispense of a suspect pack needs the pharmacist's decision (issue 13, item 3): with
 * --report-suspect the alert is recorded; at a terminal the verdict is shown in one line and the
 * pharmacist is asked [y/N] (only a yes sends); with no terminal the task refuses in one line and
 * sends nothing. The person is scripted through setAsk; the real terminal (readline on a
 * pseudo-terminal) is exercised by the last test, through util-linux `script`.
 */
import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { runTaskCapturing } from "../helpers/tasks";
import { PROJECT_ROOT, childEnv, hardhatCommand, underCoverage } from "../helpers/node";
import { ACTOR_INDEX } from "../../scripts/lib/actors";
import { formatRaw } from "../../src/gs1";
import { LotStatus, UnitCheck } from "../../src/supply";
import { setAsk, terminalAsk } from "../../tasks/prompt";
import { EXPIRY, GTIN, LOT, pharmacyWithStock } from "./support/pharmacy-stock";

const P = String(ACTOR_INDEX.pharmacy);
const code = (serial: string) => formatRaw({ gtin: GTIN, serial, lot: LOT, expiry: EXPIRY });

describe("supply:dispense asks before it records a suspect-pack alert (test/cli)", function () {
  /** The questions the scripted pharmacist was asked. */
  let asked: string[];

  /** A pharmacist at a terminal who answers `reply`. */
  function atTerminal(reply: string) {
    asked = [];
    setAsk(async (question) => {
      asked.push(question);
      return reply;
    });
  }

  /** The fixture's state, fresh for each test. */
  let f: Awaited<ReturnType<typeof pharmacyWithStock>>;
  beforeEach(async () => {
    asked = [];
    f = await loadFixture(pharmacyWithStock);
  });
  afterEach(() => setAsk("terminal"));

  /** supply:dispense of `serial` by the pharmacy; how many blocks it added. */
  async function dispense(serial: string, extra: Record<string, unknown> = {}) {
    const { address, treeFile } = f;
    const block = await ethers.provider.getBlockNumber();
    const r = await runTaskCapturing("supply:dispense", {
      address,
      from: P,
      code: code(serial),
      tree: treeFile,
      ...extra,
    });
    return { ...r, blocksAdded: (await ethers.provider.getBlockNumber()) - block };
  }

  it("records the alert when the pharmacist answers y, after one line with the verdict", async function () {
    const { supply, lotId, pharmacy } = f;
    atTerminal("y");
    const r = await dispense("FAKE1");
    expect(asked).to.deep.equal([`Record a suspect-pack alert for serial FAKE1 of lot ${LOT}? [y/N] `]);
    expect(r.lines[0]).to.equal(
      `serial FAKE1 verifies as UnknownSerial, not Genuine (GTIN ${GTIN}, lot ${LOT}, expiry ${EXPIRY}): not dispensed.`,
    );
    expect(r.lines[1]).to.match(/^ALERT recorded: UnknownSerial for serial FAKE1; pack not dispensed \(tx 0x/);
    expect(r.lines).to.have.length(2);
    expect(r.exitCode).to.equal(2);
    expect(r.blocksAdded).to.equal(1);
    const alerts = await supply.queryFilter(supply.filters.SuspectPackAlert(lotId, pharmacy.address));
    expect(alerts.map((e) => Number(e.args.answer))).to.deep.equal([UnitCheck.UnknownSerial]);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
  });

  for (const reply of ["n", "", "no", "yes please", "Y?"]) {
    it(`sends nothing and exits 2 when the pharmacist answers ${JSON.stringify(reply)}`, async function () {
      const { supply, lotId } = f;
      atTerminal(reply);
      const r = await dispense("FAKE1");
      expect(asked).to.have.length(1);
      expect(r.lines).to.deep.equal([
        `serial FAKE1 verifies as UnknownSerial, not Genuine (GTIN ${GTIN}, lot ${LOT}, expiry ${EXPIRY}): not dispensed.`,
        "no alert recorded: nothing sent. Keep the pack aside.",
      ]);
      expect(r.exitCode).to.equal(2);
      expect(r.blocksAdded, "nothing sent").to.equal(0);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
      expect(await supply.queryFilter(supply.filters.SuspectPackAlert(lotId))).to.have.length(0);
    });
  }

  it("accepts Y and yes as a yes", async function () {
    for (const reply of ["Y", " yes "]) {
      f = await loadFixture(pharmacyWithStock); // back to the lot before any alert
      const { supply, lotId } = f;
      atTerminal(reply);
      const r = await dispense("FAKE2");
      expect(r.exitCode, r.lines.join("\n")).to.equal(2);
      expect(r.blocksAdded).to.equal(1);
      expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
    }
  });

  it("without a terminal refuses in one line and changes nothing on chain", async function () {
    const { supply, lotId, pharmacy } = f;
    setAsk(undefined);
    const custody = await supply.custodyOf(lotId, pharmacy.address);
    const r = await dispense("FAKE1");
    expect(r.lines).to.deep.equal([
      "Error: serial FAKE1 verifies as UnknownSerial, not Genuine: not dispensed, nothing sent. Keep the pack " +
        "aside; to record a suspect-pack alert (the lot may be put on hold) run again with --report-suspect",
    ]);
    expect(r.exitCode).to.equal(1);
    expect(r.blocksAdded, "nothing sent").to.equal(0);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
    expect(await supply.custodyOf(lotId, pharmacy.address)).to.deep.equal(custody);
    expect(await supply.queryFilter(supply.filters.SuspectPackAlert(lotId))).to.have.length(0);
  });

  it("by default asks only when both stdin and stdout are a TTY (a pipe on either side: no question, no alert)", async function () {
    const { supply, lotId } = f;
    setAsk("terminal");
    const saved = [
      Object.getOwnPropertyDescriptor(process.stdin, "isTTY"),
      Object.getOwnPropertyDescriptor(process.stdout, "isTTY"),
    ];
    const tty = (stdin: boolean, stdout: boolean) => {
      Object.defineProperty(process.stdin, "isTTY", { value: stdin, configurable: true, writable: true });
      Object.defineProperty(process.stdout, "isTTY", { value: stdout, configurable: true, writable: true });
    };
    try {
      tty(true, true);
      expect(terminalAsk()).to.be.a("function");
      for (const [stdin, stdout] of [
        [false, true],
        [true, false],
        [false, false],
      ]) {
        tty(stdin, stdout);
        expect(terminalAsk(), `stdin ${stdin}, stdout ${stdout}`).to.equal(undefined);
        const r = await dispense("FAKE1");
        expect(r.exitCode).to.equal(1);
        expect(r.lines).to.have.length(1);
        expect(r.lines[0]).to.match(
          /^Error: serial FAKE1 verifies as UnknownSerial, not Genuine: .* --report-suspect$/,
        );
        expect(r.blocksAdded).to.equal(0);
      }
    } finally {
      for (const [stream, descriptor] of [
        [process.stdin, saved[0]],
        [process.stdout, saved[1]],
      ] as const) {
        if (descriptor) Object.defineProperty(stream, "isTTY", descriptor);
        else Reflect.deleteProperty(stream, "isTTY");
      }
    }
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Active);
  });

  it("does not ask for a genuine pack, a double scan of your own, or with --report-suspect", async function () {
    const { supply, lotId } = f;
    atTerminal("n");
    let r = await dispense("SN03");
    expect(r.lines[0]).to.match(/^dispensed serial SN03 /);
    r = await dispense("SN03");
    expect(r.blocksAdded).to.equal(0);
    expect(r.lines[0]).to.match(/^already dispensed by you: serial SN03/);
    r = await dispense("FAKE3", { reportSuspect: true });
    expect(r.lines).to.have.length(1);
    expect(r.lines[0]).to.match(/^ALERT recorded: UnknownSerial for serial FAKE3/);
    expect(asked, "never asked").to.deep.equal([]);
    expect((await supply.lotOf(lotId)).status).to.equal(LotStatus.Quarantined);
  });

  it("asks on a real terminal (util-linux script): n sends nothing, y records the alert", async function () {
    if (underCoverage(hre)) this.skip();
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" });
    } catch {
      // util-linux is part of Debian's base system; without it there is no pseudo-terminal to test on.
      this.skip();
    }
    const { command, args } = hardhatCommand(["run", path.join("test", "cli", "support", "dispense-at-terminal.ts")]);
    const commandLine = [command, ...args].map((a) => `'${a}'`).join(" ");
    const child = spawn("script", ["-qfec", commandLine, "/dev/null"], {
      cwd: PROJECT_ROOT,
      env: childEnv({ FORCE_COLOR: "0" }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    const replies = ["n\r", "y\r"];
    let prompts = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const seen = output.split("[y/N]").length - 1;
      while (prompts < seen && replies.length > 0) {
        prompts++;
        child.stdin.write(replies.shift()!);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exit = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.stdin.destroy();
    const lines = output
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "") // readline's cursor moves
      .replace(/\r/g, "")
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l !== "");
    expect(exit, output).to.equal(0);
    expect(prompts, output).to.equal(2);
    // What the pharmacist saw, in order (the typed answers are echoed by the terminal).
    expect(
      lines.filter((l) => !l.startsWith("ALERT recorded")),
      output,
    ).to.deep.equal([
      "terminal: stdin and stdout are a TTY",
      `serial FAKE1 verifies as UnknownSerial, not Genuine (GTIN ${GTIN}, lot ${LOT}, expiry ${EXPIRY}): not dispensed.`,
      `Record a suspect-pack alert for serial FAKE1 of lot ${LOT}? [y/N] n`,
      "no alert recorded: nothing sent. Keep the pack aside.",
      "after n: exit code 2, 0 blocks, lot Active, 0 alerts",
      `serial FAKE2 verifies as UnknownSerial, not Genuine (GTIN ${GTIN}, lot ${LOT}, expiry ${EXPIRY}): not dispensed.`,
      `Record a suspect-pack alert for serial FAKE2 of lot ${LOT}? [y/N] y`,
      "after y: exit code 2, 1 blocks, lot Quarantined, 1 alerts",
    ]);
    expect(lines.filter((l) => l.startsWith("ALERT recorded: UnknownSerial for serial FAKE2"))).to.have.length(1);
  });
});
