// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title DataUse
 * @notice GA4GH Data Use Ontology (DUO) terms as bits of a uint16, and the O(1) check of a
 * requested use against a consented scope.
 *
 * Bits: 0 GRU general research use (DUO:0000042), 1 HMB health/medical/biomedical research
 * (DUO:0000006), 2 DS disease-specific research (DUO:0000007), 3 NCU no commercial use
 * (DUO:0000046), 4 NPU non-profit use only (DUO:0000045), 5 PUB publication required
 * (DUO:0000019), 6 COL collaboration required (DUO:0000020), 7 IRB ethics approval required
 * (DUO:0000021), 8 TS time limit on use (DUO:0000025).
 *
 * A consent has exactly one primary permission (GRU, HMB or DS) and any modifiers. A request names
 * one primary use and the modifiers it satisfies (the use is non-commercial, by a non-profit, will
 * be published, is a collaboration, has ethics approval). DUO's hierarchy: GRU covers HMB covers DS.
 */
library DataUse {
    uint16 internal constant GRU = 1 << 0;
    uint16 internal constant HMB = 1 << 1;
    uint16 internal constant DS = 1 << 2;
    uint16 internal constant NCU = 1 << 3;
    uint16 internal constant NPU = 1 << 4;
    uint16 internal constant PUB = 1 << 5;
    uint16 internal constant COL = 1 << 6;
    uint16 internal constant IRB = 1 << 7;
    uint16 internal constant TS = 1 << 8;

    uint16 internal constant PRIMARY = GRU | HMB | DS;
    /// @dev Modifiers a request must satisfy (TS is enforced by time, not by the request).
    uint16 internal constant CONDITIONS = NCU | NPU | PUB | COL | IRB;
    uint16 internal constant ALL = PRIMARY | CONDITIONS | TS;

    /// @notice Whether `scope` is a well-formed consent scope: known bits, exactly one primary permission.
    function isValidConsentScope(uint16 scope) internal pure returns (bool) {
        uint16 primary = scope & PRIMARY;
        return scope & ~ALL == 0 && (primary == GRU || primary == HMB || primary == DS);
    }

    /**
     * @notice Whether a consent of scope `consented` (and disease `consentedDisease` when DS)
     * covers a request `requested` (for disease `requestedDisease` when it asks DS). Time (TS) is
     * the caller's check.
     */
    function covers(
        uint16 consented,
        bytes32 consentedDisease,
        uint16 requested,
        bytes32 requestedDisease
    ) internal pure returns (bool) {
        if (requested & ~ALL != 0) return false;
        uint16 want = requested & PRIMARY;
        uint16 have = consented & PRIMARY;
        bool primaryOk;
        if (want == GRU) primaryOk = have == GRU;
        else if (want == HMB) primaryOk = have == GRU || have == HMB;
        else if (want == DS)
            primaryOk = have == GRU || have == HMB || (consentedDisease != 0 && consentedDisease == requestedDisease);
        if (!primaryOk) return false;
        uint16 conditions = consented & CONDITIONS;
        return requested & conditions == conditions;
    }
}
