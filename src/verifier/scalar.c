/* scalar.c - what the verifier knows about a scalar: a tnum plus signed and
 * unsigned bounds, both for the full 64 bits and for the low 32 bits, kept
 * consistent with each other (reg_bounds_sync).  ALU transfer functions and
 * branch refinement on those bounds live here.  None of this rejects
 * anything: it only computes what is known. */
#include <stdbool.h>

#include "verifier/env.h"

#define U32_MAXV 0xffffffffull
#define S32_MINV (-2147483647 - 1)
#define S32_MAXV 2147483647

static inline int64_t max_s64(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t min_s64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static void mark_64_unbounded(struct reg_state *r)
{
	r->smin = INT64_MIN;
	r->smax = INT64_MAX;
	r->umin = 0;
	r->umax = UINT64_MAX;
}

static void mark_32_unbounded(struct reg_state *r)
{
	r->s32_min = S32_MINV;
	r->s32_max = S32_MAXV;
	r->u32_min = 0;
	r->u32_max = (uint32_t)U32_MAXV;
}

void reg_mark_unknown(struct reg_state *r)
{
	struct reg_state z = { 0 };
	*r = z;
	r->type = SCALAR_VALUE;
	r->var_off = tnum_unknown();
	mark_64_unbounded(r);
	mark_32_unbounded(r);
}

void reg_mark_const(struct reg_state *r, uint64_t v)
{
	struct reg_state z = { 0 };
	*r = z;
	r->type = SCALAR_VALUE;
	r->var_off = tnum_const(v);
	r->smin = r->smax = (int64_t)v;
	r->umin = r->umax = v;
	r->s32_min = r->s32_max = (int32_t)v;
	r->u32_min = r->u32_max = (uint32_t)v;
}

void reg_mark_const32(struct reg_state *r, uint32_t v)
{
	reg_mark_const(r, v);
}

int reg_is_const(const struct reg_state *r)
{
	return r->type == SCALAR_VALUE && tnum_is_const(r->var_off);
}

/* Tighten bounds from the tnum. */
static void update_bounds(struct reg_state *r)
{
	struct tnum v = r->var_off, v32 = tnum_subreg(v);

	r->smin = max_s64(r->smin, (int64_t)(v.value | (v.mask & (1ull << 63))));
	r->smax = min_s64(r->smax, (int64_t)(v.value | (v.mask & ~(1ull << 63))));
	r->umin = max_u64(r->umin, v.value);
	r->umax = min_u64(r->umax, v.value | v.mask);
	r->s32_min = (int32_t)max_s64(r->s32_min,
				      (int32_t)(uint32_t)(v32.value | (v32.mask & 0x80000000u)));
	r->s32_max = (int32_t)min_s64(r->s32_max,
				      (int32_t)(uint32_t)(v32.value | (v32.mask & 0x7fffffffu)));
	r->u32_min = (uint32_t)max_u64(r->u32_min, v32.value);
	r->u32_max = (uint32_t)min_u64(r->u32_max, v32.value | v32.mask);
}

/* Learn each of the four ranges from the others. */
static void deduce_bounds(struct reg_state *r)
{
	/* 32-bit signed <-> unsigned, when the range does not cross the sign. */
	if ((int32_t)r->u32_min <= (int32_t)r->u32_max) {
		r->s32_min = (int32_t)max_s64(r->s32_min, (int32_t)r->u32_min);
		r->s32_max = (int32_t)min_s64(r->s32_max, (int32_t)r->u32_max);
	}
	if ((uint32_t)r->s32_min <= (uint32_t)r->s32_max) {
		r->u32_min = (uint32_t)max_u64(r->u32_min, (uint32_t)r->s32_min);
		r->u32_max = (uint32_t)min_u64(r->u32_max, (uint32_t)r->s32_max);
	}
	/* 64-bit -> 32-bit when the upper halves agree. */
	if ((r->umin >> 32) == (r->umax >> 32)) {
		r->u32_min = (uint32_t)max_u64(r->u32_min, (uint32_t)r->umin);
		r->u32_max = (uint32_t)min_u64(r->u32_max, (uint32_t)r->umax);
		if ((int32_t)r->umin <= (int32_t)r->umax) {
			r->s32_min = (int32_t)max_s64(r->s32_min, (int32_t)r->umin);
			r->s32_max = (int32_t)min_s64(r->s32_max, (int32_t)r->umax);
		}
	}
	if (((uint64_t)r->smin >> 32) == ((uint64_t)r->smax >> 32)) {
		if ((uint32_t)r->smin <= (uint32_t)r->smax) {
			r->u32_min = (uint32_t)max_u64(r->u32_min, (uint32_t)r->smin);
			r->u32_max = (uint32_t)min_u64(r->u32_max, (uint32_t)r->smax);
		}
		if ((int32_t)r->smin <= (int32_t)r->smax) {
			r->s32_min = (int32_t)max_s64(r->s32_min, (int32_t)r->smin);
			r->s32_max = (int32_t)min_s64(r->s32_max, (int32_t)r->smax);
		}
	}
	/* 32-bit -> 64-bit when the value fits in the low half. */
	if (r->umax <= U32_MAXV) {
		r->umin = max_u64(r->umin, r->u32_min);
		r->umax = min_u64(r->umax, r->u32_max);
	}
	if (r->smin >= S32_MINV && r->smax <= S32_MAXV) {
		r->smin = max_s64(r->smin, r->s32_min);
		r->smax = min_s64(r->smax, r->s32_max);
	}
	/* 64-bit signed <-> unsigned. */
	if ((int64_t)r->umin <= (int64_t)r->umax) {
		r->smin = max_s64(r->smin, (int64_t)r->umin);
		r->smax = min_s64(r->smax, (int64_t)r->umax);
	}
	if ((uint64_t)r->smin <= (uint64_t)r->smax) {
		r->umin = max_u64(r->umin, (uint64_t)r->smin);
		r->umax = min_u64(r->umax, (uint64_t)r->smax);
	}
}

/* Tighten the tnum from the bounds. */
static void bound_offset(struct reg_state *r)
{
	struct tnum v64 = tnum_intersect(r->var_off, tnum_range(r->umin, r->umax));
	struct tnum v32 = tnum_intersect(tnum_subreg(r->var_off),
					 tnum_range(r->u32_min, r->u32_max));
	r->var_off = tnum_or(tnum_clear_subreg(v64), v32);
}

void reg_bounds_sync(struct reg_state *r)
{
	update_bounds(r);
	deduce_bounds(r);
	deduce_bounds(r);
	bound_offset(r);
	update_bounds(r);
}

void reg_bounds_from_var_off(struct reg_state *r)
{
	mark_64_unbounded(r);
	mark_32_unbounded(r);
	reg_bounds_sync(r);
}

/* After a 32-bit operation: the upper half is zero. */
void reg_zext32(struct reg_state *r)
{
	r->var_off = tnum_subreg(r->var_off);
	r->umin = r->u32_min;
	r->umax = r->u32_max;
	r->smin = r->u32_min;
	r->smax = r->u32_max;
	reg_bounds_sync(r);
}

void reg_truncate(struct reg_state *r, int size)
{
	if (size >= 8)
		return;
	uint64_t mask = (1ull << (size * 8)) - 1;
	r->var_off = tnum_cast(r->var_off, (unsigned)size);
	if ((r->umin & ~mask) == (r->umax & ~mask)) {
		r->umin &= mask;
		r->umax &= mask;
		if (r->umin > r->umax) {
			r->umin = 0;
			r->umax = mask;
		}
	} else {
		r->umin = 0;
		r->umax = mask;
	}
	r->smin = (int64_t)r->umin;
	r->smax = (int64_t)r->umax;
	mark_32_unbounded(r);
	reg_bounds_sync(r);
}

void reg_sext_to(struct reg_state *r, int bits, int is64)
{
	/* Exact when the value is known; otherwise the range of the type. */
	if (tnum_is_const(r->var_off)) {
		uint64_t v = r->var_off.value;
		int64_t s = bits == 8 ? (int8_t)v : bits == 16 ? (int16_t)v : (int32_t)v;
		if (is64)
			reg_mark_const(r, (uint64_t)s);
		else
			reg_mark_const(r, (uint32_t)s);
		return;
	}
	/* If the value already fits the positive half of the narrow type,
	 * sign extension is zero extension. */
	uint64_t half = 1ull << (bits - 1);
	if (r->umax < half) {
		reg_truncate(r, bits / 8);
	} else {
		int64_t lo = -(int64_t)half, hi = (int64_t)half - 1;
		reg_mark_unknown(r);
		r->smin = lo;
		r->smax = hi;
		reg_bounds_sync(r);
	}
	if (!is64)
		reg_zext32(r);
}

/* ---- arithmetic on ranges ------------------------------------------------- */

/* One domain of bounds: the full 64 bits, or the low 32 bits. */
struct rng {
	int64_t smin, smax;
	uint64_t umin, umax;
	struct tnum var;
	int bits;
};

static struct rng rng_of(const struct reg_state *r, int bits)
{
	if (bits == 64)
		return (struct rng){ r->smin, r->smax, r->umin, r->umax, r->var_off, 64 };
	return (struct rng){ r->s32_min, r->s32_max, r->u32_min, r->u32_max,
			     tnum_subreg(r->var_off), 32 };
}

static int64_t smin_of(int bits) { return bits == 64 ? INT64_MIN : S32_MINV; }
static int64_t smax_of(int bits) { return bits == 64 ? INT64_MAX : S32_MAXV; }
static uint64_t umax_of(int bits) { return bits == 64 ? UINT64_MAX : U32_MAXV; }

static void rng_unbound_s(struct rng *r) { r->smin = smin_of(r->bits); r->smax = smax_of(r->bits); }
static void rng_unbound_u(struct rng *r) { r->umin = 0; r->umax = umax_of(r->bits); }

/* Fit a signed result computed without overflow into the domain. */
static void rng_set_s(struct rng *r, int64_t lo, int64_t hi, bool ovf)
{
	if (ovf || lo < smin_of(r->bits) || hi > smax_of(r->bits))
		rng_unbound_s(r);
	else {
		r->smin = lo;
		r->smax = hi;
	}
}

static void rng_set_u(struct rng *r, uint64_t lo, uint64_t hi, bool ovf)
{
	if (ovf || hi > umax_of(r->bits))
		rng_unbound_u(r);
	else {
		r->umin = lo;
		r->umax = hi;
	}
}

static void store_rng(struct reg_state *r, const struct rng *x)
{
	if (x->bits == 64) {
		r->smin = x->smin;
		r->smax = x->smax;
		r->umin = x->umin;
		r->umax = x->umax;
		r->var_off = x->var;
		mark_32_unbounded(r);
		reg_bounds_sync(r);
	} else {
		r->s32_min = (int32_t)x->smin;
		r->s32_max = (int32_t)x->smax;
		r->u32_min = (uint32_t)x->umin;
		r->u32_max = (uint32_t)x->umax;
		r->var_off = tnum_subreg(x->var);
		mark_64_unbounded(r);
		reg_zext32(r);
	}
}

static bool sadd_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_add_overflow(a, b, r); }
static bool ssub_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_sub_overflow(a, b, r); }
static bool smul_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_mul_overflow(a, b, r); }

static void rng_add(struct rng *d, const struct rng *s)
{
	int64_t lo, hi;
	bool o1 = sadd_ovf(d->smin, s->smin, &lo), o2 = sadd_ovf(d->smax, s->smax, &hi);
	rng_set_s(d, lo, hi, o1 || o2);
	uint64_t ulo = d->umin + s->umin, uhi = d->umax + s->umax;
	rng_set_u(d, ulo, uhi, uhi < d->umax || ulo < d->umin);
	d->var = tnum_add(d->var, s->var);
}

static void rng_sub(struct rng *d, const struct rng *s)
{
	int64_t lo, hi;
	bool o1 = ssub_ovf(d->smin, s->smax, &lo), o2 = ssub_ovf(d->smax, s->smin, &hi);
	rng_set_s(d, lo, hi, o1 || o2);
	if (d->umin < s->umax)
		rng_unbound_u(d);
	else
		rng_set_u(d, d->umin - s->umax, d->umax - s->umin, false);
	d->var = tnum_sub(d->var, s->var);
}

static void rng_mul(struct rng *d, const struct rng *s)
{
	int64_t p[4];
	bool ovf = smul_ovf(d->smin, s->smin, &p[0]) | smul_ovf(d->smin, s->smax, &p[1]) |
		   smul_ovf(d->smax, s->smin, &p[2]) | smul_ovf(d->smax, s->smax, &p[3]);
	int64_t lo = p[0], hi = p[0];
	for (int i = 1; i < 4; i++) {
		lo = min_s64(lo, p[i]);
		hi = max_s64(hi, p[i]);
	}
	rng_set_s(d, lo, hi, ovf);
	uint64_t ulo, uhi;
	bool uo = __builtin_mul_overflow(d->umax, s->umax, &uhi);
	ulo = d->umin * s->umin;
	rng_set_u(d, ulo, uhi, uo);
	d->var = tnum_mul(d->var, s->var);
}

/* Bitwise ops: unsigned bounds from the tnum and the operands, signed ones
 * only when both operands are known non-negative. */
static void rng_bitwise(struct rng *d, const struct rng *s, int op)
{
	bool nonneg = d->smin >= 0 && s->smin >= 0;
	uint64_t umax_d = d->umax, umax_s = s->umax, umin_d = d->umin, umin_s = s->umin;

	if (op == BPF_AND) {
		d->var = tnum_and(d->var, s->var);
		d->umin = d->var.value;
		d->umax = min_u64(umax_d, umax_s);
	} else if (op == BPF_OR) {
		d->var = tnum_or(d->var, s->var);
		d->umin = max_u64(umin_d, umin_s);
		d->umax = d->var.value | d->var.mask;
	} else {
		d->var = tnum_xor(d->var, s->var);
		d->umin = d->var.value;
		d->umax = d->var.value | d->var.mask;
	}
	if (nonneg && d->umax <= (uint64_t)smax_of(d->bits)) {
		d->smin = (int64_t)d->umin;
		d->smax = (int64_t)d->umax;
	} else {
		rng_unbound_s(d);
	}
}

static void rng_shift(struct rng *d, uint64_t k, int op)
{
	if (op == BPF_LSH) {
		if (d->umax > (umax_of(d->bits) >> k))
			rng_unbound_u(d);
		else {
			d->umin <<= k;
			d->umax <<= k;
		}
		rng_unbound_s(d);
		d->var = tnum_cast(tnum_lshift(d->var, (unsigned)k), (unsigned)d->bits / 8);
	} else if (op == BPF_RSH) {
		d->umin >>= k;
		d->umax >>= k;
		rng_unbound_s(d);
		d->var = tnum_rshift(d->var, (unsigned)k);
	} else {   /* BPF_ARSH */
		d->smin >>= k;
		d->smax >>= k;
		rng_unbound_u(d);
		d->var = tnum_cast(tnum_arshift(d->var, (unsigned)k, d->bits), (unsigned)d->bits / 8);
	}
}

static void rng_unknown(struct rng *d)
{
	rng_unbound_s(d);
	rng_unbound_u(d);
	d->var = d->bits == 64 ? tnum_unknown() : TNUM(0, U32_MAXV);
}

/* dst = dst OP src for scalars.  Returns 0; never rejects (the checks for
 * division by a zero constant and bad shift constants live in alu.c). */
int scalar_alu(struct env *e, const struct ibpf_insn *in, struct reg_state *dst,
	       const struct reg_state *src, int is64)
{
	int bits = is64 ? 64 : 32;
	int op = BPF_OP(ibpf_ops[in->op].code);
	int sdiv = in->off == 1 && (op == BPF_DIV || op == BPF_MOD);
	struct rng d = rng_of(dst, bits), s = rng_of(src, bits);
	bool src_const = tnum_is_const(s.var);

	(void)e;
	/* Both known: compute exactly with the engine's own semantics. */
	if (tnum_is_const(d.var) && src_const && op != BPF_END) {
		uint64_t a = d.var.value, b = s.var.value, r = 0;
		uint64_t m = bits == 64 ? ~0ull : U32_MAXV;
		a &= m;
		b &= m;
		switch (op) {
		case BPF_ADD: r = a + b; break;
		case BPF_SUB: r = a - b; break;
		case BPF_MUL: r = a * b; break;
		case BPF_OR: r = a | b; break;
		case BPF_AND: r = a & b; break;
		case BPF_XOR: r = a ^ b; break;
		case BPF_LSH: r = a << (b & (bits - 1)); break;
		case BPF_RSH: r = a >> (b & (bits - 1)); break;
		case BPF_ARSH:
			r = bits == 64 ? (uint64_t)((int64_t)a >> (b & 63))
				       : (uint32_t)((int32_t)(uint32_t)a >> (b & 31));
			break;
		case BPF_NEG: r = -a; break;
		case BPF_DIV: case BPF_MOD:
			if (!b)
				r = op == BPF_DIV ? 0 : a;
			else if (!sdiv)
				r = op == BPF_DIV ? a / b : a % b;
			else if (bits == 64)
				r = (int64_t)b == -1 ? (op == BPF_DIV ? -a : 0)
				    : (uint64_t)(op == BPF_DIV ? (int64_t)a / (int64_t)b
							       : (int64_t)a % (int64_t)b);
			else
				r = (int32_t)b == -1 ? (op == BPF_DIV ? (uint32_t)-a : 0)
				    : (uint32_t)(op == BPF_DIV ? (int32_t)a / (int32_t)b
							       : (int32_t)a % (int32_t)b);
			break;
		}
		r &= m;
		reg_mark_const(dst, r);
		return 0;
	}
	switch (op) {
	case BPF_ADD: rng_add(&d, &s); break;
	case BPF_SUB: rng_sub(&d, &s); break;
	case BPF_MUL: rng_mul(&d, &s); break;
	case BPF_AND: case BPF_OR: case BPF_XOR: rng_bitwise(&d, &s, op); break;
	case BPF_LSH: case BPF_RSH: case BPF_ARSH:
		if (src_const && s.var.value < (uint64_t)bits)
			rng_shift(&d, s.var.value, op);
		else
			rng_unknown(&d);
		break;
	case BPF_NEG: {
		struct rng zero = { 0, 0, 0, 0, tnum_const(0), bits };
		rng_sub(&zero, &d);
		d = zero;
		break;
	}
	case BPF_DIV: case BPF_MOD:
		/* As the kernel: nothing is learned from a division. */
		rng_unknown(&d);
		break;
	default:
		rng_unknown(&d);
	}
	store_rng(dst, &d);
	return 0;
}

/* ---- branches ---------------------------------------------------------- */

/* Is `a OP b` always true (1), always false (0), or unknown (-1)?  Works on
 * the 64-bit or the 32-bit view. */
int branch_taken(const struct reg_state *dst, const struct reg_state *src, int op, int is32)
{
	struct rng a = rng_of(dst, is32 ? 32 : 64), b = rng_of(src, is32 ? 32 : 64);

	switch (op) {
	case BPF_JEQ:
		if (tnum_is_const(a.var) && tnum_is_const(b.var))
			return a.var.value == b.var.value;
		if (a.umin > b.umax || a.umax < b.umin || a.smin > b.smax || a.smax < b.smin)
			return 0;
		if ((a.var.value ^ b.var.value) & ~(a.var.mask | b.var.mask))
			return 0;
		return -1;
	case BPF_JNE: {
		int t = branch_taken(dst, src, BPF_JEQ, is32);
		return t < 0 ? -1 : !t;
	}
	case BPF_JSET:
		if (tnum_is_const(b.var) && tnum_is_const(a.var))
			return (a.var.value & b.var.value) != 0;
		if (a.var.value & b.var.value)
			return 1;
		if (!((a.var.value | a.var.mask) & (b.var.value | b.var.mask)))
			return 0;
		return -1;
	case BPF_JGT:
		if (a.umin > b.umax) return 1;
		if (a.umax <= b.umin) return 0;
		return -1;
	case BPF_JGE:
		if (a.umin >= b.umax) return 1;
		if (a.umax < b.umin) return 0;
		return -1;
	case BPF_JLT:
		if (a.umax < b.umin) return 1;
		if (a.umin >= b.umax) return 0;
		return -1;
	case BPF_JLE:
		if (a.umax <= b.umin) return 1;
		if (a.umin > b.umax) return 0;
		return -1;
	case BPF_JSGT:
		if (a.smin > b.smax) return 1;
		if (a.smax <= b.smin) return 0;
		return -1;
	case BPF_JSGE:
		if (a.smin >= b.smax) return 1;
		if (a.smax < b.smin) return 0;
		return -1;
	case BPF_JSLT:
		if (a.smax < b.smin) return 1;
		if (a.smin >= b.smax) return 0;
		return -1;
	case BPF_JSLE:
		if (a.smax <= b.smin) return 1;
		if (a.smin > b.smax) return 0;
		return -1;
	}
	return -1;
}

/* The condition that holds on the fall-through side. */
static int negate(int op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	}
	return -1;   /* JSET has no simple negation */
}

/* The condition with operands swapped: a OP b  <=>  b swap(OP) a. */
static int swap_op(int op)
{
	switch (op) {
	case BPF_JGT: return BPF_JLT;
	case BPF_JLT: return BPF_JGT;
	case BPF_JGE: return BPF_JLE;
	case BPF_JLE: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGE;
	}
	return op;
}

/* Apply "a OP b holds" to a's range in the given domain. */
static void refine_one(struct rng *a, const struct rng *b, int op)
{
	switch (op) {
	case BPF_JEQ:
		a->umin = max_u64(a->umin, b->umin);
		a->umax = min_u64(a->umax, b->umax);
		a->smin = max_s64(a->smin, b->smin);
		a->smax = min_s64(a->smax, b->smax);
		a->var = tnum_intersect(a->var, b->var);
		break;
	case BPF_JNE:
		/* Only a constant at an edge of the range helps. */
		if (tnum_is_const(b->var)) {
			uint64_t v = b->var.value & umax_of(a->bits);
			int64_t sv = a->bits == 64 ? (int64_t)v : (int32_t)(uint32_t)v;
			if (a->umin == v && a->umin < a->umax) a->umin++;
			else if (a->umax == v && a->umin < a->umax) a->umax--;
			if (a->smin == sv && a->smin < a->smax) a->smin++;
			else if (a->smax == sv && a->smin < a->smax) a->smax--;
		}
		break;
	case BPF_JGT:
		if (b->umin < UINT64_MAX)
			a->umin = max_u64(a->umin, b->umin + 1);
		break;
	case BPF_JGE: a->umin = max_u64(a->umin, b->umin); break;
	case BPF_JLT:
		if (b->umax > 0)
			a->umax = min_u64(a->umax, b->umax - 1);
		break;
	case BPF_JLE: a->umax = min_u64(a->umax, b->umax); break;
	case BPF_JSGT:
		if (b->smin < INT64_MAX)
			a->smin = max_s64(a->smin, b->smin + 1);
		break;
	case BPF_JSGE: a->smin = max_s64(a->smin, b->smin); break;
	case BPF_JSLT:
		if (b->smax > INT64_MIN)
			a->smax = min_s64(a->smax, b->smax - 1);
		break;
	case BPF_JSLE: a->smax = min_s64(a->smax, b->smax); break;
	}
}

static void store_refined(struct reg_state *r, const struct rng *x)
{
	if (x->bits == 64) {
		r->smin = x->smin;
		r->smax = x->smax;
		r->umin = x->umin;
		r->umax = x->umax;
		r->var_off = x->var;
	} else {
		r->s32_min = (int32_t)x->smin;
		r->s32_max = (int32_t)x->smax;
		r->u32_min = (uint32_t)x->umin;
		r->u32_max = (uint32_t)x->umax;
		r->var_off = tnum_with_subreg(r->var_off, x->var);
	}
	reg_bounds_sync(r);
}

void branch_refine(struct reg_state *dst, struct reg_state *src, int op, int is32, int taken)
{
	int bits = is32 ? 32 : 64;
	struct rng a, b;

	if (!taken) {
		if (op == BPF_JSET) {
			/* not taken: every bit of a constant mask is zero in dst */
			if (reg_is_const(src) && dst->type == SCALAR_VALUE) {
				uint64_t m = src->var_off.value;
				if (is32)
					m &= U32_MAXV;
				dst->var_off = tnum_and(dst->var_off, tnum_const(~m));
				reg_bounds_sync(dst);
			}
			return;
		}
		op = negate(op);
	} else if (op == BPF_JSET) {
		return;
	}
	if (dst->type != SCALAR_VALUE || src->type != SCALAR_VALUE)
		return;    /* pointer comparisons refine nothing but NULL-ness */
	a = rng_of(dst, bits);
	b = rng_of(src, bits);
	refine_one(&a, &b, op);
	store_refined(dst, &a);
	if (src != dst) {
		a = rng_of(src, bits);
		b = rng_of(dst, bits);
		refine_one(&a, &b, swap_op(op));
		store_refined(src, &a);
	}
}

int range_within(const struct reg_state *old, const struct reg_state *cur)
{
	return old->umin <= cur->umin && old->umax >= cur->umax &&
	       old->smin <= cur->smin && old->smax >= cur->smax &&
	       old->u32_min <= cur->u32_min && old->u32_max >= cur->u32_max &&
	       old->s32_min <= cur->s32_min && old->s32_max >= cur->s32_max;
}
