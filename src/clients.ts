/**
 * One client shape for every domain: `connect(deployment, runner)` returns the typed contracts
 * (TypeChain types over the ABIs, no bytecode; no casts for the caller) and a client per domain; signed actions have one shape,
 * `signAction(signer, contract, primaryType, fields)`, which reads the EIP-712 domain (ERC-5267) and
 * the signer's nonce from the contract. Browser-safe.
 */
import type { ContractRunner, ContractTransactionReceipt, Signer } from "ethers";
import type { ClinicalTrials, MemberRegistry, RecordAccess, SupplyChain } from "../typechain-types";
import { connectContract } from "./contracts";
import { DeploymentError, futureIdOf, type CarechainAddresses, type ContractKey } from "./deployments";
import { STRUCT_DESCRIPTIONS } from "./describe";
import type { HistoryRange } from "./history";
import { Role, type RoleName } from "./roles";
import { readDomain, signTypedData, typedData, type TypedData } from "./signatures";
import { SupplyClient } from "./supply/client";
import { termsOf, type GrantMessage } from "./records/typedData";
import { consentTerms, type ConsentInput, type ConsentTerms } from "./trials/typedData";

/** What `connect` needs of a deployment: its addresses (and the block history queries start at). */
export interface ConnectableDeployment {
  addresses: CarechainAddresses;
  /** The deployment's first block: where event history starts (default 0). */
  fromBlock?: number;
}

/** Carechain's contracts, typed. A contract the deployment lacks throws DeploymentError when used. */
export interface CarechainContracts {
  registry: MemberRegistry;
  supply: SupplyChain;
  records: RecordAccess;
  trials: ClinicalTrials;
}

/** Every domain's client, on the same runner. */
export interface Carechain {
  contracts: CarechainContracts;
  registry: RegistryClient;
  supply: SupplyClient;
  records: RecordsClient;
  trials: TrialsClient;
}

function addressOrThrow(deployment: ConnectableDeployment, key: ContractKey): string {
  const address = deployment.addresses[key];
  if (address === undefined) throw new DeploymentError(`${futureIdOf(key)} is not in this deployment`);
  return address;
}

/** The typed contracts of `deployment` on `runner` (a provider to read, a signer to send). */
export function connectContracts(deployment: ConnectableDeployment, runner: ContractRunner): CarechainContracts {
  const cache: Partial<CarechainContracts> = {};
  const lazy = <K extends keyof CarechainContracts>(key: K, make: (address: string) => CarechainContracts[K]) => ({
    get: (): CarechainContracts[K] => (cache[key] ??= make(addressOrThrow(deployment, key))),
    enumerable: true,
  });
  const contracts = {} as CarechainContracts;
  Object.defineProperties(contracts, {
    registry: lazy("registry", (a) => connectContract("MemberRegistry", a, runner)),
    supply: lazy("supply", (a) => connectContract("SupplyChain", a, runner)),
    records: lazy("records", (a) => connectContract("RecordAccess", a, runner)),
    trials: lazy("trials", (a) => connectContract("ClinicalTrials", a, runner)),
  });
  return contracts;
}

/**
 * Connects to a Carechain deployment (`loadDeployment(chainId)` from "carechain/node", or
 * `parseDeployedAddresses(json)`): typed contracts and one client per domain. `history.blockRange`
 * caps each `eth_getLogs` request; history starts at `deployment.fromBlock`.
 */
export function connect(
  deployment: ConnectableDeployment,
  runner: ContractRunner,
  history: Omit<HistoryRange, "fromBlock"> = {},
): Carechain {
  const contracts = connectContracts(deployment, runner);
  const range: HistoryRange = { ...history, fromBlock: deployment.fromBlock ?? 0 };
  return {
    contracts,
    registry: new RegistryClient(contracts.registry),
    get supply() {
      return new SupplyClient(addressOrThrow(deployment, "supply"), runner, range);
    },
    records: new RecordsClient(contracts),
    trials: new TrialsClient(contracts),
  };
}

async function mined(sent: Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>) {
  const receipt = await (await sent).wait();
  if (!receipt) throw new Error("transaction was not mined");
  return receipt;
}

/** Which field of each typed struct names the account whose nonce it uses. */
const NONCE_OWNER: Record<string, string> = {
  Grant: "signer",
  Revoke: "signer",
  RevokeAll: "signer",
  SetDenyRule: "signer",
  ReviewEmergency: "signer",
  LinkResearchParticipant: "patient",
  SetGuardian: "patient",
  Consent: "signer",
  Attestation: "signer",
  Withdrawal: "signer",
  RepresentativeAppointment: "participant",
  RepresentativeRevocation: "participant",
  RepresentativeDetermination: "investigator",
};

/** A contract that verifies signed actions: ERC-5267 domain and OpenZeppelin Nonces. */
export interface SigningContract {
  getAddress(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
  readonly runner: ContractRunner | null;
}

/**
 * The wallet-ready typed data of a Carechain signed action: `fields` are the struct's fields except
 * the nonce, which is read from `contract` for the struct's signer, as is the domain.
 */
export async function prepareAction<F extends Record<string, unknown>>(
  contract: SigningContract,
  primaryType: string,
  fields: F,
): Promise<TypedData<F & { nonce: bigint }>> {
  const d = STRUCT_DESCRIPTIONS[primaryType];
  const owner = NONCE_OWNER[primaryType];
  if (!d || !owner) throw new Error(`${primaryType} is not a Carechain signed action`);
  const account = fields[owner];
  if (typeof account !== "string") throw new Error(`${primaryType}: field ${owner} (the signer) is missing`);
  if (!contract.runner) throw new Error("the contract has no runner");
  const [domain, nonce] = await Promise.all([readDomain(contract, contract.runner), contract.nonces(account)]);
  return typedData(domain, d.types, primaryType, { ...fields, nonce });
}

/**
 * Signs a Carechain action in one shape for every domain: `signer` signs `primaryType` with `fields`
 * (all but the nonce) in `contract`'s domain at the signer's current nonce, both read from the
 * contract. For a Safe as signer, sign `prepareAction`'s payload with `signAsSafe` (src/safe.ts).
 */
export async function signAction<F extends Record<string, unknown>>(
  signer: Signer,
  contract: SigningContract,
  primaryType: string,
  fields: F,
): Promise<{ data: TypedData<F & { nonce: bigint }>; signature: string }> {
  const data = await prepareAction(contract, primaryType, fields);
  return { data, signature: await signTypedData(signer, data) };
}

/** The member registry: admit members, grant roles, suspend and reinstate (as the registrar). */
export class RegistryClient {
  constructor(readonly contract: MemberRegistry) {}

  admit(account: string, gln: bigint, metadataHash: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.admitMember(account, gln, metadataHash));
  }

  grantRole(role: RoleName, account: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.grantRole(Role[role], account));
  }

  suspend(account: string, reasonHash: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.suspendMember(account, reasonHash));
  }

  reinstate(account: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.reinstateMember(account));
  }

  hasActiveRole(role: RoleName, account: string): Promise<boolean> {
    return this.contract.hasActiveRole(Role[role], account);
  }
}

/** RecordAccess: grants by signature in the one signing shape. */
export class RecordsClient {
  constructor(private readonly contracts: CarechainContracts) {}

  get contract(): RecordAccess {
    return this.contracts.records;
  }

  /** The patient's (or guardian's) signed grant: the nonce and domain come from the contract. */
  signGrant(signer: Signer, grant: Omit<GrantMessage, "nonce">) {
    return signAction(signer, this.contract, "Grant", grant);
  }

  /** Relays a signed grant (anyone may). */
  relayGrant(grant: Omit<GrantMessage, "nonce">, signature: string): Promise<ContractTransactionReceipt> {
    return mined(
      this.contract.grantBySig(grant.signer, grant.patient, grant.grantee, termsOf(grant), grant.deadline, signature),
    );
  }
}

/** ClinicalTrials: consent by signature in the one signing shape. */
export class TrialsClient {
  constructor(private readonly contracts: CarechainContracts) {}

  get contract(): ClinicalTrials {
    return this.contracts.trials;
  }

  /** A participant's (or representative's) signed consent: meaning derived, nonce and domain read. */
  async signConsent(
    signer: Signer,
    input: ConsentInput,
  ): Promise<{ terms: ConsentTerms; data: TypedData; signature: string }> {
    const terms = consentTerms(input);
    const { data, signature } = await signAction(signer, this.contract, "Consent", { ...terms });
    return { terms, data, signature };
  }

  /** Relays a consent signature (the caller is a site of the trial). */
  relayConsent(terms: ConsentTerms, signature: string): Promise<ContractTransactionReceipt> {
    return mined(this.contract.consentBySig(terms, signature));
  }
}
