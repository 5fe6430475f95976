/* test_maps_reclaim.c - a hash element deleted or replaced while a program
 * holds a pointer to it stays valid until that program returns (deferred
 * reclamation, src/maps/maps.c), on both engines, in checked mode, and with
 * several threads running programs while another deletes and updates
 * elements through the API.  Under ASan a use after free in the interpreter
 * or a helper is reported; the JIT's loads are not instrumented, so freed
 * memory is filled (__asan_default_options below) and the values the
 * programs read are checked. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <ibpf/ibpf.h>
#include "core/object.h"
#include "test.h"

/* ASan builds: fill freed memory, so that a JIT program reading a freed
 * element sees 0x55 bytes instead of the old value. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "max_free_fill_size=4096";
}

struct uaf_ctx {
	uint64_t key, val, out;
};

#define RET_MISSING 0xffffffffull /* `return -1` from an int program */

static const char *const objs[] = { "hash_uaf.o", "hash_uaf.clang14.o" };

static int put(struct ibpf_map *m, uint32_t key, uint64_t val)
{
	return ibpf_map__update_elem(m, &key, sizeof(key), &val, sizeof(val), BPF_ANY);
}

static int get(struct ibpf_map *m, uint32_t key, uint64_t *val)
{
	return ibpf_map__lookup_elem(m, &key, sizeof(key), val, sizeof(*val), 0);
}

static int run(struct ibpf_program *prog, int engine, uint32_t flags, uint32_t repeat,
	       struct uaf_ctx *c, uint64_t *retval, char *log, size_t logsz)
{
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = c, .ctx_size_in = sizeof(*c), .ctx_out = c,
		  .ctx_size_out = sizeof(*c), .engine = engine, .flags = flags, .repeat = repeat,
		  .log_buf = log, .log_size = logsz);
	int rc = ibpf_prog_test_run_opts(prog, &o);
	*retval = o.retval;
	return rc;
}

/* Each program on each engine (and the checked interpreter), from both
 * compilers: it reads the value from before its own delete / update through
 * the old pointer, writes it, reads it back; the map then shows the delete /
 * the new value, and nothing is left waiting for reclamation. */
TEST(maps_reclaim_pointer_survives_delete_and_update)
{
	static const struct { int engine; uint32_t flags; } modes[] = {
		{ IBPF_ENGINE_INTERP, 0 }, { IBPF_ENGINE_JIT, 0 },
		{ IBPF_ENGINE_INTERP, IBPF_RUN_CHECKED },
	};
	char log[512] = "";

	for (size_t f = 0; f < 2; f++)
		for (size_t mo = 0; mo < 3; mo++)
			for (int upd = 0; upd < 2; upd++) {
				struct ibpf_object *obj = ibpf_object__open_file(test_obj(objs[f]), NULL);
				struct ibpf_program *prog = obj ? ibpf_object__find_program_by_name(obj,
					upd ? "lookup_update" : "lookup_delete") : NULL;
				struct ibpf_map *m = obj ? ibpf_object__find_map_by_name(obj, "uaf_hash") : NULL;
				struct uaf_ctx c = { .key = 3, .val = 7 };
				uint64_t ret = 0, v = 0;

				CHECK(obj && prog && m);
				CHECK_EQ(put(m, 3, 41), 0);
				CHECK_EQ(put(m, 4, 50), 0);
				if (run(prog, modes[mo].engine, modes[mo].flags, 1, &c, &ret, log,
					sizeof(log))) {
					fprintf(stderr, "  %s %s mode %zu: %s\n", objs[f],
						upd ? "lookup_update" : "lookup_delete", mo, log);
					CHECK(0);
				}
				CHECK_EQ(ret, 41);
				CHECK_EQ(c.out, 42);
				if (upd) {
					CHECK_EQ(get(m, 3, &v), 0);
					CHECK_EQ(v, 7);
				} else {
					CHECK_EQ(get(m, 3, &v), -ENOENT);
				}
				CHECK_EQ(get(m, 4, &v), 0);
				CHECK_EQ(v, 50);
				CHECK_EQ(ibpf_map_domain_pending(&obj->maps_domain), 0);
				/* The key is gone (delete) or holds 7 (update). */
				c = (struct uaf_ctx){ .key = 3, .val = 8 };
				CHECK_EQ(run(prog, modes[mo].engine, modes[mo].flags, 1, &c, &ret,
					     log, sizeof(log)), 0);
				CHECK_EQ(ret, upd ? 7 : RET_MISSING);
				ibpf_object__close(obj);
			}
}

/* repeat: every iteration replaces the element it holds; between
 * iterations the run holds nothing, and at its end nothing is pending. */
TEST(maps_reclaim_repeat)
{
	for (int engine = IBPF_ENGINE_INTERP; engine <= IBPF_ENGINE_JIT; engine++) {
		struct ibpf_object *obj = ibpf_object__open_file(test_obj("hash_uaf.o"), NULL);
		struct ibpf_program *prog = obj ? ibpf_object__find_program_by_name(obj,
									   "lookup_update") : NULL;
		struct ibpf_map *m = obj ? ibpf_object__find_map_by_name(obj, "uaf_hash") : NULL;
		struct uaf_ctx c = { .key = 9, .val = 5 };
		uint64_t ret = 0, v = 0;
		char log[256] = "";

		CHECK(obj && prog && m);
		CHECK_EQ(put(m, 9, 1), 0);
		CHECK_EQ(run(prog, engine, 0, 1000, &c, &ret, log, sizeof(log)), 0);
		CHECK_EQ(ret, 5);          /* the last iteration read the 5 of the one before */
		CHECK_EQ(c.out, 6);
		CHECK_EQ(get(m, 9, &v), 0);
		CHECK_EQ(v, 5);
		CHECK_EQ(ibpf_map_domain_pending(&obj->maps_domain), 0);
		ibpf_object__close(obj);
	}
}

/* The reclamation rule itself, on the maps layer: an element retired while
 * runs are active is freed only when every run that started before the
 * retire has ended (or passed a point where it holds nothing). */
TEST(maps_reclaim_epochs)
{
	struct ibpf_object *obj = ibpf_object__open_file(test_obj("hash_uaf.o"), NULL);
	struct ibpf_map *m = obj ? ibpf_object__find_map_by_name(obj, "uaf_hash") : NULL;
	struct ibpf_map_domain *d;
	struct ibpf_map_run r1, r2;
	uint32_t k1 = 1, k2 = 2;
	uint64_t *p1, *p2;

	CHECK(obj && m);
	d = &obj->maps_domain;
	CHECK_EQ(put(m, 1, 11), 0);
	CHECK_EQ(put(m, 2, 22), 0);
	/* No run active: a delete frees at once. */
	CHECK_EQ(put(m, 5, 55), 0);
	CHECK_EQ(ibpf_map__delete_elem(m, &(uint32_t){ 5 }, 4, 0), 0);
	CHECK_EQ(ibpf_map_domain_pending(d), 0);

	ibpf_map_run_begin(d, &r1);
	p1 = ibpf_map_lookup(m, &k1);
	CHECK(p1 && *p1 == 11);
	CHECK_EQ(ibpf_map_delete(m, &k1), 0);           /* r1 may hold it */
	CHECK_EQ(ibpf_map_domain_pending(d), 1);
	ibpf_map_run_begin(d, &r2);
	p2 = ibpf_map_lookup(m, &k2);
	CHECK(p2 && *p2 == 22);
	CHECK_EQ(put(m, 2, 23), 0);                     /* replaced: r1, r2 may hold it */
	CHECK_EQ(ibpf_map_domain_pending(d), 2);
	CHECK_EQ(*p1, 11);                              /* both still readable */
	CHECK_EQ(*p2, 22);
	*p1 = 12;
	ibpf_map_run_end(d, &r1);                       /* k1's element: only r1 could hold it */
	CHECK_EQ(ibpf_map_domain_pending(d), 1);
	CHECK_EQ(*p2, 22);
	ibpf_map_run_quiesce(d, &r2);                   /* r2 holds nothing now */
	CHECK_EQ(ibpf_map_domain_pending(d), 1);        /* freed at the next retire or end */
	CHECK_EQ(ibpf_map_delete(m, &k2), 0);           /* retires 23's element, frees 22's */
	CHECK_EQ(ibpf_map_domain_pending(d), 1);
	ibpf_map_run_end(d, &r2);
	CHECK_EQ(ibpf_map_domain_pending(d), 0);
	ibpf_object__close(obj);
}

/* ---- threads ------------------------------------------------------------- */

#define N_RUNNERS 4
#define KEYS_PER_RUNNER 1
#define RUNS_PER_THREAD 20000
#define API_MARK (1u << 30)        /* values the API thread writes */

struct shared {
	struct ibpf_object *obj;
	struct ibpf_map *m;
	_Atomic int stop;
	_Atomic int bad;
	uint64_t api_ops, api_deferred; /* API deletes/updates; after how many
					 * an element was waiting for a run */
	char why[256];
	pthread_mutex_t why_lock;
};

struct runner {
	struct shared *sh;
	int id;
	uint64_t runs, hits, api_seen; /* api_seen: read a value the API thread wrote */
};

static void fail(struct shared *sh, const char *fmt, uint64_t a, uint64_t b)
{
	pthread_mutex_lock(&sh->why_lock);
	if (!sh->bad)
		snprintf(sh->why, sizeof(sh->why), fmt, (unsigned long long)a,
			 (unsigned long long)b);
	sh->bad = 1;
	pthread_mutex_unlock(&sh->why_lock);
}

/* Puts a value of its own into one of its keys, then runs a program that
 * looks the key up and deletes or replaces it while the API thread deletes
 * and replaces the same keys.  The program reads either this thread's value
 * or one the API thread wrote (never freed memory), or finds no element. */
static void *runner_main(void *arg)
{
	struct runner *r = arg;
	struct shared *sh = r->sh;
	struct ibpf_program *progs[2] = {
		ibpf_object__find_program_by_name(sh->obj, "lookup_delete"),
		ibpf_object__find_program_by_name(sh->obj, "lookup_update"),
	};
	char log[256];

	for (uint32_t i = 0; i < RUNS_PER_THREAD && !sh->bad; i++) {
		uint32_t key = (uint32_t)r->id * KEYS_PER_RUNNER + i % KEYS_PER_RUNNER;
		uint64_t mine = (uint64_t)r->id << 20 | i, ret = 0;
		struct uaf_ctx c = { .key = key, .val = mine + 7 };
		int engine = i & 2 ? IBPF_ENGINE_JIT : IBPF_ENGINE_INTERP;

		if (put(sh->m, key, mine))
			fail(sh, "runner: update of key %llu failed (%llu)", key, 0);
		log[0] = 0;
		if (run(progs[i & 1], engine, 0, 1 + i % 3, &c, &ret, log, sizeof(log))) {
			fail(sh, "runner: run failed (key %llu, iteration %llu)", key, i);
			break;
		}
		r->runs++;
		if (ret == RET_MISSING)
			continue;
		r->hits++;
		/* mine, mine + 7 (its own update, on a repeat), or the API's mark */
		if (ret >= API_MARK && ret < 2 * API_MARK)
			r->api_seen++;
		else if (ret != mine && ret != mine + 7)
			fail(sh, "program read %llu (expected %llu or the API's value)", ret, mine);
		if (c.out != ret + 1)
			fail(sh, "program read back %llu after writing %llu", c.out, ret + 1);
	}
	return NULL;
}

/* Deletes and replaces every runner's keys, as fast as it can. */
static void *api_main(void *arg)
{
	struct shared *sh = arg;
	uint32_t n = N_RUNNERS * KEYS_PER_RUNNER, i = 0;

	while (!sh->stop && !sh->bad) {
		uint32_t key = i % n;
		if (i & 1)
			put(sh->m, key, API_MARK + i % API_MARK);
		else
			ibpf_map__delete_elem(sh->m, &key, sizeof(key), 0);
		sh->api_deferred += ibpf_map_domain_pending(&sh->obj->maps_domain) > 0;
		sh->api_ops++;
		i++;
	}
	return NULL;
}

TEST(maps_reclaim_threads)
{
	struct shared sh = { 0 };
	struct runner rs[N_RUNNERS];
	pthread_t rt[N_RUNNERS], at;
	uint64_t runs = 0, hits = 0, api_seen = 0;

	sh.obj = ibpf_object__open_file(test_obj("hash_uaf.o"), NULL);
	CHECK(sh.obj);
	sh.m = ibpf_object__find_map_by_name(sh.obj, "uaf_hash");
	CHECK(sh.m);
	pthread_mutex_init(&sh.why_lock, NULL);
	CHECK_EQ(pthread_create(&at, NULL, api_main, &sh), 0);
	for (int i = 0; i < N_RUNNERS; i++) {
		rs[i] = (struct runner){ .sh = &sh, .id = i };
		CHECK_EQ(pthread_create(&rt[i], NULL, runner_main, &rs[i]), 0);
	}
	for (int i = 0; i < N_RUNNERS; i++) {
		pthread_join(rt[i], NULL);
		runs += rs[i].runs;
		hits += rs[i].hits;
		api_seen += rs[i].api_seen;
	}
	sh.stop = 1;
	pthread_join(at, NULL);
	pthread_mutex_destroy(&sh.why_lock);
	if (sh.bad)
		fprintf(stderr, "  %s\n", sh.why);
	CHECK(!sh.bad);
	CHECK_EQ(runs, N_RUNNERS * RUNS_PER_THREAD);
	/* The programs found their element often enough to mean something. */
	if (getenv("IBPF_TEST_VERBOSE"))
		fprintf(stderr, "  %llu runs, %llu found their element, %llu read the API "
			"thread's value; %llu API deletes/updates, after %llu of them an "
			"element was waiting for a run\n", (unsigned long long)runs,
			(unsigned long long)hits, (unsigned long long)api_seen,
			(unsigned long long)sh.api_ops, (unsigned long long)sh.api_deferred);
	CHECK(hits > runs / 10);
	CHECK_EQ(ibpf_map_domain_pending(&sh.obj->maps_domain), 0);
	ibpf_object__close(sh.obj);
}
