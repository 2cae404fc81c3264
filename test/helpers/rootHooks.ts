/**
 * The mocha root hooks of every `hardhat test` and coverage run (hardhat.config.ts): the chain clock
 * pinned across fixture reverts (./clock.ts, issue 17) and Ignition's build infos parsed once
 * (./ignition.ts).
 */
import { pinClockOnRevert } from "./clock";
import { cacheIgnitionBuildInfo } from "./ignition";

export const rootHooks = {
  beforeAll(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hre = require("hardhat") as typeof import("hardhat");
    pinClockOnRevert(hre.network.provider);
    cacheIgnitionBuildInfo();
  },
};
