import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { recordsFixture, defaultTerms, registerEncryptionKeyOf } from "../../records/fixture";
import { mineBehindNextTransaction } from "../../helpers/race";
import {
  DenyScope,
  Purpose,
  categoryMask,
  newEncryptionKeyPair,
  openRecord,
  updateRecordVersion,
  RecordCryptoError,
  type RecordContext,
} from "../../../src/records";

describe("records SDK: updateRecordVersion (forward-only revocation in one operation)", function () {
  async function fixture() {
    const f = await recordsFixture();
    const { records, patient, specialist, family, guardian, stranger, relayer } = f;
    const keys = new Map<string, ReturnType<typeof newEncryptionKeyPair>>();
    for (const who of [specialist, family, guardian, stranger]) {
      const pair = newEncryptionKeyPair();
      keys.set(who.address, pair);
      await registerEncryptionKeyOf(records, who, pair.privateKey);
    }
    // specialist: labs + imaging (allowed); family: imaging only; guardian: granted then revoked;
    // stranger: labs, then denied labs by a deny rule; relayer: labs, but no encryption key.
    await records.connect(patient).grant(patient.address, specialist.address, await defaultTerms());
    await records
      .connect(patient)
      .grant(patient.address, family.address, await defaultTerms({ categories: categoryMask(["Imaging"]) }));
    for (const who of [guardian, stranger, relayer]) {
      await records.connect(patient).grant(patient.address, who.address, await defaultTerms());
    }
    await records.connect(patient).revoke(patient.address, guardian.address);
    await records
      .connect(patient)
      .setDenyRule(patient.address, DenyScope.Actor, stranger.address, categoryMask(["Labs"]));
    return { ...f, keys };
  }

  it("re-encrypts, takes the new epoch from the receipt, and wraps only for readers canAccess allows at that block", async function () {
    const { records, hospital, patient, labs, specialist, family, guardian, stranger, relayer, keys } =
      await loadFixture(fixture);
    const before = await records.recordOf(patient.address, labs.id);
    const plaintext = new TextEncoder().encode('{"resourceType":"Observation","status":"amended"}');
    const version = await updateRecordVersion(records.connect(hospital), {
      patient: patient.address,
      recordId: labs.id,
      plaintext,
    });
    const after = await records.recordOf(patient.address, labs.id);
    expect(after.keyEpoch).to.equal(before.keyEpoch + 1n);
    expect(version.context.keyEpoch).to.equal(after.keyEpoch);
    expect(after.contentHash).to.equal(version.sealed.contentHash);
    const byReader = new Map(version.wraps.map((w) => [w.reader, w]));
    expect(byReader.get(specialist.address)?.wrappedKey).to.match(/^0x02/);
    expect(byReader.get(family.address)?.skipped).to.equal("no access"); // category not granted
    expect(byReader.has(guardian.address)).to.equal(false); // revoked: not a candidate at all
    expect(byReader.get(stranger.address)?.skipped).to.equal("no access"); // denied
    expect(byReader.get(relayer.address)?.skipped).to.equal("no encryption key");
    expect(version.wraps.filter((w) => w.wrappedKey !== undefined)).to.have.length(1);

    const opened = openRecord({
      envelope: version.sealed.envelope,
      wrappedKey: byReader.get(specialist.address)!.wrappedKey!,
      privateKey: keys.get(specialist.address)!.privateKey,
      context: version.context,
      expectedContentHash: after.contentHash,
    });
    expect(new TextDecoder().decode(opened)).to.equal('{"resourceType":"Observation","status":"amended"}');
  });

  it("refuses given readers the chain does not allow: revoked, denied, category not granted, strangers", async function () {
    const { records, hospital, patient, labs, specialist, family, guardian, stranger, others } =
      await loadFixture(fixture);
    const version = await updateRecordVersion(records.connect(hospital), {
      patient: patient.address,
      recordId: labs.id,
      plaintext: new TextEncoder().encode("v2"),
      readers: [specialist.address, family.address, guardian.address, stranger.address, others[7].address],
    });
    expect(version.wraps.map((w) => [w.reader, w.wrappedKey ? "wrapped" : w.skipped])).to.deep.equal([
      [specialist.address, "wrapped"],
      [family.address, "no access"],
      [guardian.address, "no access"],
      [stranger.address, "no access"],
      [others[7].address, "no access"],
    ]);
  });

  it("a wrap made with the epoch read before the update would not open: the envelope is bound to the new epoch", async function () {
    const { records, hospital, patient, labs, specialist, keys } = await loadFixture(fixture);
    const version = await updateRecordVersion(records.connect(hospital), {
      patient: patient.address,
      recordId: labs.id,
      plaintext: new TextEncoder().encode("v2"),
      readers: [specialist.address],
    });
    const stale: RecordContext = { ...version.context, keyEpoch: BigInt(version.context.keyEpoch) - 1n };
    expect(() =>
      openRecord({
        envelope: version.sealed.envelope,
        wrappedKey: version.wraps[0].wrappedKey!,
        privateKey: keys.get(specialist.address)!.privateKey,
        context: stale,
        expectedContentHash: version.sealed.contentHash,
      }),
    ).to.throw(RecordCryptoError);
  });

  it("gives no wrap to a reader whose revocation is mined in the update's block, after the update", async function () {
    // The race, for real: the specialist is allowed when the update is sent; the patient's revoke lands
    // in the same block behind it (a lower tip). The check at the receipt's block sees the revocation.
    const { records, hospital, patient, labs, specialist } = await loadFixture(fixture);
    let update!: ReturnType<typeof updateRecordVersion>;
    const revokeHash = await mineBehindNextTransaction({
      sender: hospital,
      what: "updateRecordVersion",
      start: () => {
        update = updateRecordVersion(records.connect(hospital), {
          patient: patient.address,
          recordId: labs.id,
          plaintext: new TextEncoder().encode("v2"),
          readers: [specialist.address],
        });
        update.catch(() => undefined);
      },
      send: (fees) => records.connect(patient).revoke(patient.address, specialist.address, fees),
    });
    const version = await update;
    const revoked = (await ethers.provider.getTransactionReceipt(revokeHash))!;
    expect(revoked.blockNumber).to.equal(version.receipt.blockNumber);
    expect(version.receipt.index).to.be.lessThan(revoked.index);
    // Allowed one block earlier (when the update was sent), not at the update's block.
    const [allowedBefore] = await records.canAccess(patient.address, specialist.address, labs.id, Purpose.Treatment, {
      blockTag: version.receipt.blockNumber - 1,
    });
    expect(allowedBefore).to.equal(true);
    expect(version.wraps).to.deep.equal([{ reader: specialist.address, skipped: "no access" }]);
  });

  it("is refused by the contract for anyone but the record's custodian, and nothing changes", async function () {
    const { records, patient, labs, specialist } = await loadFixture(fixture);
    const before = await records.recordOf(patient.address, labs.id);
    const attempt = updateRecordVersion(records.connect(specialist), {
      patient: patient.address,
      recordId: labs.id,
      plaintext: new TextEncoder().encode("x"),
    });
    await expect(attempt)
      .to.be.revertedWithCustomError(records, "RecordAccessNotCustodian")
      .withArgs(patient.address, labs.id, specialist.address);
    const after = await records.recordOf(patient.address, labs.id);
    expect(after.contentHash).to.equal(before.contentHash);
    expect(after.keyEpoch).to.equal(before.keyEpoch);
  });
});
