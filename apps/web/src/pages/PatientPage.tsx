/**
 * Patient: who can see what and until when, in plain language; grant (the SDK's plain sentence of what
 * is signed comes before the wallet's request), revoke one or everyone, a deny rule, a guardian; the
 * accounting of disclosures as a timeline and a table; break-glass events and their reviews.
 */
import {
  ALL_CATEGORIES,
  Action,
  DenyScope,
  GuardianPower,
  MAX_UINT40,
  RecordCategory,
  SIGNING_ENUMS,
  Purpose,
  accountingOfDisclosures,
  activeGrants,
  categoryMask,
  deadlineIn,
  formatDate,
  formatFlags,
  purposeMask,
  type ActiveGrant,
  type Disclosure,
  type PurposeName,
  type RecordCategoryName,
} from "carechain";
import { ZeroAddress, getAddress, isAddress } from "ethers";
import { useCallback, useEffect, useState } from "react";
import { historyOptions, nameOf } from "../app/config";
import { useCarechain } from "../app/sdk";
import { pendingAction, SignedOutcome, type PendingAction } from "../app/signed";
import { ErrorNote, NeedsWallet, Short, Timeline, useAction, when } from "../app/ui";

const CATEGORY_NAMES = Object.keys(RecordCategory) as RecordCategoryName[];
const PURPOSE_NAMES = Object.keys(Purpose) as PurposeName[];
const categoryWords = (mask: number | bigint) => formatFlags(mask, SIGNING_ENUMS.categories);
const purposeWords = (mask: number | bigint) => formatFlags(mask, SIGNING_ENUMS.purposes);

interface Emergency {
  provider: string;
  at: number;
  until: bigint;
  reviewed: boolean;
  reviewer?: string;
}

interface PatientView {
  grants: ActiveGrant[];
  disclosures: Disclosure[];
  emergencies: Emergency[];
  guardian: { guardian: string; categories: number; powers: number; until: bigint };
  deny: { categories: number; exempt: string };
  pending: number;
}

export function PatientPage() {
  const { config, read, write, signer, account } = useCarechain();
  const [view, setView] = useState<PatientView>();
  const [pending, setPending] = useState<PendingAction>();
  const [done, setDone] = useState<string>();
  const load = useAction();
  const prepare = useAction();
  const who = (a: string) => nameOf(config, a) ?? a;

  const refresh = useCallback(async () => {
    if (!account) return;
    const records = read.contracts.records;
    const [grants, disclosures, declared, reviewed, guardian, deny, pendingCount] = await Promise.all([
      activeGrants(records, account, { fromBlock: config.fromBlock }),
      accountingOfDisclosures(records, account, config.fromBlock, historyOptions(config)),
      records.queryFilter(records.filters.EmergencyAccessDeclared(account), config.fromBlock),
      records.queryFilter(records.filters.EmergencyReviewed(account), config.fromBlock),
      records.guardianOf(account),
      records.denyRuleOf(account),
      records.pendingEmergencies(account),
    ]);
    const emergencies: Emergency[] = [];
    for (const e of declared) {
      const block = await e.getBlock();
      const review = reviewed.find((r) => r.args.provider === e.args.provider && r.blockNumber >= e.blockNumber);
      emergencies.push({
        provider: e.args.provider,
        at: block.timestamp,
        until: e.args.until,
        reviewed: review !== undefined,
        reviewer: review?.args.reviewer,
      });
    }
    setView({
      grants,
      disclosures,
      emergencies,
      guardian: {
        guardian: guardian.account,
        categories: Number(guardian.categories),
        powers: Number(guardian.powers),
        until: guardian.until,
      },
      deny: { categories: Number(deny.categories), exempt: deny.exempt },
      pending: Number(pendingCount),
    });
  }, [account, read, config]);

  useEffect(() => {
    void load.run(refresh);
  }, [refresh]);

  const deadline = async () =>
    deadlineIn(3600, (await read.contracts.records.runner!.provider!.getBlock("latest"))!.timestamp);

  /** Prepares a signed records action whose signature the patient's wallet then submits. */
  const ask = (make: () => Promise<PendingAction>) =>
    prepare.run(async () => {
      setDone(undefined);
      setPending(await make());
    });

  const grant = (form: GrantForm) =>
    ask(async () => {
      const records = write!.contracts.records;
      const now = BigInt((await records.runner!.provider!.getBlock("latest"))!.timestamp);
      const fields = {
        patient: account!,
        signer: account!,
        grantee: getAddress(form.grantee),
        categories: categoryMask(form.categories),
        actions: Action.Read,
        purposes: purposeMask(form.purposes),
        validFrom: now,
        validUntil: BigInt(Math.floor(new Date(form.until + "T23:59:59Z").getTime() / 1000)),
        dataFrom: 0n,
        dataUntil: MAX_UINT40,
        deadline: await deadline(),
      };
      return pendingAction(
        records,
        "Grant",
        fields,
        `Let ${who(fields.grantee)} see your records`,
        async (signature) => {
          await write!.records.relayGrant(fields, signature);
          return `Granted: ${who(fields.grantee)} can now read your ${categoryWords(fields.categories)}.`;
        },
        config.names,
      );
    });

  const revoke = (grantee: string) =>
    ask(async () => {
      const records = write!.contracts.records;
      const fields = { patient: account!, signer: account!, grantee, deadline: await deadline() };
      return pendingAction(
        records,
        "Revoke",
        fields,
        `Stop ${who(grantee)} seeing your records`,
        async (signature) => {
          await (await records.revokeBySig(account!, account!, grantee, fields.deadline, signature)).wait();
          return `Revoked: ${who(grantee)} can no longer see your records.`;
        },
        config.names,
      );
    });

  const revokeAll = () =>
    ask(async () => {
      const records = write!.contracts.records;
      const fields = { patient: account!, signer: account!, deadline: await deadline() };
      return pendingAction(
        records,
        "RevokeAll",
        fields,
        "Stop everyone seeing your records",
        async (signature) => {
          await (await records.revokeAllBySig(account!, account!, fields.deadline, signature)).wait();
          return "Every access you granted has ended.";
        },
        config.names,
      );
    });

  const deny = (target: string, categories: RecordCategoryName[]) =>
    ask(async () => {
      const records = write!.contracts.records;
      const fields = {
        patient: account!,
        signer: account!,
        scope: DenyScope.Actor,
        target: getAddress(target),
        categories: categoryMask(categories),
        deadline: await deadline(),
      };
      return pendingAction(
        records,
        "SetDenyRule",
        fields,
        "Deny access",
        async (signature) => {
          await (
            await records.setDenyRuleBySig(
              account!,
              account!,
              fields.scope,
              fields.target,
              fields.categories,
              fields.deadline,
              signature,
            )
          ).wait();
          return `Denied: ${who(fields.target)} may not see your ${categoryWords(fields.categories)}, whatever else was granted.`;
        },
        config.names,
      );
    });

  const setGuardian = (guardian: string, until: string) =>
    ask(async () => {
      const records = write!.contracts.records;
      const fields = {
        patient: account!,
        guardian: guardian ? getAddress(guardian) : ZeroAddress,
        categories: guardian ? ALL_CATEGORIES : 0,
        powers: guardian ? GuardianPower.Grant | GuardianPower.Revoke | GuardianPower.ReviewEmergency : 0,
        until: guardian ? BigInt(Math.floor(new Date(until + "T23:59:59Z").getTime() / 1000)) : 0n,
        deadline: await deadline(),
      };
      return pendingAction(
        records,
        "SetGuardian",
        fields,
        guardian ? "Name a guardian" : "Remove your guardian",
        async (signature) => {
          await (
            await records.setGuardianBySig(
              account!,
              fields.guardian,
              fields.categories,
              fields.powers,
              fields.until,
              fields.deadline,
              signature,
            )
          ).wait();
          return guardian
            ? `${who(fields.guardian)} is now your guardian.`
            : "You have no guardian now; everything a guardian granted has ended.";
        },
        config.names,
      );
    });

  const review = (provider: string) =>
    prepare.run(async () => {
      setDone(undefined);
      await (await write!.contracts.records.reviewEmergency(account!, provider)).wait();
      setDone(`You reviewed ${who(provider)}'s emergency access.`);
      await refresh();
    });

  return (
    <>
      <h1>Your health records: who can see them</h1>
      <NeedsWallet account={account}>see and manage who can read your records</NeedsWallet>
      <ErrorNote error={load.error} />
      <ErrorNote error={prepare.error} />
      <SignedOutcome
        done={done}
        pending={pending}
        signer={signer}
        setDone={setDone}
        setPending={setPending}
        reload={() => void load.run(refresh)}
      />
      {account && view && (
        <>
          <section className="card" aria-labelledby="who-title">
            <h2 id="who-title">Who can see your records now</h2>
            {view.grants.length === 0 ? (
              <p data-testid="no-grants">Nobody: you have granted no access that is in effect.</p>
            ) : (
              <ul className="plain" data-testid="grants">
                {view.grants.map((g) => (
                  <li key={g.grantee} data-grantee={g.grantee}>
                    <strong>{who(g.grantee)}</strong> may read your {categoryWords(g.categories)} for{" "}
                    {purposeWords(g.purposes)}, until {formatDate(g.validUntil, { max: "no end date" })}
                    {g.grantedBy.toLowerCase() !== account.toLowerCase() && (
                      <> (granted by your guardian {who(g.grantedBy)})</>
                    )}
                    {!g.inEffect && <> — starts {formatDate(g.validFrom)}</>}.{" "}
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void revoke(g.grantee)}
                      aria-label={`Revoke ${who(g.grantee)}`}
                    >
                      Revoke
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {view.grants.length > 0 && (
              <button type="button" className="danger" onClick={() => void revokeAll()}>
                Revoke everyone
              </button>
            )}
            {view.deny.categories !== 0 && (
              <p>
                Deny rule: your {categoryWords(view.deny.categories)} are refused to everyone it names, whatever you
                granted.
              </p>
            )}
          </section>
          <GrantFormView onSubmit={(f) => void grant(f)} busy={prepare.busy} />
          <DenyFormView onSubmit={(t, c) => void deny(t, c)} busy={prepare.busy} />
          <section className="card" aria-labelledby="guardian-title">
            <h2 id="guardian-title">Guardian</h2>
            {view.guardian.guardian === ZeroAddress ? (
              <p>You have no guardian.</p>
            ) : (
              <p>
                {who(view.guardian.guardian)} may act for you until {formatDate(view.guardian.until)}:{" "}
                {formatFlags(view.guardian.powers, SIGNING_ENUMS.guardianPowers)} for your{" "}
                {categoryWords(view.guardian.categories)}.{" "}
                <button type="button" className="secondary" onClick={() => void setGuardian("", "")}>
                  Remove guardian
                </button>
              </p>
            )}
            <GuardianFormView onSubmit={(g, u) => void setGuardian(g, u)} busy={prepare.busy} />
          </section>
          <section className="card" aria-labelledby="disclosures-title">
            <h2 id="disclosures-title">Who looked at your records (accounting of disclosures)</h2>
            <Timeline
              label="Disclosures timeline"
              items={view.disclosures.map((d) => ({
                key: `${d.transactionHash}-${d.recordId}`,
                title: `${who(d.discloser)} disclosed a record to ${who(d.recipient)}`,
                when: when(d.at),
                detail: <>for {purposeWords(1 << d.purpose)}</>,
              }))}
            />
            {view.disclosures.length > 0 && (
              <div className="table-wrap" tabIndex={0} role="region" aria-label="Disclosures table">
                <table>
                  <caption className="hint">Every disclosure, newest last</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">To whom</th>
                      <th scope="col">Purpose</th>
                      <th scope="col">Record</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.disclosures.map((d) => (
                      <tr key={`${d.transactionHash}-${d.recordId}`}>
                        <td>{when(d.at)}</td>
                        <td>{who(d.discloser)}</td>
                        <td>{who(d.recipient)}</td>
                        <td>{purposeWords(1 << d.purpose)}</td>
                        <td>
                          <Short value={d.recordId} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="emergency-title">
            <h2 id="emergency-title">Emergency access (break-glass)</h2>
            {view.emergencies.length === 0 ? (
              <p>No provider has used emergency access to your records.</p>
            ) : (
              <ul className="plain" data-testid="emergencies">
                {view.emergencies.map((e) => (
                  <li key={`${e.provider}-${e.at}`}>
                    {who(e.provider)} declared an emergency on {when(e.at)}; access lasted until {formatDate(e.until)}.{" "}
                    {e.reviewed ? (
                      <span>Reviewed by {who(e.reviewer!)}.</span>
                    ) : (
                      <>
                        <strong>Awaiting review.</strong>{" "}
                        <button type="button" className="secondary" onClick={() => void review(e.provider)}>
                          I have reviewed it
                        </button>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}

interface GrantForm {
  grantee: string;
  categories: RecordCategoryName[];
  purposes: PurposeName[];
  until: string;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
}

function Checkboxes<T extends string>({
  legend,
  options,
  words,
  value,
  onChange,
}: {
  legend: string;
  options: T[];
  words: (o: T) => string;
  value: T[];
  onChange: (v: T[]) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input
            type="checkbox"
            checked={value.includes(o)}
            onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))}
          />
          {words(o)}
        </label>
      ))}
    </fieldset>
  );
}

function GrantFormView({ onSubmit, busy }: { onSubmit: (f: GrantForm) => void; busy: boolean }) {
  const [f, setF] = useState<GrantForm>({
    grantee: "",
    categories: ["Labs"],
    purposes: ["Treatment"],
    until: inDays(30),
  });
  const valid = isAddress(f.grantee) && f.categories.length > 0 && f.purposes.length > 0;
  return (
    <section className="card" aria-labelledby="grant-title">
      <h2 id="grant-title">Give someone access</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onSubmit(f);
        }}
      >
        <label htmlFor="grantee">Their account address (from your clinician)</label>
        <input
          id="grantee"
          type="text"
          value={f.grantee}
          onChange={(e) => setF({ ...f, grantee: e.target.value.trim() })}
        />
        <Checkboxes
          legend="Which records"
          options={CATEGORY_NAMES}
          words={(c) => categoryWords(categoryMask([c]))}
          value={f.categories}
          onChange={(categories) => setF({ ...f, categories })}
        />
        <Checkboxes
          legend="For what"
          options={PURPOSE_NAMES}
          words={(p) => purposeWords(purposeMask([p]))}
          value={f.purposes}
          onChange={(purposes) => setF({ ...f, purposes })}
        />
        <label htmlFor="until">Until (inclusive)</label>
        <input id="until" type="date" value={f.until} onChange={(e) => setF({ ...f, until: e.target.value })} />
        <button type="submit" disabled={!valid || busy}>
          Review and sign
        </button>
      </form>
    </section>
  );
}

function DenyFormView({
  onSubmit,
  busy,
}: {
  onSubmit: (target: string, c: RecordCategoryName[]) => void;
  busy: boolean;
}) {
  const [target, setTarget] = useState("");
  const [categories, setCategories] = useState<RecordCategoryName[]>(["MentalHealth"]);
  return (
    <section className="card" aria-labelledby="deny-title">
      <h2 id="deny-title">Refuse someone, whatever was granted</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (isAddress(target) && categories.length) onSubmit(target, categories);
        }}
      >
        <label htmlFor="deny-target">Their account address</label>
        <input id="deny-target" type="text" value={target} onChange={(e) => setTarget(e.target.value.trim())} />
        <Checkboxes
          legend="Records to refuse"
          options={CATEGORY_NAMES}
          words={(c) => categoryWords(categoryMask([c]))}
          value={categories}
          onChange={setCategories}
        />
        <button type="submit" disabled={!isAddress(target) || categories.length === 0 || busy}>
          Review and sign
        </button>
      </form>
    </section>
  );
}

function GuardianFormView({ onSubmit, busy }: { onSubmit: (g: string, until: string) => void; busy: boolean }) {
  const [guardian, setGuardian] = useState("");
  const [until, setUntil] = useState(inDays(365));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (isAddress(guardian)) onSubmit(guardian, until);
      }}
    >
      <label htmlFor="guardian">Guardian's account address</label>
      <input id="guardian" type="text" value={guardian} onChange={(e) => setGuardian(e.target.value.trim())} />
      <label htmlFor="guardian-until">Until</label>
      <input id="guardian-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
      <p className="hint">
        A guardian may grant, revoke and review emergency access for you, until the date you choose.
      </p>
      <button type="submit" disabled={!isAddress(guardian) || busy}>
        Review and sign
      </button>
    </form>
  );
}
