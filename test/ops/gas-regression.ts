import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  baselineChangedInHead,
  compareGas,
  gateFails,
  nextBaseline,
  rowKey,
  type MeasuredRow,
} from "../../bench/check-regression";

const row = (operation: string, gasUsed: number, scale: number | null = null): MeasuredRow => ({
  domain: "supply",
  operation,
  scale,
  gasUsed,
});

describe("bench/check-regression", function () {
  describe("compareGas", function () {
    it("passes growth up to 2% and flags growth above it", function () {
      const result = compareGas(
        [row("ship", 100_000), row("receive", 100_000)],
        [row("ship", 102_000), row("receive", 102_001)],
      );
      expect(result.map((c) => c.verdict)).to.deep.equal(["ok", "regressed"]);
      expect(gateFails(result, false)).to.equal(true);
    });

    it("reports improvements without failing", function () {
      const result = compareGas([row("ship", 100_000)], [row("ship", 90_000)]);
      expect(result[0]).to.include({ verdict: "improved", baseline: 100_000, current: 90_000 });
      expect(gateFails(result, false)).to.equal(false);
    });

    it("fails on new and missing operations, keyed by scale too", function () {
      const result = compareGas([row("commit", 1, 10)], [row("commit", 1, 1_000_000)]);
      expect(result.map((c) => [c.key, c.verdict])).to.deep.equal([
        ["supply/commit@1000000", "new"],
        ["supply/commit@10", "missing"],
      ]);
      expect(gateFails(result, false)).to.equal(true);
      expect(rowKey(row("x", 1))).to.equal("supply/x");
    });

    it("accepts every difference when the baseline changed in the same commit", function () {
      const result = compareGas([row("ship", 100_000)], [row("ship", 200_000), row("new", 5)]);
      expect(gateFails(result, true)).to.equal(false);
    });

    it("rejects a duplicated measurement", function () {
      expect(() => compareGas([], [row("ship", 1), row("ship", 2)])).to.throw("duplicate measurement supply/ship");
    });
  });

  describe("nextBaseline", function () {
    it("keeps a reason while the figure stays within the tolerance and drops it when the figure moves", function () {
      const previous = [
        { ...row("ship", 100_000), reason: "pays for the recipient check" },
        { ...row("receive", 100_000), reason: "pays for the custody word" },
        row("reject", 50_000),
      ];
      const { rows, stale } = nextBaseline(previous, [
        row("ship", 101_000),
        row("receive", 110_000),
        row("reject", 60_000),
      ]);
      expect(rows).to.deep.equal([
        { ...row("ship", 101_000), reason: "pays for the recipient check" },
        row("receive", 110_000),
        row("reject", 60_000),
      ]);
      expect(stale).to.deep.equal(["supply/receive"]);
    });
  });

  describe("baselineChangedInHead", function () {
    let repo: string;
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], {
        cwd: repo,
        stdio: "ignore",
      });
    const commitBaseline = (content: string | undefined, message: string) => {
      fs.mkdirSync(path.join(repo, "bench"), { recursive: true });
      if (content !== undefined) fs.writeFileSync(path.join(repo, "bench", "baseline.json"), content);
      fs.writeFileSync(path.join(repo, "other.txt"), message);
      git("add", "-A");
      git("commit", "-q", "-m", message);
    };

    beforeEach(function () {
      repo = fs.mkdtempSync(path.join(os.tmpdir(), "carechain-gate-"));
      git("init", "-q");
    });

    afterEach(function () {
      fs.rmSync(repo, { recursive: true, force: true });
    });

    it("is strict on the first commit (no HEAD~1)", function () {
      commitBaseline('{"rows":[]}', "first");
      expect(baselineChangedInHead(repo).changed).to.equal(false);
    });

    it("is true when HEAD adds or modifies the baseline and false when HEAD leaves it", function () {
      commitBaseline(undefined, "no baseline yet");
      commitBaseline('{"rows":[]}', "adds it");
      expect(baselineChangedInHead(repo)).to.deep.equal({ changed: true, why: "HEAD adds bench/baseline.json" });
      commitBaseline('{"rows":[1]}', "modifies it");
      expect(baselineChangedInHead(repo).changed).to.equal(true);
      commitBaseline(undefined, "leaves it");
      expect(baselineChangedInHead(repo)).to.deep.equal({
        changed: false,
        why: "HEAD does not change bench/baseline.json",
      });
    });

    it("ignores an uncommitted edit of the baseline", function () {
      commitBaseline('{"rows":[]}', "first");
      commitBaseline(undefined, "second");
      fs.writeFileSync(path.join(repo, "bench", "baseline.json"), '{"rows":[2]}');
      expect(baselineChangedInHead(repo).changed).to.equal(false);
    });
  });
});
