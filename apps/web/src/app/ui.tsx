/** Small shared pieces: readable errors (describeError), a busy-aware button, a timeline. */
import { describeError } from "carechain";
import { useState, type ReactNode } from "react";

/** A readable sentence for any error: contract custom errors decoded by the SDK, wallet refusals in words. */
export function readableError(error: unknown): string {
  const code = (error as { code?: unknown; info?: { error?: { code?: unknown } } })?.code;
  if (code === "ACTION_REJECTED" || code === 4001) return "You declined the request in your wallet. Nothing was sent.";
  try {
    return describeError(error);
  } catch {
    return error instanceof Error ? error.message : String(error);
  }
}

export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p role="alert" className="error">
      {readableError(error)}
    </p>
  );
}

/** Runs an async action with a busy state and an error shown under it. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  run: (action: () => Promise<void>) => Promise<void>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return {
    busy,
    error,
    clear: () => setError(undefined),
    run: async (action) => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
      } catch (e) {
        console.error(e);
        setError(e);
      } finally {
        setBusy(false);
      }
    },
  };
}

export interface TimelineItem {
  key: string;
  when?: string;
  title: string;
  detail?: ReactNode;
}

export function Timeline({ items, label }: { items: TimelineItem[]; label: string }) {
  if (items.length === 0) return <p>Nothing yet.</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {items.map((item) => (
        <li key={item.key}>
          <strong>{item.title}</strong>
          {item.when && <span className="when"> — {item.when}</span>}
          {item.detail && <div className="detail">{item.detail}</div>}
        </li>
      ))}
    </ol>
  );
}

/** A block's time in words (UTC). */
export function when(seconds: number | bigint | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  return new Date(Number(seconds) * 1000).toUTCString().replace(" GMT", " UTC");
}

export function Short({ value }: { value: string }) {
  return (
    <code title={value} className="short">
      {value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-6)}` : value}
    </code>
  );
}

/** A note shown when the page needs a connected wallet. */
export function NeedsWallet({ account, children }: { account?: string; children: ReactNode }) {
  if (!account) return <p className="hint">Connect your wallet (above) to {children}.</p>;
  return null;
}
