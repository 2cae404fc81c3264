// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IMemberRegistry
 * @notice The consortium's register of member organisations and their roles, shared by every
 * Carechain domain. A member is an address admitted with its GS1 GLN; it acts in a domain only
 * while it is active and holds the domain's role. Suspending a member stops it everywhere at once.
 *
 * Administration: governance (a TimelockController or multisig given at deploy) holds
 * DEFAULT_ADMIN_ROLE and appoints registrars; registrars admit, suspend and reinstate members
 * and grant or revoke the domain roles. Role changes are OpenZeppelin AccessControl events.
 */
interface IMemberRegistry {
    /// @notice Lifecycle of a member. `None` is the zero value: an address never admitted.
    enum MemberStatus {
        None,
        Active,
        Suspended
    }

    /// @notice What the registry holds about a member organisation (one storage slot + the hash).
    struct Member {
        bytes32 metadataHash;
        uint64 gln;
        MemberStatus status;
        uint40 admittedAt;
        uint40 statusChangedAt;
    }

    /// @notice `account` was admitted with GLN `gln`; `metadataHash` commits to its off-chain profile.
    event MemberAdmitted(address indexed account, uint64 indexed gln, bytes32 metadataHash);
    /// @notice `account`'s off-chain profile commitment changed.
    event MemberMetadataUpdated(address indexed account, bytes32 metadataHash);
    /// @notice `account` was suspended; `reasonHash` commits to the off-chain reason.
    event MemberSuspended(address indexed account, bytes32 reasonHash);
    /// @notice `account` was reinstated after a suspension.
    event MemberReinstated(address indexed account);
    /**
     * @notice `account` published `url` as its service of GS1 link type `linkType`
     * (`keccak256("gs1:verificationService")` for a manufacturer's verification responder); an
     * empty `url` withdraws it.
     */
    event MemberEndpointSet(address indexed account, bytes32 indexed linkType, string url);

    /// @notice The zero address cannot be a member.
    error MemberZeroAddress();
    /// @notice `gln` is not 13 digits with a valid GS1 check digit.
    error MemberInvalidGLN(uint64 gln);
    /// @notice `gln` is already registered to `holder`.
    error MemberGLNTaken(uint64 gln, address holder);
    /// @notice `account` is already a member.
    error MemberAlreadyAdmitted(address account);
    /// @notice `account` was never admitted.
    error MemberNotFound(address account);
    /// @notice `account` is `current`, which the action is not allowed from.
    error MemberUnexpectedStatus(address account, MemberStatus current);
    /// @notice `role` is not one of the domain roles that members may hold.
    error MemberUnknownRole(bytes32 role);
    /// @notice The governance address given at deploy is the zero address.
    error MemberZeroGovernance();
    /// @notice An endpoint URL of `length` bytes is longer than `max`.
    error MemberEndpointTooLong(uint256 length, uint256 max);
    /// @notice An endpoint URL must start with `https://` or `http://` (lower case).
    error MemberEndpointNotHttp();

    /**
     * @notice Admits `account` as an active member with GS1 GLN `gln`.
     * Requirements: caller holds REGISTRAR_ROLE; `account` is not zero and not yet a member;
     * `gln` is a valid 13-digit GLN not registered to anyone.
     * Emits {MemberAdmitted}.
     */
    function admitMember(address account, uint64 gln, bytes32 metadataHash) external;

    /**
     * @notice Replaces a member's off-chain profile commitment.
     * Requirements: caller holds REGISTRAR_ROLE; `account` is a member.
     * Emits {MemberMetadataUpdated}.
     */
    function updateMemberMetadata(address account, bytes32 metadataHash) external;

    /**
     * @notice Suspends an active member: it acts in no domain until reinstated. Its roles are kept.
     * Requirements: caller holds REGISTRAR_ROLE; `account` is active.
     * Emits {MemberSuspended}.
     */
    function suspendMember(address account, bytes32 reasonHash) external;

    /**
     * @notice Reinstates a suspended member.
     * Requirements: caller holds REGISTRAR_ROLE; `account` is suspended.
     * Emits {MemberReinstated}.
     */
    function reinstateMember(address account) external;

    /**
     * @notice Publishes (or, with an empty `url`, withdraws) the caller's own endpoint for GS1 link
     * type `linkType` — the directory through which a pharmacy finds a manufacturer's verification
     * responder (`linkType = keccak256("gs1:verificationService")`) from the lot's manufacturer on
     * chain. A URL is neither secret nor personal: the service behind it authenticates its callers.
     * Requirements: caller is an active member; `url` is empty or starts with `https://` or
     * `http://` and is at most 256 bytes. Emits {MemberEndpointSet}.
     */
    function setEndpoint(bytes32 linkType, string calldata url) external;

    /// @notice `account`'s published endpoint for `linkType`, or "" (check {isActiveMember} before use).
    function endpointOf(address account, bytes32 linkType) external view returns (string memory);

    /// @notice What the registry holds about `account` (all zero if never admitted).
    function memberOf(address account) external view returns (Member memory);

    /// @notice The member holding `gln`, or the zero address.
    function memberByGLN(uint64 gln) external view returns (address);

    /// @notice Whether `account` is an admitted, non-suspended member. O(1).
    function isActiveMember(address account) external view returns (bool);

    /// @notice Whether `account` is an active member holding `role`. O(1); what every domain calls.
    function hasActiveRole(bytes32 role, address account) external view returns (bool);

    /// @notice Whether `role` is one of the domain roles members may hold.
    function isDomainRole(bytes32 role) external pure returns (bool);
}
