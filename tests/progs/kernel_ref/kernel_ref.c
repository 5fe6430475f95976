// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_ref - run a BPF object's program in the *running kernel* with
 * BPF_PROG_TEST_RUN, with the same command line as `ibpf run`, so that the
 * kernel's verdict and result can be compared with ibpf's (the kernel is the
 * oracle for every program that needs no callx).
 *
 *   kernel_ref run OBJ [--prog NAME] [--ctx HEX|@FILE] [--map NAME=@FILE]...
 *                      [--map-out NAME=FILE]... [--repeat N] [--json] [--log]
 *
 * --prog NAME      program to load and run (default: the first one); every
 *                  other program of the object is left unloaded (autoload
 *                  off), so an object may also hold programs the kernel
 *                  would reject (callx).
 * --ctx HEX|@FILE  context bytes (raw, little-endian), as hex digits or read
 *                  from FILE.  For syscall programs the kernel copies the
 *                  context back; it is printed as ctx_out.
 * --map NAME=@FILE fill an array map from FILE: key 0 gets the first
 *                  value_size bytes, key 1 the next, ... (a trailing partial
 *                  value is an error).  Global data maps are named .bss,
 *                  .data, .rodata (single value; FILE may be shorter, the
 *                  rest keeps the ELF's initial bytes); these are set before
 *                  load, other maps after load.
 * --map-out NAME=FILE  after the run, write the map back in the same layout
 *                  (all max_entries values, key order).
 * --repeat N       run N times (syscall programs cannot use the kernel's
 *                  repeat, so the loop is in user space); the result is the
 *                  last run's.
 * --json           print {"retval": N, "ctx_out": "<hex>", "ns_per_run": N,
 *                  "verified_insns": N, "xlated_insns": N, "jited": 0|1}
 *                  (ns_per_run is wall time per BPF_PROG_TEST_RUN syscall,
 *                  measured in user space, syscall overhead included).
 * --log            print the kernel verifier log (level 1) to stderr;
 * --log-level N    the same with log level N (2: every state, 4: stats).
 *
 * Without --json it prints "retval N" and "ctx_out HEX".
 * Exit codes: 0 ran, 1 libbpf or the kernel rejected the object or the run
 * failed, 2 bad usage or input, 3 no kernel BPF (not root, bpf()
 * unavailable) - callers treat 3 as "skip".
 *
 * retval is printed as a signed 32-bit number (the kernel reports a u32).
 *
 * Build: gcc -O2 -Wall -o kernel_ref kernel_ref.c -lbpf   (libbpf >= 1.0)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_MAP_ARGS 32

struct map_arg {
	const char *name;
	const char *file;
};

static bool print_libbpf;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !print_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kernel_ref run OBJ [--prog NAME] [--ctx HEX|@FILE] [--map NAME=@FILE]...\n"
		"                          [--map-out NAME=FILE]... [--repeat N] [--json] [--log]\n"
		"                          [--log-level N]\n");
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	size_t n = 0, cap = 0, r;

	if (!f) {
		fprintf(stderr, "kernel_ref: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 4096;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				fclose(f);
				return -1;
			}
			b = nb;
		}
		r = fread(b + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		fprintf(stderr, "kernel_ref: %s: read error\n", path);
		free(b);
		fclose(f);
		return -1;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

static int parse_hex(const char *s, unsigned char **buf, size_t *len)
{
	size_t n = 0, i;
	unsigned char *b;
	int hi = -1;

	b = malloc(strlen(s) / 2 + 1);
	if (!b)
		return -1;
	for (i = 0; s[i]; i++) {
		int v;
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else if (c == ' ' || c == '_' || c == ':')
			continue;
		else {
			fprintf(stderr, "kernel_ref: bad hex digit '%c' in --ctx\n", c);
			free(b);
			return -1;
		}
		if (hi < 0) {
			hi = v;
		} else {
			b[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "kernel_ref: odd number of hex digits in --ctx\n");
		free(b);
		return -1;
	}
	*buf = b;
	*len = n;
	return 0;
}

static int split_map_arg(const char *arg, struct map_arg *m, bool want_at)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg)
		return -1;
	if (want_at && eq[1] != '@')
		return -1;
	m->name = strndup(arg, (size_t)(eq - arg));
	m->file = eq + 1 + (want_at ? 1 : 0);
	return m->name && *m->file ? 0 : -1;
}

static bool is_global_data(const struct bpf_map *map)
{
	const char *n = bpf_map__name(map);
	/* libbpf names internal maps "<obj prefix>.bss" etc. */
	const char *dot = strrchr(n, '.');

	return dot && (!strcmp(dot, ".bss") || !strcmp(dot, ".data") ||
		       !strcmp(dot, ".rodata") || !strncmp(dot, ".data.", 6) ||
		       !strncmp(dot, ".rodata.", 8) || !strcmp(dot, ".kconfig"));
}

static struct bpf_map *find_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map)
		fprintf(stderr, "kernel_ref: no map named '%s'\n", name);
	return map;
}

/* Global data: overlay FILE onto the ELF's initial value, before load. */
static int fill_global_map(struct bpf_map *map, const char *path)
{
	size_t vsz = bpf_map__value_size(map), isz = 0, len;
	const void *init = bpf_map__initial_value(map, &isz);
	unsigned char *buf, *data;
	int err;

	if (read_file(path, &data, &len))
		return -1;
	if (len > vsz) {
		fprintf(stderr, "kernel_ref: %s: %zu bytes, map %s holds %zu\n",
			path, len, bpf_map__name(map), vsz);
		free(data);
		return -1;
	}
	buf = calloc(1, vsz ? vsz : 1);
	if (!buf) {
		free(data);
		return -1;
	}
	if (init)
		memcpy(buf, init, isz < vsz ? isz : vsz);
	memcpy(buf, data, len);
	err = bpf_map__set_initial_value(map, buf, vsz);
	if (err)
		fprintf(stderr, "kernel_ref: set initial value of %s: %s\n",
			bpf_map__name(map), strerror(-err));
	free(buf);
	free(data);
	return err ? -1 : 0;
}

static int fill_array_map(struct bpf_map *map, const char *path)
{
	size_t vsz = bpf_map__value_size(map), len, off;
	__u32 max = bpf_map__max_entries(map), key;
	unsigned char *data;

	if (bpf_map__type(map) != BPF_MAP_TYPE_ARRAY) {
		fprintf(stderr, "kernel_ref: --map %s: only array maps can be filled\n",
			bpf_map__name(map));
		return -1;
	}
	if (read_file(path, &data, &len))
		return -1;
	if (len % vsz || len / vsz > max) {
		fprintf(stderr, "kernel_ref: %s: %zu bytes is not a whole number of "
			"%zu-byte values for at most %u keys of %s\n",
			path, len, vsz, max, bpf_map__name(map));
		free(data);
		return -1;
	}
	for (off = 0, key = 0; off < len; off += vsz, key++) {
		if (bpf_map_update_elem(bpf_map__fd(map), &key, data + off, BPF_ANY)) {
			fprintf(stderr, "kernel_ref: update %s[%u]: %s\n",
				bpf_map__name(map), key, strerror(errno));
			free(data);
			return -1;
		}
	}
	free(data);
	return 0;
}

static int dump_map(struct bpf_map *map, const char *path)
{
	size_t vsz = bpf_map__value_size(map);
	__u32 max = bpf_map__max_entries(map), key;
	unsigned char *val;
	FILE *f;

	if (bpf_map__type(map) != BPF_MAP_TYPE_ARRAY) {
		fprintf(stderr, "kernel_ref: --map-out %s: only array maps\n",
			bpf_map__name(map));
		return -1;
	}
	val = malloc(vsz);
	f = fopen(path, "wb");
	if (!val || !f) {
		fprintf(stderr, "kernel_ref: %s: %s\n", path, strerror(errno));
		free(val);
		if (f)
			fclose(f);
		return -1;
	}
	for (key = 0; key < max; key++) {
		if (bpf_map_lookup_elem(bpf_map__fd(map), &key, val)) {
			fprintf(stderr, "kernel_ref: lookup %s[%u]: %s\n",
				bpf_map__name(map), key, strerror(errno));
			free(val);
			fclose(f);
			return -1;
		}
		fwrite(val, 1, vsz, f);
	}
	free(val);
	return fclose(f) ? -1 : 0;
}

static void print_hex(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

int main(int argc, char **argv)
{
	const char *obj_path, *prog_name = NULL;
	struct map_arg maps_in[MAX_MAP_ARGS], maps_out[MAX_MAP_ARGS];
	int n_in = 0, n_out = 0, i, err, prog_fd, ret = 1;
	unsigned char *ctx = NULL;
	size_t ctx_len = 0;
	long repeat = 1, r;
	bool json = false, want_log = false;
	struct bpf_object *obj = NULL;
	struct bpf_program *prog = NULL, *p;
	struct bpf_prog_info info;
	__u32 info_len = sizeof(info);
	struct timespec t0, t1;
	double ns;
	char *log_buf = NULL;
	size_t log_size = 16 << 20;
	__u32 retval = 0, log_level = 1;

	if (argc < 3 || strcmp(argv[1], "run")) {
		usage();
		return 2;
	}
	obj_path = argv[2];
	for (i = 3; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(a, "--log")) {
			want_log = true;
			continue;
		}
		if (!strcmp(a, "--log-level") && i + 1 < argc) {
			want_log = true;
			log_level = (__u32)strtoul(argv[++i], NULL, 0);
			continue;
		}
		if (!strcmp(a, "--debug")) {
			print_libbpf = true;
			continue;
		}
		if (!v) {
			usage();
			goto bad_usage;
		}
		i++;
		if (!strcmp(a, "--prog")) {
			prog_name = v;
		} else if (!strcmp(a, "--ctx")) {
			free(ctx);
			ctx = NULL;
			ctx_len = 0;
			if (v[0] == '@' ? read_file(v + 1, &ctx, &ctx_len)
					: parse_hex(v, &ctx, &ctx_len))
				goto bad_usage;
		} else if (!strcmp(a, "--map")) {
			if (n_in == MAX_MAP_ARGS || split_map_arg(v, &maps_in[n_in++], true)) {
				fprintf(stderr, "kernel_ref: --map wants NAME=@FILE\n");
				goto bad_usage;
			}
		} else if (!strcmp(a, "--map-out")) {
			if (n_out == MAX_MAP_ARGS || split_map_arg(v, &maps_out[n_out++], false)) {
				fprintf(stderr, "kernel_ref: --map-out wants NAME=FILE\n");
				goto bad_usage;
			}
		} else if (!strcmp(a, "--repeat")) {
			char *end;

			repeat = strtol(v, &end, 0);
			if (*end || repeat < 1) {
				fprintf(stderr, "kernel_ref: bad --repeat '%s'\n", v);
				goto bad_usage;
			}
		} else {
			usage();
			goto bad_usage;
		}
	}

	libbpf_set_print(libbpf_print);

	/* Is bpf() usable at all?  (BPF_PROG_LOAD of nothing gives EINVAL.) */
	if (syscall(__NR_bpf, BPF_PROG_LOAD, NULL, 0) < 0 &&
	    (errno == ENOSYS || errno == EPERM)) {
		fprintf(stderr, "kernel_ref: bpf() unavailable: %s (skip)\n", strerror(errno));
		ret = 3;
		goto out;
	}

	if (access(obj_path, R_OK)) {
		fprintf(stderr, "kernel_ref: %s: %s\n", obj_path, strerror(errno));
		ret = 2;
		goto out;
	}
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj) {
		/* libbpf refused the object (e.g. a "callx" section): rejected */
		fprintf(stderr, "kernel_ref: open %s: %s\n", obj_path, strerror(errno));
		ret = 1;
		goto out;
	}
	bpf_object__for_each_program(p, obj) {
		if (!prog && (!prog_name || !strcmp(bpf_program__name(p), prog_name)))
			prog = p;
		else
			bpf_program__set_autoload(p, false);
	}
	if (!prog) {
		fprintf(stderr, "kernel_ref: %s: no program %s\n", obj_path,
			prog_name ? prog_name : "at all");
		ret = 2;
		goto out;
	}
	if (want_log) {
		log_buf = calloc(1, log_size);
		if (!log_buf || bpf_program__set_log_buf(prog, log_buf, log_size) ||
		    bpf_program__set_log_level(prog, log_level))
			goto out;
	}

	for (i = 0; i < n_in; i++) {
		struct bpf_map *map = find_map(obj, maps_in[i].name);

		if (!map) {
			ret = 2;
			goto out;
		}
		if (is_global_data(map) && fill_global_map(map, maps_in[i].file)) {
			ret = 2;
			goto out;
		}
	}

	err = bpf_object__load(obj);
	if (want_log && log_buf[0])
		fprintf(stderr, "%s", log_buf);
	if (err) {
		fprintf(stderr, "kernel_ref: load %s: %s\n", obj_path, strerror(-err));
		goto out;
	}
	prog_fd = bpf_program__fd(prog);

	for (i = 0; i < n_in; i++) {
		struct bpf_map *map = find_map(obj, maps_in[i].name);

		if (!is_global_data(map) && fill_array_map(map, maps_in[i].file)) {
			ret = 2;
			goto out;
		}
	}

	/* A syscall program writes its context back into ctx_in. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < repeat; r++) {
		LIBBPF_OPTS(bpf_test_run_opts, topts,
			    .ctx_in = ctx_len ? ctx : NULL,
			    .ctx_size_in = (__u32)ctx_len);
		unsigned char *run_ctx = NULL;

		/* every run starts from the caller's ctx; keep the last output */
		if (ctx_len) {
			run_ctx = malloc(ctx_len);
			if (!run_ctx)
				goto out;
			memcpy(run_ctx, ctx, ctx_len);
			topts.ctx_in = run_ctx;
		}
		err = bpf_prog_test_run_opts(prog_fd, &topts);
		if (err) {
			fprintf(stderr, "kernel_ref: test run: %s\n", strerror(errno));
			free(run_ctx);
			goto out;
		}
		retval = topts.retval;
		if (r == repeat - 1 && ctx_len)
			memcpy(ctx, run_ctx, ctx_len);
		free(run_ctx);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (double)repeat;

	for (i = 0; i < n_out; i++) {
		struct bpf_map *map = find_map(obj, maps_out[i].name);

		if (!map || dump_map(map, maps_out[i].file))
			goto out;
	}

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &info_len))
		memset(&info, 0, sizeof(info));

	if (json) {
		printf("{\"retval\": %d, \"ctx_out\": \"", (int)retval);
		print_hex(ctx, ctx_len);
		printf("\", \"ns_per_run\": %.0f, \"verified_insns\": %u, "
		       "\"xlated_insns\": %u, \"jited\": %d}\n",
		       ns, info.verified_insns, info.xlated_prog_len / 8,
		       info.jited_prog_len ? 1 : 0);
	} else {
		printf("retval %d\nctx_out ", (int)retval);
		print_hex(ctx, ctx_len);
		printf("\nverified_insns %u\n", info.verified_insns);
	}
	ret = 0;
	goto out;
bad_usage:
	ret = 2;
out:
	bpf_object__close(obj);
	for (i = 0; i < n_in; i++)
		free((char *)maps_in[i].name);
	for (i = 0; i < n_out; i++)
		free((char *)maps_out[i].name);
	free(log_buf);
	free(ctx);
	return ret;
}
