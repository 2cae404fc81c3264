// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordIndex} from "../interfaces/records/IRecordIndex.sol";
import {Roles} from "../access/Roles.sol";
import {RecordCategories} from "../libraries/RecordCategories.sol";
import {Secp256k1Key} from "../libraries/Secp256k1Key.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {RecordsBase} from "./RecordsBase.sol";

/**
 * @title RecordIndex
 * @notice The record-pointer module of {IRecordAccess} (see {IRecordIndex}): custodians register and version record
 * pointers (salted id, category, ciphertext hash, date, key epoch); any account registers the
 * encryption public key to which data keys are wrapped for it.
 * @dev Records are keyed by (patient, recordId), so a pointer takes two slots; see {IRecordAccess}.
 */
abstract contract RecordIndex is IRecordIndex, RecordsBase {
    bytes32 private constant _ENCRYPTION_KEY_PROOF_TYPEHASH = keccak256(
        "EncryptionKeyProof(address account,bytes publicKey)"
    );

    /// @inheritdoc IRecordIndex
    function registerRecord(
        address patient,
        bytes32 recordId,
        uint8 category,
        bytes32 contentHash,
        uint40 recordDate
    ) external onlyMember(Roles.PROVIDER) {
        if (patient == address(0) || patient == msg.sender) revert RecordAccessInvalidPatient(patient);
        if (recordId == bytes32(0)) revert RecordAccessInvalidRecordId();
        if (!RecordCategories.isValid(category)) revert RecordAccessInvalidCategory(category);
        if (contentHash == bytes32(0)) revert RecordAccessInvalidContentHash(contentHash);
        if (recordDate == 0 || recordDate > block.timestamp) revert RecordAccessInvalidRecordDate(recordDate);
        Record storage record = _getRecordsStorage()._records[patient][recordId];
        if (record.custodian != address(0)) revert RecordAccessRecordExists(patient, recordId);
        record.custodian = msg.sender;
        record.category = category;
        record.recordDate = recordDate;
        record.contentHash = contentHash;
        emit RecordRegistered(patient, recordId, msg.sender, category, recordDate, contentHash);
    }

    /// @inheritdoc IRecordIndex
    function updateRecordContent(
        address patient,
        bytes32 recordId,
        bytes32 contentHash
    ) external onlyMember(Roles.PROVIDER) {
        Record storage record = _getRecordsStorage()._records[patient][recordId];
        address custodian = record.custodian;
        if (custodian == address(0)) revert RecordAccessUnknownRecord(patient, recordId);
        if (custodian != msg.sender) revert RecordAccessNotCustodian(patient, recordId, msg.sender);
        if (contentHash == bytes32(0) || contentHash == record.contentHash) {
            revert RecordAccessInvalidContentHash(contentHash);
        }
        uint48 keyEpoch = record.keyEpoch + 1;
        record.keyEpoch = keyEpoch;
        record.contentHash = contentHash;
        emit RecordContentUpdated(patient, recordId, contentHash, keyEpoch);
    }

    /// @inheritdoc IRecordIndex
    function registerEncryptionKey(bytes calldata publicKey, bytes calldata proof) external {
        (bool valid, uint256 x, uint256 y) = Secp256k1Key.decompress(publicKey);
        if (!valid) revert RecordAccessInvalidEncryptionKey(publicKey);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(_ENCRYPTION_KEY_PROOF_TYPEHASH, msg.sender, keccak256(publicKey)))
        );
        // tryRecover refuses malformed and high-s signatures (address 0 never equals a key's address).
        (address keyAddress, , ) = ECDSA.tryRecoverCalldata(digest, proof);
        if (keyAddress != Secp256k1Key.toAddress(x, y)) {
            revert RecordAccessInvalidEncryptionKeyProof(msg.sender, publicKey);
        }
        _getRecordsStorage()._encryptionKeys[msg.sender] = publicKey;
        emit EncryptionKeyRegistered(msg.sender, publicKey);
    }

    /// @inheritdoc IRecordIndex
    function recordOf(address patient, bytes32 recordId) external view returns (Record memory) {
        return _getRecordsStorage()._records[patient][recordId];
    }

    /// @inheritdoc IRecordIndex
    function encryptionKeyOf(address account) external view returns (bytes memory) {
        return _getRecordsStorage()._encryptionKeys[account];
    }
}
