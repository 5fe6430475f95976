/* test_api.c - the library's API contract: options structs from callers built
 * against an older (shorter) header.  The library must read such a struct as
 * if the missing fields were zero and must write a result field only when it
 * lies entirely within the caller's sz; the bytes after the caller's struct
 * belong to the caller. */
#include <stddef.h>
#include <stdlib.h>
#include <ibpf/ibpf.h>
#include "test.h"

#define CANARY 0xa5
#define SLACK 64

/* A caller's options struct of `sz` bytes at the start of a bigger buffer
 * that is otherwise filled with the canary. */
union run_buf {
	struct ibpf_test_run_opts o;
	unsigned char b[sizeof(struct ibpf_test_run_opts) + SLACK];
};
union verify_buf {
	struct ibpf_verify_opts o;
	unsigned char b[sizeof(struct ibpf_verify_opts) + SLACK];
};

static int canary_intact(const unsigned char *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i] != CANARY) {
			fprintf(stderr, "  byte %zu after the caller's struct was overwritten "
				"(0x%02x)\n", i, b[i]);
			return 0;
		}
	return 1;
}

static struct ibpf_object *open_simple(struct ibpf_program **prog)
{
	struct ibpf_object *obj = ibpf_object__open_file(test_obj("simple_test.o"), NULL);
	*prog = obj ? ibpf_object__find_program_by_name(obj, "simple_test") : NULL;
	return obj;
}

/* Run simple_test (ctx x = 7) with the caller's struct cut to sz bytes;
 * returns the run's error code. */
static int run_truncated(struct ibpf_program *prog, union run_buf *u, size_t sz,
			 uint64_t *ctx, uint64_t *ctx_out)
{
	IBPF_OPTS(ibpf_test_run_opts, full, .ctx_in = ctx, .ctx_size_in = sizeof(*ctx),
		  .ctx_out = ctx_out, .ctx_size_out = sizeof(*ctx_out));

	memset(u->b, CANARY, sizeof(u->b));
	memcpy(u->b, &full, sz);
	u->o.sz = sz;
	return ibpf_prog_test_run_opts(prog, &u->o);
}

TEST(api_run_opts_truncated_keeps_caller_bytes)
{
	struct ibpf_program *prog;
	struct ibpf_object *obj = open_simple(&prog);
	uint64_t ctx = 7, ctx_out = 0;
	union run_buf u;
	/* Each cut point: the first result field it excludes is left alone, and so
	 * is everything after it. */
	static const size_t cuts[] = {
		offsetof(struct ibpf_test_run_opts, retval),
		offsetof(struct ibpf_test_run_opts, duration),
		offsetof(struct ibpf_test_run_opts, trace_len),
	};

	CHECK(obj && prog);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		CHECK_EQ(run_truncated(prog, &u, cuts[i], &ctx, &ctx_out), 0);
		CHECK(canary_intact(u.b, cuts[i], sizeof(u.b)));
		/* Fields inside the struct are still written. */
		CHECK_EQ(u.o.ctx_size_out, sizeof(ctx));
		if (cuts[i] > offsetof(struct ibpf_test_run_opts, retval))
			CHECK_EQ(u.o.retval, 0);
	}
	ibpf_object__close(obj);
}

TEST(api_run_opts_truncated_before_ctx_size_out)
{
	struct ibpf_program *prog;
	struct ibpf_object *obj = open_simple(&prog);
	uint64_t ctx = 7, ctx_out = 0x1234;
	size_t sz = offsetof(struct ibpf_test_run_opts, ctx_size_out);
	union run_buf u;

	CHECK(obj && prog);
	CHECK_EQ(run_truncated(prog, &u, sz, &ctx, &ctx_out), 0);
	/* ctx_size_out (the capacity) is missing, so it reads as 0: nothing is
	 * copied out and neither it nor anything after it is written. */
	CHECK(canary_intact(u.b, sz, sizeof(u.b)));
	CHECK_EQ(ctx_out, 0x1234);
	ibpf_object__close(obj);
}

TEST(api_run_opts_full_size_gets_results)
{
	struct ibpf_program *prog;
	struct ibpf_object *obj = open_simple(&prog);
	uint64_t ctx = 7, ctx_out = 0;
	union run_buf u;
	size_t sz = sizeof(struct ibpf_test_run_opts);

	CHECK(obj && prog);
	CHECK_EQ(run_truncated(prog, &u, sz, &ctx, &ctx_out), 0);
	/* The results replaced the canary, the bytes after the struct did not. */
	CHECK_EQ(u.o.retval, 0);
	CHECK_EQ(u.o.trace_len, 0);
	CHECK(u.o.duration < 0xa5a5a5a5a5a5a5a5ull);
	CHECK_EQ(u.o.ctx_size_out, sizeof(ctx));
	CHECK_EQ(ctx_out, 7);
	CHECK(canary_intact(u.b, sz, sizeof(u.b)));
	ibpf_object__close(obj);
}

TEST(api_verify_opts_truncated_keeps_caller_bytes)
{
	struct ibpf_program *prog;
	struct ibpf_object *obj = open_simple(&prog);
	size_t sz = offsetof(struct ibpf_verify_opts, insn_processed);
	union verify_buf u;

	CHECK(obj && prog);
	memset(u.b, CANARY, sizeof(u.b));
	memset(&u.o, 0, sz);
	u.o.sz = sz;
	CHECK_EQ(ibpf_program__verify(prog, &u.o), 0);
	CHECK(canary_intact(u.b, sz, sizeof(u.b)));

	/* Cut after insn_processed: that one is written, the rest is not. */
	sz = offsetof(struct ibpf_verify_opts, max_states_per_insn);
	memset(u.b, CANARY, sizeof(u.b));
	memset(&u.o, 0, sz);
	u.o.sz = sz;
	CHECK_EQ(ibpf_program__verify(prog, &u.o), 0);
	CHECK(u.o.insn_processed > 0 && u.o.insn_processed < 1000);
	CHECK(canary_intact(u.b, sz, sizeof(u.b)));
	ibpf_object__close(obj);
}

TEST(api_verify_opts_full_size_gets_results)
{
	struct ibpf_program *prog;
	struct ibpf_object *obj = open_simple(&prog);
	size_t sz = sizeof(struct ibpf_verify_opts);
	union verify_buf u;

	CHECK(obj && prog);
	memset(u.b, CANARY, sizeof(u.b));
	memset(&u.o, 0, offsetof(struct ibpf_verify_opts, insn_processed));
	u.o.sz = sz;
	CHECK_EQ(ibpf_program__verify(prog, &u.o), 0);
	CHECK(u.o.insn_processed > 0 && u.o.insn_processed < 1000);
	CHECK(u.o.total_states < 1000 && u.o.peak_states < 1000);
	CHECK_EQ(u.o.err_insn, -1);
	CHECK(canary_intact(u.b, sz, sizeof(u.b)));
	ibpf_object__close(obj);
}
