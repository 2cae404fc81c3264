/**
 * Operational tasks of the records domain: register a record pointer, grant, revoke, check access,
 * break the glass, designate a privacy officer, review emergencies, link a trial participant address,
 * list a patient's disclosures. Every task finds RecordAccess from --address or from Ignition's
 * deployment record (ignition/deployments/chain-<id>/deployed_addresses.json, "Records#RecordAccess"),
 * and reports a bad input or a refused transaction in one line (`Error: …`, exit code 1).
 */
import fs from "node:fs";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { RecordAccess } from "../typechain-types";
import {
  TaskInputError,
  accountArg as account,
  bytes32Arg,
  contractAddress,
  maskArg as mask,
  namedArg as named,
  runTask,
  signerOf as signerFor,
  unixTimeArg as unixTime,
} from "./lib";
import {
  AccessReason,
  EmergencyReason,
  MAX_UINT40,
  Purpose,
  PurposeName,
  RecordCategory,
  accountingOfDisclosures,
  categoriesOf,
  emergencyReasonCommitment,
  newSalt,
  signGrant,
  signLinkResearchParticipant,
  termsOf,
} from "../src/records";

async function recordAccessAt(hre: HardhatRuntimeEnvironment, address: string | undefined): Promise<RecordAccess> {
  const at = await contractAddress(hre, "records", address);
  return (await hre.ethers.getContractAt("RecordAccess", at)) as unknown as RecordAccess;
}

function bytes32(_hre: HardhatRuntimeEnvironment, name: string, value: string): string {
  return bytes32Arg(name, value);
}

/** Runs a task body; prints `Error: …` in one line and sets the exit code on failure. */
function run(hre: HardhatRuntimeEnvironment, body: () => Promise<void>): Promise<void> {
  return runTask(hre, ["RecordAccess"], body);
}

task("records:register", "Registers a record pointer (the caller, a PROVIDER, becomes its custodian)")
  .addParam("patient", "patient address")
  .addParam("recordId", "salted record id (bytes32; see the SDK's recordIdOf)")
  .addParam("category", `record category: ${Object.keys(RecordCategory).join(", ")} or 0..8`)
  .addOptionalParam("contentHash", "keccak256 of the ciphertext envelope (bytes32)")
  .addOptionalParam("envelope", "path of the ciphertext envelope file, hashed locally instead of --content-hash")
  .addParam("date", "record date: YYYY-MM-DD, ISO date-time or unix seconds")
  .addOptionalParam("from", "custodian account (default: the first account)")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: Record<string, string | undefined>, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      let contentHash = args.contentHash;
      if (args.envelope) {
        if (!fs.existsSync(args.envelope)) throw new TaskInputError(`--envelope ${args.envelope} does not exist`);
        contentHash = hre.ethers.keccak256(fs.readFileSync(args.envelope));
      }
      if (!contentHash) throw new TaskInputError("give --content-hash or --envelope");
      const signer = await signerFor(hre, args.from);
      const category = named(RecordCategory, "category", args.category!);
      const tx = await records
        .connect(signer)
        .registerRecord(
          await account(hre, "patient", args.patient!),
          bytes32(hre, "record-id", args.recordId!),
          category,
          bytes32(hre, "content-hash", contentHash),
          unixTime("date", args.date!),
        );
      const receipt = await tx.wait();
      console.log(
        `registered ${args.recordId} (${categoriesOf(1 << category)[0]}) for ${args.patient} in block ${receipt!.blockNumber}`,
      );
    }),
  );

task("records:grant", "Grants a grantee access to the patient's records (patient signs; relayed if --relayer)")
  .addParam("patient", "patient account (must be an account of the network: it signs)")
  .addParam("grantee", "grantee address")
  .addParam("categories", `comma-separated categories: ${Object.keys(RecordCategory).join(", ")}`)
  .addOptionalParam("purposes", `comma-separated purposes: ${Object.keys(Purpose).join(", ")}`, "Treatment")
  .addOptionalParam("actions", "comma-separated actions: Read, Append", "Read")
  .addOptionalParam("days", "validity in days from now", 30, types.int)
  .addOptionalParam("dataFrom", "only records dated from (date or unix seconds)")
  .addOptionalParam("dataUntil", "only records dated until (date or unix seconds)")
  .addOptionalParam("relayer", "account that relays the patient's EIP-712 signature (patient needs no ETH)")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: Record<string, string | number | undefined>, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address as string | undefined);
      const patient = await signerFor(hre, args.patient as string);
      const grantee = await account(hre, "grantee", args.grantee as string);
      const days = Number(args.days);
      if (!Number.isInteger(days) || days < 1) throw new TaskInputError("--days must be a whole number of days ≥ 1");
      const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
      const terms = {
        categories: mask(RecordCategory, "categories", args.categories as string),
        actions: mask({ Read: 0, Append: 1 }, "actions", args.actions as string),
        purposes: mask(Purpose, "purposes", args.purposes as string),
        validFrom: now,
        validUntil: now + BigInt(days) * 86400n,
        dataFrom: args.dataFrom ? unixTime("data-from", args.dataFrom as string) : 0n,
        dataUntil: args.dataUntil ? unixTime("data-until", args.dataUntil as string) : MAX_UINT40,
      };
      let receipt;
      if (args.relayer) {
        const relayer = await signerFor(hre, args.relayer as string);
        const domain = {
          chainId: (await hre.ethers.provider.getNetwork()).chainId,
          verifyingContract: await records.getAddress(),
        };
        const message = {
          patient: patient.address,
          signer: patient.address,
          grantee,
          ...terms,
          nonce: await records.nonces(patient.address),
          deadline: now + 3600n,
        };
        const signature = await signGrant(patient, domain, message);
        receipt = await (
          await records
            .connect(relayer)
            .grantBySig(patient.address, patient.address, grantee, termsOf(message), message.deadline, signature)
        ).wait();
      } else {
        receipt = await (await records.connect(patient).grant(patient.address, grantee, terms)).wait();
      }
      console.log(
        `granted ${grantee} ${categoriesOf(terms.categories).join("+")} for ${days} days${args.relayer ? " (signed by the patient, relayed)" : ""} in block ${receipt!.blockNumber}`,
      );
    }),
  );

task("records:revoke", "Revokes one grantee's access, or every grant with --all (O(1))")
  .addParam("patient", "patient account (must be an account of the network)")
  .addOptionalParam("grantee", "grantee to revoke")
  .addFlag("all", "revoke every grant of the patient")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: { patient: string; grantee?: string; all: boolean; address?: string }, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      const patient = await signerFor(hre, args.patient);
      if (args.all === Boolean(args.grantee)) throw new TaskInputError("give either --grantee or --all");
      if (args.all) {
        await (await records.connect(patient).revokeAll(patient.address)).wait();
        console.log(`revoked every grant of ${patient.address} (epoch now ${await records.epochOf(patient.address)})`);
      } else {
        const grantee = await account(hre, "grantee", args.grantee!);
        await (await records.connect(patient).revoke(patient.address, grantee)).wait();
        console.log(`revoked ${grantee}`);
      }
    }),
  );

task("records:check", "Whether an accessor may read a record for a purpose, and why")
  .addParam("patient", "patient address")
  .addParam("accessor", "accessor address")
  .addParam("recordId", "record id (bytes32)")
  .addOptionalParam("purpose", `purpose: ${Object.keys(Purpose).join(", ")}`, "Treatment")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: Record<string, string | undefined>, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      const purpose = named(Purpose, "purpose", args.purpose!);
      const [allowed, reason] = await records.canAccess(
        await account(hre, "patient", args.patient!),
        await account(hre, "accessor", args.accessor!),
        bytes32(hre, "record-id", args.recordId!),
        purpose,
      );
      console.log(`${allowed ? "allowed" : "refused"}: ${AccessReason[Number(reason)]}`);
    }),
  );

task("records:disclosures", "The patient's accounting of disclosures (HIPAA §164.528), from indexed events")
  .addParam("patient", "patient address")
  .addOptionalParam("fromBlock", "first block to search", 0, types.int)
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: { patient: string; fromBlock: number; address?: string }, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      const list = await accountingOfDisclosures(records, await account(hre, "patient", args.patient), args.fromBlock);
      if (list.length === 0) console.log("no disclosures");
      for (const d of list) {
        const purpose = (Object.keys(Purpose) as PurposeName[]).find((k) => Purpose[k] === d.purpose);
        console.log(
          `${new Date(Number(d.at) * 1000).toISOString()} record ${d.recordId} disclosed by ${d.discloser} to ${d.recipient} for ${purpose}`,
        );
      }
    }),
  );

task(
  "records:break-glass",
  "Declares an emergency (break-glass) for a patient: only a salted commitment to the reason goes on chain",
)
  .addParam("patient", "patient address")
  .addParam(
    "reason",
    `reason: ${Object.keys(EmergencyReason)
      .filter((k) => isNaN(Number(k)) && k !== "None")
      .join(", ")}`,
  )
  .addOptionalParam("note", "free-text note kept off chain inside the commitment", "")
  .addOptionalParam("from", "declaring PROVIDER account (default: the first account)")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: Record<string, string | undefined>, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      const provider = await signerFor(hre, args.from);
      const patient = await account(hre, "patient", args.patient!);
      const reasons = { PatientIncapacitated: 1, LifeThreatening: 2, SeriousThreat: 3, Other: 4 };
      const opening = { reasonCode: named(reasons, "reason", args.reason!), note: args.note ?? "", salt: newSalt() };
      const commitment = emergencyReasonCommitment(patient, provider.address, opening);
      const receipt = await (await records.connect(provider).breakGlass(patient, commitment)).wait();
      console.log(`declared an emergency for ${patient} in block ${receipt!.blockNumber}; commitment ${commitment}`);
      // The opening is the provider's to keep and show the reviewer; it never goes on chain.
      console.log(`opening (keep off chain): ${JSON.stringify(opening)}`);
    }),
  );

task("records:privacy-officer", "A PROVIDER designates its privacy officer, who reviews its break-glass declarations")
  .addParam("officer", "an active PRIVACY_OFFICER other than the provider (0x0…0: none)")
  .addOptionalParam("from", "PROVIDER account (default: the first account)")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: Record<string, string | undefined>, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      const provider = await signerFor(hre, args.from);
      const officer = await account(hre, "officer", args.officer!);
      await (await records.connect(provider).designatePrivacyOfficer(officer)).wait();
      console.log(`${provider.address} designated privacy officer ${officer}`);
    }),
  );

task("records:review-emergency", "Reviews a provider's pending break-glass declarations for a patient")
  .addParam("patient", "patient address")
  .addParam("provider", "declaring provider address")
  .addOptionalParam("from", "reviewer: the patient, its guardian, or the provider's privacy officer")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(async (args: Record<string, string | undefined>, hre) =>
    run(hre, async () => {
      const records = await recordAccessAt(hre, args.address);
      const reviewer = await signerFor(hre, args.from);
      const patient = await account(hre, "patient", args.patient!);
      const provider = await account(hre, "provider", args.provider!);
      await (await records.connect(reviewer).reviewEmergency(patient, provider)).wait();
      console.log(
        `reviewed ${provider}'s emergencies for ${patient}; ${await records.pendingEmergencies(patient)} pending`,
      );
    }),
  );

task(
  "records:link-participant",
  "The patient links its records to its participant address in a trial (public linkage; --unlink removes it)",
)
  .addParam("patient", "patient account (must be an account of the network: it signs)")
  .addParam("trialId", "trial id (bytes32)")
  .addOptionalParam("participant", "the patient's participant address in that trial")
  .addFlag("unlink", "remove the link (research access then asks the trial about the patient address itself)")
  .addOptionalParam("relayer", "account that relays the patient's EIP-712 signature (patient needs no ETH)")
  .addOptionalParam("address", "RecordAccess address (default: from the Ignition deployment)")
  .setAction(
    async (
      args: {
        patient: string;
        trialId: string;
        participant?: string;
        unlink: boolean;
        relayer?: string;
        address?: string;
      },
      hre,
    ) =>
      run(hre, async () => {
        const records = await recordAccessAt(hre, args.address);
        const patient = await signerFor(hre, args.patient);
        const trialId = bytes32(hre, "trial-id", args.trialId);
        if (args.unlink === Boolean(args.participant))
          throw new TaskInputError("give either --participant or --unlink");
        const participant = args.unlink ? hre.ethers.ZeroAddress : await account(hre, "participant", args.participant!);
        if (args.relayer) {
          const relayer = await signerFor(hre, args.relayer);
          const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
          const domain = {
            chainId: (await hre.ethers.provider.getNetwork()).chainId,
            verifyingContract: await records.getAddress(),
          };
          const message = {
            patient: patient.address,
            trialId,
            participant,
            nonce: await records.nonces(patient.address),
            deadline: now + 3600n,
          };
          const signature = await signLinkResearchParticipant(patient, domain, message);
          await (
            await records
              .connect(relayer)
              .linkResearchParticipantBySig(patient.address, trialId, participant, message.deadline, signature)
          ).wait();
        } else {
          await (await records.connect(patient).linkResearchParticipant(trialId, participant)).wait();
        }
        console.log(
          args.unlink
            ? `unlinked ${patient.address} from trial ${trialId}`
            : `linked ${patient.address}'s records to participant ${participant} in trial ${trialId} (public)`,
        );
      }),
  );
