import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { recordsFixture, defaultTerms, DAY } from "./fixture";
import {
  ALL_GUARDIAN_POWERS,
  accountingOfDisclosures,
  activeGrants,
  categoryMask,
  Purpose,
  purposeMask,
  RecordCategory,
} from "../../src/records";

describe("records SDK: history from events", function () {
  describe("activeGrants", function () {
    it("rebuilds the patient's live grants from events and agrees with the on-chain words", async function () {
      const ctx = await loadFixture(recordsFixture);
      const p = ctx.records.connect(ctx.patient);
      const [a, b, c, d] = ctx.others.slice(6, 10);
      await p.grant(ctx.patient.address, a.address, await defaultTerms());
      await p.grant(ctx.patient.address, b.address, await defaultTerms());
      await p.revokeAll(ctx.patient.address);
      await p.grant(ctx.patient.address, c.address, await defaultTerms({ categories: categoryMask(["Notes"]) }));
      await p.grant(ctx.patient.address, d.address, await defaultTerms());
      await p.revoke(ctx.patient.address, d.address);
      const later = (await time.latest()) + 1000;
      await p.grant(ctx.patient.address, ctx.specialist.address, await defaultTerms({ validFrom: BigInt(later) }));
      await p.grant(ctx.patient.address, ctx.family.address, await defaultTerms({ validUntil: BigInt(later) }));
      // another patient's grants never show
      await ctx.records.connect(ctx.patient2).grant(ctx.patient2.address, a.address, await defaultTerms());

      const live = await activeGrants(ctx.records, ctx.patient.address);
      expect(live.map((g) => g.grantee).sort()).to.deep.equal(
        [c.address, ctx.specialist.address, ctx.family.address].sort(),
      );
      const epoch = await ctx.records.epochOf(ctx.patient.address);
      for (const g of live) {
        const word = await ctx.records.grantOf(ctx.patient.address, g.grantee);
        expect([
          word.categories,
          word.purposes,
          word.validFrom,
          word.validUntil,
          word.epoch,
          word.revoked,
        ]).to.deep.equal([BigInt(g.categories), BigInt(g.purposes), g.validFrom, g.validUntil, g.epoch, false]);
        expect(g.epoch).to.equal(epoch);
      }
      expect(live.find((g) => g.grantee === ctx.specialist.address)!.inEffect).to.equal(false);
      // the revoked and superseded ones are revoked on chain too
      for (const gone of [a, b, d]) {
        const [allowed] = await ctx.records.canAccess(
          ctx.patient.address,
          gone.address,
          ctx.labs.id,
          Purpose.Treatment,
        );
        expect(allowed).to.equal(false);
      }
      // and an expired one drops out
      await time.increaseTo(later + 1);
      const after = await activeGrants(ctx.records, ctx.patient.address);
      expect(after.map((g) => g.grantee)).to.not.include(ctx.family.address);
      expect(after.find((g) => g.grantee === ctx.specialist.address)!.inEffect).to.equal(true);
    });
  });

  describe("activeGrants and guardians", function () {
    it("drops a guardian's grants when the patient replaces or removes the guardian, as the chain does", async function () {
      const ctx = await loadFixture(recordsFixture);
      const p = ctx.records.connect(ctx.patient);
      const until = BigInt(await time.latest()) + 365n * DAY;
      await p.setGuardian(
        ctx.patient.address,
        ctx.guardian.address,
        categoryMask(["Labs", "Imaging"]),
        ALL_GUARDIAN_POWERS,
        until,
      );
      await ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, await defaultTerms());
      await p.grant(ctx.patient.address, ctx.family.address, await defaultTerms());
      expect((await activeGrants(ctx.records, ctx.patient.address)).map((g) => g.grantedBy).sort()).to.deep.equal(
        [ctx.guardian.address, ctx.patient.address].sort(),
      );
      await p.setGuardian(
        ctx.patient.address,
        ctx.stranger.address,
        categoryMask(["Labs"]),
        ALL_GUARDIAN_POWERS,
        until,
      );
      const live = await activeGrants(ctx.records, ctx.patient.address);
      expect(live.map((g) => g.grantee)).to.deep.equal([ctx.family.address]);
      const [allowed] = await ctx.records.canAccess(
        ctx.patient.address,
        ctx.specialist.address,
        ctx.labs.id,
        Purpose.Treatment,
      );
      expect(allowed).to.equal(false);
    });
  });

  describe("accountingOfDisclosures", function () {
    it("lists the patient's disclosures only, oldest first, with who, what, why and when", async function () {
      const ctx = await loadFixture(recordsFixture);
      await ctx.records
        .connect(ctx.patient)
        .grant(
          ctx.patient.address,
          ctx.specialist.address,
          await defaultTerms({ purposes: purposeMask(["Treatment", "Payment"]) }),
        );
      await ctx.records
        .connect(ctx.hospital)
        .logDisclosure(ctx.patient.address, ctx.labs.id, ctx.specialist.address, Purpose.Treatment);
      await time.increase(DAY);
      await ctx.records
        .connect(ctx.specialist)
        .logDisclosure(ctx.patient.address, ctx.imaging.id, ctx.family.address, Purpose.Payment);
      await ctx.records
        .connect(ctx.specialist)
        .registerRecord(ctx.patient2.address, ctx.labs.id, RecordCategory.Labs, ctx.labs.hash, 1n);
      await ctx.records
        .connect(ctx.specialist)
        .logDisclosure(ctx.patient2.address, ctx.labs.id, ctx.family.address, Purpose.Treatment);

      const list = await accountingOfDisclosures(ctx.records, ctx.patient.address);
      expect(list.map((d) => [d.recordId, d.discloser, d.recipient, d.purpose])).to.deep.equal([
        [ctx.labs.id, ctx.hospital.address, ctx.specialist.address, Purpose.Treatment],
        [ctx.imaging.id, ctx.specialist.address, ctx.family.address, Purpose.Payment],
      ]);
      expect(list[1].at - list[0].at >= DAY).to.equal(true);
      const block = await ctx.records.runner!.provider!.getBlock(list[1].blockNumber);
      expect(list[1].at).to.equal(BigInt(block!.timestamp));
    });
  });
});
