/* helpers.c - helper functions: prototypes for the verifier and
 * implementations for the engines, in one table. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

#include <ibpf/ibpf.h>
#include "helpers/helpers.h"
#include "maps/maps.h"
#include "vm/vm.h"

#define U(x) ((uint64_t)(x))
#define PTR(x) ((void *)(uintptr_t)(x))
#define UNUSED_ARGS(a, b, c, d) ((void)(a), (void)(b), (void)(c), (void)(d))

static uint64_t h_map_lookup_elem(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct ibpf_map *m = ibpf_vm_map_arg(vm, r1);
	void *v;

	(void)r3, (void)r4, (void)r5;
	if (!m)
		return ibpf_vm_fault(vm, "bpf_map_lookup_elem: r1 is not a map");
	if (!ibpf_vm_mem_ok(vm, r2, m->key_size, 0))
		return ibpf_vm_fault(vm, "bpf_map_lookup_elem: key at 0x%llx is not readable",
				     (unsigned long long)r2);
	v = ibpf_map_lookup(m, PTR(r2));
	if (v && (m->map_extra & IBPF_F_CALL_TABLE)) {
		/* A call table yields the pointer itself, as this program lays
		 * out its functions. */
		uint64_t fp;
		size_t off = (size_t)((uint8_t *)v - m->data);
		memcpy(&fp, ibpf_program_map_data(vm->prog, m) + off, 8);
		return fp;
	}
	if (v && ibpf_map_is_array_like(m))   /* this program's view of the bytes */
		v = ibpf_program_map_data(vm->prog, m) + ((uint8_t *)v - m->data);
	return U((uintptr_t)v);
}

static uint64_t h_map_update_elem(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct ibpf_map *m = ibpf_vm_map_arg(vm, r1);

	(void)r5;
	if (!m)
		return ibpf_vm_fault(vm, "bpf_map_update_elem: r1 is not a map");
	if (!ibpf_vm_mem_ok(vm, r2, m->key_size, 0) || !ibpf_vm_mem_ok(vm, r3, m->value_size, 0))
		return ibpf_vm_fault(vm, "bpf_map_update_elem: key or value is not readable");
	if (m->frozen || (m->map_flags & BPF_F_RDONLY_PROG))
		return U(-EPERM);
	return U((int64_t)ibpf_map_update(m, PTR(r2), PTR(r3), r4));
}

static uint64_t h_map_delete_elem(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct ibpf_map *m = ibpf_vm_map_arg(vm, r1);

	UNUSED_ARGS(r3, r4, r5, 0);
	if (!m)
		return ibpf_vm_fault(vm, "bpf_map_delete_elem: r1 is not a map");
	if (!ibpf_vm_mem_ok(vm, r2, m->key_size, 0))
		return ibpf_vm_fault(vm, "bpf_map_delete_elem: key is not readable");
	if (m->frozen || (m->map_flags & BPF_F_RDONLY_PROG))
		return U(-EPERM);
	return U((int64_t)ibpf_map_delete(m, PTR(r2)));
}

static uint64_t h_ktime_get_ns(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
			       uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct timespec ts;

	UNUSED_ARGS(vm, r1, r2, r3);
	(void)r4, (void)r5;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return U(ts.tv_sec) * 1000000000ull + U(ts.tv_nsec);
}

static uint64_t h_get_prandom_u32(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	uint64_t x = vm->rand_state;

	UNUSED_ARGS(r1, r2, r3, r4);
	(void)r5;
	/* xorshift64*: the per-run state lives in the vm, not in a global. */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	vm->rand_state = x;
	return (x * 2685821657736338717ull) >> 32;
}

static uint64_t h_get_smp_processor_id(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				       uint64_t r3, uint64_t r4, uint64_t r5)
{
	UNUSED_ARGS(vm, r1, r2, r3);
	(void)r4, (void)r5;
	return 0;
}

/* ---- bpf_trace_printk ---------------------------------------------------- */

/* Character classes of the format, fixed (not the caller's locale). */
static int fmt_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int fmt_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int fmt_punct(int c) { return c > ' ' && c < 0x7f && !fmt_alnum(c); }
static int fmt_printable(int c) { return (c >= ' ' && c < 0x7f) || fmt_space(c); }
/* What may follow %s and a bare %p. */
static int fmt_end_ok(int c) { return c == 0 || fmt_space(c) || fmt_punct(c); }

static int fmt_fail(struct ibpf_fmt_piece *p, enum ibpf_fmt_err err, uint32_t start,
		    uint32_t end)
{
	p->err = err;
	p->start = start;
	p->end = end;
	return -EINVAL;
}

/* A printf conversion spec for snprintf: '%', flags, width, then tail. */
static void fmt_spec(char spec[32], const char *flags, int width, const char *tail)
{
	if (width < 0)
		snprintf(spec, 32, "%%%s%s", flags, tail);
	else
		snprintf(spec, 32, "%%%s%d%s", flags, width, tail);
}

int ibpf_fmt_next(struct ibpf_fmt_iter *it, struct ibpf_fmt_piece *p)
{
	const unsigned char *f = (const unsigned char *)it->fmt;
	uint32_t i = it->pos, start = i;
	size_t nflags = 0;
	/* Never past len, even if the bytes change under us (a format in a
	 * map another thread writes). */
#define F(k) ((k) < it->len ? f[k] : 0)

	memset(p, 0, sizeof(*p));
	p->width = -1;
	if (!F(i))
		return 0;
	if (F(i) != '%' || F(i + 1) == '%') {
		/* Text up to the next conversion; "%%" is a one-byte text piece. */
		if (F(i) == '%') {
			start = ++i;
			i++;
		} else {
			while (F(i) && F(i) != '%') {
				if (!fmt_printable(F(i)))
					return fmt_fail(p, IBPF_FMT_E_CHAR, i, i + 1);
				i++;
			}
		}
		p->kind = IBPF_FMT_TEXT;
		p->start = start;
		p->end = it->pos = i;
		return 1;
	}
	i++;
	while (F(i) == '0' || F(i) == '+' || F(i) == '-' || F(i) == ' ') {
		if (!memchr(p->flags, F(i), nflags) && nflags < sizeof(p->flags) - 1)
			p->flags[nflags++] = (char)F(i);
		i++;
	}
	if (F(i) >= '1' && F(i) <= '9') {
		p->width = 0;
		while (F(i) >= '0' && F(i) <= '9') {
			/* Wider than any output buffer is the same output. */
			if (p->width < 100000)
				p->width = p->width * 10 + (F(i) - '0');
			i++;
		}
	}
	p->conv = (char)F(i);
	switch (F(i)) {
	case 'c':
		p->kind = IBPF_FMT_CHAR;
		i++;
		break;
	case 's':
		p->kind = IBPF_FMT_STR;
		i++;
		if (!fmt_end_ok(F(i)))
			return fmt_fail(p, IBPF_FMT_E_FOLLOW, start, i);
		break;
	case 'p':
		i++;
		if (fmt_end_ok(F(i))) {
			p->kind = IBPF_FMT_PTR;
		} else if ((F(i) == 'k' || F(i) == 'u') && F(i + 1) == 's') {
			/* kernel / user string: both are a string in ibpf's memory */
			p->kind = IBPF_FMT_STR;
			p->conv = 's';
			i += 2;
			if (!fmt_end_ok(F(i)))
				return fmt_fail(p, IBPF_FMT_E_FOLLOW, start, i);
		} else if (F(i) == 'K' || F(i) == 'x' || F(i) == 's' || F(i) == 'S') {
			p->kind = IBPF_FMT_PTR;   /* never a raw address, nor a symbol */
			i++;
		} else {
			/* %pB, %pI4 and the like: not in ibpf's subset */
			return fmt_fail(p, IBPF_FMT_E_CONV, start, F(i) ? i + 1 : i);
		}
		break;
	default:
		if (F(i) == 'l') {
			p->longs++;
			i++;
			if (F(i) == 'l') {
				p->longs++;
				i++;
			}
		}
		if (!F(i) || !strchr("diuxX", F(i)))
			return fmt_fail(p, IBPF_FMT_E_CONV, start, F(i) ? i + 1 : i);
		p->kind = IBPF_FMT_INT;
		p->conv = (char)F(i);
		i++;
	}
	if (it->nargs >= IBPF_FMT_MAX_ARGS)
		return fmt_fail(p, IBPF_FMT_E_MANY, start, i);
	p->start = start;
	p->end = it->pos = i;
	p->arg = it->nargs++;
	return 1;
#undef F
}

/* SipHash-2-4 of one 64-bit word (Aumasson and Bernstein's PRF). */
#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND()							\
	do {								\
		v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32); \
		v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32); \
	} while (0)
static uint64_t siphash_u64(uint64_t k0, uint64_t k1, uint64_t m)
{
	uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
	const uint64_t last = 8ull << 56;   /* message length in the final block */

	v3 ^= m;
	SIPROUND();
	SIPROUND();
	v0 ^= m;
	v3 ^= last;
	SIPROUND();
	SIPROUND();
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND();
	SIPROUND();
	SIPROUND();
	SIPROUND();
	return v0 ^ v1 ^ v2 ^ v3;
}

/* %p as the kernel prints it: NULL and error values as they are, any other
 * value hashed with a secret key to 32 bits, so that the trace shows which
 * pointers are equal and nothing about where the host keeps its memory.
 * What is hashed is the pointer's region and offset where the vm can name
 * them cheaply (ibpf_vm_region_name), so the same pointer prints the same
 * in every run and engine.  The key is the 16 random bytes the kernel gives
 * every process (AT_RANDOM): stable for the process, like the kernel's
 * boot-time key, unknown to the program.  Without it, the kernel's
 * placeholder. */
static int fmt_pointer(struct ibpf_vm *vm, char *out, size_t room,
		       const struct ibpf_fmt_piece *p, uint64_t v)
{
	const unsigned char *key = (const unsigned char *)(uintptr_t)getauxval(AT_RANDOM);
	char spec[32];

	if (v && v < (uint64_t)-4095) {
		uint64_t k0, k1;
		if (!key)
			return snprintf(out, room, "(____ptrval____)");
		memcpy(&k0, key, 8);
		memcpy(&k1, key + 8, 8);
		v = siphash_u64(k0, k1, ibpf_vm_region_name(vm, v)) >> 32;
	}
	if (p->width < 0)
		return snprintf(out, room, "%016llx", (unsigned long long)v);
	fmt_spec(spec, p->flags, p->width, "llx");
	return snprintf(out, room, spec, (unsigned long long)v);
}

/* %s: the string at a, read only inside the region a lies in (stack, ctx,
 * a map value), up to its NUL or the region's end.  A pointer in no region
 * prints as the empty string, as the kernel prints a %s it cannot read. */
static int fmt_string(struct ibpf_vm *vm, char *out, size_t room,
		      const struct ibpf_fmt_piece *p, uint64_t a)
{
	char str[512], spec[32];
	uint64_t left = ibpf_vm_region_left(vm, a, 0);
	size_t k = 0;

	while (k < left && k < sizeof(str) - 1 && ((const char *)PTR(a))[k]) {
		str[k] = ((const char *)PTR(a))[k];
		k++;
	}
	str[k] = 0;
	/* strings pad with spaces only: of the flags, only '-' applies */
	fmt_spec(spec, strchr(p->flags, '-') ? "-" : "", p->width, "s");
	return snprintf(out, room, spec, str);
}

/* bpf_trace_printk(fmt, fmt_size, a1, a2, a3): formats as the kernel does
 * (ibpf_fmt_next) and appends the line to the run's trace buffer.  Returns
 * the bytes written, or -EINVAL for a format not terminated within fmt_size
 * or one the kernel would refuse.  fmt and fmt_size were checked by the
 * verifier (checked mode: here); a1..a3 are whatever the program passes, so
 * %s reads only inside the region its pointer lies in and %p never prints a
 * host address. */
static uint64_t h_trace_printk(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
			       uint64_t r3, uint64_t r4, uint64_t r5)
{
	const char *fmt = PTR(r1);
	const uint64_t args[IBPF_FMT_MAX_ARGS] = { r3, r4, r5 };
	struct ibpf_fmt_iter it = { fmt, 0, 0, 0 };
	struct ibpf_fmt_piece p;
	const char *nul;
	char out[512];
	size_t o = 0;
	int rc;

	if (r2 == 0 || !ibpf_vm_mem_ok(vm, r1, r2, 0))
		return ibpf_vm_fault(vm, "bpf_trace_printk: format is not readable");
	if (!(nul = memchr(fmt, 0, r2)) || nul - fmt > UINT32_MAX)
		return U(-EINVAL);
	it.len = (uint32_t)(nul - fmt);
	/* The kernel refuses a bad format before printing anything. */
	while ((rc = ibpf_fmt_next(&it, &p)) > 0)
		;
	if (rc < 0)
		return U(-EINVAL);
	it.pos = 0;
	it.nargs = 0;
	while (o < sizeof(out) - 1 && ibpf_fmt_next(&it, &p) > 0) {
		size_t room = sizeof(out) - o;
		uint64_t a = p.kind == IBPF_FMT_TEXT ? 0 : args[p.arg];
		char spec[32];
		int n;

		switch (p.kind) {
		case IBPF_FMT_TEXT:
			n = (int)(p.end - p.start);
			if ((size_t)n >= room)
				n = (int)room - 1;
			memcpy(out + o, fmt + p.start, (size_t)n);
			break;
		case IBPF_FMT_STR:
			n = fmt_string(vm, out + o, room, &p, a);
			break;
		case IBPF_FMT_PTR:
			n = fmt_pointer(vm, out + o, room, &p, a);
			break;
		case IBPF_FMT_CHAR:
			fmt_spec(spec, strchr(p.flags, '-') ? "-" : "", p.width, "c");
			n = snprintf(out + o, room, spec, (unsigned char)a);
			break;
		default:
			if (p.longs == 0 && (p.conv == 'd' || p.conv == 'i'))
				a = U((int64_t)(int32_t)a);
			else if (p.longs == 0)
				a = (uint32_t)a;
			fmt_spec(spec, p.flags, p.width, p.conv == 'i' ? "lli" : p.conv == 'd' ? "lld"
				 : p.conv == 'u' ? "llu" : p.conv == 'x' ? "llx" : "llX");
			n = snprintf(out + o, room, spec, (unsigned long long)a);
		}
		if (n < 0)
			return U(-EINVAL);
		o += (size_t)n < room ? (size_t)n : room - 1;
	}
	out[o] = 0;
	if (vm->trace && vm->trace_size > vm->trace_len + 1) {
		size_t room = vm->trace_size - vm->trace_len - 1;
		size_t k = o < room ? o : room;
		memcpy(vm->trace + vm->trace_len, out, k);
		vm->trace_len += k;
		if (k && out[k - 1] != '\n' && vm->trace_len + 1 < vm->trace_size)
			vm->trace[vm->trace_len++] = '\n';
		vm->trace[vm->trace_len] = 0;
	}
	return o;
}

/* bpf_loop(nr_loops, callback, ctx, flags): calls callback(i, ctx) until it
 * returns non-zero; returns the number of calls made. */
#define BPF_MAX_LOOPS (1u << 23)
static uint64_t h_loop(struct ibpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
		       uint64_t r4, uint64_t r5)
{
	uint64_t i;

	(void)r5;
	if (r4)
		return U(-EINVAL);
	if (r1 > BPF_MAX_LOOPS)
		return U(-E2BIG);
	for (i = 0; i < r1; i++) {
		uint64_t args[5] = { i, r3, 0, 0, 0 };
		uint64_t ret = ibpf_vm_call_ptr(vm, r2, args);
		if (vm->faulted)
			return 0;
		if (ret)
			return i + 1;
	}
	return i;
}

static const struct ibpf_helper helpers[] = {
	{ BPF_FUNC_map_lookup_elem, "bpf_map_lookup_elem", IBPF_RET_MAP_VALUE_OR_NULL,
	  { IBPF_ARG_MAP, IBPF_ARG_MAP_KEY }, h_map_lookup_elem, 0 },
	{ BPF_FUNC_map_update_elem, "bpf_map_update_elem", IBPF_RET_INTEGER,
	  { IBPF_ARG_MAP, IBPF_ARG_MAP_KEY, IBPF_ARG_MAP_VALUE, IBPF_ARG_ANYTHING },
	  h_map_update_elem, 0 },
	{ BPF_FUNC_map_delete_elem, "bpf_map_delete_elem", IBPF_RET_INTEGER,
	  { IBPF_ARG_MAP, IBPF_ARG_MAP_KEY }, h_map_delete_elem, 0 },
	{ BPF_FUNC_ktime_get_ns, "bpf_ktime_get_ns", IBPF_RET_INTEGER, { 0 },
	  h_ktime_get_ns, 0 },
	{ BPF_FUNC_trace_printk, "bpf_trace_printk", IBPF_RET_INTEGER,
	  /* the kernel checks only fmt and its size; r3..r5 are passed as they are */
	  { IBPF_ARG_MEM_RO, IBPF_ARG_CONST_SIZE }, h_trace_printk, 0 },
	{ BPF_FUNC_get_prandom_u32, "bpf_get_prandom_u32", IBPF_RET_INTEGER, { 0 },
	  h_get_prandom_u32, 0 },
	{ BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id", IBPF_RET_INTEGER,
	  { 0 }, h_get_smp_processor_id, 0 },
	{ 181 /* BPF_FUNC_loop */, "bpf_loop", IBPF_RET_INTEGER,
	  { IBPF_ARG_ANYTHING, IBPF_ARG_FUNC, IBPF_ARG_CB_CTX, IBPF_ARG_ANYTHING },
	  h_loop, 2 },
};

const struct ibpf_helper *ibpf_helper_by_id(int32_t id)
{
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}

const char *ibpf_helper_name(int32_t id)
{
	const struct ibpf_helper *h = ibpf_helper_by_id(id);
	return h ? h->name : NULL;
}
