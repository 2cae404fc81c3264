/**
 * The app's configuration, fetched from `/config.json` served beside the app, so that one build works
 * for any deployment: the chain, the deployment record's addresses and the services' URLs.
 */
import type { CarechainAddresses } from "carechain";

export interface TrialHint {
  /** The trial id (bytes32). */
  id: string;
  /** A short public name (e.g. its registry reference); no health information. */
  title: string;
  /** Where the consent form of each consent-form hash can be fetched: `${formsUrl}/${hash}`. */
  formsUrl?: string;
}

export interface AppConfig {
  /** Decimal chain id the deployment lives on. */
  chainId: string;
  chainName: string;
  /** JSON-RPC URL for reads (absolute, or a path on the app's origin such as /svc/rpc). */
  rpcUrl: string;
  /** The deployment's first block (history starts there). */
  fromBlock: number;
  addresses: CarechainAddresses;
  services: {
    /** Indexer base URL (GraphQL, histories). */
    indexer?: string;
    /** A records gateway. */
    gateway?: string;
    /** A site's consent intake: receives signed consents and withdrawals and relays them. */
    siteIntake?: string;
  };
  /**
   * Service origins published on chain (e.g. a responder's URL in the endpoint directory) that this
   * app reaches through its own origin: origin → path prefix.
   */
  rewrite?: Record<string, string>;
  /** Trials this site shows by name. */
  trials?: TrialHint[];
  /** Known organisations: address → display name (shown beside addresses). */
  names?: Record<string, string>;
}

/** An absolute URL for `url`, which may be a path on the app's own origin. */
export function absolute(url: string): string {
  return new URL(url, window.location.href).href;
}

/** A service URL published on chain, rewritten to the app's proxy when the config says so. */
export function reachable(config: AppConfig, url: string): string {
  for (const [origin, prefix] of Object.entries(config.rewrite ?? {})) {
    if (url.startsWith(origin)) return absolute(prefix + url.slice(origin.length));
  }
  return url;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch(new URL("config.json", window.location.href), { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status})`);
  const config = (await response.json()) as AppConfig;
  if (!config.addresses || !config.chainId || !config.rpcUrl) {
    throw new Error("config.json lacks chainId, rpcUrl or addresses");
  }
  return config;
}

/** A display name for an address, if the config knows it. */
export function nameOf(config: AppConfig, address: string): string | undefined {
  const names = config.names ?? {};
  const key = Object.keys(names).find((k) => k.toLowerCase() === address.toLowerCase());
  return key ? names[key] : undefined;
}

/** Where histories come from: the indexer when the deployment names one, else the node's logs in pages. */
export function historyOptions(config: AppConfig): { indexer?: string } {
  return config.services.indexer ? { indexer: absolute(config.services.indexer) } : {};
}
