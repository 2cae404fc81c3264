// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ISignedActions} from "../interfaces/ISignedActions.sol";

/**
 * @title SignedActions
 * @notice Base for contracts that accept EIP-712 signed actions. See {ISignedActions}.
 * @dev A signed function builds its struct hash with `_useNonce(signer)` as the nonce field, then
 * calls {_checkSignature}. OpenZeppelin's ECDSA refuses high-`s` signatures; SignatureChecker
 * falls back to ERC-1271 for contract signers.
 *
 * Behind a proxy: nonces live in OpenZeppelin's ERC-7201 namespace (`openzeppelin.storage.Nonces`),
 * and the domain is the proxy's address with the name and version each contract returns from
 * `_EIP712Name`/`_EIP712Version` as constants (OpenZeppelin's documented alternative to storing
 * them: no storage read per signature, and no initializer can leave them unset). An upgrade that
 * keeps those two constants keeps every signature made before it valid.
 */
abstract contract SignedActions is ISignedActions, EIP712Upgradeable, NoncesUpgradeable {
    /// @inheritdoc ISignedActions
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc ISignedActions
    function nonces(address owner) public view virtual override(ISignedActions, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    /**
     * @dev Reverts with {SignatureExpired} after `deadline`, or {SignatureInvalid} unless `signature`
     * is `signer`'s over the typed-data hash of `structHash` in this contract's domain.
     */
    function _checkSignature(
        address signer,
        bytes32 structHash,
        uint256 deadline,
        bytes calldata signature
    ) internal view {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashTypedDataV4(structHash), signature)) {
            revert SignatureInvalid(signer);
        }
    }
}
