/* alu.c - ALU instructions and ld_imm64: checks first (which operands are
 * allowed, the kernel's messages), then the transfer to the new state. */
#include <errno.h>
#include <string.h>

#include "verifier/env.h"

static const char *const alu_names[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=",
	"s>>=", "endian", "?", "?",
};

void reg_mark_ptr(struct reg_state *r, enum reg_type t)
{
	/* bounds of a pointer describe its variable offset: none yet */
	memset(r, 0, sizeof(*r));
	r->type = (uint8_t)t;
	r->var_off = tnum_const(0);
}

/* A scalar about to receive a value computed from it: it no longer equals
 * its linked copies (only a plain 64-bit move keeps an id, as in the kernel),
 * and its precision mark no longer says that its sources were tracked back
 * (precise.c relies on that meaning of the mark). */
static void scalar_new_value(struct reg_state *r)
{
	r->id = 0;
	r->precise = 0;
}

static int op_of(const struct ibpf_insn *in) { return BPF_OP(ibpf_ops[in->op].code); }
static int is64_of(const struct ibpf_insn *in) { return BPF_CLASS(ibpf_ops[in->op].code) == BPF_ALU64; }

/* ptr OP scalar (or scalar + ptr): the checks, then the new pointer. */
static int ptr_arith(struct env *e, const struct ibpf_insn *in, struct reg_state *dst,
		     const struct reg_state *ptr, const struct reg_state *off)
{
	int op = op_of(in);
	struct reg_state res = *ptr;

	if (!is64_of(in)) {
		if (op == BPF_SUB) {
			reg_mark_unknown(dst);
			return 0;
		}
		return verr(e, -EACCES, "R%d 32-bit pointer arithmetic prohibited", in->dst);
	}
	if (ptr->maybe_null)
		return verr(e, -EACCES, "R%d pointer arithmetic on %s prohibited, null-check it first",
			    in->dst, reg_type_str(ptr));
	if (ptr->type == PTR_TO_FUNC)
		return verr(e, -EACCES, "R%d pointer arithmetic on func prohibited: a function "
			    "pointer is opaque", in->dst);
	if (ptr->type == CONST_PTR_TO_MAP) {
		if (!(reg_is_const(off) && off->var_off.value == 0 && op == BPF_ADD))
			return verr(e, -EACCES, "R%d pointer arithmetic on map_ptr prohibited",
				    in->dst);
		*dst = *ptr;
		return 0;
	}
	if (op == BPF_AND || op == BPF_OR || op == BPF_XOR)
		return verr(e, -EACCES, "R%d bitwise operator %s on pointer prohibited", in->dst,
			    alu_names[op >> 4]);
	if (op != BPF_ADD && op != BPF_SUB)
		return verr(e, -EACCES, "R%d pointer arithmetic with %s operator prohibited",
			    in->dst, alu_names[op >> 4]);
	if (op == BPF_SUB && ptr != dst)
		return verr(e, -EACCES, "R%d tried to subtract pointer from scalar", in->dst);
	if (reg_is_const(off)) {
		int64_t v = (int64_t)off->var_off.value, n;
		if (v >= (1 << 29) || v <= -(1 << 29))
			return verr(e, -EACCES, "math between %s pointer and %lld is not allowed",
				    reg_type_str(ptr), (long long)v);
		if (op == BPF_SUB)
			v = -v;
		if (__builtin_add_overflow((int64_t)res.off, v, &n) || n < -(1 << 29) ||
		    n > (1 << 29))
			return verr(e, -EACCES, "value %lld makes %s pointer be out of bounds",
				    (long long)v, reg_type_str(ptr));
		res.off = (int32_t)n;
	} else {
		if (off->smin == INT64_MIN)
			return verr(e, -EACCES, "math between %s pointer and register with unbounded "
				    "min value is not allowed", reg_type_str(ptr));
		struct reg_state o = *off;
		if (op == BPF_SUB) {
			struct reg_state zero;
			reg_mark_const(&zero, 0);
			scalar_alu(e, &(struct ibpf_insn){ .op = IBPF_OP_SUB64_X }, &zero, &o, 1);
			o = zero;
		}
		struct reg_state v = res;
		v.type = SCALAR_VALUE;
		scalar_alu(e, &(struct ibpf_insn){ .op = IBPF_OP_ADD64_X }, &v, &o, 1);
		res.var_off = v.var_off;
		res.smin = v.smin;
		res.smax = v.smax;
		res.umin = v.umin;
		res.umax = v.umax;
		res.s32_min = v.s32_min;
		res.s32_max = v.s32_max;
		res.u32_min = v.u32_min;
		res.u32_max = v.u32_max;
	}
	*dst = res;
	return 0;
}

static int check_mov(struct env *e, const struct ibpf_insn *in, struct reg_state *regs)
{
	struct reg_state *dst = &regs[in->dst];
	int is64 = is64_of(in), err;

	if (ibpf_ops[in->op].shape == IBPF_SHAPE_ALU_K) {
		if (is64)
			reg_mark_const(dst, in->imm64);
		else
			reg_mark_const(dst, (uint32_t)in->imm);
		return 0;
	}
	if ((err = check_reg_read(e, in->src)))
		return err;
	struct reg_state *src = &regs[in->src];
	if (in->off) {    /* movsx */
		if (src->type == PTR_TO_FUNC)
			return verr(e, -EACCES, "R%d partial copy of a function pointer", in->src);
		if (src->type != SCALAR_VALUE) {
			reg_mark_unknown(dst);
			if (!is64)
				reg_zext32(dst);
			return 0;
		}
		struct reg_state v = *src;
		scalar_new_value(&v);
		reg_sext_to(&v, in->off, is64);
		*dst = v;
		return 0;
	}
	if (is64) {
		/* Link scalar copies so a bound learned on one applies to both. */
		if (src->type == SCALAR_VALUE && !src->id && !tnum_is_const(src->var_off))
			src->id = new_id(e);
		*dst = *src;
		return 0;
	}
	if (src->type == PTR_TO_FUNC)
		return verr(e, -EACCES, "R%d partial copy of a function pointer", in->src);
	if (src->type != SCALAR_VALUE) {
		/* A 32-bit copy of a pointer is a meaningless scalar. */
		reg_mark_unknown(dst);
		reg_zext32(dst);
		return 0;
	}
	struct reg_state v = *src;
	scalar_new_value(&v);
	reg_zext32(&v);
	*dst = v;
	return 0;
}

int check_alu(struct env *e, const struct ibpf_insn *in)
{
	struct reg_state *regs = cur_regs(e), *dst = &regs[in->dst], srcv, *src;
	enum ibpf_shape shape = ibpf_ops[in->op].shape;
	int op = op_of(in), is64 = is64_of(in), err;

	if (op == BPF_MOV)
		return check_mov(e, in, regs);
	if ((err = check_reg_read(e, in->dst)))
		return err;
	if (shape == IBPF_SHAPE_ALU_NEG || shape == IBPF_SHAPE_ALU_END) {
		if (dst->type == PTR_TO_FUNC)
			return verr(e, -EACCES, "R%d arithmetic on a function pointer is prohibited",
				    in->dst);
		if (dst->type != SCALAR_VALUE) {
			reg_mark_unknown(dst);
			return 0;
		}
		scalar_new_value(dst);
		if (shape == IBPF_SHAPE_ALU_NEG) {
			reg_mark_const(&srcv, 0);
			return scalar_alu(e, in, dst, &srcv, is64);
		}
		/* byte swaps: exact on constants, else the width's range */
		int bits = in->imm;
		if (reg_is_const(dst)) {
			uint64_t v = dst->var_off.value;
			int swap = in->op != IBPF_OP_LE16 && in->op != IBPF_OP_LE32 &&
				   in->op != IBPF_OP_LE64;
			if (bits == 16)
				v = swap ? __builtin_bswap16((uint16_t)v) : (uint16_t)v;
			else if (bits == 32)
				v = swap ? __builtin_bswap32((uint32_t)v) : (uint32_t)v;
			else if (swap)
				v = __builtin_bswap64(v);
			reg_mark_const(dst, v);
		} else if (in->op == IBPF_OP_LE16 || in->op == IBPF_OP_LE32) {
			reg_truncate(dst, bits / 8);
		} else if (in->op != IBPF_OP_LE64) {
			reg_mark_unknown(dst);
			if (bits < 64)
				reg_truncate(dst, bits / 8);
		}
		return 0;
	}
	if (shape == IBPF_SHAPE_ALU_X) {
		if ((err = check_reg_read(e, in->src)))
			return err;
		src = &regs[in->src];
	} else {
		if ((op == BPF_DIV || op == BPF_MOD) && in->imm == 0)
			return verr(e, -EINVAL, "div by zero");
		if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) &&
		    (in->imm < 0 || in->imm >= (is64 ? 64 : 32)))
			return verr(e, -EINVAL, "invalid shift %d", in->imm);
		reg_mark_const(&srcv, is64 ? in->imm64 : (uint32_t)in->imm);
		src = &srcv;
	}
	if (dst->type == PTR_TO_FUNC || src->type == PTR_TO_FUNC)
		return verr(e, -EACCES, "R%d arithmetic on a function pointer is prohibited",
			    dst->type == PTR_TO_FUNC ? in->dst : in->src);
	if (dst->type != SCALAR_VALUE && src->type != SCALAR_VALUE) {
		if (op == BPF_SUB) {    /* privileged: pointer difference is a scalar */
			reg_mark_unknown(dst);
			if (!is64)
				reg_zext32(dst);
			return 0;
		}
		return verr(e, -EACCES, "R%d pointer %s pointer prohibited", in->dst,
			    alu_names[op >> 4]);
	}
	if (dst->type != SCALAR_VALUE) {
		/* The offset's exact range decides which bytes may be touched. */
		if (shape == IBPF_SHAPE_ALU_X && (err = mark_precise(e, in->src)))
			return err;
		return ptr_arith(e, in, dst, dst, src);
	}
	if (src->type != SCALAR_VALUE) {
		if (op == BPF_ADD && is64) {
			if ((err = mark_precise(e, in->dst)))
				return err;
			struct reg_state p = *src, off = *dst;
			return ptr_arith(e, in, dst, &p, &off);
		}
		if (!is64 || op == BPF_SUB) {
			if (op == BPF_SUB)
				return verr(e, -EACCES, "R%d tried to subtract pointer from scalar",
					    in->dst);
			return verr(e, -EACCES, "R%d 32-bit pointer arithmetic prohibited", in->dst);
		}
		return verr(e, -EACCES, "R%d pointer arithmetic with %s operator prohibited",
			    in->src, alu_names[op >> 4]);
	}
	scalar_new_value(dst);
	return scalar_alu(e, in, dst, src, is64);
}

int check_ld_imm64(struct env *e, const struct ibpf_insn *in)
{
	struct reg_state *dst = &cur_regs(e)[in->dst];
	const struct ibpf_object *obj = e->prog->obj;
	const struct ibpf_map *m;

	switch (in->src) {
	case 0:
		reg_mark_const(dst, in->imm64);
		return 0;
	case BPF_PSEUDO_FUNC: {
		uint32_t t = (uint32_t)(e->prev_insn + 1 + (uint32_t)in->imm);
		int sp = t < e->n ? e->prog->subprog_of[t] : -1;
		if (sp <= 0)
			return verr(e, -EINVAL, "function pointer to insn %u, which does not start "
				    "a function", t);
		reg_mark_ptr(dst, PTR_TO_FUNC);
		dst->fset = fset_single(e, (uint32_t)sp);
		return dst->fset ? 0 : e->err;
	}
	case BPF_PSEUDO_MAP_FD: case BPF_PSEUDO_MAP_IDX:
	case BPF_PSEUDO_MAP_VALUE: case BPF_PSEUDO_MAP_IDX_VALUE:
		m = (uint32_t)in->imm < obj->map_cnt ? obj->maps[in->imm] : NULL;
		if (!m)
			return verr(e, -EBADF, "fd %d is not pointing to valid bpf_map", in->imm);
		if (in->src == BPF_PSEUDO_MAP_FD || in->src == BPF_PSEUDO_MAP_IDX) {
			reg_mark_ptr(dst, CONST_PTR_TO_MAP);
		} else {
			uint32_t off = (uint32_t)(in->imm64 >> 32);
			if (!ibpf_map_is_array_like(m) || off >= (uint64_t)m->max_entries * m->elem_size)
				return verr(e, -EINVAL, "invalid access to map value pointer, "
					    "value_size=%u off=%u", m->value_size, off);
			reg_mark_ptr(dst, PTR_TO_MAP_VALUE);
			dst->off = (int32_t)off;
		}
		dst->map = m;
		return 0;
	}
	return verr(e, -EINVAL, "unsupported ld_imm64 source %u", in->src);
}
