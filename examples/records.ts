/**
 * Example (b): a patient grants a provider access to their lab results by an EIP-712 signature.
 * The patient's wallet is a viem wallet client (no ether needed: it only signs); a relayer submits
 * the signature with ethers; the provider then checks its access on chain.
 *
 *   npm run examples -- records
 */
import assert from "node:assert/strict";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { id, keccak256, toUtf8Bytes } from "ethers";
import {
  AccessReason,
  Action,
  MAX_UINT40,
  Purpose,
  RecordCategory,
  categoryMask,
  connect,
  describe,
  newSalt,
  parseGLN,
  prepareAction,
  purposeMask,
  recordIdOf,
  withCheckDigit,
  type GrantMessage,
} from "carechain";
import { REGISTRAR, runExample } from "./lib/devnet";

runExample("records", async ({ deployment, wallets, privateKeys, provider, url }) => {
  const [registrar, hospital, specialist, relayer] = [REGISTRAR, 6, 7, 10].map((i) => wallets[i]);
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);

  // The patient's wallet: viem, with a local account (in a dapp: the browser wallet's account).
  const patientAccount = privateKeyToAccount(privateKeys[16] as `0x${string}`);
  const patientWallet = createWalletClient({ account: patientAccount, transport: http(url) });
  const patient = patientAccount.address;

  // The registrar admits the hospital (the record's custodian) and the specialist as providers.
  const operator = connect(deployment, registrar);
  for (const [member, n] of [
    [hospital, 11],
    [specialist, 12],
  ] as const) {
    await operator.registry.admit(
      member.address,
      parseGLN(withCheckDigit(`9506000000${n}`)),
      id(`profile of member ${n}`),
    );
    await operator.registry.grantRole("PROVIDER", member.address);
  }

  // The hospital registers a pointer to the patient's (encrypted, off-chain) lab report: a salted
  // record id and the hash of the ciphertext — no health information goes on chain.
  const recordId = recordIdOf(newSalt(), "lab-report-2026-0042");
  const contentHash = keccak256(toUtf8Bytes("<the AES-GCM envelope of the report, kept by the hospital>"));
  await (
    await connect(deployment, hospital).contracts.records.registerRecord(
      patient,
      recordId,
      RecordCategory.Labs,
      contentHash,
      now - 60n,
    )
  ).wait();

  // 1. The dapp prepares the grant: domain (ERC-5267) and the patient's nonce are read from the contract.
  const records = connect(deployment, relayer).records;
  const grant: Omit<GrantMessage, "nonce"> = {
    patient,
    signer: patient,
    grantee: specialist.address,
    categories: categoryMask(["Labs"]),
    actions: Action.Read,
    purposes: purposeMask(["Treatment"]),
    validFrom: now,
    validUntil: now + 30n * 86_400n,
    dataFrom: 0n,
    dataUntil: MAX_UINT40,
    deadline: now + 3_600n,
  };
  const data = await prepareAction(records.contract, "Grant", grant);

  // 2. What the patient reads before signing, in plain language.
  const sentence = describe(data, { names: { [patient]: "you", [specialist.address]: "Dr Rivera" } });
  console.log(`  ${sentence}`);
  assert.match(sentence, /lab results/);

  // 3. The patient signs with viem; the payload is plain JSON (what eth_signTypedData_v4 carries).
  const signature = await patientWallet.signTypedData({
    account: patientAccount,
    domain: data.domain,
    types: data.types,
    primaryType: data.primaryType,
    message: data.message,
  });

  // 4. A relayer (anyone with ether) submits the signed grant.
  const receipt = await records.relayGrant(grant, signature);
  assert.equal(receipt.status, 1);

  // 5. The specialist checks its access to the record, for treatment — and for research (not granted).
  const asSpecialist = connect(deployment, specialist).contracts.records;
  const [allowed, reason] = await asSpecialist.canAccess(patient, specialist.address, recordId, Purpose.Treatment);
  assert.equal(allowed, true);
  assert.equal(Number(reason), AccessReason.Granted);
  const [research] = await asSpecialist.canAccess(patient, specialist.address, recordId, Purpose.Research);
  assert.equal(research, false);
  console.log(
    `  ${specialist.address} may read record ${recordId.slice(0, 10)}… for treatment (${AccessReason[Number(reason)]})`,
  );

  // The same signature cannot be relayed twice (its nonce is used).
  await assert.rejects(records.relayGrant(grant, signature));
});
