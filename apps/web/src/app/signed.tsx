/**
 * A signed action, shown before it is signed: the SDK prepares the typed data (domain and nonce read
 * from the contract), `describe` turns it into one plain sentence, the person reads it, then the wallet
 * is asked to sign, and the signature is submitted (relayed) — by the person's wallet, or a relayer.
 */
import { describe, prepareAction, signTypedData, type SigningContract, type TypedData } from "carechain";
import type { Signer } from "ethers";
import { useState } from "react";
import { ErrorNote, useAction } from "./ui";

export interface PendingAction {
  title: string;
  data: TypedData;
  sentence: string;
  /** Submits the signature; resolves with a message saying what happened. */
  submit(signature: string): Promise<string>;
}

/** Prepares `primaryType` with `fields` (all but the nonce) for `contract`, and its plain sentence. */
export async function pendingAction(
  contract: SigningContract,
  primaryType: string,
  fields: Record<string, unknown>,
  title: string,
  submit: (signature: string, data: TypedData) => Promise<string>,
  names?: Record<string, string>,
): Promise<PendingAction> {
  const data = (await prepareAction(contract, primaryType, fields)) as unknown as TypedData;
  return { title, data, sentence: describe(data, names ? { names } : {}), submit: (s) => submit(s, data) };
}

/** The review-then-sign panel of one pending action. */
export function SignPanel({
  pending,
  signer,
  onDone,
  onCancel,
}: {
  pending: PendingAction;
  signer: Signer;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const action = useAction();
  const [stage, setStage] = useState<"review" | "signing" | "sending">("review");
  return (
    <section className="card" aria-labelledby="sign-title" data-testid="sign-panel">
      <h2 id="sign-title">{pending.title}: what you are about to sign</h2>
      <p className="sentence" data-testid="sentence">
        {pending.sentence}
      </p>
      <p className="hint">
        Your wallet will now ask you to sign exactly this. Signing costs nothing; the signed message is then submitted
        on chain.
      </p>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            setStage("signing");
            const signature = await signTypedData(signer, pending.data);
            setStage("sending");
            onDone(await pending.submit(signature));
          })
        }
      >
        {stage === "review" || !action.busy
          ? "Sign in my wallet"
          : stage === "signing"
            ? "Waiting for your wallet…"
            : "Submitting…"}
      </button>
      <button type="button" className="secondary" onClick={onCancel} disabled={action.busy}>
        Cancel
      </button>
      <ErrorNote error={action.error} />
    </section>
  );
}

/**
 * A page's outcome line ("what happened") and, while an action waits, its review-then-sign panel; once
 * signed and submitted, the page's data is read again.
 */
export function SignedOutcome({
  done,
  pending,
  signer,
  setDone,
  setPending,
  reload,
}: {
  done?: string;
  pending?: PendingAction;
  signer?: Signer;
  setDone: (message: string) => void;
  setPending: (pending: PendingAction | undefined) => void;
  reload: () => void;
}) {
  return (
    <>
      {done && (
        <p className="state ok" role="status" data-testid="done">
          {done}
        </p>
      )}
      {pending && signer && (
        <SignPanel
          pending={pending}
          signer={signer}
          onCancel={() => setPending(undefined)}
          onDone={(message) => {
            setPending(undefined);
            setDone(message);
            reload();
          }}
        />
      )}
    </>
  );
}
