/* cmd_run.c - `ibpf run`: load an object (or a raw instruction stream), fill
 * maps, run one program with a ctx buffer, print the result. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_MAP_ARGS 64

struct map_arg {
	const char *name;
	const char *file;
};

struct run_args {
	const char *obj, *prog, *ctx, *raw, *mem;
	struct map_arg in[MAX_MAP_ARGS], out[MAX_MAP_ARGS];
	int n_in, n_out;
	unsigned long repeat;
	int json, checked, self_check, trace, engine;
};

static int usage_err(const char *msg, const char *arg)
{
	fprintf(stderr, "ibpf run: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	fprintf(stderr, "usage: ibpf run OBJ [--prog NAME] [--ctx HEX|@FILE] [--map NAME=@FILE]...\n"
			"                [--map-out NAME=FILE]... [--repeat N] [--json] [--checked] [--self-check]\n"
			"                [--trace] [--engine interp|jit]\n"
			"       ibpf run --raw FILE.bin [--mem HEX|@FILE] [--json]\n");
	return EXIT_BAD_INPUT;
}

static int split_map_arg(char *s, struct map_arg *m, int need_at)
{
	char *eq = strchr(s, '=');

	if (!eq || eq == s)
		return -1;
	*eq = 0;
	m->name = s;
	m->file = eq + 1;
	if (need_at) {
		if (m->file[0] != '@')
			return -1;
		m->file++;
	}
	return 0;
}

static int parse(int argc, char **argv, struct run_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		int has_val = i + 1 < argc;

		if (!strcmp(o, "--json")) {
			a->json = 1;
		} else if (!strcmp(o, "--checked")) {
			a->checked = 1;
		} else if (!strcmp(o, "--self-check")) {
			a->self_check = 1;
		} else if (!strcmp(o, "--trace")) {
			a->trace = 1;
		} else if (!strcmp(o, "--prog") && has_val) {
			a->prog = argv[++i];
		} else if (!strcmp(o, "--ctx") && has_val) {
			a->ctx = argv[++i];
		} else if (!strcmp(o, "--raw") && has_val) {
			a->raw = argv[++i];
		} else if (!strcmp(o, "--mem") && has_val) {
			a->mem = argv[++i];
		} else if (!strcmp(o, "--engine") && has_val) {
			o = argv[++i];
			if (!strcmp(o, "interp"))
				a->engine = IBPF_ENGINE_INTERP;
			else if (!strcmp(o, "jit"))
				a->engine = IBPF_ENGINE_JIT;
			else
				return usage_err("unknown engine", o);
		} else if (!strcmp(o, "--repeat") && has_val) {
			char *end;
			a->repeat = strtoul(argv[++i], &end, 10);
			if (*end || a->repeat == 0 || a->repeat > 100000000)
				return usage_err("--repeat takes a number from 1 to 100000000", argv[i]);
		} else if (!strcmp(o, "--map") && has_val) {
			if (a->n_in == MAX_MAP_ARGS || split_map_arg(argv[++i], &a->in[a->n_in++], 1))
				return usage_err("--map takes NAME=@FILE", argv[i]);
		} else if (!strcmp(o, "--map-out") && has_val) {
			if (a->n_out == MAX_MAP_ARGS || split_map_arg(argv[++i], &a->out[a->n_out++], 0))
				return usage_err("--map-out takes NAME=FILE", argv[i]);
		} else if (o[0] == '-') {
			return usage_err("unknown or incomplete option", o);
		} else if (!a->obj) {
			a->obj = o;
		} else {
			return usage_err("unexpected argument", o);
		}
	}
	if (!a->obj == !a->raw)
		return usage_err(a->raw ? "give either OBJ or --raw, not both"
					: "missing OBJ (or --raw FILE.bin)", NULL);
	if (a->raw && (a->ctx || a->prog || a->n_in || a->n_out))
		return usage_err("--raw takes --mem, not --ctx/--prog/--map", NULL);
	if (a->mem && !a->raw)
		return usage_err("--mem goes with --raw", NULL);
	return 0;
}

/* Fill a map from a file: array values for keys 0,1,2,...; hash key||value. */
static int fill_map(struct ibpf_object *obj, const struct map_arg *ma)
{
	struct ibpf_map *m = ibpf_object__find_map_by_name(obj, ma->name);
	size_t size, ks, vs, rec;
	uint8_t *buf;
	int rc = 0;

	if (!m) {
		fprintf(stderr, "ibpf run: %s: no map named '%s'\n", ibpf_object__name(obj), ma->name);
		return EXIT_BAD_INPUT;
	}
	if (ibpf_map__is_frozen(m)) {
		fprintf(stderr, "ibpf run: map '%s' is read-only (frozen at load)\n", ma->name);
		return EXIT_BAD_INPUT;
	}
	buf = cli_read_file(ma->file, &size);
	if (!buf)
		return EXIT_BAD_INPUT;
	ks = ibpf_map__key_size(m);
	vs = ibpf_map__value_size(m);
	int is_hash = ibpf_map__type(m) == BPF_MAP_TYPE_HASH;
	rec = is_hash ? ks + vs : vs;
	if (size % rec || size / rec > ibpf_map__max_entries(m)) {
		fprintf(stderr, "ibpf run: map '%s': %s has %zu bytes; expected a multiple of %zu "
			"(%s) for at most %u entries\n", ma->name, ma->file, size, rec,
			is_hash ? "key+value" : "the value size", ibpf_map__max_entries(m));
		free(buf);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < size / rec && !rc; i++) {
		uint32_t k = (uint32_t)i;
		const void *key = is_hash ? buf + i * rec : (const void *)&k;
		rc = ibpf_map__update_elem(m, key, ks, buf + i * rec + (is_hash ? ks : 0), vs, 0);
	}
	free(buf);
	if (rc) {
		fprintf(stderr, "ibpf run: map '%s': update failed: %s\n", ma->name, strerror(-rc));
		return EXIT_BAD_INPUT;
	}
	return 0;
}

static int dump_map(struct ibpf_object *obj, const struct map_arg *ma)
{
	struct ibpf_map *m = ibpf_object__find_map_by_name(obj, ma->name);
	size_t ks, vs;
	uint8_t *key, *next, *val;
	FILE *f;
	int rc = 0, first = 1;

	if (!m) {
		fprintf(stderr, "ibpf run: no map named '%s'\n", ma->name);
		return EXIT_BAD_INPUT;
	}
	ks = ibpf_map__key_size(m);
	vs = ibpf_map__value_size(m);
	f = fopen(ma->file, "wb");
	key = calloc(1, ks);
	next = calloc(1, ks);
	val = calloc(1, vs);
	if (!f || !key || !next || !val) {
		fprintf(stderr, "ibpf run: %s: %s\n", ma->file, strerror(errno));
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	while (!ibpf_map__get_next_key(m, first ? NULL : key, next, ks)) {
		first = 0;
		memcpy(key, next, ks);
		if (ibpf_map__lookup_elem(m, key, ks, val, vs, 0))
			continue;
		if (ibpf_map__type(m) == BPF_MAP_TYPE_HASH)
			fwrite(key, 1, ks, f);
		fwrite(val, 1, vs, f);
	}
out:
	if (f && fclose(f) && !rc) {
		fprintf(stderr, "ibpf run: %s: write failed\n", ma->file);
		rc = EXIT_BAD_INPUT;
	}
	free(key);
	free(next);
	free(val);
	return rc;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

struct ibpf_object *cli_open_raw(const char *path)
{
	size_t size;
	void *buf = cli_read_file(path, &size);
	char log[512] = "";
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log),
		  .object_name = path);
	struct ibpf_object *obj;

	if (!buf)
		return NULL;
	if (size % sizeof(struct bpf_insn) || size == 0) {
		fprintf(stderr, "ibpf run: %s: %zu bytes is not a whole number of 8-byte "
			"instructions\n", path, size);
		free(buf);
		return NULL;
	}
	obj = ibpf_object__open_raw(buf, size / sizeof(struct bpf_insn), &o);
	if (!obj)
		fprintf(stderr, "ibpf run: %s\n", log[0] ? log : strerror(errno));
	free(buf);
	return obj;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .repeat = 1 };
	struct ibpf_object *obj = NULL;
	struct ibpf_program *prog;
	uint8_t *ctx = NULL, *ctx_out = NULL;
	size_t ctx_size = 0;
	char log[1024] = "", trace[65536] = "";
	int rc, ex = EXIT_BAD_INPUT;

	if ((rc = parse(argc, argv, &a)))
		return rc;
	obj = a.raw ? cli_open_raw(a.raw) : cli_open(a.obj);
	if (!obj)
		return EXIT_BAD_INPUT;
	prog = cli_pick_prog(obj, a.prog);
	if (!prog)
		goto out;
	if (a.ctx || a.mem) {
		ctx = cli_bytes_arg(a.ctx ? a.ctx : a.mem, &ctx_size);
		if (!ctx)
			goto out;
	}
	for (int i = 0; i < a.n_in; i++)
		if (fill_map(obj, &a.in[i]))
			goto out;
	ctx_out = malloc(ctx_size + 1);
	if (!ctx_out)
		goto out;

	IBPF_OPTS(ibpf_test_run_opts, o,
		  .ctx_in = ctx, .ctx_size_in = (uint32_t)ctx_size,
		  .ctx_out = ctx_out, .ctx_size_out = (uint32_t)ctx_size,
		  .repeat = (uint32_t)a.repeat, .engine = a.engine,
		  .flags = (a.checked ? IBPF_RUN_CHECKED : 0) |
			   (a.self_check ? IBPF_RUN_SELF_CHECK : 0),
		  .log_buf = log, .log_size = sizeof(log),
		  .trace_buf = trace, .trace_size = sizeof(trace));
	rc = ibpf_prog_test_run_opts(prog, &o);
	if (rc) {
		fprintf(stderr, "ibpf run: %s: %s\n", ibpf_program__name(prog),
			log[0] ? log : strerror(-rc));
		ex = EXIT_REJECTED;
		goto out;
	}
	for (int i = 0; i < a.n_out; i++)
		if (dump_map(obj, &a.out[i]))
			goto out;
	if (a.json) {
		printf("{\"retval\": %" PRId64 ", \"ctx_out\": \"", (int64_t)o.retval);
		print_hex(stdout, ctx_out, ctx_size);
		printf("\", \"ns_per_run\": %" PRIu64 "}\n", o.duration);
		if (a.trace && o.trace_len)
			fputs(trace, stderr);
	} else {
		printf("%s: retval %" PRId64 " (0x%" PRIx64 ")\n", ibpf_program__name(prog),
		       (int64_t)o.retval, o.retval);
		if (ctx_size) {
			printf("ctx_out: ");
			print_hex(stdout, ctx_out, ctx_size);
			printf("\n");
		}
		if (a.repeat > 1)
			printf("%" PRIu64 " ns per run (%lu runs)\n", o.duration, a.repeat);
		if (o.trace_len)
			printf("trace:\n%s", trace);
	}
	ex = EXIT_OK;
out:
	free(ctx);
	free(ctx_out);
	ibpf_object__close(obj);
	return ex;
}
