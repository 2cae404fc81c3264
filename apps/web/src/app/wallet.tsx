/**
 * The wallet: EIP-6963 discovery of every injected provider (MetaMask, a Safe app, a dev wallet), with
 * `window.ethereum` as the fallback; connect, the account, and a check that the wallet is on the
 * deployment's chain (with a switch request when it is not).
 */
import { BrowserProvider, type Eip1193Provider, type JsonRpcSigner } from "ethers";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

export interface WalletInfo {
  uuid: string;
  name: string;
  icon?: string;
  rdns?: string;
}

export interface DiscoveredWallet {
  info: WalletInfo;
  provider: Eip1193Provider & { on?: (e: string, f: (...a: unknown[]) => void) => void };
}

interface WalletState {
  wallets: DiscoveredWallet[];
  chosen?: DiscoveredWallet;
  account?: string;
  chainId?: bigint;
  signer?: JsonRpcSigner;
  browserProvider?: BrowserProvider;
  expectedChainId: bigint;
  onRightChain: boolean;
  error?: string;
  connect(wallet: DiscoveredWallet): Promise<void>;
  switchChain(): Promise<void>;
  disconnect(): void;
}

const WalletContext = createContext<WalletState | undefined>(undefined);

/** Every EIP-6963 announcement, plus window.ethereum when nothing announces itself. */
function useDiscoveredWallets(): DiscoveredWallet[] {
  const [wallets, setWallets] = useState<DiscoveredWallet[]>([]);
  useEffect(() => {
    const onAnnounce = (event: Event) => {
      const detail = (event as CustomEvent<DiscoveredWallet>).detail;
      if (!detail?.info?.uuid || !detail.provider) return;
      setWallets((list) => (list.some((w) => w.info.uuid === detail.info.uuid) ? list : [...list, detail]));
    };
    window.addEventListener("eip6963:announceProvider", onAnnounce);
    window.dispatchEvent(new Event("eip6963:requestProvider"));
    const fallback = setTimeout(() => {
      const injected = (window as unknown as { ethereum?: DiscoveredWallet["provider"] }).ethereum;
      if (!injected) return;
      setWallets((list) =>
        list.length > 0 ? list : [{ info: { uuid: "window.ethereum", name: "Browser wallet" }, provider: injected }],
      );
    }, 300);
    return () => {
      window.removeEventListener("eip6963:announceProvider", onAnnounce);
      clearTimeout(fallback);
    };
  }, []);
  return wallets;
}

export function WalletProvider({ expectedChainId, children }: { expectedChainId: bigint; children: ReactNode }) {
  const wallets = useDiscoveredWallets();
  const [chosen, setChosen] = useState<DiscoveredWallet>();
  const [account, setAccount] = useState<string>();
  const [chainId, setChainId] = useState<bigint>();
  const [error, setError] = useState<string>();

  const browserProvider = useMemo(
    () => (chosen ? new BrowserProvider(chosen.provider, "any") : undefined),
    // a new provider when the chain changes, so that ethers never caches a stale network
    [chosen, chainId],
  );
  const [signer, setSigner] = useState<JsonRpcSigner>();
  useEffect(() => {
    if (!browserProvider || !account) return setSigner(undefined);
    browserProvider.getSigner(account).then(setSigner, (e: unknown) => setError(String(e)));
  }, [browserProvider, account]);

  const connect = useCallback(async (wallet: DiscoveredWallet) => {
    setError(undefined);
    try {
      const accounts = (await wallet.provider.request({ method: "eth_requestAccounts" })) as string[];
      const chain = BigInt((await wallet.provider.request({ method: "eth_chainId" })) as string);
      if (!accounts?.length) throw new Error("the wallet shared no account");
      setChosen(wallet);
      setAccount(accounts[0]);
      setChainId(chain);
      wallet.provider.on?.("accountsChanged", (a) => setAccount((a as string[])[0]));
      wallet.provider.on?.("chainChanged", (c) => setChainId(BigInt(c as string)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  const switchChain = useCallback(async () => {
    if (!chosen) return;
    try {
      await chosen.provider.request({
        method: "wallet_switchEthereumChain",
        params: [{ chainId: "0x" + expectedChainId.toString(16) }],
      });
      setChainId(BigInt((await chosen.provider.request({ method: "eth_chainId" })) as string));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [chosen, expectedChainId]);

  const value: WalletState = {
    wallets,
    chosen,
    account,
    chainId,
    signer,
    browserProvider,
    expectedChainId,
    onRightChain: chainId === expectedChainId,
    error,
    connect,
    switchChain,
    disconnect: () => {
      setChosen(undefined);
      setAccount(undefined);
    },
  };
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletState {
  const state = useContext(WalletContext);
  if (!state) throw new Error("useWallet outside WalletProvider");
  return state;
}

/** The connect bar: the discovered wallets, the connected account, and the chain check. */
export function WalletBar() {
  const w = useWallet();
  if (!w.account) {
    return (
      <section className="wallet" aria-label="Wallet">
        {w.wallets.length === 0 ? (
          <p>No wallet found in this browser. Install one (for example MetaMask) to sign.</p>
        ) : (
          w.wallets.map((wallet) => (
            <button key={wallet.info.uuid} type="button" onClick={() => void w.connect(wallet)}>
              Connect {wallet.info.name}
            </button>
          ))
        )}
        {w.error && (
          <p role="alert" className="error">
            {w.error}
          </p>
        )}
      </section>
    );
  }
  return (
    <section className="wallet" aria-label="Wallet">
      <p>
        Connected with {w.chosen?.info.name}: <code data-testid="account">{w.account}</code>
      </p>
      {!w.onRightChain && (
        <p role="alert" className="warn">
          Your wallet is on chain {String(w.chainId)}, not on this deployment's chain {String(w.expectedChainId)}.{" "}
          <button type="button" onClick={() => void w.switchChain()}>
            Switch chain
          </button>
        </p>
      )}
      {w.error && (
        <p role="alert" className="error">
          {w.error}
        </p>
      )}
    </section>
  );
}
