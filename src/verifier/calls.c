/* calls.c - helper calls against the one prototype table, bpf-to-bpf calls
 * with frames, callx to every target of a function pointer, bpf_loop
 * callbacks, exits, and the static call-graph checks (stack depth,
 * recursion) that run once exploration is done.
 *
 * A function pointer names a *set* of subprograms (interned in env->fsets):
 * ld_imm64 BPF_PSEUDO_FUNC gives one, a table load or a variable-offset stack
 * read gives the union.  callx verifies the call to each target as if it
 * were direct, in the caller's state (one branch per target). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/helpers.h"
#include "verifier/env.h"

/* ---- target sets ---------------------------------------------------------- */

static uint32_t fset_intern(struct env *e, const uint32_t *items, uint32_t n)
{
	for (uint32_t i = 1; i < e->nfsets; i++)
		if (e->fsets[i].n == n && !memcmp(e->fsets[i].items, items, n * sizeof(*items)))
			return i;
	if (e->nfsets == e->fsets_cap) {
		uint32_t cap = e->fsets_cap * 2;
		struct fset *f = realloc(e->fsets, cap * sizeof(*f));
		if (!f) {
			e->err = -ENOMEM;
			return 0;
		}
		e->fsets = f;
		e->fsets_cap = cap;
	}
	uint32_t *copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!copy) {
		e->err = -ENOMEM;
		return 0;
	}
	memcpy(copy, items, n * sizeof(*copy));
	e->fsets[e->nfsets] = (struct fset){ n, copy };
	return e->nfsets++;
}

uint32_t fset_single(struct env *e, uint32_t subprog)
{
	return fset_intern(e, &subprog, 1);
}

/* Never truncated: a target left out would be a call never verified. */
uint32_t fset_union(struct env *e, uint32_t a, uint32_t b)
{
	const struct fset *x = &e->fsets[a], *y = &e->fsets[b];
	uint32_t *buf, n = 0, i = 0, j = 0, id;

	if (a == b || !b)
		return a;
	if (!a)
		return b;
	buf = malloc((size_t)(x->n + y->n) * sizeof(*buf));
	if (!buf) {
		e->err = -ENOMEM;
		return 0;
	}
	while (i < x->n || j < y->n) {
		if (j >= y->n || (i < x->n && x->items[i] < y->items[j]))
			buf[n++] = x->items[i++];
		else if (i >= x->n || y->items[j] < x->items[i])
			buf[n++] = y->items[j++];
		else {
			buf[n++] = x->items[i++];
			j++;
		}
	}
	id = fset_intern(e, buf, n);
	free(buf);
	return id;
}

int fset_subset(const struct env *e, uint32_t sub, uint32_t super)
{
	const struct fset *x = &e->fsets[sub], *y = &e->fsets[super];
	uint32_t j = 0;

	if (sub == super)
		return 1;
	for (uint32_t i = 0; i < x->n; i++) {
		while (j < y->n && y->items[j] < x->items[i])
			j++;
		if (j >= y->n || y->items[j] != x->items[i])
			return 0;
	}
	return 1;
}

/* ---- entering and leaving functions ------------------------------------- */

/* Push a frame for subprogram sp called from insn callsite; r1..r5 carry
 * over from the caller unless `cb` gives the callback's own arguments. */
static int enter_function(struct env *e, struct vstate *st, uint32_t sp, int callsite,
			  const struct reg_state *cb_args, int in_callback)
{
	struct func_state *caller = st->frame[st->curframe], *f;

	if (st->curframe + 1 >= MAX_CALL_FRAMES)
		return verr(e, -E2BIG, "the call stack of %d frames is too deep !",
			    st->curframe + 2);
	for (int i = 0; i <= st->curframe; i++)
		if (st->frame[i]->subprog == sp)
			return verr(e, -EINVAL, "recursive call from %s() to %s() at insn %d",
				    e->prog->subprogs[caller->subprog].name,
				    e->prog->subprogs[sp].name, callsite);
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->callsite = callsite;
	f->subprog = sp;
	f->in_callback = in_callback;
	if (in_callback)
		f->cb_call = e->cb_call_id;
	for (int i = 1; i <= 5; i++)
		f->regs[i] = cb_args ? cb_args[i] : caller->regs[i];
	if (cb_args) {
		f->cb_arg1 = cb_args[1];
		f->cb_arg2 = cb_args[2];
	}
	reg_mark_ptr(&f->regs[10], PTR_TO_STACK);
	f->regs[10].frameno = (uint8_t)(st->curframe + 1);
	st->frame[++st->curframe] = f;
	st->insn_idx = e->prog->subprogs[sp].start;
	return 0;
}

static void clobber_caller_saved(struct reg_state *regs)
{
	for (int i = 1; i <= 5; i++)
		mark_reg_not_init(&regs[i]);
}

int check_local_call(struct env *e, const struct ibpf_insn *in, uint32_t *idx)
{
	uint32_t target = *idx + 1 + (uint32_t)in->imm;
	int sp = target < e->n ? e->prog->subprog_of[target] : -1;
	int err;

	if (sp <= 0)
		return verr(e, -EINVAL, "call to insn %u, which does not start a function", target);
	if (is_global_func(e, (uint32_t)sp)) {
		if ((err = check_global_call(e, e->cur, (uint32_t)sp, *idx)))
			return err;
		*idx = *idx + 1;
		return 0;
	}
	if ((err = enter_function(e, e->cur, (uint32_t)sp, (int)*idx, NULL, 0)))
		return err;
	if (e->log_level >= 2) {
		vlog(e, "caller:\n");
		vlog_state(e, e->cur, e->cur->curframe - 1);
		vlog(e, "callee:\n");
		vlog_state(e, e->cur, e->cur->curframe);
	}
	*idx = target;
	return 0;
}

int check_callx(struct env *e, const struct ibpf_insn *in, uint32_t *idx)
{
	struct reg_state *r = &cur_regs(e)[in->src];
	const struct fset *set;
	int err;

	if (r->type == NOT_INIT)
		return verr(e, -EACCES, "R%d !read_ok", in->src);
	if (r->type != PTR_TO_FUNC)
		return verr(e, -EACCES, "callx R%d: expected a function pointer, got %s%s",
			    in->src, reg_type_str(r),
			    r->type == SCALAR_VALUE ? " (a function pointer loaded from writable "
			    "memory or changed by arithmetic is not callable)" : "");
	if (r->maybe_null)
		return verr(e, -EACCES, "callx R%d: the function pointer may be NULL; check it "
			    "first", in->src);
	/* Record the targets first: interning may move e->fsets. */
	e->aux[*idx].fset_at_callx = fset_union(e, e->aux[*idx].fset_at_callx, r->fset);
	set = &e->fsets[r->fset];
	if (!set->n)
		return verr(e, -EACCES, "callx R%d: no known target", in->src);
	if (e->log_level >= 1) {
		vlog(e, "%u: callx r%u ; targets:", *idx, in->src);
		for (uint32_t i = 0; i < set->n; i++)
			vlog(e, " subprog[%u]", e->prog->subprogs[set->items[i]].start);
		vlog(e, "\n");
	}
	/* Other targets: each a branch that makes the same call. */
	uint32_t n = set->n, first = set->items[0];
	uint32_t *items = malloc(n * sizeof(*items));
	if (!items)
		return -ENOMEM;
	memcpy(items, set->items, n * sizeof(*items));
	for (uint32_t i = n; i-- > 1;) {
		struct vstate *b = push_branch(e, *idx);
		err = !b ? e->err
		    : is_global_func(e, items[i]) ? check_global_call(e, b, items[i], *idx)
		    : enter_function(e, b, items[i], (int)*idx, NULL, 0);
		if (err) {
			free(items);
			return err;
		}
	}
	free(items);
	if (is_global_func(e, first)) {
		if ((err = check_global_call(e, e->cur, first, *idx)))
			return err;
		*idx = *idx + 1;
		return 0;
	}
	if ((err = enter_function(e, e->cur, first, (int)*idx, NULL, 0)))
		return err;
	*idx = e->prog->subprogs[first].start;
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

int check_helper_call(struct env *e, const struct ibpf_insn *in, uint32_t idx)
{
	const struct ibpf_helper *h = ibpf_helper_by_id(in->imm);
	struct reg_state *regs = cur_regs(e);
	const struct ibpf_map *map = NULL;
	uint32_t cb_set = 0;
	int err;

	if (in->op == IBPF_OP_CALL_KFUNC)
		return verr(e, -EINVAL, "calling kernel functions is not supported");
	if (!h)
		return verr(e, -EINVAL, "invalid func unknown#%d", in->imm);
	/* trace_printk prints r3..r5 unchecked: no function pointer there. */
	if (in->imm == BPF_FUNC_trace_printk)
		for (int i = 3; i <= 5; i++)
			if (regs[i].type == PTR_TO_FUNC)
				return verr(e, -EACCES, "R%d leaks addr into helper function: a "
					    "function pointer is opaque", i);
	for (int i = 0; i < 5 && h->args[i]; i++) {
		int regno = i + 1;
		struct reg_state *r = &regs[regno];

		if ((err = check_reg_read(e, regno)))
			return err;
		switch (h->args[i]) {
		case IBPF_ARG_ANYTHING:
			if (r->type == PTR_TO_FUNC)
				return verr(e, -EACCES, "R%d leaks addr into helper function: a function "
					    "pointer is opaque", regno);
			break;
		case IBPF_ARG_MAP:
			if (r->type == CONST_PTR_TO_MAP && !r->maybe_null)
				map = r->map;
			else if (r->type == PTR_TO_MAP_VALUE && r->map->type == IBPF_MAP_TYPE_INSN_SET &&
				 r->off == 0 && tnum_equals_const(r->var_off, 0))
				map = r->map;   /* &table of a SEC("callx") table */
			else
				return verr(e, -EACCES, "R%d type=%s expected=map_ptr", regno,
					    reg_type_str(r));
			break;
		case IBPF_ARG_MAP_KEY:
		case IBPF_ARG_MAP_VALUE: {
			int64_t sz = h->args[i] == IBPF_ARG_MAP_KEY ? map->key_size : map->value_size;
			if (r->type == PTR_TO_STACK && !r->maybe_null && r->smin > -(1ll << 29) &&
			    r->smax < (1ll << 29) &&
			    stack_range_has_func(frame_of(e, r), r->off + r->smin, r->off + r->smax + sz))
				return verr(e, -EACCES, "R%d points to a function pointer that %s would "
					    "copy into map '%s', where user space can read it", regno,
					    h->name, map->name);
			if ((err = check_helper_mem(e, regno, sz, 0, 0)))
				return err;
			break;
		}
		case IBPF_ARG_MEM_RO: {
			struct reg_state *sz = &regs[regno + 1];
			if ((err = check_reg_read(e, regno + 1)))
				return err;
			if (sz->type != SCALAR_VALUE)
				return verr(e, -EACCES, "R%d type=%s expected=scalar", regno + 1,
					    reg_type_str(sz));
			if (sz->smin < 0)
				return verr(e, -EACCES, "R%d min value is negative, either use unsigned or "
					    "'var &= const'", regno + 1);
			if (sz->umax >= (1u << 29))
				return verr(e, -EACCES, "R%d unbounded memory access, use 'var &= const' "
					    "or 'if (var < const)'", regno + 1);
			if (sz->umin == 0)
				return verr(e, -EACCES, "R%d invalid zero-sized read: u64=[%llu,%llu]",
					    regno + 1, (unsigned long long)sz->umin,
					    (unsigned long long)sz->umax);
			if ((err = mark_precise(e, regno + 1)))
				return err;
			if ((err = check_helper_mem(e, regno, (int64_t)sz->umax, 0, 0)))
				return err;
			break;
		}
		case IBPF_ARG_CONST_SIZE:
			break;      /* checked with its memory argument */
		case IBPF_ARG_FUNC:
			if (r->type != PTR_TO_FUNC || r->maybe_null)
				return verr(e, -EACCES, "R%d type=%s expected=func", regno,
					    reg_type_str(r));
			cb_set = r->fset;
			break;
		case IBPF_ARG_CB_CTX:
			if (!(r->type == PTR_TO_STACK || (reg_is_const(r) && r->var_off.value == 0) ||
			      (r->type == PTR_TO_MAP_VALUE && !r->maybe_null)))
				return verr(e, -EACCES, "R%d type=%s expected=fp", regno, reg_type_str(r));
			/* NULL ctx: the callback is verified for exactly that value */
			if (r->type == SCALAR_VALUE && (err = mark_precise_branch(e, regno)))
				return err;
			break;
		default:
			break;
		}
	}
	if ((err = check_printk_format(e, in->imm))) return err;
	if (cb_set) {
		/* Callbacks run on this call's behalf: the call graph (stack
		 * depth, recursion) must see them wherever the pointer came from. */
		e->aux[idx].fset_at_callx = fset_union(e, e->aux[idx].fset_at_callx, cb_set);
		if (!e->aux[idx].fset_at_callx)
			return e->err;
	}
	if (cb_set && reg_is_const(&regs[1]) && regs[1].var_off.value == 0) {
		/* Zero iterations: the callback never runs -- a decision on the
		 * exact count, which pruning must then respect. */
		if ((err = mark_precise_branch(e, 1)))
			return err;
		cb_set = 0;
	}
	if (cb_set) {
		/* bpf_loop: verify the callback(s) as calls from here with
		 * (index, ctx); the return path comes back through check_exit. */
		const struct fset *set = &e->fsets[cb_set];
		struct reg_state args[6];
		memset(args, 0, sizeof(args));
		reg_mark_unknown(&args[1]);
		reg_truncate(&args[1], 4);
		args[2] = regs[3];
		e->cb_call_id = new_id(e);   /* this call's iterations, apart from any other */
		/* The loop may run zero times: the caller also goes on directly,
		 * with whatever the callback would have written not written. */
		struct vstate *skip = push_branch(e, idx + 1);
		if (!skip)
			return e->err;
		clobber_caller_saved(skip->frame[skip->curframe]->regs);
		reg_mark_unknown(&skip->frame[skip->curframe]->regs[0]);
		for (uint32_t i = set->n; i-- > 0;) {
			struct vstate *b = i ? push_branch(e, idx) : e->cur;
			e->aux[e->prog->subprogs[set->items[i]].start].callback_entry = 1;
			if (!b)
				return e->err;
			if ((err = enter_function(e, b, set->items[i], (int)idx, args, 1)))
				return err;
		}
		e->cur->insn_idx = e->prog->subprogs[set->items[0]].start;
		return 1;    /* continue in the callback */
	}
	/* The key, when it is a known constant on the stack. */
	uint64_t const_key = UINT64_MAX;
	int key_spi = -1, regs_key_frame = 0;
	if (map && h->args[1] == IBPF_ARG_MAP_KEY && regs[2].type == PTR_TO_STACK &&
	    tnum_is_const(regs[2].var_off) && map->key_size == 4) {
		int64_t o = regs[2].off + (int64_t)regs[2].var_off.value;
		const struct func_state *kf = frame_of(e, &regs[2]);
		int spi = (int)((-o - 1) / 8), byte = (int)(o + 8 * (spi + 1));
		if (o < 0 && spi < kf->nslots && byte == 0 &&
		    kf->slots[spi].type[0] == STACK_SPILL &&
		    reg_is_const(&kf->slots[spi].spilled)) {
			const_key = (uint32_t)kf->slots[spi].spilled.var_off.value;
			key_spi = spi;
			regs_key_frame = regs[2].frameno;
		}
		else if (o < 0 && spi < kf->nslots && byte + 4 <= 8) {
			int zero = 1;
			for (int b = byte; b < byte + 4; b++)
				zero &= kf->slots[spi].type[b] == STACK_ZERO;
			if (zero)
				const_key = 0;
		}
	}
	clobber_caller_saved(regs);
	if (h->ret == IBPF_RET_MAP_VALUE_OR_NULL) {
		if (map->map_extra & IBPF_F_CALL_TABLE) {
			/* A call table yields the function pointer itself. */
			uint32_t set = 0;
			for (size_t s = 0; s < map->func_slot_cnt; s++) {
				int k = ibpf_program_slot_subprog(e->prog, map, s);
				if (k <= 0)
					return verr(e, -EFAULT, "call table '%s': entry at off %u names "
						    "no linked function", map->name, map->func_slots[s]);
				uint32_t one = fset_single(e, (uint32_t)k);
				set = one ? (set ? fset_union(e, set, one) : one) : 0;
				if (!set)
					return e->err ? e->err : -ENOMEM;
			}
			if (!set)
				return verr(e, -EINVAL, "call table '%s' holds no function", map->name);
			reg_mark_ptr(&regs[0], PTR_TO_FUNC);
			regs[0].fset = set;
			regs[0].maybe_null = 1;
			regs[0].id = new_id(e);
		} else {
			reg_mark_ptr(&regs[0], PTR_TO_MAP_VALUE);
			regs[0].map = map;
			/* An array lookup with a known in-range key cannot fail;
			 * the key's exact value decided that. */
			if (map->type == BPF_MAP_TYPE_ARRAY && const_key < map->max_entries &&
			    key_spi >= 0 && (err = mark_precise_slot(e, regs_key_frame, key_spi)))
				return err;
			if (!(map->type == BPF_MAP_TYPE_ARRAY && const_key < map->max_entries)) {
				regs[0].maybe_null = 1;
				regs[0].id = new_id(e);
			}
		}
	} else {
		reg_mark_unknown(&regs[0]);
		if (in->imm == 7 /* get_prandom_u32 */ || in->imm == 8 /* smp_processor_id */)
			reg_truncate(&regs[0], 4);
	}
	return 0;
}

/* ---- exit ------------------------------------------------------------- */

int check_exit(struct env *e, uint32_t *idx, int *path_done)
{
	struct vstate *st = e->cur;
	struct func_state *callee = st->frame[st->curframe], *caller;
	struct reg_state *r0 = &callee->regs[0];
	int err;

	/* A static callee may leave r0 unset (void functions): the caller just
	 * must not read it, as in the kernel. */
	if (r0->type == NOT_INIT && (st->curframe == 0 || callee->in_callback))
		return verr(e, -EACCES, "R0 !read_ok");
	if (st->curframe == 0) {
		if (callee->subprog && r0->type != SCALAR_VALUE)
			return verr(e, -EINVAL, "At subprogram exit the register R0 is not a scalar "
				    "value (%s)", reg_type_str(r0));
		if (r0->type == PTR_TO_FUNC)
			return verr(e, -EACCES, "R0 leaks a function pointer as return value");
		*path_done = 1;
		return 0;
	}
	if (r0->type == PTR_TO_STACK && r0->frameno == st->curframe)
		return verr(e, -EINVAL, "cannot return stack pointer to the caller");
	if (callee->in_callback) {
		if (r0->type != SCALAR_VALUE)
			return verr(e, -EINVAL, "At callback return the register R0 is not a known value "
				    "(%s)", reg_type_str(r0));
		if ((err = mark_precise(e, 0)))
			return err;
		if (r0->smin < 0 || r0->smax > 1)
			return verr(e, -EINVAL, "At callback return the register R0 has smin=%lld "
				    "smax=%lld should have been in [0, 1]", (long long)r0->smin,
				    (long long)r0->smax);
		/* Another iteration may follow: re-enter the callback with the
		 * state it left behind. */
		struct vstate *again = push_branch(e, *idx);
		if (!again)
			return e->err;
		struct func_state *f = again->frame[again->curframe];
		for (int i = 0; i <= 10; i++)
			mark_reg_not_init(&f->regs[i]);
		f->regs[1] = callee->cb_arg1;
		f->regs[2] = callee->cb_arg2;
		reg_mark_ptr(&f->regs[10], PTR_TO_STACK);
		f->regs[10].frameno = (uint8_t)again->curframe;
		free(f->slots);
		f->slots = NULL;
		f->nslots = 0;
		again->insn_idx = e->prog->subprogs[f->subprog].start;
		e->aux[again->insn_idx].callback_entry = 1;
	}
	caller = st->frame[st->curframe - 1];
	if (callee->in_callback)
		reg_mark_unknown(&caller->regs[0]);     /* bpf_loop's count */
	else
		caller->regs[0] = *r0;
	clobber_caller_saved(caller->regs);
	*idx = (uint32_t)callee->callsite + 1;
	free(callee->slots);
	free(callee);
	st->frame[st->curframe--] = NULL;
	if (e->log_level >= 2) {
		vlog(e, "returning from callee:\n");
		vlog(e, "to caller at %u:\n", *idx);
		vlog_state(e, st, st->curframe);
	}
	return 0;
}

/* ---- stack depth over the call graph (after exploration) ---------------- */

/* Frames are rounded to 16 bytes, as the kernel does when a JIT runs them. */
static uint32_t round32(uint32_t d) { return (d + 15) & ~15u; }

/* Callees of subprogram sp: direct calls, function addresses taken (callbacks
 * run on the caller's behalf), callx targets and bpf_loop callbacks seen
 * (whatever table or data the pointer came from).  A new array in *out. */
static int collect_callees(struct env *e, uint32_t sp, uint32_t **out)
{
	const struct ibpf_subprog *s = &e->prog->subprogs[sp];
	uint32_t *v = NULL, n = 0, cap = 0;

	for (uint32_t i = s->start; i < s->start + s->len && i < e->n; i++) {
		const struct ibpf_insn *in = &e->code[i];
		const struct fset *f = NULL;
		uint32_t one = 0, k, cnt;

		if (in->second_half)
			continue;
		if (in->op == IBPF_OP_CALL_LOCAL ||
		    (in->op == IBPF_OP_LD_IMM64 && in->src == BPF_PSEUDO_FUNC)) {
			uint32_t t = i + 1 + (uint32_t)in->imm;
			int c = t < e->n ? e->prog->subprog_of[t] : -1;
			if (c <= 0)
				continue;
			one = (uint32_t)c;
			cnt = 1;
		} else if (e->aux[i].fset_at_callx) {
			f = &e->fsets[e->aux[i].fset_at_callx];
			cnt = f->n;
		} else {
			continue;
		}
		if (n + cnt > cap) {
			uint32_t *nv;
			cap = (n + cnt) * 2 + 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		for (k = 0; k < cnt; k++)
			v[n++] = f ? f->items[k] : one;
	}
	*out = v;
	return (int)n;
}

static int depth_walk(struct env *e, uint32_t sp, uint32_t depth, int frames, uint32_t *path)
{
	uint32_t *callees = NULL;
	int n, err = 0;

	depth += round32(e->stack_depth[sp]);
	if (depth > MAX_BPF_STACK)
		return verr(e, -EACCES, "combined stack size of %d calls is %u. Too large",
			    frames, depth);
	path[frames - 1] = sp;
	n = collect_callees(e, sp, &callees);
	if (n < 0)
		return n;
	for (int i = 0; i < n && !err; i++) {
		for (int k = 0; k < frames && !err; k++)
			if (path[k] == callees[i])
				err = verr(e, -EINVAL, "recursive call from %s() to %s()",
					   e->prog->subprogs[sp].name,
					   e->prog->subprogs[callees[i]].name);
		if (!err && frames + 1 > MAX_CALL_FRAMES)
			err = verr(e, -E2BIG, "the call stack of %d frames is too deep !", frames + 1);
		if (!err)
			err = depth_walk(e, callees[i], depth, frames + 1, path);
	}
	free(callees);
	if (err)
		return err;
	if (depth > e->combined_stack)
		e->combined_stack = depth;
	return 0;
}

int check_stack_depth(struct env *e)
{
	uint32_t path[MAX_CALL_FRAMES + 1];
	return depth_walk(e, 0, 0, 1, path);
}
