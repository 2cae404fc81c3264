/**
 * Site and IRB: each trial's status, its pending amendments (the IRB approves or rejects them here),
 * its sites and investigators, enrollment against the cap, and the consents awaiting the investigator's
 * attestation.
 */
import {
  AmendmentStatus,
  ReconsentPolicy,
  SignatureMeaning,
  deadlineIn,
  hasParticipationFlag,
  isWithdrawn,
} from "carechain";
import { id } from "ethers";
import { useCallback, useEffect, useState } from "react";
import { absolute, nameOf, type TrialHint } from "../app/config";
import { useCarechain } from "../app/sdk";
import { pendingAction, SignedOutcome, type PendingAction } from "../app/signed";
import { AMENDMENT_WORDS, postToSite, STATUS_WORDS } from "../app/trials";
import { ErrorNote, NeedsWallet, Short, useAction } from "../app/ui";

interface AmendmentView {
  id: number;
  status: number;
  policy: number;
  consentFormHash: string;
}

interface TrialView {
  hint: TrialHint;
  status: number;
  sponsor: string;
  irb: string;
  protocolVersion: number;
  cap: number;
  enrolled: number;
  amendments: AmendmentView[];
  sites: string[];
  investigators: { investigator: string; site: string }[];
  awaiting: Awaiting[];
}

/** A recorded consent without the investigator's attestation: what an attestation binds to. */
interface Awaiting {
  participant: string;
  protocolVersion: number;
  consentFormHash: string;
  consentHash: string;
}

const POLICY_WORDS: Record<number, string> = {
  [ReconsentPolicy.None]: "no re-consent needed",
  [ReconsentPolicy.AllParticipants]: "every participant must consent again",
  [ReconsentPolicy.NewEnrolleesOnly]: "only participants who join from now on consent on the new form",
};

export function SitePage() {
  const { config, read, write, account, signer } = useCarechain();
  const [views, setViews] = useState<TrialView[]>();
  const [done, setDone] = useState<string>();
  const [pending, setPending] = useState<PendingAction>();
  const load = useAction();
  const act = useAction();
  const who = (a: string) => nameOf(config, a) ?? a;

  const refresh = useCallback(async () => {
    const c = read.contracts.trials;
    const out: TrialView[] = [];
    for (const hint of config.trials ?? []) {
      const t = await c.trial(hint.id);
      const amendments: AmendmentView[] = [];
      // Amendments are numbered 1..lastAmendmentId: a read-only view, one call each.
      for (let i = 1; i <= Number(t.lastAmendmentId); i++) {
        const a = await c.amendment(hint.id, i);
        amendments.push({
          id: i,
          status: Number(a.status),
          policy: Number(a.policy),
          consentFormHash: a.consentFormHash,
        });
      }
      const [siteEvents, investigatorEvents, signed] = await Promise.all([
        c.queryFilter(c.filters.TrialSiteSet(hint.id), config.fromBlock),
        c.queryFilter(c.filters.TrialInvestigatorSet(hint.id), config.fromBlock),
        c.queryFilter(c.filters.ConsentSigned(hint.id), config.fromBlock),
      ]);
      const sites = new Map<string, boolean>();
      for (const e of siteEvents) sites.set(e.args.site, e.args.isSite);
      const investigators = new Map<string, string>();
      for (const e of investigatorEvents) investigators.set(e.args.investigator, e.args.site);
      const awaiting: Awaiting[] = [];
      for (const p of new Set(signed.map((e) => e.args.participant))) {
        const part = await c.participation(hint.id, p);
        const { flags } = part;
        if (
          hasParticipationFlag(flags, "Consented") &&
          !hasParticipationFlag(flags, "Attested") &&
          !isWithdrawn(flags)
        ) {
          const last = signed.filter((e) => e.args.participant === p).at(-1)!;
          awaiting.push({
            participant: p,
            protocolVersion: Number(part.consentVersion),
            consentFormHash: last.args.consentFormHash,
            consentHash: part.termsHash,
          });
        }
      }
      out.push({
        hint,
        status: Number(t.status),
        sponsor: t.sponsor,
        irb: t.irb,
        protocolVersion: Number(t.protocolVersion),
        cap: Number(t.enrollmentCap),
        enrolled: Number(t.enrolled),
        amendments,
        sites: [...sites].filter(([, on]) => on).map(([s]) => s),
        investigators: [...investigators]
          .filter(([, site]) => site !== "0x0000000000000000000000000000000000000000")
          .map(([investigator, site]) => ({ investigator, site })),
        awaiting,
      });
    }
    setViews(out);
  }, [read, config]);

  useEffect(() => {
    void load.run(refresh);
  }, [refresh]);

  const decide = (trial: TrialView, amendment: number, approve: boolean) =>
    act.run(async () => {
      if (!write) return;
      setDone(undefined);
      const c = write.contracts.trials;
      const tx = approve
        ? await c.approveAmendment(trial.hint.id, amendment)
        : await c.rejectAmendment(trial.hint.id, amendment, id(`rejected by the IRB: amendment ${amendment}`));
      await tx.wait();
      setDone(`Amendment ${amendment} of ${trial.hint.title} ${approve ? "approved" : "rejected"}.`);
      await refresh();
    });

  /** The investigator attests a recorded consent; the site relays the signature (attestBySig). */
  const attest = (trial: TrialView, a: Awaiting) =>
    act.run(async () => {
      if (!write || !account) return;
      const intake = config.services.siteIntake;
      if (!intake) throw new Error("This deployment has no site intake to relay the attestation.");
      setDone(undefined);
      const block = await write.contracts.trials.runner!.provider!.getBlock("latest");
      const fields = {
        trialId: trial.hint.id,
        participant: a.participant,
        protocolVersion: a.protocolVersion,
        consentFormHash: a.consentFormHash,
        consentHash: a.consentHash,
        meaning: SignatureMeaning.InvestigatorAttestation,
        signer: account,
        deadline: deadlineIn(3600, block!.timestamp),
      };
      setPending(
        await pendingAction(
          write.contracts.trials,
          "Attestation",
          fields,
          `Attest ${who(a.participant)}'s consent`,
          async (signature) => {
            await postToSite(absolute(`${intake}/attestation`), { ...fields, signature });
            return `Attested: ${who(a.participant)}'s consent now counts.`;
          },
          config.names,
        ),
      );
    });

  return (
    <>
      <h1>Trial sites and IRB</h1>
      <NeedsWallet account={account}>approve amendments as the IRB</NeedsWallet>
      <ErrorNote error={load.error} />
      <ErrorNote error={act.error} />
      <SignedOutcome
        done={done}
        pending={pending}
        signer={signer}
        setDone={setDone}
        setPending={setPending}
        reload={() => void load.run(refresh)}
      />
      {!views && !load.error && <p>Loading trials…</p>}
      {views?.length === 0 && <p>This deployment lists no trials.</p>}
      {views?.map((t) => {
        const pending = t.amendments.filter((a) => a.status === AmendmentStatus.Proposed);
        const isIrb = account?.toLowerCase() === t.irb.toLowerCase();
        const isInvestigator = t.investigators.some((i) => i.investigator.toLowerCase() === account?.toLowerCase());
        return (
          <section className="card" key={t.hint.id} aria-labelledby={`t-${t.hint.id}`} data-testid="trial">
            <h2 id={`t-${t.hint.id}`}>{t.hint.title}</h2>
            <p>
              Status: <strong>{STATUS_WORDS[t.status]}</strong>; protocol version {t.protocolVersion}. Sponsor{" "}
              {who(t.sponsor)}, IRB {who(t.irb)}.
            </p>
            <label htmlFor={`cap-${t.hint.id}`}>
              Enrollment: {t.enrolled} of {t.cap}
            </label>
            <progress id={`cap-${t.hint.id}`} max={t.cap} value={t.enrolled}>
              {t.enrolled} of {t.cap}
            </progress>
            <h3>Pending amendments</h3>
            {pending.length === 0 ? (
              <p data-testid="no-pending">None.</p>
            ) : (
              <ul className="plain" data-testid="pending">
                {pending.map((a) => (
                  <li key={a.id} data-amendment={a.id}>
                    Amendment {a.id}: {AMENDMENT_WORDS[a.status]}; {POLICY_WORDS[a.policy]}. New consent form{" "}
                    <Short value={a.consentFormHash} />.{" "}
                    {isIrb ? (
                      <>
                        <button type="button" disabled={act.busy} onClick={() => void decide(t, a.id, true)}>
                          Approve amendment {a.id}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          disabled={act.busy}
                          onClick={() => void decide(t, a.id, false)}
                        >
                          Reject amendment {a.id}
                        </button>
                      </>
                    ) : (
                      <span className="hint">Only the trial's IRB can decide.</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {t.amendments.some((a) => a.status !== AmendmentStatus.Proposed) && (
              <p className="hint">
                Decided:{" "}
                {t.amendments
                  .filter((a) => a.status !== AmendmentStatus.Proposed)
                  .map((a) => `amendment ${a.id} ${AMENDMENT_WORDS[a.status]}`)
                  .join(", ")}
                .
              </p>
            )}
            <h3>Sites and investigators</h3>
            <ul className="plain">
              {t.sites.map((s) => (
                <li key={s}>
                  Site {who(s)}
                  {t.investigators.filter((i) => i.site === s).length > 0 && (
                    <>
                      : investigators{" "}
                      {t.investigators
                        .filter((i) => i.site === s)
                        .map((i) => who(i.investigator))
                        .join(", ")}
                    </>
                  )}
                </li>
              ))}
            </ul>
            <h3>Consents awaiting the investigator's attestation</h3>
            {t.awaiting.length === 0 ? (
              <p>None.</p>
            ) : (
              <ul className="plain" data-testid="awaiting">
                {t.awaiting.map((a) => (
                  <li key={a.participant}>
                    {who(a.participant)}, consent at protocol version {a.protocolVersion}.{" "}
                    {isInvestigator ? (
                      <button type="button" disabled={act.busy} onClick={() => void attest(t, a)}>
                        Attest {who(a.participant)}'s consent
                      </button>
                    ) : (
                      <span className="hint">An investigator of the trial attests it.</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}
