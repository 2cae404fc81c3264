/**
 * The PHI canary (issue 6): recognisable fake health data — a patient's name, a diagnosis, a
 * national id, and the whole document they make — goes through the SDK's full record flow
 * (runRecordFlow of test/e2e/steps/records.ts: sealed envelope, salted record id, registerRecord,
 * a grant signed by the patient and relayed, the data key wrapped to the grantee's registered
 * key, logDisclosure, the grantee's decryption; then the patient's relayed revokeAll). Then EVERY
 * transaction's calldata and EVERY event log (topics and data) of EVERY block of the chain is
 * scanned for the data: its UTF-8 bytes (also trimmed, lower- and upper-cased, digits only for the
 * national id), its hex and base64 spellings, and the unsalted keccak256 and SHA-256 of each of
 * those variants. None may appear. The record's data key and the grantee's encryption private key
 * must not appear either.
 *
 * The test proves it is not vacuous: the scan must have seen every transaction of the flow and
 * exactly the events the flow emits (cross-checked against eth_getLogs), and the detector must
 * catch a deliberate leak — every needle planted at an arbitrary offset of synthetic calldata and
 * logs, and a real transaction carrying the name to a throwaway address, in a snapshot rolled back
 * afterwards.
 *
 * It runs on the in-process Hardhat network (the JSON-RPC path is the same SDK code, covered by
 * the records E2E step); skipped under coverage like the other e2e tests.
 */
import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { loadFixture, takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { getBytes, hexlify, keccak256, randomBytes, sha256, toUtf8Bytes, toUtf8String, Wallet } from "ethers";
import { underCoverage } from "../helpers/node";
import { deployConsortiumFixture } from "../helpers/fixtures";
import {
  AccessReason,
  GatewayRequestError,
  RecordsGatewayClient,
  encryptionKeyProof,
  recordsDomain,
} from "../../src/records";
import { startGateway } from "../../services/gateway/src/server";
import { RecordStore, openDatabase } from "../../services/gateway/src/store";
import { defaultTerms } from "../records/fixture";
import type { RecordAccess } from "../../typechain-types";
import { relayRevokeAll, runRecordFlow, type RecordFlowResult } from "./steps/records";

/** The canary: fake, but unmistakable. 078-05-1120 is the famous specimen SSN (void since 1943). */
const CANARY = {
  name: "Jane Q. Canary",
  diagnosis: "F32.1 major depressive disorder, moderate — canary",
  nationalId: "078-05-1120",
} as const;
/** The custodian's own document id: identifying (it embeds the national id); only its salted hash may go on chain. */
const LOCAL_ID = `mrn/${CANARY.nationalId}/note-1`;
/** The clinical note as the custodian holds it. */
const DOCUMENT = JSON.stringify({
  resourceType: "Condition",
  subject: { display: CANARY.name, identifier: { system: "urn:oid:2.16.840.1.113883.4.1", value: CANARY.nationalId } },
  code: { text: CANARY.diagnosis },
});

/** One byte string that must not appear on chain, and what it is. */
export interface Needle {
  label: string;
  /** Lower-case hex without 0x. */
  hex: string;
}

/** Where a needle was found. */
export interface Finding {
  needle: string;
  where: string;
}

function hexOf(bytes: Uint8Array): string {
  return hexlify(bytes).slice(2).toLowerCase();
}

/**
 * The needles of one value: its spellings (as is, trimmed, lower-case, upper-case, plus `extra`
 * variants), each as UTF-8 bytes, as the ASCII of its hex (with and without 0x) and of its base64,
 * and the unsalted keccak256 and SHA-256 of its UTF-8 bytes.
 */
export function needlesOf(label: string, value: string, extra: readonly string[] = []): Needle[] {
  const variants = [...new Set([value, value.trim(), value.toLowerCase(), value.toUpperCase(), ...extra])];
  const needles: Needle[] = [];
  for (const variant of variants) {
    const utf8 = toUtf8Bytes(variant);
    const tag = `${label} ${JSON.stringify(variant)}`;
    needles.push({ label: `${tag} utf8`, hex: hexOf(utf8) });
    needles.push({ label: `${tag} as hex text`, hex: hexOf(toUtf8Bytes(hexOf(utf8))) });
    needles.push({ label: `${tag} as 0x-hex text`, hex: hexOf(toUtf8Bytes(hexlify(utf8))) });
    needles.push({ label: `${tag} as base64 text`, hex: hexOf(toUtf8Bytes(Buffer.from(utf8).toString("base64"))) });
    needles.push({ label: `keccak256(${tag})`, hex: keccak256(utf8).slice(2) });
    needles.push({ label: `sha256(${tag})`, hex: sha256(utf8).slice(2) });
  }
  return needles;
}

/** Every needle of the canary. */
function canaryNeedles(secrets?: RecordFlowResult["secrets"]): Needle[] {
  const needles = [
    ...needlesOf("name", CANARY.name),
    ...needlesOf("diagnosis", CANARY.diagnosis, ["F32.1", "major depressive disorder, moderate"]),
    ...needlesOf("national id", CANARY.nationalId, [CANARY.nationalId.replace(/-/g, "")]),
    ...needlesOf("local document id", LOCAL_ID),
    ...needlesOf("document", DOCUMENT),
  ];
  if (secrets) {
    needles.push({ label: "the record's data key", hex: hexOf(secrets.dataKey) });
    needles.push({
      label: "the grantee's encryption private key",
      hex: secrets.encryptionPrivateKey.slice(2).toLowerCase(),
    });
  }
  return needles;
}

/** The needles found in `data` (0x-hex), at byte-aligned offsets. */
export function findNeedles(data: string, needles: readonly Needle[], where: string): Finding[] {
  const hay = data.toLowerCase().replace(/^0x/, "");
  const found: Finding[] = [];
  for (const needle of needles) {
    for (let at = hay.indexOf(needle.hex); at !== -1; at = hay.indexOf(needle.hex, at + 1)) {
      if (at % 2 === 0) {
        found.push({ needle: needle.label, where });
        break;
      }
    }
  }
  return found;
}

interface RpcTransaction {
  hash: string;
  input: string;
}
interface RpcLog {
  topics: string[];
  data: string;
  transactionHash: string;
}

/** What a scan of the whole chain saw. */
interface ChainScan {
  blocks: number;
  transactions: string[];
  /** Logs by transaction hash. */
  logsByTransaction: Map<string, RpcLog[]>;
  logCount: number;
  findings: Finding[];
}

/** Scans every transaction's calldata and every log of blocks 0..latest for `needles`. */
async function scanChain(needles: readonly Needle[]): Promise<ChainScan> {
  const latest = Number(await network.provider.send("eth_blockNumber", []));
  const scan: ChainScan = { blocks: 0, transactions: [], logsByTransaction: new Map(), logCount: 0, findings: [] };
  for (let n = 0; n <= latest; n++) {
    const block = (await network.provider.send("eth_getBlockByNumber", [ethers.toQuantity(n), true])) as {
      transactions: RpcTransaction[];
    };
    scan.blocks++;
    for (const tx of block.transactions) {
      scan.transactions.push(tx.hash);
      scan.findings.push(...findNeedles(tx.input, needles, `calldata of ${tx.hash} (block ${n})`));
      const receipt = (await network.provider.send("eth_getTransactionReceipt", [tx.hash])) as { logs: RpcLog[] };
      scan.logsByTransaction.set(tx.hash, receipt.logs);
      receipt.logs.forEach((log, i) => {
        scan.logCount++;
        const where = `log ${i} of ${tx.hash} (block ${n})`;
        log.topics.forEach((topic, t) => scan.findings.push(...findNeedles(topic, needles, `${where} topic ${t}`)));
        scan.findings.push(...findNeedles(log.data, needles, `${where} data`));
      });
    }
  }
  return scan;
}

describe("e2e: PHI canary — no health data on chain, in clear or unsalted hash", function () {
  before(function () {
    if (underCoverage(hre)) this.skip();
  });

  async function canaryFixture() {
    const env = await deployConsortiumFixture();
    const records = env.deployed.records as unknown as RecordAccess;
    const [patient, , relayer] = env.others;
    const firstBlock = (await ethers.provider.getBlockNumber()) + 1;
    const flow = await runRecordFlow(
      records,
      { hospital: env.hospital, specialist: env.specialist, patient, relayer },
      DOCUMENT,
      LOCAL_ID,
    );
    const revokeAll = await relayRevokeAll(records, patient, relayer);
    return { env, records, patient, flow, revokeAll, firstBlock };
  }

  it("runs the SDK's whole record flow on the canary: the grantee reads it, access then ends", async function () {
    const { env, records, patient, flow } = await loadFixture(canaryFixture);
    expect(flow.accessAfterGrant).to.deep.equal({ allowed: true, reason: AccessReason.Granted });
    expect(toUtf8String(flow.opened)).to.equal(DOCUMENT);
    const [allowed, reason] = await records.canAccess(patient.address, env.specialist.address, flow.recordId, 0);
    expect([allowed, Number(reason)]).to.deep.equal([false, AccessReason.Revoked]);
    // The envelope kept off chain is ciphertext: even it does not carry the canary.
    expect(findNeedles(hexlify(flow.envelope), canaryNeedles(), "envelope")).to.deep.equal([]);
  });

  it("finds neither the canary nor its unsalted hash in any calldata or event log of any block", async function () {
    const { flow, revokeAll, firstBlock } = await loadFixture(canaryFixture);
    const needles = canaryNeedles(flow.secrets);
    const scan = await scanChain(needles);
    expect(scan.findings).to.deep.equal([]);

    // Not vacuous: the scan saw the whole chain, every transaction of the flow and its events.
    const latest = await ethers.provider.getBlockNumber();
    expect(scan.blocks).to.equal(latest + 1);
    const flowTransactions = [...flow.transactions, revokeAll.hash];
    expect(flowTransactions).to.have.length(5);
    const sinceFlow: string[] = [];
    for (let n = firstBlock; n <= latest; n++) {
      sinceFlow.push(...((await ethers.provider.getBlock(n))?.transactions ?? []));
    }
    expect(sinceFlow, "the flow's transactions, and only them, since the flow began").to.deep.equal(flowTransactions);
    expect(flowTransactions.every((hash) => scan.transactions.includes(hash))).to.equal(true);
    // registerEncryptionKey, registerRecord, grantBySig, logDisclosure, revokeAllBySig: one event each.
    expect(flowTransactions.map((hash) => scan.logsByTransaction.get(hash)?.length)).to.deep.equal([1, 1, 1, 1, 1]);
    const allLogs = (await network.provider.send("eth_getLogs", [
      { fromBlock: "0x0", toBlock: ethers.toQuantity(latest) },
    ])) as RpcLog[];
    expect(scan.logCount, "receipts and eth_getLogs agree").to.equal(allLogs.length);
    expect(scan.transactions.length).to.be.greaterThan(flowTransactions.length); // the deployment and admissions too
    for (const label of ["name", "diagnosis", "national id", "local document id", "document"]) {
      for (const kind of ["keccak256", "sha256"]) {
        expect(
          needles.filter((n) => n.label.startsWith(`${kind}(${label} `)),
          `${kind} of ${label}`,
        ).to.have.length.above(1);
      }
      expect(
        needles.filter((n) => n.label.startsWith(`${label} `)),
        `spellings of ${label}`,
      ).to.have.length.above(3);
    }
  });

  describe("the detector (positive controls)", function () {
    it("finds every needle planted at any byte offset of calldata, a topic or log data", function () {
      const needles = canaryNeedles({ dataKey: randomBytes(32), encryptionPrivateKey: hexlify(randomBytes(32)) });
      needles.forEach((needle, i) => {
        const offset = i % 37;
        const data = hexlify(
          new Uint8Array([...randomBytes(offset), ...getBytes("0x" + needle.hex), ...randomBytes(5)]),
        );
        expect(findNeedles(data, [needle], "synthetic"), needle.label).to.deep.equal([
          { needle: needle.label, where: "synthetic" },
        ]);
        // Upper-case hex spellings of the same bytes are found too.
        expect(findNeedles(data.toUpperCase().replace(/^0X/, "0x"), [needle], "synthetic")).to.have.length(1);
      });
      // A topic that is the unsalted hash of the lower-cased name, and log data carrying SHA-256 of the national id.
      const topic = keccak256(toUtf8Bytes(CANARY.name.toLowerCase()));
      const logData = "0x" + "00".repeat(12) + sha256(toUtf8Bytes(CANARY.nationalId)).slice(2);
      expect(findNeedles(topic, needles, "topic").map((f) => f.needle)).to.deep.equal([
        `keccak256(name ${JSON.stringify(CANARY.name.toLowerCase())})`,
      ]);
      expect(findNeedles(logData, needles, "data").map((f) => f.needle)).to.deep.equal([
        `sha256(national id ${JSON.stringify(CANARY.nationalId)})`,
      ]);
    });

    it("does not report a needle that straddles bytes (odd hex offset)", function () {
      const [needle] = needlesOf("name", CANARY.name);
      expect(findNeedles("0x0" + needle.hex + "0", [needle], "misaligned")).to.deep.equal([]);
    });

    it("catches a real transaction that leaks the canary in its calldata", async function () {
      const { env } = await loadFixture(canaryFixture);
      const leaker = env.others[3];
      const snapshot = await takeSnapshot();
      try {
        const throwaway = Wallet.createRandom().address;
        const tx = await leaker.sendTransaction({
          to: throwaway,
          data: hexlify(toUtf8Bytes(`patient ${CANARY.name}`)),
        });
        await tx.wait();
        const scan = await scanChain(canaryNeedles());
        expect(scan.findings).to.deep.equal([
          {
            needle: `name ${JSON.stringify(CANARY.name)} utf8`,
            where: `calldata of ${tx.hash} (block ${tx.blockNumber})`,
          },
        ]);
      } finally {
        await snapshot.restore();
      }
    });
  });
  describe("the record gateway (services/gateway)", function () {
    /** The canary through a gateway: upload, a grantee's read, refusals, a malformed upload, an update. */
    async function gatewayFixture() {
      const env = await deployConsortiumFixture();
      const records = env.deployed.records as unknown as RecordAccess;
      const [patient, stranger] = env.others;
      const lines: string[] = [];
      const errors: string[] = [];
      const store = new RecordStore(await openDatabase({}));
      await store.init();
      const gateway = await startGateway({
        store,
        custodian: env.hospital,
        recordAccess: await records.getAddress(),
        encryptionPrivateKey: ethers.id("canary: gateway key"),
        log: (l) => lines.push(l),
      });
      const encryptionPrivateKey = hexlify(randomBytes(32));
      try {
        const keyProof = encryptionKeyProof(
          encryptionPrivateKey,
          await recordsDomain(records, ethers.provider),
          env.specialist.address,
        );
        await records.connect(env.specialist).registerEncryptionKey(keyProof.publicKey, keyProof.proof);
        const hospital = await RecordsGatewayClient.connect(gateway.url, env.hospital);
        const specialist = await RecordsGatewayClient.connect(gateway.url, env.specialist, { encryptionPrivateKey });
        const outsider = await RecordsGatewayClient.connect(gateway.url, stranger);
        const keep = (e: unknown) => {
          errors.push(e instanceof GatewayRequestError ? `${e.code} ${e.message}` : String(e));
        };
        const resource = JSON.parse(DOCUMENT) as Record<string, unknown>;
        // Malformed: the canary in a misspelt property and an invalid value; refused, and not repeated.
        await hospital
          .upload({
            patient: patient.address,
            localId: LOCAL_ID,
            category: "MentalHealth",
            resource: { ...resource, clinicalStatus: CANARY.diagnosis, [CANARY.name]: CANARY.nationalId },
          })
          .catch(keep);
        const stored = await hospital.upload({
          patient: patient.address,
          localId: LOCAL_ID,
          category: "MentalHealth",
          resource,
        });
        await outsider.request({ patient: patient.address, recordId: stored.recordId, purpose: 0 }).catch(keep);
        await records
          .connect(patient)
          .grant(patient.address, env.specialist.address, await defaultTerms({ categories: 1 << 5 }));
        const { resource: read } = await specialist.read({
          patient: patient.address,
          recordId: stored.recordId,
          purpose: 0,
        });
        await hospital
          .update({
            patient: patient.address,
            recordId: stored.recordId,
            resource: { ...resource, note: [{ text: CANARY.diagnosis }] },
          })
          .catch(keep);
        await hospital
          .update({
            patient: patient.address,
            recordId: stored.recordId,
            resource: { ...resource, status: CANARY.name },
          })
          .catch(keep);
        return { read, lines, errors, encryptionPrivateKey };
      } finally {
        await gateway.close();
        await store.close();
      }
    }

    it("no plaintext of the record in any log line, error message, chain transaction or event", async function () {
      const { read, lines, errors, encryptionPrivateKey } = await loadFixture(gatewayFixture);
      expect(JSON.stringify(read)).to.equal(DOCUMENT); // the grantee did read it, through the gateway
      expect(errors.length, "the refusals happened").to.equal(3);
      expect(lines.length).to.be.greaterThan(5);
      const needles = canaryNeedles();
      const texts = [...lines.map((l, i) => [`log line ${i}`, l]), ...errors.map((e, i) => [`error ${i}`, e])];
      const findings = texts.flatMap(([where, text]) => findNeedles(hexlify(toUtf8Bytes(text)), needles, where));
      expect(findings).to.deep.equal([]);
      const scan = await scanChain([...needles, { label: "grantee key", hex: encryptionPrivateKey.slice(2) }]);
      expect(scan.findings).to.deep.equal([]);
      // Not vacuous: the same detector finds the canary in a message that carries it.
      expect(findNeedles(hexlify(toUtf8Bytes(`x ${CANARY.name} y`)), needles, "control")).to.have.length.above(0);
    });
  });
});
