// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Every Carechain contract is deployed behind OpenZeppelin's ERC1967Proxy (ignition/modules/*):
// importing it here makes Hardhat compile it with the project's compiler, so that Ignition, the
// tests and a block explorer's verification use the same artifact.
// solhint-disable-next-line no-unused-import
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
