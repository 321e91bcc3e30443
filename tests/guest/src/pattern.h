/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest tools' data pattern: the 64-bit word at file offset 8*w is
 * mix(w ^ seed), so every byte's expected value follows from its offset
 * and the seed alone.
 */
#ifndef GUEST_PATTERN_H
#define GUEST_PATTERN_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint8_t pattern_byte(uint64_t seed, uint64_t off)
{
	return (uint8_t)(mix((off >> 3) ^ seed) >> ((off & 7) * 8));
}

static inline void fill_pattern(uint8_t *buf, size_t len, uint64_t off,
				uint64_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern_byte(seed, off + i);
}

#endif
