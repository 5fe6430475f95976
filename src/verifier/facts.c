/* facts.c - recording what the verifier proved at each instruction, for the
 * self-check run (facts.h says what is recorded and why).  Only runs when a
 * program asked for facts; verification without them pays nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/env.h"

int facts_begin(struct env *e)
{
	struct ibpf_facts *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->n = e->n;
	f->insn = calloc(e->n + 1, sizeof(*f->insn));
	if (!f->insn) {
		free(f);
		return -ENOMEM;
	}
	e->facts = f;
	return 0;
}

/* One value as a fact: a pointer's fixed and variable offsets folded into
 * one range, so pointers reached with different fixed offsets still join. */
static void val_of(const struct reg_state *r, struct val_fact *v)
{
	memset(v, 0, sizeof(*v));
	v->type = r->type;
	v->maybe_null = r->maybe_null;
	v->map = r->map;
	v->mem_size = r->mem_size;
	v->fset = r->fset;
	if (r->type == SCALAR_VALUE) {
		v->var_off = r->var_off;
		v->smin = r->smin;
		v->smax = r->smax;
		v->umin = r->umin;
		v->umax = r->umax;
		return;
	}
	v->frameno = r->frameno;
	v->var_off = tnum_add(r->var_off, tnum_const((uint64_t)(int64_t)r->off));
	v->smin = r->smin == INT64_MIN ? INT64_MIN : r->smin + r->off;
	v->smax = r->smax == INT64_MAX ? INT64_MAX : r->smax + r->off;
}

static int same_kind(const struct val_fact *a, const struct val_fact *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type == SCALAR_VALUE || a->type == PTR_TO_FUNC)
		return 1;
	return a->map == b->map && a->frameno == b->frameno && a->mem_size == b->mem_size;
}

static void join_val(struct env *e, struct val_fact *a, const struct val_fact *b)
{
	a->maybe_null |= b->maybe_null;
	a->var_off = tnum_union(a->var_off, b->var_off);
	a->smin = b->smin < a->smin ? b->smin : a->smin;
	a->smax = b->smax > a->smax ? b->smax : a->smax;
	a->umin = b->umin < a->umin ? b->umin : a->umin;
	a->umax = b->umax > a->umax ? b->umax : a->umax;
	if (a->type == PTR_TO_FUNC && a->fset != b->fset) {
		uint32_t u = fset_union(e, a->fset, b->fset);
		a->fset = u;     /* 0 (empty) on allocation failure: checks then fail loudly */
	}
}

static void join_loc(struct env *e, struct loc_fact *l, const struct reg_state *r, int first)
{
	struct val_fact v;

	if (first)
		memset(l, 0, sizeof(*l));
	if (l->any)
		return;
	if (r->type == NOT_INIT) {
		l->any = 1;
		return;
	}
	val_of(r, &v);
	for (int i = 0; i < l->n; i++)
		if (same_kind(&l->v[i], &v)) {
			join_val(e, &l->v[i], &v);
			return;
		}
	if (l->n == FACT_VARIANTS) {
		l->any = 1;      /* too many kinds here: this location goes unchecked */
		return;
	}
	l->v[l->n++] = v;
}

/* The bytes of a slot that are zero in this state. */
static uint8_t zero_bytes(const struct func_state *fs, int spi)
{
	uint8_t m = 0;

	if (spi >= fs->nslots)
		return 0;
	const struct stack_slot *s = &fs->slots[spi];
	/* A spilled zero is a scalar like any other: pruning may let an
	 * imprecise one stand for other bytes (its slot fact says more). */
	if (s->type[0] == STACK_SPILL && s->type[7] == STACK_SPILL)
		return 0;
	for (int b = 0; b < 8; b++)
		if (s->type[b] == STACK_ZERO)
			m |= (uint8_t)(1u << b);
	return m;
}

static int full_spill(const struct func_state *fs, int spi)
{
	return spi < fs->nslots && fs->slots[spi].type[0] == STACK_SPILL &&
	       fs->slots[spi].type[7] == STACK_SPILL;
}

static int record_stack(struct env *e, struct insn_fact *f, const struct func_state *fs, int first)
{
	for (int spi = 0; spi < 64; spi++) {
		uint8_t z = zero_bytes(fs, spi);
		uint64_t bits = (uint64_t)z << (8 * (spi % 8));
		uint64_t keep = ~(0xffull << (8 * (spi % 8)));
		if (first)
			f->zero[spi / 8] = (f->zero[spi / 8] & keep) | bits;
		else
			f->zero[spi / 8] &= keep | bits;
	}
	if (first) {
		for (int spi = 0; spi < fs->nslots && spi < 64; spi++) {
			if (!full_spill(fs, spi))
				continue;
			struct slot_fact *n = realloc(f->slots, (f->nslots + 1) * sizeof(*n));
			if (!n)
				return -ENOMEM;
			f->slots = n;
			n[f->nslots].spi = (uint8_t)spi;
			join_loc(e, &n[f->nslots].val, &fs->slots[spi].spilled, 1);
			f->nslots++;
		}
		return 0;
	}
	/* Keep only the slots spilled in every state. */
	uint32_t k = 0;
	for (uint32_t i = 0; i < f->nslots; i++) {
		int spi = f->slots[i].spi;
		if (!full_spill(fs, spi))
			continue;
		f->slots[k] = f->slots[i];
		join_loc(e, &f->slots[k].val, &fs->slots[spi].spilled, 0);
		k++;
	}
	f->nslots = k;
	return 0;
}

int facts_record(struct env *e, uint32_t idx)
{
	struct insn_fact *f = &e->facts->insn[idx];
	const struct func_state *fs = e->cur->frame[e->cur->curframe];
	int first = !f->states;

	f->states++;
	f->live_regs = e->aux[idx].live_regs | (1u << 10);
	f->frames |= (uint8_t)(1u << e->cur->curframe);
	f->rel_frames |= (uint8_t)e->facts_rel_frames;
	for (int i = 0; i <= 10; i++)
		join_loc(e, &f->regs[i], &fs->regs[i], first);
	return record_stack(e, f, fs, first);
}

void facts_edge(struct env *e, uint32_t idx, int taken)
{
	if (e->facts)
		e->facts->insn[idx].edges |= (uint8_t)(taken ? 2 : 1);
}

void facts_need(struct env *e, uint32_t idx, uint16_t regs, uint64_t slots)
{
	if (e->facts && idx < e->n) {
		e->facts->insn[idx].need_regs |= regs;
		e->facts->insn[idx].need_slots |= slots;
	}
}

/* Hand the facts to the program: target sets copied out of the verifier. */
int facts_finish(struct env *e, struct ibpf_facts **out)
{
	struct ibpf_facts *f = e->facts;

	f->sets = calloc(e->nfsets ? e->nfsets : 1, sizeof(*f->sets));
	if (!f->sets)
		return -ENOMEM;
	f->nsets = e->nfsets;
	for (uint32_t i = 0; i < e->nfsets; i++) {
		f->sets[i].n = e->fsets[i].n;
		f->sets[i].subprog = malloc((e->fsets[i].n ? e->fsets[i].n : 1) * sizeof(uint32_t));
		if (!f->sets[i].subprog)
			return -ENOMEM;
		if (e->fsets[i].n)
			memcpy(f->sets[i].subprog, e->fsets[i].items,
			       e->fsets[i].n * sizeof(uint32_t));
	}
	*out = f;
	e->facts = NULL;
	return 0;
}

void ibpf_facts_free(struct ibpf_facts *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->n; i++)
		free(f->insn[i].slots);
	for (uint32_t i = 0; i < f->nsets; i++)
		free(f->sets[i].subprog);
	free(f->sets);
	free(f->insn);
	free(f);
}
