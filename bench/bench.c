/* bench.c - `make bench`: ibpf's engines and verifier beside the kernel's,
 * everything printed as ratios measured in this one run.  Nothing here is a
 * timed pass/fail test: the targets of issues 3, 4 and 5 are printed with
 * how far each is from being met.
 *
 * Timing.  The machine this runs on is small and shared, so every time is
 * thread CPU time (CLOCK_THREAD_CPUTIME_ID, user + system: a syscall's
 * kernel work counts, the time other processes had the CPU does not), with
 * the wall clock printed beside it; each number is the median of several
 * trials, each trial many repeated runs after a warm-up run (the first run
 * verifies and compiles); the rows of a table are measured round-robin
 * within each trial, and every ratio is the median of per-trial ratios, so
 * that a slow moment of the machine hits numerator and denominator alike.
 *
 * 1. ns per calculon character.  calculon (function pointers, callx) and
 *    calculon_switch (switch dispatch, no callx) evaluate an RPN expression
 *    read from the calculon_input map, which holds "1" followed by 511 x
 *    "1+" (1023 characters, result 512).  Each engine runs it with ctx.n =
 *    1023 and with ctx.n = 1 (the expression "1"); the cost per character is
 *    the slope (t(1023) - t(1)) / 1022, which cancels the fixed cost of a run
 *    (entering the engine, a syscall for the kernel).
 *
 *    Rows (add one line to `engines` for a new one):
 *      ibpf interpreter, checked mode (IBPF_RUN_CHECKED: every access bounded)
 *      ibpf interpreter, IBPF_RUN_TRUSTED (the unchecked fast path)
 *      ibpf interpreter, flags 0 (the default: verified, then the fast path)
 *      ibpf JIT, trusted and flags 0
 *      the running kernel's JIT on calculon_switch (the kernel rejects callx)
 *        through BPF_PROG_TEST_RUN, and by the kernel's own
 *        bpf_prog_info.run_time_ns / run_cnt with BPF_STATS_RUN_TIME on
 *    then ibpf / the kernel JIT and interpreter / JIT (issue 5).
 *
 * 2. Dispatch (issue 5): dispatch.o (bench/dispatch.bpf.c) runs the same loop
 *    of calls with the call made directly, through callx on a register, a
 *    call table indexed in every iteration, a bpf_map_lookup_elem on the
 *    table, and an alternating target; ns per call is the slope between
 *    n = 1 and n = 1024 iterations, on the interpreter and the JIT (flags 0:
 *    verified), and the ratios are indirect / direct.
 *
 * 3. Verification (issues 3 and 4): for calculon_switch and calculon, each
 *    compiled by clang-19 (NAME.o) and clang-14 (NAME.clang14.o), ibpf's
 *    processed instructions and ibpf_program__verify time (log level 0)
 *    beside, for calculon_switch, the kernel's verified_insns and the time
 *    of BPF_PROG_LOAD (the instructions libbpf loaded, loaded again and
 *    timed around the syscall; the kernel's own "verification time" from
 *    BPF_LOG_STATS alongside).  calculon's processed count over the kernel's
 *    calculon_switch count is issue 4's ratio.
 *
 * The kernel parts are skipped with a message when bpf() is unavailable.
 * Exits 1 only when an engine computes a wrong result (a bug, not a
 * slowness), 2 on bad usage, else 0 (also when the kernel or the JIT is
 * unavailable).
 *
 *   bench [--objdir DIR] [--trials N] [--min-ms MS] [--verify-trials N]
 *         [--only calculon|dispatch|verify]
 *
 * DIR holds calculon.o, calculon_switch.o, their .clang14.o twins and
 * dispatch.o (default build/progs).
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
static int trials = 11;
static double min_ms = 10;    /* a trial lasts at least this long */
static int verify_trials = 5; /* verifications (ibpf) and loads (kernel) */

/* ---- helpers ---------------------------------------------------------------- */

static void say(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CPU time of this thread, user and system: unlike the wall clock it does
 * not count the time the scheduler gives to other processes, which on a
 * small shared VM is most of the noise.  A syscall's kernel work (a
 * BPF_PROG_TEST_RUN, a BPF_PROG_LOAD) is the thread's system time. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median of v[0..n) (v is sorted in place). */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median of v[0..n) leaving v alone. */
static double median_of(const double *v, int n)
{
	double c[64];

	memcpy(c, v, (size_t)n * sizeof(*v));
	return median(c, n);
}

/* Median over trials of a[t] / b[t]: a ratio of two things measured back to
 * back in the same trial, so that a slow moment of the machine hits both. */
static double paired_ratio(const double *a, const double *b, int n)
{
	double r[64];

	for (int t = 0; t < n; t++)
		r[t] = b[t] > 0 ? a[t] / b[t] : 0;
	return median(r, n);
}

/* The expression of length len: "1", or "1" + k x "1+".  Its first
 * character alone is the expression "1": the short run reads the same map
 * with ctx.n = 1. */
static void expression(char *buf, int len)
{
	buf[0] = '1';
	for (int i = 1; i < len; i += 2) {
		buf[i] = '1';
		buf[i + 1] = '+';
	}
	buf[len] = 0;
}

/* ---- calculon: the cells ---------------------------------------------------- */

struct engine {
	const char *label;
	int engine;               /* enum ibpf_engine */
	uint32_t flags;           /* IBPF_RUN_* */
};

/* flags 0 is the library's default: verify, then run on the fast path. */
static const struct engine engines[] = {
	{ "ibpf interp, checked",  IBPF_ENGINE_INTERP, IBPF_RUN_CHECKED },
	{ "ibpf interp, trusted",  IBPF_ENGINE_INTERP, IBPF_RUN_TRUSTED },
	{ "ibpf interp, flags 0",  IBPF_ENGINE_INTERP, 0 },
	{ "ibpf JIT, trusted",     IBPF_ENGINE_JIT,    IBPF_RUN_TRUSTED },
	{ "ibpf JIT, flags 0",     IBPF_ENGINE_JIT,    0 },
};
#define ENGINE_CNT (sizeof(engines) / sizeof(engines[0]))
/* Indices into engines[] the ratios use. */
enum { E_INTERP_CHECKED, E_INTERP_TRUSTED, E_INTERP, E_JIT_TRUSTED, E_JIT };

static const char *const progs[] = { "calculon", "calculon_switch" };
#define PROG_CNT 2

struct kern_bench {
	struct bpf_object *obj;
	struct bpf_program *prog;
	int prog_fd, input_fd;
	int test_run_repeat;      /* 1: the kernel took .repeat, -1: it refused */
	int stats_on;             /* BPF_STATS_RUN_TIME is enabled */
	struct bpf_prog_info info;
};

/* Per trial: ns per run of t(1) and t(1023), and the slope. */
struct series {
	double ts[64], tl[64], slope[64];
};

/* One row of the calculon table: an ibpf engine on one program, or the
 * kernel on calculon_switch, timed by thread CPU time and by the wall clock
 * (ibpf: test_run's duration; the kernel: around BPF_PROG_TEST_RUN), and
 * for the kernel also by its run_time_ns / run_cnt. */
struct ccell {
	const char *label, *prog;
	const struct engine *e;   /* NULL: the kernel */
	struct kern_bench *k;
	struct ibpf_object *obj;
	struct ibpf_program *p;
	uint32_t rep[2];          /* runs per trial: short, long */
	struct series cpu, wall, stat;
	int ok, stat_ok;
	char why[256];
};

/* ---- ibpf ------------------------------------------------------------------ */

static int ibpf_setup(struct ccell *c)
{
	char path[4096], log[1024] = "", expr[LONG_LEN + 2];
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_map *input;

	snprintf(path, sizeof(path), "%s/%s.o", objdir, c->prog);
	c->obj = ibpf_object__open_file(path, &o);
	if (!c->obj) {
		say(c->why, sizeof(c->why), "open %s: %s", path, log);
		return -1;
	}
	c->p = ibpf_object__find_program_by_name(c->obj, c->prog);
	input = ibpf_object__find_map_by_name(c->obj, "calculon_input");
	if (!c->p || !input) {
		say(c->why, sizeof(c->why), "%s: no program '%s' or map calculon_input", path,
		    c->prog);
		return -1;
	}
	expression(expr, LONG_LEN);
	for (uint32_t k = 0; k < LONG_LEN; k++)
		if (ibpf_map__update_elem(input, &k, 4, &expr[k], 1, BPF_ANY)) {
			say(c->why, sizeof(c->why), "cannot fill calculon_input");
			return -1;
		}
	return 0;
}

/* `repeat` runs over the first len characters: ns per run. */
static int ibpf_runs(struct ccell *c, int len, int expect, uint32_t repeat, double *ns,
		     double *cpu)
{
	struct calculon_ctx ctx = { .n = (uint64_t)len };
	char log[512] = "";
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		  .ctx_out = &ctx, .ctx_size_out = sizeof(ctx), .repeat = repeat,
		  .flags = c->e->flags, .engine = c->e->engine, .log_buf = log,
		  .log_size = sizeof(log));
	uint64_t c0 = cpu_ns();
	int rc = ibpf_prog_test_run_opts(c->p, &o);

	*cpu = (double)(cpu_ns() - c0) / repeat;
	if (rc) {
		say(c->why, sizeof(c->why), "%s", log[0] ? log : strerror(-rc));
		return -1;
	}
	if (o.retval != 0 || ctx.result != expect) {
		wrong_results++;
		say(c->why, sizeof(c->why), "wrong result: retval %lld, result %lld (want 0, %d)",
		    (long long)o.retval, (long long)ctx.result, expect);
		return -1;
	}
	*ns = (double)o.duration;
	return 0;
}

/* ---- the kernel ------------------------------------------------------------ */

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static char kern_log[1 << 16];

/* Open and load calculon_switch and fill its input; -1 with why on failure. */
static int kern_load(struct kern_bench *k, const char *prog, char *why, size_t whysz)
{
	char path[4096], expr[LONG_LEN + 2];
	struct bpf_map *input;
	uint32_t len = sizeof(k->info);
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
	err = bpf_object__load(k->obj);
	if (err) {
		say(why, whysz, "the kernel did not load %s: %s", prog, strerror(-err));
		goto fail;
	}
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
	expression(expr, LONG_LEN);
	for (uint32_t i = 0; i < LONG_LEN; i++)
		if (bpf_map_update_elem(k->input_fd, &i, &expr[i], BPF_ANY)) {
			say(why, whysz, "cannot fill calculon_input: %s", strerror(errno));
			goto fail;
		}
	return 0;
fail:
	bpf_object__close(k->obj);
	k->obj = NULL;
	return -1;
}

/* `runs` test runs; with the kernel's repeat when it takes it (syscall
 * programs do not: BPF_PROG_TEST_RUN refuses repeat for them), else in a
 * user-space loop.  Returns wall ns per run, or -1. */
static double kern_wall(struct ccell *c, uint32_t runs, int len, int expect, double *cpu)
{
	struct kern_bench *k = c->k;
	/* A syscall program's ctx is read from and written back to ctx_in
	 * (the kernel refuses ctx_out for this program type). */
	struct calculon_ctx ctx;
	uint64_t t0, t1, c0;

	for (int attempt = 0; attempt < 2; attempt++) {
		int use_repeat = attempt == 0 && k->test_run_repeat >= 0;
		uint32_t loops = use_repeat ? 1 : runs;
		int err = 0;

		c0 = cpu_ns();
		t0 = now_ns();
		for (uint32_t i = 0; i < loops && !err; i++) {
			LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
				    .repeat = use_repeat ? runs : 0);
			ctx.n = (uint64_t)len;
			ctx.result = 0;
			err = bpf_prog_test_run_opts(k->prog_fd, &o);
			if (!err && (o.retval != 0 || ctx.result != expect)) {
				wrong_results++;
				say(c->why, sizeof(c->why), "kernel: wrong result: retval %u, "
				    "result %lld", o.retval, (long long)ctx.result);
				return -1;
			}
			if (!err && use_repeat) {
				k->test_run_repeat = 1;
				*cpu = (double)(cpu_ns() - c0) / runs;
				return (double)o.duration;
			}
		}
		t1 = now_ns();
		*cpu = (double)(cpu_ns() - c0) / loops;
		if (!err)
			return (double)(t1 - t0) / loops;
		if (use_repeat && err == -EINVAL) {
			k->test_run_repeat = -1;   /* not for this program type */
			continue;
		}
		say(c->why, sizeof(c->why), "BPF_PROG_TEST_RUN: %s", strerror(-err));
		return -1;
	}
	return -1;
}

/* Wall ns per run and, with stats on, the kernel's run_time_ns / run_cnt
 * over the same runs (-1 without). */
static int kern_runs(struct ccell *c, int len, int expect, uint32_t runs, double *wall,
		     double *cpu, double *stat)
{
	struct kern_bench *k = c->k;
	struct bpf_prog_info a = { 0 }, b = { 0 };
	uint32_t la = sizeof(a), lb = sizeof(b);
	int stats = k->stats_on && !bpf_obj_get_info_by_fd(k->prog_fd, &a, &la);

	*wall = kern_wall(c, runs, len, expect, cpu);
	if (*wall < 0)
		return -1;
	stats = stats && !bpf_obj_get_info_by_fd(k->prog_fd, &b, &lb);
	*stat = stats && b.run_cnt > a.run_cnt ?
		(double)(b.run_time_ns - a.run_time_ns) / (double)(b.run_cnt - a.run_cnt) : -1;
	return 0;
}

/* ---- calculon: measuring ---------------------------------------------------- */

/* ns per run over `runs` runs: wall clock, thread CPU time, and for the
 * kernel its run_time_ns (else -1). */
static int cell_runs(struct ccell *c, int len, int expect, uint32_t runs, double *wall,
		     double *cpu, double *stat)
{
	*stat = -1;
	return c->e ? ibpf_runs(c, len, expect, runs, wall, cpu) :
		      kern_runs(c, len, expect, runs, wall, cpu, stat);
}

/* Runs per trial so that one lasts min_ms, after a warm-up run (the first
 * run verifies and compiles). */
static int cell_calibrate(struct ccell *c, int len, int expect, uint32_t *runs)
{
	uint32_t r = 1, cap = c->e ? 10000000 : 1000000;
	double ns, cpu, stat;

	if (cell_runs(c, len, expect, 1, &ns, &cpu, &stat))
		return -1;
	for (;;) {
		if (cell_runs(c, len, expect, r, &ns, &cpu, &stat))
			return -1;
		if (ns * r >= min_ms * 1e6 / 8 || r >= cap / 8)
			break;
		r *= 8;
	}
	double want = min_ms * 1e6 / (ns > 0 ? ns : 1);
	*runs = want < 1 ? 1 : want > cap ? cap : (uint32_t)want;
	return 0;
}

/* Every live cell calibrated, then `trials` rounds of t(1) and t(1023) of
 * each cell in turn. */
static void calculon_measure(struct ccell *cells, int n)
{
	for (int i = 0; i < n; i++) {
		struct ccell *c = &cells[i];

		if (c->e && ibpf_setup(c))
			continue;
		if (cell_calibrate(c, SHORT_LEN, EXPECT_SHORT, &c->rep[0]) ||
		    cell_calibrate(c, LONG_LEN, EXPECT_LONG, &c->rep[1]))
			continue;
		c->ok = c->stat_ok = 1;
	}
	for (int t = 0; t < trials; t++)
		for (int i = 0; i < n; i++) {
			struct ccell *c = &cells[i];

			if (!c->ok)
				continue;
			if (cell_runs(c, SHORT_LEN, EXPECT_SHORT, c->rep[0], &c->wall.ts[t],
				      &c->cpu.ts[t], &c->stat.ts[t]) ||
			    cell_runs(c, LONG_LEN, EXPECT_LONG, c->rep[1], &c->wall.tl[t],
				      &c->cpu.tl[t], &c->stat.tl[t])) {
				c->ok = 0;
				continue;
			}
			if (c->stat.ts[t] < 0 || c->stat.tl[t] < 0)
				c->stat_ok = 0;
			for (int k = 0; k < 3; k++) {
				struct series *x = k == 0 ? &c->wall : k == 1 ? &c->cpu : &c->stat;
				x->slope[t] = (x->tl[t] - x->ts[t]) / (LONG_LEN - SHORT_LEN);
			}
		}
	for (int i = 0; i < n; i++) {
		if (cells[i].obj)
			ibpf_object__close(cells[i].obj);
		cells[i].obj = NULL;
		if (!cells[i].ok || cells[i].e)
			cells[i].stat_ok = 0;
	}
}

/* A row: CPU-time t1, t1023, ns/char, then the wall clock's ns/char (for
 * the kernel's run_time_ns row, that series in the first three columns). */
static void print_ccell(const char *label, const char *prog, const struct ccell *c,
			const struct series *x, const struct series *w)
{
	if (!c->ok) {
		printf("  %-34s %-16s  n/a: %s\n", label, prog, c->why);
		return;
	}
	printf("  %-34s %-16s %9.0f %10.0f %9.2f", label, prog, median_of(x->ts, trials),
	       median_of(x->tl, trials), median_of(x->slope, trials));
	if (w)
		printf(" %9.2f", median_of(w->slope, trials));
	printf("\n");
}

/* ---- dispatch (issue 5) ----------------------------------------------------- */

#define DISPATCH_MAX 1024     /* bench/dispatch.bpf.c's loop bound */

struct dispatch_ctx {
	uint64_t n, sel, acc;
};

enum { D_INLINE, D_DIRECT, D_REG, D_INDEX, D_LOOKUP, D_ALT, D_ALT_DIR, DFORM_CNT };

static const struct dform {
	const char *name;         /* program dispatch_NAME */
	const char *what;
	int alt;                  /* the target alternates f_a, f_b */
} dforms[DFORM_CNT] = {
	[D_INLINE]  = { "inline",  "acc = acc * 3 + i in the loop: no call", 0 },
	[D_DIRECT]  = { "direct",  "f_a(acc, i): direct call", 0 },
	[D_REG]     = { "reg",     "fp(acc, i), fp = tab[sel & 1] before the loop", 0 },
	[D_INDEX]   = { "index",   "tab[sel & 1](acc, i): load + callx per call", 0 },
	[D_LOOKUP]  = { "lookup",  "bpf_map_lookup_elem(&tab, &k), NULL check, callx", 0 },
	[D_ALT]     = { "alt",     "tab[i & 1](acc, i): targets f_a, f_b, f_a, ...", 1 },
	[D_ALT_DIR] = { "alt_dir", "i & 1 ? f_b(acc, i) : f_a(acc, i): direct calls", 1 },
};

/* The indirect forms and the direct form each is compared with. */
static const struct { int num, den; } dratios[] = {
	{ D_REG, D_DIRECT }, { D_INDEX, D_DIRECT }, { D_LOOKUP, D_DIRECT }, { D_ALT, D_ALT_DIR },
};
#define DRATIO_CNT (sizeof(dratios) / sizeof(dratios[0]))

/* What dispatch_NAME leaves in ctx->acc (sel = 0: tab[0] = f_a). */
static uint64_t dispatch_expect(int alt, uint64_t n)
{
	uint64_t acc = 1;

	for (uint64_t i = 0; i < n && i < DISPATCH_MAX; i++)
		acc = alt && (i & 1) ? (acc ^ i) + 7 : acc * 3 + i;
	return acc;
}

static const struct engine dengines[] = {
	{ "interp", IBPF_ENGINE_INTERP, 0 },
	{ "JIT",    IBPF_ENGINE_JIT,    0 },
};
#define DENGINE_CNT 2

struct dcell {
	int ok;
	struct ibpf_program *prog;
	uint32_t rep[2];          /* runs per trial for n = 1 and n = DISPATCH_MAX */
	double slope[64];         /* ns per iteration, per trial */
	double med;               /* median of slope[] */
	char why[256];
};

/* Thread CPU ns per run of dispatch_NAME over n iterations, `repeat` runs. */
static int dispatch_run(struct dcell *c, const struct engine *e, int alt, uint64_t n,
			uint32_t repeat, double *ns)
{
	struct dispatch_ctx ctx = { .n = n, .sel = 0 };
	uint64_t want = dispatch_expect(alt, n);
	char log[512] = "";
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		  .ctx_out = &ctx, .ctx_size_out = sizeof(ctx), .repeat = repeat,
		  .flags = e->flags, .engine = e->engine, .log_buf = log, .log_size = sizeof(log));
	uint64_t c0 = cpu_ns();
	int rc = ibpf_prog_test_run_opts(c->prog, &o);
	double cpu = (double)(cpu_ns() - c0) / repeat;

	if (rc) {
		say(c->why, sizeof(c->why), "%s", log[0] ? log : strerror(-rc));
		return -1;
	}
	if (o.retval != 0 || ctx.acc != want) {
		wrong_results++;
		say(c->why, sizeof(c->why), "wrong result: retval %lld, acc %llu (want 0, %llu)",
		    (long long)o.retval, (unsigned long long)ctx.acc, (unsigned long long)want);
		return -1;
	}
	*ns = cpu;
	return 0;
}

/* Runs per trial so that a trial of n iterations lasts min_ms, after a
 * warm-up run (the first run verifies and compiles). */
static int dispatch_calibrate(struct dcell *c, const struct engine *e, int alt, uint64_t n,
			      uint32_t *repeat)
{
	uint32_t r = 1;
	double ns;

	if (dispatch_run(c, e, alt, n, 1, &ns))
		return -1;
	for (;;) {
		if (dispatch_run(c, e, alt, n, r, &ns))
			return -1;
		if (ns * r >= min_ms * 1e6 / 8 || r >= 1000000)
			break;
		r *= 8;
	}
	double want = min_ms * 1e6 / (ns > 0 ? ns : 1);
	*repeat = want < 1 ? 1 : want > 1e7 ? 10000000 : (uint32_t)want;
	return 0;
}

struct dispatch_result {
	int have;                 /* dispatch.o was found and opened */
	char why[512];
	struct dcell cell[DENGINE_CNT][DFORM_CNT];
	double ratio[DENGINE_CNT][DRATIO_CNT];      /* median of per-trial ratios */
	double over[DENGINE_CNT][DFORM_CNT];        /* median of per-trial (form - inline) */
};

static void bench_dispatch(struct dispatch_result *r)
{
	char path[4096], log[1024] = "";
	IBPF_OPTS(ibpf_object_open_opts, oo, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj[DENGINE_CNT] = { 0 };

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/dispatch.o", objdir);
	/* One object per engine: each program caches its verification and
	 * its JIT code, and neither engine should warm the other's data. */
	for (int e = 0; e < DENGINE_CNT; e++) {
		obj[e] = ibpf_object__open_file(path, &oo);
		if (!obj[e]) {
			say(r->why, sizeof(r->why), "cannot open %s (bench/dispatch.bpf.c, compiled "
			    "by make bench): %s", path, log);
			goto out;
		}
	}
	r->have = 1;
	for (int e = 0; e < DENGINE_CNT; e++) {
		const struct engine *en = &dengines[e];
		int live = 0;

		for (int f = 0; f < DFORM_CNT; f++) {
			struct dcell *c = &r->cell[e][f];
			char name[64];

			snprintf(name, sizeof(name), "dispatch_%s", dforms[f].name);
			c->prog = ibpf_object__find_program_by_name(obj[e], name);
			if (!c->prog) {
				say(c->why, sizeof(c->why), "%s has no program %s", path, name);
				continue;
			}
			if (dispatch_calibrate(c, en, dforms[f].alt, 1, &c->rep[0]) ||
			    dispatch_calibrate(c, en, dforms[f].alt, DISPATCH_MAX, &c->rep[1]))
				continue;
			c->ok = 1;
			live++;
		}
		/* Round-robin: trial t of every form, then trial t + 1. */
		for (int t = 0; t < trials && live; t++)
			for (int f = 0; f < DFORM_CNT; f++) {
				struct dcell *c = &r->cell[e][f];
				double ts, tl;

				if (!c->ok)
					continue;
				if (dispatch_run(c, en, dforms[f].alt, 1, c->rep[0], &ts) ||
				    dispatch_run(c, en, dforms[f].alt, DISPATCH_MAX, c->rep[1], &tl)) {
					c->ok = 0;
					continue;
				}
				c->slope[t] = (tl - ts) / (DISPATCH_MAX - 1);
			}
		for (int f = 0; f < DFORM_CNT; f++) {
			struct dcell *c = &r->cell[e][f], *in = &r->cell[e][D_INLINE];
			double v[64];

			r->over[e][f] = -1;
			if (!c->ok)
				continue;
			c->med = median_of(c->slope, trials);
			if (in->ok && f != D_INLINE) {
				for (int t = 0; t < trials; t++)
					v[t] = c->slope[t] - in->slope[t];
				r->over[e][f] = median(v, trials);
			}
		}
		for (size_t q = 0; q < DRATIO_CNT; q++) {
			struct dcell *a = &r->cell[e][dratios[q].num], *b = &r->cell[e][dratios[q].den];

			r->ratio[e][q] = a->ok && b->ok ? paired_ratio(a->slope, b->slope, trials) : -1;
		}
	}
out:
	for (int e = 0; e < DENGINE_CNT; e++)
		if (obj[e])
			ibpf_object__close(obj[e]);
}

static void print_dispatch(const struct dispatch_result *r)
{
	printf("\n== dispatch: a loop of calls (bench/dispatch.bpf.c), ns per iteration = slope "
	       "between n = 1 and n = %d iterations by thread CPU time, medians of %d trials "
	       "(flags 0: verified)\n", DISPATCH_MAX, trials);
	if (!r->have) {
		printf("  skipped: %s\n", r->why);
		return;
	}
	printf("  f_a(acc, i) = acc * 3 + i, f_b(acc, i) = (acc ^ i) + 7, tab = { f_a, f_b } "
	       "(SEC(\"callx\")), sel = 0\n\n");
	printf("  %-8s %-50s %9s %9s %9s %9s %8s\n", "form", "each iteration",
	       "interp ns", "JIT ns", "interp+", "JIT+", "int/JIT");
	for (int f = 0; f < DFORM_CNT; f++) {
		const struct dcell *ci = &r->cell[0][f], *cj = &r->cell[1][f];
		char a[32] = "n/a", b[32] = "n/a", c[32] = "", d[32] = "", q[32] = "";

		if (ci->ok)
			snprintf(a, sizeof(a), "%.2f", ci->med);
		if (cj->ok)
			snprintf(b, sizeof(b), "%.2f", cj->med);
		if (f != D_INLINE && ci->ok && r->cell[0][D_INLINE].ok)
			snprintf(c, sizeof(c), "%+.2f", r->over[0][f]);
		if (f != D_INLINE && cj->ok && r->cell[1][D_INLINE].ok)
			snprintf(d, sizeof(d), "%+.2f", r->over[1][f]);
		if (ci->ok && cj->ok && cj->med > 0)
			snprintf(q, sizeof(q), "%.1fx", ci->med / cj->med);
		printf("  %-8s %-50s %9s %9s %9s %9s %8s\n", dforms[f].name, dforms[f].what, a, b,
		       c, d, q);
	}
	for (int e = 0; e < DENGINE_CNT; e++)
		for (int f = 0; f < DFORM_CNT; f++)
			if (!r->cell[e][f].ok)
				printf("  note: %s %s: %s\n", dengines[e].label, dforms[f].name,
				       r->cell[e][f].why);
	printf("  (interp+, JIT+: the iteration minus the inline loop's, i.e. what the call "
	       "itself costs)\n");
	printf("\n  ratios, median of per-trial ratios (target for a table call: <= 1.3x "
	       "direct)\n");
	printf("  %-22s %12s %12s\n", "", "interp", "JIT");
	for (size_t k = 0; k < DRATIO_CNT; k++) {
		char lab[64], a[32] = "n/a", b[32] = "n/a";

		snprintf(lab, sizeof(lab), "%s / %s", dforms[dratios[k].num].name,
			 dforms[dratios[k].den].name);
		if (r->ratio[0][k] >= 0)
			snprintf(a, sizeof(a), "%.2fx", r->ratio[0][k]);
		if (r->ratio[1][k] >= 0)
			snprintf(b, sizeof(b), "%.2fx", r->ratio[1][k]);
		printf("  %-22s %12s %12s\n", lab, a, b);
	}
	/* The calls alone: (form - inline) / (direct - inline). */
	for (int e = 0; e < DENGINE_CNT; e++) {
		double d = r->over[e][D_DIRECT];

		if (!r->cell[e][D_DIRECT].ok || !r->cell[e][D_INLINE].ok || d <= 0 ||
		    !r->cell[e][D_REG].ok || !r->cell[e][D_INDEX].ok || !r->cell[e][D_LOOKUP].ok)
			continue;
		printf("  %-22s %s: reg %.2fx, index %.2fx, lookup %.2fx of direct's %.2f ns\n",
		       e == 0 ? "the call alone" : "", dengines[e].label, r->over[e][D_REG] / d,
		       r->over[e][D_INDEX] / d, r->over[e][D_LOOKUP] / d, d);
	}
}

/* ---- verification (issues 3 and 4) ------------------------------------------ */

struct vrow {
	const char *file;         /* object file name without .o */
	const char *prog;
	const char *compiler;
	/* ibpf */
	struct ibpf_object *obj;
	struct ibpf_program *p;
	int ok;
	uint32_t insns, total_states, peak_states;
	double t[64], w[64];      /* per trial ibpf_program__verify: CPU, wall ms */
	double ms, wall_ms;       /* their medians */
	char why[256];
	/* the kernel (calculon_switch only) */
	struct bpf_object *kobj;
	struct bpf_program *kp;
	int kern;                 /* 1 measured, 0 not tried, -1 failed */
	uint32_t kinsns;
	double kt[64], kw[64], kvt[64];   /* per trial BPF_PROG_LOAD: CPU, wall ms;
					     the kernel's "verification time" us */
	double kms, kwall_ms, kverify_us; /* their medians */
	double kobj_ms;           /* the first bpf_object__load (maps + program) */
	char kwhy[256];
};

static struct vrow vrows[] = {
	{ .file = "calculon_switch",         .prog = "calculon_switch", .compiler = "clang-19" },
	{ .file = "calculon_switch.clang14", .prog = "calculon_switch", .compiler = "clang-14" },
	{ .file = "calculon",                .prog = "calculon",        .compiler = "clang-19" },
	{ .file = "calculon.clang14",        .prog = "calculon",        .compiler = "clang-14" },
};
#define VROW_CNT (sizeof(vrows) / sizeof(vrows[0]))

static void ibpf_verify_open(struct vrow *v)
{
	char path[4096], log[1024] = "";
	IBPF_OPTS(ibpf_object_open_opts, oo, .log_buf = log, .log_size = sizeof(log));

	snprintf(path, sizeof(path), "%s/%s.o", objdir, v->file);
	v->obj = ibpf_object__open_file(path, &oo);
	if (!v->obj) {
		say(v->why, sizeof(v->why), "open %s: %s", path, log);
		return;
	}
	v->p = ibpf_object__find_program_by_name(v->obj, v->prog);
	if (!v->p) {
		say(v->why, sizeof(v->why), "%s: no program %s", path, v->prog);
		return;
	}
	v->ok = 1;
}

static void ibpf_verify_once(struct vrow *v, int i)
{
	char vlog[512] = "";
	IBPF_OPTS(ibpf_verify_opts, vo, .log_level = 0, .log_buf = vlog, .log_size = sizeof(vlog));
	uint64_t t0 = now_ns(), c0 = cpu_ns();
	int rc = ibpf_program__verify(v->p, &vo);

	v->t[i] = (double)(cpu_ns() - c0) / 1e6;
	v->w[i] = (double)(now_ns() - t0) / 1e6;
	if (rc) {
		say(v->why, sizeof(v->why), "rejected (%s) after %u insns: %s", strerror(-rc),
		    vo.insn_processed, vlog);
		v->ok = 0;
		return;
	}
	v->insns = vo.insn_processed;
	v->total_states = vo.total_states;
	v->peak_states = vo.peak_states;
}

/* libbpf loads the object once (maps created, relocations applied); then
 * the program's final instructions go through BPF_PROG_LOAD again, each
 * load timed around the syscall alone. */
static void kern_verify_open(struct vrow *v)
{
	char path[4096];
	uint64_t t0;
	int err;

	v->kern = -1;
	snprintf(path, sizeof(path), "%s/%s.o", objdir, v->file);
	v->kobj = bpf_object__open_file(path, NULL);
	if (!v->kobj) {
		say(v->kwhy, sizeof(v->kwhy), "libbpf cannot open %s: %s", path, strerror(errno));
		return;
	}
	v->kp = bpf_object__find_program_by_name(v->kobj, v->prog);
	if (!v->kp) {
		say(v->kwhy, sizeof(v->kwhy), "%s: no program %s", path, v->prog);
		return;
	}
	t0 = now_ns();
	err = bpf_object__load(v->kobj);
	v->kobj_ms = (double)(now_ns() - t0) / 1e6;
	if (err) {
		say(v->kwhy, sizeof(v->kwhy), "the kernel did not load %s: %s", v->file,
		    strerror(-err));
		return;
	}
	v->kern = 1;
}

static void kern_verify_once(struct vrow *v, int i)
{
	/* BPF_LOG_STATS (4): the log is only the closing statistics.
	 * SEC("syscall") programs must be sleepable (libbpf adds the flag at
	 * load time; bpf_program__flags does not show it). */
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .prog_flags = bpf_program__flags(v->kp) |
		    BPF_F_SLEEPABLE, .prog_btf_fd = bpf_object__btf_fd(v->kobj),
		    .log_level = 4, .log_buf = kern_log, .log_size = sizeof(kern_log));
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);
	uint64_t t0, c0;
	const char *s;
	int fd;

	kern_log[0] = 0;
	t0 = now_ns();
	c0 = cpu_ns();
	fd = bpf_prog_load(bpf_program__type(v->kp), v->prog, "GPL", bpf_program__insns(v->kp),
			   bpf_program__insn_cnt(v->kp), &lo);
	v->kt[i] = (double)(cpu_ns() - c0) / 1e6;
	v->kw[i] = (double)(now_ns() - t0) / 1e6;
	if (fd < 0) {
		say(v->kwhy, sizeof(v->kwhy), "BPF_PROG_LOAD of %s again: %s", v->file,
		    strerror(errno));
		v->kern = -1;
		return;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		say(v->kwhy, sizeof(v->kwhy), "bpf_obj_get_info_by_fd: %s", strerror(errno));
		v->kern = -1;
	}
	close(fd);
	v->kinsns = info.verified_insns;
	s = strstr(kern_log, "verification time ");
	v->kvt[i] = s ? strtod(s + strlen("verification time "), NULL) : -1;
}

/* The kernel row that ibpf's row r is compared with: calculon_switch of the
 * same compiler. */
static const struct vrow *kern_ref(const struct vrow *r)
{
	for (size_t i = 0; i < VROW_CNT; i++)
		if (vrows[i].kern == 1 && !strcmp(vrows[i].prog, "calculon_switch") &&
		    !strcmp(vrows[i].compiler, r->compiler))
			return &vrows[i];
	return NULL;
}

static void bench_verify(int kern_reachable, const char *kern_why)
{
	printf("\n== verification: ibpf_program__verify (log level 0) vs the kernel's "
	       "BPF_PROG_LOAD, medians of %d\n", verify_trials);
	for (size_t i = 0; i < VROW_CNT; i++) {
		struct vrow *v = &vrows[i];

		ibpf_verify_open(v);
		if (kern_reachable && !strcmp(v->prog, "calculon_switch"))
			kern_verify_open(v);
	}
	/* Round-robin, ibpf then the kernel on each object, trial by trial. */
	for (int t = 0; t < verify_trials; t++)
		for (size_t i = 0; i < VROW_CNT; i++) {
			struct vrow *v = &vrows[i];

			if (v->ok)
				ibpf_verify_once(v, t);
			if (v->kern == 1)
				kern_verify_once(v, t);
		}
	for (size_t i = 0; i < VROW_CNT; i++) {
		struct vrow *v = &vrows[i];

		if (v->ok) {
			v->ms = median_of(v->t, verify_trials);
			v->wall_ms = median_of(v->w, verify_trials);
		}
		if (v->kern == 1) {
			v->kms = median_of(v->kt, verify_trials);
			v->kwall_ms = median_of(v->kw, verify_trials);
			v->kverify_us = median_of(v->kvt, verify_trials);
		}
		if (v->obj)
			ibpf_object__close(v->obj);
		if (v->kobj)
			bpf_object__close(v->kobj);
		v->obj = NULL;
		v->kobj = NULL;
	}
	printf("  %-25s %-8s %9s %6s %7s %7s | %9s %7s %7s %7s | %6s %6s %6s\n", "object",
	       "compiler", "processed", "states", "cpu ms", "wall ms", "verified", "cpu ms",
	       "wall ms", "verif", "insns", "cpu", "wall");
	for (size_t i = 0; i < VROW_CNT; i++) {
		const struct vrow *v = &vrows[i], *k = kern_ref(v);
		char obj[64], ib[96] = "", kn[96] = "", rt[96] = "";

		snprintf(obj, sizeof(obj), "%s.o", v->file);
		if (v->ok)
			snprintf(ib, sizeof(ib), "%9u %6u %7.1f %7.1f", v->insns, v->total_states,
				 v->ms, v->wall_ms);
		else
			snprintf(ib, sizeof(ib), "%32s", "n/a (see below)");
		if (v->kern == 1)
			snprintf(kn, sizeof(kn), "%9u %7.1f %7.1f %7.1f", v->kinsns, v->kms,
				 v->kwall_ms, v->kverify_us / 1e3);
		else if (!strcmp(v->prog, "calculon"))
			snprintf(kn, sizeof(kn), "%33s", "(the kernel has no callx)");
		else
			snprintf(kn, sizeof(kn), "%33s", kern_reachable ? "n/a (see below)" :
				 "skipped");
		if (v->ok && k && k->kinsns && k->kms > 0 && k->kwall_ms > 0)
			snprintf(rt, sizeof(rt), "%5.2fx %5.2fx %5.2fx", (double)v->insns / k->kinsns,
				 v->ms / k->kms, v->wall_ms / k->kwall_ms);
		printf("  %-25s %-8s %s | %s | %s\n", obj, v->compiler, ib, kn, rt);
	}
	for (size_t i = 0; i < VROW_CNT; i++) {
		const struct vrow *v = &vrows[i];
		if (!v->ok)
			printf("  note: ibpf %s.o: %s\n", v->file, v->why);
		if (v->kern < 0)
			printf("  note: kernel %s.o: %s\n", v->file, v->kwhy);
	}
	if (!kern_reachable)
		printf("  kernel columns skipped: %s (needs root and a kernel with bpf())\n",
		       kern_why);
	printf("  (left: ibpf; middle: the kernel, verified = verified_insns, verif = its own "
	       "\"verification time\" in ms; right: ibpf / the kernel on calculon_switch of the "
	       "same compiler; cpu = thread CPU time, for the kernel the system time of "
	       "BPF_PROG_LOAD)\n");
	for (size_t i = 0; i < VROW_CNT; i++) {
		const struct vrow *v = &vrows[i];
		if (v->kern == 1)
			printf("  kernel %s.o: first bpf_object__load %.1f ms wall (maps + "
			       "program)\n", v->file, v->kobj_ms);
	}
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

/* "met" or how far off: ratio against an upper bound. */
static const char *verdict(double ratio, double target, char *buf, size_t size)
{
	if (ratio <= target)
		say(buf, size, "met");
	else
		say(buf, size, "missed by %.0f%% (%.2fx the target)", (ratio / target - 1) * 100,
		    ratio / target);
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench [--objdir DIR] [--trials N] [--min-ms MS] "
		"[--verify-trials N] [--only calculon|dispatch|verify]\n");
	exit(2);
}

/* The calculon section; fills the ratios the summary repeats. */
struct calculon_result {
	int kern_ok;
	double kern_slope;                /* the reference: ns/char of the kernel JIT */
	double jit_kern[PROG_CNT];        /* JIT flags 0 / kernel, CPU time, paired; -1 */
	double jit_kern_stat[PROG_CNT];   /* the same against run_time_ns; -1: none */
	double int_jit[PROG_CNT];         /* interp flags 0 / JIT flags 0, paired; -1 */
};

static void bench_calculon(struct kern_bench *k, int kern_reachable, const char *kwhy,
			   struct calculon_result *res)
{
	enum { NCELL = ENGINE_CNT * PROG_CNT + 1, KCELL = NCELL - 1 };
	static struct ccell cells[NCELL];
	struct ccell *kc = &cells[KCELL];
	int stats_fd = -1;

	printf("\n== calculon: ns per character\n");
	printf("expression: %d chars (\"1\" + %d x \"1+\" = %d) vs the first %d char (\"1\"); "
	       "slope = (t%d - t%d) / %d; medians of %d trials of >= %.0f ms, the rows measured "
	       "in turn within each trial\n", LONG_LEN, (LONG_LEN - 1) / 2, EXPECT_LONG,
	       SHORT_LEN, LONG_LEN, SHORT_LEN, LONG_LEN - SHORT_LEN, trials, min_ms);
	for (size_t e = 0; e < ENGINE_CNT; e++)
		for (int p = 0; p < PROG_CNT; p++) {
			struct ccell *c = &cells[e * PROG_CNT + (size_t)p];
			c->label = engines[e].label;
			c->prog = progs[p];
			c->e = &engines[e];
		}
	kc->label = "kernel JIT";
	kc->prog = "calculon_switch";
	kc->k = k;
	if (kern_reachable) {
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		k->stats_on = stats_fd >= 0;
	} else {
		say(kc->why, sizeof(kc->why), "skipped: %s (needs root and a kernel with bpf())",
		    kwhy);
	}
	calculon_measure(cells, kern_reachable ? NCELL : NCELL - 1);
	if (stats_fd >= 0)
		close(stats_fd);

	printf("\n  %-34s %-16s %9s %10s %9s %9s\n", "engine", "program", "t1 ns", "t1023 ns",
	       "ns/char", "wall");
	for (int i = 0; i < KCELL; i++)
		print_ccell(cells[i].label, cells[i].prog, &cells[i], &cells[i].cpu,
			    &cells[i].wall);
	if (!kern_reachable) {
		printf("  %-34s %-16s  %s\n", "kernel JIT", "calculon_switch", kc->why);
	} else {
		print_ccell(k->test_run_repeat > 0 ? "kernel JIT, test_run repeat" :
			    "kernel JIT, test_run loop", "calculon_switch", kc, &kc->cpu, &kc->wall);
		if (kc->stat_ok)
			print_ccell("kernel JIT, run_time_ns/run_cnt", "calculon_switch", kc,
				    &kc->stat, NULL);
		else if (kc->ok)
			printf("  %-34s %-16s  n/a: bpf_enable_stats(BPF_STATS_RUN_TIME) "
			       "unavailable\n", "kernel JIT, run_time_ns/run_cnt", "calculon_switch");
	}
	printf("  (t1, t1023, ns/char: thread CPU time per run, user + system, which leaves "
	       "out the time other processes had the CPU; wall: ns/char by the wall clock)\n");
	if (kern_reachable) {
		if (!k->info.jited_prog_len)
			printf("  note: the kernel did not JIT the program (net.core.bpf_jit_enable "
			       "= 0?): times are its interpreter's\n");
		if (k->test_run_repeat < 0)
			printf("  note: BPF_PROG_TEST_RUN refuses .repeat for syscall programs: the "
			       "kernel rows loop in user space, a syscall per run, which the slope "
			       "cancels\n");
		printf("  kernel load of calculon_switch: verified_insns %u, xlated %u insns, "
		       "jited %u bytes\n", k->info.verified_insns, k->info.xlated_prog_len / 8,
		       k->info.jited_prog_len);
	}

	/* Ratios against the kernel JIT's per-character cost, trial by trial. */
	if (kc->ok) {
		res->kern_ok = 1;
		res->kern_slope = median_of(kc->cpu.slope, trials);
		printf("\n  ibpf / the kernel JIT on calculon_switch (%.2f ns/char by CPU time",
		       res->kern_slope);
		if (kc->stat_ok)
			printf(", %.2f by run_time_ns", median_of(kc->stat.slope, trials));
		printf("), medians of per-trial ratios (target for the JIT: <= 1.0x)\n");
		printf("  %-34s %-16s %9s %9s %9s\n", "", "", "cpu", "wall", "run_time");
		for (int i = 0; i < KCELL; i++) {
			const struct ccell *c = &cells[i];
			if (!c->ok)
				continue;
			double r = paired_ratio(c->cpu.slope, kc->cpu.slope, trials);
			printf("  %-34s %-16s %8.2fx %8.2fx", c->label, c->prog, r,
			       paired_ratio(c->wall.slope, kc->wall.slope, trials));
			if (kc->stat_ok) {
				double rs = paired_ratio(c->cpu.slope, kc->stat.slope, trials);
				printf(" %8.2fx", rs);
				if (c->e == &engines[E_JIT])
					res->jit_kern_stat[i % PROG_CNT] = rs;
			}
			printf("\n");
			if (c->e == &engines[E_JIT])
				res->jit_kern[i % PROG_CNT] = r;
		}
		printf("  (cpu: both by thread CPU time; wall: both by the wall clock; run_time: "
		       "ibpf's CPU time / the kernel's run_time_ns)\n");
	}

	printf("\n  interpreter / JIT on the same program, medians of per-trial ratios of CPU "
	       "time (target: <= 6x):\n");
	for (int p = 0; p < PROG_CNT; p++) {
		const struct ccell *i0 = &cells[E_INTERP * PROG_CNT + p];
		const struct ccell *j0 = &cells[E_JIT * PROG_CNT + p];
		const struct ccell *it = &cells[E_INTERP_TRUSTED * PROG_CNT + p];
		const struct ccell *jt = &cells[E_JIT_TRUSTED * PROG_CNT + p];

		printf("  %-16s", progs[p]);
		if (i0->ok && j0->ok) {
			res->int_jit[p] = paired_ratio(i0->cpu.slope, j0->cpu.slope, trials);
			printf("  flags 0: %5.1fx", res->int_jit[p]);
		} else {
			printf("  flags 0:   n/a");
		}
		if (it->ok && jt->ok)
			printf("   trusted: %5.1fx", paired_ratio(it->cpu.slope, jt->cpu.slope, trials));
		else
			printf("   trusted:   n/a");
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	static struct dispatch_result dr;
	struct calculon_result cr = { 0 };
	struct kern_bench k = { 0 };
	char kwhy[512] = "", buf[128];
	const char *only = NULL;
	int kern_reachable = 0;
	uint64_t start = now_ns();

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--objdir") && i + 1 < argc)
			objdir = argv[++i];
		else if (!strcmp(argv[i], "--trials") && i + 1 < argc)
			trials = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
			min_ms = atof(argv[++i]);
		else if (!strcmp(argv[i], "--verify-trials") && i + 1 < argc)
			verify_trials = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else
			usage();
	}
	if (trials < 1 || trials > 64 || min_ms <= 0 || verify_trials < 1 || verify_trials > 64)
		usage();
	if (only && strcmp(only, "calculon") && strcmp(only, "dispatch") && strcmp(only, "verify"))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_quiet);
	for (int i = 0; i < PROG_CNT; i++)
		cr.jit_kern[i] = cr.jit_kern_stat[i] = cr.int_jit[i] = -1;

	printf("== ibpf bench\n");
	machine();

	/* The kernel: calculon_switch only (it rejects callx).  Loaded first:
	 * whether it loads also decides the kernel columns of verification. */
	if (kern_load(&k, "calculon_switch", kwhy, sizeof(kwhy)) == 0)
		kern_reachable = 1;
	else
		printf("kernel: not reachable, its columns are skipped: %s (needs root and a "
		       "kernel with bpf())\n", kwhy);

	if (!only || !strcmp(only, "calculon"))
		bench_calculon(&k, kern_reachable, kwhy, &cr);
	if (k.obj)
		bpf_object__close(k.obj);
	if (!only || !strcmp(only, "dispatch")) {
		bench_dispatch(&dr);
		print_dispatch(&dr);
	}
	if (!only || !strcmp(only, "verify"))
		bench_verify(kern_reachable, kwhy);

	/* Every target in one place (informational: nothing here fails). */
	printf("\n== targets (ratios from this run; informational, the exit status ignores "
	       "them)\n");
	for (int p = 0; p < PROG_CNT; p++)
		if (cr.jit_kern[p] >= 0)
			printf("  issue 5  JIT %-16s / kernel JIT ns/char <= 1.0x:  %5.2fx  %s "
			       "(against run_time_ns: %.2fx)\n", progs[p], cr.jit_kern[p],
			       verdict(cr.jit_kern[p], 1.0, buf, sizeof(buf)), cr.jit_kern_stat[p]);
	if ((!only || !strcmp(only, "calculon")) && !cr.kern_ok)
		printf("  issue 5  JIT / kernel JIT ns/char: no kernel numbers in this run\n");
	for (int p = 0; p < PROG_CNT; p++)
		if (cr.int_jit[p] >= 0)
			printf("  issue 5  interp / JIT %-16s <= 6x:         %5.1fx  %s\n", progs[p],
			       cr.int_jit[p], verdict(cr.int_jit[p], 6.0, buf, sizeof(buf)));
	for (int e = 0; dr.have && e < DENGINE_CNT; e++)
		for (size_t q = 0; q < DRATIO_CNT; q++) {
			char lab[64];

			if (dratios[q].num == D_REG || dr.ratio[e][q] < 0)
				continue;   /* reg: no table in the loop */
			snprintf(lab, sizeof(lab), "%s %s / %s", dengines[e].label,
				 dforms[dratios[q].num].name, dforms[dratios[q].den].name);
			printf("  issue 5  %-30s <= 1.3x:         %5.2fx  %s\n", lab, dr.ratio[e][q],
			       verdict(dr.ratio[e][q], 1.3, buf, sizeof(buf)));
		}
	for (size_t i = 0; i < VROW_CNT; i++) {
		const struct vrow *v = &vrows[i], *kr = kern_ref(v);
		if (!v->ok || !kr || !kr->kinsns)
			continue;
		if (!strcmp(v->prog, "calculon_switch")) {
			printf("  issue 3  processed %s (%s) / kernel <= 1.5x:   %5.2fx  %s\n",
			       v->prog, v->compiler, (double)v->insns / kr->kinsns,
			       verdict((double)v->insns / kr->kinsns, 1.5, buf, sizeof(buf)));
			printf("  issue 3  verify time %s (%s) / kernel load <= 1x: %5.2fx  %s\n",
			       v->prog, v->compiler, v->ms / kr->kms,
			       verdict(v->ms / kr->kms, 1.0, buf, sizeof(buf)));
		} else {
			printf("  issue 4  processed calculon (callx, %s) / kernel calculon_switch "
			       "verified_insns <= 1x: %5.2fx  %s\n", v->compiler,
			       (double)v->insns / kr->kinsns,
			       verdict((double)v->insns / kr->kinsns, 1.0, buf, sizeof(buf)));
		}
	}
	if ((!only || !strcmp(only, "verify")) && !kern_reachable)
		printf("  issues 3, 4  processed / kernel verified_insns and time / kernel load: no "
		       "kernel numbers in this run\n");
	printf("\nbench: %.1f s\n", (double)(now_ns() - start) / 1e9);
	if (wrong_results)
		printf("\nFAIL: %d measurement(s) computed a wrong result (see above)\n",
		       wrong_results);
	return wrong_results ? 1 : 0;
}
