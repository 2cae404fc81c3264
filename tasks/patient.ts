/**
 * A patient's acts on its records from the command line: deny rules, a guardian, an encryption key,
 * a grant signed to a file (by the patient, offline) and relayed by anyone, like a trial consent; and
 * a provider's disclosure log. Each asks the chain first (a static call) and prints one line.
 */
import fs from "node:fs";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { RecordAccess } from "../typechain-types";
import {
  TaskInputError,
  accountArg,
  bytes32Arg,
  contractAddress,
  maskArg,
  namedArg,
  runTask,
  signerOf,
  unixTimeArg,
} from "./lib";
import { DenyScope, GuardianPower, MAX_UINT40, Purpose, RecordCategory } from "../src/records/enums";
import { encryptionKeyProof, recordsDomain } from "../src/records/typedData";

interface Common {
  address?: string;
  from?: string;
}

async function recordsAt(hre: HardhatRuntimeEnvironment, args: Common) {
  const at = await contractAddress(hre, "records", args.address);
  const signer = await signerOf(hre, args.from);
  return {
    signer,
    records: (await hre.ethers.getContractAt("RecordAccess", at, signer)) as unknown as RecordAccess,
  };
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

function run(hre: HardhatRuntimeEnvironment, body: () => Promise<void>): Promise<void> {
  return runTask(hre, ["RecordAccess"], body);
}

const CATEGORY_HELP = `comma-separated categories: ${Object.keys(RecordCategory).join(", ")}`;

task(
  "records:deny",
  "The patient (--from) denies record categories to one actor, or to everyone but one (--all-except); --categories none lifts the rule",
)
  .addParam("target", "the actor: an address or account number (with --all-except, zero = everyone)")
  .addParam("categories", `${CATEGORY_HELP}; "none" lifts the rule`)
  .addFlag("allExcept", "deny the categories to everyone except --target")
  .addOptionalParam("patient", "the patient, when --from is its guardian with the deny power (default: --from)")
  .addOptionalParam("address", "RecordAccess address (default: Ignition deployment)")
  .addOptionalParam("from", "the patient (or its guardian): an account number or address")
  .setAction(
    async (args: Common & { target: string; categories: string; allExcept?: boolean; patient?: string }, hre) =>
      run(hre, async () => {
        const { records, signer } = await recordsAt(hre, args);
        const patient = args.patient ? await accountArg(hre, "patient", args.patient) : signer.address;
        const target =
          args.target === "0" && args.allExcept ? hre.ethers.ZeroAddress : await accountArg(hre, "target", args.target);
        const scope = args.allExcept ? DenyScope.AllExcept : DenyScope.Actor;
        const categories =
          args.categories.trim().toLowerCase() === "none" ? 0 : maskArg(RecordCategory, "categories", args.categories);
        const r = await send(records.setDenyRule, patient, scope, target, categories);
        const who = args.allExcept ? `everyone but ${target}` : target;
        console.log(
          categories === 0
            ? `deny rule on ${who} lifted for ${patient} (tx ${r.hash})`
            : `${args.categories} of ${patient} denied to ${who} (tx ${r.hash})`,
        );
      }),
  );

task(
  "records:guardian",
  "The patient (--from) names a guardian (personal representative) with powers over categories until a date, or --remove",
)
  .addOptionalParam("guardian", "the guardian: an address or account number")
  .addOptionalParam("categories", CATEGORY_HELP)
  .addOptionalParam("powers", `comma-separated powers: ${Object.keys(GuardianPower).join(", ")}`)
  .addOptionalParam("until", "end of the authority: a date (2027-01-31) or unix seconds")
  .addFlag("remove", "remove the guardian (everything it granted stops counting)")
  .addOptionalParam("address", "RecordAccess address (default: Ignition deployment)")
  .addOptionalParam("from", "the patient: an account number or address")
  .setAction(
    async (
      args: Common & { guardian?: string; categories?: string; powers?: string; until?: string; remove?: boolean },
      hre,
    ) =>
      run(hre, async () => {
        const { records, signer } = await recordsAt(hre, args);
        if (args.remove) {
          const r = await send(records.setGuardian, signer.address, hre.ethers.ZeroAddress, 0, 0, 0);
          console.log(`guardian of ${signer.address} removed (tx ${r.hash})`);
          return;
        }
        if (!args.guardian || !args.categories || !args.powers || !args.until) {
          throw new TaskInputError("give --guardian, --categories, --powers and --until (or --remove)");
        }
        const guardian = await accountArg(hre, "guardian", args.guardian);
        const categories = maskArg(RecordCategory, "categories", args.categories);
        // Powers are bit values already (1, 2, 4, 8), not bit indexes.
        const powers = args.powers
          .split(",")
          .filter((p) => p.trim() !== "")
          .reduce((m, p) => m | namedArg(GuardianPower, "powers", p), 0);
        const until = unixTimeArg("until", args.until);
        const r = await send(records.setGuardian, signer.address, guardian, categories, powers, until);
        console.log(`${guardian} is the guardian of ${signer.address} (${args.powers}) (tx ${r.hash})`);
      }),
  );

task(
  "records:encryption-key",
  "Registers the sender's encryption public key (33-byte compressed secp256k1) to which record keys are wrapped, with its proof of possession",
)
  .addOptionalParam(
    "keyFile",
    "a file holding the encryption private key (0x + 64 hex digits; kept apart from the account's signing key): the task derives the public key and signs the proof with it",
  )
  .addOptionalParam("publicKey", "0x02… or 0x03… (33 bytes), with --proof: a proof made elsewhere")
  .addOptionalParam(
    "proof",
    "the key's proof of possession for the sender (SDK: encryptionKeyProof), with --public-key",
  )
  .addOptionalParam("address", "RecordAccess address (default: Ignition deployment)")
  .addOptionalParam("from", "the account: an account number or address")
  .setAction(async (args: Common & { keyFile?: string; publicKey?: string; proof?: string }, hre) =>
    run(hre, async () => {
      const { records, signer } = await recordsAt(hre, args);
      let publicKey: string, proof: string;
      if (args.keyFile !== undefined) {
        if (args.publicKey !== undefined || args.proof !== undefined) {
          throw new TaskInputError("give --key-file, or --public-key with --proof, not both");
        }
        const privateKey = fs.readFileSync(args.keyFile, "utf8").trim();
        if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey)) {
          throw new TaskInputError(`--key-file must hold a private key (0x + 64 hex digits)`);
        }
        const domain = await recordsDomain(records, hre.ethers.provider);
        ({ publicKey, proof } = encryptionKeyProof(privateKey, domain, signer.address));
      } else {
        if (args.publicKey === undefined || args.proof === undefined) {
          throw new TaskInputError("give --key-file, or --public-key with --proof");
        }
        if (!/^0x0[23][0-9a-fA-F]{64}$/.test(args.publicKey)) {
          throw new TaskInputError(`--public-key must be a compressed secp256k1 key (0x02/0x03 + 64 hex digits)`);
        }
        if (!/^0x[0-9a-fA-F]{130}$/.test(args.proof)) {
          throw new TaskInputError(`--proof must be a 65-byte signature (0x + 130 hex digits)`);
        }
        ({ publicKey, proof } = { publicKey: args.publicKey, proof: args.proof });
      }
      const r = await send(records.registerEncryptionKey, publicKey, proof);
      console.log(`encryption key ${publicKey} of ${signer.address} registered (tx ${r.hash})`);
    }),
  );

task(
  "records:log-disclosure",
  "A PROVIDER logs that it disclosed a record to a recipient for a purpose (the patient's accounting of disclosures)",
)
  .addParam("patient", "the patient: an address or account number")
  .addParam("recordId", "the record id (0x… 32 bytes)")
  .addParam("recipient", "who received it: an address or account number")
  .addParam("purpose", `one of ${Object.keys(Purpose).join(", ")}`)
  .addOptionalParam("address", "RecordAccess address (default: Ignition deployment)")
  .addOptionalParam("from", "the disclosing PROVIDER: an account number or address")
  .setAction(async (args: Common & { patient: string; recordId: string; recipient: string; purpose: string }, hre) =>
    run(hre, async () => {
      const { records } = await recordsAt(hre, args);
      const patient = await accountArg(hre, "patient", args.patient);
      const recipient = await accountArg(hre, "recipient", args.recipient);
      const purpose = namedArg(Purpose, "purpose", args.purpose);
      const recordId = bytes32Arg("record-id", args.recordId);
      const r = await send(records.logDisclosure, patient, recordId, recipient, purpose);
      console.log(`disclosure of ${recordId} to ${recipient} for ${args.purpose} logged (tx ${r.hash})`);
    }),
  );

/** A signed grant as a file: the typed message (numbers as strings) and the patient's signature. */
interface GrantFile {
  kind: "carechain.grant";
  chainId: string;
  verifyingContract: string;
  message: Record<string, string | number>;
  signature: string;
}

task(
  "records:sign-grant",
  "The patient (--from) signs a grant to a file, offline and without gas; anyone relays it with records:relay-grant",
)
  .addParam("grantee", "who gets access: an address or account number")
  .addParam("categories", CATEGORY_HELP)
  .addOptionalParam("purposes", `comma-separated purposes: ${Object.keys(Purpose).join(", ")}`, "Treatment")
  .addOptionalParam("actions", "comma-separated actions: Read, Append", "Read")
  .addOptionalParam("days", "validity in days from now", 30, types.int)
  .addOptionalParam("hours", "the signature must be relayed within this many hours", 24, types.int)
  .addParam("out", "the file to write")
  .addOptionalParam("address", "RecordAccess address (default: Ignition deployment)")
  .addOptionalParam("from", "the patient: an account number or address of this network (it signs)")
  .setAction(
    async (
      args: Common & {
        grantee: string;
        categories: string;
        purposes: string;
        actions: string;
        days: number;
        hours: number;
        out: string;
      },
      hre,
    ) =>
      run(hre, async () => {
        const { signGrant } = await import("../src/records");
        const { records, signer } = await recordsAt(hre, args);
        const grantee = await accountArg(hre, "grantee", args.grantee);
        if (!Number.isInteger(args.days) || args.days < 1) throw new TaskInputError("--days must be ≥ 1");
        if (!Number.isInteger(args.hours) || args.hours < 1) throw new TaskInputError("--hours must be ≥ 1");
        const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
        const message = {
          patient: signer.address,
          signer: signer.address,
          grantee,
          categories: maskArg(RecordCategory, "categories", args.categories),
          actions: maskArg({ Read: 0, Append: 1 }, "actions", args.actions),
          purposes: maskArg(Purpose, "purposes", args.purposes),
          validFrom: now,
          validUntil: now + BigInt(args.days) * 86400n,
          dataFrom: 0n,
          dataUntil: MAX_UINT40,
          nonce: await records.nonces(signer.address),
          deadline: now + BigInt(args.hours) * 3600n,
        };
        const chainId = (await hre.ethers.provider.getNetwork()).chainId;
        const verifyingContract = await records.getAddress();
        const signature = await signGrant(signer, { chainId, verifyingContract }, message);
        const { patient, signer: s, grantee: g, ...numbers } = message;
        const file: GrantFile = {
          kind: "carechain.grant",
          chainId: chainId.toString(),
          verifyingContract,
          message: {
            patient,
            signer: s,
            grantee: g,
            ...Object.fromEntries(Object.entries(numbers).map(([k, v]) => [k, v.toString()])),
          },
          signature,
        };
        fs.writeFileSync(args.out, JSON.stringify(file, null, 2) + "\n");
        console.log(
          `wrote ${args.out}: grant to ${grantee}, relay before ${new Date(Number(message.deadline) * 1000).toISOString()}`,
        );
      }),
  );

task("records:relay-grant", "Relays a grant a patient signed to a file (records:sign-grant); the relayer pays the gas")
  .addParam("file", "the signed grant file")
  .addOptionalParam("address", "RecordAccess address (default: the file's)")
  .addOptionalParam("from", "the relaying account: an account number or address")
  .setAction(async (args: Common & { file: string }, hre) =>
    run(hre, async () => {
      const { termsOf } = await import("../src/records");
      if (!fs.existsSync(args.file)) throw new TaskInputError(`no such file: ${args.file}`);
      let g: GrantFile;
      try {
        g = JSON.parse(fs.readFileSync(args.file, "utf8"));
      } catch (e) {
        throw new TaskInputError(`${args.file}: not JSON (${(e as Error).message})`);
      }
      if (g?.kind !== "carechain.grant" || !g.message || !g.signature) {
        throw new TaskInputError(`${args.file}: not a signed grant file (records:sign-grant writes them)`);
      }
      const chainId = (await hre.ethers.provider.getNetwork()).chainId;
      if (BigInt(g.chainId) !== chainId) {
        throw new TaskInputError(`${args.file} was signed for chain ${g.chainId}, this network is chain ${chainId}`);
      }
      const { records } = await recordsAt(hre, { ...args, address: args.address ?? g.verifyingContract });
      const m = g.message;
      const big = (k: string) => BigInt(m[k] as string);
      const terms = termsOf({
        categories: Number(m.categories),
        actions: Number(m.actions),
        purposes: Number(m.purposes),
        validFrom: big("validFrom"),
        validUntil: big("validUntil"),
        dataFrom: big("dataFrom"),
        dataUntil: big("dataUntil"),
      });
      const r = await send(records.grantBySig, m.patient, m.signer, m.grantee, terms, big("deadline"), g.signature);
      console.log(
        `granted ${m.grantee} access to ${m.patient}'s records (signed by the patient, relayed; tx ${r.hash})`,
      );
    }),
  );
