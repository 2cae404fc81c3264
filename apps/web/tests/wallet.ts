/**
 * An injected EIP-1193 wallet for the browser tests: a Node-side request handler (page.exposeFunction)
 * that answers accounts, signs eth_signTypedData_v4 and eth_sendTransaction with a test key and forwards
 * everything else to the node; an init script announces it by EIP-6963 and as window.ethereum.
 */
import type { Page } from "@playwright/test";
import { HDNodeWallet, JsonRpcProvider, Wallet, getBytes, type TypedDataField } from "ethers";

const MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's default account `index` (the accounts the stack funds and names). */
export function testKey(index: number): string {
  return HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0").deriveChild(index).privateKey;
}

export interface InjectedWallet {
  address: string;
  /** The primary types of every typed-data signature the page asked for, in order. */
  signed: string[];
  /** Hashes of every transaction the page sent. */
  sent: string[];
}

async function forward(rpcUrl: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return response.json();
}

export async function injectWallet(page: Page, rpcUrl: string, index: number): Promise<InjectedWallet> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const wallet = new Wallet(testKey(index), provider);
  const state: InjectedWallet = { address: wallet.address, signed: [], sent: [] };
  let queue: Promise<unknown> = Promise.resolve();
  await page.exposeFunction("__testWalletRequest", async (method: string, params: unknown[]) => {
    try {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return { result: [wallet.address] };
        case "wallet_switchEthereumChain":
        case "wallet_addEthereumChain":
          return { result: null };
        case "eth_signTypedData_v4": {
          const [from, json] = params as [string, string];
          if (from.toLowerCase() !== wallet.address.toLowerCase())
            throw new Error(`not this wallet's account: ${from}`);
          const data = JSON.parse(json) as {
            domain: Record<string, unknown>;
            types: Record<string, TypedDataField[]>;
            primaryType: string;
            message: Record<string, unknown>;
          };
          const { EIP712Domain: _domain, ...types } = data.types;
          state.signed.push(data.primaryType);
          return { result: await wallet.signTypedData(data.domain, types, data.message) };
        }
        case "personal_sign":
          return { result: await wallet.signMessage(getBytes((params as string[])[0])) };
        case "eth_sendTransaction": {
          const tx = (params as Record<string, string>[])[0];
          // One at a time: the wallet's nonce.
          const run = queue.then(async () => {
            const sent = await wallet.sendTransaction({
              to: tx.to,
              data: tx.data,
              value: tx.value ? BigInt(tx.value) : 0n,
              gasLimit: tx.gas ? BigInt(tx.gas) : undefined,
            });
            state.sent.push(sent.hash);
            return sent.hash;
          });
          queue = run.catch(() => undefined);
          return { result: await run };
        }
        default:
          return await forward(rpcUrl, method, params);
      }
    } catch (e) {
      const err = e as { code?: unknown; message?: string; data?: string; info?: { error?: { data?: string } } };
      return { error: { code: -32603, message: err.message ?? String(e), data: err.data ?? err.info?.error?.data } };
    }
  });
  await page.addInitScript(
    ({ address }) => {
      type Handler = (...args: unknown[]) => void;
      const listeners = new Map<string, Set<Handler>>();
      const call = (window as unknown as { __testWalletRequest: (m: string, p: unknown[]) => Promise<never> })
        .__testWalletRequest;
      const provider = {
        isTestWallet: true,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const answer = (await call(method, params ?? [])) as {
            result?: unknown;
            error?: { code: number; message: string; data?: unknown };
          };
          if (answer.error) {
            const error = new Error(answer.error.message) as Error & { code: number; data?: unknown };
            error.code = answer.error.code;
            error.data = answer.error.data;
            throw error;
          }
          return answer.result;
        },
        on(event: string, handler: Handler) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(handler);
        },
        removeListener(event: string, handler: Handler) {
          listeners.get(event)?.delete(handler);
        },
      };
      const info = {
        uuid: "5f1b7c1e-2f5c-4c57-9c1e-carechain-test",
        name: "Test wallet",
        icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
        rdns: "org.carechain.testwallet",
      };
      (window as unknown as { ethereum: unknown }).ethereum = provider;
      const announce = () =>
        window.dispatchEvent(
          new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
        );
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
      void address;
    },
    { address: wallet.address },
  );
  return state;
}
