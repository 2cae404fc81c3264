import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { recordsFixture, DAY } from "./fixture";
import {
  AccessReason,
  Action,
  ALL_CATEGORIES,
  ALL_GUARDIAN_POWERS,
  ALL_PURPOSES,
  DenyScope,
  GuardianPower,
  GrantTerms,
  MAX_UINT40,
  Purpose,
  purposeMask,
} from "../../src/records";

const RUNS = { seed: 42, numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };
const PURPOSES = [0, 1, 2, 3, 4, 5];

const categoriesArb = fc.integer({ min: 1, max: ALL_CATEGORIES });
const purposesArb = fc.integer({ min: 1, max: ALL_PURPOSES });
const actionsArb = fc.integer({ min: 1, max: 3 });

type Ctx = Awaited<ReturnType<typeof recordsFixture>>;

async function termsFrom(t: {
  categories: number;
  actions: number;
  purposes: number;
  days: number;
}): Promise<GrantTerms> {
  const now = BigInt(await time.latest());
  return {
    categories: t.categories,
    actions: t.actions,
    purposes: t.purposes,
    validFrom: now,
    validUntil: now + BigInt(t.days) * DAY,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
  };
}

/** The categories of the (patient, grantee) grant if it is live (a guardian's grant: at the guardian epoch). */
async function liveCategories(ctx: Ctx, grantee: string): Promise<number> {
  const old = await ctx.records.grantOf(ctx.patient.address, grantee);
  const epoch = old.byGuardian
    ? (await ctx.records.guardianOf(ctx.patient.address)).epoch
    : await ctx.records.epochOf(ctx.patient.address);
  return old.validUntil !== 0n && !old.revoked && old.epoch === epoch ? Number(old.categories) : 0;
}

async function everyAnswer(ctx: Ctx, accessor: string) {
  const answers: { allowed: boolean; reason: number }[] = [];
  for (const r of [ctx.labs, ctx.imaging, ctx.mental]) {
    for (const purpose of PURPOSES) {
      const [allowed, reason] = await ctx.records.canAccess(ctx.patient.address, accessor, r.id, purpose);
      answers.push({ allowed, reason: Number(reason) });
    }
  }
  return answers;
}

describe("RecordAccess properties", function () {
  it("after revoke or revokeAll, canAccess is false for every record and purpose until a new grant", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          categories: categoriesArb,
          actions: actionsArb,
          purposes: purposesArb,
          days: fc.integer({ min: 1, max: 400 }),
        }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        async (t, all, otherGrants) => {
          const ctx = await loadFixture(recordsFixture);
          const p = ctx.records.connect(ctx.patient);
          await p.grant(ctx.patient.address, ctx.specialist.address, await termsFrom(t));
          for (const other of ctx.others.slice(6, 6 + otherGrants)) {
            await p.grant(ctx.patient.address, other.address, await termsFrom(t));
          }
          if (all) await p.revokeAll(ctx.patient.address);
          else await p.revoke(ctx.patient.address, ctx.specialist.address);
          for (const a of await everyAnswer(ctx, ctx.specialist.address)) {
            expect(a).to.deep.equal({ allowed: false, reason: AccessReason.Revoked });
          }
          // a new grant makes access possible again, exactly where it says
          await p.grant(ctx.patient.address, ctx.specialist.address, await termsFrom(t));
          const [allowed] = await ctx.records.canAccess(
            ctx.patient.address,
            ctx.specialist.address,
            ctx.labs.id,
            Purpose.Treatment,
          );
          expect(allowed).to.equal((t.categories & 1) !== 0 && (t.actions & 1) !== 0 && (t.purposes & 1) !== 0);
        },
      ),
      RUNS,
    );
  });

  it("deny always beats permit, break-glass included", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          categories: categoriesArb,
          actions: actionsArb,
          purposes: purposesArb,
          days: fc.integer({ min: 1, max: 400 }),
        }),
        fc.constantFrom(DenyScope.Actor, DenyScope.AllExcept),
        fc.integer({ min: 1, max: ALL_CATEGORIES }),
        fc.constantFrom("none", "grantee", "other"),
        fc.boolean(),
        async (t, scope, denied, exemptWho, emergency) => {
          const ctx = await loadFixture(recordsFixture);
          const p = ctx.records.connect(ctx.patient);
          await p.grant(ctx.patient.address, ctx.specialist.address, await termsFrom(t));
          const exempt =
            exemptWho === "none"
              ? ethers.ZeroAddress
              : exemptWho === "grantee"
                ? ctx.specialist.address
                : ctx.family.address;
          const target = scope === DenyScope.Actor ? ctx.specialist.address : exempt;
          await p.setDenyRule(ctx.patient.address, scope, target, denied);
          if (emergency) await ctx.records.connect(ctx.specialist).breakGlass(ctx.patient.address, ethers.id("reason"));
          const blocks = scope === DenyScope.Actor || exempt !== ctx.specialist.address;
          for (const r of [ctx.labs, ctx.imaging, ctx.mental]) {
            const isDenied = blocks && (denied & (1 << r.category)) !== 0;
            for (const purpose of PURPOSES) {
              const [allowed, reason] = await ctx.records.canAccess(
                ctx.patient.address,
                ctx.specialist.address,
                r.id,
                purpose,
              );
              if (isDenied) expect([allowed, Number(reason)]).to.deep.equal([false, AccessReason.Denied]);
              else expect(Number(reason)).to.not.equal(AccessReason.Denied);
            }
          }
        },
      ),
      RUNS,
    );
  });

  it("an expired (or not yet valid) grant never passes", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 2500 }),
        async (startIn, length, elapsed) => {
          const ctx = await loadFixture(recordsFixture);
          // The grant's block gets the next second explicitly: after a revert to the fixture the
          // node would otherwise stamp it with the wall clock, minutes past the fixture's time in a
          // long run, and a short period would already be over.
          const now = BigInt(await time.latest()) + 1n;
          await time.setNextBlockTimestamp(now);
          const validFrom = now + BigInt(startIn) * 60n;
          const validUntil = validFrom + BigInt(length) * 60n;
          await ctx.records.connect(ctx.patient).grant(ctx.patient.address, ctx.specialist.address, {
            categories: ALL_CATEGORIES,
            actions: 1,
            purposes: ALL_PURPOSES,
            validFrom,
            validUntil,
            dataFrom: 0n,
            dataUntil: MAX_UINT40,
          });
          if (elapsed > 0) await time.increase(elapsed * 60);
          const t = BigInt(await time.latest());
          for (const a of await everyAnswer(ctx, ctx.specialist.address)) {
            if (t > validUntil) expect(a).to.deep.equal({ allowed: false, reason: AccessReason.Expired });
            else if (t < validFrom) expect(a).to.deep.equal({ allowed: false, reason: AccessReason.NotYetValid });
            else expect(a).to.deep.equal({ allowed: true, reason: AccessReason.Granted });
          }
        },
      ),
      RUNS,
    );
  });

  it("a guardian never exceeds its scope, and is never refused within it", async function () {
    const actionArb = fc.oneof(
      fc.record({
        kind: fc.constant("grant" as const),
        categories: categoriesArb,
        grantee: fc.integer({ min: 0, max: 1 }),
      }),
      fc.record({ kind: fc.constant("revoke" as const), grantee: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ kind: fc.constant("revokeAll" as const) }),
      fc.record({
        kind: fc.constant("deny" as const),
        scope: fc.constantFrom(DenyScope.Actor, DenyScope.AllExcept),
        categories: fc.integer({ min: 0, max: ALL_CATEGORIES }),
        grantee: fc.integer({ min: 0, max: 1 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: ALL_CATEGORIES }),
        fc.integer({ min: 1, max: ALL_GUARDIAN_POWERS }),
        fc.integer({ min: 1, max: ALL_CATEGORIES }),
        fc.array(actionArb, { minLength: 1, maxLength: 5 }),
        async (scope, powers, patientGrant, actions) => {
          const ctx = await loadFixture(recordsFixture);
          const grantees = [ctx.specialist.address, ctx.family.address];
          const p = ctx.records.connect(ctx.patient);
          const g = ctx.records.connect(ctx.guardian);
          await p.grant(
            ctx.patient.address,
            grantees[0],
            await termsFrom({
              categories: patientGrant,
              actions: Action.Read,
              purposes: purposeMask(["Treatment"]),
              days: 30,
            }),
          );
          await p.setGuardian(
            ctx.patient.address,
            ctx.guardian.address,
            scope,
            powers,
            BigInt(await time.latest()) + 365n * DAY,
          );
          const within = (mask: number) => (mask & ~scope) === 0;
          for (const a of actions) {
            let expectedOk: boolean;
            let tx: Promise<unknown>;
            if (a.kind === "grant") {
              const live = await liveCategories(ctx, grantees[a.grantee]);
              expectedOk = (powers & GuardianPower.Grant) !== 0 && within(a.categories | live);
              tx = g.grant(
                ctx.patient.address,
                grantees[a.grantee],
                await termsFrom({
                  categories: a.categories,
                  actions: Action.Read,
                  purposes: purposeMask(["Treatment"]),
                  days: 10,
                }),
              );
            } else if (a.kind === "revoke") {
              const live = await liveCategories(ctx, grantees[a.grantee]);
              expectedOk = (powers & GuardianPower.Revoke) !== 0 && within(live);
              tx = g.revoke(ctx.patient.address, grantees[a.grantee]);
            } else if (a.kind === "revokeAll") {
              expectedOk = (powers & GuardianPower.Revoke) !== 0 && scope === ALL_CATEGORIES;
              tx = g.revokeAll(ctx.patient.address);
            } else {
              const old =
                a.scope === DenyScope.Actor
                  ? Number((await ctx.records.grantOf(ctx.patient.address, grantees[a.grantee])).deniedCategories)
                  : Number((await ctx.records.denyRuleOf(ctx.patient.address))[0]);
              expectedOk = (powers & GuardianPower.Deny) !== 0 && within(a.categories | old);
              tx = g.setDenyRule(ctx.patient.address, a.scope, grantees[a.grantee], a.categories);
            }
            // A guardian never names itself (the grantees here are others), and a 10-day grant is within its term.
            if (expectedOk) await expect(tx).to.not.be.reverted;
            else await expect(tx).to.be.revertedWithCustomError(ctx.records, "RecordAccessGuardianOutOfScope");
          }
          // whatever the guardian did, every live grant it made stays inside its scope
          for (const grantee of grantees) {
            const logs = await ctx.records.queryFilter(
              ctx.records.filters.AccessGranted(ctx.patient.address, grantee, ctx.guardian.address),
            );
            for (const log of logs) expect(Number(log.args.terms.categories) & ~scope).to.equal(0);
          }
        },
      ),
      RUNS,
    );
  });

  it("a grant made by a removed guardian never passes canAccess", async function () {
    const endArb = fc.constantFrom("remove", "replace", "reappoint", "revokeAll", "termEnds");
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          categories: categoriesArb,
          actions: actionsArb,
          purposes: purposesArb,
          days: fc.integer({ min: 1, max: 60 }),
        }),
        fc.integer({ min: 1, max: 90 }),
        endArb,
        fc.boolean(),
        fc.integer({ min: 0, max: 120 }),
        async (t, guardianDays, end, patientAlsoGrants, laterDays) => {
          const ctx = await loadFixture(recordsFixture);
          const p = ctx.records.connect(ctx.patient);
          const now = BigInt(await time.latest());
          const guardianUntil = now + BigInt(guardianDays) * DAY + 10n;
          await p.setGuardian(
            ctx.patient.address,
            ctx.guardian.address,
            ALL_CATEGORIES,
            ALL_GUARDIAN_POWERS,
            guardianUntil,
          );
          const terms = await termsFrom(t);
          // What the guardian grants never outlasts it: clip the arbitrary terms to its term.
          if (terms.validUntil > guardianUntil) terms.validUntil = guardianUntil;
          await ctx.records.connect(ctx.guardian).grant(ctx.patient.address, ctx.specialist.address, terms);
          const patientTerms = await termsFrom({
            ...t,
            categories: ALL_CATEGORIES,
            actions: 1,
            purposes: ALL_PURPOSES,
          });
          if (patientAlsoGrants) await p.grant(ctx.patient.address, ctx.family.address, patientTerms);
          const later = BigInt(await time.latest()) + 365n * DAY;
          if (end === "remove") await p.setGuardian(ctx.patient.address, ethers.ZeroAddress, 0, 0, 0);
          else if (end === "replace")
            await p.setGuardian(ctx.patient.address, ctx.stranger.address, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, later);
          else if (end === "reappoint")
            await p.setGuardian(ctx.patient.address, ctx.guardian.address, ALL_CATEGORIES, ALL_GUARDIAN_POWERS, later);
          else if (end === "revokeAll") await p.revokeAll(ctx.patient.address);
          else await time.increaseTo(guardianUntil + 1n);
          if (laterDays > 0) await time.increase(laterDays * 3600);
          for (const a of await everyAnswer(ctx, ctx.specialist.address)) {
            expect(a.allowed, `after ${end}`).to.equal(false);
          }
          // The patient's own grant is untouched by a change of guardian (revokeAll ends it too).
          if (patientAlsoGrants && end !== "revokeAll") {
            const [allowed, reason] = await ctx.records.canAccess(
              ctx.patient.address,
              ctx.family.address,
              ctx.labs.id,
              0,
            );
            const expired = BigInt(await time.latest()) > patientTerms.validUntil;
            expect([allowed, Number(reason)]).to.deep.equal(
              expired ? [false, AccessReason.Expired] : [true, AccessReason.Granted],
            );
          }
        },
      ),
      RUNS,
    );
  });
});
