/**
 * The endpoint directory: how a pharmacy finds the responder that answers for a pack. The chain
 * holds both halves: the product's manufacturer (SupplyChain.productOf) and that member's published
 * endpoint per GS1 link type (MemberRegistry.endpointOf, set by the member itself with setEndpoint).
 * Browser-safe (ethers contracts only).
 */
import { id, type ContractRunner } from "ethers";
import { connectContract } from "../contracts";
import { parsePack } from "../gs1/elementString";

/** GS1 Digital Link link types a member may publish (the registry keys them by keccak256 of the name). */
export const LinkType = {
  /** A manufacturer's verification responder (DSCSA VRS / GS1 Lightweight Messaging). */
  verificationService: "gs1:verificationService",
} as const;

/** The registry key of GS1 link type `name`, e.g. `linkTypeKey("gs1:verificationService")`. */
export function linkTypeKey(name: string): string {
  return id(name);
}

/** Why no responder could be found for a pack (its message says what to do). */
export class EndpointNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EndpointNotFoundError";
  }
}

/**
 * The verification responder URL for a scanned pack or a GTIN, read from the chain (the SupplyChain at
 * `supplyChain` and the registry it uses): the product's
 * manufacturer, which must be an active member, and the endpoint it published. Throws
 * {@link EndpointNotFoundError} naming the missing link.
 */
export async function resolveVerificationEndpoint(
  runner: ContractRunner,
  supplyChain: string,
  packOrGtin: string | bigint,
): Promise<string> {
  const gtin = typeof packOrGtin === "bigint" ? packOrGtin : BigInt(parsePack(packOrGtin).gtin);
  const supply = connectContract("SupplyChain", supplyChain, runner);
  // The registry the SupplyChain itself trusts: no second address to configure.
  const registry = connectContract("MemberRegistry", await supply.registry(), runner);
  const gtin14 = gtin.toString().padStart(14, "0");
  const { manufacturer } = await supply.productOf(gtin);
  if (manufacturer === "0x0000000000000000000000000000000000000000") {
    throw new EndpointNotFoundError(`GTIN ${gtin14} is not registered on chain: the pack cannot be genuine`);
  }
  if (!(await registry.isActiveMember(manufacturer))) {
    throw new EndpointNotFoundError(`GTIN ${gtin14}'s manufacturer ${manufacturer} is not an active member`);
  }
  const url = await registry.endpointOf(manufacturer, linkTypeKey(LinkType.verificationService));
  if (url === "") {
    throw new EndpointNotFoundError(
      `GTIN ${gtin14}'s manufacturer ${manufacturer} has published no verification responder ` +
        `(registry.setEndpoint("${LinkType.verificationService}", url)); give the responder's URL yourself`,
    );
  }
  return url;
}
