/**
 * Trial participant: read the consent form (fetched, and its hash checked against the hash the trial
 * committed on chain before anything can be signed), consent for a version and scope described in
 * words, follow the consent trail, and withdraw — always available — choosing between the two kinds of
 * withdrawal, each explained.
 */
import {
  SignatureMeaning,
  WithdrawalChoice,
  categoryMask,
  consentTerms,
  consentTrail,
  deadlineIn,
  encodeScope,
  formatFlags,
  hasParticipationFlag,
  isWithdrawn,
  SIGNING_ENUMS,
  type ConsentTrailEntry,
  type RecordCategoryName,
} from "carechain";
import { keccak256 } from "ethers";
import { useCallback, useEffect, useState } from "react";
import { absolute, historyOptions, nameOf, type TrialHint } from "../app/config";
import { useCarechain } from "../app/sdk";
import { pendingAction, SignedOutcome, type PendingAction } from "../app/signed";
import { participationWords, postToSite, scopeWords, STATUS_WORDS } from "../app/trials";
import { ErrorNote, NeedsWallet, Timeline, useAction } from "../app/ui";

const SCOPE = encodeScope(["HMB", "NCU"]);
const CATEGORIES: RecordCategoryName[] = ["Labs", "Genomic"];

interface TrialView {
  status: number;
  protocolVersion: number;
  committedFormHash: string;
  flags: bigint;
  valid: boolean;
  trail: ConsentTrailEntry[];
}

interface Form {
  text: string;
  hash: string;
  matches: boolean;
}

export function ParticipantPage() {
  const { config, read, write, signer, account } = useCarechain();
  const trials = config.trials ?? [];
  const [trial, setTrial] = useState<TrialHint | undefined>(trials[0]);
  const [view, setView] = useState<TrialView>();
  const [form, setForm] = useState<Form>();
  const [futureContact, setFutureContact] = useState(false);
  const [choice, setChoice] = useState<WithdrawalChoice>(WithdrawalChoice.NoFurtherCollection);
  const [pending, setPending] = useState<PendingAction>();
  const [done, setDone] = useState<string>();
  const load = useAction();
  const act = useAction();
  const intake = config.services.siteIntake;

  const refresh = useCallback(async () => {
    if (!trial || !account) return;
    const c = read.contracts.trials;
    const t = await c.trial(trial.id);
    const [amendment, participation, valid, trail] = await Promise.all([
      c.amendment(trial.id, t.protocolVersion),
      c.participation(trial.id, account),
      c.isConsentValid(trial.id, account),
      consentTrail(c, trial.id, account, config.fromBlock, historyOptions(config)),
    ]);
    setView({
      status: Number(t.status),
      protocolVersion: Number(t.protocolVersion),
      committedFormHash: amendment.consentFormHash,
      flags: participation.flags,
      valid,
      trail,
    });
    if (trial.formsUrl) {
      const response = await fetch(absolute(`${trial.formsUrl}/${amendment.consentFormHash}`));
      if (!response.ok) throw new Error(`The consent form could not be fetched (HTTP ${response.status}).`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const hash = keccak256(bytes);
      setForm({
        text: new TextDecoder().decode(bytes),
        hash,
        matches: hash === amendment.consentFormHash.toLowerCase(),
      });
    }
  }, [trial, account, read, config]);

  useEffect(() => {
    void load.run(refresh);
  }, [refresh]);

  const deadline = async () =>
    deadlineIn(3600, (await read.contracts.trials.runner!.provider!.getBlock("latest"))!.timestamp);

  const consent = () =>
    act.run(async () => {
      if (!trial || !view || !form?.matches || !write || !account) return;
      setDone(undefined);
      const terms = consentTerms({
        trialId: trial.id,
        participant: account,
        protocolVersion: view.protocolVersion,
        consentFormHash: view.committedFormHash,
        scope: SCOPE,
        categories: categoryMask(CATEGORIES),
        futureContact,
        deadline: await deadline(),
      });
      setPending(
        await pendingAction(
          write.contracts.trials,
          "Consent",
          { ...terms },
          `Consent to ${trial.title}`,
          async (signature) => {
            if (!intake) throw new Error("This deployment has no site intake to send your consent to.");
            await postToSite(absolute(`${intake}/consent`), { terms, signature });
            return "Your signed consent was received by the site and recorded on chain. The investigator will now attest it.";
          },
          config.names,
        ),
      );
    });

  const withdraw = () =>
    act.run(async () => {
      if (!trial || !write || !account) return;
      setDone(undefined);
      const fields = {
        trialId: trial.id,
        participant: account,
        choice,
        meaning: SignatureMeaning.Withdrawal,
        signer: account,
        deadline: await deadline(),
      };
      const contract = write.contracts.trials;
      setPending(
        await pendingAction(
          contract,
          "Withdrawal",
          fields,
          `Withdraw from ${trial.title}`,
          async (signature) => {
            // Anyone may relay a withdrawal: the site's intake when there is one, else your own wallet.
            if (intake) await postToSite(absolute(`${intake}/withdrawal`), { ...fields, signature });
            else
              await (
                await contract.withdrawBySig(fields.trialId, account, choice, account, fields.deadline, signature)
              ).wait();
            return "Your withdrawal is recorded on chain. It took effect at once.";
          },
          config.names,
        ),
      );
    });

  const withdrawn = view ? isWithdrawn(view.flags) : false;
  return (
    <>
      <h1>Taking part in a clinical trial</h1>
      <NeedsWallet account={account}>read the consent form, consent or withdraw</NeedsWallet>
      {trials.length > 1 && (
        <>
          <label htmlFor="trial">Trial</label>
          <select id="trial" value={trial?.id} onChange={(e) => setTrial(trials.find((t) => t.id === e.target.value))}>
            {trials.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </select>
        </>
      )}
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
      {trial && view && account && (
        <>
          <section className="card" aria-labelledby="standing-title">
            <h2 id="standing-title">{trial.title}</h2>
            <p>
              The trial is {STATUS_WORDS[view.status]}; its protocol is at version {view.protocolVersion}.
            </p>
            <p className={`state ${view.valid ? "ok" : withdrawn ? "warn" : "info"}`} data-testid="standing">
              {participationWords(view.flags, view.valid)}
            </p>
          </section>
          {!withdrawn && !view.valid && (
            <section className="card" aria-labelledby="form-title">
              <h2 id="form-title">The consent form (version {view.protocolVersion})</h2>
              {form ? (
                <>
                  <div className="form-text" tabIndex={0} role="document" aria-label="Consent form text">
                    {form.text.split("\n").map((line, i) => (
                      <p key={i}>{line}</p>
                    ))}
                  </div>
                  {form.matches ? (
                    <p className="state ok" data-testid="form-check">
                      Checked: this is exactly the form the trial committed to on chain (fingerprint{" "}
                      <code>{form.hash.slice(0, 10)}…</code>).
                    </p>
                  ) : (
                    <p className="state bad" role="alert" data-testid="form-check">
                      This form is not the one the trial committed to on chain. Do not sign; tell the site.
                    </p>
                  )}
                  <p>
                    If you agree, the researchers of this trial may use your{" "}
                    {formatFlags(categoryMask(CATEGORIES), SIGNING_ENUMS.categories)} for: {scopeWords(SCOPE)}.
                  </p>
                  <label className="inline">
                    <input
                      type="checkbox"
                      checked={futureContact}
                      onChange={(e) => setFutureContact(e.target.checked)}
                    />{" "}
                    The study team may contact me about future studies
                  </label>
                  <button type="button" disabled={!form.matches || act.busy} onClick={() => void consent()}>
                    Review and sign my consent
                  </button>
                </>
              ) : (
                <p>Fetching the consent form…</p>
              )}
            </section>
          )}
          {!withdrawn && hasParticipationFlag(view.flags, "Consented") && (
            <section className="card" aria-labelledby="withdraw-title">
              <h2 id="withdraw-title">Withdraw</h2>
              <p>You may withdraw at any time, without giving a reason. Nothing can block it.</p>
              <fieldset>
                <legend>How do you want to withdraw?</legend>
                <label className="block">
                  <input
                    type="radio"
                    name="choice"
                    checked={choice === WithdrawalChoice.NoFurtherCollection}
                    onChange={() => setChoice(WithdrawalChoice.NoFurtherCollection)}
                  />{" "}
                  <span>
                    <strong>Stop collecting new data.</strong> Nothing new is collected about you; what was already
                    collected may still be used as you agreed.
                  </span>
                </label>
                <label className="block">
                  <input
                    type="radio"
                    name="choice"
                    checked={choice === WithdrawalChoice.WithdrawData}
                    onChange={() => setChoice(WithdrawalChoice.WithdrawData)}
                  />{" "}
                  <span>
                    <strong>Stop, and withdraw my data.</strong> Nothing new is collected, and researchers may no longer
                    use the data already collected.
                  </span>
                </label>
              </fieldset>
              <button type="button" className="danger" disabled={act.busy} onClick={() => void withdraw()}>
                Review and sign my withdrawal
              </button>
            </section>
          )}
          <section className="card" aria-labelledby="trail-title">
            <h2 id="trail-title">Your consent trail</h2>
            <Timeline
              label="Consent trail"
              items={view.trail.map((e) => trailItem(e, (a) => nameOf(config, a) ?? a))}
            />
          </section>
        </>
      )}
    </>
  );
}

function trailItem(e: ConsentTrailEntry, who: (a: string) => string) {
  const key = `${e.blockNumber}-${e.logIndex}`;
  const when = `block ${e.blockNumber}`;
  switch (e.kind) {
    case "consent":
      return {
        key,
        when,
        title: `Consent signed (protocol version ${e.protocolVersion})`,
        detail: <>by {who(e.signer)}</>,
      };
    case "attestation":
      return { key, when, title: "Attested", detail: <>by {who(e.signer)}</> };
    case "enrollment":
      return { key, when, title: "Enrolled", detail: <>at {who(e.site)}</> };
    case "withdrawal":
      return {
        key,
        when,
        title: "Withdrew",
        detail: <>{SIGNING_ENUMS.withdrawalChoice[String(e.choice) as "1"]}</>,
      };
    case "amendment":
      return { key, when, title: `Amendment ${e.amendmentId} approved` };
  }
}
