import { expect } from "chai";
import { ethers } from "hardhat";
import { BaseContract, Signature, TypedDataDomain, Wallet, toBeHex } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The same signature with s' = n - s and v flipped: valid for raw ecrecover, refused by EIP-2 checks. */
export function toHighS(signature: string): string {
  const sig = Signature.from(signature);
  const highS = SECP256K1_N - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return ethers.concat([sig.r, toBeHex(highS, 32), toBeHex(v, 1)]);
}

/** How a signed-action test asks for a signature: who signs, in which domain, until when. */
export interface SignOptions {
  /** Defaults to the legitimate signer. */
  signer?: HardhatEthersSigner | Wallet;
  /** Fields that replace the contract's real domain (chainId, verifyingContract). */
  domain?: Partial<TypedDataDomain>;
  deadline?: bigint;
}

/** What {shouldRejectBadSignatures} needs. `setup` returns a fresh state (loadFixture inside). */
export interface SignedActionCase<S> {
  /** The contract whose ABI declares SignatureExpired / SignatureInvalid. */
  contract: BaseContract;
  /** The address the contract expects to have signed. */
  expectedSigner: string;
  /** Signs the action (at the expected signer's current nonce) and returns what `submit` takes. */
  sign: (options: SignOptions) => Promise<S>;
  /** Relays a signed action. */
  submit: (signed: S) => Promise<unknown>;
  /** Another key, not the expected signer's. */
  stranger: HardhatEthersSigner | Wallet;
  /** Replaces the signature bytes inside a signed action. */
  withSignature: (signed: S, signature: string) => S;
  /** The signature bytes inside a signed action. */
  signatureOf: (signed: S) => string;
}

/**
 * The six negative tests every EIP-712 signed action must pass: replay, another chain id,
 * another contract, an expired deadline, a malleable (high-s) signature and the wrong signer.
 */
export function shouldRejectBadSignatures<S>(setup: () => Promise<SignedActionCase<S>>): void {
  describe("signature checks", function () {
    it("accepts the expected signer's signature once and refuses its replay", async function () {
      const c = await setup();
      const signed = await c.sign({});
      await c.submit(signed);
      await expect(c.submit(signed))
        .to.be.revertedWithCustomError(c.contract, "SignatureInvalid")
        .withArgs(c.expectedSigner);
    });

    it("refuses a signature made for another chain id", async function () {
      const c = await setup();
      const signed = await c.sign({ domain: { chainId: 1n } });
      await expect(c.submit(signed))
        .to.be.revertedWithCustomError(c.contract, "SignatureInvalid")
        .withArgs(c.expectedSigner);
    });

    it("refuses a signature made for another contract", async function () {
      const c = await setup();
      const signed = await c.sign({ domain: { verifyingContract: Wallet.createRandom().address } });
      await expect(c.submit(signed))
        .to.be.revertedWithCustomError(c.contract, "SignatureInvalid")
        .withArgs(c.expectedSigner);
    });

    it("refuses a signature past its deadline", async function () {
      const c = await setup();
      const deadline = BigInt(await time.latest()) - 1n;
      const signed = await c.sign({ deadline });
      await expect(c.submit(signed)).to.be.revertedWithCustomError(c.contract, "SignatureExpired").withArgs(deadline);
    });

    it("refuses a malleable high-s signature", async function () {
      const c = await setup();
      const signed = await c.sign({});
      const malleable = c.withSignature(signed, toHighS(c.signatureOf(signed)));
      await expect(c.submit(malleable))
        .to.be.revertedWithCustomError(c.contract, "SignatureInvalid")
        .withArgs(c.expectedSigner);
    });

    it("refuses a signature by the wrong signer", async function () {
      const c = await setup();
      const signed = await c.sign({ signer: c.stranger });
      await expect(c.submit(signed))
        .to.be.revertedWithCustomError(c.contract, "SignatureInvalid")
        .withArgs(c.expectedSigner);
    });
  });
}
