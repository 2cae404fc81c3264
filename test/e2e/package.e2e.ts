/**
 * The partner package (issue 5): `npm pack` (whose prepack builds dist/), installed offline from
 * the tarball into an empty folder, used from a plain TypeScript file compiled with tsc and run
 * with node — the SDK, a TypeChain factory, an ABI file and the deployment addresses shipped in
 * the package, with nothing from this repository on the module path.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import hre from "hardhat";
import { underCoverage } from "../helpers/node";
import { Role } from "../../src/roles";
import { futureIdOf } from "../../src/deployments";
import { consumerLockfile, type PackageManifest } from "../helpers/lockfile";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
/** A chain id no real network uses: its record exists only while this test packs. */
const SHIPPED_CHAIN_ID = 4242424242n;
const SHIPPED_REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const CONSUMER_TS = `
import { Role, describeError, futureIdOf, parseGLN, withCheckDigit } from "carechain";
import { addressOf, deployedChainIds } from "carechain/node";
import { MemberRegistry__factory, type MemberRegistry } from "carechain/typechain";
import registryAbi from "carechain/abi/MemberRegistry.json";
import { Interface, id } from "ethers";

const chainId = BigInt(process.argv[2]);
const address: string = addressOf(chainId, "registry");
const registry: MemberRegistry = MemberRegistry__factory.connect(address);
const gln: bigint = parseGLN(withCheckDigit("400000000001"));
const calldata = registry.interface.encodeFunctionData("admitMember", [address, gln, id("profile")]);
const fromAbiFile = new Interface(registryAbi);
const revert = registry.interface.encodeErrorResult("MemberNotFound", [address]);
console.log(
  JSON.stringify({
    address,
    chains: deployedChainIds().map(String),
    futureId: futureIdOf("registry"),
    manufacturerRole: Role.MANUFACTURER,
    selector: calldata.slice(0, 10),
    abiFileSelector: fromAbiFile.getFunction("admitMember")!.selector,
    bytecodeBytes: (MemberRegistry__factory.bytecode.length - 2) / 2,
    decoded: describeError({ data: revert }, [fromAbiFile]),
  }),
);
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "es2022",
    module: "node16",
    moduleResolution: "node16",
    strict: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    outDir: "out",
  },
  files: ["index.ts"],
};

describe("e2e: the npm package for partners", function () {
  let tmp: string;

  before(function () {
    if (underCoverage(hre)) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-pack-"));
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("packs, installs offline and runs from plain TypeScript with types, ABIs and addresses", async function () {
    // The releases and deployment records it packs live in a temporary Ignition folder
    // (CARECHAIN_IGNITION_DIR, scripts/build-sdk.ts): the working tree is never written to.
    const ignitionDir = path.join(tmp, "ignition");
    // A deployment record as a real deployment leaves it (with a journal that must not ship).
    const shippedDir = path.join(ignitionDir, "deployments", `chain-${SHIPPED_CHAIN_ID}`);
    fs.mkdirSync(shippedDir, { recursive: true });
    fs.writeFileSync(
      path.join(shippedDir, "deployed_addresses.json"),
      JSON.stringify({ [futureIdOf("registry")]: SHIPPED_REGISTRY }),
    );
    fs.writeFileSync(path.join(shippedDir, "journal.jsonl"), "{}\n");
    // A rehearsal on chain 1337 (also Besu's default chain id), not declared: it must not ship.
    const rehearsalDir = path.join(ignitionDir, "deployments", "chain-1337");
    fs.mkdirSync(rehearsalDir, { recursive: true });
    fs.writeFileSync(
      path.join(rehearsalDir, "deployed_addresses.json"),
      JSON.stringify({ [futureIdOf("registry")]: "0x" + "12".repeat(20) }),
    );
    // Only declared releases ship (releases.json).
    fs.writeFileSync(
      path.join(ignitionDir, "releases.json"),
      JSON.stringify({ releases: [{ chainId: SHIPPED_CHAIN_ID.toString() }] }),
    );

    const packDir = path.join(tmp, "pack");
    fs.mkdirSync(packDir);
    // Its own (empty) cache: packing reads no registry, and no other npm process shares its files.
    const packCache = path.join(tmp, "npm-cache-pack");
    await run("npm", ["pack", "--pack-destination", packDir, "--cache", packCache], {
      cwd: ROOT,
      env: { ...process.env, CARECHAIN_IGNITION_DIR: ignitionDir },
      maxBuffer: 64 << 20,
    });
    const tarballs = fs.readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    expect(tarballs).to.have.length(1);
    const tarball = path.join(packDir, tarballs[0]);

    const { stdout: listing } = await run("tar", ["-tzf", tarball], { maxBuffer: 64 << 20 });
    const files = listing.split("\n").filter(Boolean);
    for (const expected of [
      "package/package.json",
      "package/dist/src/index.js",
      "package/dist/src/index.d.ts",
      "package/dist/src/deployments.d.ts",
      "package/dist/typechain-types/index.d.ts",
      "package/dist/typechain-types/factories/contracts/access/MemberRegistry__factory.js",
      "package/dist/abi/MemberRegistry.json",
      `package/dist/deployments/chain-${SHIPPED_CHAIN_ID}/deployed_addresses.json`,
      "package/dist/src/node/index.js",
      "package/erc7730/eip712-carechain-records.json",
    ]) {
      expect(files, expected).to.include(expected);
    }
    expect(
      files.filter((f) => f.endsWith("journal.jsonl") || f.includes("chain-31337/") || f.includes("chain-1337/")),
    ).to.deep.equal([]);
    expect(files.filter((f) => f.includes("deployed_addresses.json"))).to.deep.equal([
      `package/dist/deployments/chain-${SHIPPED_CHAIN_ID}/deployed_addresses.json`,
    ]);
    expect(files.filter((f) => /^package\/(contracts|test|artifacts|cache)\//.test(f))).to.deep.equal([]);

    const consumer = path.join(tmp, "consumer");
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG));
    fs.writeFileSync(path.join(consumer, "index.ts"), CONSUMER_TS);
    // ethers is what partners already have (the SDK's peer). The consumer's lockfile is cut from
    // this repository's, so `npm ci --offline` installs everything by integrity from a private copy
    // of the npm cache that this repository's own `npm ci` filled: no registry metadata is read and
    // no other npm process can change the result (test/helpers/lockfile.ts).
    const manifest = JSON.parse(
      (await run("tar", ["-xzOf", tarball, "package/package.json"])).stdout,
    ) as PackageManifest;
    const registry = (await run("npm", ["config", "get", "registry"])).stdout.trim();
    const { lock, dependencies } = consumerLockfile(
      registry,
      path.join(ROOT, "package-lock.json"),
      consumer,
      { file: tarball, manifest },
      ["ethers"],
    );
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies }),
    );
    fs.writeFileSync(path.join(consumer, "package-lock.json"), JSON.stringify(lock, null, 2));
    const cache = path.join(tmp, "npm-cache");
    fs.mkdirSync(cache);
    const sharedCache = (await run("npm", ["config", "get", "cache"])).stdout.trim();
    // Content: hard links (instant; content-addressed files are written once, by rename). The index:
    // a real copy, since npm appends to index buckets in place and a hard link would let another npm
    // process's writes reach this copy mid-install.
    const shared = path.join(sharedCache, "_cacache");
    const own = path.join(cache, "_cacache");
    fs.mkdirSync(own);
    await run("cp", ["-al", path.join(shared, "content-v2"), path.join(own, "content-v2")]).catch(async () =>
      run("cp", ["-a", path.join(shared, "content-v2"), path.join(own, "content-v2")]),
    );
    await run("cp", ["-a", path.join(shared, "index-v5"), path.join(own, "index-v5")]);
    await run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--cache", cache], {
      cwd: consumer,
      maxBuffer: 64 << 20,
    });

    await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: consumer });
    const { stdout } = await run(process.execPath, [path.join("out", "index.js"), String(SHIPPED_CHAIN_ID)], {
      cwd: consumer,
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).to.deep.equal({
      address: SHIPPED_REGISTRY,
      chains: [String(SHIPPED_CHAIN_ID)],
      futureId: "Registry#MemberRegistry",
      manufacturerRole: Role.MANUFACTURER,
      selector: result.abiFileSelector,
      abiFileSelector: result.selector,
      bytecodeBytes: result.bytecodeBytes,
      decoded: `MemberNotFound(${SHIPPED_REGISTRY})`,
    });
    expect(result.selector).to.match(/^0x[0-9a-f]{8}$/);
    expect(result.bytecodeBytes as number).to.be.greaterThan(1000);
  });
});
