// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A lot's id: `keccak256(abi.encode(uint64 gtin, string lotNumber))` (ABI type bytes32).
type LotId is bytes32;

/// @notice A shipment's id: `keccak256(abi.encode(lotId, from, to, quantity, eventHash))` (ABI type bytes32).
type ShipmentId is bytes32;
