/* prune.c - checkpoints and state equivalence.
 *
 * At a prune point the current state is compared with the checkpoints stored
 * there.  A checkpoint whose every path has been explored (branches == 0)
 * covers the current state if each live register and each stack slot of the
 * old state is at least as general as the current one (regsafe/stacksafe);
 * then this path is safe and stops.  A checkpoint still being explored is an
 * ancestor on the current path: an exactly equal state there means the
 * program can loop forever.  Otherwise the current state becomes a new
 * checkpoint. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/env.h"

struct idmap {
	uint32_t old_id[64], cur_id[64];
	int n;
};

static int check_ids(struct idmap *m, uint32_t old_id, uint32_t cur_id)
{
	if (!old_id)
		return 1;
	if (!cur_id)
		return 0;
	for (int i = 0; i < m->n; i++) {
		if (m->old_id[i] == old_id)
			return m->cur_id[i] == cur_id;
		if (m->cur_id[i] == cur_id)
			return 0;
	}
	if (m->n == 64)
		return 0;
	m->old_id[m->n] = old_id;
	m->cur_id[m->n++] = cur_id;
	return 1;
}

static int exact_scalar(const struct reg_state *a, const struct reg_state *b)
{
	return a->smin == b->smin && a->smax == b->smax && a->umin == b->umin &&
	       a->umax == b->umax && a->s32_min == b->s32_min && a->s32_max == b->s32_max &&
	       a->u32_min == b->u32_min && a->u32_max == b->u32_max &&
	       a->var_off.value == b->var_off.value && a->var_off.mask == b->var_off.mask;
}

/* How states are compared: NORMAL for pruning against a finished state
 * (imprecise scalars match anything), RANGE for pruning against one still
 * being explored (every scalar compared, since its precision marks are not
 * final), EXACT for the infinite-loop check. */
enum cmp_mode { CMP_NORMAL = 0, CMP_EXACT = 1, CMP_RANGE = 2 };

static int regsafe(const struct env *e, const struct reg_state *old, const struct reg_state *cur,
		   struct idmap *m, int mode)
{
	int exact = mode == CMP_EXACT;

	if (old->type == NOT_INIT)
		return !exact || cur->type == NOT_INIT;
	if (old->type != cur->type)
		return 0;
	switch (old->type) {
	case SCALAR_VALUE:
		if (exact)
			return exact_scalar(old, cur) && check_ids(m, old->id, cur->id);
		if (!old->precise && mode != CMP_RANGE)
			return 1;
		return range_within(old, cur) && tnum_in(old->var_off, cur->var_off) &&
		       check_ids(m, old->id, cur->id);
	case PTR_TO_FUNC:
		if (old->maybe_null != cur->maybe_null)
			return 0;
		if (exact && old->fset != cur->fset)
			return 0;
		return fset_subset(e, cur->fset, old->fset) &&
		       (!old->maybe_null || check_ids(m, old->id, cur->id));
	default:
		if (old->maybe_null != cur->maybe_null || old->map != cur->map ||
		    old->off != cur->off || old->frameno != cur->frameno ||
		    old->mem_size != cur->mem_size)
			return 0;
		if (old->maybe_null && !check_ids(m, old->id, cur->id))
			return 0;
		if (exact)
			return exact_scalar(old, cur);
		return range_within(old, cur) && tnum_in(old->var_off, cur->var_off);
	}
}

/* The slot as a register: a spill, a known zero, or an unknown scalar. */
static int slot_as_reg(const struct func_state *f, int spi, struct reg_state *r)
{
	int zero = 1, invalid = 1;

	if (spi >= f->nslots) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	const struct stack_slot *s = &f->slots[spi];
	if (s->type[0] == STACK_SPILL && s->type[7] == STACK_SPILL) {
		*r = s->spilled;
		return 1;
	}
	for (int i = 0; i < 8; i++) {
		zero &= s->type[i] == STACK_ZERO;
		invalid &= s->type[i] == STACK_INVALID;
	}
	if (invalid) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (zero)
		reg_mark_const(r, 0);
	else
		reg_mark_unknown(r);
	return 1;
}

/* A slot holding a spilled function pointer: only another such slot covers
 * it, or reading it where the old state saw plain bytes would turn the
 * pointer into a number. */
static int slot_holds_func(const struct func_state *f, int spi)
{
	return spi < f->nslots && f->slots[spi].type[0] == STACK_SPILL &&
	       f->slots[spi].spilled.type == PTR_TO_FUNC;
}

static int stacksafe(const struct env *e, const struct func_state *old,
		     const struct func_state *cur, struct idmap *m, int mode)
{
	int exact = mode == CMP_EXACT;

	for (int spi = old->nslots; spi < cur->nslots; spi++)
		if (slot_holds_func(cur, spi))
			return 0;
	for (int spi = 0; spi < old->nslots; spi++) {
		const struct stack_slot *os = &old->slots[spi];
		struct reg_state o, c;
		int o_any = 0;

		for (int i = 0; i < 8; i++)
			o_any |= os->type[i] != STACK_INVALID;
		if (!o_any) {
			if (slot_holds_func(cur, spi))
				return 0;
			if (exact && spi < cur->nslots) {
				for (int i = 0; i < 8; i++)
					if (cur->slots[spi].type[i] != STACK_INVALID)
						return 0;
			}
			continue;
		}
		if (exact) {
			if (spi >= cur->nslots || memcmp(os->type, cur->slots[spi].type, 8))
				return 0;
			if (os->type[0] == STACK_SPILL &&
			    !regsafe(e, &os->spilled, &cur->slots[spi].spilled, m, CMP_EXACT))
				return 0;
			continue;
		}
		slot_as_reg(old, spi, &o);
		slot_as_reg(cur, spi, &c);
		if (os->type[0] == STACK_SPILL) {
			if (c.type == NOT_INIT && o.type == SCALAR_VALUE && !o.precise &&
			    mode != CMP_RANGE)
				continue;     /* uninitialized reads as unknown for root */
			if (!regsafe(e, &o, &c, m, mode))
				return 0;
			continue;
		}
		/* Byte-wise: misc covers anything scalar, zero needs zero. */
		const struct stack_slot *cs = spi < cur->nslots ? &cur->slots[spi] : NULL;
		if (cs && cs->type[0] == STACK_SPILL && cs->spilled.type != SCALAR_VALUE)
			return 0;
		/* Known-zero bytes need known-zero bytes: a spilled zero does
		 * not do, since it may itself stand for other values after an
		 * imprecise match, and nothing marks it precise here. */
		for (int i = 0; i < 8; i++)
			if (os->type[i] == STACK_ZERO && (!cs || cs->type[i] != STACK_ZERO))
				return 0;
	}
	if (exact)
		for (int spi = old->nslots; spi < cur->nslots; spi++)
			for (int i = 0; i < 8; i++)
				if (cur->slots[spi].type[i] != STACK_INVALID)
					return 0;
	return 1;
}

/* The same chain of calls: only then are two states comparable. */
static int same_frames(const struct vstate *a, const struct vstate *b)
{
	if (a->curframe != b->curframe)
		return 0;
	for (int f = 0; f <= a->curframe; f++)
		if (a->frame[f]->callsite != b->frame[f]->callsite ||
		    a->frame[f]->subprog != b->frame[f]->subprog ||
		    a->frame[f]->in_callback != b->frame[f]->in_callback)
			return 0;
	return 1;
}

static int states_equal(const struct env *e, const struct vstate *old, const struct vstate *cur,
			uint32_t idx, int mode)
{
	struct idmap m = { .n = 0 };
	int exact = mode == CMP_EXACT;

	if (!same_frames(old, cur))
		return 0;
	for (int f = 0; f <= old->curframe; f++) {
		const struct func_state *of = old->frame[f], *cf = cur->frame[f];
		/* A callback's next iteration starts from these: always compared
		 * in full, whatever the callback reads of them. */
		if (of->in_callback &&
		    (!regsafe(e, &of->cb_arg1, &cf->cb_arg1, &m, exact ? CMP_EXACT : CMP_RANGE) ||
		     !regsafe(e, &of->cb_arg2, &cf->cb_arg2, &m, exact ? CMP_EXACT : CMP_RANGE)))
			return 0;
	}
	for (int f = old->curframe; f >= 0; f--) {
		const struct func_state *of = old->frame[f], *cf = cur->frame[f];
		uint16_t live;

		if (f == old->curframe)
			live = e->aux[idx].live_regs;
		else
			live = e->aux[old->frame[f + 1]->callsite + 1].live_regs & 0x3c0;
		if (exact)
			live = 0x3ff;
		for (int i = 0; i < 10; i++)
			if ((live >> i) & 1 && !regsafe(e, &of->regs[i], &cf->regs[i], &m, mode))
				return 0;
		if (!stacksafe(e, of, cf, &m, mode))
			return 0;
	}
	return 1;
}

/* A new checkpoint claims no precision: a mark in a checkpoint means a walk
 * back from a check in its future passed through it (precise.c stops there),
 * and marks copied from the current state say nothing of that. */
static void clear_precision(struct vstate *st)
{
	for (int f = 0; f <= st->curframe; f++) {
		struct func_state *fs = st->frame[f];
		for (int i = 0; i < 10; i++)
			fs->regs[i].precise = 0;
		for (int s = 0; s < fs->nslots; s++)
			fs->slots[s].spilled.precise = 0;
	}
}


static void widen_reg(const struct reg_state *old, struct reg_state *cur)
{
	if (old->type == SCALAR_VALUE && cur->type == SCALAR_VALUE && !old->precise &&
	    !exact_scalar(old, cur))
		reg_mark_unknown(cur);
}

/* A callback entered again with scalars that changed since the previous
 * entry and that nothing has needed exactly (a counter in the caller's
 * frame, say): make them unknown, so that iterations converge instead of
 * being walked one by one.  Widening only generalizes the state. */
static void widen_imprecise(const struct vstate *old, struct vstate *cur)
{
	for (int f = 0; f <= cur->curframe; f++) {
		const struct func_state *of = old->frame[f];
		struct func_state *cf = cur->frame[f];
		for (int i = 0; i < 10; i++)
			widen_reg(&of->regs[i], &cf->regs[i]);
		for (int spi = 0; spi < of->nslots && spi < cf->nslots; spi++)
			if (of->slots[spi].type[0] == STACK_SPILL &&
			    cf->slots[spi].type[0] == STACK_SPILL)
				widen_reg(&of->slots[spi].spilled, &cf->slots[spi].spilled);
	}
}

/* A cheap fingerprint of everything exact equality compares, so the loop
 * check against in-flight ancestors is O(1) per checkpoint when they differ. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t state_hash(const struct vstate *st)
{
	uint64_t h = (uint64_t)st->curframe;

	for (int f = 0; f <= st->curframe; f++) {
		const struct func_state *fs = st->frame[f];
		for (int i = 0; i < 10; i++) {
			const struct reg_state *r = &fs->regs[i];
			h = mix(h, r->type);
			if (r->type == NOT_INIT)
				continue;
			h = mix(h, (uint64_t)r->smin);
			h = mix(h, r->umax);
			h = mix(h, r->var_off.value);
			h = mix(h, r->var_off.mask);
			h = mix(h, (uint64_t)(uint32_t)r->off);
		}
		for (int sp = 0; sp < fs->nslots; sp++) {
			uint64_t t;
			memcpy(&t, fs->slots[sp].type, 8);
			if (!t)
				continue;
			h = mix(h, t ^ (uint64_t)sp);
			if (fs->slots[sp].type[0] == STACK_SPILL) {
				h = mix(h, fs->slots[sp].spilled.type);
				h = mix(h, fs->slots[sp].spilled.var_off.value);
				h = mix(h, fs->slots[sp].spilled.var_off.mask);
			}
		}
	}
	return h;
}

#define LOOP_INDEX_BITS 16

static struct checkpoint **bucket(struct env *e, uint32_t insn, uint64_t hash)
{
	uint64_t k = (hash ^ ((uint64_t)insn * 0x9e3779b97f4a7c15ull)) >> (64 - LOOP_INDEX_BITS);
	return &e->loop_index[k];
}

static void link_front(struct checkpoint **head, struct checkpoint *c, int hashed)
{
	if (hashed) {
		c->hnext = *head;
		c->hpprev = head;
		if (*head)
			(*head)->hpprev = &c->hnext;
	} else {
		c->next = *head;
		c->pprev = head;
		if (*head)
			(*head)->pprev = &c->next;
	}
	*head = c;
}

static void unlink_inflight(struct checkpoint *c)
{
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	*c->hpprev = c->hnext;
	if (c->hnext)
		c->hnext->hpprev = c->hpprev;
	c->pprev = c->hpprev = NULL;
	c->next = c->hnext = NULL;
}

int prune_check(struct env *e, uint32_t idx)
{
	struct insn_aux *a = &e->aux[idx];
	struct checkpoint *c, *n, **pp;
	uint32_t count = 0;
	uint64_t hash = state_hash(e->cur);
	/* Like the kernel: a new checkpoint only every few jumps and insns, so
	 * straight-line stretches do not flood the lists; function entries and
	 * call returns always. */
	int add = (e->jmps_processed - e->prev_jmps >= 2 &&
		   e->insn_processed - e->prev_insns >= 8) || a->callback_entry ||
		  a->force_checkpoint || a->loop_head;

	if (!e->loop_index) {
		e->loop_index = calloc(1u << LOOP_INDEX_BITS, sizeof(*e->loop_index));
		if (!e->loop_index)
			return -ENOMEM;
	}
	/* bpf_loop callbacks re-enter their entry: a state covered by one
	 * still being explored has converged (the helper bounds the calls). */
	if (a->callback_entry) {
		struct checkpoint *prev = NULL;
		const struct func_state *cf = e->cur->frame[e->cur->curframe];
		for (c = a->inflight; c; c = c->next) {
			/* Only iterations of the same call: an entry of an earlier
			 * bpf_loop call (a loop around it) is no earlier iteration,
			 * and covering by it could hide a loop that never ends. */
			if (c->st->curframe != e->cur->curframe ||
			    c->st->frame[c->st->curframe]->cb_call != cf->cb_call)
				continue;
			if (states_equal(e, c->st, e->cur, idx, CMP_RANGE)) {
				/* Every scalar was compared: the checkpoints on the
				 * way here must know that all of them matter. */
				mark_all_precise(e);
				return 1;
			}
			if (!prev && same_frames(c->st, e->cur))
				prev = c;       /* the newest entry of this callback */
		}
		if (prev)
			widen_imprecise(prev->st, e->cur);
	}
	/* Ancestors on this path: an exact repeat is an infinite loop. */
	for (c = *bucket(e, idx, hash); c; c = c->hnext)
		if (c->insn == idx && c->hash == hash && states_equal(e, c->st, e->cur, idx, CMP_EXACT))
			return verr(e, -EINVAL, "infinite loop detected at insn %u", idx);
	if (a->inflight) {
		/* Inside a loop, different iterations rarely prune each other:
		 * checkpoint sparsely (the kernel's 20 jumps / 100 insns). */
		if (!a->callback_entry && !a->force_checkpoint &&
		    !(a->loop_head && e->insn_processed - a->last_add >= 16) &&
		    e->jmps_processed - e->prev_jmps < 20 &&
		    e->insn_processed - e->prev_insns < 100)
			add = 0;
	}
	for (pp = &a->states; (c = *pp);) {
		/* Retire checkpoints that keep failing to match. */
		if (c->miss > c->hits * 3 + 3) {
			*pp = c->next;
			c->next = e->retired;
			e->retired = c;
			e->cur_states--;
			continue;
		}
		pp = &c->next;
		count++;
		if (states_equal(e, c->st, e->cur, idx, CMP_NORMAL)) {
			c->hits++;
			propagate_precision(e, c->st);
			return 1;
		}
		c->miss++;
	}
	if (count > e->max_states_per_insn)
		e->max_states_per_insn = count;
	if (!add)
		return 0;
	e->prev_jmps = e->jmps_processed;
	e->prev_insns = e->insn_processed;
	a->last_add = e->insn_processed;
	/* Store the current state as a new checkpoint on this path. */
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->st = state_copy(e->cur);
	if (!n->st) {
		free(n);
		return -ENOMEM;
	}
	clear_precision(n->st);
	n->branches = 1;
	n->hash = hash;
	n->insn = idx;
	n->parent = e->cur_parent;
	n->trail_pos = (uint32_t)(e->trail_len - 1);
	link_front(&a->inflight, n, 0);
	link_front(bucket(e, idx, hash), n, 1);
	a->nstates++;
	e->cur_parent = n;
	e->total_states++;
	e->cur_states++;
	if (e->cur_states > e->peak_states)
		e->peak_states = e->cur_states;
	return 0;
}

void prune_branch_added(struct checkpoint *c)
{
	c->branches++;
}

void prune_path_done(struct env *e)
{
	for (struct checkpoint *c = e->cur_parent; c; c = c->parent) {
		if (--c->branches)
			break;
		/* Fully explored: usable for pruning from now on. */
		unlink_inflight(c);
		c->next = e->aux[c->insn].states;
		e->aux[c->insn].states = c;
	}
}

static void free_list(struct checkpoint *c, int inflight)
{
	for (struct checkpoint *n; c; c = n) {
		n = c->next;
		(void)inflight;
		state_free(c->st);
		free(c);
	}
}

void prune_free_all(struct env *e)
{
	free_list(e->retired, 0);
	for (uint32_t i = 0; e->aux && i < e->n; i++) {
		free_list(e->aux[i].states, 0);
		free_list(e->aux[i].inflight, 1);
	}
	free(e->loop_index);
}
