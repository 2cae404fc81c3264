/**
 * A real Safe (the @safe-global/safe-contracts 1.4.1 artifacts: Safe singleton behind a
 * SafeProxyFactory proxy, CompatibilityFallbackHandler, 2-of-3 owners) signs Carechain actions
 * through the SDK's Safe helper: a patient's grant and a trial participant's consent are accepted
 * with two owners' signatures, refused with one, and accepted through both on-chain routes
 * (owners' approveHash; a Safe transaction delegating to SignMessageLib).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, ContractFactory, Wallet, type Signer } from "ethers";
import { privateKeyToAccount } from "viem/accounts";
import { recordsFixture, defaultTerms } from "../../records/fixture";
import { recruitingTrialFixture } from "../../trials/fixture";
import { grantTypedData, recordsDomain, termsOf } from "../../../src/records";
import { buildConsent, consentTerms, readTrialsDomain } from "../../../src/trials";
import {
  SAFE_SIGNED_MESSAGE_SIGNATURE,
  type SafeAccount,
  safeApprovedHashSignature,
  safeMessageHash,
  safeMessageTypedData,
  safeSignMessageCall,
  safeSignature,
  safeTransaction,
  safeTransactionHash,
  safeTransactionTypedData,
  signAsSafe,
} from "../../../src/safe";
import { signTypedData, typedDataDigest, type TypedData } from "../../../src/signatures";
import {
  SignTypedDataVersion,
  signTypedData as metamaskSign,
  type MessageTypes,
  type TypedMessage,
} from "@metamask/eth-sig-util";

const ARTIFACTS = "@safe-global/safe-contracts/build/artifacts/contracts";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const artifact = (p: string) => require(`${ARTIFACTS}/${p}`) as { abi: unknown[]; bytecode: string };

async function deploy(p: string, deployer: Signer): Promise<Contract> {
  const a = artifact(p);
  const c = await new ContractFactory(a.abi as never, a.bytecode, deployer).deploy();
  await c.waitForDeployment();
  return c as Contract;
}

const OWNER_KEYS = ["alice", "bob", "carol"].map((n) => new Wallet(ethers.id(`safe owner ${n}`), ethers.provider));

/** A 2-of-3 Safe 1.4.1 proxy with the compatibility fallback handler, and SignMessageLib. */
async function deploySafe(): Promise<{ safe: Contract; account: SafeAccount; signMessageLib: Contract }> {
  const [deployer] = await ethers.getSigners();
  const singleton = await deploy("Safe.sol/Safe.json", deployer);
  const factory = await deploy("proxies/SafeProxyFactory.sol/SafeProxyFactory.json", deployer);
  const handler = await deploy("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json", deployer);
  const signMessageLib = await deploy("libraries/SignMessageLib.sol/SignMessageLib.json", deployer);
  const zero = ethers.ZeroAddress;
  const setup = singleton.interface.encodeFunctionData("setup", [
    OWNER_KEYS.map((o) => o.address),
    2,
    zero,
    "0x",
    await handler.getAddress(),
    zero,
    0,
    zero,
  ]);
  const address: string = await factory.createProxyWithNonce.staticCall(await singleton.getAddress(), setup, 0);
  await (await factory.createProxyWithNonce(await singleton.getAddress(), setup, 0)).wait();
  const safe = new Contract(address, artifact("Safe.sol/Safe.json").abi as never, deployer);
  for (const o of OWNER_KEYS) await setBalance(o.address, 10n ** 18n);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return { safe, account: { address, chainId }, signMessageLib };
}

async function recordsWithSafe() {
  const ctx = await recordsFixture();
  return { ...ctx, ...(await deploySafe()) };
}

async function trialsWithSafe() {
  const ctx = await recruitingTrialFixture();
  return { ...ctx, ...(await deploySafe()) };
}

/** A grant by the Safe as patient and signer. */
async function safeGrant(ctx: Awaited<ReturnType<typeof recordsWithSafe>>) {
  const patient = ctx.account.address;
  const message = {
    patient,
    signer: patient,
    grantee: ctx.specialist.address,
    ...(await defaultTerms()),
    nonce: await ctx.records.nonces(patient),
    deadline: BigInt(await time.latest()) + 3600n,
  };
  const data = grantTypedData(await recordsDomain(ctx.records, ethers.provider), message);
  const relay = (signature: string) =>
    ctx.records
      .connect(ctx.relayer)
      .grantBySig(patient, patient, ctx.specialist.address, termsOf(message), message.deadline, signature);
  return { data, message, relay };
}

describe("SDK signing: a Safe 1.4.1 (2-of-3) signs Carechain actions", function () {
  it("the Safe's own message hash agrees with the SDK's", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data } = await safeGrant(ctx);
    const digest = ethers.TypedDataEncoder.hash(
      { chainId: ctx.account.chainId, verifyingContract: ctx.account.address },
      { SafeMessage: [{ name: "message", type: "bytes" }] },
      { message: ethers.AbiCoder.defaultAbiCoder().encode(["bytes32"], [ethers.ZeroHash]) },
    );
    expect(digest).to.equal(safeMessageHash(ctx.account, ethers.ZeroHash));
    const handler = new Contract(
      ctx.account.address,
      artifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json").abi as never,
      ethers.provider,
    );
    expect(await handler.getMessageHash(typedDataDigest(data))).to.equal(safeMessageHash(ctx.account, data));
  });

  it("accepts a patient's grant signed by two of three owners", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data, message, relay } = await safeGrant(ctx);
    const signature = await signAsSafe([OWNER_KEYS[2], OWNER_KEYS[0]], ctx.account, data);
    await expect(relay(signature))
      .to.emit(ctx.records, "AccessGranted")
      .withArgs(ctx.account.address, ctx.specialist.address, ctx.account.address, Object.values(termsOf(message)), 0n);
  });

  it("accepts owners' signatures made with other wallets (viem, MetaMask eth-sig-util) in any order", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data, relay } = await safeGrant(ctx);
    const payload = JSON.parse(JSON.stringify(safeMessageTypedData(ctx.account, data))) as TypedData;
    const viemOwner = privateKeyToAccount(OWNER_KEYS[1].privateKey as `0x${string}`);
    const byViem = await viemOwner.signTypedData(payload as unknown as Parameters<typeof viemOwner.signTypedData>[0]);
    const byMetaMask = metamaskSign({
      privateKey: Buffer.from(OWNER_KEYS[2].privateKey.slice(2), "hex"),
      data: payload as unknown as TypedMessage<MessageTypes>,
      version: SignTypedDataVersion.V4,
    });
    const signature = safeSignature([
      { owner: OWNER_KEYS[2].address, signature: byMetaMask },
      { owner: viemOwner.address, signature: byViem },
    ]);
    await expect(relay(signature)).to.emit(ctx.records, "AccessGranted");
  });

  it("refuses a grant signed by one of three owners", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data, relay } = await safeGrant(ctx);
    const signature = await signAsSafe([OWNER_KEYS[1]], ctx.account, data);
    await expect(relay(signature))
      .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
      .withArgs(ctx.account.address);
  });

  it("refuses the owners' signatures of the raw digest (what the old docs told ERC-1271 signers to do)", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data, relay } = await safeGrant(ctx);
    const raw = safeSignature(
      await Promise.all(
        OWNER_KEYS.slice(0, 2).map(async (o) => ({ owner: o.address, signature: await signTypedData(o, data) })),
      ),
    );
    await expect(relay(raw))
      .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
      .withArgs(ctx.account.address);
  });

  it("accepts a grant approved on chain by two owners (approveHash)", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data, relay } = await safeGrant(ctx);
    const hash = safeMessageHash(ctx.account, data);
    // One approval is not enough.
    await (await (ctx.safe.connect(OWNER_KEYS[0]) as Contract).approveHash(hash)).wait();
    await expect(relay(safeApprovedHashSignature([OWNER_KEYS[0].address, OWNER_KEYS[1].address])))
      .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
      .withArgs(ctx.account.address);
    await (await (ctx.safe.connect(OWNER_KEYS[1]) as Contract).approveHash(hash)).wait();
    await expect(relay(safeApprovedHashSignature([OWNER_KEYS[1].address, OWNER_KEYS[0].address]))).to.emit(
      ctx.records,
      "AccessGranted",
    );
  });

  it("accepts a grant the Safe signed on chain through SignMessageLib (empty signature)", async function () {
    const ctx = await loadFixture(recordsWithSafe);
    const { data, relay } = await safeGrant(ctx);
    await expect(relay(SAFE_SIGNED_MESSAGE_SIGNATURE))
      .to.be.revertedWithCustomError(ctx.records, "SignatureInvalid")
      .withArgs(ctx.account.address);
    const call = safeSignMessageCall(await ctx.signMessageLib.getAddress(), data);
    const tx = safeTransaction(call, await ctx.safe.nonce());
    const txHash = safeTransactionHash(ctx.account, tx);
    expect(txHash).to.equal(
      await ctx.safe.getTransactionHash(
        tx.to,
        tx.value,
        tx.data,
        tx.operation,
        tx.safeTxGas,
        tx.baseGas,
        tx.gasPrice,
        tx.gasToken,
        tx.refundReceiver,
        tx.nonce,
      ),
    );
    const payload = safeTransactionTypedData(ctx.account, tx);
    const sigs = safeSignature(
      await Promise.all(
        [OWNER_KEYS[0], OWNER_KEYS[2]].map(async (o) => ({
          owner: o.address,
          signature: await signTypedData(o, payload),
        })),
      ),
    );
    await expect(
      ctx.safe.execTransaction(
        tx.to,
        tx.value,
        tx.data,
        tx.operation,
        tx.safeTxGas,
        tx.baseGas,
        tx.gasPrice,
        tx.gasToken,
        tx.refundReceiver,
        sigs,
      ),
    ).to.emit(ctx.safe, "ExecutionSuccess");
    await expect(relay(SAFE_SIGNED_MESSAGE_SIGNATURE)).to.emit(ctx.records, "AccessGranted");
  });

  it("accepts a trial consent signed by two of three owners, refuses one", async function () {
    const ctx = await loadFixture(trialsWithSafe);
    const t = await ctx.trials.trial(ctx.trialId);
    const terms = consentTerms({
      trialId: ctx.trialId,
      participant: ctx.account.address,
      protocolVersion: Number(t.protocolVersion),
      consentFormHash: (await ctx.trials.amendment(ctx.trialId, Number(t.protocolVersion))).consentFormHash,
      scope: 1,
      categories: 1,
      futureContact: false,
      deadline: BigInt(await time.latest()) + 3600n,
    });
    const data = buildConsent(
      await readTrialsDomain(ctx.trials, ethers.provider),
      terms,
      await ctx.trials.nonces(ctx.account.address),
    );
    const one = await signAsSafe([OWNER_KEYS[0]], ctx.account, data);
    await expect(ctx.trials.connect(ctx.site).consentBySig(terms, one))
      .to.be.revertedWithCustomError(ctx.trials, "SignatureInvalid")
      .withArgs(ctx.account.address);
    const two = await signAsSafe([OWNER_KEYS[0], OWNER_KEYS[1]], ctx.account, data);
    await expect(ctx.trials.connect(ctx.site).consentBySig(terms, two)).to.emit(ctx.trials, "ConsentSigned");
  });
});
