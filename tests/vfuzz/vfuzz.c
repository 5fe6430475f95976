/* vfuzz.c - the verifier fuzzer: generate programs (gen.c), verify them with
 * ibpf, run every accepted one on random inputs under the self-check, the
 * checked interpreter, the interpreter and the JIT, compare, and ask the
 * running kernel for its verdict and results where the program needs no
 * ibpf-only feature.  Findings are minimized and written as replayable text
 * files.  See tests/vfuzz/README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <ctype.h>
#include <glob.h>
#include <fcntl.h>
#include <linux/btf.h>

#include <ibpf/ibpf.h>
#include "core/object.h"
#include "isa/disasm.h"
#include "isa/isa.h"
#include "maps/maps.h"

#include "vfuzz.h"

/* ---- options and shared state ----------------------------------------------- */

static struct {
	int seconds;
	uint64_t seed;
	long count;              /* programs, 0 = until time is up */
	int inputs;              /* random inputs per accepted program */
	const char *findings_dir;
	int kernel;              /* 1 try, 0 off */
	int callx_percent;       /* share of programs with ibpf-only shapes */
	int bad_percent;
	int verbose;
	int max_findings;
	int minimize;
	int no_delete_use;
	int min_replay;
	int divergences_ok;      /* kernel-only rejections that never misbehave: counted, not findings */
} opt = { 60, 0, 0, 8, "tests/vfuzz/findings", 1, 50, 8, 0, 40, 1, 0, 0, 0 };

struct stats {
	long generated, accepted, runs, findings, crashes;
	long k_tried, k_accepted, k_both_accept, k_ibpf_only_accept, k_kernel_only_accept;
	long k_runs, k_result_diff, k_internal;
	long nondeterministic;   /* inputs whose runs differ from themselves (host pointer bytes read) */
	int selfcheck_unavailable, kernel_unavailable;
	long next_index;         /* worker: index being processed */
	int have_current;
	char sigs[64][160];      /* finding signatures already reported */
	long sig_count[64];
	int nsigs;
};

struct vf_input {
	uint8_t ctx[VF_CTX_SIZE];
	struct vf_map m[VF_MAX_MAPS];   /* contents only */
};

struct shm {
	struct stats st;
	struct vf_case cur;
	struct vf_input cur_in;
};
static struct shm *shm;

/* ---- building the ibpf object -------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static struct ibpf_object *build_obj(const struct vf_case *c, char *err, size_t errsz)
{
	struct ibpf_object *obj = calloc(1, sizeof(*obj));
	if (!obj)
		return NULL;
	obj->name = strdup("vfuzz");
	obj->maps = calloc((size_t)c->nmaps + 1, sizeof(*obj->maps));
	obj->progs = calloc((size_t)c->nprogs + 1, sizeof(*obj->progs));
	if (!obj->name || !obj->maps || !obj->progs)
		goto fail;
	for (int i = 0; i < c->nmaps; i++) {
		const struct vf_map *vm = &c->maps[i];
		struct ibpf_map *m;
		char name[16];
		snprintf(name, sizeof(name), "m%d", i);
		if (ibpf_map_create(name, vm->type, vm->key_size, vm->value_size, vm->max_entries,
				    vm->flags, vm->extra, &m, err, errsz))
			goto fail;
		obj->maps[i] = m;
		obj->map_cnt = (size_t)i + 1;
		m->index = (uint32_t)i;
		if (ibpf_map_is_array_like(m)) {
			for (uint32_t e = 0; e < vm->max_entries && e < VF_MAX_ENTRIES; e++)
				memcpy(m->data + (size_t)e * m->elem_size, vm->data + (size_t)e * vm->value_size,
				       vm->value_size);
		} else {
			for (int e = 0; e < vm->nent; e++)
				ibpf_map_update(m, vm->keys[e], vm->vals[e], BPF_ANY);
		}
		if (vm->nslots) {
			m->func_slots = malloc(sizeof(uint32_t) * (size_t)vm->nslots);
			m->func_slot_text_off = malloc(sizeof(uint32_t) * (size_t)vm->nslots);
			if (!m->func_slots || !m->func_slot_text_off)
				goto fail;
			for (int s = 0; s < vm->nslots; s++) {
				m->func_slots[s] = vm->slot_off[s];
				m->func_slot_text_off[s] = vm->slot_insn[s] * 8;
			}
			m->func_slot_cnt = (size_t)vm->nslots;
			m->layout_owner = "prog0";
		}
		m->frozen = vm->frozen;
		if (vm->flags & BPF_F_RDONLY_PROG)
			m->section = strdup(".rodata");
	}
	for (int pi = 0; pi < c->nprogs; pi++) {
		const struct vf_prog *vp = &c->progs[pi];
		struct ibpf_program *p = &obj->progs[pi];
		char name[16];
		size_t n = (size_t)vp->n;
		obj->prog_cnt = (size_t)pi + 1;
		p->obj = obj;
		snprintf(name, sizeof(name), "prog%d", pi);
		p->name = strdup(name);
		p->sec_name = strdup("syscall");
		p->type = IBPF_PROG_TYPE_SYSCALL;
		p->insns = malloc((n ? n : 1) * sizeof(struct bpf_insn));
		p->subprog_of = malloc((n ? n : 1) * sizeof(int32_t));
		if (!p->name || !p->sec_name || !p->insns || !p->subprog_of)
			goto fail;
		memcpy(p->insns, vp->insns, n * sizeof(struct bpf_insn));
		p->insn_cnt = n;
		/* subprograms start at 0, at every call / function address
		 * target and (program 0) at every map slot target */
		uint32_t starts[VF_MAX_INSNS + 1];
		size_t ns = 0;
		starts[ns++] = 0;
		for (size_t i = 0; i < n; i++) {
			const struct bpf_insn *in = &vp->insns[i];
			long t;
			if ((in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) ||
			    (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC))
				t = (long)i + 1 + in->imm;
			else
				continue;
			if (t > 0 && t < (long)n)
				starts[ns++] = (uint32_t)t;
		}
		if (pi == 0)
			for (int i = 0; i < c->nmaps; i++)
				for (int s = 0; s < c->maps[i].nslots; s++)
					if (c->maps[i].slot_insn[s] > 0 && c->maps[i].slot_insn[s] < n &&
					    ns < VF_MAX_INSNS)
						starts[ns++] = c->maps[i].slot_insn[s];
		qsort(starts, ns, sizeof(starts[0]), cmp_u32);
		size_t u = 0;
		for (size_t i = 0; i < ns; i++)
			if (!u || starts[u - 1] != starts[i])
				starts[u++] = starts[i];
		p->subprogs = calloc(u, sizeof(*p->subprogs));
		if (!p->subprogs)
			goto fail;
		p->subprog_cnt = u;
		for (size_t i = 0; i < n; i++)
			p->subprog_of[i] = -1;
		for (size_t i = 0; i < u; i++) {
			struct ibpf_subprog *s = &p->subprogs[i];
			char nm[32];
			s->start = starts[i];
			s->len = (i + 1 < u ? starts[i + 1] : (uint32_t)n) - starts[i];
			s->text_off = starts[i] * 8;
			s->in_text = i > 0;     /* subprograms live in .text */
			snprintf(nm, sizeof(nm), i ? "func_%u" : "prog%d", i ? starts[i] : (unsigned)pi);
			s->name = strdup(nm);
			if (!s->name)
				goto fail;
			if (starts[i] < n)
				p->subprog_of[starts[i]] = (int32_t)i;
		}
		p->decoded = calloc(n + 1, sizeof(*p->decoded));
		if (!p->decoded)
			goto fail;
		if (ibpf_decode_program(p->insns, n, p->decoded, p->decode_err, sizeof(p->decode_err)))
			p->decode_failed = 1;
	}
	/* As finish_open does for a file: the deferred-reclamation domain (a
	 * deleted element stays valid while a run may hold it) and the setup lock. */
	if (ibpf_map_domain_init(&obj->maps_domain))
		goto fail;
	for (size_t k = 0; k < obj->map_cnt; k++)
		obj->maps[k]->domain = &obj->maps_domain;
	if (pthread_mutex_init(&obj->setup_lock, NULL))
		goto fail;
	obj->setup_lock_ok = 1;
	return obj;
fail:
	ibpf_object__close(obj);
	return NULL;
}

/* ---- inputs --------------------------------------------------------------------- */

static const uint64_t in_edges[] = {
	0, 1, 2, 7, 8, 63, 64, 127, 128, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000ull, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
	0x8000000000000000ull, ~0ull, ~0ull - 1, ~0ull - 7, 0xffffff80ull, ~0ull - 127,
};

static uint64_t in_word(const struct vf_case *c, uint64_t *s)
{
	switch (vf_below(s, 6)) {
	case 0: return vf_below(s, 80);
	case 1: return in_edges[vf_below(s, sizeof(in_edges) / sizeof(in_edges[0]))];
	case 2: case 3:
		return c->ndict ? c->dict[vf_below(s, (uint32_t)c->ndict)] + vf_below(s, 3) - 1 : vf_rand(s);
	case 4: return (uint64_t)-(int64_t)vf_below(s, 80);
	default: return vf_rand(s);
	}
}

static void fill_bytes(const struct vf_case *c, uint64_t *s, uint8_t *p, size_t n)
{
	/* values of 1, 2, 4 or 8 bytes at their alignment: programs load
	 * every size at every offset */
	for (size_t i = 0; i < n;) {
		size_t sz = (size_t)1 << vf_below(s, 4);
		while (sz > 1 && (i % sz || i + sz > n))
			sz /= 2;
		uint64_t w = in_word(c, s);
		memcpy(p + i, &w, sz);
		i += sz;
	}
}

/* Input k of a case: k == 0 keeps the maps as generated and a zero ctx. */
static void make_input(const struct vf_case *c, uint64_t seed, int k, struct vf_input *in)
{
	uint64_t s = seed * 0x2545f4914f6cdd1dull + (uint64_t)k * 0x9e3779b97f4a7c15ull + 7;
	memset(in, 0, sizeof(*in));
	for (int i = 0; i < c->nmaps; i++) {
		const struct vf_map *m = &c->maps[i];
		struct vf_map *d = &in->m[i];
		memcpy(d->data, m->data, sizeof(d->data));
		d->nent = m->nent;
		memcpy(d->keys, m->keys, sizeof(d->keys));
		memcpy(d->vals, m->vals, sizeof(d->vals));
		if (!k || m->frozen)
			continue;
		if (m->type == BPF_MAP_TYPE_ARRAY)
			fill_bytes(c, &s, d->data, (size_t)m->max_entries * m->value_size);
		else if (m->type == BPF_MAP_TYPE_HASH) {
			d->nent = (int)vf_below(&s, 5);
			for (int e = 0; e < d->nent; e++) {
				uint32_t key = (uint32_t)e + (vf_chance(&s, 20) ? 3 : 0);
				memset(d->keys[e], 0, 8);
				memcpy(d->keys[e], &key, 4);
				for (int e2 = 0; e2 < e; e2++)
					if (!memcmp(d->keys[e2], d->keys[e], 4))
						key = (uint32_t)e + 100;
				memcpy(d->keys[e], &key, 4);
				fill_bytes(c, &s, d->vals[e], m->value_size);
			}
		}
	}
	if (k)
		fill_bytes(c, &s, in->ctx, VF_CTX_SIZE);
}

static void apply_input(const struct vf_case *c, struct ibpf_object *obj, const struct vf_input *in)
{
	for (int i = 0; i < c->nmaps && (size_t)i < obj->map_cnt; i++) {
		struct ibpf_map *m = obj->maps[i];
		const struct vf_map *vm = &c->maps[i], *d = &in->m[i];
		if (ibpf_map_is_array_like(m)) {
			for (uint32_t e = 0; e < vm->max_entries && e < VF_MAX_ENTRIES; e++)
				memcpy(m->data + (size_t)e * m->elem_size, d->data + (size_t)e * vm->value_size,
				       vm->value_size);
		} else {
			uint8_t key[512], next[512];
			while (ibpf_map_next_key(m, NULL, next) == 0)
				ibpf_map_delete(m, next);
			(void)key;
			for (int e = 0; e < d->nent; e++)
				ibpf_map_update(m, d->keys[e], d->vals[e], BPF_ANY);
		}
	}
}

/* ---- outputs ---------------------------------------------------------------------- */

#define OUT_MAPS 8192
struct vf_out {
	int rc;
	uint64_t ret;
	uint8_t ctx[VF_CTX_SIZE];
	uint8_t maps[OUT_MAPS];
	size_t mlen;
	char trace[512];
	char log[1024];
};

struct kv { uint8_t k[8]; uint8_t v[VF_MAX_VALUE]; };
static int cmp_kv(const void *a, const void *b) { return memcmp(a, b, 8); }

static void snap_maps(const struct vf_case *c, struct ibpf_object *obj, struct vf_out *o)
{
	o->mlen = 0;
	for (int i = 0; i < c->nmaps; i++) {
		struct ibpf_map *m = obj->maps[i];
		if (ibpf_map_is_array_like(m)) {
			for (uint32_t e = 0; e < m->max_entries; e++) {
				if (o->mlen + m->value_size > OUT_MAPS)
					return;
				memcpy(o->maps + o->mlen, m->data + (size_t)e * m->elem_size, m->value_size);
				o->mlen += m->value_size;
			}
		} else {
			struct kv kv[64];
			int n = 0;
			uint8_t key[8] = { 0 }, next[8] = { 0 };
			int first = 1;
			while (n < 64 && ibpf_map_next_key(m, first ? NULL : key, next) == 0) {
				first = 0;
				memset(&kv[n], 0, sizeof(kv[n]));
				memcpy(kv[n].k, next, m->key_size);
				void *v = ibpf_map_lookup(m, next);
				if (v)
					memcpy(kv[n].v, v, m->value_size);
				memcpy(key, next, m->key_size);
				n++;
			}
			qsort(kv, (size_t)n, sizeof(kv[0]), cmp_kv);
			for (int e = 0; e < n && o->mlen + 8 + m->value_size <= OUT_MAPS; e++) {
				memcpy(o->maps + o->mlen, kv[e].k, 8);
				memcpy(o->maps + o->mlen + 8, kv[e].v, m->value_size);
				o->mlen += 8 + m->value_size;
			}
		}
	}
}

enum mode { M_SELF, M_SELF_JIT, M_CHECKED, M_INTERP, M_JIT, M__N };
static const char *mode_name[] = { "self-check", "jit-self-check", "checked", "interp", "jit" };

static int run_mode(const struct vf_case *c, struct ibpf_object *obj, struct ibpf_program *p,
		    const struct vf_input *in, int mode, struct vf_out *o)
{
	memset(o, 0, sizeof(*o) - sizeof(o->maps));
	apply_input(c, obj, in);
	IBPF_OPTS(ibpf_test_run_opts, r, .ctx_in = in->ctx, .ctx_size_in = VF_CTX_SIZE,
		  .ctx_out = o->ctx, .ctx_size_out = VF_CTX_SIZE, .log_buf = o->log,
		  .log_size = sizeof(o->log), .trace_buf = o->trace, .trace_size = sizeof(o->trace));
	switch (mode) {
	case M_SELF: r.flags = IBPF_RUN_SELF_CHECK; r.engine = IBPF_ENGINE_INTERP; break;
	case M_SELF_JIT: r.flags = IBPF_RUN_SELF_CHECK; r.engine = IBPF_ENGINE_JIT; break;
	case M_CHECKED: r.flags = IBPF_RUN_CHECKED; r.engine = IBPF_ENGINE_INTERP; break;
	case M_INTERP: r.engine = IBPF_ENGINE_INTERP; break;
	default: r.engine = IBPF_ENGINE_JIT; break;
	}
	o->rc = ibpf_prog_test_run_opts(p, &r);
	o->ret = r.retval;
	snap_maps(c, obj, o);
	return o->rc;
}

/* ---- findings ------------------------------------------------------------------------ */

struct finding {
	char kind[32];
	char sig[160];           /* for de-duplication and minimization */
	char what[2048];
	int prog;
	struct vf_input in;
};

static void strip_digits(char *dst, const char *src, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; src[i] && j + 1 < n; i++) {
		if (isdigit((unsigned char)src[i])) {
			/* a number, decimal or hex (addresses differ run to run) */
			while (isxdigit((unsigned char)src[i + 1]) || src[i + 1] == 'x')
				i++;
			if (!j || dst[j - 1] != '#')
				dst[j++] = '#';
		} else if (src[i] == '\n') {
			break;
		} else {
			dst[j++] = src[i];
		}
	}
	dst[j] = 0;
}

static const char *last_line(const char *log, char *buf, size_t n)
{
	size_t len = strlen(log);
	while (len && (log[len - 1] == '\n' || log[len - 1] == ' '))
		len--;
	size_t s = len;
	while (s && log[s - 1] != '\n')
		s--;
	size_t k = len - s < n - 1 ? len - s : n - 1;
	memcpy(buf, log + s, k);
	buf[k] = 0;
	return buf;
}

/* A returned host address (root may return pointers, as in the kernel):
 * it differs run to run and engine to engine without meaning anything. */
static int host_ptr(uint64_t v) { return v >= 0x100000000000ull && v < 0x800000000000ull; }

static int outs_differ(const struct vf_out *a, const struct vf_out *b, char *why, size_t n)
{
	if (a->ret != b->ret && !(host_ptr(a->ret) && host_ptr(b->ret))) {
		snprintf(why, n, "r0 0x%llx vs 0x%llx", (unsigned long long)a->ret, (unsigned long long)b->ret);
		return 1;
	}
	if (memcmp(a->ctx, b->ctx, VF_CTX_SIZE)) {
		for (int i = 0; i < VF_CTX_SIZE; i++)
			if (a->ctx[i] != b->ctx[i]) {
				snprintf(why, n, "ctx byte %d: 0x%02x vs 0x%02x", i, a->ctx[i], b->ctx[i]);
				break;
			}
		return 1;
	}
	if (a->mlen != b->mlen || memcmp(a->maps, b->maps, a->mlen)) {
		snprintf(why, n, "map contents differ");
		return 1;
	}
	if (strcmp(a->trace, b->trace)) {
		snprintf(why, n, "trace output differs: \"%.60s\" vs \"%.60s\"", a->trace, b->trace);
		return 1;
	}
	return 0;
}

/* ---- the kernel ---------------------------------------------------------------------- */

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

static char klog[1 << 20];

struct kcase {
	int fds[VF_MAX_MAPS];
	int nfds;
	int prog_fd;
};

static void kclose(struct kcase *k)
{
	for (int i = 0; i < k->nfds; i++)
		if (k->fds[i] >= 0)
			close(k->fds[i]);
	if (k->prog_fd >= 0)
		close(k->prog_fd);
	k->nfds = 0;
	k->prog_fd = -1;
}

static int kmap_fill(const struct vf_case *c, int i, int fd, const struct vf_map *d)
{
	const struct vf_map *m = &c->maps[i];
	union bpf_attr a;
	if (m->type == BPF_MAP_TYPE_ARRAY) {
		for (uint32_t e = 0; e < m->max_entries; e++) {
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)fd;
			a.key = (uint64_t)(uintptr_t)&e;
			a.value = (uint64_t)(uintptr_t)(d->data + (size_t)e * m->value_size);
			if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a))
				return -errno;
		}
	} else {
		uint8_t key[8], next[8];
		for (;;) {
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)fd;
			a.key = 0;
			a.next_key = (uint64_t)(uintptr_t)next;
			if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &a))
				break;
			memcpy(key, next, 8);
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)fd;
			a.key = (uint64_t)(uintptr_t)key;
			sys_bpf(BPF_MAP_DELETE_ELEM, &a);
		}
		for (int e = 0; e < d->nent; e++) {
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)fd;
			a.key = (uint64_t)(uintptr_t)d->keys[e];
			a.value = (uint64_t)(uintptr_t)d->vals[e];
			if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a))
				return -errno;
		}
	}
	return 0;
}

static void ksnap_maps(const struct vf_case *c, struct kcase *k, struct vf_out *o)
{
	union bpf_attr a;
	o->mlen = 0;
	for (int i = 0; i < c->nmaps; i++) {
		const struct vf_map *m = &c->maps[i];
		if (m->type == BPF_MAP_TYPE_ARRAY) {
			for (uint32_t e = 0; e < m->max_entries && o->mlen + m->value_size <= OUT_MAPS; e++) {
				memset(&a, 0, sizeof(a));
				a.map_fd = (uint32_t)k->fds[i];
				a.key = (uint64_t)(uintptr_t)&e;
				a.value = (uint64_t)(uintptr_t)(o->maps + o->mlen);
				sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
				o->mlen += m->value_size;
			}
		} else {
			struct kv kv[64];
			int n = 0;
			uint8_t key[8] = { 0 }, next[8] = { 0 };
			int first = 1;
			while (n < 64) {
				memset(&a, 0, sizeof(a));
				a.map_fd = (uint32_t)k->fds[i];
				a.key = first ? 0 : (uint64_t)(uintptr_t)key;
				a.next_key = (uint64_t)(uintptr_t)next;
				if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &a))
					break;
				first = 0;
				memset(&kv[n], 0, sizeof(kv[n]));
				memcpy(kv[n].k, next, m->key_size);
				memset(&a, 0, sizeof(a));
				a.map_fd = (uint32_t)k->fds[i];
				a.key = (uint64_t)(uintptr_t)next;
				a.value = (uint64_t)(uintptr_t)kv[n].v;
				sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
				memcpy(key, next, 8);
				n++;
			}
			qsort(kv, (size_t)n, sizeof(kv[0]), cmp_kv);
			for (int e = 0; e < n && o->mlen + 8 + m->value_size <= OUT_MAPS; e++) {
				memcpy(o->maps + o->mlen, kv[e].k, 8);
				memcpy(o->maps + o->mlen + 8, kv[e].v, m->value_size);
				o->mlen += 8 + m->value_size;
			}
		}
	}
}

/* The kernel leaves the stack uninitialized where ibpf zeroes it (root may
 * read uninitialized stack): give the kernel's copy a prologue in every
 * function zeroing the stack that function addresses.  Returns the count. */
static int kprep(const struct vf_prog *p, struct bpf_insn *out, int cap)
{
	int n = p->n, starts[VF_MAX_INSNS + 1], ns = 0;
	static int is_start[VF_MAX_INSNS + 1], z[VF_MAX_INSNS + 1], before[VF_MAX_INSNS + 2];
	memset(is_start, 0, sizeof(is_start));
	is_start[0] = 1;
	for (int i = 0; i < n; i++) {
		const struct bpf_insn *in = &p->insns[i];
		if ((in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) ||
		    (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC)) {
			int t = i + 1 + in->imm;
			if (t > 0 && t < n)
				is_start[t] = 1;
		}
	}
	for (int i = 0; i < n; i++)
		if (is_start[i])
			starts[ns++] = i;
	for (int f = 0; f < ns; f++) {
		/* at least the areas the generator indexes with variable offsets
		 * (entry: BUF at [-128,-64), subprograms: [-64,0)) */
		int end = f + 1 < ns ? starts[f + 1] : n, lo = f ? -64 : -128;
		for (int i = starts[f]; i < end; i++) {
			const struct bpf_insn *in = &p->insns[i];
			uint8_t cls = BPF_CLASS(in->code);
			if ((cls == BPF_STX || cls == BPF_ST) && in->dst_reg == 10 && in->off < lo)
				lo = in->off;
			if (cls == BPF_LDX && in->src_reg == 10 && in->off < lo)
				lo = in->off;
			if (in->code == (BPF_ALU64 | BPF_ADD | BPF_K) && in->imm < 0 && in->imm > -512 &&
			    in->imm < lo)
				lo = in->imm;
		}
		z[starts[f]] = (-lo + 7) / 8;
	}
	/* before[i]: inserted instructions before position i's own block */
	int acc = 0;
	for (int i = 0; i <= n; i++) {
		before[i] = acc;
		if (i < n && is_start[i])
			acc += z[i];
	}
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (is_start[i])
			for (int k = 1; k <= z[i] && m < cap; k++)
				out[m++] = (struct bpf_insn){ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = 10,
							      .off = (int16_t)(-8 * k) };
		if (m >= cap)
			return -1;
		struct bpf_insn in = p->insns[i];
		int pos = i + before[i] + (is_start[i] ? z[i] : 0);
		uint8_t cls = BPF_CLASS(in.code), op = BPF_OP(in.code);
		if ((in.code == (BPF_JMP | BPF_CALL) && in.src_reg == BPF_PSEUDO_CALL) ||
		    (in.code == (BPF_LD | BPF_IMM | BPF_DW) && in.src_reg == BPF_PSEUDO_FUNC)) {
			int t = i + 1 + in.imm;
			if (t >= 0 && t <= n)
				in.imm = t + before[t] - pos - 1;
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT) {
			int t = i + 1 + (cls == BPF_JMP32 && op == BPF_JA ? in.imm : in.off);
			if (t >= 0 && t <= n) {
				int nt = t + before[t] + (t < n && is_start[t] ? z[t] : 0);
				if (cls == BPF_JMP32 && op == BPF_JA)
					in.imm = nt - pos - 1;
				else
					in.off = (int16_t)(nt - pos - 1);
			}
		}
		out[m++] = in;
	}
	return m;
}

/* Programs with function addresses need BTF func_info in the kernel: one
 * blob with int, int f(void) (static) for every function. */
static int kbtf_fd = -1, kbtf_tried;
static int kbtf(void)
{
	if (kbtf_tried)
		return kbtf_fd;
	kbtf_tried = 1;
	static const char strs[] = "\0int\0f";
	struct {
		struct btf_header h;
		uint32_t t[3 + 1 + 3 + 3];
		char s[sizeof(strs)];
	} b;
	memset(&b, 0, sizeof(b));
	b.h.magic = 0xeB9F;
	b.h.version = 1;
	b.h.hdr_len = sizeof(b.h);
	b.h.type_off = 0;
	b.h.type_len = sizeof(b.t);
	b.h.str_off = sizeof(b.t);
	b.h.str_len = sizeof(strs);
	uint32_t *t = b.t;
	/* 1: int */
	*t++ = 1; *t++ = (uint32_t)BTF_KIND_INT << 24; *t++ = 4; *t++ = (BTF_INT_SIGNED << 24) | 32;
	/* 2: int (void) */
	*t++ = 0; *t++ = (uint32_t)BTF_KIND_FUNC_PROTO << 24; *t++ = 1;
	/* 3: static int f(void) */
	*t++ = 5; *t++ = ((uint32_t)BTF_KIND_FUNC << 24) | BTF_FUNC_STATIC; *t++ = 2;
	memcpy(b.s, strs, sizeof(strs));
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.btf = (uint64_t)(uintptr_t)&b;
	a.btf_size = (uint32_t)(sizeof(b.h) + sizeof(b.t) + sizeof(strs));
	static char blog[4096];
	a.btf_log_buf = (uint64_t)(uintptr_t)blog;
	a.btf_log_size = sizeof(blog);
	a.btf_log_level = 1;
	kbtf_fd = (int)sys_bpf(BPF_BTF_LOAD, &a);
	if (kbtf_fd < 0 && getenv("VFUZZ_DEBUG"))
		fprintf(stderr, "BTF_LOAD: %s\n%s\n", strerror(errno), blog);
	return kbtf_fd;
}

/* Create the maps and load program pi.  Returns 1 accepted, 0 rejected
 * (klog holds the log), -1 the kernel cannot be asked. */
static int kload(const struct vf_case *c, int pi, struct kcase *k)
{
	union bpf_attr a;
	k->nfds = 0;
	k->prog_fd = -1;
	for (int i = 0; i < c->nmaps; i++) {
		const struct vf_map *m = &c->maps[i];
		memset(&a, 0, sizeof(a));
		a.map_type = m->type;
		a.key_size = m->key_size;
		a.value_size = m->value_size;
		a.max_entries = m->max_entries;
		a.map_flags = m->flags;
		int fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
		k->fds[k->nfds++] = fd;
		if (fd < 0)
			return -1;
		if (kmap_fill(c, i, fd, m))
			return -1;
		if (m->frozen) {
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)fd;
			if (sys_bpf(BPF_MAP_FREEZE, &a))
				return -1;
		}
	}
	static struct bpf_insn insns[VF_MAX_INSNS * 4];
	const struct vf_prog *p = &c->progs[pi];
	int kn = kprep(p, insns, VF_MAX_INSNS * 4);
	if (kn < 0)
		return -1;
	for (int i = 0; i < kn; i++)
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (insns[i].src_reg == BPF_PSEUDO_MAP_FD || insns[i].src_reg == BPF_PSEUDO_MAP_VALUE)) {
			if (insns[i].imm >= 0 && insns[i].imm < c->nmaps)
				insns[i].imm = k->fds[insns[i].imm];
			i++;
		}
	static struct bpf_func_info fi[VF_MAX_INSNS];
	uint32_t nfi = 0;
	fi[nfi++] = (struct bpf_func_info){ 0, 3 };
	for (int i = 0; i < kn; i++) {
		const struct bpf_insn *in = &insns[i];
		if ((in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) ||
		    (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC)) {
			uint32_t t = (uint32_t)(i + 1 + in->imm), j;
			for (j = 0; j < nfi && fi[j].insn_off != t; j++)
				;
			if (j == nfi)
				fi[nfi++] = (struct bpf_func_info){ t, 3 };
		}
	}
	for (uint32_t i = 1; i < nfi; i++)
		for (uint32_t j = i; j > 0 && fi[j].insn_off < fi[j - 1].insn_off; j--) {
			struct bpf_func_info x = fi[j];
			fi[j] = fi[j - 1];
			fi[j - 1] = x;
		}
	for (int attempt = 0; attempt < 2; attempt++) {
		memset(&a, 0, sizeof(a));
		if (kbtf() >= 0) {
			a.prog_btf_fd = (uint32_t)kbtf();
			a.func_info_rec_size = sizeof(fi[0]);
			a.func_info = (uint64_t)(uintptr_t)fi;
			a.func_info_cnt = nfi;
		}
		a.prog_type = BPF_PROG_TYPE_SYSCALL;
		a.prog_flags = BPF_F_SLEEPABLE;
		a.insns = (uint64_t)(uintptr_t)insns;
		a.insn_cnt = (uint32_t)kn;
		a.license = (uint64_t)(uintptr_t)"GPL";
		if (attempt) {
			a.log_level = 1;
			a.log_buf = (uint64_t)(uintptr_t)klog;
			a.log_size = sizeof(klog);
			klog[0] = 0;
		}
		int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
		if (fd >= 0) {
			k->prog_fd = fd;
			return 1;
		}
		if (errno == EPERM || errno == ENOSYS)
			return -1;
		if (attempt) {
			/* the log ends with statistics: keep the reason and the errno */
			int e = errno;
			char *st = strstr(klog, "\nprocessed ");
			if (st)
				*st = 0;
			size_t l = strlen(klog);
			snprintf(klog + l, sizeof(klog) - l, "\n%s (errno %s)", l ? last_line(klog, (char[256]){0}, 256)
				 : "load failed after verification", strerrorname_np(e));
		}
	}
	return 0;
}

static int krun(const struct vf_case *c, struct kcase *k, const struct vf_input *in, struct vf_out *o)
{
	union bpf_attr a;
	memset(o, 0, sizeof(*o) - sizeof(o->maps));
	for (int i = 0; i < c->nmaps; i++)
		if (!c->maps[i].frozen && kmap_fill(c, i, k->fds[i], &in->m[i]))
			return -1;
	memcpy(o->ctx, in->ctx, VF_CTX_SIZE);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)k->prog_fd;
	a.test.ctx_in = (uint64_t)(uintptr_t)o->ctx;
	a.test.ctx_size_in = VF_CTX_SIZE;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a)) {
		o->rc = -errno;
		return -1;
	}
	o->ret = a.test.retval;
	ksnap_maps(c, k, o);
	return 0;
}

/* ---- checking one case --------------------------------------------------------------- */

static void kernel_check_available(void)
{
	union bpf_attr a;
	struct bpf_insn prog[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = 2;
	a.license = (uint64_t)(uintptr_t)"GPL";
	int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		shm->st.kernel_unavailable = 1;
		printf("vfuzz: kernel comparison skipped: bpf(BPF_PROG_LOAD) of a syscall program "
		       "failed: %s\n", strerror(errno));
		fflush(stdout);
		return;
	}
	close(fd);
}

/* Check every program of case c on the given inputs (or n_in generated ones
 * from seed).  Returns 1 and fills f on the first finding, else 0.
 * accepted: how many programs ibpf accepted. */
static int check_case(const struct vf_case *c, uint64_t seed, int n_in, const struct vf_input *fixed,
		      struct finding *f, int *accepted, int kernel, int count)
{
	char err[512] = "", vlog[2048];
	static struct vf_input in;
	static struct vf_out out[M__N], kout;
	int found = 0;

	*accepted = 0;
	struct ibpf_object *obj = build_obj(c, err, sizeof(err));
	if (!obj)
		return 0;
	for (int pi = 0; pi < c->nprogs && !found; pi++) {
		struct ibpf_program *p = &obj->progs[pi];
		IBPF_OPTS(ibpf_verify_opts, vo, .log_buf = vlog, .log_size = sizeof(vlog));
		vlog[0] = 0;
		int vrc = ibpf_program__verify(p, &vo);
		int ok = vrc == 0;
		if (opt.verbose && !count) {
			char ll[256];
			printf("vfuzz: program %d: ibpf %s%s%s\n", pi, ok ? "accepts" : "rejects: ",
			       ok ? "" : last_line(vlog, ll, sizeof(ll)), "");
			if (opt.verbose > 1) {
				static char big[1 << 20];
				IBPF_OPTS(ibpf_verify_opts, vo3, .log_level = 2, .log_buf = big,
					  .log_size = sizeof(big));
				struct ibpf_object *o3 = build_obj(c, err, sizeof(err));
				if (o3) {
					ibpf_program__verify(&o3->progs[pi], &vo3);
					printf("%s\n", big);
					ibpf_object__close(o3);
				}
			}
		}
		*accepted += ok;
		if (vrc && vrc != -EACCES) {
			f->prog = pi;
			snprintf(f->kind, sizeof(f->kind), "verifier-error");
			snprintf(f->what, sizeof(f->what), "ibpf_program__verify returned %d: %s", vrc, vlog);
			strip_digits(f->sig, vlog, sizeof(f->sig));
			memset(&f->in, 0, sizeof(f->in));
			found = 1;
			break;
		}
		/* the kernel's verdict */
		int kacc = -1;
		struct kcase kc = { .prog_fd = -1 };
		if (kernel && !shm->st.kernel_unavailable && !vf_case_uses_ibpf_only(c)) {
			kacc = kload(c, pi, &kc);
			if (opt.verbose && !count) {
				char ll[256];
				printf("vfuzz: program %d: kernel %s%s\n", pi, kacc > 0 ? "accepts" :
				       kacc < 0 ? "cannot be asked" : "rejects: ",
				       kacc ? "" : last_line(klog, ll, sizeof(ll)));
			}
			if (count && kacc >= 0) {
				shm->st.k_tried++;
				shm->st.k_accepted += kacc;
				shm->st.k_both_accept += kacc && ok;
				shm->st.k_ibpf_only_accept += !kacc && ok;
				shm->st.k_kernel_only_accept += kacc && !ok;
			}
			if (kacc == 0 && ok && strstr(klog, "verifier bug")) {
				char ll[256];
				if (count)
					shm->st.k_internal++;
				if (opt.verbose)
					printf("vfuzz: the kernel's own verifier bug: %s\n", last_line(klog, ll, sizeof(ll)));
			} else if (kacc == 0 && ok) {
				char ll[256];
				f->prog = pi;
				snprintf(f->kind, sizeof(f->kind), "kernel-rejects");
				snprintf(f->what, sizeof(f->what), "ibpf accepts, the kernel rejects: %s",
					 last_line(klog, ll, sizeof(ll)));
				strip_digits(f->sig, ll, sizeof(f->sig));
				memset(&f->in, 0, sizeof(f->in));
				found = 1;
				/* still run it: maybe it misbehaves too (reported as such) */
			}
		}
		if (!ok) {
			kclose(&kc);
			continue;
		}
		struct ibpf_object *kobj = NULL;
		int nin = fixed ? 1 : n_in;
		for (int k = 0; k < nin; k++) {
			if (fixed)
				in = *fixed;
			else
				make_input(c, seed, k, &in);
			if (shm && !fixed)
				shm->cur_in = in;
			const char *bad = NULL;
			char why[512] = "";
			int first_ok = -1;
			for (int m = 0; m < M__N; m++) {
				int self = m == M_SELF || m == M_SELF_JIT;
				if (self && shm->st.selfcheck_unavailable) {
					out[m].rc = 1;
					continue;
				}
				run_mode(c, obj, p, &in, m, &out[m]);
				if (count)
					shm->st.runs++;
				if (self && (out[m].rc == -EINVAL || out[m].rc == -EOPNOTSUPP)) {
					if (!shm->st.selfcheck_unavailable) {
						shm->st.selfcheck_unavailable = 1;
						printf("vfuzz: self-check unavailable (IBPF_RUN_SELF_CHECK: %s); "
						       "skipping that mode\n", strerror(-out[m].rc));
						fflush(stdout);
					}
					out[m].rc = 1;
					continue;
				}
				if (out[m].rc) {
					bad = mode_name[m];
					snprintf(why, sizeof(why), "%s run failed (%d): %s", mode_name[m],
						 out[m].rc, out[m].log);
					strip_digits(f->sig, out[m].log, sizeof(f->sig));
					snprintf(f->kind, sizeof(f->kind), "%s-fault", mode_name[m]);
					break;
				}
				if (first_ok < 0) {
					first_ok = m;
				} else if (outs_differ(&out[first_ok], &out[m], why, sizeof(why))) {
					/* A program that reads bytes of a host pointer (privileged
					 * semantics allow it) differs from run to run: if the
					 * first mode disagrees with itself, that is all it is. */
					static struct vf_out again;
					char w3[512];
					run_mode(c, obj, p, &in, first_ok, &again);
					if (outs_differ(&out[first_ok], &again, w3, sizeof(w3))) {
						if (count)
							shm->st.nondeterministic++;
						why[0] = 0;
						first_ok = -1;   /* no comparison means anything */
						break;
					}
					char w2[512];
					snprintf(w2, sizeof(w2), "%s vs %s: %s", mode_name[first_ok], mode_name[m], why);
					snprintf(why, sizeof(why), "%s", w2);
					snprintf(f->kind, sizeof(f->kind), "mismatch");
					snprintf(f->sig, sizeof(f->sig), "%s-%s", mode_name[first_ok], mode_name[m]);
					bad = "mismatch";
					break;
				}
			}
			/* frozen maps must not change */
			if (!bad && first_ok >= 0) {
				struct vf_out ref;
				struct ibpf_object *o2 = obj;
				(void)o2;
				apply_input(c, obj, &in);
				memset(&ref, 0, sizeof(ref) - sizeof(ref.maps));
				snap_maps(c, obj, &ref);
				/* ref: maps before the run; compare frozen ones only */
				size_t off = 0, off2 = 0;
				for (int i = 0; i < c->nmaps && !bad; i++) {
					const struct vf_map *vm = &c->maps[i];
					size_t len = vm->type == BPF_MAP_TYPE_HASH ? 0 : (size_t)vm->max_entries * vm->value_size;
					if (vm->type == BPF_MAP_TYPE_HASH) {
						/* hash sizes vary: stop comparing here */
						break;
					}
					if (vm->frozen && memcmp(ref.maps + off, out[first_ok].maps + off2, len)) {
						bad = "frozen";
						snprintf(f->kind, sizeof(f->kind), "frozen-write");
						snprintf(f->sig, sizeof(f->sig), "map%d", i);
						snprintf(why, sizeof(why), "frozen map %d changed by the program", i);
					}
					off += len;
					off2 += len;
				}
			}
			/* the kernel's result */
			if (!bad && kacc == 1 && first_ok >= 0 && !found && !kobj) {
				/* ibpf runs the kernel's copy (zeroed stack) for the comparison */
				static struct vf_case kc2;
				kc2 = *c;
				kc2.nprogs = 1;
				int kn = kprep(&c->progs[pi], kc2.progs[0].insns, VF_MAX_INSNS);
				if (kn > 0) {
					kc2.progs[0].n = kn;
					kobj = build_obj(&kc2, err, sizeof(err));
					IBPF_OPTS(ibpf_verify_opts, vo2);
					if (kobj && ibpf_program__verify(&kobj->progs[0], &vo2)) {
						ibpf_object__close(kobj);
						kobj = NULL;
					}
				}
			}
			if (!bad && kacc == 1 && first_ok >= 0 && !found && kobj) {
				if (krun(c, &kc, &in, &kout) == 0) {
					if (count)
						shm->st.k_runs++;
					static struct vf_out mine;
					run_mode(c, kobj, &kobj->progs[0], &in, M_INTERP, &mine);
					if (host_ptr(mine.ret))
						kout.ret = mine.ret;
					mine.ret &= 0xffffffffull;
					kout.ret &= 0xffffffffull;
					mine.trace[0] = 0;
					if (outs_differ(&kout, &mine, why, sizeof(why))) {
						char w2[512];
						snprintf(w2, sizeof(w2), "kernel vs %s: %s", mode_name[first_ok], why);
						snprintf(why, sizeof(why), "%s", w2);
						snprintf(f->kind, sizeof(f->kind), "kernel-result");
						snprintf(f->sig, sizeof(f->sig), "%.40s", why);
						bad = "kernel";
						if (count)
							shm->st.k_result_diff++;
					}
				}
			}
			if (bad) {
				f->prog = pi;
				if (found) {   /* kernel-rejects and misbehaves: report the misbehaviour */
					size_t l = strlen(f->sig);
					snprintf(f->sig + l, sizeof(f->sig) - l, " [kernel rejects]");
					char w2[2048];
					snprintf(w2, sizeof(w2), "%s (and %s)", why, f->what);
					snprintf(f->what, sizeof(f->what), "%s", w2);
				} else {
					snprintf(f->what, sizeof(f->what), "%s", why);
				}
				f->in = in;
				found = 1;
				break;
			}
		}
		kclose(&kc);
		ibpf_object__close(kobj);
	}
	ibpf_object__close(obj);
	return found;
}

/* ---- files ------------------------------------------------------------------------------- */

static void hex(FILE *fp, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%02x", p[i]);
}

static int unhex(const char *s, uint8_t *p, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && isxdigit((unsigned char)s[0]) && n < cap) {
		unsigned v;
		sscanf(s, "%2x", &v);
		p[n++] = (uint8_t)v;
		s += 2;
	}
	return (int)n;
}

static void write_case(FILE *fp, const struct vf_case *c, const struct vf_input *in)
{
	for (int i = 0; i < c->nmaps; i++) {
		const struct vf_map *m = &c->maps[i];
		fprintf(fp, "map %d type %u key %u value %u max %u flags %u extra %llu frozen %d\n", i,
			m->type, m->key_size, m->value_size, m->max_entries, m->flags,
			(unsigned long long)m->extra, m->frozen);
		if (m->type != BPF_MAP_TYPE_HASH) {
			fprintf(fp, "map %d data ", i);
			hex(fp, m->data, (size_t)m->max_entries * m->value_size);
			fprintf(fp, "\n");
		}
		for (int e = 0; e < m->nent; e++) {
			fprintf(fp, "map %d entry ", i);
			hex(fp, m->keys[e], m->key_size);
			fprintf(fp, " ");
			hex(fp, m->vals[e], m->value_size);
			fprintf(fp, "\n");
		}
		for (int s = 0; s < m->nslots; s++)
			fprintf(fp, "map %d slot %u %u\n", i, m->slot_off[s], m->slot_insn[s]);
	}
	for (int pi = 0; pi < c->nprogs; pi++) {
		const struct vf_prog *p = &c->progs[pi];
		struct ibpf_insn *dec = calloc((size_t)p->n + 1, sizeof(*dec));
		char err[256], text[256];
		int dok = dec && ibpf_decode_program(p->insns, (size_t)p->n, dec, err, sizeof(err)) == 0;
		fprintf(fp, "prog %d %d\n", pi, p->n);
		for (int i = 0; i < p->n; i++) {
			hex(fp, (const uint8_t *)&p->insns[i], 8);
			text[0] = 0;
			if (dok && !dec[i].second_half)
				ibpf_disasm(&dec[i], (size_t)i, IBPF_DIALECT_XLATED, NULL, text, sizeof(text));
			fprintf(fp, "  ; %4d: %s\n", i, text);
		}
		free(dec);
	}
	if (in) {
		fprintf(fp, "input ctx ");
		hex(fp, in->ctx, VF_CTX_SIZE);
		fprintf(fp, "\n");
		for (int i = 0; i < c->nmaps; i++) {
			const struct vf_map *m = &c->maps[i];
			if (m->frozen)
				continue;
			if (m->type != BPF_MAP_TYPE_HASH) {
				fprintf(fp, "input map %d data ", i);
				hex(fp, in->m[i].data, (size_t)m->max_entries * m->value_size);
				fprintf(fp, "\n");
			} else {
				fprintf(fp, "input map %d entries %d\n", i, in->m[i].nent);
				for (int e = 0; e < in->m[i].nent; e++) {
					fprintf(fp, "input map %d entry ", i);
					hex(fp, in->m[i].keys[e], m->key_size);
					fprintf(fp, " ");
					hex(fp, in->m[i].vals[e], m->value_size);
					fprintf(fp, "\n");
				}
			}
		}
	}
}

/* Returns 0 on success; *has_input says whether an input line was there. */
static int read_case(const char *path, struct vf_case *c, struct vf_input *in, int *has_input)
{
	FILE *fp = fopen(path, "r");
	static char line[1 << 16];
	int cur = -1, left = 0;
	if (!fp)
		return -errno;
	memset(c, 0, sizeof(*c));
	memset(in, 0, sizeof(*in));
	*has_input = 0;
	while (fgets(line, sizeof(line), fp)) {
		int i, n;
		unsigned a, b, d, e, f;
		unsigned long long x;
		static char tail[1 << 15], tail2[1 << 15];
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (left > 0 && cur >= 0) {
			struct vf_prog *p = &c->progs[cur];
			if (p->n < VF_MAX_INSNS && unhex(line, (uint8_t *)&p->insns[p->n], 8) == 8)
				p->n++;
			left--;
			continue;
		}
		if (sscanf(line, "map %d type %u key %u value %u max %u flags %u extra %llu frozen %d",
			   &i, &a, &b, &d, &e, &f, &x, &n) == 8 && i >= 0 && i < VF_MAX_MAPS) {
			struct vf_map *m = &c->maps[i];
			m->type = a, m->key_size = b, m->value_size = d, m->max_entries = e;
			m->flags = f, m->extra = x, m->frozen = n;
			if (i + 1 > c->nmaps)
				c->nmaps = i + 1;
			/* input defaults: the maps as generated */
			memcpy(&in->m[i], m, sizeof(*m));
		} else if (sscanf(line, "map %d data %32767s", &i, tail) == 2 && i >= 0 && i < VF_MAX_MAPS) {
			unhex(tail, c->maps[i].data, sizeof(c->maps[i].data));
			memcpy(in->m[i].data, c->maps[i].data, sizeof(in->m[i].data));
		} else if (sscanf(line, "map %d entry %32767[0-9a-f] %32767s", &i, tail, tail2) == 3 &&
			   i >= 0 && i < VF_MAX_MAPS && c->maps[i].nent < VF_MAX_ENTRIES) {
			struct vf_map *m = &c->maps[i];
			unhex(tail, m->keys[m->nent], 8);
			unhex(tail2, m->vals[m->nent], VF_MAX_VALUE);
			m->nent++;
			in->m[i].nent = m->nent;
			memcpy(in->m[i].keys, m->keys, sizeof(m->keys));
			memcpy(in->m[i].vals, m->vals, sizeof(m->vals));
		} else if (sscanf(line, "map %d slot %u %u", &i, &a, &b) == 3 && i >= 0 && i < VF_MAX_MAPS &&
			   c->maps[i].nslots < VF_MAX_SLOTS) {
			struct vf_map *m = &c->maps[i];
			m->slot_off[m->nslots] = a;
			m->slot_insn[m->nslots++] = b;
		} else if (sscanf(line, "prog %d %d", &i, &n) == 2 && i >= 0 && i < VF_MAX_PROGS) {
			cur = i;
			left = n;
			if (i + 1 > c->nprogs)
				c->nprogs = i + 1;
		} else if (sscanf(line, "input ctx %32767s", tail) == 1) {
			unhex(tail, in->ctx, VF_CTX_SIZE);
			*has_input = 1;
		} else if (sscanf(line, "input map %d data %32767s", &i, tail) == 2 && i >= 0 && i < VF_MAX_MAPS) {
			unhex(tail, in->m[i].data, sizeof(in->m[i].data));
		} else if (sscanf(line, "input map %d entries %d", &i, &n) == 2 && i >= 0 && i < VF_MAX_MAPS) {
			in->m[i].nent = 0;
		} else if (sscanf(line, "input map %d entry %32767[0-9a-f] %32767s", &i, tail, tail2) == 3 &&
			   i >= 0 && i < VF_MAX_MAPS && in->m[i].nent < VF_MAX_ENTRIES) {
			unhex(tail, in->m[i].keys[in->m[i].nent], 8);
			unhex(tail2, in->m[i].vals[in->m[i].nent], VF_MAX_VALUE);
			in->m[i].nent++;
		}
	}
	fclose(fp);
	/* the slot values follow program 0's layout */
	for (int i = 0; i < c->nmaps; i++)
		for (int s = 0; s < c->maps[i].nslots; s++) {
			uint64_t v = (uint64_t)c->maps[i].slot_insn[s] * 8;
			memcpy(c->maps[i].data + c->maps[i].slot_off[s], &v, 8);
			memcpy(in->m[i].data + c->maps[i].slot_off[s], &v, 8);
		}
	return c->nprogs ? 0 : -EINVAL;
}

/* ---- minimizing -------------------------------------------------------------------------- */

static int is_ld64(const struct bpf_insn *in) { return in->code == (BPF_LD | BPF_IMM | BPF_DW); }

/* Delete insns [d, d+k) of program pi, keeping every jump, call and
 * function address pointing at the same instruction (or the next one). */
static int delete_insns(struct vf_case *c, int pi, int d, int k)
{
	struct vf_prog *p = &c->progs[pi];
	int n = p->n;
	if (d < 0 || d + k > n || k <= 0)
		return -1;
	if (d > 0 && is_ld64(&p->insns[d - 1]))
		return -1;   /* would split an ld_imm64 */
	if (is_ld64(&p->insns[d + k - 1]))
		return -1;
	static int nw[VF_MAX_INSNS + 1];
	for (int i = 0, j = 0; i <= n; i++) {
		nw[i] = j;
		if (i < d || i >= d + k)
			j++;
	}
	static struct bpf_insn out[VF_MAX_INSNS];
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (i >= d && i < d + k)
			continue;
		struct bpf_insn in = p->insns[i];
		uint8_t cls = BPF_CLASS(in.code), op = BPF_OP(in.code);
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_EXIT && !(op == BPF_CALL)) {
			if (cls == BPF_JMP32 && op == BPF_JA) {
				int t = i + 1 + in.imm;
				if (t >= 0 && t <= n)
					in.imm = nw[t] - nw[i] - 1;
			} else {
				int t = i + 1 + in.off;
				if (t >= 0 && t <= n)
					in.off = (int16_t)(nw[t] - nw[i] - 1);
			}
		} else if ((in.code == (BPF_JMP | BPF_CALL) && in.src_reg == BPF_PSEUDO_CALL) ||
			   (is_ld64(&in) && in.src_reg == BPF_PSEUDO_FUNC)) {
			int t = i + 1 + in.imm;
			if (t >= 0 && t <= n)
				in.imm = nw[t] - nw[i] - 1;
		}
		out[m++] = in;
	}
	memcpy(p->insns, out, (size_t)m * sizeof(out[0]));
	p->n = m;
	if (pi == 0)
		for (int i = 0; i < c->nmaps; i++)
			for (int s = 0; s < c->maps[i].nslots; s++) {
				uint32_t t = c->maps[i].slot_insn[s];
				if (t <= (uint32_t)n) {
					c->maps[i].slot_insn[s] = (uint32_t)nw[t];
					uint64_t v = (uint64_t)nw[t] * 8;
					memcpy(c->maps[i].data + c->maps[i].slot_off[s], &v, 8);
				}
			}
	return 0;
}

static volatile int in_child;

/* Does candidate c still show finding kind/sig?  Runs in a child process:
 * a crash counts as kind "crash". */
static int still_fails(const struct vf_case *c, const struct finding *want)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		in_child = 1;
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 2);
			dup2(devnull, 1);
		}
		alarm(20);
		static struct finding f;
		int acc;
		int r = check_case(c, 0, 1, &want->in, &f, &acc, !strncmp(want->kind, "kernel-", 7) ||
				   strstr(want->sig, "[kernel rejects]"), 0);
		if (!r)
			_exit(10);
		_exit(strcmp(f.kind, want->kind) || strcmp(f.sig, want->sig) ? 11 : 0);
	}
	int status;
	waitpid(pid, &status, 0);
	if (!strcmp(want->kind, "crash"))
		return !(WIFEXITED(status) && WEXITSTATUS(status) >= 10);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void minimize(struct vf_case *c, const struct finding *f)
{
	static struct vf_case t;
	int budget = 3000;
	/* drop the other program */
	if (c->nprogs == 2) {
		t = *c;
		if (f->prog == 1) {
			t.progs[0] = t.progs[1];
			for (int i = 0; i < t.nmaps; i++)
				t.maps[i].nslots = 0;
		}
		t.nprogs = 1;
		struct finding f2 = *f;
		f2.prog = 0;
		if (still_fails(&t, &f2)) {
			*c = t;
			((struct finding *)f)->prog = 0;
		}
	}
	/* a crash does not say which program: try keeping either one */
	if (c->nprogs == 2 && !strcmp(f->kind, "crash")) {
		for (int keep = 1; keep >= 0 && c->nprogs == 2; keep--) {
			t = *c;
			t.progs[0] = c->progs[keep];
			if (keep == 1)
				for (int i = 0; i < t.nmaps; i++)
					t.maps[i].nslots = 0;
			t.nprogs = 1;
			if (still_fails(&t, f))
				*c = t;
		}
	}
	for (int pi = 0; pi < c->nprogs; pi++) {
	if (strcmp(f->kind, "crash") && pi != f->prog)
		continue;
	for (int chunk = c->progs[pi].n / 2; chunk >= 1 && budget > 0; chunk /= 2) {
		int progress = 1;
		while (progress && budget > 0) {
			progress = 0;
			for (int d = c->progs[pi].n - chunk; d >= 0 && budget > 0; d--) {
				t = *c;
				if (delete_insns(&t, pi, d, chunk))
					continue;
				budget--;
				if (still_fails(&t, f)) {
					*c = t;
					progress = 1;
					if (d > c->progs[pi].n - chunk)
						d = c->progs[pi].n - chunk + 1;
				}
			}
		}
	}
	/* simplify immediates of stores and movs to 0 */
	for (int i = 0; i < c->progs[pi].n && budget > 0; i++) {
		struct bpf_insn *in = &c->progs[pi].insns[i];
		if ((BPF_CLASS(in->code) == BPF_ST || in->code == (BPF_ALU64 | BPF_MOV | BPF_K)) && in->imm) {
			t = *c;
			t.progs[pi].insns[i].imm = 0;
			budget--;
			if (still_fails(&t, f))
				*c = t;
		}
	}
	}
}

static int seen_sig(const char *kind, const char *sig)
{
	char key[160];
	snprintf(key, sizeof(key), "%s:%s", kind, sig);
	for (int i = 0; i < shm->st.nsigs; i++)
		if (!strcmp(shm->st.sigs[i], key)) {
			shm->st.sig_count[i]++;
			return 1;
		}
	if (shm->st.nsigs < 64) {
		shm->st.sig_count[shm->st.nsigs] = 1;
		snprintf(shm->st.sigs[shm->st.nsigs++], sizeof(shm->st.sigs[0]), "%s", key);
	}
	return 0;
}

static uint64_t fnv(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static void report(const struct vf_case *orig, struct finding *f, uint64_t seed, long index)
{
	static struct vf_case c;
	c = *orig;
	shm->st.findings++;
	if (seen_sig(f->kind, f->sig)) {
		printf("vfuzz: finding %s (%s) at index %ld: same signature as an earlier one, not written\n",
		       f->kind, f->sig, index);
		fflush(stdout);
		return;
	}
	int n0 = c.progs[f->prog].n;
	if (opt.minimize)
		minimize(&c, f);
	mkdir(opt.findings_dir, 0755);
	char path[512];
	snprintf(path, sizeof(path), "%s/%s-%016llx.txt", opt.findings_dir, f->kind,
		 (unsigned long long)fnv(&c.progs[f->prog], sizeof(c.progs[0].insns[0]) *
					 (size_t)c.progs[f->prog].n));
	FILE *fp = fopen(path, "w");
	for (int pass = 0; pass < 2; pass++) {
		FILE *o = pass ? stdout : fp;
		if (!o)
			continue;
		fprintf(o, "# vfuzz finding: %s\n", f->kind);
		char *w = strdup(f->what), *save = NULL;
		for (char *l = w ? strtok_r(w, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
			fprintf(o, "# %s\n", l);
		free(w);
		fprintf(o, "# found by: vfuzz --seed %llu --index %ld (program %d, %d insns, minimized to %d)\n",
			(unsigned long long)seed, index, f->prog, n0, c.progs[f->prog < c.nprogs ? f->prog : 0].n);
		fprintf(o, "# replay: build-asan/vfuzz --replay %s\n", path);
		write_case(o, &c, &f->in);
		if (pass)
			fprintf(o, "# written to %s\n", path);
	}
	if (fp)
		fclose(fp);
	fflush(stdout);
}

/* ---- the worker ------------------------------------------------------------------------- */

static uint64_t case_seed(long index)
{
	uint64_t s = opt.seed ^ ((uint64_t)index * 0xd1342543de82ef95ull);
	s ^= s >> 31;
	return s * 0x9e3779b97f4a7c15ull + 1;
}

static void gen_case(long index, struct vf_case *c)
{
	uint64_t s = case_seed(index);
	struct vf_gen_opts go = { .allow_callx = vf_chance(&s, opt.callx_percent),
				  .bad_percent = opt.bad_percent, .no_delete_use = opt.no_delete_use };
	vf_generate(c, case_seed(index), &go);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void worker(long start, double deadline)
{
	static struct vf_case c;
	static struct finding f;
	for (long idx = start; ; idx++) {
		if (opt.count && idx >= opt.count)
			break;
		if (now_s() >= deadline)
			break;
		if (shm->st.findings >= opt.max_findings)
			break;
		gen_case(idx, &c);
		shm->st.next_index = idx;
		shm->cur = c;
		shm->st.have_current = 1;
		int acc = 0;
		memset(&f, 0, sizeof(f));
		int r = check_case(&c, case_seed(idx), opt.inputs, NULL, &f, &acc, opt.kernel, 1);
		shm->st.generated += c.nprogs;
		shm->st.accepted += acc;
		shm->st.have_current = 0;
		if (r && !strcmp(f.kind, "kernel-rejects")) {
			/* try to make it misbehave: many inputs */
			static struct finding f2;
			int acc2;
			memset(&f2, 0, sizeof(f2));
			if (check_case(&c, case_seed(idx) + 1, 64, NULL, &f2, &acc2, 0, 0)) {
				char w2[2048];
				snprintf(w2, sizeof(w2), "%s (and %s)", f2.what, f.what);
				f = f2;
				snprintf(f.what, sizeof(f.what), "%s", w2);
			} else if (opt.divergences_ok) {
				r = 0;   /* safe on 64 more inputs: a divergence, in the summary's counts */
			}
		}
		if (r)
			report(&c, &f, opt.seed, idx);
		if (opt.verbose && idx % 1000 == 0) {
			printf("vfuzz: %ld programs, %ld accepted, %ld runs, %ld findings\n",
			       shm->st.generated, shm->st.accepted, shm->st.runs, shm->st.findings);
			fflush(stdout);
		}
	}
	shm->st.next_index = -1;
}

/* ---- replay ------------------------------------------------------------------------------ */

static int replay(int argc, char **argv, int first)
{
	int bad = 0, n = 0;
	for (int a = first; a < argc; a++) {
		static struct vf_case c;
		static struct vf_input in;
		static struct finding f;
		int has_in = 0, acc = 0;
		if (read_case(argv[a], &c, &in, &has_in)) {
			printf("vfuzz: %s: cannot read\n", argv[a]);
			bad++;
			continue;
		}
		n++;
		int r = 0;
		memset(&f, 0, sizeof(f));
		if (opt.min_replay && has_in) {
			/* a crash on the recorded input: minimize it in child processes */
			fflush(stdout);
			pid_t pid = fork();
			if (pid == 0) {
				int acc2;
				_exit(check_case(&c, 0, 1, &in, &f, &acc2, 0, 0) ? 12 : 13);
			}
			int st = 0;
			waitpid(pid, &st, 0);
			if (!(WIFEXITED(st) && WEXITSTATUS(st) >= 12)) {
				snprintf(f.kind, sizeof(f.kind), "crash");
				snprintf(f.sig, sizeof(f.sig), "replay");
				snprintf(f.what, sizeof(f.what), "the process died (%s %d) on the recorded input",
					 WIFSIGNALED(st) ? "signal" : "exit status",
					 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
				f.in = in;
				printf("vfuzz: %s: FAILS: crash\n", argv[a]);
				bad++;
				report(&c, &f, 0, -1);
				continue;
			}
		}
		if (has_in)
			r = check_case(&c, 0, 1, &in, &f, &acc, opt.kernel, 0);
		if (!r) {
			memset(&f, 0, sizeof(f));
			r = check_case(&c, fnv(argv[a], strlen(argv[a])), opt.inputs, NULL, &f, &acc, opt.kernel, 0);
		}
		if (r) {
			printf("vfuzz: %s: FAILS: %s: %s\n", argv[a], f.kind, f.what);
			bad++;
			if (opt.min_replay)
				report(&c, &f, 0, -1);
		} else {
			printf("vfuzz: %s: ok (%s)\n", argv[a], acc ? "accepted, runs agree" : "rejected");
		}
	}
	printf("vfuzz: replayed %d file(s), %d failing\n", n, bad);
	return bad ? 1 : 0;
}

/* ---- main ------------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: vfuzz [--seconds N] [--seed S] [--count N] [--inputs N] [--findings DIR]\n"
		"             [--no-kernel] [--no-minimize] [--no-delete-use] [--callx-percent P] [--bad-percent P] [--max-findings N]\n"
		"             [--divergences-ok] [-v]\n"
		"       vfuzz [--minimize] --replay FILE...   re-check findings / regressions (minimize failures)\n"
		"       vfuzz --print --seed S --index I   print one generated case\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int replay_at = 0, print = 0;
	long print_index = 0;
	opt.seed = (uint64_t)time(NULL);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--seconds") && v) opt.seconds = atoi(v), i++;
		else if (!strcmp(a, "--seed") && v) opt.seed = strtoull(v, NULL, 0), i++;
		else if (!strcmp(a, "--count") && v) opt.count = atol(v), i++;
		else if (!strcmp(a, "--inputs") && v) opt.inputs = atoi(v), i++;
		else if (!strcmp(a, "--findings") && v) opt.findings_dir = v, i++;
		else if (!strcmp(a, "--callx-percent") && v) opt.callx_percent = atoi(v), i++;
		else if (!strcmp(a, "--bad-percent") && v) opt.bad_percent = atoi(v), i++;
		else if (!strcmp(a, "--max-findings") && v) opt.max_findings = atoi(v), i++;
		else if (!strcmp(a, "--divergences-ok")) opt.divergences_ok = 1;
		else if (!strcmp(a, "--index") && v) print_index = atol(v), i++;
		else if (!strcmp(a, "--no-kernel")) opt.kernel = 0;
		else if (!strcmp(a, "--no-minimize")) opt.minimize = 0;
		else if (!strcmp(a, "--no-delete-use")) opt.no_delete_use = 1;
		else if (!strcmp(a, "--minimize")) opt.min_replay = 1;
		else if (!strcmp(a, "--print")) print = 1;
		else if (!strcmp(a, "-v")) opt.verbose = 1;
		else if (!strcmp(a, "-vv")) opt.verbose = 2;
		else if (!strcmp(a, "--replay")) { replay_at = i + 1; break; }
		else usage();
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		return 2;
	memset(&shm->st, 0, sizeof(shm->st));
	if (opt.kernel && geteuid() != 0) {
		printf("vfuzz: kernel comparison skipped: not root\n");
		shm->st.kernel_unavailable = 1;
	} else if (opt.kernel) {
		kernel_check_available();
	}
	if (print) {
		static struct vf_case c;
		gen_case(print_index, &c);
		write_case(stdout, &c, NULL);
		return 0;
	}
	if (replay_at)
		return replay(argc, argv, replay_at);

	printf("vfuzz: seed %llu, %d s%s\n", (unsigned long long)opt.seed, opt.seconds,
	       opt.kernel && !shm->st.kernel_unavailable ? ", with the kernel as oracle" : "");
	fflush(stdout);
	char errlog[64];
	snprintf(errlog, sizeof(errlog), "/tmp/vfuzz-worker-%d.log", (int)getpid());
	double t0 = now_s(), deadline = t0 + opt.seconds;
	long idx = 0;
	for (;;) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			/* the worker's stderr goes to a file too: a sanitizer report
			 * becomes part of the finding */
			int fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd >= 0) {
				dup2(fd, 2);
				close(fd);
			}
			worker(idx, deadline);
			_exit(0);
		}
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && shm->st.next_index == -1)
			break;
		/* the worker died on the current case: that is a finding */
		long at = shm->st.next_index;
		shm->st.crashes++;
		printf("vfuzz: worker died (%s %d) on index %ld\n", WIFSIGNALED(status) ? "signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), at);
		if (shm->st.have_current) {
			static struct finding f;
			static struct vf_case c;
			memset(&f, 0, sizeof(f));
			c = shm->cur;
			snprintf(f.kind, sizeof(f.kind), "crash");
			snprintf(f.sig, sizeof(f.sig), "%d", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			snprintf(f.what, sizeof(f.what), "the process died (%s %d) checking this program "
				 "(see the sanitizer report above)", WIFSIGNALED(status) ? "signal" : "exit status",
				 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			f.in = shm->cur_in;
			/* the report: SUMMARY line and the first frames */
			FILE *ef = fopen(errlog, "r");
			if (ef) {
				char line[512];
				size_t l = strlen(f.what);
				int frames = 0;
				while (fgets(line, sizeof(line), ef)) {
					fputs(line, stderr);
					int keep = strstr(line, "ERROR:") || strstr(line, "SUMMARY:") ||
						   strstr(line, "runtime error") || strstr(line, "freed by") ||
						   strstr(line, "READ of") || strstr(line, "WRITE of") ||
						   (strstr(line, "    #") && frames++ < 12);
					if (keep && l + strlen(line) + 2 < sizeof(f.what)) {
						l += (size_t)snprintf(f.what + l, sizeof(f.what) - l, "\n%s", line);
						if (f.what[l - 1] == '\n')
							f.what[--l] = 0;
					}
					if (strstr(line, "SUMMARY:") && !strcmp(f.sig, "1"))
						snprintf(f.sig, sizeof(f.sig), "%.150s", strstr(line, "SUMMARY:") + 9);
				}
				fclose(ef);
			}
			/* which program: try each */
			f.prog = 0;
			report(&c, &f, opt.seed, at);
		}
		idx = at + 1;
		if (now_s() >= deadline || (opt.count && idx >= opt.count) ||
		    shm->st.findings >= opt.max_findings || shm->st.crashes > 20)
			break;
	}
	unlink(errlog);
	double dt = now_s() - t0;
	struct stats *s = &shm->st;
	printf("vfuzz: kernel: %ld programs loaded; kernel accepted %ld; both accept %ld; ibpf only %ld; "
	       "kernel only %ld; %ld kernel runs, %ld result differences; %ld kernel-internal errors%s\n",
	       s->k_tried, s->k_accepted, s->k_both_accept, s->k_ibpf_only_accept, s->k_kernel_only_accept,
	       s->k_runs, s->k_result_diff, s->k_internal, s->kernel_unavailable ? " (kernel unavailable)" : "");
	for (int i = 0; i < s->nsigs; i++)
		printf("vfuzz: finding class %3ld x %s\n", s->sig_count[i], s->sigs[i]);
	printf("vfuzz: summary: %ld programs generated (%.0f/s), %ld accepted (%.1f%%), %ld runs, "
	       "%ld nondeterministic inputs, %ld findings (%d distinct)%s\n", s->generated,
	       s->generated / (dt > 0 ? dt : 1), s->accepted,
	       s->generated ? 100.0 * (double)s->accepted / (double)s->generated : 0.0, s->runs,
	       s->nondeterministic, s->findings, s->nsigs,
	       s->selfcheck_unavailable ? " (self-check unavailable)" : "");
	return s->findings ? 1 : 0;
}
