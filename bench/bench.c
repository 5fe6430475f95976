/* bench.c - `make bench`: nanoseconds per calculon character.
 *
 * calculon (function pointers, callx) and calculon_switch (switch dispatch,
 * no callx) evaluate an RPN expression read from the calculon_input map.
 * Each engine runs a 1-character expression ("1") and a 1023-character one
 * ("1" followed by 511 x "1+", result 512); the cost per character is the
 * slope (t(1023) - t(1)) / 1022, which cancels the fixed cost of a run
 * (entering the engine, a syscall for the kernel).  Every time is the median
 * of several trials, each of many repeated runs.
 *
 * Columns (one row per engine, add one line to `engines` for a new one):
 *   ibpf interpreter, checked mode (IBPF_RUN_CHECKED: every access bounded)
 *   ibpf interpreter, IBPF_RUN_TRUSTED (the unchecked fast path)
 *   ibpf interpreter, flags 0 (the default: verified, then the fast path)
 *   ibpf JIT, trusted and flags 0 (n/a where the JIT or verifier is missing)
 *   the running kernel's JIT on calculon_switch (the kernel rejects callx),
 *     timed two ways: wall time around BPF_PROG_TEST_RUN, and the kernel's
 *     own bpf_prog_info.run_time_ns / run_cnt with BPF_STATS_RUN_TIME on
 * plus the kernel's load time and verified_insns for calculon_switch.
 * The kernel part is skipped with a message when bpf() is unavailable.
 *
 * This program only prints; nothing here is a timed pass/fail test.  It exits
 * 1 only when an engine computes a wrong result (a bug, not a slowness), 2 on
 * bad usage, else 0 (also when the kernel or the JIT is unavailable).
 *
 *   bench [--objdir DIR] [--trials N] [--min-ms MS]
 *
 * DIR holds calculon.o and calculon_switch.o (default build/progs).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <ibpf/ibpf.h>

#define SHORT_LEN 1
#define LONG_LEN 1023
#define EXPECT_SHORT 1
#define EXPECT_LONG 512

struct calculon_ctx {
	uint64_t n;
	int64_t result;
};

static const char *objdir = "build/progs";
static int wrong_results;     /* an engine computed a wrong answer: exit 1 */
static int trials = 5;
static double min_ms = 20;    /* a trial lasts at least this long */

/* ---- engines ------------------------------------------------------------ */

struct engine {
	const char *label;
	int engine;               /* enum ibpf_engine */
	uint32_t flags;           /* IBPF_RUN_* */
};

/* flags 0 is the library's default: verify, then run on the fast path
 * (before the verifier existed it meant checked mode). */
static const struct engine engines[] = {
	{ "ibpf interp, checked",  IBPF_ENGINE_INTERP, IBPF_RUN_CHECKED },
	{ "ibpf interp, trusted",  IBPF_ENGINE_INTERP, IBPF_RUN_TRUSTED },
	{ "ibpf interp, flags 0",  IBPF_ENGINE_INTERP, 0 },
	{ "ibpf JIT, trusted",     IBPF_ENGINE_JIT,    IBPF_RUN_TRUSTED },
	{ "ibpf JIT, flags 0",     IBPF_ENGINE_JIT,    0 },
};
#define ENGINE_CNT (sizeof(engines) / sizeof(engines[0]))

static const char *const progs[] = { "calculon", "calculon_switch" };
#define PROG_CNT 2

/* One measured cell: ns per run for both lengths, or why there is none. */
struct cell {
	int ok;
	double t_short, t_long;   /* ns per run */
	double slope;             /* ns per character */
	char why[256];
};

/* snprintf into a caller's message buffer (truncation is fine there). */
static void say(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static void cell_fail(struct cell *c, const char *fmt, ...)
{
	va_list ap;

	c->ok = 0;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static void cell_done(struct cell *c)
{
	c->ok = 1;
	c->slope = (c->t_long - c->t_short) / (LONG_LEN - SHORT_LEN);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The expression of length len: "1", or "1" + k x "1+". */
static void expression(char *buf, int len)
{
	buf[0] = '1';
	for (int i = 1; i < len; i += 2) {
		buf[i] = '1';
		buf[i + 1] = '+';
	}
	buf[len] = 0;
}

/* ---- ibpf ------------------------------------------------------------------ */

struct ibpf_bench {
	struct ibpf_object *obj;
	struct ibpf_program *prog;
	struct ibpf_map *input;
	double open_ms;
};

static int ibpf_setup(struct ibpf_bench *b, const char *prog, char *why, size_t whysz)
{
	char path[4096], log[1024] = "";
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	uint64_t t0;

	snprintf(path, sizeof(path), "%s/%s.o", objdir, prog);
	t0 = now_ns();
	b->obj = ibpf_object__open_file(path, &o);
	b->open_ms = (double)(now_ns() - t0) / 1e6;
	if (!b->obj) {
		say(why, whysz, "open %s: %s", path, log);
		return -1;
	}
	b->prog = ibpf_object__find_program_by_name(b->obj, prog);
	b->input = ibpf_object__find_map_by_name(b->obj, "calculon_input");
	if (!b->prog || !b->input) {
		say(why, whysz, "%s: no program '%s' or map calculon_input", path, prog);
		ibpf_object__close(b->obj);
		return -1;
	}
	return 0;
}

static int ibpf_set_input(struct ibpf_bench *b, int len)
{
	char expr[LONG_LEN + 2];

	expression(expr, len);
	for (uint32_t k = 0; k < (uint32_t)len; k++)
		if (ibpf_map__update_elem(b->input, &k, 4, &expr[k], 1, BPF_ANY))
			return -1;
	return 0;
}

/* ns per run of expression length len: median over trials of `repeat`
 * runs each, repeat grown until a trial lasts min_ms. */
static int ibpf_time(struct ibpf_bench *b, const struct engine *e, int len, int expect,
		     double *ns, char *why, size_t whysz)
{
	struct calculon_ctx ctx = { .n = (uint64_t)len };
	double t[64];
	uint32_t repeat = 1;
	char log[512] = "";
	int rc;

	if (ibpf_set_input(b, len)) {
		say(why, whysz, "cannot fill calculon_input");
		return -1;
	}
	for (int i = -1; i < trials; i++) {
		IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			  .ctx_out = &ctx, .ctx_size_out = sizeof(ctx), .repeat = repeat,
			  .flags = e->flags, .engine = e->engine, .log_buf = log,
			  .log_size = sizeof(log));
		ctx.result = 0;
		rc = ibpf_prog_test_run_opts(b->prog, &o);
		if (rc) {
			say(why, whysz, "%s", log[0] ? log : strerror(-rc));
			return -1;
		}
		if (o.retval != 0 || ctx.result != expect) {
			wrong_results++;
			say(why, whysz, "wrong result: retval %lld, result %lld (want 0, %d)",
				 (long long)o.retval, (long long)ctx.result, expect);
			return -1;
		}
		if (i < 0) {
			/* Calibration (also the warm-up): grow repeat until a
			 * trial lasts min_ms. */
			double per = o.duration ? (double)o.duration : 1;
			if (per * repeat < min_ms * 1e6 / 8 && repeat < 1000000) {
				repeat *= 8;
				i--;
				continue;
			}
			double want = min_ms * 1e6 / per;
			repeat = want < 1 ? 1 : want > 1e7 ? 10000000 : (uint32_t)want;
			continue;
		}
		t[i] = (double)o.duration;
	}
	*ns = median(t, trials);
	return 0;
}

static void ibpf_measure(const char *prog, const struct engine *e, struct cell *c)
{
	struct ibpf_bench b;

	if (ibpf_setup(&b, prog, c->why, sizeof(c->why)))
		return;
	if (!ibpf_time(&b, e, SHORT_LEN, EXPECT_SHORT, &c->t_short, c->why, sizeof(c->why)) &&
	    !ibpf_time(&b, e, LONG_LEN, EXPECT_LONG, &c->t_long, c->why, sizeof(c->why)))
		cell_done(c);
	ibpf_object__close(b.obj);
}

/* ---- the kernel ------------------------------------------------------------ */

struct kern_bench {
	struct bpf_object *obj;
	struct bpf_program *prog;
	int prog_fd, input_fd;
	int test_run_repeat;      /* 1: the kernel accepted .repeat */
	double load_ms;           /* bpf_object__load wall time (maps + program) */
	long verify_us;           /* "verification time N usec" from the log */
	struct bpf_prog_info info;
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static char kern_log[1 << 16];

/* Open and load calculon_switch; -1 with why on failure. */
static int kern_load(struct kern_bench *k, const char *prog, char *why, size_t whysz)
{
	char path[4096];
	struct bpf_map *input;
	uint32_t len = sizeof(k->info);
	uint64_t t0;
	const char *vt;
	int err;

	memset(k, 0, sizeof(*k));
	snprintf(path, sizeof(path), "%s/%s.o", objdir, prog);
	k->obj = bpf_object__open_file(path, NULL);
	if (!k->obj) {
		say(why, whysz, "libbpf cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	k->prog = bpf_object__find_program_by_name(k->obj, prog);
	if (!k->prog) {
		say(why, whysz, "%s: no program %s", path, prog);
		goto fail;
	}
	/* BPF_LOG_STATS (4): the kernel reports its verification time. */
	kern_log[0] = 0;
	bpf_program__set_log_buf(k->prog, kern_log, sizeof(kern_log));
	bpf_program__set_log_level(k->prog, 4);
	t0 = now_ns();
	err = bpf_object__load(k->obj);
	k->load_ms = (double)(now_ns() - t0) / 1e6;
	if (err) {
		say(why, whysz, "the kernel did not load %s: %s", prog, strerror(-err));
		goto fail;
	}
	vt = strstr(kern_log, "verification time ");
	k->verify_us = vt ? strtol(vt + strlen("verification time "), NULL, 10) : -1;
	k->prog_fd = bpf_program__fd(k->prog);
	input = bpf_object__find_map_by_name(k->obj, "calculon_input");
	if (!input) {
		say(why, whysz, "%s: no map calculon_input", path);
		goto fail;
	}
	k->input_fd = bpf_map__fd(input);
	if (bpf_obj_get_info_by_fd(k->prog_fd, &k->info, &len)) {
		say(why, whysz, "bpf_obj_get_info_by_fd: %s", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	bpf_object__close(k->obj);
	k->obj = NULL;
	return -1;
}

static int kern_set_input(struct kern_bench *k, int len)
{
	char expr[LONG_LEN + 2];

	expression(expr, len);
	for (uint32_t i = 0; i < (uint32_t)len; i++)
		if (bpf_map_update_elem(k->input_fd, &i, &expr[i], BPF_ANY))
			return -1;
	return 0;
}

/* `runs` test runs; with the kernel's repeat when it takes it (syscall
 * programs do not: BPF_PROG_TEST_RUN refuses repeat for them), else in a
 * user-space loop.  Returns wall ns per run, or -1. */
static double kern_runs(struct kern_bench *k, uint32_t runs, int len, int expect,
			char *why, size_t whysz)
{
	/* A syscall program's ctx is read from and written back to ctx_in
	 * (the kernel refuses ctx_out for this program type). */
	struct calculon_ctx ctx;
	uint64_t t0, t1;

	for (int attempt = 0; attempt < 2; attempt++) {
		int use_repeat = attempt == 0 && k->test_run_repeat >= 0;
		uint32_t loops = use_repeat ? 1 : runs;
		int err = 0;

		t0 = now_ns();
		for (uint32_t i = 0; i < loops && !err; i++) {
			LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
				    .repeat = use_repeat ? runs : 0);
			ctx.n = (uint64_t)len;
			ctx.result = 0;
			err = bpf_prog_test_run_opts(k->prog_fd, &o);
			if (!err && (o.retval != 0 || ctx.result != expect)) {
				wrong_results++;
				say(why, whysz, "kernel: wrong result: retval %u, result %lld",
					 o.retval, (long long)ctx.result);
				return -1;
			}
			if (!err && use_repeat) {
				k->test_run_repeat = 1;
				return (double)o.duration;
			}
		}
		t1 = now_ns();
		if (!err)
			return (double)(t1 - t0) / loops;
		if (use_repeat && err == -EINVAL) {
			k->test_run_repeat = -1;   /* not for this program type */
			continue;
		}
		say(why, whysz, "BPF_PROG_TEST_RUN: %s", strerror(-err));
		return -1;
	}
	return -1;
}

/* Median wall ns per run (test_run) and, when stats_fd >= 0, the kernel's
 * run_time_ns / run_cnt over the same runs. */
static int kern_time(struct kern_bench *k, int len, int expect, double *wall, double *stat,
		     int stats_on, char *why, size_t whysz)
{
	double tw[64], ts[64];
	uint32_t runs = 1;

	if (kern_set_input(k, len)) {
		say(why, whysz, "cannot fill calculon_input: %s", strerror(errno));
		return -1;
	}
	for (int i = -1; i < trials; i++) {
		struct bpf_prog_info a = { 0 }, b = { 0 };
		uint32_t la = sizeof(a), lb = sizeof(b);
		double w;

		if (stats_on && bpf_obj_get_info_by_fd(k->prog_fd, &a, &la))
			stats_on = 0;
		w = kern_runs(k, runs, len, expect, why, whysz);
		if (w < 0)
			return -1;
		if (stats_on && bpf_obj_get_info_by_fd(k->prog_fd, &b, &lb))
			stats_on = 0;
		if (i < 0) {
			/* Calibration, as for ibpf. */
			if (w * runs < min_ms * 1e6 / 8 && runs < 100000) {
				runs *= 8;
				i--;
				continue;
			}
			double want = min_ms * 1e6 / (w > 0 ? w : 1);
			runs = want < 1 ? 1 : want > 1e6 ? 1000000 : (uint32_t)want;
			continue;
		}
		tw[i] = w;
		ts[i] = stats_on && b.run_cnt > a.run_cnt ?
			(double)(b.run_time_ns - a.run_time_ns) / (double)(b.run_cnt - a.run_cnt) : -1;
	}
	*wall = median(tw, trials);
	*stat = stats_on ? median(ts, trials) : -1;
	return 0;
}

/* ---- report ------------------------------------------------------------------ */

static void machine(void)
{
	char line[512], model[256] = "unknown CPU";
	struct utsname u;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	uname(&u);
	printf("machine: %s, %ld CPUs online, Linux %s\n", model, sysconf(_SC_NPROCESSORS_ONLN),
	       u.release);
}

static void print_cell(const char *label, const char *prog, const struct cell *c)
{
	if (c->ok)
		printf("  %-34s %-16s %10.0f %10.0f %10.2f\n", label, prog, c->t_short,
		       c->t_long, c->slope);
	else
		printf("  %-34s %-16s  n/a: %s\n", label, prog, c->why);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench [--objdir DIR] [--trials N] [--min-ms MS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct cell ib[ENGINE_CNT][PROG_CNT];
	struct cell kwall = { 0 }, kstat = { 0 };
	struct kern_bench k;
	char kwhy[512] = "";
	int kern_ok = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--objdir") && i + 1 < argc)
			objdir = argv[++i];
		else if (!strcmp(argv[i], "--trials") && i + 1 < argc)
			trials = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
			min_ms = atof(argv[++i]);
		else
			usage();
	}
	if (trials < 1 || trials > 64 || min_ms <= 0)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("== ibpf bench: ns per calculon character\n");
	machine();
	printf("expression: %d chars (\"1\" + %d x \"1+\" = %d) vs %d char (\"1\"); slope = "
	       "(t%d - t%d) / %d; each time the median of %d trials of >= %.0f ms\n",
	       LONG_LEN, (LONG_LEN - 1) / 2, EXPECT_LONG, SHORT_LEN, LONG_LEN, SHORT_LEN,
	       LONG_LEN - SHORT_LEN, trials, min_ms);
	printf("\n  %-34s %-16s %10s %10s %10s\n", "engine", "program", "t1 ns", "t1023 ns",
	       "ns/char");

	for (size_t e = 0; e < ENGINE_CNT; e++)
		for (int p = 0; p < PROG_CNT; p++) {
			memset(&ib[e][p], 0, sizeof(ib[e][p]));
			ibpf_measure(progs[p], &engines[e], &ib[e][p]);
			print_cell(engines[e].label, progs[p], &ib[e][p]);
		}

	/* The kernel: calculon_switch only (it rejects callx). */
	libbpf_set_print(libbpf_quiet);
	if (kern_load(&k, "calculon_switch", kwhy, sizeof(kwhy)) == 0) {
		int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		char why[256] = "";

		if (!k.info.jited_prog_len)
			say(kwhy, sizeof(kwhy), "the kernel did not JIT the program "
				 "(net.core.bpf_jit_enable = 0?): times are its interpreter's");
		if (!kern_time(&k, SHORT_LEN, EXPECT_SHORT, &kwall.t_short, &kstat.t_short,
			       stats_fd >= 0, why, sizeof(why)) &&
		    !kern_time(&k, LONG_LEN, EXPECT_LONG, &kwall.t_long, &kstat.t_long,
			       stats_fd >= 0, why, sizeof(why))) {
			cell_done(&kwall);
			if (stats_fd >= 0 && kstat.t_short >= 0 && kstat.t_long >= 0)
				cell_done(&kstat);
			else
				cell_fail(&kstat, "bpf_enable_stats(BPF_STATS_RUN_TIME): %s",
					  strerror(errno));
			kern_ok = 1;
		} else {
			cell_fail(&kwall, "%s", why);
			cell_fail(&kstat, "%s", why);
		}
		if (stats_fd >= 0)
			close(stats_fd);
		print_cell(k.test_run_repeat > 0 ? "kernel JIT, test_run repeat (wall)" :
			   "kernel JIT, test_run loop (wall)", "calculon_switch", &kwall);
		print_cell("kernel JIT, run_time_ns/run_cnt", "calculon_switch", &kstat);
		if (kwhy[0])
			printf("  note: %s\n", kwhy);
		if (k.test_run_repeat < 0)
			printf("  note: BPF_PROG_TEST_RUN refuses .repeat for syscall programs: the "
			       "wall time loops in user space (a syscall per run, which the slope "
			       "cancels)\n");
	} else {
		printf("  %-34s %-16s  skipped: %s (needs root and a kernel with bpf())\n",
		       "kernel JIT", "calculon_switch", kwhy);
	}

	/* Ratios against the kernel JIT's per-character cost. */
	if (kern_ok) {
		const struct cell *ref = kstat.ok ? &kstat : &kwall;
		printf("\nratios, ns/char of ibpf / ns/char of the kernel JIT on calculon_switch "
		       "(%.2f ns/char, %s):\n", ref->slope,
		       kstat.ok ? "run_time_ns" : "test_run wall");
		for (size_t e = 0; e < ENGINE_CNT; e++)
			for (int p = 0; p < PROG_CNT; p++) {
				const struct cell *c = &ib[e][p];
				if (!c->ok || ref->slope <= 0)
					continue;
				printf("  %-34s %-16s %8.1fx\n", engines[e].label, progs[p],
				       c->slope / ref->slope);
			}
		printf("\nkernel load of calculon_switch: verified_insns %u, xlated %u insns, "
		       "jited %u bytes, bpf_object__load %.1f ms (maps + program), "
		       "verification time %ld us\n",
		       k.info.verified_insns, k.info.xlated_prog_len / 8, k.info.jited_prog_len,
		       k.load_ms, k.verify_us);
	}
	if (k.obj)
		bpf_object__close(k.obj);

	/* ibpf's own load (open + link + decode; no verifier yet). */
	for (int p = 0; p < PROG_CNT; p++) {
		struct ibpf_bench b;
		char why[256];
		if (!ibpf_setup(&b, progs[p], why, sizeof(why))) {
			printf("ibpf open of %s: %.2f ms\n", progs[p], b.open_ms);
			ibpf_object__close(b.obj);
		}
	}
	if (wrong_results)
		printf("\nFAIL: %d measurement(s) computed a wrong result (see above)\n",
		       wrong_results);
	return wrong_results ? 1 : 0;
}
