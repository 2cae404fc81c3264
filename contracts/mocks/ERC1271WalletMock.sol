// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// solhint-disable immutable-vars-naming, avoid-low-level-calls, no-inline-assembly

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @dev A smart-account stand-in for tests: accepts a hash signed by its owner key while `accepting`.
contract ERC1271WalletMock is IERC1271 {
    error ERC1271WalletMockNotOwner(address caller);

    address public immutable owner;
    bool public accepting = true;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @dev Lets a test model a wallet whose answer changes after a signature was recorded.
    function setAccepting(bool accepting_) external {
        accepting = accepting_;
    }

    /// @dev Lets the wallet itself call a contract (a patient acting directly from a smart account).
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert ERC1271WalletMockNotOwner(msg.sender);
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (accepting && err == ECDSA.RecoverError.NoError && recovered == owner) {
            return IERC1271.isValidSignature.selector;
        }
        return 0xffffffff;
    }
}
