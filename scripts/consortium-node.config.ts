/**
 * The project's Hardhat config with the in-process network shaped like a free-gas consortium
 * chain (Hyperledger Besu QBFT with `zeroBaseFee` and `min-gas-price 0`): chain id 1337 and a
 * base fee of zero. Used to rehearse a consortium deployment on one machine:
 *
 *   npx hardhat --config scripts/consortium-node.config.ts node
 *
 * and then `--network besu` with BESU_URL pointing at it (see docs/CONSORTIUM.md). The base fee
 * stays zero while blocks are at most half full (EIP-1559 raises it by at least 1 wei after a
 * fuller block; Besu's zeroBaseFee pins it at zero).
 */
import path from "node:path";
import type { HardhatUserConfig } from "hardhat/config";
import baseConfig from "../hardhat.config";

export const CONSORTIUM_CHAIN_ID = 1337;

const config: HardhatUserConfig = {
  ...baseConfig,
  // paths are relative to the config file's folder unless the root is given
  paths: { ...baseConfig.paths, root: path.resolve(__dirname, "..") },
  networks: {
    ...baseConfig.networks,
    hardhat: {
      ...baseConfig.networks?.hardhat,
      chainId: CONSORTIUM_CHAIN_ID,
      initialBaseFeePerGas: 0,
    },
  },
};

export default config;
