import { expect } from "chai";
import { ethers } from "hardhat";
import { Wallet } from "ethers";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ALL_TRIAL_CATEGORIES,
  ReconsentPolicy,
  WithdrawalChoice,
  encodeScope,
  isEnrolled,
  isWithdrawn,
  signRepresentativeAppointment,
  signRepresentativeRevocation,
  signWithdrawal,
} from "../../src/trials";
import {
  TrialsContext,
  consent,
  consentPackage,
  deployTrialsFixture,
  prepareTrial,
  registration,
  relaySignature,
} from "./fixture";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const CAP = 2;
/** Participants are plain keys: they never need ETH (their withdrawals are relayed). */
const PEOPLE = [0, 1, 2].map((i) => new Wallet(ethers.id(`property participant ${i}`)));
/** One person who may act as every participant's representative, with or without authority. */
const REP = new Wallet(ethers.id("property representative"));

/** A recruiting trial with a cap of 2. */
async function propertyFixture() {
  const ctx = await deployTrialsFixture();
  await ctx.trials.connect(ctx.sponsor).registerTrial(registration(ctx, { enrollmentCap: CAP }));
  await prepareTrial(ctx, true);
  return ctx;
}

type Op =
  | { kind: "consent"; who: number; categories: number }
  | { kind: "signOnly"; who: number }
  | { kind: "repConsent"; who: number; categories: number }
  | { kind: "appoint"; who: number }
  | { kind: "revoke"; who: number }
  | { kind: "withdraw"; who: number; choice: WithdrawalChoice; byRep: boolean }
  | { kind: "amend"; policy: ReconsentPolicy }
  | { kind: "enroll"; who: number };

const who = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("consent" as const),
    who,
    categories: fc.integer({ min: 1, max: ALL_TRIAL_CATEGORIES }),
  }),
  fc.record({ kind: fc.constant("signOnly" as const), who }),
  fc.record({
    kind: fc.constant("repConsent" as const),
    who,
    categories: fc.integer({ min: 1, max: ALL_TRIAL_CATEGORIES }),
  }),
  fc.record({ kind: fc.constant("appoint" as const), who }),
  fc.record({ kind: fc.constant("revoke" as const), who }),
  fc.record({
    kind: fc.constant("withdraw" as const),
    who,
    choice: fc.constantFrom(WithdrawalChoice.NoFurtherCollection, WithdrawalChoice.WithdrawData),
    byRep: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("amend" as const),
    policy: fc.constantFrom(ReconsentPolicy.None, ReconsentPolicy.AllParticipants, ReconsentPolicy.NewEnrolleesOnly),
  }),
  fc.record({ kind: fc.constant("enroll" as const), who }),
);
const opsArb = fc.array(opArb, { minLength: 1, maxLength: 10 });

/** What the contract should hold, computed independently. */
interface PersonModel {
  signed: boolean;
  attested: boolean;
  withdrawn: boolean;
  /** Withdrawn with NoFurtherCollection only (mayUse still allows data already collected). */
  withdrawnData: boolean;
  enrolled: boolean;
  version: number;
  categories: number;
  /** The id of REP's authority in force over this person (0: none); ids only grow. */
  authority: number;
  lastAuthorityId: number;
  /** The authority id the current consent was signed under (0: the participant signed it). */
  consentAuthority: number;
}
interface Model {
  version: number;
  minAll: number;
  minNew: number;
  enrolled: number;
  people: PersonModel[];
}

function versionOk(m: Model, p: PersonModel): boolean {
  return p.version >= m.minAll && (p.enrolled || p.version >= m.minNew);
}

/** A representative's consent counts only under the very authority it was signed under, still in force. */
function authorityOk(p: PersonModel): boolean {
  return p.consentAuthority === 0 || p.consentAuthority === p.authority;
}

function validInModel(m: Model, p: PersonModel): boolean {
  return p.signed && p.attested && !p.withdrawn && versionOk(m, p) && authorityOk(p);
}

/** mayUse's rule: validity, except that NoFurtherCollection keeps the use of collected data. */
function usableInModel(m: Model, p: PersonModel): boolean {
  return p.signed && p.attested && !p.withdrawnData && versionOk(m, p) && authorityOk(p);
}

/** Runs `ops` against a fresh trial, keeping the model, and calls `check` after every step. */
async function runScenario(ops: Op[], check: (ctx: TrialsContext, m: Model, op: Op) => Promise<void>) {
  const ctx = await loadFixture(propertyFixture);
  const { trials, trialId } = ctx;
  const m: Model = {
    version: 0,
    minAll: 0,
    minNew: 0,
    enrolled: 0,
    people: PEOPLE.map(() => ({
      signed: false,
      attested: false,
      withdrawn: false,
      withdrawnData: false,
      enrolled: false,
      version: 0,
      categories: 0,
      authority: 0,
      lastAuthorityId: 0,
      consentAuthority: 0,
    })),
  };
  const deadline = async () => BigInt(await time.latest()) + 3600n;
  for (const op of ops) {
    if (op.kind === "consent" || op.kind === "signOnly") {
      const p = m.people[op.who];
      const categories = op.kind === "consent" ? op.categories : 7;
      if (p.withdrawn) {
        const pkg = await consentPackage(ctx, PEOPLE[op.who], { categories });
        await expect(relaySignature(ctx, pkg)).to.be.revertedWithCustomError(trials, "TrialsParticipantWithdrawn");
      } else if (op.kind === "consent") {
        await consent(ctx, PEOPLE[op.who], { categories });
        Object.assign(p, { signed: true, attested: true, version: m.version, categories, consentAuthority: 0 });
      } else {
        await relaySignature(ctx, await consentPackage(ctx, PEOPLE[op.who], { categories }));
        Object.assign(p, { signed: true, attested: false, version: m.version, categories, consentAuthority: 0 });
      }
    } else if (op.kind === "repConsent") {
      const p = m.people[op.who];
      const options = { categories: op.categories, signer: REP.address, key: REP };
      const pkg = await consentPackage(ctx, PEOPLE[op.who], options);
      if (p.withdrawn) {
        await expect(relaySignature(ctx, pkg)).to.be.revertedWithCustomError(trials, "TrialsParticipantWithdrawn");
      } else if (p.authority === 0) {
        await expect(relaySignature(ctx, pkg))
          .to.be.revertedWithCustomError(trials, "TrialsNoRepresentativeAuthority")
          .withArgs(trialId, PEOPLE[op.who].address, REP.address);
      } else if (p.signed && p.consentAuthority === 0 && versionOk(m, p)) {
        await expect(relaySignature(ctx, pkg)).to.be.revertedWithCustomError(trials, "TrialsSelfConsentInForce");
      } else {
        await consent(ctx, PEOPLE[op.who], options);
        Object.assign(p, {
          signed: true,
          attested: true,
          version: m.version,
          categories: op.categories,
          consentAuthority: p.authority,
        });
      }
    } else if (op.kind === "appoint") {
      const person = PEOPLE[op.who];
      const a = {
        trialId,
        participant: person.address,
        representative: REP.address,
        endsAt: 0n,
        deadline: await deadline(),
      };
      const sig = await signRepresentativeAppointment(person, ctx.domain, a, await trials.nonces(person.address));
      await expect(trials.connect(ctx.outsider).appointRepresentativeBySig(a, sig)).to.emit(
        trials,
        "RepresentativeAppointed",
      );
      const p = m.people[op.who];
      p.lastAuthorityId += 1;
      p.authority = p.lastAuthorityId;
    } else if (op.kind === "revoke") {
      const person = PEOPLE[op.who];
      const d = await deadline();
      const sig = await signRepresentativeRevocation(
        person,
        ctx.domain,
        trialId,
        person.address,
        d,
        await trials.nonces(person.address),
      );
      const tx = trials.connect(ctx.outsider).revokeRepresentativeBySig(trialId, person.address, d, sig);
      if (m.people[op.who].authority === 0) {
        await expect(tx).to.be.revertedWithCustomError(trials, "TrialsNothingToEnd");
      } else {
        await expect(tx).to.emit(trials, "RepresentativeEnded");
        m.people[op.who].authority = 0;
      }
    } else if (op.kind === "withdraw") {
      const person = PEOPLE[op.who];
      const key = op.byRep ? REP : person;
      const d = await deadline();
      const sig = await signWithdrawal(
        key,
        ctx.domain,
        trialId,
        person.address,
        op.choice,
        d,
        await trials.nonces(key.address),
      );
      const tx = trials.connect(ctx.outsider).withdrawBySig(trialId, person.address, op.choice, key.address, d, sig);
      const p = m.people[op.who];
      if (!p.signed) {
        await expect(tx).to.be.revertedWithCustomError(trials, "TrialsNotConsented");
      } else if (op.byRep && p.authority === 0) {
        await expect(tx)
          .to.be.revertedWithCustomError(trials, "TrialsNotParticipantOrRepresentative")
          .withArgs(trialId, person.address, REP.address);
      } else {
        await expect(tx).to.emit(trials, "ConsentWithdrawn");
        // The first withdrawal of an enrolled participant frees its place.
        if (!p.withdrawn && p.enrolled) m.enrolled -= 1;
        p.withdrawn = true;
        if (op.choice === WithdrawalChoice.WithdrawData) p.withdrawnData = true;
      }
    } else if (op.kind === "amend") {
      const id = m.version + 1;
      await trials
        .connect(ctx.sponsor)
        .proposeAmendment(trialId, ethers.id(`p${id}`), ethers.id(`f${id}`), op.policy, ethers.ZeroHash);
      await trials.connect(ctx.irb).approveAmendment(trialId, id);
      m.version = id;
      if (op.policy === ReconsentPolicy.AllParticipants) m.minAll = m.minNew = id;
      if (op.policy === ReconsentPolicy.NewEnrolleesOnly) m.minNew = id;
    } else {
      const p = m.people[op.who];
      const ok = !p.enrolled && validInModel(m, p) && p.version >= m.minNew && m.enrolled < CAP;
      const tx = trials.connect(ctx.site).enroll(trialId, PEOPLE[op.who].address);
      if (ok) {
        await expect(tx).to.emit(trials, "ParticipantEnrolled");
        p.enrolled = true;
        m.enrolled += 1;
      } else {
        await expect(tx).to.be.reverted;
      }
    }
    await check(ctx, m, op);
  }
}

describe("ClinicalTrials: properties", function () {
  this.timeout(20 * 60_000);

  it("a consent signed by a representative without established authority never validates", async function () {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          for (let i = 0; i < PEOPLE.length; i++) {
            const p = m.people[i];
            const r = await ctx.trials.participation(ctx.trialId, PEOPLE[i].address);
            const valid = await ctx.trials.isConsentValid(ctx.trialId, PEOPLE[i].address);
            if (r.representative !== ethers.ZeroAddress) {
              // Signed by a representative: only under the authority it recorded, still in force.
              const holds = await ctx.trials.isRepresentative(ctx.trialId, PEOPLE[i].address, r.representative);
              const current = (await ctx.trials.representation(ctx.trialId, PEOPLE[i].address)).authorityId;
              if (!holds || current !== r.authorityId) expect(valid).to.equal(false);
              expect(r.authorityId).to.not.equal(0n);
            }
            expect(valid).to.equal(validInModel(m, p));
          }
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("a withdrawn participant never validates", async function () {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          for (let i = 0; i < PEOPLE.length; i++) {
            const a = PEOPLE[i].address;
            const withdrawn = isWithdrawn((await ctx.trials.participation(ctx.trialId, a)).flags);
            expect(withdrawn).to.equal(m.people[i].withdrawn);
            if (withdrawn) {
              expect(await ctx.trials.isConsentValid(ctx.trialId, a)).to.equal(false);
              expect(await ctx.trials.researchCategories(ctx.trialId, a, ctx.researcher.address)).to.equal(0n);
            }
          }
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("mayUse agrees with isConsentValid except after a NoFurtherCollection withdrawal", async function () {
    const scope = encodeScope(["HMB", "NCU"]);
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          for (let i = 0; i < PEOPLE.length; i++) {
            const a = PEOPLE[i].address;
            const usable = await ctx.trials.mayUse(ctx.trialId, a, scope);
            expect(usable).to.equal(usableInModel(m, m.people[i]));
            if (!m.people[i].withdrawn) {
              expect(usable).to.equal(await ctx.trials.isConsentValid(ctx.trialId, a));
            }
          }
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("a withdrawn consent never validates", async function () {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          for (let i = 0; i < PEOPLE.length; i++) {
            const valid = await ctx.trials.isConsentValid(ctx.trialId, PEOPLE[i].address);
            if (m.people[i].withdrawn) expect(valid).to.equal(false);
            expect(valid).to.equal(validInModel(m, m.people[i]));
          }
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("after an approved amendment requiring re-consent, older consents never validate", async function () {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          const t = await ctx.trials.trial(ctx.trialId);
          expect(Number(t.minVersionAll)).to.equal(m.minAll);
          for (let i = 0; i < PEOPLE.length; i++) {
            const r = await ctx.trials.participation(ctx.trialId, PEOPLE[i].address);
            const valid = await ctx.trials.isConsentValid(ctx.trialId, PEOPLE[i].address);
            const enrolled = isEnrolled(r.flags);
            // Older than what every consent needs: never valid.
            if (r.consentVersion < t.minVersionAll) expect(valid).to.equal(false);
            // Older than what new enrollees need, and not enrolled before that amendment: never valid.
            if (!enrolled && r.consentVersion < t.minVersionNew) expect(valid).to.equal(false);
            expect(valid).to.equal(validInModel(m, m.people[i]));
          }
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("enrollment never exceeds the cap", async function () {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          const t = await ctx.trials.trial(ctx.trialId);
          expect(t.enrolled).to.be.lte(t.enrollmentCap);
          expect(Number(t.enrolled)).to.equal(m.enrolled);
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it("research access to records never outlives consent", async function () {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        await runScenario(ops, async (ctx, m) => {
          for (let i = 0; i < PEOPLE.length; i++) {
            const categories = await ctx.trials.researchCategories(
              ctx.trialId,
              PEOPLE[i].address,
              ctx.researcher.address,
            );
            const valid = await ctx.trials.isConsentValid(ctx.trialId, PEOPLE[i].address);
            if (categories !== 0n) expect(valid).to.equal(true);
            if (m.people[i].withdrawn) expect(categories).to.equal(0n);
            expect(Number(categories)).to.equal(validInModel(m, m.people[i]) ? m.people[i].categories : 0);
          }
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });
});
