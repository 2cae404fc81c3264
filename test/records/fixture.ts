import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer } from "ethers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import type { RecordAccess } from "../../typechain-types";
import {
  GrantTerms,
  MAX_UINT40,
  RecordCategory,
  RecordsDomain,
  categoryMask,
  purposeMask,
  recordIdOf,
  Action,
  encryptionKeyProof,
  recordsDomain,
} from "../../src/records";

export const DAY = 24n * 3600n;

/** A deterministic salted record id for tests. */
export function testRecordId(n: number): string {
  return recordIdOf(ethers.id(`salt-${n}`), `doc-${n}`);
}

/**
 * The consortium with RecordAccess deployed through the root Ignition module, and three records of
 * `patient` registered by `hospital`: labs (10 days ago), imaging (5 days ago), mental health (1 day ago).
 * `others`: patient, patient2, relayer, family (non-member), guardian, stranger.
 */
export async function recordsFixture() {
  const base = await deployConsortiumFixture();
  const records = base.deployed.records as unknown as RecordAccess;
  const [patient, patient2, relayer, family, guardian, stranger] = base.others;
  const now = BigInt(await time.latest());
  const labs = { id: testRecordId(1), category: RecordCategory.Labs, date: now - 10n * DAY, hash: ethers.id("ct-1") };
  const imaging = {
    id: testRecordId(2),
    category: RecordCategory.Imaging,
    date: now - 5n * DAY,
    hash: ethers.id("ct-2"),
  };
  const mental = {
    id: testRecordId(3),
    category: RecordCategory.MentalHealth,
    date: now - 1n * DAY,
    hash: ethers.id("ct-3"),
  };
  for (const r of [labs, imaging, mental]) {
    await records.connect(base.hospital).registerRecord(patient.address, r.id, r.category, r.hash, r.date);
  }
  const domain: RecordsDomain = {
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await records.getAddress(),
  };
  return { ...base, records, patient, patient2, relayer, family, guardian, stranger, labs, imaging, mental, domain };
}

/** Labs and imaging, read, treatment, from now for 30 days, every record date. */
export async function defaultTerms(overrides: Partial<GrantTerms> = {}): Promise<GrantTerms> {
  const now = BigInt(await time.latest());
  return {
    categories: categoryMask(["Labs", "Imaging"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: now,
    validUntil: now + 30n * DAY,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
    ...overrides,
  };
}

/** A signer's current nonce and a deadline an hour ahead. */
export async function signedFields(
  records: RecordAccess,
  signer: string,
): Promise<{ nonce: bigint; deadline: bigint }> {
  return { nonce: await records.nonces(signer), deadline: BigInt(await time.latest()) + 3600n };
}

/** Deploys an ERC-1271 smart-wallet patient owned by `owner`. */
export async function smartWalletOf(owner: HardhatEthersSigner | Signer) {
  const wallet = await ethers.deployContract("ERC1271WalletMock", [await owner.getAddress()]);
  return wallet;
}

/**
 * `who` registers the encryption key of `encryptionPrivateKey` with its proof of possession (SDK:
 * encryptionKeyProof) and waits for the receipt.
 */
export async function registerEncryptionKeyOf(
  records: RecordAccess,
  who: HardhatEthersSigner | Signer,
  encryptionPrivateKey: string,
): Promise<void> {
  const domain = await recordsDomain(records, ethers.provider);
  const { publicKey, proof } = encryptionKeyProof(encryptionPrivateKey, domain, await who.getAddress());
  await (await records.connect(who).registerEncryptionKey(publicKey, proof)).wait();
}
