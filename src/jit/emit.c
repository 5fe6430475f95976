/* emit.c - the x86-64 encoder behind x86.h.  Encodings follow the Intel SDM
 * (REX prefix, ModRM, SIB); only the handful of forms the JIT needs. */
#include <stdlib.h>
#include <string.h>

#include "jit/x86.h"

void x86_init(struct x86_asm *a)
{
	memset(a, 0, sizeof(*a));
}

void x86_free(struct x86_asm *a)
{
	free(a->buf);
	free(a->labels);
	free(a->fix);
	free(a->cum);
	memset(a, 0, sizeof(*a));
}

/* Grow *p (n elements of `size` in use, capacity *cap) to hold `need`. */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	np = realloc(*p, nc * size);
	if (!np)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

void x86_byte(struct x86_asm *a, uint8_t b)
{
	if (a->oom || grow((void **)&a->buf, &a->cap, a->len + 1, 1)) {
		a->oom = 1;
		return;
	}
	a->buf[a->len++] = b;
}

void x86_imm16(struct x86_asm *a, uint16_t v)
{
	x86_byte(a, (uint8_t)v);
	x86_byte(a, (uint8_t)(v >> 8));
}

void x86_imm32(struct x86_asm *a, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x86_byte(a, (uint8_t)(v >> (8 * i)));
}

void x86_imm64(struct x86_asm *a, uint64_t v)
{
	x86_imm32(a, (uint32_t)v);
	x86_imm32(a, (uint32_t)(v >> 32));
}

/* ---- labels ------------------------------------------------------------ */

int x86_reserve_labels(struct x86_asm *a, size_t n)
{
	if (grow((void **)&a->labels, &a->label_cap, a->label_cnt + n, sizeof(*a->labels))) {
		a->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		a->labels[a->label_cnt++] = X86_UNBOUND;
	return 0;
}

uint32_t x86_new_label(struct x86_asm *a)
{
	if (x86_reserve_labels(a, 1))
		return 0;
	return (uint32_t)(a->label_cnt - 1);
}

void x86_bind(struct x86_asm *a, uint32_t label)
{
	if (label < a->label_cnt)
		a->labels[label] = (uint32_t)a->len;
}

/* ---- prefixes, REX, ModRM ------------------------------------------------ */

static int is_byte_hi(int r) { return r >= 4 && r <= 7; }

static void prefixes(struct x86_asm *a, unsigned fl, int reg, int index, int rm_or_base)
{
	uint8_t rex = 0x40;

	if (fl & X_LOCK)
		x86_byte(a, 0xf0);
	if (fl & X_66)
		x86_byte(a, 0x66);
	if (fl & X_W)
		rex |= 8;
	if (reg & 8)
		rex |= 4;
	if (index & 8)
		rex |= 2;
	if (rm_or_base & 8)
		rex |= 1;
	/* Byte registers 4-7 mean spl/bpl/sil/dil only with a REX prefix
	 * (without one they are ah/ch/dh/bh). */
	if (rex != 0x40 || ((fl & X_BREG) && is_byte_hi(reg)) ||
	    ((fl & X_BRM) && is_byte_hi(rm_or_base)))
		x86_byte(a, rex);
}

static void opcode(struct x86_asm *a, uint32_t op)
{
	if (op > 0xffff)
		x86_byte(a, (uint8_t)(op >> 16));
	if (op > 0xff)
		x86_byte(a, (uint8_t)(op >> 8));
	x86_byte(a, (uint8_t)op);
}

void x86_rr(struct x86_asm *a, unsigned fl, uint32_t op, int reg, int rm)
{
	prefixes(a, fl, reg, 0, rm);
	opcode(a, op);
	x86_byte(a, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

void x86_rm(struct x86_asm *a, unsigned fl, uint32_t op, int reg, int base, int32_t disp)
{
	int mod = disp == 0 && (base & 7) != RBP ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;

	prefixes(a, fl, reg, 0, base);
	opcode(a, op);
	x86_byte(a, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == RSP)
		x86_byte(a, 0x24);    /* SIB: no index, base = rsp/r12 */
	if (mod == 1)
		x86_byte(a, (uint8_t)disp);
	else if (mod == 2)
		x86_imm32(a, (uint32_t)disp);
}

void x86_rmi(struct x86_asm *a, unsigned fl, uint32_t op, int reg, int base, int index,
	     int scale)
{
	int ss = scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
	int mod = (base & 7) == RBP ? 1 : 0;   /* rbp/r13 as base need a displacement */

	prefixes(a, fl, reg, index, base);
	opcode(a, op);
	x86_byte(a, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
	x86_byte(a, (uint8_t)(ss << 6 | (index & 7) << 3 | (base & 7)));
	if (mod)
		x86_byte(a, 0);
}

void x86_oreg(struct x86_asm *a, unsigned fl, uint32_t op, int reg)
{
	prefixes(a, fl, 0, 0, reg);
	opcode(a, op + (uint32_t)(reg & 7));
}

/* ---- common instructions -------------------------------------------------- */

void x86_mov_rr(struct x86_asm *a, int w, int dst, int src)
{
	x86_rr(a, w ? X_W : 0, 0x89, src, dst);
}

void x86_mov_imm(struct x86_asm *a, int dst, uint64_t v)
{
	if (v == 0) {
		x86_rr(a, 0, 0x31, dst, dst);              /* xor r32, r32 */
	} else if (v <= UINT32_MAX) {
		x86_oreg(a, 0, 0xb8, dst);                 /* mov r32, imm32 */
		x86_imm32(a, (uint32_t)v);
	} else if ((int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
		x86_rr(a, X_W, 0xc7, 0, dst);              /* mov r64, simm32 */
		x86_imm32(a, (uint32_t)v);
	} else {
		x86_oreg(a, X_W, 0xb8, dst);               /* movabs r64, imm64 */
		x86_imm64(a, v);
	}
}

void x86_alu_ri(struct x86_asm *a, int w, int ext, int dst, int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		x86_rr(a, w ? X_W : 0, 0x83, ext, dst);
		x86_byte(a, (uint8_t)imm);
	} else {
		x86_rr(a, w ? X_W : 0, 0x81, ext, dst);
		x86_imm32(a, (uint32_t)imm);
	}
}

void x86_push(struct x86_asm *a, int reg) { x86_oreg(a, 0, 0x50, reg); }
void x86_pop(struct x86_asm *a, int reg) { x86_oreg(a, 0, 0x58, reg); }
void x86_ret(struct x86_asm *a) { x86_byte(a, 0xc3); }
void x86_call_reg(struct x86_asm *a, int reg) { x86_rr(a, 0, 0xff, 2, reg); }

/* ---- fixups and relaxation ------------------------------------------------ */

static const uint8_t long_size[] = { [FIX_JMP] = 5, [FIX_JCC] = 6, [FIX_CALL] = 5,
				     [FIX_LEA] = 7 };

static void add_fixup(struct x86_asm *a, int kind, int cc, uint32_t label)
{
	if (a->oom || grow((void **)&a->fix, &a->fix_cap, a->fix_cnt + 1, sizeof(*a->fix))) {
		a->oom = 1;
		return;
	}
	a->fix[a->fix_cnt++] = (struct x86_fixup){ .pos = (uint32_t)a->len, .label = label,
						   .kind = (uint8_t)kind, .cc = (uint8_t)cc };
	/* Placeholder bytes of the long form; x86_write re-encodes them. */
	for (int i = 0; i < long_size[kind]; i++)
		x86_byte(a, 0);
}

void x86_jmp(struct x86_asm *a, uint32_t label) { add_fixup(a, FIX_JMP, 0, label); }
void x86_jcc(struct x86_asm *a, int cc, uint32_t label) { add_fixup(a, FIX_JCC, cc, label); }
void x86_call(struct x86_asm *a, uint32_t label) { add_fixup(a, FIX_CALL, 0, label); }
void x86_lea_rip(struct x86_asm *a, int dst, uint32_t label) { add_fixup(a, FIX_LEA, dst, label); }

static size_t saving(const struct x86_fixup *f)
{
	return f->is_short ? (size_t)long_size[f->kind] - 2 : 0;
}

uint32_t x86_final_pos(const struct x86_asm *a, uint32_t pos)
{
	size_t lo = 0, hi = a->fix_cnt;

	/* Number of fixups that start before pos. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->fix[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return pos - (uint32_t)a->cum[lo];
}

uint32_t x86_label_pos(const struct x86_asm *a, uint32_t label)
{
	return x86_final_pos(a, a->labels[label]);
}

void x86_bind_final(struct x86_asm *a, uint32_t label, uint32_t pos)
{
	/* Past the last fixup, final = raw - total saving. */
	if (label < a->label_cnt)
		a->labels[label] = pos + (uint32_t)a->cum[a->fix_cnt];
}

static void sum_savings(struct x86_asm *a)
{
	a->cum[0] = 0;
	for (size_t i = 0; i < a->fix_cnt; i++)
		a->cum[i + 1] = a->cum[i] + saving(&a->fix[i]);
}

int x86_relax(struct x86_asm *a)
{
	int changed;

	if (a->oom)
		return -1;
	for (size_t i = 0; i < a->fix_cnt; i++)
		if (a->fix[i].label >= a->label_cnt || a->labels[a->fix[i].label] == X86_UNBOUND)
			return -1;
	free(a->cum);
	a->cum = malloc((a->fix_cnt + 1) * sizeof(*a->cum));
	if (!a->cum)
		return -1;
	sum_savings(a);
	/* Shortening a jump only ever brings other code closer together, so a
	 * jump found short enough stays short enough: iterate to a fixpoint.
	 * Distances are measured as if the jump itself were still long, which
	 * only errs on the safe side. */
	do {
		changed = 0;
		for (size_t i = 0; i < a->fix_cnt; i++) {
			struct x86_fixup *f = &a->fix[i];
			if (f->is_short || (f->kind != FIX_JMP && f->kind != FIX_JCC))
				continue;
			int64_t from = (int64_t)x86_final_pos(a, f->pos) + 2;
			int64_t to = x86_label_pos(a, f->label);
			if (to - from >= -128 && to - from <= 127) {
				f->is_short = 1;
				changed = 1;
			}
		}
		sum_savings(a);
	} while (changed);
	return 0;
}

size_t x86_final_size(const struct x86_asm *a)
{
	return a->len - a->cum[a->fix_cnt];
}

int x86_write(const struct x86_asm *a, uint8_t *out)
{
	uint32_t src = 0;

	for (size_t i = 0; i < a->fix_cnt; i++) {
		const struct x86_fixup *f = &a->fix[i];
		uint32_t at = x86_final_pos(a, f->pos);
		uint8_t *o;
		int64_t rel;

		memcpy(out + x86_final_pos(a, src), a->buf + src, f->pos - src);
		src = f->pos + long_size[f->kind];
		o = out + at;
		rel = (int64_t)x86_label_pos(a, f->label) - at -
		      (f->is_short ? 2 : long_size[f->kind]);
		if (f->is_short) {
			if (rel < -128 || rel > 127)
				return -1;     /* cannot happen: relaxation is monotonic */
			o[0] = f->kind == FIX_JMP ? 0xeb : (uint8_t)(0x70 | f->cc);
			o[1] = (uint8_t)(int8_t)rel;
			continue;
		}
		switch (f->kind) {
		case FIX_JMP: *o++ = 0xe9; break;
		case FIX_CALL: *o++ = 0xe8; break;
		case FIX_JCC: *o++ = 0x0f; *o++ = (uint8_t)(0x80 | f->cc); break;
		case FIX_LEA:
			*o++ = (uint8_t)(0x48 | (f->cc & 8 ? 4 : 0));
			*o++ = 0x8d;
			*o++ = (uint8_t)(((f->cc & 7) << 3) | 5);   /* [rip + disp32] */
			break;
		}
		for (int k = 0; k < 4; k++)
			*o++ = (uint8_t)((uint64_t)rel >> (8 * k));
	}
	memcpy(out + x86_final_pos(a, src), a->buf + src, a->len - src);
	return 0;
}
