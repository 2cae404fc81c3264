/** Storage slots as Solidity lays them out, for tests that read a proxy's storage directly. */
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

/** The ERC-7201 slot of namespace `id`: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff. */
export function erc7201(id: string): bigint {
  const inner = BigInt(keccak256(toUtf8Bytes(id))) - 1n;
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner]))) & ~0xffn;
}

/** The slot of `mapping[key]` for a mapping at `slot` (Solidity's layout: keccak256(key . slot)). */
export function mappingSlot(keyType: string, key: unknown, slot: bigint): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode([keyType, "uint256"], [key, slot])));
}
