/* mem.c - loads, stores and atomics: where a pointer may point, which bytes
 * it may touch, and what the stack remembers (spilled registers per slot).
 * As the privileged kernel does, reading uninitialized stack is allowed and
 * pointers may be stored anywhere -- except function pointers, which only
 * the stack may hold (DESIGN.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/env.h"


struct func_state *frame_of(struct env *e, const struct reg_state *r)
{
	return e->cur->frame[r->frameno];
}

int stack_grow(struct func_state *f, int slots)
{
	if (slots <= f->nslots)
		return 0;
	struct stack_slot *n = realloc(f->slots, (size_t)slots * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + f->nslots, 0, (size_t)(slots - f->nslots) * sizeof(*n));
	f->slots = n;
	f->nslots = slots;
	return 0;
}

/* Range [lo, hi] of (fixed + variable) offsets a pointer may hold, plus the
 * access offset.  Returns -1 when the variable part is unbounded. */
static int ptr_span(const struct reg_state *r, int32_t off, int64_t *lo, int64_t *hi)
{
	if (r->smin < -(1ll << 29) || r->smax > (1ll << 29))
		return -1;
	*lo = (int64_t)r->off + off + r->smin;
	*hi = (int64_t)r->off + off + r->smax;
	return 0;
}

static void record_depth(struct env *e, const struct reg_state *r, int64_t lo)
{
	const struct func_state *f = frame_of(e, r);
	uint32_t d = (uint32_t)-lo;
	if (d > e->stack_depth[f->subprog])
		e->stack_depth[f->subprog] = d;
}

/* A region [0, size) accessed at [lo, hi + size): the kernel's messages. */
static int check_region(struct env *e, int regno, const struct reg_state *r, int64_t lo,
			int64_t hi, int size, int64_t region, const char *what)
{
	if (r->smin < 0 && !tnum_is_const(r->var_off) && lo < 0)
		return verr(e, -EACCES, "R%d min value is negative, either use unsigned index or "
			    "do a if (index >=0) check.", regno);
	if (lo < 0 || hi + size > region) {
		if (tnum_is_const(r->var_off))
			return verr(e, -EACCES, "invalid access to %s, %s=%lld off=%lld size=%d",
				    what, !strcmp(what, "map value") ? "value_size" : "mem_size",
				    (long long)region, (long long)lo, size);
		if (lo < 0)
			return verr(e, -EACCES, "R%d min value is outside of the allowed memory range",
				    regno);
		return verr(e, -EACCES, "R%d max value is outside of the allowed memory range",
			    regno);
	}
	return 0;
}

static int64_t map_region(const struct ibpf_map *m)
{
	/* Call tables are addressed as one array of entries; other maps by value. */
	return m->type == IBPF_MAP_TYPE_INSN_SET ? (int64_t)m->max_entries * 8 : m->value_size;
}

/* Programs may not write it (user space may, unless it is frozen). */
static int map_readonly(const struct ibpf_map *m)
{
	return m->frozen || (m->map_flags & BPF_F_RDONLY_PROG);
}

/* What no one can change any more: only such bytes may become constants or
 * callable pointers.  BPF_F_RDONLY_PROG alone is not enough: user space can
 * still update the map after verification. */
static int map_foldable(const struct ibpf_map *m)
{
	return m->frozen;
}

/* The function-pointer slot [s, s+8) that the read [o, o+size) touches, or
 * -1.  *exact says whether the read is the whole slot. */
static long slot_touched(const struct ibpf_map *m, int64_t o, int size, int *exact)
{
	for (size_t i = 0; i < m->func_slot_cnt; i++) {
		int64_t sl = m->func_slots[i];
		if (o < sl + 8 && o + size > sl) {
			*exact = o == sl && size == 8;
			return (long)i;
		}
	}
	return -1;
}

static int64_t sext_value(uint64_t v, int size)
{
	return size == 1 ? (int8_t)v : size == 2 ? (int16_t)v : size == 4 ? (int32_t)v
	       : (int64_t)v;
}

/* A load from a read-only map: every offset the pointer may hold is read
 * from this program's own view of the bytes (ibpf_program_map_data, what
 * the engines will read).  All whole function-pointer slots: PTR_TO_FUNC
 * with their union; one fixed offset of frozen plain data: a constant;
 * anything else plain data: an unknown scalar.  A read that covers part of
 * a function pointer, or mixes pointers with data, is rejected: a function
 * pointer is opaque and never becomes a number. */
static int load_from_rodata(struct env *e, int regno, const struct reg_state *ptr, int64_t lo,
			    int64_t hi, int size, int sext, struct reg_state *out)
{
	const struct ibpf_map *m = ptr->map;
	const uint8_t *data = ibpf_program_map_data(e->prog, m);
	uint32_t set = 0;
	int funcs = 0, others = 0, steps = 0, exact;
	long slot;

	if (m->func_slot_cnt) {
		if (hi - lo > 65536) {
			for (size_t i = 0; i < m->func_slot_cnt; i++)
				if (lo < (int64_t)m->func_slots[i] + 8 &&
				    hi + size > (int64_t)m->func_slots[i])
					return verr(e, -EACCES, "R%d variable read from map '%s' may "
						    "overlap with a pointer to a function at off %u",
						    regno, m->name, m->func_slots[i]), -1;
			return 0;
		}
		for (int64_t o = lo; o <= hi; o++) {
			uint64_t varpart = (uint64_t)(o - (lo - ptr->smin));
			if (!tnum_in(ptr->var_off, tnum_const(varpart)))
				continue;
			if (++steps > 4096)
				return verr(e, -E2BIG, "too many possible offsets into %s", m->name), -1;
			slot = slot_touched(m, o, size, &exact);
			if (slot < 0) {
				others++;
				continue;
			}
			if (!exact || !map_foldable(m))
				return verr(e, -EACCES, "invalid read from map '%s' off=%lld size=%d: "
					    "overlaps with a pointer to a function at off %u",
					    m->name, (long long)o, size, m->func_slots[slot]), -1;
			int sp = ibpf_program_slot_subprog(e->prog, m, (size_t)slot);
			if (sp <= 0)
				return verr(e, -EFAULT, "function table %s+%lld: target not linked",
					    m->name, (long long)o), -1;
			uint32_t one = fset_single(e, (uint32_t)sp);
			set = one ? (set ? fset_union(e, set, one) : one) : 0;
			if (!set)
				return e->err ? e->err : -ENOMEM;
			funcs++;
		}
		if (funcs && others)
			return verr(e, -EACCES, "variable read from map '%s' mixes function pointers "
				    "and data: a function pointer may not become a number", m->name), -1;
		if (funcs) {
			reg_mark_ptr(out, PTR_TO_FUNC);
			out->fset = set;
			return 1;
		}
	}
	if (lo == hi && map_foldable(m) && m->max_entries == 1) {
		uint64_t v = 0;
		memcpy(&v, data + lo, (size_t)size);
		reg_mark_const(out, sext ? (uint64_t)sext_value(v, size) : v);
		return 1;
	}
	return 0;      /* plain data: an unknown scalar */
}

/* The value a load of `size` bytes produces when nothing better is known. */
static void unknown_of_size(struct reg_state *r, int size, int sext)
{
	reg_mark_unknown(r);
	if (size < 8) {
		if (sext)
			reg_sext_to(r, size * 8, 1);
		else
			reg_truncate(r, size);
	}
}

/* ---- the stack ---------------------------------------------------------- */


static int stack_write_fixed(struct env *e, struct func_state *f, int f_frameno, int64_t off,
			     int size, const struct reg_state *val, int value_regno)
{
	int spi = (int)((-off - 1) / 8), err;

	if ((err = stack_grow(f, spi + 1)))
		return err;
	struct stack_slot *s = &f->slots[spi];
	int byte = (int)(off + 8 * (spi + 1));     /* first byte within the slot */
	if (val && val->type != SCALAR_VALUE && val->type != NOT_INIT && size != 8)
		return verr(e, -EACCES, "invalid size of register spill");
	if (size == 8 && byte == 0 && val) {
		if (val->type == PTR_TO_STACK && f_frameno != e->cur->curframe)
			return verr(e, -EINVAL, "cannot spill pointers to stack into stack frame of "
				    "the caller");
		/* Link a spilled scalar with its register, so a bound learnt on
		 * either later applies to both (the kernel does the same). */
		if (value_regno >= 0 && val->type == SCALAR_VALUE && !val->id &&
		    !tnum_is_const(val->var_off)) {
			cur_regs(e)[value_regno].id = new_id(e);
			val = &cur_regs(e)[value_regno];
		}
		s->spilled = *val;
		memset(s->type, STACK_SPILL, 8);
		return 0;
	}
	/* A partial write destroys any spilled register in the slot; a function
	 * pointer stays opaque: no byte of it may be exposed. */
	if (s->type[0] == STACK_SPILL && s->spilled.type == PTR_TO_FUNC)
		return verr(e, -EACCES, "attempt to corrupt spilled pointer on stack");
	if (s->type[0] == STACK_SPILL) {
		for (int i = 0; i < 8; i++)
			s->type[i] = STACK_MISC;
		memset(&s->spilled, 0, sizeof(s->spilled));
	}
	uint8_t t = val && reg_is_const(val) && val->var_off.value == 0 ? STACK_ZERO : STACK_MISC;
	/* The kernel keeps a narrow store at the start of a slot as a partial
	 * spill, which a full 8-byte read does not see as zero: stay as blind. */
	if (byte == 0 && size < 8)
		t = STACK_MISC;
	for (int i = 0; i < size; i++) {
		int b = byte + i;
		if (b >= 8) {   /* unaligned access spanning two slots */
			struct stack_slot *s2;
			if (spi == 0)
				break;
			s2 = &f->slots[spi - 1];
			if (s2->type[0] == STACK_SPILL)
				memset(s2->type, STACK_MISC, 8);
			s2->type[b - 8] = t;
		} else {
			s->type[b] = t;
		}
	}
	return 0;
}

static int stack_read_fixed(struct env *e, struct func_state *f, int64_t off, int size,
			    int sext, struct reg_state *out)
{
	int spi = (int)((-off - 1) / 8);
	int byte = (int)(off + 8 * (spi + 1));
	int zero = 1;

	if (spi >= f->nslots) {
		unknown_of_size(out, size, sext);
		return 0;
	}
	const struct stack_slot *s = &f->slots[spi];
	if (s->type[0] == STACK_SPILL && size == 8 && byte == 0) {
		*out = s->spilled;
		return 0;
	}
	if (s->type[0] == STACK_SPILL && s->type[7] == STACK_SPILL &&
	    s->spilled.type != SCALAR_VALUE)
		return verr(e, -EACCES, "invalid size of register fill");
	if (s->type[0] == STACK_SPILL && s->type[7] == STACK_SPILL &&
	    s->spilled.type == SCALAR_VALUE && byte + size <= 8) {
		/* Bytes of a known constant are known. */
		if (reg_is_const(&s->spilled)) {
			uint64_t v = s->spilled.var_off.value >> (8 * byte);
			if (size < 8)
				v &= (1ull << (size * 8)) - 1;
			if (sext)
				v = size == 1 ? (uint64_t)(int8_t)v : size == 2 ? (uint64_t)(int16_t)v
				    : (uint64_t)(int32_t)v;
			reg_mark_const(out, v);
			return 0;
		}
		/* The low bytes of a value that fits in them are the value. */
		if (byte == 0 && !sext && s->spilled.umax < (1ull << (size * 8))) {
			*out = s->spilled;
			out->id = 0;
			return 0;
		}
	}
	for (int i = 0; i < size; i++) {
		int b = byte + i;
		uint8_t t = b < 8 ? s->type[b] : (spi > 0 && spi - 1 < f->nslots ?
						  f->slots[spi - 1].type[b - 8] : STACK_INVALID);
		zero &= t == STACK_ZERO;
	}
	if (zero)
		reg_mark_const(out, 0);
	else
		unknown_of_size(out, size, sext);
	return 0;
}

/* Does [lo, end) of frame f touch a slot holding a spilled function pointer? */
int stack_range_has_func(const struct func_state *f, int64_t lo, int64_t end)
{
	for (int64_t o = lo & ~7ll; o < end; o += 8) {
		int spi = (int)((-o - 1) / 8);
		if (o < 0 && spi < f->nslots && f->slots[spi].type[0] == STACK_SPILL &&
		    f->slots[spi].spilled.type == PTR_TO_FUNC)
			return 1;
	}
	return 0;
}

/* Variable-offset stack access over [lo, hi + size). */
static int stack_access_var(struct env *e, struct func_state *f, int64_t lo, int64_t hi,
			    int size, int write, const struct reg_state *val, struct reg_state *out)
{
	int err;
	int first = (int)((-(hi + size - 1) - 1) / 8), last = (int)((-lo - 1) / 8);

	if ((err = stack_grow(f, last + 1)))
		return err;
	if (write) {
		for (int64_t o = lo; o < hi + size; o++) {
			int spi = (int)((-o - 1) / 8), b = (int)(o + 8 * (spi + 1));
			struct stack_slot *s = &f->slots[spi];
			if (s->type[0] == STACK_SPILL && s->spilled.type == PTR_TO_FUNC)
				return verr(e, -EACCES, "variable-offset write may corrupt a spilled "
					    "function pointer on stack");
			if (s->type[0] == STACK_SPILL)
				memset(s->type, STACK_MISC, 8);
			if (!(val && reg_is_const(val) && val->var_off.value == 0 &&
			      s->type[b] == STACK_ZERO))
				s->type[b] = STACK_MISC;
		}
		return 0;
	}
	/* An 8-byte aligned read over slots that all hold function pointers
	 * yields the union of their targets; a read that may see one among
	 * other bytes would turn it into a number. */
	if (out && stack_range_has_func(f, lo, hi + size) &&
	    !(size == 8 && (lo % 8) == 0 && ((lo | hi) & 7) == 0))
		return verr(e, -EACCES, "variable-offset read from stack off [%lld, %lld] size %d "
			    "may see a spilled function pointer as a number", (long long)lo,
			    (long long)hi, size);
	if (size == 8 && ((lo % 8) == 0) && out) {
		uint32_t set = 0;
		int all = 1;
		for (int spi = first; spi <= last; spi++) {
			int64_t o = -8 * (spi + 1);
			if (o < lo || o > hi)
				continue;
			const struct stack_slot *s = &f->slots[spi];
			if (s->type[0] != STACK_SPILL || s->spilled.type != PTR_TO_FUNC ||
			    s->spilled.maybe_null) {
				all = 0;
				break;
			}
			set = set ? fset_union(e, set, s->spilled.fset) : s->spilled.fset;
		}
		if (all && set) {
			reg_mark_ptr(out, PTR_TO_FUNC);
			out->fset = set;
			return 0;
		}
		if (stack_range_has_func(f, lo, hi + size))
			return verr(e, -EACCES, "variable-offset read from stack off [%lld, %lld] "
				    "mixes function pointers and data: a function pointer may not "
				    "become a number", (long long)lo, (long long)hi);
	}
	if (out)
		unknown_of_size(out, size, 0);
	return 0;
}

/* ---- the access check ------------------------------------------------- */

/* Check an access through register `regno` at insn offset `off`; for a read,
 * fill *out with the loaded value; for a write, `val` is what is stored
 * (NULL when unknown, e.g. atomics). */
static int check_mem_access(struct env *e, int regno, int32_t off, int size, int write,
			    const struct reg_state *val, int val_regno, int sext,
			    struct reg_state *out)
{
	struct reg_state *r = &cur_regs(e)[regno];
	int64_t lo, hi;
	int err;

	if (r->type == NOT_INIT)
		return verr(e, -EACCES, "R%d !read_ok", regno);
	if (r->maybe_null || r->type == SCALAR_VALUE || r->type == CONST_PTR_TO_MAP ||
	    r->type == PTR_TO_FUNC)
		return verr(e, -EACCES, "R%d invalid mem access '%s'", regno, reg_type_str(r));
	if (write && val && val->type == PTR_TO_FUNC && r->type != PTR_TO_STACK)
		return verr(e, -EACCES, "R%d storing a function pointer into %s is not allowed: "
			    "user space could read or change it; keep function pointers on "
			    "the stack, in const tables or in SEC(\"callx\")", val_regno,
			    r->type == PTR_TO_CTX ? "ctx" : reg_type_str(r));
	{
		/* The kernel rewrites ctx accesses per instruction, so one insn
		 * may not see ctx on one path and another pointer on the next. */
		uint8_t *bt = &e->aux[e->prev_insn].base_type;
		if (!*bt)
			*bt = r->type;
		else if ((*bt == PTR_TO_CTX) != (r->type == PTR_TO_CTX))
			return verr(e, -EINVAL, "same insn cannot be used with different pointers");
	}
	if (ptr_span(r, off, &lo, &hi))
		return verr(e, -EACCES, "R%d unbounded memory access, make sure to bounds check "
			    "any such access", regno);
	/* Outside the stack the kernel bounds the top by the unsigned maximum. */
	if ((r->type == PTR_TO_MAP_VALUE || r->type == PTR_TO_MEM || r->type == PTR_TO_MAP_KEY) &&
	    !tnum_is_const(r->var_off) && !(r->smin < 0 && lo < 0)) {
		if (r->umax >= (1ull << 29))
			return verr(e, -EACCES, "R%d unbounded memory access, make sure to bounds "
				    "check any such access", regno);
		hi = (int64_t)r->off + off + (int64_t)r->umax;
	}
	switch (r->type) {
	case PTR_TO_CTX:
		if (r->off || !tnum_is_const(r->var_off) || r->var_off.value) {
			if (!tnum_is_const(r->var_off)) {
				char t[64];
				tnum_sbin(t, sizeof(t), r->var_off);
				return verr(e, -EACCES, "variable ctx access var_off=%s disallowed", t);
			}
			return verr(e, -EACCES, "dereference of modified ctx ptr R%d off=%d disallowed",
				    regno, r->off + (int32_t)r->var_off.value);
		}
		if (off < 0 || off >= 65535 || off % size)
			return verr(e, -EACCES, "invalid bpf_context access off=%d size=%d", off, size);
		if ((uint32_t)(off + size) > e->max_ctx_off)
			e->max_ctx_off = (uint32_t)(off + size);
		if (out)
			unknown_of_size(out, size, sext);
		return 0;
	case PTR_TO_MAP_VALUE: {
		const struct ibpf_map *m = r->map;
		if ((err = check_region(e, regno, r, lo, hi, size, map_region(m), "map value")))
			return err;
		if (write && map_readonly(m))
			return verr(e, -EACCES, "write into map forbidden, value_size=%u off=%lld size=%d",
				    m->value_size, (long long)lo, size);
		if (out) {
			int got;
			got = map_readonly(m) || m->func_slot_cnt ?
				load_from_rodata(e, regno, r, lo, hi, size, sext, out) : 0;
			if (got < 0)
				return e->err;
			if (!got)
				unknown_of_size(out, size, sext);
		}
		return 0;
	}
	case PTR_TO_MAP_KEY:
		if ((err = check_region(e, regno, r, lo, hi, size, r->map->key_size, "map key")))
			return err;
		if (out)
			unknown_of_size(out, size, sext);
		return 0;
	case PTR_TO_MEM:
		if ((err = check_region(e, regno, r, lo, hi, size, r->mem_size, "memory")))
			return err;
		if (out)
			unknown_of_size(out, size, sext);
		return 0;
	case PTR_TO_STACK: {
		struct func_state *f = frame_of(e, r);
		if (lo < -MAX_BPF_STACK || hi + size > 0)
			return verr(e, -EACCES, "invalid %s stack R%d off=%lld size=%d",
				    write ? "write to" : "read from", regno, (long long)lo, size);
		{
			struct tnum at = tnum_add(r->var_off, tnum_const((uint64_t)(int64_t)(r->off + off)));
			if ((at.value | at.mask) & (uint64_t)(size - 1)) {
				char t[64];
				if (tnum_is_const(r->var_off))
					snprintf(t, sizeof(t), "%lld", (long long)r->var_off.value);
				else
					tnum_sbin(t, sizeof(t), r->var_off);
				return verr(e, -EACCES, "misaligned stack access off %s+%d+%d size %d",
					    t, r->off, off, size);
			}
		}
		record_depth(e, r, lo);
		/* Stored zero bytes are compared exactly by pruning and read back as
		 * constants (keys, fills), but precision tracking cannot follow
		 * them: the register's exact value matters now (as in the kernel). */
		if (write && val_regno >= 0 && reg_is_const(val) && val->var_off.value == 0 &&
		    (err = mark_precise_branch(e, val_regno)))
			return err;
		if (lo != hi && write && val && val->type == PTR_TO_FUNC)
			return verr(e, -EACCES, "R%d variable-offset store of a function pointer to the "
				    "stack is not allowed", val_regno);
		if (lo != hi)
			return stack_access_var(e, f, lo, hi, size, write, val, out);
		if ((-lo - 1) / 8 == (-(lo + size - 1) - 1) / 8)
			trail_note_stack(e, r->frameno, (int)((-lo - 1) / 8));
		if (write)
			return stack_write_fixed(e, f, r->frameno, lo, size, val, val_regno);
		return stack_read_fixed(e, f, lo, size, sext, out);
	}
	}
	return verr(e, -EACCES, "R%d invalid mem access '%s'", regno, reg_type_str(r));
}

int check_load(struct env *e, const struct ibpf_insn *in)
{
	struct reg_state v;
	int sext = in->op == IBPF_OP_LDXS_B || in->op == IBPF_OP_LDXS_H || in->op == IBPF_OP_LDXS_W;
	int err;

	if ((err = check_reg_read(e, in->src)))
		return err;
	err = check_mem_access(e, in->src, in->off, in->size, 0, NULL, -1, sext, &v);
	if (err)
		return err;
	cur_regs(e)[in->dst] = v;
	return 0;
}

int check_store(struct env *e, const struct ibpf_insn *in)
{
	struct reg_state imm, *val;
	int err;

	if ((err = check_reg_read(e, in->dst)))
		return err;
	if (ibpf_ops[in->op].shape == IBPF_SHAPE_STX) {
		if ((err = check_reg_read(e, in->src)))
			return err;
		val = &cur_regs(e)[in->src];
	} else {
		reg_mark_const(&imm, in->imm64);
		val = &imm;
	}
	if (cur_regs(e)[in->dst].type == PTR_TO_CTX && val->type != SCALAR_VALUE &&
	    val->type == PTR_TO_FUNC)
		return verr(e, -EACCES, "R%d storing a function pointer into ctx is not allowed",
			    in->src);
	return check_mem_access(e, in->dst, in->off, in->size, 1, val,
				ibpf_ops[in->op].shape == IBPF_SHAPE_STX ? in->src : -1, 0, NULL);
}

int check_atomic(struct env *e, const struct ibpf_insn *in)
{
	struct reg_state *regs = cur_regs(e), old;
	int fetch = in->imm & BPF_FETCH, err;
	int cmpxchg = in->imm == BPF_CMPXCHG;

	if ((err = check_reg_read(e, in->src)) || (err = check_reg_read(e, in->dst)))
		return err;
	if (cmpxchg && (err = check_reg_read(e, 0)))
		return err;
	if (regs[in->src].type != SCALAR_VALUE)
		return verr(e, -EACCES, "R%d leaks addr into mem", in->src);
	if (regs[in->dst].type == PTR_TO_CTX)
		return verr(e, -EACCES, "BPF_ATOMIC stores into R%d ctx is not allowed", in->dst);
	{
		/* Every address the access may use must be aligned, not just a
		 * constant one: a misaligned atomic faults at run time. */
		const struct reg_state *b = &regs[in->dst];
		struct tnum at = tnum_add(b->var_off, tnum_const((uint64_t)((int64_t)b->off + in->off)));
		if ((at.value | at.mask) & (uint64_t)(in->size - 1)) {
			char t[64];
			tnum_sbin(t, sizeof(t), b->var_off);
			return verr(e, -EACCES, "misaligned %saccess off %s+%d+%d size %d",
				    b->type == PTR_TO_STACK ? "stack " :
				    b->type == PTR_TO_MAP_VALUE ? "value " : "", t, b->off, in->off,
				    in->size);
		}
	}
	/* Read then write the location. */
	if ((err = check_mem_access(e, in->dst, in->off, in->size, 0, NULL, -1, 0, &old)))
		return err;
	if (old.type == PTR_TO_FUNC)
		return verr(e, -EACCES, "BPF_ATOMIC on a spilled pointer (%s) is not allowed",
			    reg_type_str(&old));
	if ((err = check_mem_access(e, in->dst, in->off, in->size, 1, NULL, -1, 0, NULL)))
		return err;
	if (fetch) {
		struct reg_state *d = &regs[cmpxchg ? 0 : in->src];
		unknown_of_size(d, in->size, 0);
	}
	return 0;
}

int check_helper_mem(struct env *e, int regno, int64_t size, int write, int zero_ok)
{
	struct reg_state *r = &cur_regs(e)[regno];
	int64_t lo, hi;

	if (r->type == NOT_INIT)
		return verr(e, -EACCES, "R%d !read_ok", regno);
	if (size == 0 && zero_ok)
		return 0;
	switch (r->type) {
	case PTR_TO_STACK: case PTR_TO_MAP_VALUE: case PTR_TO_MEM: case PTR_TO_MAP_KEY:
		if (r->maybe_null)
			break;
		if (ptr_span(r, 0, &lo, &hi))
			return verr(e, -EACCES, "R%d unbounded memory access, make sure to bounds "
				    "check any such access", regno);
		if (r->type == PTR_TO_STACK) {
			if (lo < -MAX_BPF_STACK || hi + size > 0)
				return verr(e, -EACCES, "invalid indirect access to stack R%d off=%lld "
					    "size=%lld", regno, (long long)lo, (long long)size);
			record_depth(e, r, lo);
			struct func_state *f = frame_of(e, r);
			if (stack_grow(f, (int)((-lo - 1) / 8) + 1))
				return -ENOMEM;
			if (!write && stack_range_has_func(f, lo, hi + size))
				return verr(e, -EACCES, "R%d points to a spilled function pointer the "
					    "helper would read: a function pointer is opaque", regno);
			if (write)
				return stack_access_var(e, f, lo, hi + size - 1, 1, 1, NULL, NULL);
			return 0;
		}
		if (r->type == PTR_TO_MAP_VALUE && write && map_readonly(r->map))
			return verr(e, -EACCES, "write into map forbidden, value_size=%u off=%lld "
				    "size=%lld", r->map->value_size, (long long)lo, (long long)size);
		{
			int64_t region = r->type == PTR_TO_MAP_VALUE ? map_region(r->map)
				: r->type == PTR_TO_MAP_KEY ? r->map->key_size : r->mem_size;
			if (lo < 0 || hi + size > region)
				return verr(e, -EACCES, "invalid access to %s, %s=%lld off=%lld size=%lld",
					    r->type == PTR_TO_MEM ? "memory" : "map value",
					    r->type == PTR_TO_MEM ? "mem_size" : "value_size",
					    (long long)region, (long long)lo, (long long)size);
		}
		return 0;
	default:
		break;
	}
	return verr(e, -EACCES, "R%d type=%s expected=fp, pkt, pkt_meta, map_key, map_value, "
		    "mem, ringbuf_mem, buf, trusted_ptr_", regno, reg_type_str(r));
}
