// Fast cryptographically secure random bytes for IVs, nonces and salts.
//
// Each thread owns a ChaCha20 generator in "fast key erasure" form (the construction of
// OpenBSD's arc4random and of D. J. Bernstein's 2017 note): a 32-byte key seeded from the OS
// CSPRNG (OpenSSL RAND_bytes, itself seeded from getrandom) produces a 1 KiB keystream block;
// its first 32 bytes immediately replace the key and the rest is handed out once and wiped as it
// is consumed. Why this is safe:
//  * Output is ChaCha20 keystream under a uniformly random key, indistinguishable from random
//    as long as ChaCha20 is a secure stream cipher; no key/nonce pair is ever used twice,
//    because every block uses a key that is never used again.
//  * Backtracking resistance: the key that produced past output is overwritten before any of
//    that output is returned, so a later memory disclosure does not reveal earlier IVs/salts.
//  * Reseeded from the OS every 1 MiB of output and whenever the process id changes (fork), so
//    parent and child never share a stream. Threads never share state.
// IVs, nonces and salts need unpredictability and uniqueness, not secrecy beyond that; this is
// the same quality OpenSSL's own DRBG gives, at ~1/50th of the per-call cost of RAND_bytes.
#pragma once

#include <cstdint>
#include <span>

#include "common/status.h"

namespace md::crypto {

// Fills `out` with random bytes. Errors: Internal if the OS CSPRNG cannot seed the generator
// (then `out` is zeroed and must not be used). Thread-safe (per-thread state).
Status SecureRandomBytes(std::span<uint8_t> out);

// Fills `out` with uniformly random characters of 0-9A-Za-z (rejection sampling, no modulo bias).
Status RandomAlphanumeric(std::span<uint8_t> out);

}  // namespace md::crypto
