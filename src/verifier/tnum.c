/* tnum.c - tristate number arithmetic (see tnum.h).  The rules are the
 * standard ones for known-bits analysis: an output bit is known when every
 * combination of the unknown input bits gives the same result. */
#include <stdio.h>

#include "verifier/tnum.h"

struct tnum tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max, delta;
	int bits;

	/* Bits above the highest differing bit are shared by every value. */
	bits = chi ? 64 - __builtin_clzll(chi) : 0;
	if (bits > 63)
		return tnum_unknown();
	delta = (1ull << bits) - 1;
	return TNUM(min & ~delta, delta);
}

struct tnum tnum_lshift(struct tnum a, unsigned shift)
{
	shift &= 63;
	return TNUM(a.value << shift, a.mask << shift);
}

struct tnum tnum_rshift(struct tnum a, unsigned shift)
{
	shift &= 63;
	return TNUM(a.value >> shift, a.mask >> shift);
}

struct tnum tnum_arshift(struct tnum a, unsigned shift, int insn_bitness)
{
	/* An unknown sign bit smears unknown bits into the top, a known one
	 * smears itself. */
	if (insn_bitness == 32)
		return TNUM((uint32_t)((int32_t)(uint32_t)a.value >> (shift & 31)),
			    (uint32_t)((int32_t)(uint32_t)a.mask >> (shift & 31)));
	return TNUM((uint64_t)((int64_t)a.value >> (shift & 63)),
		    (uint64_t)((int64_t)a.mask >> (shift & 63)));
}

struct tnum tnum_add(struct tnum a, struct tnum b)
{
	uint64_t sm = a.mask + b.mask, sv = a.value + b.value;
	uint64_t sigma = sm + sv, chi = sigma ^ sv;
	uint64_t mu = chi | a.mask | b.mask;     /* bits a carry may have touched */
	return TNUM(sv & ~mu, mu);
}

struct tnum tnum_sub(struct tnum a, struct tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask, beta = dv - b.mask;
	uint64_t chi = alpha ^ beta, mu = chi | a.mask | b.mask;
	return TNUM(dv & ~mu, mu);
}

struct tnum tnum_neg(struct tnum a)
{
	return tnum_sub(tnum_const(0), a);
}

struct tnum tnum_and(struct tnum a, struct tnum b)
{
	uint64_t alpha = a.value | a.mask, beta = b.value | b.mask;
	uint64_t v = a.value & b.value;
	return TNUM(v, alpha & beta & ~v);
}

struct tnum tnum_or(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask | b.mask;
	return TNUM(v, mu & ~v);
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint64_t v = a.value ^ b.value, mu = a.mask | b.mask;
	return TNUM(v & ~mu, mu);
}

/* Multiply by summing shifted partial products: a known 1 bit of a adds b
 * shifted, an unknown bit adds "maybe b" (b's bits all unknown). */
struct tnum tnum_mul(struct tnum a, struct tnum b)
{
	struct tnum acc_v = tnum_const(a.value * b.value);
	struct tnum acc_m = tnum_const(0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc_m = tnum_add(acc_m, TNUM(0, b.mask));
		else if (a.mask & 1)
			acc_m = tnum_add(acc_m, TNUM(0, b.value | b.mask));
		a = tnum_rshift(a, 1);
		b = tnum_lshift(b, 1);
	}
	return tnum_add(acc_v, acc_m);
}

struct tnum tnum_intersect(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask & b.mask;
	return TNUM(v & ~mu, mu);
}

struct tnum tnum_union(struct tnum a, struct tnum b)
{
	uint64_t mu = a.mask | b.mask | (a.value ^ b.value);
	return TNUM(a.value & ~mu, mu);
}

struct tnum tnum_cast(struct tnum a, unsigned size)
{
	uint64_t keep = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	return TNUM(a.value & keep, a.mask & keep);
}

int tnum_in(struct tnum a, struct tnum b)
{
	if (b.mask & ~a.mask)
		return 0;
	b.value &= ~a.mask;
	return a.value == b.value;
}

int tnum_sbin(char *buf, unsigned long size, struct tnum a)
{
	return snprintf(buf, size, "(0x%llx; 0x%llx)", (unsigned long long)a.value,
			(unsigned long long)a.mask);
}
