/**
 * A patient's acts from the command line: a grant signed to a file and relayed (no node account of
 * the patient sends anything), deny rules, a guardian, an encryption key; a provider's disclosure log.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { recordsFixture } from "../records/fixture";
import { runTaskCapturing } from "../helpers/tasks";
import { AccessReason, Purpose, encryptionPublicKeyOf } from "../../src/records";

describe("patient tasks: signed grant file, deny, guardian, encryption key, disclosure log (test/cli)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-patient-"));

  async function fixture() {
    const f = await recordsFixture();
    return { ...f, address: await f.records.getAddress() };
  }

  async function ok(name: string, args: Record<string, unknown>): Promise<string[]> {
    const r = await runTaskCapturing(name, args);
    expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(undefined);
    return r.out;
  }

  async function refused(name: string, args: Record<string, unknown>, expected: RegExp): Promise<void> {
    const block = await ethers.provider.getBlockNumber();
    const r = await runTaskCapturing(name, args);
    expect(r.exitCode, `${name}: ${r.lines.join("\n")}`).to.equal(1);
    expect(r.lines, name).to.have.length(1);
    expect(r.lines[0], name).to.match(expected);
    expect(await ethers.provider.getBlockNumber(), "nothing sent").to.equal(block);
  }

  it("signs a grant to a file without sending anything; a relayer sends it; a tampered file is refused", async function () {
    const { address, records, patient, specialist, relayer, labs } = await loadFixture(fixture);
    const file = path.join(tmp, "grant.json");
    const block = await ethers.provider.getBlockNumber();
    const out = await ok("records:sign-grant", {
      address,
      from: patient.address,
      grantee: specialist.address,
      categories: "Labs",
      purposes: "Treatment",
      actions: "Read",
      days: 30,
      hours: 24,
      out: file,
    });
    expect(out[0]).to.match(new RegExp(`^wrote ${file}: grant to ${specialist.address}, relay before `));
    expect(await ethers.provider.getBlockNumber(), "signing sends nothing").to.equal(block);

    const tampered = path.join(tmp, "tampered.json");
    const g = JSON.parse(fs.readFileSync(file, "utf8"));
    g.message.categories = "511";
    fs.writeFileSync(tampered, JSON.stringify(g));
    await refused("records:relay-grant", { file: tampered, from: relayer.address }, /^Error: \w+: /);
    await refused("records:relay-grant", { file: path.join(tmp, "none.json") }, /^Error: no such file/);

    expect(await ok("records:relay-grant", { file, from: relayer.address })).to.deep.equal([
      `granted ${specialist.address} access to ${patient.address}'s records (signed by the patient, relayed; tx ${(await ethers.provider.getBlock("latest", false))!.transactions[0]})`,
    ]);
    const [allowed] = await records.canAccess(patient.address, specialist.address, labs.id, Purpose.Treatment);
    expect(allowed).to.equal(true);
    // The same signature twice: its nonce is used.
    await refused("records:relay-grant", { file, from: relayer.address }, /^Error: \w+: /);
  });

  it("denies a category to one actor and lifts it; names and removes a guardian; registers an encryption key", async function () {
    const { address, records, patient, specialist, guardian, labs, stranger } = await loadFixture(fixture);
    const from = patient.address;
    await ok("records:sign-grant", {
      address,
      from,
      grantee: specialist.address,
      categories: "Labs",
      purposes: "Treatment",
      actions: "Read",
      days: 30,
      hours: 24,
      out: path.join(tmp, "g2.json"),
    });
    await ok("records:relay-grant", { file: path.join(tmp, "g2.json"), from: stranger.address });
    expect(await ok("records:deny", { address, from, target: specialist.address, categories: "Labs" })).to.have.length(
      1,
    );
    let [allowed, reason] = await records.canAccess(patient.address, specialist.address, labs.id, Purpose.Treatment);
    expect([allowed, Number(reason)]).to.deep.equal([false, AccessReason.Denied]);
    await ok("records:deny", { address, from, target: specialist.address, categories: "none" });
    [allowed] = await records.canAccess(patient.address, specialist.address, labs.id, Purpose.Treatment);
    expect(allowed).to.equal(true);
    await refused(
      "records:deny",
      { address, from: stranger.address, patient: patient.address, target: specialist.address, categories: "Labs" },
      /^Error: \w+: /,
    );

    await ok("records:guardian", {
      address,
      from,
      guardian: guardian.address,
      categories: "Labs,Imaging",
      powers: "Grant,Revoke",
      until: "2099-01-01",
    });
    expect((await records.guardianOf(patient.address)).account).to.equal(guardian.address);
    await ok("records:guardian", { address, from, remove: true });
    expect((await records.guardianOf(patient.address)).account).to.equal(ethers.ZeroAddress);
    await refused(
      "records:guardian",
      { address, from, guardian: guardian.address },
      /^Error: give --guardian, --categories/,
    );

    // The encryption key in its own file; the task derives the public key and proves possession.
    const keyFile = path.join(tmp, "patient-encryption.key");
    const encryptionKey = ethers.id("patient tasks: encryption key");
    fs.writeFileSync(keyFile, encryptionKey + "\n");
    await ok("records:encryption-key", { address, from, keyFile });
    expect(await records.encryptionKeyOf(patient.address)).to.equal(encryptionPublicKeyOf(encryptionKey));
    await refused(
      "records:encryption-key",
      { address, from, publicKey: "0x04" + "11".repeat(32), proof: "0x" + "11".repeat(65) },
      /^Error: --public-key/,
    );
  });

  it("logs a provider's disclosure, listed in the patient's accounting; refuses a stranger", async function () {
    const { address, records, patient, hospital, specialist, labs, stranger } = await loadFixture(fixture);
    const args = {
      address,
      patient: patient.address,
      recordId: labs.id,
      recipient: specialist.address,
      purpose: "Treatment",
    };
    await ok("records:log-disclosure", { ...args, from: hospital.address });
    const [log] = await records.queryFilter(records.filters.DisclosureLogged(patient.address));
    expect(log.args.recordId).to.equal(labs.id);
    expect(log.args.recipient).to.equal(specialist.address);
    const listed = await ok("records:disclosures", { address, patient: patient.address });
    expect(listed.join("\n")).to.contain(`record ${labs.id} disclosed by ${hospital.address} to ${specialist.address}`);
    await refused("records:log-disclosure", { ...args, from: stranger.address }, /^Error: \w+: /);
    await refused(
      "records:log-disclosure",
      { ...args, from: hospital.address, purpose: "Gossip" },
      /^Error: unknown purpose/,
    );
  });
});
