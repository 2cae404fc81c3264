// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRulesUpgradeable} from "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {GS1} from "../libraries/GS1.sol";
import {Roles} from "./Roles.sol";

/**
 * @title MemberRegistry
 * @notice The consortium's member organisations and their roles. See {IMemberRegistry}.
 * @dev Governance holds DEFAULT_ADMIN_ROLE under OpenZeppelin's default-admin rules: it can be
 * handed over only in two steps with a delay, and never granted by `grantRole`. The deployer
 * gets no role unless it is named as governance or registrar.
 *
 * A UUPS implementation behind an ERC-1967 proxy whose constructor calls {initialize}; only the
 * DEFAULT_ADMIN_ROLE holder (governance) upgrades it. Its state is one ERC-7201 namespace
 * ({MemberRegistryStorage}) next to OpenZeppelin's access-control namespaces.
 */
contract MemberRegistry is IMemberRegistry, Initializable, AccessControlDefaultAdminRulesUpgradeable, UUPSUpgradeable {
    bytes32 public constant REGISTRAR_ROLE = Roles.REGISTRAR;
    bytes32 public constant MANUFACTURER_ROLE = Roles.MANUFACTURER;
    bytes32 public constant WHOLESALER_ROLE = Roles.WHOLESALER;
    bytes32 public constant DISPENSER_ROLE = Roles.DISPENSER;
    bytes32 public constant PROVIDER_ROLE = Roles.PROVIDER;
    bytes32 public constant SPONSOR_ROLE = Roles.SPONSOR;
    bytes32 public constant IRB_ROLE = Roles.IRB;
    bytes32 public constant TRIAL_SITE_ROLE = Roles.TRIAL_SITE;
    bytes32 public constant RESEARCHER_ROLE = Roles.RESEARCHER;
    bytes32 public constant REGULATOR_ROLE = Roles.REGULATOR;
    bytes32 public constant SENSOR_ORACLE_ROLE = Roles.SENSOR_ORACLE;
    bytes32 public constant PRIVACY_OFFICER_ROLE = Roles.PRIVACY_OFFICER;

    /// @notice The longest endpoint URL accepted, in bytes.
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;

    /**
     * @dev The registry's own state, in one ERC-7201 namespace. Append new fields at the end, never reorder.
     * @custom:storage-location erc7201:carechain.storage.MemberRegistry
     */
    struct MemberRegistryStorage {
        mapping(address account => Member) _members;
        mapping(uint64 gln => address account) _glnHolders;
        mapping(address account => mapping(bytes32 linkType => string url)) _endpoints;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("carechain.storage.MemberRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MEMBER_REGISTRY_STORAGE_LOCATION =
        0x57dab25a8ac3709155c9fbc9d3e99b6a1a82c81a32efad963b855474fcd31900;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy (called once, by the proxy's constructor).
     * Requirements: `governance` is not the zero address ({MemberZeroGovernance}); the proxy is not
     * initialised yet ({InvalidInitialization}).
     * @param governance Holder of DEFAULT_ADMIN_ROLE (a TimelockController or multisig).
     * @param adminTransferDelay Seconds a governance hand-over must wait (OpenZeppelin default-admin rules).
     * @param initialRegistrar An operator appointed registrar at deploy, or the zero address for none.
     */
    function initialize(address governance, uint48 adminTransferDelay, address initialRegistrar) external initializer {
        __AccessControlDefaultAdminRules_init(adminTransferDelay, _nonZeroGovernance(governance));
        bytes32[11] memory domainRoles = [
            Roles.MANUFACTURER,
            Roles.WHOLESALER,
            Roles.DISPENSER,
            Roles.PROVIDER,
            Roles.SPONSOR,
            Roles.IRB,
            Roles.TRIAL_SITE,
            Roles.RESEARCHER,
            Roles.REGULATOR,
            Roles.SENSOR_ORACLE,
            Roles.PRIVACY_OFFICER
        ];
        for (uint256 i = 0; i < domainRoles.length; ++i) {
            _setRoleAdmin(domainRoles[i], Roles.REGISTRAR);
        }
        if (initialRegistrar != address(0)) _grantRole(Roles.REGISTRAR, initialRegistrar);
    }

    /// @inheritdoc IMemberRegistry
    function admitMember(address account, uint64 gln, bytes32 metadataHash) external onlyRole(Roles.REGISTRAR) {
        if (account == address(0)) revert MemberZeroAddress();
        if (_getMemberRegistryStorage()._members[account].status != MemberStatus.None)
            revert MemberAlreadyAdmitted(account);
        if (!GS1.isValidGLN(gln)) revert MemberInvalidGLN(gln);
        address holder = _getMemberRegistryStorage()._glnHolders[gln];
        if (holder != address(0)) revert MemberGLNTaken(gln, holder);

        _getMemberRegistryStorage()._members[account] = Member({
            metadataHash: metadataHash,
            gln: gln,
            status: MemberStatus.Active,
            admittedAt: uint40(block.timestamp),
            statusChangedAt: uint40(block.timestamp)
        });
        _getMemberRegistryStorage()._glnHolders[gln] = account;
        emit MemberAdmitted(account, gln, metadataHash);
    }

    /// @inheritdoc IMemberRegistry
    function updateMemberMetadata(address account, bytes32 metadataHash) external onlyRole(Roles.REGISTRAR) {
        Member storage member = _existingMember(account);
        member.metadataHash = metadataHash;
        emit MemberMetadataUpdated(account, metadataHash);
    }

    /// @inheritdoc IMemberRegistry
    function suspendMember(address account, bytes32 reasonHash) external onlyRole(Roles.REGISTRAR) {
        Member storage member = _existingMember(account);
        if (member.status != MemberStatus.Active) revert MemberUnexpectedStatus(account, member.status);
        member.status = MemberStatus.Suspended;
        member.statusChangedAt = uint40(block.timestamp);
        emit MemberSuspended(account, reasonHash);
    }

    /// @inheritdoc IMemberRegistry
    function reinstateMember(address account) external onlyRole(Roles.REGISTRAR) {
        Member storage member = _existingMember(account);
        if (member.status != MemberStatus.Suspended) revert MemberUnexpectedStatus(account, member.status);
        member.status = MemberStatus.Active;
        member.statusChangedAt = uint40(block.timestamp);
        emit MemberReinstated(account);
    }

    /// @inheritdoc IMemberRegistry
    function setEndpoint(bytes32 linkType, string calldata url) external {
        MemberStatus status = _getMemberRegistryStorage()._members[msg.sender].status;
        if (status == MemberStatus.None) revert MemberNotFound(msg.sender);
        if (status != MemberStatus.Active) revert MemberUnexpectedStatus(msg.sender, status);
        uint256 length = bytes(url).length;
        if (length > MAX_ENDPOINT_LENGTH) revert MemberEndpointTooLong(length, MAX_ENDPOINT_LENGTH);
        if (length != 0 && !_isHttpUrl(bytes(url))) revert MemberEndpointNotHttp();
        _getMemberRegistryStorage()._endpoints[msg.sender][linkType] = url;
        emit MemberEndpointSet(msg.sender, linkType, url);
    }

    /// @inheritdoc IMemberRegistry
    function endpointOf(address account, bytes32 linkType) external view returns (string memory) {
        return _getMemberRegistryStorage()._endpoints[account][linkType];
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address account) external view returns (Member memory) {
        return _getMemberRegistryStorage()._members[account];
    }

    /// @inheritdoc IMemberRegistry
    function memberByGLN(uint64 gln) external view returns (address) {
        return _getMemberRegistryStorage()._glnHolders[gln];
    }

    /// @inheritdoc IMemberRegistry
    function isActiveMember(address account) public view returns (bool) {
        return _getMemberRegistryStorage()._members[account].status == MemberStatus.Active;
    }

    /// @inheritdoc IMemberRegistry
    function hasActiveRole(bytes32 role, address account) external view returns (bool) {
        return isActiveMember(account) && hasRole(role, account);
    }

    /// @inheritdoc IMemberRegistry
    function isDomainRole(bytes32 role) external pure returns (bool) {
        return Roles.isDomainRole(role);
    }

    /**
     * @dev Only the registrar role and the domain roles exist besides governance's, and a
     * domain role is granted only to an admitted member (a suspended one may keep or get roles;
     * they count again when it is reinstated).
     */
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (Roles.isDomainRole(role)) {
            if (_getMemberRegistryStorage()._members[account].status == MemberStatus.None)
                revert MemberNotFound(account);
        } else if (role != Roles.REGISTRAR && role != DEFAULT_ADMIN_ROLE) {
            revert MemberUnknownRole(role);
        }
        return super._grantRole(role, account);
    }

    /// @dev Upgrades are governance's alone: reverts with {AccessControlUnauthorizedAccount} unless the
    /// caller holds DEFAULT_ADMIN_ROLE (the consortium's TimelockController in production).
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _existingMember(address account) private view returns (Member storage member) {
        member = _getMemberRegistryStorage()._members[account];
        if (member.status == MemberStatus.None) revert MemberNotFound(account);
    }

    /// @dev `https://` or `http://` followed by at least one character (scheme in lower case).
    function _isHttpUrl(bytes calldata url) private pure returns (bool) {
        if (url.length > 8 && bytes8(url[:8]) == bytes8("https://")) return true;
        return url.length > 7 && bytes7(url[:7]) == bytes7("http://");
    }

    function _getMemberRegistryStorage() private pure returns (MemberRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := MEMBER_REGISTRY_STORAGE_LOCATION
        }
    }

    function _nonZeroGovernance(address governance) private pure returns (address) {
        if (governance == address(0)) revert MemberZeroGovernance();
        return governance;
    }
}
