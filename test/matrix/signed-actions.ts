/**
 * The signed-action matrix (issue 6, invariant 5): every function of a deployable contract that
 * consumes a signature is listed in test/matrix/signed.ts and passes the six negative tests.
 */
import { expect } from "chai";
import { Interface, type FunctionFragment, type ParamType } from "ethers";
import { DEPLOYABLE_CONTRACTS, contractKeys } from "../../src/deployments";
import { deployableArtifacts } from "../../scripts/lib/artifacts";
import { shouldRejectBadSignatures } from "../helpers/signatures";
import { SIGNED_ACTIONS } from "./signed";

/** Whether a parameter (or a component of it, at any depth) is a `bytes` named like a signature. */
function carriesSignature(param: ParamType): boolean {
  if (param.type === "bytes" && /sig/i.test(param.name)) return true;
  if (param.isTuple()) return param.components.some(carriesSignature);
  if (param.isArray()) return carriesSignature(param.arrayChildren);
  return false;
}

/** The state-changing functions of an ABI that take a signature, as signatures. */
export function signatureConsumingFunctions(abi: Interface): string[] {
  const found: string[] = [];
  abi.forEachFunction((f: FunctionFragment) => {
    if (f.constant) return;
    if (f.inputs.some(carriesSignature)) found.push(f.format("sighash"));
  });
  return found.sort();
}

describe("signed-action matrix", function () {
  describe("signed actions list", function () {
    it("recognises a signature parameter, nested or not", function () {
      const probe = new Interface([
        "function a(address who, bytes signature)",
        "function b((uint256 nonce, bytes sig) action)",
        "function c(bytes data)",
        "function d(bytes signature) view returns (bool)",
      ]);
      expect(signatureConsumingFunctions(probe)).to.deep.equal(["a(address,bytes)", "b((uint256,bytes))"]);
    });

    for (const artifact of deployableArtifacts()) {
      it(`lists exactly the signature-consuming functions of ${artifact.contractName}`, function () {
        const fromAbi = signatureConsumingFunctions(new Interface(artifact.abi));
        expect(Object.keys(SIGNED_ACTIONS[artifact.key] ?? {}).sort()).to.deep.equal(fromAbi);
      });
    }
  });

  for (const key of contractKeys()) {
    const entries = Object.entries(SIGNED_ACTIONS[key] ?? {});
    if (entries.length === 0) continue;
    describe(DEPLOYABLE_CONTRACTS[key].contract, function () {
      for (const [signature, setup] of entries) {
        describe(signature, function () {
          shouldRejectBadSignatures(setup);
        });
      }
    });
  }
});
