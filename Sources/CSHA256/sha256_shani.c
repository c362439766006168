// SHA-256 compression (FIPS 180-4) on the SHA extensions of x86-64. SHA256RNDS2 does two rounds on
// the working words held as two vectors, {a,b,e,f} and {c,d,g,h} (a, c in the top lane); SHA256MSG1
// and SHA256MSG2 compute four message-schedule words at a time. The functions carry their own
// target attribute so the rest of the build needs no flags; callers check the CPU first.
#include "CSHA256.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

int lit_sha256_shani_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int ssse3 = 1u << 9, sse41 = 1u << 19;
    if ((ecx & ssse3) == 0 || (ecx & sse41) == 0) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const unsigned int sha = 1u << 29;
    return (ebx & sha) != 0;
}

#define SHANI __attribute__((target("sha,sse4.1")))

static const uint32_t round_constants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// Four rounds with schedule words `w` (w[i] in lane i) and constants `k`. SHA256RNDS2 takes
/// {c,d,g,h} and {a,b,e,f} and returns the new {a,b,e,f}; after two rounds the old {a,b,e,f} is the
/// new {c,d,g,h}, so the two vectors swap roles between the two instructions and are back in place
/// after the second.
static inline SHANI void four_rounds(__m128i *abef, __m128i *cdgh, __m128i w, const uint32_t *k) {
    const __m128i wk = _mm_add_epi32(w, _mm_load_si128((const __m128i *)k));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    // The instruction reads its two W+K words from the low half: bring lanes 2 and 3 down.
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

/// Schedule words w[i..i+3] from w[i-16..i-13], w[i-12..i-9], w[i-8..i-5], w[i-4..i-1]:
/// MSG1 adds σ0 of the next word to each of the first four, the w[i-7] terms are lanes 1…3 of
/// `w8` and lane 0 of `w12`, and MSG2 adds σ1(w[j-2]), chaining through the words it makes.
static inline SHANI __m128i schedule(__m128i w0, __m128i w4, __m128i w8, __m128i w12) {
    const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w4), _mm_alignr_epi8(w12, w8, 4));
    return _mm_sha256msg2_epu32(partial, w12);
}

SHANI void lit_sha256_compress_shani(uint32_t state[8], const uint8_t *blocks, size_t count) {
    // Big-endian words: reverse the bytes of each 32-bit lane.
    const __m128i byteswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    // {a,b,c,d} and {e,f,g,h} (a and e in lane 0) into {f,e,b,a} and {h,g,d,c} (lane 0 first).
    const __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    const __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    const __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
    const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);

    for (size_t n = 0; n < count; n++) {
        const uint8_t *block = blocks + 64 * n;
        const __m128i saved_abef = abef, saved_cdgh = cdgh;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 0)), byteswap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16)), byteswap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 32)), byteswap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 48)), byteswap);
        four_rounds(&abef, &cdgh, w0, round_constants + 0);
        four_rounds(&abef, &cdgh, w1, round_constants + 4);
        four_rounds(&abef, &cdgh, w2, round_constants + 8);
        four_rounds(&abef, &cdgh, w3, round_constants + 12);
        for (int r = 16; r < 64; r += 16) {
            w0 = schedule(w0, w1, w2, w3);
            four_rounds(&abef, &cdgh, w0, round_constants + r);
            w1 = schedule(w1, w2, w3, w0);
            four_rounds(&abef, &cdgh, w1, round_constants + r + 4);
            w2 = schedule(w2, w3, w0, w1);
            four_rounds(&abef, &cdgh, w2, round_constants + r + 8);
            w3 = schedule(w3, w0, w1, w2);
            four_rounds(&abef, &cdgh, w3, round_constants + r + 12);
        }
        abef = _mm_add_epi32(abef, saved_abef);
        cdgh = _mm_add_epi32(cdgh, saved_cdgh);
    }

    // Back to {a,b,c,d} and {e,f,g,h}.
    const __m128i abef_up = _mm_shuffle_epi32(abef, 0x1B);   // {a,b,e,f}
    const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);      // {g,h,c,d}
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abef_up, ghcd, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abef_up, 8));
}

#endif
