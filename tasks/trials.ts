import fs from "node:fs";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ClinicalTrials } from "../typechain-types";
import {
  DOCUMENT_HELP,
  TaskInputError,
  accountArg,
  contractAddress,
  documentArg,
  maskArg,
  runTask,
  signerOf,
} from "./lib";
import {
  OutcomeReport,
  ReconsentPolicy,
  SignatureMeaning,
  TrialStatus,
  WithdrawalChoice,
  consentPackageFromJson,
  consentHash,
  consentPackageToJson,
  consentTerms,
  decodeScope,
  duoIdsOf,
  encodeScope,
  isEnrolled,
  registryRefHash,
  relayConsentPackage,
  signAttestation,
  signConsent,
  signRepresentativeDetermination,
  trialsDomain,
  withdrawalOf,
  NO_WITNESS,
} from "../src/trials";
import { RecordCategory, categoriesOf } from "../src/categories";

function trialArg(value: string | undefined): string {
  if (!value || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new TaskInputError(`--trial "${value ?? ""}" is not a 0x… 32-byte trial id`);
  }
  return value;
}

function enumArg<T>(name: string, value: string, table: Record<string, T>): T {
  const found = table[value.toLowerCase()];
  if (found === undefined)
    throw new TaskInputError(`--${name} "${value}" must be one of ${Object.keys(table).join(", ")}`);
  return found;
}

/** The ClinicalTrials deployment (--address, else Ignition's record for this chain), bound to --from. */
async function trialsAt(
  hre: HardhatRuntimeEnvironment,
  address: string | undefined,
  from?: string,
): Promise<ClinicalTrials> {
  const target = await contractAddress(hre, "trials", address);
  const signer = await signerOf(hre, from);
  return (await hre.ethers.getContractAt("ClinicalTrials", target, signer)) as unknown as ClinicalTrials;
}

/** Runs a task body; any failure becomes one line on stderr and exit code 1. */
function run(hre: HardhatRuntimeEnvironment, body: () => Promise<void>): Promise<void> {
  return runTask(hre, ["ClinicalTrials"], body);
}

const POLICIES: Record<string, ReconsentPolicy> = {
  none: ReconsentPolicy.None,
  all: ReconsentPolicy.AllParticipants,
  new: ReconsentPolicy.NewEnrolleesOnly,
};
const CHOICES: Record<string, WithdrawalChoice> = {
  "no-further-collection": WithdrawalChoice.NoFurtherCollection,
  "withdraw-data": WithdrawalChoice.WithdrawData,
};

function scopeArg(value: string): number {
  try {
    return encodeScope(value.split(",").filter((s) => s.trim() !== ""));
  } catch (e) {
    throw new TaskInputError((e as Error).message);
  }
}

task("trials:register", "Registers a clinical trial (as a SPONSOR member)")
  .addParam("salt", "Sponsor-chosen text that makes the trial id (e.g. the sponsor's protocol number)")
  .addParam("protocol", `Protocol: ${DOCUMENT_HELP}`)
  .addParam("consentForm", `Consent form: ${DOCUMENT_HELP}`)
  .addParam("irb", "Address of the IRB member that oversees the trial")
  .addParam("cap", "Enrollment cap", undefined, types.int)
  .addOptionalParam("registryRef", "Public registry reference, e.g. NCT01234567 (may be committed later)")
  .addOptionalParam("outcome", `Pre-registered primary outcome (may be committed later): ${DOCUMENT_HELP}`)
  .addFlag("witness", "Consent requires an impartial witness")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Sponsor account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      if (!Number.isInteger(args.cap) || args.cap <= 0 || args.cap > 0xffffffff) {
        throw new TaskInputError(`--cap ${args.cap} must be a positive 32-bit integer`);
      }
      const r = {
        salt: hre.ethers.id(args.salt),
        registryRefHash: args.registryRef ? registryRefHash(args.registryRef) : hre.ethers.ZeroHash,
        protocolHash: documentArg(hre, "protocol", args.protocol),
        consentFormHash: documentArg(hre, "consent-form", args.consentForm),
        outcomeHash: documentArg(hre, "outcome", args.outcome, true),
        irb: await accountArg(hre, "irb", args.irb),
        enrollmentCap: args.cap,
        witnessRequired: Boolean(args.witness),
      };
      const id = await trials.registerTrial.staticCall(r);
      await (await trials.registerTrial(r)).wait();
      console.log(`registered trial ${id}`);
    }),
  );

task("trials:approve", "The trial's IRB approves (or rejects) the trial or one of its amendments")
  .addParam("trial", "Trial id (0x…)")
  .addOptionalParam("amendment", "Amendment id (default: approve the trial itself)", undefined, types.int)
  .addFlag("reject", "Reject the amendment instead")
  .addOptionalParam("reason", `Reason for a rejection: ${DOCUMENT_HELP}`, "")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "IRB account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      if (args.amendment === undefined) {
        if (args.reject)
          throw new TaskInputError("--reject needs --amendment (a trial is not rejected, it stays registered)");
        await (await trials.approveTrial(trialId)).wait();
        console.log(`trial ${trialId} approved`);
      } else if (args.reject) {
        await (
          await trials.rejectAmendment(trialId, args.amendment, documentArg(hre, "reason", args.reason, true))
        ).wait();
        console.log(`amendment ${args.amendment} of ${trialId} rejected`);
      } else {
        await (await trials.approveAmendment(trialId, args.amendment)).wait();
        const t = await trials.trial(trialId);
        console.log(
          `amendment ${args.amendment} approved: protocol version ${t.protocolVersion}, minimum consent version ${t.minVersionAll} (all) / ${t.minVersionNew} (new enrollees)`,
        );
      }
    }),
  );

task("trials:amend", "The sponsor proposes a protocol amendment (takes effect when the IRB approves it)")
  .addParam("trial", "Trial id (0x…)")
  .addParam("protocol", `New protocol: ${DOCUMENT_HELP}`)
  .addParam("consentForm", `Consent form in force after it: ${DOCUMENT_HELP}`)
  .addParam("reconsent", "Who must re-consent: none | all | new (only those enrolled after it)")
  .addOptionalParam("outcome", `New primary outcome (omit to keep it): ${DOCUMENT_HELP}`)
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Sponsor account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      const policy = enumArg("reconsent", args.reconsent, POLICIES);
      const call = [
        trialId,
        documentArg(hre, "protocol", args.protocol),
        documentArg(hre, "consent-form", args.consentForm),
        policy,
        documentArg(hre, "outcome", args.outcome, true),
      ] as const;
      const id = await trials.proposeAmendment.staticCall(...call);
      await (await trials.proposeAmendment(...call)).wait();
      console.log(`amendment ${id} proposed for ${trialId}; awaiting IRB approval`);
    }),
  );

task("trials:sign-consent", "Signs a consent package file with local accounts (development networks)")
  .addParam("trial", "Trial id (0x…)")
  .addParam("participant", "Participant address")
  .addOptionalParam("signer", "Participant or legally authorised representative (default: the participant)")
  .addParam("investigator", "Investigator account registered by the site")
  .addOptionalParam("witness", "Impartial witness account")
  .addOptionalParam("scope", "DUO codes or ids, comma-separated", "HMB")
  .addOptionalParam(
    "categories",
    `Record categories the participant shares with the trial's researchers, comma-separated: ${Object.keys(RecordCategory).join(", ")} (default none)`,
    "",
  )
  .addFlag("futureContact", "The participant agrees to be contacted in future")
  .addParam("out", "File to write")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address);
      const trialId = trialArg(args.trial);
      const participant = await accountArg(hre, "participant", args.participant);
      const signerAddress = args.signer ? await accountArg(hre, "signer", args.signer) : participant;
      const t = await trials.trial(trialId);
      if (Number(t.status) === TrialStatus.None) throw new TaskInputError(`trial ${trialId} is not registered`);
      const form = (await trials.amendment(trialId, t.protocolVersion)).consentFormHash;
      const domain = trialsDomain((await hre.ethers.provider.getNetwork()).chainId, await trials.getAddress());
      const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
      const terms = consentTerms({
        trialId,
        participant,
        signer: signerAddress,
        protocolVersion: Number(t.protocolVersion),
        consentFormHash: form,
        scope: scopeArg(args.scope),
        categories: args.categories === "" ? 0 : maskArg(RecordCategory, "categories", args.categories),
        futureContact: Boolean(args.futureContact),
        deadline: BigInt(now + 86_400),
      });
      const key = await hre.ethers.getSigner(signerAddress);
      const nonce = await trials.nonces(signerAddress);
      // Attestations bind to the exact terms signed: their struct hash at the signer's nonce.
      const attested = { ...terms, consentHash: consentHash(terms, nonce) };
      const investigatorAddress = await accountArg(hre, "investigator", args.investigator);
      const investigator = await signAttestation(
        await hre.ethers.getSigner(investigatorAddress),
        domain,
        attested,
        SignatureMeaning.InvestigatorAttestation,
        BigInt(now + 86_400),
        await trials.nonces(investigatorAddress),
      );
      let witness = NO_WITNESS;
      if (args.witness) {
        const w = await accountArg(hre, "witness", args.witness);
        witness = await signAttestation(
          await hre.ethers.getSigner(w),
          domain,
          attested,
          SignatureMeaning.WitnessAttestation,
          BigInt(now + 86_400),
          await trials.nonces(w),
        );
      }
      const signature = await signConsent(key, domain, terms, nonce);
      fs.writeFileSync(args.out, consentPackageToJson({ terms, signature, investigator, witness }) + "\n");
      console.log(`wrote ${args.out}`);
    }),
  );

task("trials:consent", "A site relays a signed consent package (participant + investigator [+ witness])")
  .addParam("file", "Consent package JSON (see trials:sign-consent / src/trials/typedData.ts)")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Site account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      if (!fs.existsSync(args.file)) throw new TaskInputError(`no such file: ${args.file}`);
      let pkg;
      try {
        pkg = consentPackageFromJson(fs.readFileSync(args.file, "utf8"));
      } catch (e) {
        throw new TaskInputError(`${args.file}: ${(e as Error).message.split("\n")[0]}`);
      }
      const trials = await trialsAt(hre, args.address, args.from);
      await relayConsentPackage(trials, pkg);
      const valid = await trials.isConsentValid(pkg.terms.trialId, pkg.terms.participant);
      console.log(`consent of ${pkg.terms.participant} recorded; valid: ${valid}`);
    }),
  );

task("trials:withdraw", "Withdraws a participant (by the participant or representative, directly or by signature)")
  .addParam("trial", "Trial id (0x…)")
  .addParam("participant", "Participant address")
  .addParam("choice", "no-further-collection | withdraw-data")
  .addOptionalParam("signature", "EIP-712 Withdrawal signature to relay (else --from withdraws directly)")
  .addOptionalParam("signer", "Who signed (participant or representative); with --signature")
  .addOptionalParam("deadline", "The signature's deadline (unix seconds); with --signature")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Sending account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      const participant = await accountArg(hre, "participant", args.participant);
      const choice = enumArg("choice", args.choice, CHOICES);
      if (args.signature) {
        if (!args.deadline || !/^\d+$/.test(args.deadline))
          throw new TaskInputError("--deadline (unix seconds) is required with --signature");
        const signer = await accountArg(hre, "signer", args.signer);
        await (
          await trials.withdrawBySig(trialId, participant, choice, signer, BigInt(args.deadline), args.signature)
        ).wait();
      } else {
        await (await trials.withdraw(trialId, participant, choice)).wait();
      }
      console.log(`${participant} withdrew from ${trialId} (${args.choice})`);
    }),
  );

/** An --ends-at argument: unix seconds, 0 (default) = until revoked. */
function endsAtArg(value: string | undefined): bigint {
  if (value === undefined) return 0n;
  if (!/^\d+$/.test(value)) throw new TaskInputError(`--ends-at "${value}" must be unix seconds (0 = until revoked)`);
  return BigInt(value);
}

function deadlineArg(value: string | undefined): bigint {
  if (!value || !/^\d+$/.test(value))
    throw new TaskInputError("--deadline (unix seconds) is required with --signature");
  return BigInt(value);
}

task(
  "trials:appoint-representative",
  "A participant appoints its legally authorised representative for one trial (directly, or relaying its signature)",
)
  .addParam("trial", "Trial id (0x…)")
  .addParam("representative", "Representative address")
  .addOptionalParam("endsAt", "End of the authority (unix seconds); 0 = until revoked", "0")
  .addOptionalParam("participant", "Participant who signed (with --signature); else --from appoints directly")
  .addOptionalParam("signature", "EIP-712 RepresentativeAppointment signature of the participant to relay")
  .addOptionalParam("deadline", "The signature's deadline (unix seconds); with --signature")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Sending account: the participant, or any relayer with --signature")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      const representative = await accountArg(hre, "representative", args.representative);
      const endsAt = endsAtArg(args.endsAt);
      let participant: string;
      if (args.signature) {
        participant = await accountArg(hre, "participant", args.participant);
        const a = { trialId, participant, representative, endsAt, deadline: deadlineArg(args.deadline) };
        await (await trials.appointRepresentativeBySig(a, args.signature)).wait();
      } else {
        participant = await (trials.runner as unknown as { getAddress(): Promise<string> }).getAddress();
        await (await trials.appointRepresentative(trialId, representative, endsAt)).wait();
      }
      const r = await trials.representation(trialId, participant);
      console.log(`${representative} represents ${participant} in ${trialId} (authority ${r.authorityId})`);
    }),
  );

task(
  "trials:determine-representative",
  "A site relays an investigator's determination that a participant lacks capacity and who the LAR is (IRB confirms)",
)
  .addParam("trial", "Trial id (0x…)")
  .addParam("participant", "Participant address")
  .addParam("representative", "Legally authorised representative address")
  .addParam("investigator", "Investigator registered by the site (signs with a local account unless --signature)")
  .addParam("basis", `Documented basis: ${DOCUMENT_HELP}`)
  .addOptionalParam("endsAt", "End of the authority (unix seconds); 0 = until ended", "0")
  .addOptionalParam("signature", "The investigator's EIP-712 RepresentativeDetermination signature")
  .addOptionalParam("deadline", "The signature's deadline (unix seconds); with --signature")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Site account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      const investigator = await accountArg(hre, "investigator", args.investigator);
      const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
      const d = {
        trialId,
        participant: await accountArg(hre, "participant", args.participant),
        representative: await accountArg(hre, "representative", args.representative),
        endsAt: endsAtArg(args.endsAt),
        basisHash: documentArg(hre, "basis", args.basis),
        investigator,
        deadline: args.signature ? deadlineArg(args.deadline) : BigInt(now + 86_400),
      };
      let signature: string = args.signature;
      if (!signature) {
        const domain = trialsDomain((await hre.ethers.provider.getNetwork()).chainId, await trials.getAddress());
        signature = await signRepresentativeDetermination(
          await hre.ethers.getSigner(investigator),
          domain,
          d,
          await trials.nonces(investigator),
        );
      }
      await (await trials.determineRepresentativeBySig(d, signature)).wait();
      console.log(
        `determination for ${d.participant} in ${trialId} recorded; the IRB confirms with trials:confirm-representative --representative ${d.representative} --ends-at ${d.endsAt} --basis ${d.basisHash}`,
      );
    }),
  );

task("trials:confirm-representative", "The trial's IRB confirms a pending determination: the LAR's authority starts")
  .addParam("trial", "Trial id (0x…)")
  .addParam("participant", "Participant address")
  .addParam("representative", "Representative named by the determination")
  .addParam("basis", `The determination's basis: ${DOCUMENT_HELP}`)
  .addOptionalParam("endsAt", "The determination's end time (unix seconds); 0 = until ended", "0")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "IRB account (default: first signer)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      const participant = await accountArg(hre, "participant", args.participant);
      const representative = await accountArg(hre, "representative", args.representative);
      await (
        await trials.confirmRepresentative(
          trialId,
          participant,
          representative,
          endsAtArg(args.endsAt),
          documentArg(hre, "basis", args.basis),
        )
      ).wait();
      const r = await trials.representation(trialId, participant);
      console.log(
        `${representative} represents ${participant} in ${trialId} (authority ${r.authorityId}, IRB-confirmed)`,
      );
    }),
  );

task(
  "trials:end-representative",
  "Ends representative authority: the participant revokes (directly or by signature), or the IRB ends an IRB-confirmed one",
)
  .addParam("trial", "Trial id (0x…)")
  .addParam("participant", "Participant address")
  .addFlag("irb", "Send as the trial's IRB (endRepresentative) instead of as the participant")
  .addOptionalParam("signature", "The participant's EIP-712 RepresentativeRevocation signature to relay")
  .addOptionalParam("deadline", "The signature's deadline (unix seconds); with --signature")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .addOptionalParam("from", "Sending account: the participant, the IRB (--irb), or a relayer (--signature)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address, args.from);
      const trialId = trialArg(args.trial);
      const participant = await accountArg(hre, "participant", args.participant);
      if (args.irb) {
        await (await trials.endRepresentative(trialId, participant)).wait();
      } else if (args.signature) {
        await (
          await trials.revokeRepresentativeBySig(trialId, participant, deadlineArg(args.deadline), args.signature)
        ).wait();
      } else {
        const from = await (trials.runner as unknown as { getAddress(): Promise<string> }).getAddress();
        if (from.toLowerCase() !== participant.toLowerCase()) {
          throw new TaskInputError(`--from ${from} is not the participant: pass --irb, or --signature to relay`);
        }
        await (await trials.revokeRepresentative(trialId)).wait();
      }
      console.log(`representative authority over ${participant} in ${trialId} ended`);
    }),
  );

task("trials:check", "Shows a trial, and a participant's consent and data-use answers")
  .addParam("trial", "Trial id (0x…)")
  .addOptionalParam("participant", "Participant address")
  .addOptionalParam("scope", "Requested use as DUO codes (for mayUse), comma-separated")
  .addOptionalParam("researcher", "Researcher address (for researchCategories)")
  .addOptionalParam("address", "ClinicalTrials address (default: Ignition deployment)")
  .setAction(async (args, hre) =>
    run(hre, async () => {
      const trials = await trialsAt(hre, args.address);
      const trialId = trialArg(args.trial);
      const t = await trials.trial(trialId);
      if (Number(t.status) === TrialStatus.None) throw new TaskInputError(`trial ${trialId} is not registered`);
      console.log(
        `trial ${trialId}: ${TrialStatus[Number(t.status)]}, protocol v${t.protocolVersion}, minimum consent v${t.minVersionAll} (all) / v${t.minVersionNew} (new), enrolled ${t.enrolled}/${t.enrollmentCap}, outcome ${await trials.currentOutcomeHash(trialId)}${Number(t.outcomeReport) ? `, results ${OutcomeReport[Number(t.outcomeReport)]}` : ""}`,
      );
      if (!args.participant) return;
      const participant = await accountArg(hre, "participant", args.participant);
      const p = await trials.participation(trialId, participant);
      const valid = await trials.isConsentValid(trialId, participant);
      const scope = Number(p.scope);
      console.log(
        `participant ${participant}: consent v${p.consentVersion} valid ${valid}, scope ${decodeScope(scope).join("+") || "-"} (${duoIdsOf(scope).join(", ") || "-"}), categories ${categoriesOf(Number(p.categories)).join(",") || "-"}, enrolled ${isEnrolled(p.flags)}, withdrawn ${withdrawalOf(p.flags)}`,
      );
      if (args.scope) {
        console.log(`mayUse(${args.scope}): ${await trials.mayUse(trialId, participant, scopeArg(args.scope))}`);
      }
      if (args.researcher) {
        const researcher = await accountArg(hre, "researcher", args.researcher);
        const mask = Number(await trials.researchCategories(trialId, participant, researcher));
        console.log(`researchCategories(${researcher}): ${categoriesOf(mask).join(",") || "none"}`);
      }
    }),
  );
