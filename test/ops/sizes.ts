import { expect } from "chai";
import hre from "hardhat";
import { underCoverage } from "../helpers/node";
import { DEPLOYABLE_CONTRACTS } from "../../src/deployments";
import { INITCODE_LIMIT, RUNTIME_LIMIT, concreteContracts, contractSizes } from "../../scripts/lib/sizes";

describe("contract sizes (EIP-170, EIP-3860)", function () {
  before(function () {
    if (underCoverage(hre)) this.skip();
  });

  it("lists every concrete contract outside mocks in DEPLOYABLE_CONTRACTS", function () {
    const listed = Object.values(DEPLOYABLE_CONTRACTS)
      .map((c) => c.contract as string)
      .sort();
    expect(concreteContracts()).to.deep.equal(listed);
  });

  for (const { contract } of Object.values(DEPLOYABLE_CONTRACTS)) {
    it(`keeps ${contract} within 24,576 bytes of runtime code and 49,152 bytes of initcode`, function () {
      const row = contractSizes().find((r) => r.contract === contract);
      expect(row, contract).to.not.equal(undefined);
      expect(row!.runtime).to.be.greaterThan(0).and.at.most(RUNTIME_LIMIT);
      expect(row!.initcode).to.be.greaterThan(row!.runtime).and.at.most(INITCODE_LIMIT);
    });
  }
});
