// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ISignedActions
 * @notice Shared by every contract that accepts EIP-712 signed actions relayed by anyone: the
 * signer needs no ETH. Each signed struct carries the signer's current nonce (consumed on use,
 * so a replay fails) and a deadline; the domain binds it to one chain and one contract.
 * EOA signatures must have a low `s` (EIP-2); ERC-1271 contract signers are supported.
 */
interface ISignedActions {
    /// @notice The signature's deadline `deadline` has passed.
    error SignatureExpired(uint256 deadline);
    /// @notice The signature does not verify for `signer` over the struct with its current nonce
    /// (wrong signer, replay, other chain or contract, malleable `s`, or an ERC-1271 refusal).
    error SignatureInvalid(address signer);

    /// @notice The current EIP-712 nonce of `owner`: the value its next signed struct must carry
    /// (one sequence per signer, shared by every signature kind of this contract).
    function nonces(address owner) external view returns (uint256);

    /// @notice The EIP-712 domain separator of this contract on this chain.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
