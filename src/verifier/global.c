/* global.c - global (non-static) functions, verified as the kernel verifies
 * them: once on their own, with arguments typed by their BTF signature, and
 * at each call site only the arguments are checked against that signature
 * (the result is an unknown scalar).  This is also how a global function can
 * be a callx target: the seed's open question "only static functions?" */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf/btf.h"
#include "verifier/env.h"

enum garg_kind { GARG_SCALAR = 1, GARG_CTX, GARG_MEM };

struct garg {
	enum garg_kind kind;
	uint32_t size;          /* GARG_MEM: bytes the callee may touch */
};

static const struct btf_type *func_proto(const struct ibpf_btf *btf, uint32_t func_id)
{
	const struct btf_type *f = ibpf_btf_type(btf, func_id), *p;
	if (!f || BTF_INFO_KIND(f->info) != BTF_KIND_FUNC)
		return NULL;
	p = ibpf_btf_type(btf, f->type);
	return p && BTF_INFO_KIND(p->info) == BTF_KIND_FUNC_PROTO ? p : NULL;
}

/* The struct the entry program's ctx argument points to, or 0. */
static uint32_t ctx_type(const struct env *e)
{
	const struct ibpf_btf *btf = e->prog->obj->btf;
	const struct btf_type *p = func_proto(btf, e->prog->subprogs[0].btf_id), *t;
	const struct btf_param *params;

	if (!p || !BTF_INFO_VLEN(p->info))
		return 0;
	params = (const struct btf_param *)(p + 1);
	t = ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, params[0].type));
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return 0;
	return ibpf_btf_skip_mods(btf, t->type);
}

int is_global_func(const struct env *e, uint32_t sp)
{
	return sp > 0 && sp < e->prog->subprog_cnt && e->prog->subprogs[sp].is_global &&
	       e->prog->subprogs[sp].btf_id && e->prog->obj->btf;
}

/* The argument kinds from the signature; rejects what the kernel rejects. */
static int global_args(struct env *e, uint32_t sp, struct garg args[5], int *nargs)
{
	const struct ibpf_btf *btf = e->prog->obj->btf;
	const struct ibpf_subprog *s = &e->prog->subprogs[sp];
	const struct btf_type *p = func_proto(btf, s->btf_id), *t;
	const struct btf_param *params;
	uint32_t ctx = ctx_type(e);

	if (!p)
		return verr(e, -EINVAL, "global function %s() has no BTF signature", s->name);
	t = ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, p->type));
	if (!t || (BTF_INFO_KIND(t->info) != BTF_KIND_INT && BTF_INFO_KIND(t->info) != BTF_KIND_ENUM &&
		   BTF_INFO_KIND(t->info) != BTF_KIND_ENUM64))
		return verr(e, -EINVAL, "Global function %s() doesn't return scalar. Only those "
			    "are supported.", s->name);
	*nargs = (int)BTF_INFO_VLEN(p->info);
	if (*nargs > 5)
		return verr(e, -EINVAL, "Global function %s() has more than 5 arguments", s->name);
	params = (const struct btf_param *)(p + 1);
	for (int i = 0; i < *nargs; i++) {
		uint32_t tid = ibpf_btf_skip_mods(btf, params[i].type);
		t = ibpf_btf_type(btf, tid);
		unsigned kind = t ? BTF_INFO_KIND(t->info) : 0;
		if (kind == BTF_KIND_INT || kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64) {
			args[i].kind = GARG_SCALAR;
			continue;
		}
		if (kind == BTF_KIND_PTR) {
			uint32_t pointee = ibpf_btf_skip_mods(btf, t->type);
			long size = pointee ? ibpf_btf_type_size(btf, pointee) : -1;
			if (ctx && pointee == ctx) {
				args[i].kind = GARG_CTX;
				continue;
			}
			if (size > 0) {
				args[i].kind = GARG_MEM;
				args[i].size = (uint32_t)size;
				continue;
			}
		}
		return verr(e, -EINVAL, "arg#%d pointer type of %s() must point to scalar, or "
			    "struct with scalar", i, s->name);
	}
	return 0;
}

int check_global_call(struct env *e, struct vstate *st, uint32_t sp, uint32_t callsite)
{
	struct func_state *f = st->frame[st->curframe];
	struct vstate *saved = e->cur;
	struct garg args[5];
	int n, err;

	if ((err = global_args(e, sp, args, &n)))
		return err;
	e->cur = st;         /* the checks read the state being called from */
	for (int i = 0; i < n && !err; i++) {
		struct reg_state *r = &f->regs[i + 1];
		if (r->type == NOT_INIT)
			err = verr(e, -EACCES, "R%d !read_ok", i + 1);
		else if (args[i].kind == GARG_SCALAR && r->type != SCALAR_VALUE)
			err = verr(e, -EINVAL, "R%d is not a scalar", i + 1);
		else if (args[i].kind == GARG_CTX && r->type != PTR_TO_CTX)
			err = verr(e, -EINVAL, "arg#%d expects pointer to ctx", i);
		else if (args[i].kind == GARG_CTX && (r->off || !tnum_equals_const(r->var_off, 0)))
			err = verr(e, -EACCES, "dereference of modified ctx ptr R%d off=%d disallowed",
				   i + 1, r->off);
		else if (args[i].kind == GARG_MEM && reg_is_const(r) && r->var_off.value == 0)
			/* NULL skips the memory check: a decision on the exact value */
			err = mark_precise_branch(e, i + 1);
		else if (args[i].kind == GARG_MEM) {
			if (r->type == PTR_TO_FUNC)
				err = verr(e, -EACCES, "R%d: a function pointer is not memory", i + 1);
			else
				err = check_helper_mem(e, i + 1, args[i].size, 1, 0);
		}
	}
	e->cur = saved;
	if (err)
		return err;
	e->global_needed[sp] = 1;
	for (int i = 1; i <= 5; i++)
		mark_reg_not_init(&f->regs[i]);
	reg_mark_unknown(&f->regs[0]);
	st->insn_idx = callsite + 1;
	return 0;
}

/* The entry state of a global function verified on its own. */
int init_global_state(struct env *e, uint32_t sp)
{
	struct garg args[5];
	struct func_state *f;
	int n, err;

	if ((err = global_args(e, sp, args, &n)))
		return err;
	e->cur = calloc(1, sizeof(*e->cur));
	f = calloc(1, sizeof(*f));
	if (!e->cur || !f) {
		free(f);
		return -ENOMEM;
	}
	e->cur->frame[0] = f;
	f->callsite = -1;
	f->subprog = sp;
	reg_mark_ptr(&f->regs[10], PTR_TO_STACK);
	for (int i = 0; i < n; i++) {
		struct reg_state *r = &f->regs[i + 1];
		switch (args[i].kind) {
		case GARG_SCALAR:
			reg_mark_unknown(r);
			break;
		case GARG_CTX:
			reg_mark_ptr(r, PTR_TO_CTX);
			break;
		case GARG_MEM:
			reg_mark_ptr(r, PTR_TO_MEM);
			r->mem_size = args[i].size;
			r->maybe_null = 1;
			r->id = new_id(e);
			break;
		}
	}
	e->cur->insn_idx = e->prog->subprogs[sp].start;
	return 0;
}
