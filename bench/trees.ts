/**
 * Serial-tree build time beside the pure-keccak floor, measured in the same run (issue 15).
 *
 *   npm run bench:trees                      # 1,000,000 serials
 *   npm run bench:trees -- --units 100000    # smaller
 *
 * "floor" = the same number of keccak calls on inputs of the same sizes (per unit one 288-byte and
 * one 32-byte hash, per inner node one 64-byte hash) on the same WebAssembly hasher, with nothing
 * else: the least any builder with this hasher can take. On a shared machine the wall-clock figures
 * move with the load (printed); the ratio, measured back to back, moves much less.
 */
import os from "node:os";
import { SerialTree, sequentialSerials } from "../src/supply/serials";
import { HashPool, buildSerialTreeParallel, keccakFloorMs } from "../src/supply/serialsParallel";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1].replace(/_/g, ""));
}

async function main(): Promise<void> {
  const units = arg("units", 1_000_000);
  const threads = arg("threads", Math.min(8, os.availableParallelism()));
  const lot = { gtin: 9506000134352n, lotNumber: "L-2026-01", expiry: 1861920000n };
  const serials = sequentialSerials(units);
  console.log(
    `serial tree of ${units.toLocaleString("en")} units; ${os.availableParallelism()} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (shared machine: wall times are noisy)`,
  );
  const rows: [string, string, string, string, string][] = [];
  const ms = (x: number) => (x / 1000).toFixed(2) + " s";

  const pool = new HashPool(threads);
  try {
    // Warm the workers and the module once (instantiation is not part of a build).
    await keccakFloorMs(1000, pool);
    const floorParallel = await keccakFloorMs(units, pool);
    let cpu = process.cpuUsage();
    let t = performance.now();
    const parallel = await buildSerialTreeParallel(lot, serials, { pool });
    const parallelMs = performance.now() - t;
    cpu = process.cpuUsage(cpu);
    rows.push([
      `parallel (${threads} worker threads)`,
      ms(parallelMs),
      ms(floorParallel),
      (parallelMs / floorParallel).toFixed(2),
      `${((cpu.user + cpu.system) / 1000 / 1000).toFixed(2)} s`,
    ]);

    const floorSingle = await keccakFloorMs(units);
    cpu = process.cpuUsage();
    t = performance.now();
    const single = SerialTree.build(lot, serials);
    const singleMs = performance.now() - t;
    cpu = process.cpuUsage(cpu);
    rows.push([
      "SerialTree.build (1 thread)",
      ms(singleMs),
      ms(floorSingle),
      (singleMs / floorSingle).toFixed(2),
      `${((cpu.user + cpu.system) / 1000 / 1000).toFixed(2)} s`,
    ]);
    if (single.root !== parallel.root) throw new Error(`roots differ: ${single.root} ≠ ${parallel.root}`);
    console.log(`root ${single.root} (both builders)`);
  } finally {
    await pool.close();
  }

  const head = ["builder", "build", "keccak floor", "build/floor", "process CPU"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(line(head));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  rows.forEach((r) => console.log(line(r)));
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
