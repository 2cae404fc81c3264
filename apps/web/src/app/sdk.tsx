/**
 * The app's one way to Carechain: the SDK's `connect(deployment, runner)` on a read-only provider (the
 * deployment's RPC) and, once a wallet is connected on the right chain, on the wallet's signer.
 */
import { connect, type Carechain } from "carechain";
import { JsonRpcProvider, Network, type Signer } from "ethers";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { absolute, type AppConfig } from "./config";
import { useWallet } from "./wallet";

interface AppState {
  config: AppConfig;
  reader: JsonRpcProvider;
  /** Carechain over the read-only provider. */
  read: Carechain;
}

const AppContext = createContext<AppState | undefined>(undefined);

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const value = useMemo(() => {
    const network = new Network(config.chainName, BigInt(config.chainId));
    const reader = new JsonRpcProvider(absolute(config.rpcUrl), network, {
      staticNetwork: network,
      cacheTimeout: -1,
      pollingInterval: 500,
    });
    return { config, reader, read: connect(config, reader) };
  }, [config]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error("useApp outside AppProvider");
  return state;
}

/** Carechain on the connected wallet (undefined until connected on the deployment's chain). */
export function useCarechain(): {
  config: AppConfig;
  read: Carechain;
  reader: JsonRpcProvider;
  write?: Carechain;
  signer?: Signer;
  account?: string;
} {
  const app = useApp();
  const wallet = useWallet();
  const write = useMemo(
    () => (wallet.signer && wallet.onRightChain ? connect(app.config, wallet.signer) : undefined),
    [app.config, wallet.signer, wallet.onRightChain],
  );
  return {
    ...app,
    write,
    signer: wallet.onRightChain ? wallet.signer : undefined,
    account: wallet.onRightChain ? wallet.account : undefined,
  };
}
