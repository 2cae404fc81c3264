/**
 * The chain clock of the tests (issue 17). Hardhat's automining stamps each block with the wall
 * clock, and `evm_revert` (what `loadFixture` does on every call after the first) restores the
 * state but NOT the clock: after a revert, `time.latest()` is the fixture's last block, minutes
 * in the past on a slow run, while the next block is stamped "now". A test computing a time limit
 * as `time.latest() + 100` then met a chain already past it when the suite ran slowly.
 *
 * `pinClockOnRevert` makes every revert restore the clock too: the next block after a revert is
 * stamped one second after the snapshot's last block, and later blocks follow from there. A test
 * then sees the same times however long the run before it took; inside a test, a boundary that
 * matters is reached with `time.increaseTo` / `time.setNextBlockTimestamp`, never by waiting.
 * Installed for every `hardhat test` and coverage run by the mocha root hook in hardhat.config.ts.
 */
import type { EIP1193Provider, RequestArguments } from "hardhat/types";

const PINNED = Symbol.for("carechain.test.pinnedClock");

export function pinClockOnRevert(provider: EIP1193Provider): void {
  const p = provider as EIP1193Provider & { [PINNED]?: true };
  if (p[PINNED]) return;
  const request = provider.request.bind(provider);
  p.request = async (args: RequestArguments): Promise<unknown> => {
    const result = await request(args);
    if (args.method === "evm_revert" && result === true) {
      const block = (await request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
        timestamp: string;
      };
      await request({
        method: "evm_setNextBlockTimestamp",
        params: [`0x${(BigInt(block.timestamp) + 1n).toString(16)}`],
      });
    }
    return result;
  };
  p[PINNED] = true;
}
