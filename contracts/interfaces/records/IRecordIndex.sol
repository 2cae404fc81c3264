// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordTypes} from "./IRecordTypes.sol";

// Indexed topics are the ids and actors histories filter by (patient, record, grantee, provider);
// codes, masks and times stay in the data, where indexing them would buy no query.
// solhint-disable gas-indexed-events

/**
 * @title IRecordIndex
 * @notice Record pointers and encryption keys (part of {IRecordAccess}): custodians register and
 * version record pointers (salted id, category, ciphertext hash, date, key epoch); any account
 * registers the encryption public key to which data keys are wrapped for it.
 */
interface IRecordIndex is IRecordTypes {
    /// @notice `custodian` registered record `recordId` of `patient`.
    event RecordRegistered(
        address indexed patient,
        bytes32 indexed recordId,
        address indexed custodian,
        uint8 category,
        uint40 recordDate,
        bytes32 contentHash
    );
    /// @notice The custodian re-encrypted record `recordId`: new ciphertext hash, new key epoch.
    event RecordContentUpdated(address indexed patient, bytes32 indexed recordId, bytes32 contentHash, uint48 keyEpoch);
    /// @notice `account` registered its secp256k1 encryption public key (33 bytes, compressed).
    event EncryptionKeyRegistered(address indexed account, bytes publicKey);
    /// @notice A record id must not be zero.
    error RecordAccessInvalidRecordId();
    /// @notice `category` is not one of the codes 0..8.
    error RecordAccessInvalidCategory(uint8 category);
    /// @notice A content hash must be non-zero and differ from the current one.
    error RecordAccessInvalidContentHash(bytes32 contentHash);
    /// @notice `recordDate` is zero or in the future.
    error RecordAccessInvalidRecordDate(uint40 recordDate);
    /// @notice `patient` already has a record `recordId`.
    error RecordAccessRecordExists(address patient, bytes32 recordId);
    /// @notice `patient` has no record `recordId`.
    error RecordAccessUnknownRecord(address patient, bytes32 recordId);
    /// @notice `caller` is not the custodian of record `recordId` of `patient`.
    error RecordAccessNotCustodian(address patient, bytes32 recordId, address caller);
    /// @notice `publicKey` is not a point of secp256k1 in 33-byte compressed form (0x02 / 0x03 ‖ x, x < p, on the curve).
    error RecordAccessInvalidEncryptionKey(bytes publicKey);
    /// @notice `proof` is not a signature by the key `publicKey` over its {registerEncryptionKey} struct for `account`.
    error RecordAccessInvalidEncryptionKeyProof(address account, bytes publicKey);

    /**
     * @notice Registers the pointer of a record the caller holds (the caller becomes its custodian).
     * @param recordId salted hash naming the record (see the SDK's `recordIdOf`); reveals nothing.
     * @param contentHash keccak256 of the ciphertext envelope.
     * Requirements: caller an active PROVIDER; `patient` non-zero and not the caller; `recordId` and
     * `contentHash` non-zero; `category` ≤ 8; `recordDate` non-zero and not in the future; no record
     * `recordId` of `patient` yet.
     * Emits {RecordRegistered}.
     */
    function registerRecord(
        address patient,
        bytes32 recordId,
        uint8 category,
        bytes32 contentHash,
        uint40 recordDate
    ) external;

    /**
     * @notice The custodian records a new version of a record (re-encrypted under a new data key):
     * the content hash changes and the key epoch is bumped.
     * Requirements: caller an active PROVIDER and the record's custodian; `contentHash` non-zero and new.
     * Emits {RecordContentUpdated}.
     */
    function updateRecordContent(address patient, bytes32 recordId, bytes32 contentHash) external;

    /**
     * @notice Registers (or replaces) the caller's encryption public key, to which record data keys are
     * wrapped (ECIES over secp256k1). Use a key kept for encryption, not the account's signing key.
     * @param publicKey the key, 33 bytes compressed (0x02 / 0x03 ‖ x).
     * @param proof proof of possession: a 65-byte ECDSA signature (r ‖ s ‖ v, low s) made with the
     * encryption private key over the EIP-712 struct
     * `EncryptionKeyProof(address account,bytes publicKey)` in this contract's domain (chain id,
     * contract), `account` the caller. It is a signature by the raw key, not by the account, so ERC-1271
     * does not apply; the account is the sender. It carries no nonce or deadline: it can only ever
     * register that key for that account, on this chain and contract, and only that account can send it.
     * Requirements: `publicKey` a point of secp256k1 (x < p, y² = x³ + 7 mod p, y of the prefix's
     * parity); `proof` recovers to the address of `publicKey`.
     * Emits {EncryptionKeyRegistered}.
     */
    function registerEncryptionKey(bytes calldata publicKey, bytes calldata proof) external;
    /// @notice The record pointer (zero custodian: none).
    function recordOf(address patient, bytes32 recordId) external view returns (Record memory);
    /// @notice `account`'s registered encryption public key (empty: none).
    function encryptionKeyOf(address account) external view returns (bytes memory);
}
