import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Wallet } from "ethers";
import { deployConsortiumFixture } from "../helpers/fixtures";
import { shouldBehaveLikeMemberGated } from "../helpers/behaviours";
import { shouldRejectBadSignatures } from "../helpers/signatures";
import { carechainDomain } from "../../src/signatures";

const PING_TYPES = {
  Ping: [
    { name: "signer", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

// The shared bases every domain inherits (MemberGated, SignedActions), through a mock that uses them,
// and thereby the shared test behaviours themselves.
describe("Access bases (MemberGated, SignedActions)", function () {
  async function fixture() {
    const c = await deployConsortiumFixture();
    const mock = await ethers.deployContract("AccessBasesMock", [await c.registry.getAddress()]);
    const wallet = await ethers.deployContract("ERC1271WalletMock", [c.others[0].address]);
    return { ...c, mock, wallet };
  }

  async function signPing(
    f: Awaited<ReturnType<typeof fixture>>,
    signer: HardhatEthersSigner | Wallet,
    claimed: string,
    opts: { domain?: object; deadline?: bigint } = {},
  ) {
    const network = await ethers.provider.getNetwork();
    const domain = {
      ...carechainDomain("AccessBasesMock", "1", network.chainId, await f.mock.getAddress()),
      ...opts.domain,
    };
    const deadline = opts.deadline ?? BigInt(await time.latest()) + 3600n;
    const message = { signer: claimed, value: 7n, nonce: await f.mock.nonces(claimed), deadline };
    return { message, signature: await signer.signTypedData(domain, PING_TYPES, message) };
  }

  describe("gated", function () {
    it("lets an active member with the role through", async function () {
      const { mock, manufacturer } = await loadFixture(fixture);
      await expect(mock.connect(manufacturer).gated()).to.emit(mock, "GatedCalled").withArgs(manufacturer.address);
      expect(await mock.isManufacturer(manufacturer.address)).to.equal(true);
    });

    it("exposes the registry it trusts", async function () {
      const { mock, registry } = await loadFixture(fixture);
      expect(await mock.registry()).to.equal(await registry.getAddress());
    });

    shouldBehaveLikeMemberGated(async () => {
      const f = await loadFixture(fixture);
      return {
        contract: f.mock,
        registry: f.registry,
        registrar: f.registrar,
        role: "MANUFACTURER",
        call: (caller) => f.mock.connect(caller).gated(),
      };
    });
  });

  // _authorizeUpgrade, through the mock behind an ERC1967Proxy (upgradeToAndCall is proxy-only).
  describe("upgradeToAndCall (_authorizeUpgrade)", function () {
    async function proxied() {
      const f = await loadFixture(fixture);
      // The proxy needs a call to make in its constructor (ERC1967ProxyUninitialized otherwise): a view does.
      const init = f.mock.interface.encodeFunctionData("isManufacturer", [ethers.ZeroAddress]);
      const proxy = await ethers.deployContract("ERC1967Proxy", [await f.mock.getAddress(), init]);
      const governance = await ethers.getSigner(await f.registry.defaultAdmin());
      const mock = f.mock.attach(await proxy.getAddress()) as typeof f.mock;
      return { ...f, mock, governance, registryAddress: await f.registry.getAddress() };
    }

    it("upgrades when governance names an implementation on the same registry", async function () {
      const { mock, governance, registryAddress } = await proxied();
      const next = await ethers.deployContract("AccessBasesMock", [registryAddress]);
      await expect(mock.connect(governance).upgradeToAndCall(await next.getAddress(), "0x"))
        .to.emit(mock, "Upgraded")
        .withArgs(await next.getAddress());
    });

    it("reverts with MemberGatedUnauthorizedUpgrade for anyone but governance", async function () {
      const { mock, governance, manufacturer, registryAddress } = await proxied();
      const next = await ethers.deployContract("AccessBasesMock", [registryAddress]);
      await expect(mock.connect(manufacturer).upgradeToAndCall(await next.getAddress(), "0x"))
        .to.be.revertedWithCustomError(mock, "MemberGatedUnauthorizedUpgrade")
        .withArgs(manufacturer.address, governance.address);
    });

    it("reverts with MemberGatedUpgradeRegistryChanged for an implementation on another registry", async function () {
      const { mock, governance, registryAddress, others } = await proxied();
      const next = await ethers.deployContract("AccessBasesMock", [others[1].address]);
      await expect(mock.connect(governance).upgradeToAndCall(await next.getAddress(), "0x"))
        .to.be.revertedWithCustomError(mock, "MemberGatedUpgradeRegistryChanged")
        .withArgs(await next.getAddress(), registryAddress);
    });

    it("reverts with MemberGatedUpgradeRegistryChanged when the implementation has no registry()", async function () {
      const { mock, governance, registryAddress, wallet } = await proxied();
      // A contract without the function (the call fails) and an account without code (it answers nothing).
      for (const target of [await wallet.getAddress(), ethers.Wallet.createRandom().address]) {
        await expect(mock.connect(governance).upgradeToAndCall(target, "0x"))
          .to.be.revertedWithCustomError(mock, "MemberGatedUpgradeRegistryChanged")
          .withArgs(target, registryAddress);
      }
    });
  });

  describe("constructor", function () {
    it("reverts with MemberGatedZeroRegistry when the registry is the zero address", async function () {
      const factory = await ethers.getContractFactory("AccessBasesMock");
      await expect(ethers.deployContract("AccessBasesMock", [ethers.ZeroAddress])).to.be.revertedWithCustomError(
        factory,
        "MemberGatedZeroRegistry",
      );
    });
  });

  describe("gatedAny (_checkMemberAny)", function () {
    const ANY = [ethers.id("MANUFACTURER_ROLE"), ethers.id("WHOLESALER_ROLE")];

    it("lets an active member holding any one of the roles through", async function () {
      const { mock, manufacturer, wholesaler } = await loadFixture(fixture);
      await mock.connect(manufacturer).gatedAny();
      await mock.connect(wholesaler).gatedAny();
    });

    it("reverts with MemberGatedUnauthorizedAny naming the whole set for a member holding none of them", async function () {
      const { mock, hospital } = await loadFixture(fixture);
      await expect(mock.connect(hospital).gatedAny())
        .to.be.revertedWithCustomError(mock, "MemberGatedUnauthorizedAny")
        .withArgs(hospital.address, ANY);
    });

    it("reverts with MemberGatedUnauthorizedAny for a non-member", async function () {
      const { mock, outsider } = await loadFixture(fixture);
      await expect(mock.connect(outsider).gatedAny())
        .to.be.revertedWithCustomError(mock, "MemberGatedUnauthorizedAny")
        .withArgs(outsider.address, ANY);
    });
  });

  describe("pingBySig", function () {
    it("accepts an ERC-1271 smart-account signer and refuses it once the account stops accepting", async function () {
      const f = await loadFixture(fixture);
      const walletAddress = await f.wallet.getAddress();
      const first = await signPing(f, f.others[0], walletAddress);
      await expect(f.mock.pingBySig(walletAddress, 7n, first.message.deadline, first.signature))
        .to.emit(f.mock, "Pinged")
        .withArgs(walletAddress, 7n);
      await f.wallet.setAccepting(false);
      const second = await signPing(f, f.others[0], walletAddress);
      await expect(f.mock.pingBySig(walletAddress, 7n, second.message.deadline, second.signature))
        .to.be.revertedWithCustomError(f.mock, "SignatureInvalid")
        .withArgs(walletAddress);
    });

    it("accepts a signature in the block of its deadline and refuses it one second later", async function () {
      // The deadline is inclusive (mutation testing, issue 17: `>` → `>=` in SignedActions survived).
      const f = await loadFixture(fixture);
      const patient = f.others[1];
      const deadline = BigInt(await time.latest()) + 100n;
      const onTime = await signPing(f, patient, patient.address, { deadline });
      await time.setNextBlockTimestamp(deadline);
      await expect(f.mock.pingBySig(patient.address, 7n, deadline, onTime.signature))
        .to.emit(f.mock, "Pinged")
        .withArgs(patient.address, 7n);
      const late = await signPing(f, patient, patient.address, { deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.mock.pingBySig(patient.address, 7n, deadline, late.signature))
        .to.be.revertedWithCustomError(f.mock, "SignatureExpired")
        .withArgs(deadline);
    });

    it("publishes its EIP-712 domain separator", async function () {
      const f = await loadFixture(fixture);
      const network = await ethers.provider.getNetwork();
      const domain = carechainDomain("AccessBasesMock", "1", network.chainId, await f.mock.getAddress());
      expect(await f.mock.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
    });

    shouldRejectBadSignatures(async () => {
      const f = await loadFixture(fixture);
      const patient = f.others[1];
      type Signed = Awaited<ReturnType<typeof signPing>>;
      return {
        contract: f.mock,
        expectedSigner: patient.address,
        stranger: f.others[2],
        sign: (o) => signPing(f, o.signer ?? patient, patient.address, o),
        submit: (s: Signed) => f.mock.pingBySig(s.message.signer, s.message.value, s.message.deadline, s.signature),
        withSignature: (s: Signed, signature: string) => ({ ...s, signature }),
        signatureOf: (s: Signed) => s.signature,
      };
    });
  });
});
