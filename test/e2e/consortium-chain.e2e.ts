/**
 * A consortium chain rehearsed on one machine (issue 5): a hardhat node shaped like Besu QBFT
 * with free gas (chain id 1337, base fee 0 — scripts/consortium-node.config.ts) and Carechain
 * deployed through the project's `besu` network, configured only by configuration variables
 * (HARDHAT_VAR_BESU_URL, _CHAIN_ID, _PRIVATE_KEYS, _GAS_PRICE), from a key that holds no ether.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet, id } from "ethers";
import hre from "hardhat";
import { PROJECT_ROOT, rpc, runHardhat, startNode, underCoverage, type RunningNode } from "../helpers/node";
import { parseGLN, withCheckDigit, Role } from "../../src";
import { loadDeployment } from "../../src/node";
import { MemberRegistry__factory } from "../../typechain-types";

describe("e2e: consortium chain (chain id 1337, zero base fee, zero-balance deployer)", function () {
  let node: RunningNode | undefined;
  let provider: JsonRpcProvider;
  let tmp: string;
  const deploymentId = `e2e-besu-${process.pid}-${Date.now()}`;
  const deploymentDir = path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId);
  // The operator's key: fresh, never funded.
  const operator = Wallet.createRandom();
  const governance = Wallet.createRandom();

  before(async function () {
    if (underCoverage(hre)) this.skip();
    node = await startNode({ config: path.join("scripts", "consortium-node.config.ts") });
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-besu-"));
  });

  after(async function () {
    provider?.destroy();
    fs.rmSync(deploymentDir, { recursive: true, force: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    await node?.stop();
  });

  it("runs chain id 1337 with a zero base fee", async function () {
    expect(node!.chainId).to.equal(1337n);
    const block = (await rpc(node!.url, "eth_getBlockByNumber", ["latest", false])) as { baseFeePerGas: string };
    expect(BigInt(block.baseFeePerGas)).to.equal(0n);
    expect(await provider.getBalance(operator.address)).to.equal(0n);
  });

  it("refuses a priced transaction from the zero-balance key (the control)", async function () {
    const priced = operator.connect(provider).sendTransaction({
      to: governance.address,
      value: 0n,
      gasPrice: 1_000_000_000n,
      gasLimit: 21_000n,
    });
    const error = await priced.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, "a priced transaction from an empty account was accepted").to.not.equal(undefined);
    const message = (error as { error?: { message?: string } }).error?.message ?? String(error).slice(0, 300);
    expect(message).to.match(/(enough|insufficient) funds/i);
  });

  it("deploys the root Ignition module with the besu network from configuration variables", async function () {
    const parameters = path.join(tmp, "besu.json");
    fs.writeFileSync(
      parameters,
      JSON.stringify({ Registry: { governance: governance.address, registrar: operator.address } }),
    );
    await runHardhat(
      [
        "ignition",
        "deploy",
        path.join("ignition", "modules", "Carechain.ts"),
        "--network",
        "besu",
        "--parameters",
        parameters,
        "--deployment-id",
        deploymentId,
      ],
      {
        HARDHAT_VAR_BESU_URL: node!.url,
        HARDHAT_VAR_BESU_CHAIN_ID: "1337",
        HARDHAT_VAR_BESU_PRIVATE_KEYS: operator.privateKey,
        HARDHAT_VAR_BESU_GAS_PRICE: "0",
        // Ignition asks before deploying to a chain other than 31337; this answers yes.
        HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true",
      },
    );
    const registryAddress = loadDeployment(1337n, { dir: deploymentDir }).addresses.registry;
    expect(registryAddress).to.be.a("string");
    const registry = MemberRegistry__factory.connect(registryAddress!, provider);
    expect(await registry.defaultAdmin()).to.equal(governance.address);
    expect(await registry.hasRole(Role.REGISTRAR, operator.address)).to.equal(true);
    expect(await provider.getBalance(operator.address)).to.equal(0n);
  });

  it("accepts the zero-balance operator's transactions at gasPrice 0", async function () {
    const registryAddress = loadDeployment(1337n, { dir: deploymentDir }).addresses.registry!;
    const registry = MemberRegistry__factory.connect(registryAddress, operator.connect(provider));
    const member = Wallet.createRandom().address;
    const gln = parseGLN(withCheckDigit("400000000077"));
    const receipt = await (await registry.admitMember(member, gln, id("besu-member"), { gasPrice: 0n })).wait();
    expect(receipt?.status).to.equal(1);
    expect(receipt?.gasPrice).to.equal(0n);
    expect(await registry.isActiveMember(member)).to.equal(true);
    expect(await provider.getBalance(operator.address)).to.equal(0n);
  });
});
