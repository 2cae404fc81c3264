/**
 * The access-control matrix (issue 6, invariant 4). For every deployable contract
 * (DEPLOYABLE_CONTRACTS), the state-changing functions are read from the compiled ABI, and:
 * - each must have an entry in the one permissions table (test/matrix/permissions.ts), with at
 *   least one refusal case unless it is explicitly open to anyone (with the reason);
 * - each refusal case runs: the unauthorised caller is refused with exactly the listed custom
 *   error and arguments, and the permitted caller's identical call succeeds.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Interface, type BaseContract, type FunctionFragment } from "ethers";
import { contractKeys, DEPLOYABLE_CONTRACTS, type ContractKey } from "../../src/deployments";
import { deployableArtifacts } from "../../scripts/lib/artifacts";
import { deployConsortiumFixture } from "../helpers/fixtures";
import { PERMISSIONS, type MatrixEnv } from "./permissions";

/** The state-changing (non-view, non-pure) functions of a compiled ABI, as signatures. */
export function stateChangingFunctions(abi: Interface): string[] {
  const names: string[] = [];
  abi.forEachFunction((f: FunctionFragment) => {
    if (f.stateMutability === "nonpayable" || f.stateMutability === "payable") names.push(f.format("sighash"));
  });
  return names.sort();
}

async function matrixFixture(): Promise<MatrixEnv> {
  const env = await deployConsortiumFixture();
  const contracts = {} as Record<ContractKey, BaseContract>;
  for (const key of contractKeys()) {
    const contract = env.deployed[key];
    if (!contract) throw new Error(`the root Ignition module returns no "${key}" (DEPLOYABLE_CONTRACTS)`);
    contracts[key] = contract as BaseContract;
  }
  return { ...env, contracts };
}

describe("access-control matrix", function () {
  const artifacts = deployableArtifacts();

  describe("permissions table", function () {
    for (const artifact of artifacts) {
      it(`lists every state-changing function of ${artifact.contractName}, and nothing else`, function () {
        const fromAbi = stateChangingFunctions(new Interface(artifact.abi));
        const table = PERMISSIONS[artifact.key] ?? {};
        expect(fromAbi.length, "no state-changing function found").to.be.greaterThan(0);
        expect(
          fromAbi.filter((f) => !(f in table)),
          "missing from test/matrix/permissions.ts",
        ).to.deep.equal([]);
        expect(
          Object.keys(table).filter((f) => !fromAbi.includes(f)),
          "in test/matrix/permissions.ts but not in the ABI",
        ).to.deep.equal([]);
      });

      it(`gives every function of ${artifact.contractName} a refusal case or a reason it is open`, function () {
        for (const [signature, entry] of Object.entries(PERMISSIONS[artifact.key] ?? {})) {
          expect(entry.permitted, signature).to.not.equal("");
          if (entry.open === undefined) expect(entry.refusals.length, signature).to.be.greaterThan(0);
          else expect(entry.open.length, `${signature}: why is it open?`).to.be.greaterThan(20);
        }
      });
    }
  });

  for (const key of contractKeys()) {
    const { contract: contractName } = DEPLOYABLE_CONTRACTS[key];
    describe(contractName, function () {
      for (const [signature, entry] of Object.entries(PERMISSIONS[key] ?? {})) {
        describe(signature, function () {
          for (const refusal of entry.refusals) {
            it(`reverts when ${refusal.name}`, async function () {
              const env = await loadFixture(matrixFixture);
              const contract = env.contracts[key];
              if (refusal.setup) await refusal.setup(env);
              const args = refusal.args(env);
              const [errorName, ...errorArgs] = refusal.error(env);
              const asCaller = contract.connect(refusal.caller(env)).getFunction(signature);
              await expect(asCaller(...args))
                .to.be.revertedWithCustomError(contract, errorName)
                .withArgs(...errorArgs);
              if (refusal.permitted) {
                // The same call is accepted from a permitted caller: the refusal was about the caller.
                const asPermitted = contract.connect(refusal.permitted(env)).getFunction(signature);
                await asPermitted.staticCall(...args);
              } else {
                expect(refusal.nobody ?? "", "a case without `permitted` must say why nobody may").to.have.length.above(
                  20,
                );
              }
            });
          }
        });
      }
    });
  }
});
