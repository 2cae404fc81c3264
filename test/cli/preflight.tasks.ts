/**
 * A transaction the chain would refuse is never sent (issue 13, "nothing wrong reaches the chain"):
 * every task's account asks the chain first (tasks/lib.ts signerOf). Found by walking through the
 * README's role table on a `hardhat node`: records:review-emergency by someone who may not review,
 * and trials:approve of an unknown trial, put a failed transaction in a block (the node mines a
 * transaction whose gas estimation failed) before printing their error. Each case here: one decoded
 * line, exit code 1, and no block mined.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import { runTaskCapturing } from "../helpers/tasks";
import { ACTOR_INDEX, OTHERS_FROM } from "../../scripts/lib/actors";

const UNKNOWN_TRIAL = "0x" + "ab".repeat(32);

describe("tasks ask the chain before they send (test/cli)", function () {
  async function fixture() {
    const f = await deployConsortiumFixture();
    const address = (name: string) => (f.deployed[name] as { getAddress(): Promise<string> }).getAddress();
    return { ...f, records: await address("records"), trials: await address("trials") };
  }

  async function refusedWithoutSending(name: string, args: Record<string, unknown>, expected: RegExp) {
    const block = await ethers.provider.getBlockNumber();
    const r = await runTaskCapturing(name, args);
    expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(1);
    expect(r.lines, name).to.have.length(1);
    expect(r.lines[0], name).to.match(expected);
    expect(await ethers.provider.getBlockNumber(), `${name}: nothing sent`).to.equal(block);
  }

  it("records:review-emergency by someone who may not review: one line, no transaction", async function () {
    const { records, hospital, signers } = await loadFixture(fixture);
    const patient = signers[OTHERS_FROM].address;
    await refusedWithoutSending(
      "records:review-emergency",
      { address: records, from: String(ACTOR_INDEX.hospital), patient, provider: hospital.address },
      new RegExp(
        `^Error: RecordAccessNotReviewer: record access not reviewer \\(patient ${patient}, reviewer ${hospital.address}\\)$`,
      ),
    );
  });

  it("trials:approve of an unknown trial, and by a member who is not its IRB: one line, no transaction", async function () {
    const { trials } = await loadFixture(fixture);
    await refusedWithoutSending(
      "trials:approve",
      { address: trials, from: String(ACTOR_INDEX.irb), trial: UNKNOWN_TRIAL },
      /^Error: Trials\w+: /,
    );
    await refusedWithoutSending(
      "trials:withdraw",
      {
        address: trials,
        from: String(OTHERS_FROM + 1),
        trial: UNKNOWN_TRIAL,
        participant: String(OTHERS_FROM + 1),
        choice: "withdraw-data",
      },
      /^Error: Trials\w+: /,
    );
  });

  it("access:reinstate of an account that is not a member: one line, no transaction", async function () {
    const { registry, signers } = await loadFixture(fixture);
    const stranger = signers[OTHERS_FROM].address;
    await refusedWithoutSending(
      "access:reinstate",
      { address: await registry.getAddress(), from: String(ACTOR_INDEX.registrar), account: stranger },
      new RegExp(`^Error: MemberNotFound: ${stranger} is not a member$`),
    );
  });
});
