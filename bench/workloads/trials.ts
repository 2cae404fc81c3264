/**
 * Load workload of the trials domain (`npm run bench:load`, bench/load.ts): the 20 load signers are
 * made sites of one approved trial; each relays consents (consentBySig) of its own distinct
 * participants, signed off chain before the clock starts. Afterwards the chain is compared with
 * the model: every participant consented exactly once (one ConsentSigned event, the consent bit
 * set, the participant's nonce consumed once), no event for anyone else, and a re-relayed consent
 * is refused (SignatureInvalid: the nonce was used). Every second participant is represented: it
 * appointed its representative by signature in `prepare` (appointRepresentativeBySig, relayed by
 * its site) and the representative signs the consent (issue 10: authority established before
 * use); a consent by a representative nobody appointed is refused (TrialsNoRepresentativeAuthority).
 */
import { Wallet, id, type HDNodeWallet } from "ethers";
import type { Workload } from "../load";
import type { E2EContext } from "../../test/e2e/consortium";
import { Role, describeError, parseGLN, withCheckDigit } from "../../src";
import { categoryMask } from "../../src/categories";
import {
  TrialStatus,
  consentTerms,
  encodeScope,
  hasParticipationFlag,
  registryRefHash,
  signConsent,
  signRepresentativeAppointment,
  trialIdOf,
  trialsDomain,
  type ConsentTerms,
} from "../../src/trials";
import { ClinicalTrials__factory, type ClinicalTrials } from "../../typechain-types";

/** The same figure bench/load.ts reads: how many transactions each signer sends. */
const TX_PER_SIGNER = Number(process.env.LOAD_TX_PER_SIGNER ?? 50);
const SALT = id("carechain-load-trial");
const FORM = id("load consent form v0");
const SCOPE = encodeScope(["GRU"]);
const CATEGORIES = categoryMask(["Labs"]);

/** A distinct participant key per (signer, i). */
function participantKey(k: number, i: number): Wallet {
  return new Wallet(id(`carechain-load-participant-${k}-${i}`));
}

/** The representative of the (signer, i) participant when i is odd. */
function representativeKey(k: number, i: number): Wallet {
  return new Wallet(id(`carechain-load-representative-${k}-${i}`));
}

const represented = (i: number) => i % 2 === 1;

/** A distinct valid GLN for the n-th member this workload admits (company prefix 43). */
function trialsGLN(n: number): bigint {
  return parseGLN(withCheckDigit(String(430000000000 + n)));
}

/** Admits `account` with `role` unless it already is a member / already holds it (other workloads may have). */
async function ensureRole(ctx: E2EContext, account: string, role: keyof typeof Role, n: number): Promise<void> {
  const registrar = ctx.registry.connect(ctx.actors.registrar);
  if ((await ctx.registry.memberOf(account)).status === 0n) {
    await (await registrar.admitMember(account, trialsGLN(n), id(`load-trials-member-${n}`))).wait();
  }
  if (!(await ctx.registry.hasRole(Role[role], account))) await (await registrar.grantRole(Role[role], account)).wait();
}

/** Runs `f` over `items`, `width` at a time (reads against the node, not all at once). */
async function inBatches<T, R>(items: T[], width: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(f))));
  return out;
}

export function trialsWorkload(): Workload {
  const iface = ClinicalTrials__factory.createInterface();
  let trials: ClinicalTrials;
  let trialId = "";
  let trialsAddress = "";
  /** signed[k][i]: the consent signer k relays as its i-th transaction. */
  const signed: { terms: ConsentTerms; signature: string }[][] = [];

  return {
    name: "trials consentBySig",
    async prepare(ctx, signers) {
      const address = ctx.deployment.addresses.trials;
      if (address === undefined) throw new Error("the deployment has no trials contract");
      trials = ClinicalTrials__factory.connect(address, ctx.provider);
      trialsAddress = address;
      const { sponsor, irb } = ctx.actors;
      await ensureRole(ctx, sponsor.address, "SPONSOR", 1);
      await ensureRole(ctx, irb.address, "IRB", 2);
      for (const [k, s] of signers.entries()) await ensureRole(ctx, s.address, "TRIAL_SITE", 10 + k);

      trialId = trialIdOf(sponsor.address, SALT);
      const asSponsor = trials.connect(sponsor);
      await (
        await asSponsor.registerTrial({
          salt: SALT,
          registryRefHash: registryRefHash("NCT00000LOAD"),
          protocolHash: id("load protocol v0"),
          consentFormHash: FORM,
          outcomeHash: id("load outcome"),
          irb: irb.address,
          enrollmentCap: 1_000_000,
          witnessRequired: false,
        })
      ).wait();
      await (await trials.connect(irb).approveTrial(trialId)).wait();
      for (const s of signers) await (await asSponsor.setSite(trialId, s.address, true)).wait();
      await (await asSponsor.openRecruitment(trialId)).wait();

      // Every participant (and representative) is new: nonce 0. Signed now, so that build() is a pure lookup.
      const domain = trialsDomain(ctx.chainId, address);
      const deadline = BigInt((await ctx.provider.getBlock("latest"))!.timestamp) + 3_600n;
      // Represented participants appoint their representative first (each site relays its own, in order).
      await Promise.all(
        signers.map(async (s, k) => {
          const asSite = trials.connect(s);
          for (let i = 0; i < TX_PER_SIGNER; i++) {
            if (!represented(i)) continue;
            const participant = participantKey(k, i);
            const a = {
              trialId,
              participant: participant.address,
              representative: representativeKey(k, i).address,
              endsAt: 0n,
              deadline,
            };
            const sig = await signRepresentativeAppointment(participant, domain, a, 0n);
            await (await asSite.appointRepresentativeBySig(a, sig)).wait();
          }
        }),
      );
      for (let k = 0; k < signers.length; k++) {
        const row: { terms: ConsentTerms; signature: string }[] = [];
        for (let i = 0; i < TX_PER_SIGNER; i++) {
          const key = participantKey(k, i);
          const signer = represented(i) ? representativeKey(k, i) : key;
          const terms = consentTerms({
            trialId,
            participant: key.address,
            signer: signer.address,
            protocolVersion: 0,
            consentFormHash: FORM,
            scope: SCOPE,
            categories: CATEGORIES,
            futureContact: false,
            deadline,
          });
          row.push({ terms, signature: await signConsent(signer, domain, terms, 0n) });
        }
        signed.push(row);
      }
    },
    build(k, i) {
      const { terms, signature } = signed[k][i];
      return {
        to: trialsAddress,
        data: iface.encodeFunctionData("consentBySig", [terms, signature]),
        gasLimit: 200_000n,
      };
    },
    async verify(ctx, signers: HDNodeWallet[]) {
      const problems: string[] = [];
      const expected = signers.length * TX_PER_SIGNER;
      // Duplicates: each site re-relays its first consent, and the neighbouring site relays it too.
      let rejected = 0;
      await Promise.all(
        signers.map(async (signer, k) => {
          for (const relayer of [signer, signers[(k + 1) % signers.length]]) {
            const { terms, signature } = signed[k][0];
            try {
              await trials.connect(relayer).consentBySig.staticCall(terms, signature);
            } catch (error) {
              if (describeError(error, [iface]) === `SignatureInvalid(${terms.signer})`) rejected++;
            }
          }
        }),
      );
      if (rejected !== 2 * signers.length) problems.push(`duplicates rejected ${rejected}/${2 * signers.length}`);

      // A representative nobody appointed: refused, whichever site relays it.
      const stranger = new Wallet(id("carechain-load-fake-representative"));
      const fake = consentTerms({
        ...signed[0][0].terms,
        participant: participantKey(0, 0).address,
        signer: stranger.address,
      });
      const fakeSig = await signConsent(stranger, trialsDomain(ctx.chainId, trialsAddress), fake, 0n);
      const refusal = await trials
        .connect(signers[0])
        .consentBySig.staticCall(fake, fakeSig)
        .then(
          () => "accepted",
          (error: unknown) => describeError(error, [iface]),
        );
      if (!refusal.startsWith("TrialsNoRepresentativeAuthority(")) {
        problems.push(`a fake representative's consent was not refused: ${refusal}`);
      }

      // The model: `expected` distinct participants, each consented exactly once, by its own key.
      const events = await trials.queryFilter(trials.filters.ConsentSigned(trialId), 0, "latest");
      const counts = new Map<string, number>();
      const signerOf = new Map(signed.flat().map((s) => [s.terms.participant, s.terms]));
      for (const e of events) {
        const t = signerOf.get(e.args.participant);
        if (t === undefined || e.args.signer !== t.signer || e.args.meaning !== BigInt(t.meaning)) {
          problems.push(`unexpected consent event for ${e.args.participant}`);
        }
        counts.set(e.args.participant, (counts.get(e.args.participant) ?? 0) + 1);
      }
      if (events.length !== expected) problems.push(`${events.length} ConsentSigned events for ${expected} consents`);
      const participants = signed.flat().map((s) => s.terms.participant);
      const inModel = new Set(participants);
      const unknown = [...counts.keys()].filter((p) => !inModel.has(p));
      if (unknown.length > 0) problems.push(`${unknown.length} consent(s) for participants outside the model`);
      let lost = 0;
      let duplicated = 0;
      await inBatches(participants, 50, async (p) => {
        const signer = signerOf.get(p)!.signer;
        const [participation, nonce] = await Promise.all([trials.participation(trialId, p), trials.nonces(signer)]);
        if ((counts.get(p) ?? 0) === 0 || !hasParticipationFlag(participation.flags, "Consented")) lost++;
        if ((counts.get(p) ?? 0) > 1 || nonce !== 1n) duplicated++;
      });
      if (lost > 0) problems.push(`${lost} consent(s) lost`);
      if (duplicated > 0) problems.push(`${duplicated} consent(s) recorded more than once`);
      const t = await trials.trial(trialId);
      if (t.status !== BigInt(TrialStatus.Recruiting)) problems.push(`trial status ${t.status}`);
      if (!(await ctx.registry.hasActiveRole(Role.TRIAL_SITE, signers[0].address)))
        problems.push("sites lost their role");
      return problems;
    },
  };
}
