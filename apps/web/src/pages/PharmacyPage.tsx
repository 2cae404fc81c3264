/**
 * Pharmacy: scan a pack (camera, photo, or wedge scanner), see in words and colour what the chain says
 * of it, dispense it with one click, confirm before a suspect pack is recorded as an alert, undo one's
 * own dispense, and follow the lot's provenance.
 */
import {
  EndpointNotFoundError,
  HttpProofSource,
  UnitCheck,
  parsePack,
  resolveVerificationEndpoint,
  type PackVerification,
  type ProofSource,
  type ProvenanceEntry,
} from "carechain";
import { useCallback, useEffect, useRef, useState } from "react";
import { historyOptions, nameOf, reachable } from "../app/config";
import { visible, Scanner } from "../app/scanner";
import { useCarechain } from "../app/sdk";
import { ErrorNote, NeedsWallet, Short, Timeline, useAction } from "../app/ui";

type Tone = "ok" | "warn" | "bad" | "info";

/** What each answer of the chain means to the person at the counter. */
const VERDICTS: Record<number, { tone: Tone; title: string; text: string }> = {
  [UnitCheck.Genuine]: {
    tone: "ok",
    title: "Genuine",
    text: "This pack is genuine, in date and in your stock. You may dispense it.",
  },
  [UnitCheck.UnknownProduct]: {
    tone: "bad",
    title: "Unknown product",
    text: "No manufacturer registered this product. Do not dispense; keep the pack aside.",
  },
  [UnitCheck.UnknownLot]: {
    tone: "bad",
    title: "Unknown lot",
    text: "The manufacturer never commissioned this lot. Do not dispense; keep the pack aside.",
  },
  [UnitCheck.UnknownSerial]: {
    tone: "bad",
    title: "Unknown pack",
    text: "This serial number is not one the manufacturer made. It may be counterfeit: do not dispense.",
  },
  [UnitCheck.AlreadyDecommissioned]: {
    tone: "bad",
    title: "Already dispensed elsewhere",
    text: "Someone else already dispensed or destroyed this pack. A second pack with the same code may be counterfeit.",
  },
  [UnitCheck.LotDestroyed]: { tone: "bad", title: "Lot destroyed", text: "This lot was destroyed. Do not dispense." },
  [UnitCheck.Recalled]: {
    tone: "bad",
    title: "Recalled",
    text: "This lot is recalled. Do not dispense; return it as the recall notice says.",
  },
  [UnitCheck.Quarantined]: {
    tone: "warn",
    title: "Quarantined",
    text: "This lot is on hold while it is investigated. Do not dispense for now.",
  },
  [UnitCheck.Expired]: { tone: "bad", title: "Expired", text: "This pack is past its expiry date. Do not dispense." },
  [UnitCheck.NotInYourCustody]: {
    tone: "warn",
    title: "Not in your stock",
    text: "The pack is genuine but your pharmacy never received this lot. Check your deliveries before dispensing.",
  },
  [UnitCheck.AlreadyDecommissionedByYou]: {
    tone: "info",
    title: "Already dispensed by you",
    text: "You already dispensed this pack. If that was a mistake, you may undo it (within 10 days).",
  },
};

const EVENT_WORDS: Record<string, string> = {
  LotCommissioned: "Made and commissioned by the manufacturer",
  ShipmentSent: "Shipped",
  ShipmentReceived: "Received",
  ShipmentRejected: "Rejected on arrival",
  ShipmentCancelled: "Shipment cancelled",
  UnitDecommissioned: "A pack was dispensed or taken out",
  UnitDecommissionUndone: "A dispense was undone",
  SuspectPackAlert: "Suspect pack alert",
  LotQuarantined: "Lot put on hold",
  LotReleased: "Lot released from hold",
  LotRecalled: "Lot recalled",
  LotDestroyed: "Lot destroyed",
};

interface Checked {
  scan: string;
  verification?: PackVerification;
  source?: ProofSource;
  unknown?: string;
}

export function PharmacyPage() {
  const { config, read, write, signer, account, reader } = useCarechain();
  const [checked, setChecked] = useState<Checked>();
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: Tone; text: string }>();
  const [history, setHistory] = useState<ProvenanceEntry[]>();
  const responders = useRef(new Map<string, HttpProofSource>());
  const action = useAction();
  const supplyAddress = config.addresses.supply!;

  const loadHistory = useCallback(
    async (lotId: string) => setHistory(await read.supply.provenance(lotId, config.fromBlock, historyOptions(config))),
    [read, config],
  );

  const check = useCallback(
    (scan: string) =>
      action.run(async () => {
        setOutcome(undefined);
        setConfirming(false);
        setChecked(undefined);
        setHistory(undefined);
        if (!write || !signer || !account) throw new Error("Connect the pharmacy's wallet first.");
        parsePack(scan); // a malformed code says why, before any request
        let endpoint: string;
        try {
          endpoint = reachable(config, await resolveVerificationEndpoint(reader, supplyAddress, scan));
        } catch (e) {
          if (e instanceof EndpointNotFoundError) return setChecked({ scan, unknown: e.message });
          throw e;
        }
        let responder = responders.current.get(endpoint);
        if (!responder) {
          // One signed session per responder (a single wallet prompt), then per-request HMACs.
          responder = await HttpProofSource.connect(endpoint, signer, supplyAddress, { session: true });
          responders.current.set(endpoint, responder);
        }
        const source = await responder.sourceFor(scan);
        const verification = await write.supply.verifyPack(scan, source, account);
        setChecked({ scan, verification, source });
        await loadHistory(verification.lotId);
      }),
    [action, write, signer, account, config, reader, supplyAddress, loadHistory],
  );

  const dispense = () =>
    action.run(async () => {
      if (!write || !checked?.verification || !checked.source) return;
      setConfirming(false);
      const result = await write.supply.dispense(checked.scan, checked.source);
      if (result.answer === UnitCheck.Genuine) {
        setOutcome({
          tone: "ok",
          text: `Dispensed. The pack is marked as dispensed on chain (transaction ${result.receipt?.hash}).`,
        });
      } else if (result.answer === UnitCheck.AlreadyDecommissionedByYou) {
        setOutcome({ tone: "info", text: "You had already dispensed this pack: nothing was sent." });
      } else {
        setOutcome({
          tone: "bad",
          text: `Not dispensed. An alert was recorded on chain for this pack (${VERDICTS[result.answer]?.title ?? result.answerName}).`,
        });
      }
      setChecked({ ...checked, verification: await write.supply.verifyPack(checked.scan, checked.source, account) });
      await loadHistory(checked.verification.lotId);
    });

  const undo = () =>
    action.run(async () => {
      if (!write || !checked?.verification || !checked.source) return;
      const v = checked.verification;
      const receipt = await (await write.contracts.supply.undoDecommission(v.lotId, v.unit.index)).wait();
      setOutcome({
        tone: "info",
        text: `The dispense was undone; the pack is back in your stock (transaction ${receipt?.hash}).`,
      });
      setChecked({ ...checked, verification: await write.supply.verifyPack(checked.scan, checked.source, account) });
      await loadHistory(v.lotId);
    });

  useEffect(() => setChecked(undefined), [account]);

  const v = checked?.verification;
  const verdict = v ? VERDICTS[v.answer] : undefined;
  return (
    <>
      <h1>Pharmacy: verify and dispense</h1>
      <NeedsWallet account={account}>check and dispense packs as your pharmacy</NeedsWallet>
      <Scanner onScan={(s) => void check(s)} disabled={action.busy || !account} />
      {action.busy && <p role="status">Working…</p>}
      <ErrorNote error={action.error} />
      {checked?.unknown && (
        <div className="state bad" role="status" data-testid="verdict" data-answer="UnknownProduct">
          <h2>Unknown product</h2>
          <p>{checked.unknown}</p>
        </div>
      )}
      {v && verdict && (
        <div className={`state ${verdict.tone}`} role="status" data-testid="verdict" data-answer={v.answerName}>
          <h2>{verdict.title}</h2>
          <p>{verdict.text}</p>
          <dl>
            <dt>Scanned</dt>
            <dd>
              <code>{visible(checked.scan)}</code>
            </dd>
            <dt>Product (GTIN), lot, serial</dt>
            <dd>
              {v.pack.gtin}, lot {v.pack.lot}, serial {v.pack.serial}
            </dd>
          </dl>
          {v.answer === UnitCheck.Genuine && (
            <button type="button" onClick={() => void dispense()} disabled={action.busy}>
              Dispense this pack
            </button>
          )}
          {v.answer === UnitCheck.AlreadyDecommissionedByYou && (
            <button type="button" className="secondary" onClick={() => void undo()} disabled={action.busy}>
              Undo my dispense
            </button>
          )}
          {v.answer !== UnitCheck.Genuine && v.answer !== UnitCheck.AlreadyDecommissionedByYou && !confirming && (
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={action.busy}>
              Report this pack as suspect…
            </button>
          )}
          {confirming && (
            <div role="alertdialog" aria-labelledby="confirm-title" className="warn">
              <p id="confirm-title">
                <strong>Record an alert?</strong> Attempting to dispense this pack records a suspect-pack alert on chain
                that the manufacturer and regulators will see, and may put the whole lot on hold. The pack will not be
                dispensed.
              </p>
              <button type="button" className="danger" onClick={() => void dispense()}>
                Yes, record the alert
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          )}
        </div>
      )}
      {outcome && (
        <p className={`state ${outcome.tone}`} role="status" data-testid="outcome">
          {outcome.text}
        </p>
      )}
      {history && (
        <section className="card" aria-label="Provenance of the lot">
          <h2>Where this lot has been</h2>
          <Timeline
            label="Provenance timeline"
            items={history.map((h) => ({
              key: `${h.blockNumber}-${h.logIndex}`,
              title: EVENT_WORDS[h.event] ?? h.event,
              when: `block ${h.blockNumber}`,
              detail: <ProvenanceDetail entry={h} names={(a) => nameOf(config, a)} />,
            }))}
          />
        </section>
      )}
    </>
  );
}

function ProvenanceDetail({ entry, names }: { entry: ProvenanceEntry; names: (a: string) => string | undefined }) {
  const d = entry.details;
  const who = (a?: string) => (a ? (names(a) ?? <Short value={a} />) : null);
  switch (entry.event) {
    case "ShipmentSent":
      return (
        <>
          {d.quantity} units from {who(d.from)} to {who(d.to)}
        </>
      );
    case "ShipmentReceived":
      return <>by {who(d.to)}</>;
    case "SuspectPackAlert":
      return (
        <>
          pack {d.index}: {d.answer}, reported by {who(d.reporter)}
        </>
      );
    case "UnitDecommissioned":
      return (
        <>
          pack {d.index} — {d.reason} by {who(d.actor)}
        </>
      );
    case "LotCommissioned":
      return (
        <>
          lot {d.lotNumber}, {d.unitCount} units, by {who(d.manufacturer)}
        </>
      );
    default:
      return (
        <>
          {Object.entries(d)
            .filter(([k]) => !/hash/i.test(k))
            .map(([k, val]) => `${k}: ${names(val) ?? val}`)
            .join(", ")}
        </>
      );
  }
}
