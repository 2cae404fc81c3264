/**
 * The trial's life from the command line, by role: the sponsor names sites and researchers, commits
 * the registry reference and outcome, opens recruitment, closes the trial and posts results; a site
 * registers investigators and enrolls consented participants. Each task asks the chain first (a
 * static call), says so when nothing would change ("already …"), and prints one line.
 */
import { task } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { ClinicalTrials } from "../typechain-types";
import { DOCUMENT_HELP, TaskInputError, accountArg, contractAddress, documentArg, runTask, signerOf } from "./lib";
import { OutcomeReport, TrialStatus } from "../src/trials/enums";

interface Common {
  trial: string;
  address?: string;
  from?: string;
}

function trialArg(value: string | undefined): string {
  if (!value || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new TaskInputError(`--trial "${value ?? ""}" is not a 0x… 32-byte trial id`);
  }
  return value;
}

async function trialsAt(hre: HardhatRuntimeEnvironment, args: Common): Promise<ClinicalTrials> {
  const target = await contractAddress(hre, "trials", args.address);
  const signer = await signerOf(hre, args.from);
  return (await hre.ethers.getContractAt("ClinicalTrials", target, signer)) as unknown as ClinicalTrials;
}

/** Asks the chain (static call), then sends `method(...params)` and waits for its receipt. */
async function send(method: unknown, ...params: unknown[]): Promise<{ hash: string }> {
  const m = method as {
    staticCall: (...a: unknown[]) => Promise<unknown>;
    (...a: unknown[]): Promise<{ wait(): Promise<{ hash: string } | null> }>;
  };
  await m.staticCall(...params);
  const receipt = await (await m(...params)).wait();
  if (!receipt) throw new Error("the transaction was not mined");
  return receipt;
}

function common(t: ConfigurableTaskDefinition, who: string): ConfigurableTaskDefinition {
  return t
    .addParam("trial", "Trial id (0x…, printed by trials:register)")
    .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
    .addOptionalParam("from", `${who} account: an account number or address (default 0)`);
}

function run(hre: HardhatRuntimeEnvironment, body: () => Promise<void>): Promise<void> {
  return runTask(hre, ["ClinicalTrials"], body);
}

/** Prints that nothing changed. */
function unchanged(what: string): void {
  console.log(`${what}: nothing changed, nothing sent`);
}

common(task("trials:set-site", "The sponsor names a TRIAL_SITE member a site of the trial (or --remove)"), "Sponsor")
  .addParam("site", "the site member: an address or account number")
  .addFlag("remove", "remove the site instead")
  .setAction(async (args: Common & { site: string; remove?: boolean }, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      const site = await accountArg(hre, "site", args.site);
      const want = !args.remove;
      if ((await trials.isSite(trialId, site)) === want) {
        return unchanged(`${site} is already ${want ? "a site" : "not a site"} of ${trialId}`);
      }
      const r = await send(trials.setSite, trialId, site, want);
      console.log(`${site} ${want ? "is now a site" : "is no longer a site"} of ${trialId} (tx ${r.hash})`);
    }),
  );

common(
  task("trials:set-researcher", "The sponsor names a RESEARCHER member a researcher of the trial (or --remove)"),
  "Sponsor",
)
  .addParam("researcher", "the researcher member: an address or account number")
  .addFlag("remove", "remove the researcher instead")
  .setAction(async (args: Common & { researcher: string; remove?: boolean }, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      const researcher = await accountArg(hre, "researcher", args.researcher);
      const want = !args.remove;
      if ((await trials.isResearcher(trialId, researcher)) === want) {
        return unchanged(`${researcher} is already ${want ? "a researcher" : "not a researcher"} of ${trialId}`);
      }
      const r = await send(trials.setResearcher, trialId, researcher, want);
      console.log(
        `${researcher} ${want ? "is now a researcher" : "is no longer a researcher"} of ${trialId} (tx ${r.hash})`,
      );
    }),
  );

common(
  task(
    "trials:commit-registration",
    "The sponsor commits the public registry reference and/or the primary outcome left open at registration",
  ),
  "Sponsor",
)
  .addOptionalParam("registryRef", "Public registry reference, e.g. NCT01234567")
  .addOptionalParam("outcome", `Pre-registered primary outcome: ${DOCUMENT_HELP}`)
  .setAction(async (args: Common & { registryRef?: string; outcome?: string }, hre) =>
    run(hre, async () => {
      const { registryRefHash } = await import("../src/trials");
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      if (!args.registryRef && !args.outcome) throw new TaskInputError("give --registry-ref and/or --outcome");
      const ref = args.registryRef ? registryRefHash(args.registryRef) : hre.ethers.ZeroHash;
      const outcome = documentArg(hre, "outcome", args.outcome, true);
      const r = await send(trials.commitRegistration, trialId, ref, outcome);
      console.log(`registration of ${trialId} committed (tx ${r.hash})`);
    }),
  );

common(task("trials:open", "The sponsor opens recruitment of an approved trial"), "Sponsor").setAction(
  async (args: Common, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      if (Number((await trials.trial(trialId)).status) === TrialStatus.Recruiting) {
        return unchanged(`${trialId} is already recruiting`);
      }
      const r = await send(trials.openRecruitment, trialId);
      console.log(`${trialId} is recruiting (tx ${r.hash})`);
    }),
);

common(
  task("trials:close", "The sponsor closes the trial (recruitment ends; the primary outcome is fixed)"),
  "Sponsor",
).setAction(async (args: Common, hre) =>
  run(hre, async () => {
    const trials = await trialsAt(hre, args);
    const trialId = trialArg(args.trial);
    const status = Number((await trials.trial(trialId)).status);
    if (status === TrialStatus.Closed || status === TrialStatus.ResultsPosted) {
      return unchanged(`${trialId} is already closed`);
    }
    const r = await send(trials.closeTrial, trialId);
    console.log(`${trialId} closed (tx ${r.hash})`);
  }),
);

common(
  task(
    "trials:post-results",
    "The sponsor posts the results of a closed trial with the primary outcome it reports (switching is recorded)",
  ),
  "Sponsor",
)
  .addParam("results", `Results document: ${DOCUMENT_HELP}`)
  .addParam("outcome", `The primary outcome the results report: ${DOCUMENT_HELP}`)
  .setAction(async (args: Common & { results: string; outcome: string }, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      const results = documentArg(hre, "results", args.results);
      const outcome = documentArg(hre, "outcome", args.outcome);
      const report = Number(await trials.postResults.staticCall(trialId, results, outcome));
      const r = await send(trials.postResults, trialId, results, outcome);
      console.log(`results of ${trialId} posted: outcome ${OutcomeReport[report]} (tx ${r.hash})`);
    }),
  );

common(
  task("trials:set-investigator", "A site registers an investigator who attests consent discussions (or --remove)"),
  "Site",
)
  .addParam("investigator", "the investigator: an address or account number (may be a smart-contract wallet)")
  .addFlag("remove", "unregister the investigator instead")
  .setAction(async (args: Common & { investigator: string; remove?: boolean }, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      const investigator = await accountArg(hre, "investigator", args.investigator);
      const want = !args.remove;
      const r = await send(trials.setInvestigator, trialId, investigator, want);
      console.log(
        `${investigator} ${want ? "is now an investigator" : "is no longer an investigator"} of ${trialId} (tx ${r.hash})`,
      );
    }),
  );

common(task("trials:enroll", "A site enrolls a participant whose consent is valid"), "Site")
  .addParam("participant", "the participant: an address or account number")
  .setAction(async (args: Common & { participant: string }, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args);
      const trialId = trialArg(args.trial);
      const participant = await accountArg(hre, "participant", args.participant);
      if (((await trials.participation(trialId, participant)).flags & 4n) !== 0n) {
        return unchanged(`${participant} is already enrolled in ${trialId}`);
      }
      const r = await send(trials.enroll, trialId, participant);
      const t = await trials.trial(trialId);
      console.log(`${participant} enrolled in ${trialId} (${t.enrolled}/${t.enrollmentCap}; tx ${r.hash})`);
    }),
  );
