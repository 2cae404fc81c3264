/**
 * The main entry ("carechain") is browser-safe: esbuild bundles src/index.ts for the browser
 * (platform browser, no Node built-in resolvable) and the bundle imports nothing Node-only; the
 * file I/O lives in "carechain/node". No TypeChain factory (their bytecode) is bundled: contracts
 * are connected from their ABIs (src/contracts.ts). Prints the bundle size (minified, and gzip) and
 * holds it to a budget.
 */
import { expect } from "chai";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const ROOT = path.resolve(__dirname, "..", "..");
/**
 * Budget of the core bundle with ethers (minified). With the TypeChain factories it was 966 KiB
 * (213 KiB gzip), about half of it contract bytecode; from the ABIs alone 469 KiB (144 KiB gzip).
 */
const BUDGET_KIB = 520;
const NODE_BUILTINS =
  /^(node:|fs$|path$|os$|crypto$|worker_threads$|child_process$|url$|zlib$|stream$|util$|buffer$|net$|http$|https$)/;

async function bundle(entry: string, external: string[] = []) {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    external,
  });
  return { bytes: result.outputFiles[0].contents, meta: result.metafile };
}

describe("SDK: browser-safe core", function () {
  it("bundles src/index.ts for the browser with esbuild, importing nothing Node-only", async function () {
    const { bytes, meta } = await bundle("src/index.ts");
    const imports = Object.values(meta.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => NODE_BUILTINS.test(p))).to.deep.equal([]);
    const inputs = Object.keys(meta.inputs);
    expect(inputs.filter((p) => /src\/node\/|treeFile|serialsParallel/.test(p))).to.deep.equal([]);
    // No TypeChain module at all (the factories carry the bytecode; the types are compile-time only).
    expect(inputs.filter((p) => p.includes("typechain-types/"))).to.deep.equal([]);
    const gzip = gzipSync(bytes).length;
    // ethers is the SDK's peer dependency: a dapp bundles it anyway; size without it too.
    const core = await bundle("src/index.ts", ["ethers"]);
    const coreGzip = gzipSync(core.bytes).length;
    console.log(
      `      browser bundle of "carechain": ${(bytes.length / 1024).toFixed(0)} KiB minified, ${(gzip / 1024).toFixed(0)} KiB gzip ` +
        `(ethers external: ${(core.bytes.length / 1024).toFixed(0)} KiB, ${(coreGzip / 1024).toFixed(0)} KiB gzip)`,
    );
    expect(bytes.length / 1024, "core bundle (KiB, minified, with ethers)").to.be.within(1, BUDGET_KIB);
  });

  it("fails to bundle carechain/node for the browser (it needs the file system)", async function () {
    let failed = false;
    await bundle("src/node/index.ts").catch(() => (failed = true));
    expect(failed).to.equal(true);
  });
});
