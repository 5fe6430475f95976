/* test_callx.c - issue 4: indirect calls verified.  Every program here is
 * real BPF C (tests/progs/callx_*.bpf.c and the seed's examples), compiled
 * by clang-19 (NAME.o, callx register in dst_reg) and clang-14
 * (NAME.clang14.o, register in imm); each test runs on both objects.
 *
 *   good programs  verified (ibpf_program__verify == 0), then run in three
 *                  modes that must give the same result: the interpreter
 *                  after verification, the JIT, and the interpreter's
 *                  bounds-checked mode (which must never fire on an accepted
 *                  program);
 *   target sets    at log level 1 each callx line lists its targets
 *                  ("callx r2 ; targets: subprog[14] subprog[17]"): where the
 *                  issue fixes the set (a union over stack slots, the slots
 *                  an index range reaches, the fields of a .rodata struct),
 *                  the test checks it;
 *   bad programs   rejected (-EACCES or -EINVAL) at the instruction and with
 *                  the exact error line each case states for each compiler
 *                  (verify_expect.h: the last line of the level-0 log and
 *                  err_insn), and a run refused too.
 *
 * Table-driven tests check every entry and report all failures, not only
 * the first ("FALSE ACCEPT" marks a bad program the verifier let through). */
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "test.h"
#include "verify_expect.h"

static const char *const variants[] = { "", ".clang14" };
#define NVARIANTS 2

#define SENTINEL 0xdeadbeefcafeull

/* The ctx of every tests/progs/callx_* program. */
struct cx_ctx {
	uint64_t i;
	uint64_t x;
	uint64_t out;
};

static struct ibpf_object *open_obj(const char *name, const char *variant)
{
	char file[256], log[512] = "";
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj;

	snprintf(file, sizeof(file), "%s%s.o", name, variant);
	obj = ibpf_object__open_file(test_obj(file), &o);
	if (!obj)
		fprintf(stderr, "  open %s: %s\n", file, log);
	return obj;
}

/* Print the last `lines` lines of a log, indented. */
static void print_tail(const char *log, int lines)
{
	const char *p = log + strlen(log);
	int n = 0;

	while (p > log && n <= lines)
		if (*--p == '\n')
			n++;
	if (*p == '\n')
		p++;
	for (const char *q = p; *q;) {
		const char *e = strchr(q, '\n');
		int len = e ? (int)(e - q) : (int)strlen(q);
		fprintf(stderr, "      | %.*s\n", len, q);
		q += len + (e ? 1 : 0);
	}
}

#define LOG_SIZE (1u << 20)

/* Verify at `level` into a heap log the caller frees. */
static int verify(struct ibpf_program *p, int level, char **logp)
{
	char *log = calloc(1, LOG_SIZE);
	IBPF_OPTS(ibpf_verify_opts, o, .log_level = level, .log_buf = log, .log_size = LOG_SIZE);
	int rc;

	if (!log)
		return -ENOMEM;
	rc = ibpf_program__verify(p, &o);
	*logp = log;
	return rc;
}

/* ---- running in every mode ------------------------------------------------ */

static const struct mode {
	const char *name;
	int engine;
	uint32_t flags;
} modes[] = {
	{ "interp", IBPF_ENGINE_INTERP, 0 },
	{ "jit", IBPF_ENGINE_JIT, 0 },
	{ "checked", IBPF_ENGINE_INTERP, IBPF_RUN_CHECKED },
	{ "self-check", IBPF_ENGINE_INTERP, IBPF_RUN_SELF_CHECK },
	{ "JIT self-check", IBPF_ENGINE_JIT, IBPF_RUN_SELF_CHECK },
};

/* Where a program leaves its result. */
enum out_at {
	OUT_CTX16,      /* ctx bytes 16..23 (struct cx_ctx.out) */
	OUT_CTX8,       /* ctx bytes 8..15 (calculon's result) */
	OUT_BSS,        /* the first 8 bytes of .bss (the seed's ret_user) */
	OUT_NONE,
};

static int bss_rw(struct ibpf_object *obj, uint64_t *v, int write)
{
	struct ibpf_map *m = ibpf_object__find_map_by_name(obj, ".bss");
	uint32_t k = 0, sz;

	if (!m || (sz = ibpf_map__value_size(m)) < 8)
		return -ENOENT;
	uint8_t buf[sz];
	if (ibpf_map__lookup_elem(m, &k, 4, buf, sz, 0))
		return -EIO;
	if (!write) {
		memcpy(v, buf, 8);
		return 0;
	}
	memcpy(buf, v, 8);
	return ibpf_map__update_elem(m, &k, 4, buf, sz, 0);
}

/* Run `prog` of `obj` on a copy of ctx in every mode; each must return 0
 * with retval want_ret and, at `at`, want_out (SENTINEL: untouched).
 * Returns 1 when all agree, 0 after printing what differed. */
static int run_expect(struct ibpf_object *obj, const char *objname, const char *variant,
		      const char *prog, const void *ctx, uint32_t ctx_size, enum out_at at,
		      int64_t want_ret, uint64_t want_out)
{
	struct ibpf_program *p = ibpf_object__find_program_by_name(obj, prog);
	int ok = 1;

	if (!p) {
		fprintf(stderr, "  %s%s: no program %s\n", objname, variant, prog);
		return 0;
	}
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		uint8_t buf[64];
		char log[512] = "";
		uint64_t out = SENTINEL;
		IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = buf, .ctx_size_in = ctx_size,
			  .ctx_out = buf, .ctx_size_out = ctx_size, .engine = modes[m].engine,
			  .flags = modes[m].flags, .log_buf = log, .log_size = sizeof(log));
		int rc;

		memcpy(buf, ctx, ctx_size);
		if (at == OUT_BSS)
			bss_rw(obj, &out, 1);
		rc = ibpf_prog_test_run_opts(p, &o);
		if (rc == -EOPNOTSUPP && strstr(log, "not available"))
			continue;       /* no JIT on this machine */
		if (rc) {
			fprintf(stderr, "  %s%s %s [%s]: run failed: %d %s\n", objname, variant,
				prog, modes[m].name, rc, log);
			ok = 0;
			continue;
		}
		if (at == OUT_CTX16)
			memcpy(&out, buf + 16, 8);
		else if (at == OUT_CTX8)
			memcpy(&out, buf + 8, 8);
		else if (at == OUT_BSS)
			bss_rw(obj, &out, 0);
		if ((int64_t)(int32_t)o.retval != want_ret ||
		    (at != OUT_NONE && out != want_out)) {
			fprintf(stderr, "  %s%s %s [%s] ctx(i=%llu, x=%llu): retval %lld out %lld (0x%llx), "
				"want retval %lld out %lld (0x%llx)\n", objname, variant, prog,
				modes[m].name, (unsigned long long)((const uint64_t *)ctx)[0],
				ctx_size > 8 ? (unsigned long long)((const uint64_t *)ctx)[1] : 0ull,
				(long long)(int32_t)o.retval, (long long)out, (unsigned long long)out,
				(long long)want_ret, (long long)want_out, (unsigned long long)want_out);
			ok = 0;
		}
	}
	return ok;
}

/* Verify `prog` (must be accepted); print the log's tail when it is not. */
static int verify_ok(struct ibpf_object *obj, const char *objname, const char *variant,
		     const char *prog)
{
	struct ibpf_program *p = ibpf_object__find_program_by_name(obj, prog);
	char *log = NULL;
	int rc;

	if (!p) {
		fprintf(stderr, "  %s%s: no program %s\n", objname, variant, prog);
		return 0;
	}
	rc = verify(p, 1, &log);
	if (rc) {
		fprintf(stderr, "  FALSE REJECT %s%s %s: verify returned %d; log tail:\n",
			objname, variant, prog, rc);
		print_tail(log ? log : "", 12);
	}
	free(log);
	return rc == 0;
}

/* One run case of a cx_ctx program. */
struct cx_case {
	const char *prog;
	uint64_t i, x;
	int64_t ret;
	uint64_t out;          /* SENTINEL: ctx->out untouched */
};

/* Verify and run every case of an object, both compilers. */
static void check_cases(const char *objname, const struct cx_case *cases, size_t n)
{
	for (int v = 0; v < NVARIANTS; v++) {
		struct ibpf_object *obj = open_obj(objname, variants[v]);
		const char *verified = NULL;
		int verified_ok = 0;

		if (!obj) {
			test_failed = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			struct cx_ctx ctx = { cases[k].i, cases[k].x, SENTINEL };

			if (!verified || strcmp(verified, cases[k].prog)) {
				verified = cases[k].prog;
				verified_ok = verify_ok(obj, objname, variants[v], cases[k].prog);
				if (!verified_ok)
					test_failed = 1;
			}
			if (!verified_ok)
				continue;       /* reported once above */
			if (!run_expect(obj, objname, variants[v], cases[k].prog, &ctx, sizeof(ctx),
					OUT_CTX16, cases[k].ret, cases[k].out))
				test_failed = 1;
		}
		ibpf_object__close(obj);
	}
}

#define CASES(name, ...) \
	static const struct cx_case name[] = { __VA_ARGS__ }
#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* ---- target sets in the log ------------------------------------------------ */

/* Instruction where subprogram `name` starts in the linked program, or -1. */
static long subprog_start(struct ibpf_program *p, const char *name)
{
	struct ibpf_subprog_info si;

	for (size_t k = 0; k < ibpf_program__subprog_cnt(p); k++)
		if (!ibpf_program__subprog(p, k, &si) && si.name && !strcmp(si.name, name))
			return si.start;
	return -1;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* Does some "callx ... targets:" line of the level-1 log list exactly the
 * functions in `names` (NULL-terminated)? */
static int has_target_line(struct ibpf_program *p, const char *log, const char *const *names)
{
	long want[16], got[64];
	size_t nw = 0;

	for (; names[nw]; nw++) {
		want[nw] = subprog_start(p, names[nw]);
		if (want[nw] < 0) {
			fprintf(stderr, "  no subprogram %s in %s\n", names[nw], ibpf_program__name(p));
			return 0;
		}
	}
	qsort(want, nw, sizeof(long), cmp_long);
	for (const char *line = log; line && *line;) {
		const char *end = strchr(line, '\n');
		const char *t = strstr(line, "targets:");
		if (t && (!end || t < end) && strstr(line, "callx")) {
			size_t ng = 0;
			const char *s = t;
			while ((s = strstr(s, "subprog[")) && (!end || s < end) && ng < 64) {
				got[ng++] = strtol(s + 8, NULL, 10);
				s += 8;
			}
			qsort(got, ng, sizeof(long), cmp_long);
			if (ng == nw && !memcmp(got, want, nw * sizeof(long)))
				return 1;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/* The callx target sets of `prog` must include one line per `sets` entry. */
static void check_target_sets(const char *objname, const char *prog,
			      const char *const *const *sets)
{
	for (int v = 0; v < NVARIANTS; v++) {
		struct ibpf_object *obj = open_obj(objname, variants[v]);
		struct ibpf_program *p;
		char *log = NULL;

		if (!obj) {
			test_failed = 1;
			continue;
		}
		p = ibpf_object__find_program_by_name(obj, prog);
		if (!p || verify(p, 1, &log)) {
			fprintf(stderr, "  %s%s %s: not verified\n", objname, variants[v], prog);
			if (log)
				print_tail(log, 8);
			test_failed = 1;
		} else {
			for (int s = 0; sets[s]; s++)
				if (!has_target_line(p, log, sets[s])) {
					fprintf(stderr, "  %s%s %s: no callx line with exactly the targets {",
						objname, variants[v], prog);
					for (int k = 0; sets[s][k]; k++)
						fprintf(stderr, " %s@%ld", sets[s][k],
							subprog_start(p, sets[s][k]));
					fprintf(stderr, " }; callx lines:\n");
					for (const char *l = log; l && *l;) {
						const char *e = strchr(l, '\n');
						int len = e ? (int)(e - l) : (int)strlen(l);
						if (strstr(l, "targets:") && strstr(l, "targets:") < l + len)
							fprintf(stderr, "      | %.*s\n", len, l);
						l = e ? e + 1 : NULL;
					}
					test_failed = 1;
				}
		}
		free(log);
		ibpf_object__close(obj);
	}
}

#define SET(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define SETS(...) ((const char *const *const[]){ __VA_ARGS__, NULL })

/* ---- bad programs ------------------------------------------------------ */

struct bad_case {
	const char *obj, *prog;
	/* the failing instruction and the exact error line, for the object
	 * of each compiler (variants[]: clang-19, clang-14) */
	struct verify_want want[NVARIANTS];
};

/* The same for both compilers, or each its own. */
#define BOTH(INSN, MSG) { VE_REJECTED(INSN, MSG), VE_REJECTED(INSN, MSG) }
#define EACH(INSN19, MSG19, INSN14, MSG14) \
	{ VE_REJECTED(INSN19, MSG19), VE_REJECTED(INSN14, MSG14) }

static void check_rejected(const struct bad_case *bad, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (int v = 0; v < NVARIANTS; v++) {
			struct ibpf_object *obj = open_obj(bad[k].obj, variants[v]);
			struct ibpf_program *p;
			char what[256];

			if (!obj) {
				test_failed = 1;
				continue;
			}
			snprintf(what, sizeof(what), "%s%s %s", bad[k].obj, variants[v], bad[k].prog);
			p = ibpf_object__find_program_by_name(obj, bad[k].prog);
			if (!verify_expect(p, what, bad[k].want[v])) {
				test_failed = 1;
			} else {
				/* A run verifies first and must refuse it as well. */
				struct cx_ctx ctx = { 0, 5, 0 };
				char rlog[512] = "";
				IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
					  .log_buf = rlog, .log_size = sizeof(rlog));
				int rr = ibpf_prog_test_run_opts(p, &o);
				if (rr != -EACCES) {
					fprintf(stderr, "  %s: run returned %d, want -EACCES (%s)\n",
						what, rr, rlog);
					test_failed = 1;
				}
			}
			ibpf_object__close(obj);
		}
}

#define NBAD(a) (sizeof(a) / sizeof((a)[0]))

/* =========================================================================
 * The seed's programs (examples/), through the library
 * ========================================================================= */

/* The toy selftest: foo = x odd ? foo_1 : foo_2; ret_user = foo(x). */
TEST(callx_seed_toy_verifies_and_runs)
{
	for (int v = 0; v < NVARIANTS; v++) {
		struct ibpf_object *obj = open_obj("simple_test", variants[v]);
		uint64_t x;

		CHECK(obj);
		CHECK(verify_ok(obj, "simple_test", variants[v], "simple_test"));
		x = 7;          /* odd: foo_1(x) = x + 100 */
		CHECK(run_expect(obj, "simple_test", variants[v], "simple_test", &x, 8, OUT_BSS, 0, 107));
		x = 8;          /* even: foo_2(x) = x * 3 */
		CHECK(run_expect(obj, "simple_test", variants[v], "simple_test", &x, 8, OUT_BSS, 0, 24));
		ibpf_object__close(obj);
	}
	/* One branch per path: each callx line names the one target it has. */
	check_target_sets("simple_test", "simple_test", SETS(SET("foo_1"), SET("foo_2")));
}

static int calculon_run(struct ibpf_object *obj, const char *variant, const char *expr,
			int64_t want_ret, int64_t want)
{
	struct ibpf_map *in = ibpf_object__find_map_by_name(obj, "calculon_input");
	struct { uint64_t n; int64_t result; } ctx = { strlen(expr), (int64_t)SENTINEL };

	if (!in)
		return 0;
	for (uint32_t i = 0; expr[i]; i++) {
		uint8_t ch = (uint8_t)expr[i];
		if (ibpf_map__update_elem(in, &i, 4, &ch, 1, 0))
			return 0;
	}
	return run_expect(obj, "calculon", variant, "calculon", &ctx, sizeof(ctx), OUT_CTX8,
			  want_ret, (uint64_t)want);
}

TEST(callx_seed_calculon_verifies_and_runs)
{
	for (int v = 0; v < NVARIANTS; v++) {
		struct ibpf_object *obj = open_obj("calculon", variants[v]);
		char *log = NULL;
		int rc;

		CHECK(obj);
		rc = verify(ibpf_object__find_program_by_name(obj, "calculon"), 0, &log);
		if (rc) {
			fprintf(stderr, "  FALSE REJECT calculon%s: %d\n", variants[v], rc);
			print_tail(log, 8);
		}
		free(log);
		CHECK_EQ(rc, 0);
		CHECK(calculon_run(obj, variants[v], "1234567++++++", 0, 28));
		CHECK(calculon_run(obj, variants[v], "2222222******", 0, 128));
		CHECK(calculon_run(obj, variants[v],
				   "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+", 0, 11));
		CHECK(calculon_run(obj, variants[v], "12-", 0, 1));       /* top - next */
		CHECK(calculon_run(obj, variants[v], "1+", -1, SENTINEL)); /* underflow */
		ibpf_object__close(obj);
	}
}

/* The three table_test forms: ctx { i, x }; ret_user = foo[i](x) with
 * foo_1(x) = x + 100, foo_2(x) = x * 3; i >= 2 -> -22, ret_user untouched. */
TEST(callx_seed_table_test_three_forms)
{
	static const char *const progs[] = { "table_lookup", "table_index", "table_stack" };

	for (int v = 0; v < NVARIANTS; v++) {
		struct ibpf_object *obj = open_obj("table_test", variants[v]);

		CHECK(obj);
		for (int k = 0; k < 3; k++) {
			uint64_t c0[2] = { 0, 5 }, c1[2] = { 1, 5 }, c2[2] = { 2, 5 };
			uint64_t c_big[2] = { 1ull << 33, 5 };

			if (!verify_ok(obj, "table_test", variants[v], progs[k])) {
				test_failed = 1;
				continue;
			}
			if (!run_expect(obj, "table_test", variants[v], progs[k], c0, 16, OUT_BSS, 0, 105) ||
			    !run_expect(obj, "table_test", variants[v], progs[k], c1, 16, OUT_BSS, 0, 15) ||
			    !run_expect(obj, "table_test", variants[v], progs[k], c2, 16, OUT_BSS, -22,
					SENTINEL))
				test_failed = 1;
			/* table_lookup keys with the low 32 bits of i (a 4-byte key):
			 * i = 2^33 is key 0.  The others bound the whole of i. */
			if (!run_expect(obj, "table_test", variants[v], progs[k], c_big, 16, OUT_BSS,
					k == 0 ? 0 : -22, k == 0 ? 105 : SENTINEL))
				test_failed = 1;
		}
		ibpf_object__close(obj);
	}
	/* The stack form: one callx line with the union of both slots. */
	check_target_sets("table_test", "table_stack", SETS(SET("foo_1", "foo_2")));
	check_target_sets("table_test", "table_lookup", SETS(SET("foo_1", "foo_2")));
	check_target_sets("table_test", "table_index", SETS(SET("foo_1", "foo_2")));
}

/* Upstream's form: static const struct ops vt[] = {{7, f1}, {9, f2}, {11, f3}}
 * in .rodata; ret_user = vt[i].tag * scale[i] + vt[i].fn(x). */
TEST(callx_seed_rodata_ops_table)
{
	static const struct { const char *prog; uint64_t i; int64_t ret; uint64_t out; } c[] = {
		{ "rodata_ops", 0, 0, 13 }, { "rodata_ops", 1, 0, 100 },
		{ "rodata_ops", 2, 0, 1125 }, { "rodata_ops", 3, -22, SENTINEL },
		{ "table_init", 0, 0, 6 }, { "table_init", 1, 0, 10 },
		{ "table_init", 2, -22, SENTINEL },
	};

	for (int v = 0; v < NVARIANTS; v++) {
		struct ibpf_object *obj = open_obj("rodata_ops", variants[v]);

		CHECK(obj);
		CHECK(verify_ok(obj, "rodata_ops", variants[v], "rodata_ops"));
		CHECK(verify_ok(obj, "rodata_ops", variants[v], "table_init"));
		for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
			uint64_t ctx[2] = { c[k].i, 5 };
			if (!run_expect(obj, "rodata_ops", variants[v], c[k].prog, ctx, 16, OUT_BSS,
					c[k].ret, c[k].out))
				test_failed = 1;
		}
		ibpf_object__close(obj);
	}
	/* vt[i].fn with i < 3: exactly f1, f2, f3 (the tag slots and scale[]
	 * are data). */
	check_target_sets("rodata_ops", "rodata_ops", SETS(SET("f1", "f2", "f3")));
	check_target_sets("rodata_ops", "table_init", SETS(SET("f1", "f2")));
}

/* =========================================================================
 * Good programs (tests/progs/callx_*.bpf.c)
 * f_inc(x) = x + 1, f_dbl(x) = x * 2, f_sq(x) = x * x, f_neg(x) = 1000 - x
 * ========================================================================= */

TEST(callx_fptr_spilled_and_filled)
{
	CASES(c,
	      { "spill_fill", 1, 5, 0, 6 }, { "spill_fill", 0, 5, 0, 10 },
	      { "spill_fill", 3, 7, 0, 8 },
	      { "spill_helper", 1, 5, 0, 6 }, { "spill_helper", 0, 5, 0, 10 });
	check_cases("callx_good", c, NCASES(c));
}

/* A variable-offset read over stack slots that all hold function pointers:
 * the union of their targets, no more. */
TEST(callx_stack_array_variable_index_union)
{
	CASES(c,
	      { "stack_union", 0, 5, 0, 6 }, { "stack_union", 1, 5, 0, 10 },
	      { "stack_union", 2, 5, 0, 25 }, { "stack_union", 3, 5, 0, 995 },
	      { "stack_union", 4, 5, -22, SENTINEL },
	      { "stack_mask", 0, 5, 0, 6 }, { "stack_mask", 3, 5, 0, 995 },
	      { "stack_mask", 6, 5, 0, 25 },
	      { "stack_half", 0, 5, 0, 25 }, { "stack_half", 1, 5, 0, 995 },
	      { "stack_half", 2, 5, 0, 25 });
	check_cases("callx_good", c, NCASES(c));
	check_target_sets("callx_good", "stack_union",
			  SETS(SET("f_inc", "f_dbl", "f_sq", "f_neg")));
	check_target_sets("callx_good", "stack_mask",
			  SETS(SET("f_inc", "f_dbl", "f_sq", "f_neg")));
	/* 2 + (i & 1): only slots 2 and 3 are reachable. */
	check_target_sets("callx_good", "stack_half", SETS(SET("f_sq", "f_neg")));
}

TEST(callx_table_lookup_null_checked)
{
	CASES(c,
	      { "null_check", 0, 5, 0, 6 }, { "null_check", 1, 5, 0, 10 },
	      { "null_check", 2, 5, 0, 25 }, { "null_check", 3, 5, 0, 995 },
	      { "null_check", 4, 5, -22, SENTINEL }, { "null_check", 1000, 5, -22, SENTINEL },
	      { "null_check", 1ull << 32 | 1, 5, 0, 10 },     /* 4-byte key: 1 */
	      { "null_else", 2, 5, 0, 25 }, { "null_else", 4, 5, 0, 77 });
	check_cases("callx_good", c, NCASES(c));
	check_target_sets("callx_good", "null_check",
			  SETS(SET("f_inc", "f_dbl", "f_sq", "f_neg")));
}

TEST(callx_table_direct_index)
{
	CASES(c,
	      { "table_mask", 0, 5, 0, 6 }, { "table_mask", 1, 5, 0, 10 },
	      { "table_mask", 2, 5, 0, 25 }, { "table_mask", 7, 5, 0, 995 },
	      { "table_half", 0, 5, 0, 25 }, { "table_half", 1, 5, 0, 995 });
	check_cases("callx_good", c, NCASES(c));
	check_target_sets("callx_good", "table_mask",
			  SETS(SET("f_inc", "f_dbl", "f_sq", "f_neg")));
	/* "the targets the index range can reach": entries 2 and 3 only. */
	check_target_sets("callx_good", "table_half", SETS(SET("f_sq", "f_neg")));
}

/* .rodata structs mixing two function pointers and two data fields: each
 * pointer field yields its own column's targets, the data stays scalar. */
TEST(callx_rodata_struct_fields)
{
	CASES(c,
	      { "rodata_fields", 0, 5, 0, 31 }, { "rodata_fields", 1, 5, 0, 1044 },
	      { "rodata_fields", 2, 5, -22, SENTINEL });
	check_cases("callx_good", c, NCASES(c));
	check_target_sets("callx_good", "rodata_fields",
			  SETS(SET("f_inc", "f_sq"), SET("f_dbl", "f_neg")));
}

/* A callee stores a function pointer into its caller's stack slot. */
TEST(callx_fptr_out_parameter)
{
	CASES(c, { "out_param", 1, 5, 0, 7 }, { "out_param", 0, 5, 0, 10 });
	check_cases("callx_good", c, NCASES(c));
}

/* void targets set no r0 (clang emits none); the kernel accepts a static
 * subprogram like that as long as nobody reads r0 after the call. */
TEST(callx_void_targets)
{
	CASES(c, { "void_target", 1, 5, 0, 6 }, { "void_target", 0, 5, 0, 10 });
	check_cases("callx_good", c, NCASES(c));
}

/* A table entry or a spilled pointer given to bpf_loop as the callback;
 * ret = iterations, out = sum of i (cb_add) or i*i (cb_sq) for i < x. */
TEST(callx_bpf_loop_callback_from_table)
{
	CASES(c,
	      { "loop_lookup", 0, 10, 10, 45 }, { "loop_lookup", 1, 10, 10, 285 },
	      { "loop_lookup", 2, 10, -22, SENTINEL },
	      { "loop_index", 0, 10, 10, 45 }, { "loop_index", 3, 10, 10, 285 },
	      { "loop_spill", 0, 10, 10, 45 }, { "loop_spill", 1, 10, 10, 285 },
	      { "loop_spill", 1, 0, 0, 0 });
	check_cases("callx_loop", c, NCASES(c));
}

/* Global (non-static) functions as targets: g_triple(x) = 3x (global),
 * s_inc(x) = x + 1 (static), g_sum(&pair) = a + b (global, pointer arg). */
TEST(callx_global_function_targets)
{
	CASES(c,
	      { "global_select", 1, 5, 0, 15 }, { "global_select", 0, 5, 0, 6 },
	      { "global_table", 0, 5, 0, 15 }, { "global_table", 1, 5, 0, 6 },
	      { "global_table", 2, 5, -22, SENTINEL },
	      { "global_ptr_arg", 2, 5, 0, 7 });
	check_cases("callx_global", c, NCASES(c));
}

/* Several SEC("callx") tables in one object are several tables: a lookup
 * past the end of tab_a is NULL, not tab_b's first entry, and a lookup
 * in tab_b (not the first table of the section) works. */
TEST(callx_several_tables_in_one_object)
{
	CASES(c,
	      { "lookup_a", 0, 5, 0, 6 }, { "lookup_a", 1, 5, 0, 10 },
	      { "lookup_a", 2, 5, -22, SENTINEL }, { "lookup_a", 6, 5, -22, SENTINEL },
	      { "lookup_b", 0, 5, 0, 25 }, { "lookup_b", 1, 5, 0, 995 },
	      { "lookup_b", 2, 5, 0, 6 }, { "lookup_b", 3, 5, -22, SENTINEL },
	      { "index_b", 0, 5, 0, 25 }, { "index_b", 2, 5, 0, 6 },
	      { "index_b", 3, 5, -22, SENTINEL },
	      { "vtable_sibling", 0, 5, 0, 8 }, { "vtable_sibling", 1, 5, 0, 16 });
	check_cases("callx_tables", c, NCASES(c));
	check_target_sets("callx_tables", "lookup_a", SETS(SET("f_inc", "f_dbl")));
	check_target_sets("callx_tables", "index_b", SETS(SET("f_sq", "f_neg", "f_inc")));
}

/* 192 bytes in main + 256 in the deepest target fit in 512; 8 frames fit. */
TEST(callx_stack_depth_and_frames_within_limits)
{
	CASES(c,
	      { "depth_ok", 1, 5, 0, 15 }, { "depth_ok", 0, 5, 0, 9 },
	      { "frames_ok", 0, 5, 0, 12 });
	check_cases("callx_depth", c, NCASES(c));
}

/* =========================================================================
 * Bad programs: each rejected, with its message
 * ========================================================================= */

/* Tails of two long lines of ibpf's own. */
#define NOT_CALLABLE " (a function pointer loaded from writable memory or changed by " \
	"arithmetic is not callable)"
#define STORE_HINT ": user space could read or change it; keep function pointers on the " \
	"stack, in const tables or in SEC(\"callx\")"

/* callx on anything but a known function pointer. */
TEST(callx_rejects_non_function_pointers)
{
	static const struct bad_case bad[] = {
		{ "callx_bad", "bad_scalar",
		  BOTH(3, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad_asm", "asm_const",
		  BOTH(3, "callx R3: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad_asm", "asm_uninit", BOTH(0, "R7 !read_ok") },
		/* writable memory: user space may have written anything there */
		{ "callx_bad", "bad_map_load",
		  BOTH(12, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad", "bad_bss_load",
		  BOTH(5, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad", "bad_data_load",
		  BOTH(5, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad", "bad_null",
		  BOTH(9, "callx R0: the function pointer may be NULL; check it first") },
		/* a .rodata data field that holds a function's byte offset */
		{ "callx_bad", "bad_rodata_tag",
		  EACH(11, "callx R3: expected a function pointer, got scalar" NOT_CALLABLE,
		       10, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		/* a stack array where one slot holds a number */
		{ "callx_bad", "bad_stack_mixed",
		  BOTH(12, "variable-offset read from stack off [-16, -8] mixes function pointers "
		       "and data: a function pointer may not become a number") },
	};
	check_rejected(bad, NBAD(bad));
}

/* A function pointer is opaque: no arithmetic, no partial copies, no
 * comparisons but with 0, and a spill slot that is overwritten, in part or
 * whole, by the program, a callee or a callback no longer holds it. */
TEST(callx_rejects_changed_function_pointers)
{
	static const struct bad_case bad[] = {
		{ "callx_bad", "bad_arith",
		  EACH(11, "R0 arithmetic on a function pointer is prohibited",
		       12, "R7 arithmetic on a function pointer is prohibited") },
		{ "callx_bad_asm", "asm_arith",
		  BOTH(4, "R3 arithmetic on a function pointer is prohibited") },
		{ "callx_bad_asm", "asm_arith_back",
		  BOTH(4, "R3 arithmetic on a function pointer is prohibited") },
		{ "callx_bad_asm", "asm_neg",
		  BOTH(2, "R3 arithmetic on a function pointer is prohibited") },
		{ "callx_bad_asm", "asm_spill_partial", BOTH(5, "invalid size of register fill") },
		{ "callx_bad_asm", "asm_spill_corrupt",
		  BOTH(6, "attempt to corrupt spilled pointer on stack") },
		{ "callx_bad_asm", "asm_spill_overwrite",
		  BOTH(8, "callx R3: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad_asm", "asm_atomic_add",
		  BOTH(6, "BPF_ATOMIC on a spilled pointer (func) is not allowed") },
		{ "callx_bad_asm", "asm_varoff_clobber",
		  BOTH(9, "variable-offset write may corrupt a spilled function pointer on "
			  "stack") },
		{ "callx_bad", "bad_clobber_callee",
		  BOTH(12, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx_bad", "bad_loop_clobber",
		  BOTH(13, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
	};
	check_rejected(bad, NBAD(bad));
}

/* Storing a function pointer where user space can read it: maps, ctx,
 * globals (the message points to const tables and SEC("callx")), helper
 * arguments, the return value; nor can a frozen table or .rodata change. */
TEST(callx_rejects_leaking_function_pointers)
{
	static const struct bad_case bad[] = {
		{ "callx_bad", "bad_store_map",
		  BOTH(17, "R1 storing a function pointer into map_value is not allowed"
			 STORE_HINT) },
		{ "callx_bad", "bad_store_update",
		  BOTH(17, "R3 points to a function pointer that bpf_map_update_elem would copy "
			   "into map 'fp_map', where user space can read it") },
		{ "callx_bad", "bad_store_ctx",
		  BOTH(7, "R2 storing a function pointer into ctx is not allowed") },
		{ "callx_bad", "bad_store_bss",
		  BOTH(10, "R1 storing a function pointer into map_value is not allowed"
			 STORE_HINT) },
		{ "callx_bad", "bad_store_data",
		  BOTH(10, "R1 storing a function pointer into map_value is not allowed"
			 STORE_HINT) },
		{ "callx_bad", "bad_ret_fp",
		  BOTH(7, "R0 leaks a function pointer as return value") },
		{ "callx_bad", "bad_printk",
		  BOTH(12, "R3 leaks addr into helper function: a function pointer is opaque") },
		{ "callx_bad", "bad_store_table",
		  BOTH(9, "R1 storing a function pointer into map_value is not allowed"
			  STORE_HINT) },
		{ "callx_bad", "bad_store_rodata",
		  BOTH(3, "write into map forbidden, value_size=46 off=8 size=8") },
		/* no part of the pointer's representation may reach user space */
		{ "callx_bad_asm", "asm_leak_partial", BOTH(3, "invalid size of register fill") },
		{ "callx_bad_asm", "asm_leak_byte", BOTH(3, "invalid size of register fill") },
		{ "callx_bad_asm", "asm_leak_overwrite",
		  BOTH(4, "attempt to corrupt spilled pointer on stack") },
		{ "callx_bad_asm", "asm_spill_u32", BOTH(2, "invalid size of register spill") },
		{ "callx_bad_asm", "asm_varoff_store",
		  BOTH(9, "R3 variable-offset store of a function pointer to the stack is not "
			  "allowed") },
		{ "callx_bad_asm", "asm_cmp_const",
		  BOTH(3, "R3 pointer comparison prohibited: a function pointer may only be "
			  "compared with 0") },
		{ "callx_bad_asm", "asm_mov32", BOTH(2, "R3 partial copy of a function pointer") },
	};
	check_rejected(bad, NBAD(bad));
}

/* Every target is verified in the caller's state: one that reads an
 * argument the caller did not set, one whose result the caller uses as a
 * pointer (alone, or next to a target that does return a pointer), one the
 * pruning must not skip. */
TEST(callx_rejects_targets_unfit_for_the_call_site)
{
	static const struct bad_case bad[] = {
		{ "callx_bad_asm", "asm_unset_arg", BOTH(6, "R2 !read_ok") },
		{ "callx_bad", "bad_ret_deref", BOTH(7, "R0 invalid mem access 'scalar'") },
		{ "callx_bad", "bad_ret_mixed", BOTH(10, "R0 invalid mem access 'scalar'") },
		{ "callx_bad", "bad_prune_reg", BOTH(15, "R1 invalid mem access 'scalar'") },
		{ "callx_bad", "bad_prune_stack", BOTH(21, "R1 invalid mem access 'scalar'") },
	};
	check_rejected(bad, NBAD(bad));
}

/* A global target is checked against its BTF signature at the call site,
 * not verified in the caller's state (as the kernel treats a direct call
 * to a global function). */
TEST(callx_rejects_global_target_signature_mismatch)
{
	static const struct bad_case bad[] = {
		{ "callx_bad_global", "bad_global_ptr_arg", BOTH(11, "R1 is not a scalar") },
		{ "callx_bad_global", "bad_global_ret_known",
		  BOTH(33, "math between fp pointer and register with unbounded min value is not "
			   "allowed") },
	};
	check_rejected(bad, NBAD(bad));
}

TEST(callx_rejects_recursion_through_pointers)
{
	static const struct bad_case bad[] = {
		{ "callx_recursion", "rec_mutual",
		  BOTH(16, "recursive call from r_g() to r_f() at insn 16") },
		{ "callx_recursion", "rec_self",
		  BOTH(14, "recursive call from r_self() to r_self() at insn 14") },
		{ "callx_recursion", "rec_table",
		  BOTH(19, "recursive call from t_f() to t_f() at insn 19") },
		{ "callx_recursion", "rec_callback",
		  BOTH(25, "recursive call from rec_cb() to loop_sub() at insn 25") },
	};
	check_rejected(bad, NBAD(bad));
}

/* 320 bytes in main + 256 in the deepest target; 9 frames. */
TEST(callx_rejects_stack_overflow_via_deepest_target)
{
	static const struct bad_case bad[] = {
		{ "callx_depth", "depth_too_big",
		  BOTH(36, "combined stack size of 2 calls is 576. Too large") },
		{ "callx_depth", "depth_table_too_big",
		  BOTH(35, "combined stack size of 2 calls is 592. Too large") },
		{ "callx_depth", "frames_too_deep",
		  BOTH(57, "the call stack of 9 frames is too deep !") },
	};
	check_rejected(bad, NBAD(bad));
}

TEST(callx_rejects_unbounded_table_index)
{
	static const struct bad_case bad[] = {
		{ "callx_bad", "bad_index_table",
		  BOTH(5, "math between map_value pointer and register with unbounded min value "
			  "is not allowed") },
		{ "callx_bad", "bad_index_stack",
		  BOTH(11, "math between fp pointer and register with unbounded min value is not "
			   "allowed") },
		{ "callx_bad", "bad_index_rodata",
		  BOTH(5, "math between map_value pointer and register with unbounded min value "
			  "is not allowed") },
	};
	check_rejected(bad, NBAD(bad));
}

TEST(callx_rejects_bad_loop_callbacks)
{
	static const struct bad_case bad[] = {
		{ "callx_bad_loop", "bad_loop_cb_ret",
		  BOTH(15, "At callback return the register R0 has smin=2 smax=2 should have "
			   "been in [0, 1]") },
		{ "callx_bad_loop", "bad_loop_scalar", BOTH(4, "R2 type=scalar expected=func") },
		{ "callx_bad_loop", "bad_loop_null",
		  BOTH(11, "R2 type=func_or_null expected=func") },
	};
	check_rejected(bad, NBAD(bad));
}
