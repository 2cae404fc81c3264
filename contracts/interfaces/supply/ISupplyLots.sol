// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ISupplyTypes} from "./ISupplyTypes.sol";
import {LotId} from "../../supply/types/Ids.sol";

/**
 * @title ISupplyLots
 * @notice Products and lots: a MANUFACTURER registers its GTINs and commissions lots committed to
 * the Merkle root of their serialised units (part of {ISupplyChain}).
 */
interface ISupplyLots is ISupplyTypes {
    /// @notice `manufacturer` registered GTIN `gtin`; `metadataHash` commits to the off-chain product master data.
    event ProductRegistered(uint64 indexed gtin, address indexed manufacturer, bytes32 metadataHash);
    /// @notice A lot was commissioned with `unitCount` units committed to `serialsRoot`; custody goes to `manufacturer`.
    event LotCommissioned(
        LotId indexed lotId,
        uint64 indexed gtin,
        address indexed manufacturer,
        string lotNumber,
        uint40 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 eventHash
    );

    /// @notice `gtin` is not a GTIN-14 with a valid check digit.
    error ProductInvalidGTIN(uint64 gtin);
    /// @notice `gtin` is already registered by `manufacturer`.
    error ProductAlreadyRegistered(uint64 gtin, address manufacturer);
    /// @notice `gtin` was never registered.
    error ProductUnknown(uint64 gtin);
    /// @notice `account` is not the manufacturer `manufacturer` that registered `gtin`.
    error ProductNotManufacturer(uint64 gtin, address account, address manufacturer);
    /// @notice The lot number is empty or longer than the 20 characters GS1 AI (10) allows.
    error LotInvalidNumber(string lotNumber);
    /// @notice `expiry` is not after the current block time `nowSeconds`.
    error LotInvalidExpiry(uint40 expiry, uint256 nowSeconds);
    /// @notice A lot needs at least one unit.
    error LotInvalidUnitCount(uint32 unitCount);
    /// @notice A lot needs a non-zero serials root.
    error LotZeroSerialsRoot();
    /// @notice The lot was already commissioned.
    error LotAlreadyCommissioned(LotId lotId);

    /**
     * @notice Registers GTIN `gtin` as the caller's product.
     * Requirements: caller is an active MANUFACTURER; `gtin` is a GTIN-14 with a valid check digit
     * and not yet registered.
     * Emits {ProductRegistered}.
     */
    function registerProduct(uint64 gtin, bytes32 metadataHash) external;

    /**
     * @notice Commissions lot `lotNumber` of product `gtin`: `unitCount` serialised units committed to
     * `serialsRoot`; the caller holds all of them. Costs the same whatever `unitCount`.
     * Requirements: caller is an active MANUFACTURER and registered `gtin`; `lotNumber` is 1-20 bytes;
     * `expiry` is in the future; `unitCount` > 0; `serialsRoot` non-zero; the lot is new.
     * Emits {LotCommissioned}.
     * @return lotId The lot's id, {lotIdOf}(gtin, lotNumber).
     */
    function commissionLot(
        uint64 gtin,
        string calldata lotNumber,
        uint40 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 eventHash
    ) external returns (LotId lotId);

    /// @notice The product registered under `gtin` (zero if none).
    function productOf(uint64 gtin) external view returns (Product memory);

    /// @notice The lot `lotId` (zero if none).
    function lotOf(LotId lotId) external view returns (Lot memory);

    /// @notice The lot id of lot `lotNumber` of product `gtin`: `keccak256(abi.encode(gtin, lotNumber))`.
    function lotIdOf(uint64 gtin, string calldata lotNumber) external pure returns (LotId);
}
