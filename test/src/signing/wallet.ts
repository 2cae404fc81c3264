/**
 * Wallet-ready typed data: the payload the SDK builds is signed by third-party signers (MetaMask's
 * eth-sig-util V4, viem, ethers, and a node's `eth_signTypedData_v4`) and every signature is
 * accepted by the contract, in the domain read from the contract (ERC-5267).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet } from "ethers";
import {
  SignTypedDataVersion,
  signTypedData as metamaskSign,
  type MessageTypes,
  type TypedMessage,
} from "@metamask/eth-sig-util";
import { privateKeyToAccount } from "viem/accounts";
import { recordsFixture, defaultTerms } from "../../records/fixture";
import { recruitingTrialFixture } from "../../trials/fixture";
import { grantTypedData, recordsDomain, termsOf, type GrantMessage, RECORDS_DOMAIN_NAME } from "../../../src/records";
import { buildConsent, consentTerms, readTrialsDomain } from "../../../src/trials";
import {
  type TypedData,
  readDomain,
  signTypedData,
  signTypedDataV4,
  toEthersTypedData,
  typedDataDigest,
} from "../../../src/signatures";

/** A fixed key per test signer (not a hardhat account: third-party libraries sign with the raw key). */
function keyOf(label: string): Wallet {
  return new Wallet(ethers.id(`wallet-ready typed data: ${label}`));
}

/** Signs with viem's local account (viem's own EIP-712 encoder). */
function viemSign(privateKey: string, data: TypedData): Promise<string> {
  const account = privateKeyToAccount(privateKey as `0x${string}`);
  return account.signTypedData(data as unknown as Parameters<typeof account.signTypedData>[0]);
}

async function grantFor(ctx: Awaited<ReturnType<typeof recordsFixture>>, patient: string) {
  const domain = await recordsDomain(ctx.records, ethers.provider);
  const message: GrantMessage = {
    patient,
    signer: patient,
    grantee: ctx.specialist.address,
    ...(await defaultTerms()),
    nonce: await ctx.records.nonces(patient),
    deadline: BigInt(await time.latest()) + 3600n,
  };
  return { message, data: grantTypedData(domain, message) };
}

describe("SDK signing: wallet-ready typed data", function () {
  it("reads the domain from the contract (ERC-5267)", async function () {
    const ctx = await loadFixture(recordsFixture);
    const domain = await readDomain(ctx.records, ethers.provider);
    expect(domain).to.deep.equal({
      name: RECORDS_DOMAIN_NAME,
      version: "1",
      chainId: (await ethers.provider.getNetwork()).chainId,
      verifyingContract: await ctx.records.getAddress(),
    });
    const t = await loadFixture(recruitingTrialFixture);
    expect((await readTrialsDomain(t.trials, ethers.provider)).name).to.equal("Carechain Trials");
  });

  it("builds a JSON payload with EIP712Domain and no bigint", async function () {
    const ctx = await loadFixture(recordsFixture);
    const { data, message } = await grantFor(ctx, keyOf("json").address);
    const json = JSON.parse(JSON.stringify(data)) as TypedData;
    expect(json).to.deep.equal(data);
    expect(json.primaryType).to.equal("Grant");
    expect(json.types.EIP712Domain.map((f) => f.name)).to.deep.equal([
      "name",
      "version",
      "chainId",
      "verifyingContract",
    ]);
    expect(json.domain.chainId).to.equal(Number((await ethers.provider.getNetwork()).chainId));
    expect(json.message.deadline).to.equal(message.deadline.toString());
    expect(json.message.validUntil).to.equal(message.validUntil.toString());
    // The digest of the JSON payload is the contract's.
    expect(typedDataDigest(json)).to.equal(
      ethers.TypedDataEncoder.hash(toEthersTypedData(data).domain, toEthersTypedData(data).types, message),
    );
  });

  const signers: { name: string; sign(key: Wallet, data: TypedData): Promise<string> }[] = [
    {
      name: "MetaMask eth-sig-util (V4)",
      sign: async (key, data) =>
        metamaskSign({
          privateKey: Buffer.from(key.privateKey.slice(2), "hex"),
          data: JSON.parse(JSON.stringify(data)) as TypedMessage<MessageTypes>,
          version: SignTypedDataVersion.V4,
        }),
    },
    { name: "viem privateKeyToAccount().signTypedData", sign: (key, data) => viemSign(key.privateKey, data) },
    { name: "ethers (SDK signTypedData)", sign: (key, data) => signTypedData(key, data) },
  ];

  for (const s of signers) {
    it(`a grant signed with ${s.name} is accepted by RecordAccess`, async function () {
      const ctx = await loadFixture(recordsFixture);
      const key = keyOf(s.name);
      const { data, message } = await grantFor(ctx, key.address);
      const signature = await s.sign(key, JSON.parse(JSON.stringify(data)) as TypedData);
      await expect(
        ctx.records
          .connect(ctx.relayer)
          .grantBySig(key.address, key.address, ctx.specialist.address, termsOf(message), message.deadline, signature),
      )
        .to.emit(ctx.records, "AccessGranted")
        .withArgs(key.address, ctx.specialist.address, key.address, Object.values(termsOf(message)), 0n);
    });
  }

  it("a grant signed over eth_signTypedData_v4 on the node is accepted by RecordAccess", async function () {
    const ctx = await loadFixture(recordsFixture);
    const patient = ctx.patient.address;
    const { data, message } = await grantFor(ctx, patient);
    const signature = await signTypedDataV4(network.provider, patient, data);
    await expect(
      ctx.records
        .connect(ctx.relayer)
        .grantBySig(patient, patient, ctx.specialist.address, termsOf(message), message.deadline, signature),
    ).to.emit(ctx.records, "AccessGranted");
  });

  it("a trial consent signed with viem, eth-sig-util and eth_signTypedData_v4 is accepted by ClinicalTrials", async function () {
    const ctx = await loadFixture(recruitingTrialFixture);
    const domain = await readTrialsDomain(ctx.trials, ethers.provider);
    const deadline = BigInt(await time.latest()) + 3600n;
    const t = await ctx.trials.trial(ctx.trialId);
    const form = (await ctx.trials.amendment(ctx.trialId, Number(t.protocolVersion))).consentFormHash;
    const build = async (participant: string) => {
      const terms = consentTerms({
        trialId: ctx.trialId,
        participant,
        protocolVersion: Number(t.protocolVersion),
        consentFormHash: form,
        scope: 1,
        categories: 1,
        futureContact: false,
        deadline,
      });
      return { terms, data: buildConsent(domain, terms, await ctx.trials.nonces(participant)) };
    };
    const viemKey = keyOf("consent viem");
    const mmKey = keyOf("consent metamask");
    const node = ctx.participants[0].address;
    const cases: [string, (d: TypedData) => Promise<string>][] = [
      [viemKey.address, (d) => viemSign(viemKey.privateKey, d)],
      [mmKey.address, (d) => signers[0].sign(mmKey, d)],
      [node, (d) => signTypedDataV4(network.provider, node, d)],
    ];
    for (const [participant, sign] of cases) {
      const { terms, data } = await build(participant);
      const signature = await sign(JSON.parse(JSON.stringify(data)) as TypedData);
      await expect(ctx.trials.connect(ctx.site).consentBySig(terms, signature)).to.emit(ctx.trials, "ConsentSigned");
    }
  });
});
