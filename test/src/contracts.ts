/**
 * The browser core connects typed contracts from src/abi.generated.ts (no TypeChain factory): the
 * generated ABIs are the compiled ones, they equal the TypeChain factories' (the types' source),
 * and a contract connected from them reads and sends on chain.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { Interface } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CARECHAIN_ABIS } from "../../src/abi.generated";
import { carechainAbi, carechainInterface, connectContract, type CarechainContractName } from "../../src/contracts";
import { typechain } from "../../src/node";
import { carechainAbis } from "../../scripts/lib/abis";
import { Role } from "../../src/roles";
import { deployRegistryFixture, testGLN } from "../helpers/fixtures";

const FACTORIES: Record<CarechainContractName, { abi: Interface["fragments"] | readonly unknown[] }> = {
  MemberRegistry: typechain.MemberRegistry__factory,
  SupplyChain: typechain.SupplyChain__factory,
  RecordAccess: typechain.RecordAccess__factory,
  ClinicalTrials: typechain.ClinicalTrials__factory,
};

describe("SDK contracts: typed contracts from the ABIs alone", function () {
  it("src/abi.generated.ts is current (else: npx ts-node -T scripts/gen-abis.ts after a compile)", function () {
    expect(JSON.parse(JSON.stringify(CARECHAIN_ABIS))).to.deep.equal(carechainAbis());
  });

  for (const name of Object.keys(FACTORIES) as CarechainContractName[]) {
    it(`${name}: the generated ABI is the TypeChain factory's, fragment for fragment`, function () {
      const fromFactory = new Interface(FACTORIES[name].abi as Interface["fragments"]);
      expect(carechainInterface(name).format(false)).to.deep.equal(fromFactory.format(false));
      expect(carechainAbi(name)).to.deep.equal(fromFactory.format(false));
      // As JSON too, tuple component names included (typed results read fields by name); the
      // human-readable form leaves out `indexed: false`, which means the same.
      const json = (i: Interface) => i.formatJson().replace(/,"indexed":false/g, "");
      expect(json(carechainInterface(name))).to.equal(json(fromFactory));
    });
  }

  it("reads and sends through a contract connected from its ABI", async function () {
    const f = await loadFixture(deployRegistryFixture);
    const registry = connectContract("MemberRegistry", await f.registry.getAddress(), f.registrar);
    expect(await registry.hasRole(Role.REGISTRAR, f.registrar.address)).to.equal(true);
    const member = f.signers[20].address;
    await expect(registry.admitMember(member, testGLN(1), ethers.id("profile")))
      .to.emit(f.registry, "MemberAdmitted")
      .withArgs(member, testGLN(1), ethers.id("profile"));
    expect((await registry.memberOf(member)).gln).to.equal(testGLN(1));
  });
});
