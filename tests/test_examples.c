/* test_examples.c - the seed's programs, compiled by clang-19 and clang-14,
 * loaded and run through the library. */
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "test.h"

static const char *const compilers[] = { "", ".clang14" };

static struct ibpf_object *open_example(const char *name, const char *variant)
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

/* Run a verified program on the default engine (the JIT) and again in
 * checked mode: checked mode must never fire on an accepted program (the
 * verifier's promises hold at run time) and both must agree. */
static int run_prog(struct ibpf_program *p, void *ctx, uint32_t ctx_size, uint64_t *retval)
{
	char log[512] = "";
	uint8_t checked_ctx[256];
	int rc;

	if (ctx_size > sizeof(checked_ctx))
		return -E2BIG;
	memcpy(checked_ctx, ctx, ctx_size);
	IBPF_OPTS(ibpf_test_run_opts, c, .ctx_in = checked_ctx, .ctx_size_in = ctx_size,
		  .ctx_out = checked_ctx, .ctx_size_out = ctx_size, .flags = IBPF_RUN_CHECKED,
		  .log_buf = log, .log_size = sizeof(log));
	rc = ibpf_prog_test_run_opts(p, &c);
	if (rc) {
		fprintf(stderr, "  checked run of %s fired: %d %s\n", ibpf_program__name(p), rc, log);
		return rc;
	}
	/* The self-check: what the verifier proved holds at every instruction. */
	uint8_t sc_ctx[256];
	memcpy(sc_ctx, ctx, ctx_size);
	IBPF_OPTS(ibpf_test_run_opts, sc, .ctx_in = sc_ctx, .ctx_size_in = ctx_size,
		  .ctx_out = sc_ctx, .ctx_size_out = ctx_size, .flags = IBPF_RUN_SELF_CHECK,
		  .log_buf = log, .log_size = sizeof(log));
	/* on the interpreter, then on the JIT's self-check build */
	for (int e = 0; e < 2; e++) {
		memcpy(sc_ctx, ctx, ctx_size);
		sc.engine = e ? IBPF_ENGINE_JIT : IBPF_ENGINE_INTERP;
		rc = ibpf_prog_test_run_opts(p, &sc);
		if (rc || sc.retval != c.retval || memcmp(sc_ctx, checked_ctx, ctx_size)) {
			fprintf(stderr, "  %sself-check run of %s: %d %s\n", e ? "JIT " : "",
				ibpf_program__name(p), rc, log);
			return rc ? rc : -EDOM;
		}
	}
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = ctx_size,
		  .ctx_out = ctx, .ctx_size_out = ctx_size, .log_buf = log, .log_size = sizeof(log));
	rc = ibpf_prog_test_run_opts(p, &o);
	if (rc)
		fprintf(stderr, "  run %s: %d %s\n", ibpf_program__name(p), rc, log);
	else if (o.retval != c.retval || memcmp(ctx, checked_ctx, ctx_size)) {
		fprintf(stderr, "  %s: verified and checked runs disagree\n", ibpf_program__name(p));
		rc = -EDOM;
	}
	*retval = o.retval;
	return rc;
}

static uint64_t bss_u64(struct ibpf_object *obj)
{
	struct ibpf_map *m = ibpf_object__find_map_by_name(obj, ".bss");
	uint32_t k = 0;
	uint64_t v = 0;
	if (m && ibpf_map__value_size(m) >= 8) {
		uint8_t buf[ibpf_map__value_size(m)];
		if (!ibpf_map__lookup_elem(m, &k, 4, buf, sizeof(buf), 0))
			memcpy(&v, buf, 8);
	}
	return v;
}

TEST(simple_test_links_like_libbpf)
{
	for (int c = 0; c < 2; c++) {
		struct ibpf_object *obj = open_example("simple_test", compilers[c]);
		struct ibpf_program *p;
		struct ibpf_subprog_info si;
		const struct bpf_insn *in;

		CHECK(obj);
		p = ibpf_object__find_program_by_name(obj, "simple_test");
		CHECK(p);
		/* foo_2 is referenced first (insn 3), so it is appended first. */
		CHECK_EQ(ibpf_program__subprog_cnt(p), 3);
		CHECK_EQ(ibpf_program__subprog(p, 1, &si), 0);
		CHECK(!strcmp(si.name, "foo_2"));
		CHECK_EQ(si.start, 14);
		CHECK_EQ(ibpf_program__subprog(p, 2, &si), 0);
		CHECK(!strcmp(si.name, "foo_1"));
		CHECK_EQ(si.start, 17);
		in = ibpf_program__insns(p);
		CHECK_EQ(in[3].src_reg, BPF_PSEUDO_FUNC);
		CHECK_EQ(in[3].imm, 10);
		CHECK_EQ(in[6].src_reg, BPF_PSEUDO_FUNC);
		CHECK_EQ(in[6].imm, 10);
		CHECK_EQ(in[8].code, 0x8d);
		CHECK_EQ(in[9].src_reg, BPF_PSEUDO_MAP_VALUE);
		ibpf_object__close(obj);
	}
}

TEST(simple_test_runs)
{
	for (int c = 0; c < 2; c++) {
		struct ibpf_object *obj = open_example("simple_test", compilers[c]);
		uint64_t ctx, r;

		CHECK(obj);
		struct ibpf_program *p = ibpf_object__next_program(obj, NULL);
		ctx = 7;        /* odd: foo_1(x) = x + 100 */
		CHECK_EQ(run_prog(p, &ctx, 8, &r), 0);
		CHECK_EQ(r, 0);
		CHECK_EQ(bss_u64(obj), 107);
		ctx = 8;        /* even: foo_2(x) = x * 3 */
		CHECK_EQ(run_prog(p, &ctx, 8, &r), 0);
		CHECK_EQ(bss_u64(obj), 24);
		ibpf_object__close(obj);
	}
}

/* Fill calculon_input with an expression and run; returns the result. */
static int calculon(struct ibpf_object *obj, const char *expr, int64_t *result, uint64_t *ret)
{
	struct ibpf_map *in = ibpf_object__find_map_by_name(obj, "calculon_input");
	struct { uint64_t n; int64_t result; } ctx = { strlen(expr), 0 };

	if (!in)
		return -ENOENT;
	for (uint32_t i = 0; expr[i]; i++) {
		uint8_t ch = (uint8_t)expr[i];
		int rc = ibpf_map__update_elem(in, &i, 4, &ch, 1, 0);
		if (rc)
			return rc;
	}
	int rc = run_prog(ibpf_object__next_program(obj, NULL), &ctx, sizeof(ctx), ret);
	*result = ctx.result;
	return rc;
}

TEST(calculon_both_dispatches_both_compilers)
{
	static const struct { const char *expr; int64_t want; } cases[] = {
		{ "1234567++++++", 28 },
		{ "2222222******", 128 },
		{ "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+", 11 },
		{ "9", 9 },
		{ "12-", 1 },            /* '-' is top - next: 2 - 1 */
	};
	static const char *const progs[] = { "calculon", "calculon_switch" };

	for (int pi = 0; pi < 2; pi++)
		for (int c = 0; c < 2; c++) {
			struct ibpf_object *obj = open_example(progs[pi], compilers[c]);
			CHECK(obj);
			for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
				int64_t result = 0;
				uint64_t ret = 1;
				CHECK_EQ(calculon(obj, cases[i].expr, &result, &ret), 0);
				if (ret != 0 || result != cases[i].want) {
					fprintf(stderr, "  %s%s \"%s\": ret %lld result %lld, want %lld\n",
						progs[pi], compilers[c], cases[i].expr, (long long)ret,
						(long long)result, (long long)cases[i].want);
					test_failed = 1;
				}
			}
			/* Errors: a bad character and a stack underflow return -1. */
			int64_t result;
			uint64_t ret;
			CHECK_EQ(calculon(obj, "1x", &result, &ret), 0);
			CHECK_EQ((int32_t)ret, -1);
			CHECK_EQ(calculon(obj, "1+", &result, &ret), 0);
			CHECK_EQ((int32_t)ret, -1);
			ibpf_object__close(obj);
		}
}
