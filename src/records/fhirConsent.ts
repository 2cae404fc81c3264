/**
 * A patient's directives as FHIR R4 Consent resources, built from chain state (RecordAccess views
 * and indexed events), so that an EHR can import what the patient decided:
 *
 * - each live grant → Consent, scope patient-privacy, provision.type "permit":
 *   actor = the grantee (role IRCP, information recipient), action = access (Read) / correct (Append),
 *   purpose = v3-ActReason (TREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, PATRQT), period = validFrom..validUntil,
 *   dataPeriod = dataFrom..dataUntil, code = the granted record categories;
 * - a deny rule for one actor → Consent with provision.type "deny" for that actor and those categories;
 * - the patient-wide deny rule → Consent with a "deny" provision for everyone and, for the exempt actor,
 *   a nested "permit" provision (FHIR's exception);
 * - a participant's research consent in a trial (ResearchConsent.researchCategories for a researcher)
 *   → Consent, scope research, permit, purpose HRESCH, actor the researcher.
 *
 * Accounts are identified as `eip155:<chainId>:<address>` (CAIP-10) in Reference.identifier; an end
 * at the largest uint40 (open) is left out of the period. Browser-safe.
 */
import { Contract, getAddress, type Provider } from "ethers";
import type { RecordAccess } from "../../typechain-types";
import { Purpose, RecordCategory } from "../categories";
import { activeGrants } from "./history";
import { queryLogsPaged } from "../indexer";
import { Action, DenyScope, MAX_UINT40 } from "./enums";

/** A FHIR R4 resource as JSON. */
export type FhirResource = Record<string, unknown> & { resourceType: string };

export const CATEGORY_SYSTEM = "https://carechain.org/fhir/CodeSystem/record-category";
export const ACCOUNT_SYSTEM = "urn:ietf:rfc:3986";
const ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
const CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";
const CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
const PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
const ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

/** Purpose code → v3-ActReason code. */
export const PURPOSE_OF_USE: Record<number, string> = {
  [Purpose.Treatment]: "TREAT",
  [Purpose.Payment]: "HPAYMT",
  [Purpose.Operations]: "HOPERAT",
  [Purpose.Research]: "HRESCH",
  [Purpose.PublicHealth]: "PUBHLTH",
  [Purpose.PatientRequest]: "PATRQT",
};

function iso(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

function period(from: bigint, until: bigint): Record<string, string> | undefined {
  const p: Record<string, string> = {};
  if (from > 0n) p.start = iso(from);
  if (until < MAX_UINT40) p.end = iso(until);
  return Object.keys(p).length ? p : undefined;
}

function account(chainId: bigint, address: string): Record<string, unknown> {
  const a = getAddress(address);
  return { identifier: { system: ACCOUNT_SYSTEM, value: `eip155:${chainId}:${a}` }, display: a };
}

function categoryCodes(mask: number): Record<string, unknown>[] {
  return Object.entries(RecordCategory)
    .filter(([, bit]) => (mask >> bit) & 1)
    .map(([name, bit]) => ({ coding: [{ system: CATEGORY_SYSTEM, code: String(bit), display: name }] }));
}

function purposes(mask: number): Record<string, unknown>[] {
  return Object.entries(PURPOSE_OF_USE)
    .filter(([bit]) => (mask >> Number(bit)) & 1)
    .map(([, code]) => ({ system: ACT_REASON, code }));
}

function actions(mask: number): Record<string, unknown>[] {
  const out = [];
  if (mask & Action.Read) out.push({ coding: [{ system: CONSENT_ACTION, code: "access" }] });
  if (mask & Action.Append) out.push({ coding: [{ system: CONSENT_ACTION, code: "correct" }] });
  return out;
}

function recipient(chainId: bigint, address: string) {
  return { role: { coding: [{ system: PARTICIPATION, code: "IRCP" }] }, reference: account(chainId, address) };
}

function consent(
  chainId: bigint,
  patient: string,
  scope: "patient-privacy" | "research",
  optIn: boolean,
  provision: Record<string, unknown>,
  id: string,
): FhirResource {
  return {
    resourceType: "Consent",
    id,
    status: "active",
    scope: { coding: [{ system: CONSENT_SCOPE, code: scope }] },
    category: [{ coding: [{ system: "http://loinc.org", code: "59284-0", display: "Patient Consent" }] }],
    patient: account(chainId, patient),
    policyRule: { coding: [{ system: ACT_CODE, code: optIn ? "OPTIN" : "OPTOUT" }] },
    provision,
  };
}

/**
 * The patient's grants and deny rules (and, for `trials`, the research consents the patient's
 * linked participant gave in them) as a FHIR R4 searchset Bundle of Consent resources.
 */
export async function consentsOf(
  records: RecordAccess,
  patient: string,
  options: { trials?: readonly string[]; blockTag?: number; fromBlock?: number; logPageSize?: number } = {},
): Promise<FhirResource> {
  const provider = records.runner?.provider as Provider;
  const { chainId } = await provider.getNetwork();
  const blockTag = options.blockTag ?? (await provider.getBlockNumber());
  const now = BigInt((await provider.getBlock(blockTag))!.timestamp);
  const p = getAddress(patient);
  const entries: FhirResource[] = [];
  const short = (a: string) => a.slice(2, 10).toLowerCase();

  const history = { fromBlock: options.fromBlock ?? 0, toBlock: blockTag, logPageSize: options.logPageSize };
  for (const g of await activeGrants(records, p, { ...history, now })) {
    entries.push(
      consent(
        chainId,
        p,
        "patient-privacy",
        true,
        {
          type: "permit",
          period: period(g.validFrom, g.validUntil),
          actor: [recipient(chainId, g.grantee)],
          action: actions(g.actions),
          purpose: purposes(g.purposes),
          code: categoryCodes(g.categories),
          dataPeriod: period(g.dataFrom, g.dataUntil),
        },
        `grant-${short(g.grantee)}`,
      ),
    );
  }

  // Actor deny rules: the last DenyRuleSet per target, confirmed by the grant word at this block.
  const denies = await queryLogsPaged(
    records,
    (a, b) => records.queryFilter(records.filters.DenyRuleSet(p), a, b),
    history.fromBlock,
    history.logPageSize,
    blockTag,
  );
  const actorTargets = new Set(
    denies.filter((d) => Number(d.args.scope) === DenyScope.Actor).map((d) => d.args.target.toLowerCase()),
  );
  for (const t of actorTargets) {
    const word = await records.grantOf(p, t, { blockTag });
    const denied = Number(word.deniedCategories);
    if (denied === 0) continue;
    entries.push(
      consent(
        chainId,
        p,
        "patient-privacy",
        false,
        { type: "deny", actor: [recipient(chainId, t)], code: categoryCodes(denied) },
        `deny-${short(t)}`,
      ),
    );
  }
  const [deniedAll, exempt] = await records.denyRuleOf(p, { blockTag });
  if (Number(deniedAll) !== 0) {
    const provision: Record<string, unknown> = { type: "deny", code: categoryCodes(Number(deniedAll)) };
    if (exempt !== "0x0000000000000000000000000000000000000000")
      provision.provision = [
        { type: "permit", actor: [recipient(chainId, exempt)], code: categoryCodes(Number(deniedAll)) },
      ];
    entries.push(consent(chainId, p, "patient-privacy", false, provision, "deny-all"));
  }

  if (options.trials?.length) {
    const research = new Contract(
      await records.researchConsent(),
      [
        "function researchCategories(bytes32 trialId, address participant, address researcher) view returns (uint16)",
        "event TrialResearcherSet(bytes32 indexed trialId, address indexed researcher, bool indexed isResearcher)",
      ],
      provider,
    );
    for (const trialId of options.trials) {
      const participant = await records.researchParticipantOf(p, trialId, { blockTag });
      const who = participant === "0x0000000000000000000000000000000000000000" ? p : participant;
      for (const researcher of await researchersOf(research, trialId, history)) {
        const mask = Number(await research.researchCategories(trialId, who, researcher, { blockTag }));
        if (mask === 0) continue;
        entries.push(
          consent(
            chainId,
            p,
            "research",
            true,
            {
              type: "permit",
              actor: [recipient(chainId, researcher)],
              action: actions(Action.Read),
              purpose: purposes(1 << Purpose.Research),
              code: categoryCodes(mask),
            },
            `research-${trialId.slice(2, 10)}-${short(researcher)}`,
          ),
        );
      }
    }
  }

  return {
    resourceType: "Bundle",
    type: "searchset",
    total: entries.length,
    entry: entries.map((resource) => ({ resource, search: { mode: "match" } })),
  };
}

/** Candidate researchers of a trial (from the consent contract's events, if it has them). */
async function researchersOf(
  research: Contract,
  trialId: string,
  history: { fromBlock: number; toBlock: number; logPageSize?: number },
): Promise<string[]> {
  try {
    const logs = await queryLogsPaged(
      research,
      (a, b) => research.queryFilter(research.filters.TrialResearcherSet(trialId), a, b),
      history.fromBlock,
      history.logPageSize,
      history.toBlock,
    );
    return [...new Set(logs.map((l) => (l as unknown as { args: { researcher: string } }).args.researcher))];
  } catch {
    return [];
  }
}
