/**
 * Synchronous keccak-256 over hash-wasm's WebAssembly Keccak module, for bulk hashing (serial trees).
 *
 * hash-wasm's public API (`createKeccak`) is asynchronous and costs an init/update/digest round trip
 * plus a copy per hash (measured here: ~3.7 µs per 3-hash leaf of overhead alone). This wrapper
 * instantiates the same module synchronously and calls its `Hash_Calculate(length, 256, 0x01)`
 * export on its own 16 KiB I/O buffer: the caller writes the input at offset 0, calls
 * {@link KeccakWasm.hash}, and reads the 32-byte digest at offset 0. So a leaf's double hash is two
 * calls with no copy between them. Browser-safe (no Node imports); each instance is single-threaded.
 */
import { KECCAK_WASM_BASE64 } from "./keccakWasmBinary";

/** The part of the WebAssembly global this file uses (the project's TS lib has no WebAssembly types). */
declare namespace WebAssembly {
  interface Module {
    readonly __module?: never;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WebAssembly.Module;
  Instance: new (module: WebAssembly.Module, imports: object) => { exports: unknown };
};

/** One WebAssembly keccak-256 instance and its I/O buffer (hash-wasm's 16 KiB heap). */
export interface KeccakWasm {
  /** Input at offset 0 before {@link hash}; the 32-byte digest at offset 0 after it. */
  readonly buffer: Uint8Array;
  /** keccak-256 of buffer[0, length) into buffer[0, 32). length ≤ 16,384. */
  hash(length: number): void;
}

interface HashWasmExports {
  memory: WebAssembly.Memory;
  Hash_GetBuffer(): number;
  Hash_Calculate(length: number, bits: number, padding: number): void;
}

/** The largest input one call hashes (hash-wasm's MAX_HEAP). */
export const KECCAK_WASM_MAX_INPUT = 16 * 1024;

let compiled: WebAssembly.Module | undefined;
let sharedInstance: KeccakWasm | undefined;

/** The module's bytes (hash-wasm 4.13.0's sha3 binary). */
export function keccakWasmBytes(): Uint8Array {
  if (typeof Buffer !== "undefined") return new Uint8Array(Buffer.from(KECCAK_WASM_BASE64, "base64"));
  const binary = atob(KECCAK_WASM_BASE64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The compiled module (compiled once, synchronously: 4 KB), e.g. to hand to a worker thread. */
export function keccakWasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(keccakWasmBytes());
  return compiled;
}

/** A new keccak-256 instance of `module` (default: this thread's compiled module). */
export function createKeccakWasm(module: WebAssembly.Module = keccakWasmModule()): KeccakWasm {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as HashWasmExports;
  const buffer = new Uint8Array(exports.memory.buffer, exports.Hash_GetBuffer(), KECCAK_WASM_MAX_INPUT);
  const calculate = exports.Hash_Calculate;
  return { buffer, hash: (length: number) => calculate(length, 256, 0x01) };
}

/** keccak-256 of `data` (a fresh 32-byte array), on a shared instance. */
export function keccak256Wasm(data: Uint8Array): Uint8Array {
  sharedInstance ??= createKeccakWasm();
  const k = sharedInstance;
  if (data.length > KECCAK_WASM_MAX_INPUT) throw new RangeError(`keccak256Wasm hashes at most 16 KiB`);
  k.buffer.set(data, 0);
  k.hash(data.length);
  return k.buffer.slice(0, 32);
}
