// SHA-256 block compression with the x86 SHA extensions (SHA-NI), for LitModel's SHA256. The
// portable implementation lives in Swift; this target only offers the hardware path and says
// whether the running CPU has it.
#ifndef LITGRAPH_CSHA256_H
#define LITGRAPH_CSHA256_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)

/// 1 when the CPU executes SHA-NI, SSSE3 and SSE4.1 (what `lit_sha256_compress_shani` uses), else 0.
int lit_sha256_shani_available(void);

/// Compresses `count` 64-byte blocks at `blocks` into `state` (the eight working words a…h).
/// Only call when `lit_sha256_shani_available()` returned 1.
void lit_sha256_compress_shani(uint32_t state[8], const uint8_t *blocks, size_t count);

#endif

#endif
