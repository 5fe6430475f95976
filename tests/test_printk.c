/* test_printk.c - bpf_trace_printk never trusts the arguments its
 * prototype leaves unchecked (tests/progs/printk.bpf.c, both compilers):
 *
 *   run time     %s reads only inside the region its pointer lies in (a map
 *                value without a NUL stops at the value's end; a pointer in
 *                no region, even one at readable host memory, prints as the
 *                empty string, as the kernel prints a %s it cannot read);
 *                %p prints a hash, never the address; every accepted program
 *                gives the same output and result on the interpreter, the
 *                JIT and checked mode (and runs clean under ASan);
 *   verify time  a format in frozen .rodata is checked as the helper would
 *                read it, each rejection pinned to its instruction and line.
 * Expected outputs of the formatting cases are what the kernel (6.18)
 * printed for the same format and arguments. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "maps/maps.h"
#include "test.h"
#include "verify_expect.h"

static const char *const variants[] = { "", ".clang14" };

static const struct {
	const char *name;
	int engine;
	uint32_t flags;
} modes[] = {
	{ "interp", IBPF_ENGINE_INTERP, 0 },
	{ "jit", IBPF_ENGINE_JIT, 0 },
	{ "checked", IBPF_ENGINE_INTERP, IBPF_RUN_CHECKED },
};
#define NMODES (sizeof(modes) / sizeof(modes[0]))

/* Host memory a program must not be able to print. */
static const char host_secret[] = "HOST-SECRET";

static struct ibpf_object *open_printk(const char *variant)
{
	char file[64], log[512] = "";
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj;
	struct ibpf_map *arr, *hsh;
	uint32_t k0 = 0, k1 = 1;

	snprintf(file, sizeof(file), "printk%s.o", variant);
	obj = ibpf_object__open_file(test_obj(file), &o);
	if (!obj) {
		fprintf(stderr, "  open %s: %s\n", file, log);
		return NULL;
	}
	/* Values with no NUL: a %s of them must stop at the value's end. */
	arr = ibpf_object__find_map_by_name(obj, "arr8");
	hsh = ibpf_object__find_map_by_name(obj, "hsh8");
	if (!arr || !hsh || ibpf_map__update_elem(arr, &k0, 4, "ABCDEFGH", 8, 0) ||
	    ibpf_map__update_elem(arr, &k1, 4, "IJKLMNOP", 8, 0) ||
	    ibpf_map__update_elem(hsh, &k0, 4, "QRSTUVWX", 8, 0)) {
		fprintf(stderr, "  %s: cannot fill the maps\n", file);
		ibpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* Run `prog` in every mode with ctx = {ctx0}; each must succeed with the
 * same trace and retval.  The interpreter's are returned in trace/ret. */
static int run_all(struct ibpf_object *obj, const char *variant, const char *prog,
		   uint64_t ctx0, char *trace, size_t tsize, int32_t *ret)
{
	struct ibpf_program *p = ibpf_object__find_program_by_name(obj, prog);
	int ok = 1;

	if (!p) {
		fprintf(stderr, "  printk%s: no program %s\n", variant, prog);
		return 0;
	}
	for (size_t m = 0; m < NMODES; m++) {
		char log[512] = "", buf[512] = "";
		uint64_t ctx = ctx0;
		IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			  .engine = modes[m].engine, .flags = modes[m].flags, .log_buf = log,
			  .log_size = sizeof(log), .trace_buf = m ? buf : trace,
			  .trace_size = m ? sizeof(buf) : tsize);
		int rc = ibpf_prog_test_run_opts(p, &o);

		if (rc == -EOPNOTSUPP && strstr(log, "not available"))
			continue;       /* no JIT on this machine */
		if (rc) {
			fprintf(stderr, "  printk%s %s [%s]: run failed: %d %s\n", variant, prog,
				modes[m].name, rc, log);
			ok = 0;
			continue;
		}
		if (!m) {
			*ret = (int32_t)o.retval;
			continue;
		}
		if ((int32_t)o.retval != *ret || strcmp(buf, trace)) {
			fprintf(stderr, "  printk%s %s [%s]: retval %d trace \"%s\", interp gave "
				"%d \"%s\"\n", variant, prog, modes[m].name, (int32_t)o.retval, buf,
				*ret, trace);
			ok = 0;
		}
	}
	return ok;
}

/* Run in every mode and want exactly this trace and retval. */
static int run_want(struct ibpf_object *obj, const char *variant, const char *prog,
		    uint64_t ctx0, const char *want_trace, int32_t want_ret)
{
	char trace[512] = "";
	int32_t ret = 0;

	if (!run_all(obj, variant, prog, ctx0, trace, sizeof(trace), &ret))
		return 0;
	if (ret == want_ret && !strcmp(trace, want_trace))
		return 1;
	fprintf(stderr, "  printk%s %s: retval %d trace \"%s\", want %d \"%s\"\n", variant, prog,
		ret, trace, want_ret, want_trace);
	return 0;
}

TEST(printk_string_stays_in_its_region)
{
	for (int v = 0; v < 2; v++) {
		struct ibpf_object *obj = open_printk(variants[v]);
		CHECK(obj);
		int ok =
			/* arr8[0] to its end, not into arr8[1]; its middle; far past it */
			run_want(obj, variants[v], "pk_region", 0, "a=ABCDEFGH b=EFGH c=|\n", 21) &
			/* a hash element (found through the maps layer) */
			run_want(obj, variants[v], "pk_hash", 0, "QRSTUVWX WX|\n", 12) &
			/* a format the verifier cannot read; %s of host memory that
			 * is readable but no region of the program, and of an
			 * unmapped address */
			run_want(obj, variants[v], "pk_nonconst", (uint64_t)(uintptr_t)host_secret,
				 "s=|\n", 3) &
			run_want(obj, variants[v], "pk_nonconst", 0xdead00000000ull, "s=|\n", 3) &
			run_want(obj, variants[v], "pk_nonconst", 0, "s=|\n", 3);
		ibpf_object__close(obj);
		CHECK(ok);
	}
}

TEST(printk_formats_like_the_kernel)
{
	for (int v = 0; v < 2; v++) {
		struct ibpf_object *obj = open_printk(variants[v]);
		CHECK(obj);
		int ok = run_want(obj, variants[v], "pk_width", 0, "    1|2    |00003|\n", 18) &
			 /* unknown conversion in a format known only at run time:
			  * -EINVAL and nothing printed, as the kernel does */
			 run_want(obj, variants[v], "pk_bad_runtime", 0, "", -EINVAL);
		ibpf_object__close(obj);
		CHECK(ok);
	}
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

TEST(printk_pointer_is_hashed)
{
	for (int v = 0; v < 2; v++) {
		struct ibpf_object *obj = open_printk(variants[v]);
		CHECK(obj);
		struct ibpf_map *arr = ibpf_object__find_map_by_name(obj, "arr8");
		char trace[512] = "", addr[32], low[16];
		int32_t ret = 0;
		uint64_t host = arr ? (uint64_t)(uintptr_t)arr->data : 0;
		int ok = run_all(obj, variants[v], "pk_ptr", 0, trace, sizeof(trace), &ret);
		ibpf_object__close(obj);
		CHECK(host);
		CHECK(ok);
		/* "p=HASH q=HASH n=0000000000000000|": 16 digits, the kernel's
		 * shape (a 32-bit hash), equal pointers equal, NULL as zeros. */
		CHECK_EQ(strlen(trace), 58);
		CHECK_EQ(ret, 57);
		CHECK(!strncmp(trace, "p=00000000", 10) && is_hex(trace + 2, 16));
		CHECK(!strncmp(trace + 19, "q=", 2) && !strncmp(trace + 2, trace + 21, 16));
		CHECK(!strcmp(trace + 38, "n=0000000000000000|\n"));
		/* The value's host address appears nowhere, whole or in part. */
		snprintf(addr, sizeof(addr), "%llx", (unsigned long long)host);
		snprintf(low, sizeof(low), "%08llx", (unsigned long long)host & 0xffffffffull);
		if (strstr(trace, addr) || strstr(trace, low)) {
			fprintf(stderr, "  %%p printed the address %s: %s", addr, trace);
			test_failed = 1;
			return;
		}
	}
}

/* Rejected programs: the instruction (the call) and the exact line. */
static const struct {
	const char *prog;
	struct verify_want want;
} rejects[] = {
	{ "pk_bad_scalar", VE_REJECTED(4, "R3 type=scalar expected=fp, map_key, map_value, ctx, "
				       "mem: '%s' at offset 0 of the format reads a string from it") },
	{ "pk_bad_mapptr", VE_REJECTED(5, "R3 type=map_ptr expected=fp, map_key, map_value, ctx, "
				       "mem: '%s' at offset 0 of the format reads a string from it") },
	{ "pk_bad_unknown", VE_REJECTED(4, "Invalid format string: unknown conversion '%q' at "
					"offset 2") },
	{ "pk_bad_four", VE_REJECTED(6, "Invalid format string: more than 3 conversions ('%d' at "
				     "offset 9)") },
	{ "pk_bad_unterm", VE_REJECTED(4, "string is not zero-terminated") },
	{ "pk_bad_uninit", VE_REJECTED(4, "R4 !read_ok") },
	{ "pk_bad_follow", VE_REJECTED(13, "Invalid format string: '%s' at offset 0 must be "
				       "followed by a space, punctuation or the end") },
};

TEST(printk_format_checked_at_verification)
{
	for (int v = 0; v < 2; v++) {
		struct ibpf_object *obj = open_printk(variants[v]);
		int ok = 1;
		CHECK(obj);
		for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
			struct ibpf_program *p = ibpf_object__find_program_by_name(obj, rejects[i].prog);
			char what[64], log[256] = "";
			uint64_t ctx = 0;
			IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = 8,
				  .log_buf = log, .log_size = sizeof(log));

			snprintf(what, sizeof(what), "printk%s %s", variants[v], rejects[i].prog);
			if (!verify_expect(p, what, rejects[i].want))
				ok = 0;
			else if (ibpf_prog_test_run_opts(p, &o) != -EACCES) {
				fprintf(stderr, "  %s: a run was not refused\n", what);
				ok = 0;
			}
		}
		ibpf_object__close(obj);
		CHECK(ok);
	}
}
