// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordIndex} from "../interfaces/records/IRecordIndex.sol";
import {Roles} from "../access/Roles.sol";
import {RecordCategories} from "../libraries/RecordCategories.sol";
import {RecordsBase} from "./RecordsBase.sol";

/**
 * @title RecordIndex
 * @notice The record-pointer module of {IRecordAccess} (see {IRecordIndex}): custodians register and version record
 * pointers (salted id, category, ciphertext hash, date, key epoch); any account registers the
 * encryption public key to which data keys are wrapped for it.
 * @dev Records are keyed by (patient, recordId), so a pointer takes two slots; see {IRecordAccess}.
 */
abstract contract RecordIndex is IRecordIndex, RecordsBase {
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
    function registerEncryptionKey(bytes calldata publicKey) external {
        if (publicKey.length != 33 || (publicKey[0] != 0x02 && publicKey[0] != 0x03)) {
            revert RecordAccessInvalidEncryptionKey(publicKey);
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
