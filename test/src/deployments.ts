import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  DEPLOYABLE_CONTRACTS,
  DeploymentError,
  contractKeys,
  futureIdOf,
  implementationFutureIdOf,
  parseDeployedAddresses,
} from "../../src/deployments";
import { addressOf, deployedChainIds, findDeployment, loadDeployment, packageRoot } from "../../src/node/deployments";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("src/deployments", function () {
  let root: string;

  beforeEach(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-deployments-"));
  });

  afterEach(function () {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function writeRecord(folder: string, json: unknown): void {
    const dir = path.join(root, "ignition", "deployments", folder);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "deployed_addresses.json"), JSON.stringify(json));
  }

  describe("futureIdOf", function () {
    it("joins module and contract as Ignition names futures", function () {
      expect(futureIdOf("registry")).to.equal("Registry#MemberRegistry");
      expect(contractKeys()).to.deep.equal(Object.keys(DEPLOYABLE_CONTRACTS));
    });
  });

  describe("parseDeployedAddresses", function () {
    it("returns checksummed typed addresses and every future", function () {
      const d = parseDeployedAddresses({
        "Registry#MemberRegistry": REGISTRY.toLowerCase(),
        "Other#Helper": "0x0000000000000000000000000000000000000001",
      });
      expect(d.addresses).to.deep.equal({ registry: REGISTRY });
      expect(d.implementations).to.deep.equal({});
      expect(d.futures["Other#Helper"]).to.equal("0x0000000000000000000000000000000000000001");
    });

    it("returns each proxy's implementation as deployed, beside the proxy users call", function () {
      const implementation = "0x0000000000000000000000000000000000000002";
      const d = parseDeployedAddresses({
        "Registry#MemberRegistry": REGISTRY,
        "Registry#MemberRegistryImplementation": implementation,
        "Registry#MemberRegistryProxy": REGISTRY,
      });
      expect(d.addresses).to.deep.equal({ registry: REGISTRY });
      expect(d.implementations).to.deep.equal({ registry: implementation });
      expect(implementationFutureIdOf("registry")).to.equal("Registry#MemberRegistryImplementation");
    });

    it("throws DeploymentError on a value that is not an address", function () {
      expect(() => parseDeployedAddresses({ "Registry#MemberRegistry": "0x12" })).to.throw(
        DeploymentError,
        "Registry#MemberRegistry is not an address",
      );
      expect(() => parseDeployedAddresses({ "Registry#MemberRegistry": 7 })).to.throw(DeploymentError);
      expect(() => parseDeployedAddresses([])).to.throw(DeploymentError, "not an object");
    });
  });

  describe("loadDeployment", function () {
    it("reads chain-<id>/deployed_addresses.json under root", function () {
      writeRecord("chain-1337", { "Registry#MemberRegistry": REGISTRY });
      expect(loadDeployment(1337n, { root }).addresses.registry).to.equal(REGISTRY);
      expect(addressOf(1337, "registry", { root })).to.equal(REGISTRY);
    });

    it("reads a custom deployment id or folder", function () {
      writeRecord("e2e-run", { "Registry#MemberRegistry": REGISTRY });
      expect(loadDeployment(1n, { root, deploymentId: "e2e-run" }).addresses.registry).to.equal(REGISTRY);
      const dir = path.join(root, "ignition", "deployments", "e2e-run");
      expect(loadDeployment(1n, { dir }).dir).to.equal(dir);
    });

    it("throws DeploymentError naming the chains that have a deployment when the chain has none", function () {
      writeRecord("chain-5", { "Registry#MemberRegistry": REGISTRY });
      writeRecord("chain-1337", {});
      expect(findDeployment(9n, { root })).to.equal(undefined);
      expect(() => loadDeployment(9n, { root })).to.throw(DeploymentError, "chains with one: 5, 1337");
      expect(() => addressOf(1337n, "registry", { root })).to.throw(DeploymentError, "Registry#MemberRegistry");
      expect(deployedChainIds(root)).to.deep.equal([5n, 1337n]);
    });

    it("throws DeploymentError on a corrupt record", function () {
      const dir = path.join(root, "ignition", "deployments", "chain-2");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "deployed_addresses.json"), "{");
      expect(() => loadDeployment(2n, { root })).to.throw(DeploymentError, "deployed_addresses.json");
    });
  });

  describe("packageRoot", function () {
    it("finds the carechain package from a nested folder, and fails outside it", function () {
      expect(packageRoot(path.join(__dirname, "..", ".."))).to.equal(path.resolve(__dirname, "..", ".."));
      expect(packageRoot(__dirname)).to.equal(path.resolve(__dirname, "..", ".."));
      expect(() => packageRoot(root)).to.throw(DeploymentError, "no carechain package.json");
      expect(deployedChainIds(root)).to.deep.equal([]);
    });
  });
});
