/* tnum.h - tristate numbers: a 64-bit value where each bit is known 0, known
 * 1 or unknown.  `value` holds the known 1 bits, `mask` the unknown ones
 * (value & mask == 0).  The verifier tracks every scalar (and every pointer's
 * variable offset) as a tnum next to its min/max bounds. */
#ifndef IBPF_TNUM_H
#define IBPF_TNUM_H

#include <stdint.h>

struct tnum {
	uint64_t value;
	uint64_t mask;
};

#define TNUM(v, m) ((struct tnum){ .value = (v), .mask = (m) })
static inline struct tnum tnum_const(uint64_t v) { return TNUM(v, 0); }
static inline struct tnum tnum_unknown(void) { return TNUM(0, ~0ull); }
static inline int tnum_is_const(struct tnum a) { return !a.mask; }
static inline int tnum_is_unknown(struct tnum a) { return !~a.mask; }
static inline int tnum_equals_const(struct tnum a, uint64_t b) { return !a.mask && a.value == b; }
static inline uint64_t tnum_umin(struct tnum a) { return a.value; }
static inline uint64_t tnum_umax(struct tnum a) { return a.value | a.mask; }

/* The smallest tnum covering every value in [min, max]. */
struct tnum tnum_range(uint64_t min, uint64_t max);
struct tnum tnum_add(struct tnum a, struct tnum b);
struct tnum tnum_sub(struct tnum a, struct tnum b);
struct tnum tnum_neg(struct tnum a);
struct tnum tnum_and(struct tnum a, struct tnum b);
struct tnum tnum_or(struct tnum a, struct tnum b);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_mul(struct tnum a, struct tnum b);
struct tnum tnum_lshift(struct tnum a, unsigned shift);
struct tnum tnum_rshift(struct tnum a, unsigned shift);
struct tnum tnum_arshift(struct tnum a, unsigned shift, int insn_bitness);
/* Values both a and b allow (a and b must overlap). */
struct tnum tnum_intersect(struct tnum a, struct tnum b);
/* Values a or b allow. */
struct tnum tnum_union(struct tnum a, struct tnum b);
/* Truncate to the low `size` bytes. */
struct tnum tnum_cast(struct tnum a, unsigned size);
static inline struct tnum tnum_subreg(struct tnum a) { return tnum_cast(a, 4); }
/* Keep the upper 32 bits, clear the lower ones. */
static inline struct tnum tnum_clear_subreg(struct tnum a) { return tnum_lshift(tnum_rshift(a, 32), 32); }
/* Upper 32 bits of a, lower 32 bits from b. */
static inline struct tnum tnum_with_subreg(struct tnum a, struct tnum b)
{
	return tnum_or(tnum_clear_subreg(a), tnum_subreg(b));
}
/* Does every value b allows also fit a?  (b is "in" a) */
int tnum_in(struct tnum a, struct tnum b);
/* Format as the kernel does: "(0x0; 0xff)". */
int tnum_sbin(char *buf, unsigned long size, struct tnum a);

#endif
