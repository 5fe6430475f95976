/* gen.c - the verifier fuzzer's program generator.
 *
 * Programs are written, not sprayed: a program is a prologue, a few
 * "snippets" from the shapes verifier bugs live in (linked registers,
 * diamonds, spills and fills, variable-offset and atomic accesses, bpf_loop,
 * local calls with stack pointers, callx through every kind of function
 * pointer, map helpers, delete-after-lookup, read-only data), and an
 * epilogue returning an accumulator (r9) of everything the snippets read.
 *
 * Most snippets end in a memory access whose offset comes from scalar code
 * (a "prelude").  The generator runs the prelude itself on a few hundred
 * edge-biased inputs (a tiny register evaluator below) to learn the range
 * of the offset, then places the access so it is in bounds for every value
 * it saw: a correct verifier should accept that.  A share of snippets
 * (bad_percent) keep a flaw (a range that does not fit, an off-by-one loop,
 * a pointer overwritten before use) that a correct verifier rejects.  The
 * runner then checks that whatever the verifier accepted never misbehaves.
 *
 * Register conventions in the entry function: r6 = ctx, r9 = accumulator,
 * r8 = a map value pointer while a snippet uses one; r1-r5, r0, r7 scratch.
 * In subprograms r6 = the pointer argument, r7 = the scalar argument.
 *
 * Entry frame: [-64,0) spills, [-128,-64) BUF (indexed), [-136,-128) map key,
 * [-200,-136) map value to update, [-232,-200) printk format, [-256,-232)
 * function pointers.  Subprogram frames: [-64,0) indexed, [-96,-64) spills.
 */
#include <string.h>
#include <stdio.h>

#include "vfuzz.h"

#define NFN 12
#define FN_INSNS 600

enum { MK_ARR, MK_HASH, MK_RO, MK_RO_NF, MK_TAB, MK_VT, MK__N };

struct fnbuf {
	struct bpf_insn ins[FN_INSNS];
	int n;
	int is_cb;          /* bpf_loop callback: returns 0/1, r2 may be NULL */
	int region;         /* bytes behind the pointer argument */
	int depth;
};

struct rel { int fn, idx, target; };
struct srel { int map, slot, target; };

struct g {
	uint64_t s;
	struct vf_case *c;
	const struct vf_gen_opts *o;
	int prog;
	struct fnbuf fn[NFN];
	int nfn, cur;
	struct rel rel[256];
	int nrel;
	struct srel srel[VF_MAX_SLOTS * 4];
	int nsrel;
	int mapk[MK__N];
	int skips[64], nskips;
	int overflow;
	int recurse;        /* next new_fn calls this function back (-2: itself) */
};

#define R(n) (g->s ? vf_below(&g->s, (n)) : 0)
#define CH(p) vf_chance(&g->s, (p))
#define CUR (&g->fn[g->cur])

static void E(struct g *g, struct bpf_insn in)
{
	if (CUR->n >= FN_INSNS - 4) {
		g->overflow = 1;
		return;
	}
	CUR->ins[CUR->n++] = in;
}

static struct bpf_insn I(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn in = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
	return in;
}

static const int szcode[9] = { 0, BPF_B, BPF_H, 0, BPF_W, 0, 0, 0, BPF_DW };

static void mov_imm(struct g *g, int d, int32_t v) { E(g, I(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, v)); }
static void mov_reg(struct g *g, int d, int s) { E(g, I(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)); }
static void alu_imm(struct g *g, int op, int d, int32_t v) { E(g, I(BPF_ALU64 | op | BPF_K, d, 0, 0, v)); }
static void alu_reg(struct g *g, int op, int d, int s) { E(g, I(BPF_ALU64 | op | BPF_X, d, s, 0, 0)); }
static void ldx(struct g *g, int sz, int d, int s, int off) { E(g, I(BPF_LDX | BPF_MEM | szcode[sz], d, s, (int16_t)off, 0)); }
static void stx(struct g *g, int sz, int d, int s, int off) { E(g, I(BPF_STX | BPF_MEM | szcode[sz], d, s, (int16_t)off, 0)); }
static void st(struct g *g, int sz, int d, int off, int32_t v) { E(g, I(BPF_ST | BPF_MEM | szcode[sz], d, 0, (int16_t)off, v)); }
static void call(struct g *g, int id) { E(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, id)); }
static void exit_(struct g *g) { E(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)); }

static void dict(struct g *g, uint64_t v)
{
	struct vf_case *c = g->c;
	for (int i = 0; i < c->ndict; i++)
		if (c->dict[i] == v)
			return;
	if (c->ndict < VF_MAX_DICT)
		c->dict[c->ndict++] = v;
	else
		c->dict[R(VF_MAX_DICT)] = v;
}

static void ld_imm64(struct g *g, int d, int src, int32_t lo, int32_t hi)
{
	E(g, I(BPF_LD | BPF_DW | BPF_IMM, d, src, 0, lo));
	E(g, I(0, 0, 0, 0, hi));
}

static void ld_func(struct g *g, int d, int target)
{
	if (g->nrel < 256)
		g->rel[g->nrel++] = (struct rel){ g->cur, CUR->n, target };
	ld_imm64(g, d, BPF_PSEUDO_FUNC, 0, 0);
}

static void call_local(struct g *g, int target)
{
	if (g->nrel < 256)
		g->rel[g->nrel++] = (struct rel){ g->cur, CUR->n, target };
	E(g, I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0));
}

/* A forward jump to the end of the current snippet (patched by snip_end). */
#define SKIP_OFF 0x7fff
static void skip_if(struct g *g, uint8_t code, int d, int s, int32_t imm)
{
	if (g->nskips < 64)
		g->skips[g->nskips++] = CUR->n;
	E(g, I(code, d, s, SKIP_OFF, imm));
}
static void snip_begin(struct g *g) { g->nskips = 0; }
static void snip_end(struct g *g)
{
	for (int i = 0; i < g->nskips; i++) {
		struct bpf_insn *in = &CUR->ins[g->skips[i]];
		if (g->skips[i] < CUR->n && in->off == SKIP_OFF)
			in->off = (int16_t)(CUR->n - g->skips[i] - 1);
	}
	g->nskips = 0;
}

/* ---- the prelude evaluator ------------------------------------------------- */

static const uint64_t edges[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 0x7fff, 0x8000,
	0xffff, 0x10000, 0x7fffffff, 0x80000000ull, 0xffffffffull, 0x100000000ull,
	0x100000001ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~0ull - 1,
	~0ull - 7, 0xffffffff00000000ull, 0xffffff80ull, 0xff80ull, ~0ull - 127,
};

static uint64_t sample(struct g *g)
{
	uint64_t v;
	switch (R(5)) {
	case 0: v = R(300); break;
	case 1: v = edges[R(sizeof(edges) / sizeof(edges[0]))]; break;
	case 2: v = g->c->ndict ? g->c->dict[R(g->c->ndict)] + R(3) - 1 : R(64); break;
	case 3: v = vf_rand(&g->s); break;
	default: v = (uint64_t)(int64_t)(int)(R(160)) - 80; break;
	}
	return v;
}

struct range { int64_t lo, hi; uint64_t or_bits; int reached, total; };

/* Run insns [start, end) of the current function once; r = the register
 * whose value reaches `end`.  1: reached end, 0: skipped, -1: cannot tell. */
static int eval_once(struct g *g, int start, int end, int reg, int64_t *out)
{
	uint64_t r[11];
	uint8_t stk[512];
	struct bpf_insn *ins = CUR->ins;

	memset(stk, 0, sizeof(stk));
	for (int i = 0; i < 10; i++)
		r[i] = sample(g);
	r[10] = 0;
	int pc = start;
	for (int steps = 0; steps < 400; steps++) {
		if (pc == end) {
			*out = (int64_t)r[reg];
			return 1;
		}
		if (pc > end || pc < start)
			return 0;
		struct bpf_insn *in = &ins[pc];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		if (cls == BPF_ALU || cls == BPF_ALU64) {
			int is64 = cls == BPF_ALU64;
			uint64_t a = r[in->dst_reg];
			uint64_t b = BPF_SRC(in->code) == BPF_X ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
			if (in->dst_reg == 10 || (BPF_SRC(in->code) == BPF_X && in->src_reg == 10))
				return -1;
			if (!is64) {
				a = (uint32_t)a;
				b = (uint32_t)b;
			}
			int sh = is64 ? 63 : 31;
			switch (op) {
			case BPF_ADD: a += b; break;
			case BPF_SUB: a -= b; break;
			case BPF_MUL: a *= b; break;
			case BPF_OR: a |= b; break;
			case BPF_AND: a &= b; break;
			case BPF_XOR: a ^= b; break;
			case BPF_LSH: a <<= (b & (uint64_t)sh); break;
			case BPF_RSH: a >>= (b & (uint64_t)sh); break;
			case BPF_ARSH:
				a = is64 ? (uint64_t)((int64_t)a >> (b & 63)) : (uint32_t)((int32_t)a >> (b & 31));
				break;
			case BPF_NEG: a = -a; break;
			case BPF_MOV:
				if (BPF_SRC(in->code) == BPF_X && in->off) {
					uint64_t s = r[in->src_reg];
					a = in->off == 8 ? (uint64_t)(int8_t)s : in->off == 16 ? (uint64_t)(int16_t)s
					    : (uint64_t)(int32_t)s;
				} else {
					a = b;
				}
				break;
			default: return -1;
			}
			r[in->dst_reg] = is64 ? a : (uint32_t)a;
			pc++;
		} else if (cls == BPF_LDX && BPF_MODE(in->code) == BPF_MEM) {
			int sz = BPF_SIZE(in->code) == BPF_B ? 1 : BPF_SIZE(in->code) == BPF_H ? 2
				 : BPF_SIZE(in->code) == BPF_W ? 4 : 8;
			uint64_t v = 0;
			if (in->src_reg == 10) {
				int o = 512 + in->off;
				if (o < 0 || o + sz > 512)
					return -1;
				memcpy(&v, stk + o, (size_t)sz);
			} else {
				v = sample(g);
				if (sz < 8)
					v &= (1ull << (8 * sz)) - 1;
			}
			r[in->dst_reg] = v;
			pc++;
		} else if ((cls == BPF_STX || cls == BPF_ST) && BPF_MODE(in->code) == BPF_MEM) {
			int sz = BPF_SIZE(in->code) == BPF_B ? 1 : BPF_SIZE(in->code) == BPF_H ? 2
				 : BPF_SIZE(in->code) == BPF_W ? 4 : 8;
			uint64_t v = cls == BPF_STX ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
			if (in->dst_reg == 10) {
				int o = 512 + in->off;
				if (o < 0 || o + sz > 512)
					return -1;
				memcpy(stk + o, &v, (size_t)sz);
			}
			pc++;
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT) {
			int64_t tgt = in->off == SKIP_OFF ? 1 << 20 : pc + 1 + in->off;
			if (op == BPF_JA) {
				pc = (int)tgt;
				continue;
			}
			uint64_t a = r[in->dst_reg];
			uint64_t b = BPF_SRC(in->code) == BPF_X ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
			int64_t sa, sb;
			if (cls == BPF_JMP32) {
				a = (uint32_t)a, b = (uint32_t)b;
				sa = (int32_t)a, sb = (int32_t)b;
			} else {
				sa = (int64_t)a, sb = (int64_t)b;
			}
			int t;
			switch (op) {
			case BPF_JEQ: t = a == b; break;
			case BPF_JNE: t = a != b; break;
			case BPF_JGT: t = a > b; break;
			case BPF_JGE: t = a >= b; break;
			case BPF_JLT: t = a < b; break;
			case BPF_JLE: t = a <= b; break;
			case BPF_JSET: t = (a & b) != 0; break;
			case BPF_JSGT: t = sa > sb; break;
			case BPF_JSGE: t = sa >= sb; break;
			case BPF_JSLT: t = sa < sb; break;
			case BPF_JSLE: t = sa <= sb; break;
			default: return -1;
			}
			pc = t ? (int)(tgt > (1 << 20) ? (1 << 20) : tgt) : pc + 1;
		} else {
			return -1;
		}
	}
	return -1;
}

static int eval_range(struct g *g, int start, int reg, struct range *rg)
{
	int end = CUR->n;
	memset(rg, 0, sizeof(*rg));
	rg->lo = INT64_MAX;
	rg->hi = INT64_MIN;
	for (int i = 0; i < 400; i++) {
		int64_t v;
		int k = eval_once(g, start, end, reg, &v);
		if (k < 0)
			return -1;
		rg->total++;
		if (!k)
			continue;
		rg->reached++;
		rg->or_bits |= (uint64_t)v;
		if (v < rg->lo)
			rg->lo = v;
		if (v > rg->hi)
			rg->hi = v;
	}
	return 0;
}

/* ---- maps -------------------------------------------------------------------- */

static int get_map(struct g *g, int kind)
{
	struct vf_case *c = g->c;
	if (g->mapk[kind] >= 0)
		return g->mapk[kind];
	if (c->nmaps >= VF_MAX_MAPS)
		return -1;
	int i = c->nmaps++;
	struct vf_map *m = &c->maps[i];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->key_size = 4;
	switch (kind) {
	case MK_ARR:
		m->type = BPF_MAP_TYPE_ARRAY;
		m->value_size = CH(50) ? 64 : 32;
		m->max_entries = 1 + R(4);
		break;
	case MK_HASH:
		m->type = BPF_MAP_TYPE_HASH;
		m->value_size = CH(50) ? 32 : 16;
		m->max_entries = 8;
		m->nent = (int)R(4);
		for (int e = 0; e < m->nent; e++) {
			uint32_t k = (uint32_t)e;
			memcpy(m->keys[e], &k, 4);
			for (uint32_t b = 0; b < m->value_size; b++)
				m->vals[e][b] = (uint8_t)vf_rand(&g->s);
		}
		break;
	case MK_RO:
	case MK_RO_NF:
		m->type = BPF_MAP_TYPE_ARRAY;
		m->value_size = 64;
		m->max_entries = 1;
		m->flags = BPF_F_RDONLY_PROG;
		m->frozen = kind == MK_RO;
		for (uint32_t b = 0; b < 64; b++)
			m->data[b] = (uint8_t)R(57);   /* usable as offsets into BUF */
		memcpy(m->data + 48, "v=%d\n\0\0\0", 8);
		break;
	case MK_TAB:
		m->type = 0x1001;   /* IBPF_MAP_TYPE_INSN_SET */
		m->value_size = 8;
		m->max_entries = 1;   /* set by the first user */
		m->extra = 1;       /* IBPF_F_CALL_TABLE */
		m->frozen = 1;
		break;
	case MK_VT:
		m->type = BPF_MAP_TYPE_ARRAY;
		m->value_size = 64;
		m->max_entries = 1;
		m->flags = BPF_F_RDONLY_PROG;
		m->frozen = 1;
		for (uint32_t b = 0; b < 64; b++)
			m->data[b] = (uint8_t)R(57);
		break;
	}
	g->mapk[kind] = i;
	return i;
}

static void ld_map(struct g *g, int d, int map)
{
	ld_imm64(g, d, BPF_PSEUDO_MAP_FD, map, 0);
}

static void ld_map_value(struct g *g, int d, int map, int off)
{
	ld_imm64(g, d, BPF_PSEUDO_MAP_VALUE, map, off);
}

/* ---- snippets ---------------------------------------------------------------- */

static int load_sizes(struct g *g)
{
	static const int s[] = { 1, 1, 2, 4, 4, 8 };
	return s[R(6)];
}

/* A fresh scalar into reg: from ctx in the entry function, from the scalar
 * argument or the pointer region in subprograms. */
static void scalar_src(struct g *g, int reg)
{
	if (g->cur == 0) {
		int sz = load_sizes(g);
		ldx(g, sz, reg, 6, (int)R(VF_CTX_SIZE / sz) * sz);
	} else if (CUR->region >= 8 && CH(40)) {
		int sz = load_sizes(g);
		ldx(g, sz, reg, 6, (int)R((uint32_t)(CUR->region / sz)) * sz);
	} else {
		mov_reg(g, reg, 7);
		if (CH(50))
			alu_imm(g, BPF_RSH, reg, (int32_t)R(40));
	}
}

static const uint8_t jops[] = { BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE, BPF_JSGT, BPF_JSGE,
				BPF_JSLT, BPF_JSLE, BPF_JEQ, BPF_JNE, BPF_JSET };

/* A bound on reg: mask, or a branch to the snippet end. */
static void bound(struct g *g, int reg, int maxv)
{
	int k = maxv + (CH(g->o->bad_percent) ? (int)R(3) + 1 : 0);
	dict(g, (uint64_t)k);
	dict(g, (uint64_t)k + 1);
	switch (R(6)) {
	case 0: {
		int m = 1;
		while (m * 2 - 1 <= maxv)
			m *= 2;
		alu_imm(g, BPF_AND, reg, m - 1);
		break;
	}
	case 1:
		skip_if(g, BPF_JMP | BPF_JGE | BPF_K, reg, 0, k + 1);
		break;
	case 2:
		skip_if(g, BPF_JMP | BPF_JSGT | BPF_K, reg, 0, k);
		skip_if(g, BPF_JMP | BPF_JSLT | BPF_K, reg, 0, 0);
		break;
	case 3:
		skip_if(g, BPF_JMP32 | BPF_JGT | BPF_K, reg, 0, k);
		break;
	case 4: {   /* if reg <= k goto use; goto skip; use: */
		E(g, I(BPF_JMP | BPF_JLE | BPF_K, reg, 0, 1, k));
		skip_if(g, BPF_JMP | BPF_JA, 0, 0, 0);
		break;
	}
	default:
		skip_if(g, BPF_JMP | BPF_JGT | BPF_K, reg, 0, k);
		break;
	}
}

/* Memory regions an offset can index: 0 the frame's indexed area, 1 the
 * pointer argument (subprograms), 2 a map value held in r8. */
struct region { int base_reg; int off; int size; int writable; };

static int frame_region(struct g *g, struct region *rg)
{
	if (g->cur == 0)
		*rg = (struct region){ 10, -128, 64, 1 };
	else
		*rg = (struct region){ 10, -64, 64, 1 };
	return 0;
}

static const uint8_t atomic_ops[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH,
				      BPF_OR | BPF_FETCH, BPF_XOR | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG };

/* The access at region + u: pick size/alignment from the values seen. */
static void use_offset(struct g *g, int u, const struct range *r, const struct region *rg)
{
	int64_t lo = r->reached ? r->lo : 0, hi = r->reached ? r->hi : 0;
	int align = 8;
	while (align > 1 && (r->or_bits & (uint64_t)(align - 1)))
		align /= 2;
	int sz = align >= 8 ? (int[]){ 1, 2, 4, 8, 8 }[R(5)] : align >= 4 ? (int[]){ 1, 4 }[R(2)]
		 : align >= 2 ? 2 : 1;
	if (sz > align)
		sz = align;
	/* b: the constant part, with b + lo >= 0 and b + hi + sz <= size */
	int64_t b;
	int small = lo >= -4096 && hi <= 4096;
	int64_t bmin = small ? -lo : 0, bmax = small ? rg->size - sz - hi : -1;
	if (!small || bmin > bmax)
		b = lo > -4096 && lo < 4096 ? -lo : 0;  /* does not fit: a flawed program */
	else
		b = bmin + (int64_t)R((uint32_t)(bmax - bmin + 1));
	b &= ~(int64_t)(sz - 1);
	if (b < bmin && b + sz <= bmax)
		b += sz;
	int off = rg->off + (int)b;
	int p = 1;
	/* p = base pointer, then += u */
	if (CH(15)) {
		mov_reg(g, p, u);
		alu_reg(g, BPF_ADD, p, rg->base_reg);
	} else {
		mov_reg(g, p, rg->base_reg);
		if (CH(30)) {
			alu_imm(g, BPF_ADD, p, off);
			off = 0;
		}
		alu_reg(g, BPF_ADD, p, u);
	}
	int what = rg->writable ? (int)R(10) : 0;
	if (what <= 3) {
		ldx(g, sz, 2, p, off);
		alu_reg(g, BPF_ADD, 9, 2);
	} else if (what <= 5) {
		stx(g, sz, p, 9, off);
	} else if (what == 6) {
		st(g, sz, p, off, (int32_t)vf_rand(&g->s));
	} else if (sz >= 4) {
		uint8_t aop = atomic_ops[R(sizeof(atomic_ops))];
		mov_reg(g, 3, 9);
		if (aop == BPF_CMPXCHG)
			ldx(g, sz, 0, p, off);
		E(g, I(BPF_STX | BPF_ATOMIC | szcode[sz], p, 3, (int16_t)off, aop));
		if (aop == BPF_CMPXCHG)
			alu_reg(g, BPF_ADD, 9, 0);
		else if (aop & BPF_FETCH)
			alu_reg(g, BPF_ADD, 9, 3);
	} else {
		ldx(g, sz, 2, p, off);
		alu_reg(g, BPF_XOR, 9, 2);
	}
}

/* Prelude shapes: each leaves the offset in the returned register. */
static int prelude_linked(struct g *g)
{
	int a = 2, b = 3;
	scalar_src(g, a);
	int c = (int)R(17) - 8;
	int t = (int)R(9);
	switch (t) {
	case 0: mov_reg(g, b, a); break;
	case 1: mov_reg(g, b, a); alu_imm(g, BPF_ADD, b, c); break;
	case 2: E(g, I(BPF_ALU | BPF_MOV | BPF_X, b, a, 0, 0)); break;
	case 3: E(g, I(BPF_ALU64 | BPF_MOV | BPF_X, b, a, 8, 0)); break;
	case 4: E(g, I(BPF_ALU64 | BPF_MOV | BPF_X, b, a, 16, 0)); break;
	case 5: E(g, I(BPF_ALU64 | BPF_MOV | BPF_X, b, a, 32, 0)); break;
	case 6: mov_reg(g, b, a); alu_imm(g, BPF_NEG, b, 0); break;
	case 7: E(g, I(BPF_ALU | BPF_MOV | BPF_X, b, a, 0, 0)); E(g, I(BPF_ALU | BPF_ADD | BPF_K, b, 0, 0, c)); break;
	default: mov_reg(g, b, a); alu_imm(g, BPF_ADD, a, c); break;
	}
	if (CH(30)) {   /* a third copy */
		mov_reg(g, 4, CH(50) ? a : b);
		if (CH(50))
			alu_imm(g, BPF_ADD, 4, (int)R(9) - 4);
	}
	/* branch on one copy, use the other */
	int on = CH(60) ? a : b, use = on == a ? b : a;
	if (CH(20))
		on = 4, use = CH(50) ? a : b;
	int maxv = (int)R(60);
	if (CH(30)) {
		uint8_t op = jops[R(sizeof(jops))];
		int32_t k = (int32_t)R(70);
		dict(g, (uint64_t)k);
		skip_if(g, (CH(20) ? BPF_JMP32 : BPF_JMP) | op | BPF_K, on, 0, k);
	}
	bound(g, on, maxv);
	if (CH(25))
		alu_imm(g, BPF_LSH, use, 3);
	return use;
}

static int prelude_diamond(struct g *g)
{
	int a = 2, b = 3;
	scalar_src(g, a);
	if (CH(50))
		bound(g, a, (int)R(200));
	uint8_t op = jops[R(sizeof(jops))];
	int32_t k = (int32_t)R(70) - (CH(20) ? 35 : 0);
	dict(g, (uint64_t)(int64_t)k);
	int j = CUR->n;
	E(g, I((CH(20) ? BPF_JMP32 : BPF_JMP) | op | BPF_K, a, 0, 0, k));
	for (int arm = 0; arm < 2; arm++) {
		switch (R(5)) {
		case 0: mov_imm(g, b, (int32_t)R(60)); break;
		case 1: mov_reg(g, b, a); alu_imm(g, BPF_AND, b, (int32_t)R(64)); break;
		case 2: mov_reg(g, b, a); break;   /* bounded only on some arms */
		case 3: mov_reg(g, b, a); alu_imm(g, BPF_RSH, b, (int32_t)R(8) + 56); break;
		default: scalar_src(g, b); alu_imm(g, BPF_AND, b, 31); break;
		}
		if (arm == 0) {
			int ja = CUR->n;
			E(g, I(BPF_JMP | BPF_JA, 0, 0, 0, 0));
			CUR->ins[j].off = (int16_t)(CUR->n - j - 1);
			j = ja;
		} else {
			CUR->ins[j].off = (int16_t)(CUR->n - j - 1);
		}
	}
	if (CH(40)) {    /* precision through the stack */
		int slot = -8 * (1 + (int)R(8));
		if (g->cur)
			slot -= 64;
		stx(g, 8, 10, b, slot);
		if (CH(30))
			mov_imm(g, b, 0);
		ldx(g, 8, b, 10, slot);
	}
	if (CH(40))
		bound(g, b, 56 + (int)R(8));
	return b;
}

static const int spill_sizes[] = { 1, 2, 4, 8 };

static int prelude_spill(struct g *g)
{
	int a = 2, b = 3;
	scalar_src(g, a);
	if (CH(70))
		bound(g, a, (int)R(64));
	int sz = spill_sizes[R(4)];
	int base = g->cur ? -96 : -64;
	int slot = base + 8 * (int)R(4);
	int off = slot + (int)R((uint32_t)(8 / sz)) * sz;
	if (CH(g->o->bad_percent))
		off = slot + (int)R(8);
	if (CH(50))
		st(g, 8, 10, slot, CH(50) ? 0 : (int32_t)R(256));
	stx(g, sz, 10, a, off);
	if (CH(30)) {    /* partial overwrite */
		int s2 = spill_sizes[R(3)];
		st(g, s2, 10, slot + (int)R((uint32_t)(8 / s2)) * s2, (int32_t)R(300) - 20);
	}
	if (CH(20)) {    /* clobber the original register: the fill must carry the bounds */
		mov_imm(g, a, -1);
	}
	int fs = CH(60) ? sz : spill_sizes[R(4)];
	int foff = CH(70) ? off : slot + (int)R((uint32_t)(8 / fs)) * fs;
	ldx(g, fs, b, 10, foff);
	if (CH(40))
		bound(g, b, (int)R(64));
	return b;
}

static int prelude_mask(struct g *g)
{
	int a = 2;
	scalar_src(g, a);
	static const int masks[] = { 7, 15, 31, 63, 0x38, 0x30, 0x3c, 0x18 };
	alu_imm(g, BPF_AND, a, masks[R(8)]);
	if (CH(30))
		alu_imm(g, BPF_ADD, a, (int32_t)R(9) - 4);
	if (CH(20))
		alu_imm(g, BPF_SUB, a, (int32_t)R(9) - 4);
	return a;
}

/* prelude + access into a region (frame area, pointer argument or map value) */
static void snip_offset_use(struct g *g, struct region rg)
{
	int start = CUR->n, u;
	switch (R(4)) {
	case 0: u = prelude_linked(g); break;
	case 1: u = prelude_diamond(g); break;
	case 2: u = prelude_spill(g); break;
	default: u = prelude_mask(g); break;
	}
	struct range r;
	if (eval_range(g, start, u, &r) < 0) {
		r.reached = 0;
		r.or_bits = 0;
	}
	/* Often make the offset fit for sure (the verifier should agree). */
	if (r.reached && (r.lo < -4096 || r.hi > 4096 || r.hi - r.lo > rg.size - 1) &&
	    !CH(g->o->bad_percent)) {
		alu_imm(g, BPF_AND, u, rg.size / 2 - 1);
		if (eval_range(g, start, u, &r) < 0)
			r.reached = 0;
	}
	use_offset(g, u, &r, &rg);
}

static void snip_frame_access(struct g *g)
{
	struct region rg;
	snip_begin(g);
	if (g->cur && CUR->region >= 8 && CH(50))
		rg = (struct region){ 6, 0, CUR->region, 1 };
	else
		frame_region(g, &rg);
	snip_offset_use(g, rg);
	snip_end(g);
}

/* key for map m at fp-136: constant or bounded scalar */
static void put_key(struct g *g, int m, int maxkey)
{
	if (CH(60)) {
		st(g, 4, 10, -136, (int32_t)R((uint32_t)maxkey + 1));
	} else {
		scalar_src(g, 1);
		alu_imm(g, BPF_AND, 1, 3);
		stx(g, 4, 10, 1, -136);
	}
	(void)m;
}

static void snip_map_value(struct g *g)
{
	int kind = CH(70) ? MK_ARR : MK_HASH;
	int m = get_map(g, kind);
	if (m < 0)
		return;
	struct vf_map *mp = &g->c->maps[m];
	snip_begin(g);
	put_key(g, m, kind == MK_ARR ? (int)mp->max_entries - 1 + (CH(g->o->bad_percent) ? 1 : 0) : 4);
	ld_map(g, 1, m);
	mov_reg(g, 2, 10);
	alu_imm(g, BPF_ADD, 2, -136);
	call(g, BPF_FUNC_map_lookup_elem);
	if (!CH(g->o->bad_percent / 2))
		skip_if(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
	mov_reg(g, 8, 0);
	snip_offset_use(g, (struct region){ 8, 0, (int)mp->value_size, 1 });
	if (kind == MK_HASH && !g->o->no_delete_use && CH(30)) {   /* delete, then keep using the old pointer */
		ld_map(g, 1, m);
		mov_reg(g, 2, 10);
		alu_imm(g, BPF_ADD, 2, -136);
		call(g, BPF_FUNC_map_delete_elem);
		alu_reg(g, BPF_ADD, 9, 0);
		ldx(g, 8, 2, 8, 8 * (int)R(mp->value_size / 8));
		alu_reg(g, BPF_ADD, 9, 2);
		stx(g, 8, 8, 9, 8 * (int)R(mp->value_size / 8));
	}
	snip_end(g);
}

static void snip_map_update(struct g *g)
{
	int kind = CH(50) ? MK_ARR : MK_HASH;
	int m = get_map(g, kind);
	if (m < 0)
		return;
	struct vf_map *mp = &g->c->maps[m];
	snip_begin(g);
	put_key(g, m, kind == MK_ARR ? (int)mp->max_entries - 1 : 6);
	int init = (int)mp->value_size / 8;
	if (CH(g->o->bad_percent))
		init--;
	for (int i = 0; i < init; i++) {
		if (CH(50))
			stx(g, 8, 10, 9, -200 + 8 * i);
		else
			st(g, 8, 10, -200 + 8 * i, (int32_t)vf_rand(&g->s));
	}
	ld_map(g, 1, m);
	mov_reg(g, 2, 10);
	alu_imm(g, BPF_ADD, 2, -136);
	if (CH(70)) {
		mov_reg(g, 3, 10);
		alu_imm(g, BPF_ADD, 3, -200);
		mov_imm(g, 4, (int32_t)R(3));
		call(g, BPF_FUNC_map_update_elem);
	} else {
		call(g, BPF_FUNC_map_delete_elem);
	}
	alu_reg(g, BPF_ADD, 9, 0);
	snip_end(g);
}

/* Read-only data: a byte folded as a constant (only frozen data may be),
 * then used as an offset. */
static void snip_rodata(struct g *g)
{
	int m = get_map(g, CH(70) ? MK_RO : MK_RO_NF);
	if (m < 0)
		return;
	snip_begin(g);
	int off = (int)R(48);
	if (CH(50)) {
		ld_map_value(g, 1, m, off);
		ldx(g, 1, 2, 1, 0);
	} else {
		st(g, 4, 10, -136, 0);
		ld_map(g, 1, m);
		mov_reg(g, 2, 10);
		alu_imm(g, BPF_ADD, 2, -136);
		call(g, BPF_FUNC_map_lookup_elem);
		skip_if(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
		ldx(g, 1, 2, 0, off);
	}
	/* the generator knows the byte: offset into BUF [-128,-64) */
	mov_reg(g, 1, 10);
	alu_reg(g, BPF_ADD, 1, 2);
	ldx(g, 8, 3, 1, -128);
	alu_reg(g, BPF_ADD, 9, 3);
	snip_end(g);
}

static void snip_printk(struct g *g)
{
	static const char *fmts[] = { "v=%d\n", "%llx %u\n", "hi\n", "%d %d %d\n", "%x\n" };
	const char *f = fmts[R(5)];
	char buf[32] = { 0 };
	size_t len = strlen(f) + 1;
	memcpy(buf, f, len - 1);
	snip_begin(g);
	int ro = -1;
	if (CH(30) && (ro = get_map(g, MK_RO)) >= 0) {
		ld_map_value(g, 1, ro, 48);
		mov_imm(g, 2, 6);
	} else {
		for (size_t i = 0; i < (len + 3) / 4; i++) {
			int32_t w;
			memcpy(&w, buf + 4 * i, 4);
			st(g, 4, 10, -232 + 4 * (int)i, w);
		}
		mov_reg(g, 1, 10);
		alu_imm(g, BPF_ADD, 1, -232);
		mov_imm(g, 2, (int32_t)len);
	}
	mov_reg(g, 3, 9);
	scalar_src(g, 4);
	mov_imm(g, 5, (int32_t)R(100));
	call(g, BPF_FUNC_trace_printk);
	alu_reg(g, BPF_ADD, 9, 0);
	snip_end(g);
}

static void snip_loop(struct g *g)
{
	snip_begin(g);
	int n = 1 + (int)R(8);
	int bad = CH(g->o->bad_percent);
	struct region rg;
	frame_region(g, &rg);
	mov_imm(g, 7, 0);
	int top = CUR->n;
	mov_reg(g, 2, 7);
	alu_imm(g, BPF_LSH, 2, 3);
	mov_reg(g, 1, 10);
	alu_reg(g, BPF_ADD, 1, 2);
	ldx(g, 8, 3, 1, rg.off + 64 - 8 * n);
	alu_reg(g, BPF_ADD, 9, 3);
	alu_imm(g, BPF_ADD, 7, 1);
	E(g, I(BPF_JMP | BPF_JLT | BPF_K, 7, 0, (int16_t)(top - CUR->n - 1), n + bad));
	snip_end(g);
}

static int new_fn(struct g *g, int region, int is_cb);

/* local call passing a pointer to this frame */
static void snip_call(struct g *g)
{
	if (CUR->depth >= 3 || g->nfn >= NFN)
		return;
	snip_begin(g);
	int o = 8 * (int)R(4);
	int region = 64 - o;
	int f = new_fn(g, region - (CH(g->o->bad_percent) ? -8 : 0), 0);
	if (f < 0)
		return;
	struct region rg;
	frame_region(g, &rg);
	mov_reg(g, 1, 10);
	alu_imm(g, BPF_ADD, 1, rg.off + o);
	scalar_src(g, 2);
	call_local(g, f);
	alu_reg(g, BPF_ADD, 9, 0);
	snip_end(g);
}

static void snip_bpf_loop(struct g *g)
{
	if (CUR->depth >= 3 || g->nfn >= NFN)
		return;
	snip_begin(g);
	int withctx = CH(80);
	int o = 8 * (int)R(4);
	int f = new_fn(g, withctx ? 64 - o : 0, 1);
	if (f < 0)
		return;
	struct region rg;
	frame_region(g, &rg);
	if (CH(50)) {
		mov_imm(g, 1, (int32_t)R(20));
	} else {
		scalar_src(g, 1);
		alu_imm(g, BPF_AND, 1, 15);
	}
	if (CH(20) && g->o->allow_callx) {   /* the callback through a spilled pointer */
		ld_func(g, 3, f);
		stx(g, 8, 10, 3, g->cur ? -72 : -240);
		ldx(g, 8, 2, 10, g->cur ? -72 : -240);
	} else {
		ld_func(g, 2, f);
	}
	if (withctx) {
		mov_reg(g, 3, 10);
		alu_imm(g, BPF_ADD, 3, rg.off + o);
	} else {
		mov_imm(g, 3, 0);
	}
	mov_imm(g, 4, 0);
	call(g, 181);
	alu_reg(g, BPF_ADD, 9, 0);
	if (withctx) {
		ldx(g, 8, 2, 10, rg.off + o);
		alu_reg(g, BPF_ADD, 9, 2);
	}
	snip_end(g);
}

/* callx through: ld_imm64, a spilled pointer, a stack table, a call-table
 * map (lookup or direct), a read-only vtable. */
static void snip_callx(struct g *g)
{
	if (CUR->depth >= 2 || g->nfn + 4 >= NFN || !g->o->allow_callx)
		return;
	snip_begin(g);
	int o = 8 * (int)R(4);
	int region = 64 - o;
	int k = 1 << R(3);
	int tg[4];
	int mode = (int)R(6);
	if (g->prog > 0 && mode >= 3)
		mode = (int)R(3);
	if (mode == 2 && g->cur)
		mode = 0;
	/* one call table and one vtable per program: their slots are fixed */
	if ((mode == 3 || mode == 4) && g->mapk[MK_TAB] >= 0)
		mode = 0;
	if (mode == 5 && g->mapk[MK_VT] >= 0)
		mode = 1;
	if (mode == 0 || mode == 1)
		k = 1;
	for (int i = 0; i < k; i++) {
		if (CH(g->o->bad_percent / 2))
			g->recurse = g->cur && CH(50) ? g->cur : -2;
		tg[i] = new_fn(g, region - (i == k - 1 && CH(g->o->bad_percent) ? -8 : 0), 0);
		g->recurse = 0;
		if (tg[i] < 0)
			return;
	}
	if (mode <= 2 && CH(25) && g->nfn < NFN) {
		/* the pointer as an argument: a wrapper calls it */
		int w = g->nfn++, saved = g->cur;
		struct fnbuf *fb = &g->fn[w];
		fb->n = 0;
		fb->is_cb = 0;
		fb->region = region;
		fb->depth = g->fn[saved].depth + 1;
		g->cur = w;
		mov_reg(g, 8, 3);
		mov_reg(g, 6, 1);
		mov_reg(g, 7, 2);
		if (CH(50)) {
			stx(g, 8, 10, 8, -8);
			if (CH(g->o->bad_percent))
				alu_imm(g, BPF_ADD, 8, 8);
			else if (CH(50))
				mov_imm(g, 8, 0);
			ldx(g, 8, 8, 10, -8);
		}
		if (CH(30)) {   /* NULL check like C code would */
			E(g, I(BPF_JMP | BPF_JNE | BPF_K, 8, 0, 2, 0));
			mov_imm(g, 0, 0);
			exit_(g);
		}
		mov_reg(g, 1, 6);
		mov_reg(g, 2, 7);
		E(g, I(BPF_JMP | BPF_CALL | BPF_X, 8, 0, 0, 0));
		exit_(g);
		g->cur = saved;
		struct region rg0;
		frame_region(g, &rg0);
		ld_func(g, 3, tg[0]);
		mov_reg(g, 1, 10);
		alu_imm(g, BPF_ADD, 1, rg0.off + o);
		scalar_src(g, 2);
		call_local(g, w);
		alu_reg(g, BPF_ADD, 9, 0);
		snip_end(g);
		return;
	}
	struct region rg;
	frame_region(g, &rg);
	int fr = 4;
	switch (mode) {
	case 0:
		ld_func(g, fr, tg[0]);
		break;
	case 1: {
		int slot = g->cur ? -72 : -240;
		ld_func(g, 3, tg[0]);
		stx(g, 8, 10, 3, slot);
		if (CH(g->o->bad_percent))
			st(g, 1, 10, slot, 0);
		ldx(g, 8, fr, 10, slot);
		break;
	}
	case 2: {   /* stack table at [-256, -256 + 8k) */
		for (int i = 0; i < k; i++) {
			ld_func(g, 3, tg[i]);
			stx(g, 8, 10, 3, -256 + 8 * i);
		}
		scalar_src(g, 2);
		alu_imm(g, BPF_AND, 2, k - 1 + (CH(g->o->bad_percent) ? 1 : 0));
		alu_imm(g, BPF_LSH, 2, 3);
		mov_reg(g, 3, 10);
		alu_reg(g, BPF_ADD, 3, 2);
		ldx(g, 8, fr, 3, -256);
		break;
	}
	case 3: case 4: {   /* call table map */
		int m = get_map(g, MK_TAB);
		if (m < 0)
			return;
		struct vf_map *mp = &g->c->maps[m];
		mp->max_entries = (uint32_t)k;
		int n = k;
		for (int i = mp->nslots; i < n && g->nsrel < VF_MAX_SLOTS * 4; i++) {
			mp->slot_off[i] = (uint32_t)(8 * i);
			g->srel[g->nsrel++] = (struct srel){ m, i, tg[i % k] };
			mp->nslots = i + 1;
		}
		if (mode == 3) {
			put_key(g, m, n - 1 + (CH(g->o->bad_percent) ? 1 : 0));
			ld_map(g, 1, m);
			mov_reg(g, 2, 10);
			alu_imm(g, BPF_ADD, 2, -136);
			call(g, BPF_FUNC_map_lookup_elem);
			if (!CH(g->o->bad_percent))
				skip_if(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
			mov_reg(g, fr, 0);
		} else {
			scalar_src(g, 2);
			alu_imm(g, BPF_AND, 2, n - 1 + (CH(g->o->bad_percent) ? 1 : 0));
			alu_imm(g, BPF_LSH, 2, 3);
			ld_map_value(g, 3, m, 0);
			alu_reg(g, BPF_ADD, 3, 2);
			ldx(g, 8, fr, 3, 0);
		}
		break;
	}
	default: {  /* read-only vtable: slots at 16.. 16+8*k, data around */
		int m = get_map(g, MK_VT);
		if (m < 0)
			return;
		struct vf_map *mp = &g->c->maps[m];
		for (int i = 0; i < k && g->nsrel < VF_MAX_SLOTS * 4; i++) {
			mp->slot_off[i] = (uint32_t)(16 + 8 * i);
			g->srel[g->nsrel++] = (struct srel){ m, i, tg[i] };
		}
		mp->nslots = k;
		ld_map_value(g, 3, m, 0);
		if (k > 1 || CH(30)) {
			scalar_src(g, 2);
			alu_imm(g, BPF_AND, 2, k - 1 + (CH(g->o->bad_percent) ? 1 : 0));
			alu_imm(g, BPF_LSH, 2, 3);
			alu_reg(g, BPF_ADD, 3, 2);
		}
		ldx(g, 8, fr, 3, 16);
		break;
	}
	}
	mov_reg(g, 1, 10);
	alu_imm(g, BPF_ADD, 1, rg.off + o);
	scalar_src(g, 2);
	E(g, I(BPF_JMP | BPF_CALL | BPF_X, fr, 0, 0, 0));
	alu_reg(g, BPF_ADD, 9, 0);
	snip_end(g);
}

/* a pointer spilled, maybe partly overwritten, filled and dereferenced */
static void snip_ptr_spill(struct g *g)
{
	snip_begin(g);
	/* not the slot next to BUF: an off-by-one loop over BUF would read the
	 * pointer's bytes (allowed to root, as in the kernel, but noise here) */
	int slot = (g->cur ? -96 : -56) + 8 * (int)R(3);
	int kind = (int)R(3);
	if (kind == 0 || (kind == 2 && !g->cur)) {
		mov_reg(g, 2, 10);
		alu_imm(g, BPF_ADD, 2, g->cur ? -64 : -128);
	} else {
		mov_reg(g, 2, 6);   /* ctx in the entry function, argument pointer in subs */
		if (g->cur && CUR->region < 8) {
			mov_reg(g, 2, 10);
			alu_imm(g, BPF_ADD, 2, -64);
		}
	}
	stx(g, 8, 10, 2, slot);
	if (CH(g->o->bad_percent * 2)) {
		int s2 = spill_sizes[R(4)];
		st(g, s2, 10, slot + (int)R((uint32_t)(8 / s2)) * s2, (int32_t)R(8));
	}
	if (CH(20))
		mov_imm(g, 2, 0);
	ldx(g, 8, 3, 10, slot);
	ldx(g, 8, 4, 3, 0);
	alu_reg(g, BPF_ADD, 9, 4);
	snip_end(g);
}

static void snippet(struct g *g)
{
	int w = (int)R(100);
	int sub = g->cur != 0;
	if (w < 30)
		snip_frame_access(g);
	else if (w < 42)
		sub ? snip_frame_access(g) : snip_map_value(g);
	else if (w < 48)
		sub ? snip_frame_access(g) : snip_map_update(g);
	else if (w < 53)
		snip_ptr_spill(g);
	else if (w < 58)
		snip_loop(g);
	else if (w < 67)
		snip_bpf_loop(g);
	else if (w < 76)
		snip_call(g);
	else if (w < 88)
		g->o->allow_callx ? snip_callx(g) : snip_call(g);
	else if (w < 94)
		sub ? snip_frame_access(g) : snip_rodata(g);
	else
		sub ? snip_frame_access(g) : snip_printk(g);
}

static int new_fn(struct g *g, int region, int is_cb)
{
	if (g->nfn >= NFN)
		return -1;
	int f = g->nfn++, saved = g->cur;
	int saved_skips[64], saved_n = g->nskips;
	memcpy(saved_skips, g->skips, sizeof(saved_skips));
	struct fnbuf *fb = &g->fn[f];
	fb->n = 0;
	fb->is_cb = is_cb;
	fb->region = region;
	fb->depth = g->fn[saved].depth + 1;
	g->cur = f;
	g->nskips = 0;
	/* prologue: r6 = pointer argument (callbacks: r2 = ctx, r1 = index) */
	if (is_cb) {
		mov_reg(g, 7, 1);
		mov_reg(g, 6, 2);
	} else {
		mov_reg(g, 6, 1);
		mov_reg(g, 7, 2);
	}
	mov_imm(g, 9, 0);
	for (int i = 0; i < 8; i++)
		if (!CH(g->o->bad_percent / 2))
			st(g, 8, 10, -64 + 8 * i, (int32_t)R(1000));
	if (g->recurse && g->o->allow_callx) {
		/* a flaw: a guarded call back into itself or its caller through
		 * a function pointer (recursion: must be rejected) */
		int t = g->recurse == -2 ? f : g->recurse;
		g->recurse = 0;
		snip_begin(g);
		mov_reg(g, 1, 7);
		alu_imm(g, BPF_AND, 1, 1);
		skip_if(g, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0);
		mov_reg(g, 1, 6);
		mov_reg(g, 2, 7);
		alu_imm(g, BPF_RSH, 2, 1);
		ld_func(g, 4, t);
		E(g, I(BPF_JMP | BPF_CALL | BPF_X, 4, 0, 0, 0));
		alu_reg(g, BPF_ADD, 9, 0);
		snip_end(g);
	}
	int n = 1 + (int)R(fb->depth >= 2 ? 2 : 3);
	for (int i = 0; i < n && !g->overflow; i++)
		snippet(g);
	if (is_cb) {
		switch (R(4)) {
		case 0: mov_imm(g, 0, 0); break;
		case 1: mov_imm(g, 0, 1); break;
		case 2: mov_reg(g, 0, 9); alu_imm(g, BPF_AND, 0, 1); break;
		default:
			mov_imm(g, 0, 0);
			E(g, I(BPF_JMP | BPF_JLT | BPF_K, 7, 0, 1, (int32_t)R(10)));
			mov_imm(g, 0, 1);
			break;
		}
		if (CH(g->o->bad_percent / 3))
			mov_imm(g, 0, 2);
	} else {
		mov_reg(g, 0, 9);
	}
	exit_(g);
	g->cur = saved;
	g->nskips = saved_n;
	memcpy(g->skips, saved_skips, sizeof(saved_skips));
	return f;
}

/* Lay the functions out after the entry one, fix call/func immediates and
 * the map slots' targets. */
static void layout(struct g *g, struct vf_prog *p)
{
	int start[NFN];
	p->n = 0;
	for (int f = 0; f < g->nfn; f++) {
		start[f] = p->n;
		if (p->n + g->fn[f].n > VF_MAX_INSNS) {
			g->overflow = 1;
			return;
		}
		memcpy(p->insns + p->n, g->fn[f].ins, (size_t)g->fn[f].n * sizeof(struct bpf_insn));
		p->n += g->fn[f].n;
	}
	for (int i = 0; i < g->nrel; i++) {
		int at = start[g->rel[i].fn] + g->rel[i].idx;
		p->insns[at].imm = start[g->rel[i].target] - at - 1;
	}
	for (int i = 0; i < g->nsrel; i++) {
		struct vf_map *m = &g->c->maps[g->srel[i].map];
		m->slot_insn[g->srel[i].slot] = (uint32_t)start[g->srel[i].target];
	}
}

static void gen_prog(struct g *g, int pi)
{
	g->prog = pi;
	g->nfn = 1;
	g->cur = 0;
	g->nrel = 0;
	g->nsrel = 0;
	g->overflow = 0;
	g->nskips = 0;
	struct fnbuf *fb = &g->fn[0];
	fb->n = 0;
	fb->depth = 0;
	fb->region = 0;
	fb->is_cb = 0;
	mov_reg(g, 6, 1);
	mov_imm(g, 9, 0);
	if (!CH(g->o->bad_percent / 2))
		for (int i = 0; i < 8; i++)
			st(g, 8, 10, -128 + 8 * i, CH(50) ? 0 : (int32_t)R(1000));
	if (CH(50))
		for (int i = 0; i < 8; i++)
			st(g, 8, 10, -64 + 8 * i, 0);
	int n = 1 + (int)R(5);
	for (int i = 0; i < n && !g->overflow; i++)
		snippet(g);
	if (CH(30))
		stx(g, 8, 6, 9, 8 * (int)R(8));
	mov_reg(g, 0, 9);
	exit_(g);
	layout(g, &g->c->progs[pi]);
}

void vf_generate(struct vf_case *c, uint64_t seed, const struct vf_gen_opts *o)
{
	static struct g g;   /* large: keep it off the stack */
	memset(&g, 0, sizeof(g));
	memset(c, 0, sizeof(*c));
	g.s = seed * 0x9e3779b97f4a7c15ull + 1;
	vf_rand(&g.s);
	g.c = c;
	g.o = o;
	for (int i = 0; i < MK__N; i++)
		g.mapk[i] = -1;
	for (int tries = 0; tries < 4; tries++) {
		gen_prog(&g, 0);
		if (!g.overflow)
			break;
		memset(c, 0, sizeof(*c));
		for (int i = 0; i < MK__N; i++)
			g.mapk[i] = -1;
	}
	c->nprogs = 1;
	if (vf_chance(&g.s, 15)) {
		/* a second program sharing the maps; call-table and vtable maps
		 * stay the first program's */
		gen_prog(&g, 1);
		if (!g.overflow)
			c->nprogs = 2;
	}
	/* the slot values: byte offsets of the targets in program 0 */
	for (int i = 0; i < c->nmaps; i++) {
		struct vf_map *m = &c->maps[i];
		for (int s = 0; s < m->nslots; s++) {
			uint64_t v = (uint64_t)m->slot_insn[s] * 8;
			memcpy(m->data + m->slot_off[s], &v, 8);
		}
	}
}

int vf_case_uses_ibpf_only(const struct vf_case *c)
{
	for (int i = 0; i < c->nmaps; i++)
		if (c->maps[i].type == 0x1001 || c->maps[i].nslots)
			return 1;
	for (int p = 0; p < c->nprogs; p++)
		for (int i = 0; i < c->progs[p].n; i++)
			if (c->progs[p].insns[i].code == (BPF_JMP | BPF_CALL | BPF_X))
				return 1;
	return 0;
}
