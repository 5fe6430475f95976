/* main.c - the ibpf command: a table of subcommands and the helpers they
 * share (opening objects, reading files, hex arguments). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "run", cmd_run,
	  "run OBJ [--prog NAME] [--ctx HEX|@FILE] [--map NAME=@FILE]... [--map-out NAME=FILE]...\n"
	  "          [--repeat N] [--json] [--checked] [--trace]\n"
	  "      run --raw FILE.bin [--mem HEX|@FILE] [--json]" },
	{ "verify", cmd_verify,
	  "verify OBJ [--prog NAME] [--log-level 0|1|2]\n"
	  "      verify --raw FILE.bin [--mem-size N] [--log-level 0|1|2]" },
	{ "dump", cmd_dump, "dump xlated OBJ [--prog NAME] [opcodes]\n"
	  "      dump insns OBJ [--prog NAME]\n"
	  "      dump jited OBJ [--prog NAME] [opcodes]" },
	{ "show", cmd_show, "show OBJ" },
	{ "map", cmd_map,
	  "map OBJ NAME [dump | lookup KEY | update KEY VALUE | delete KEY | next [KEY]]...\n"
	  "      (KEY and VALUE in hex, little-endian bytes as in memory)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ibpf COMMAND ...\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  ibpf %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ibpf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_BAD_INPUT;
}

struct ibpf_object *cli_open(const char *path)
{
	char log[1024] = "";
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj = ibpf_object__open_file(path, &o);

	if (!obj)
		fprintf(stderr, "ibpf: %s\n", log[0] ? log : strerror(errno));
	return obj;
}

struct ibpf_program *cli_pick_prog(struct ibpf_object *obj, const char *name)
{
	struct ibpf_program *p;

	if (name) {
		p = ibpf_object__find_program_by_name(obj, name);
		if (!p) {
			fprintf(stderr, "ibpf: %s: no program named '%s'; programs:",
				ibpf_object__name(obj), name);
			for (p = ibpf_object__next_program(obj, NULL); p;
			     p = ibpf_object__next_program(obj, p))
				fprintf(stderr, " %s", ibpf_program__name(p));
			fprintf(stderr, "\n");
		}
		return p;
	}
	p = ibpf_object__next_program(obj, NULL);
	if (p && ibpf_object__next_program(obj, p)) {
		fprintf(stderr, "ibpf: %s has several programs; pick one with --prog NAME:",
			ibpf_object__name(obj));
		for (; p; p = ibpf_object__next_program(obj, p))
			fprintf(stderr, " %s", ibpf_program__name(p));
		fprintf(stderr, "\n");
		return NULL;
	}
	return p;
}

void *cli_read_file(const char *path, size_t *size)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "ibpf: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			char *nb = cap < (1u << 30) ? realloc(buf, cap = cap ? cap * 2 : 4096) : NULL;
			if (!nb) {
				fprintf(stderr, "ibpf: %s: too large\n", path);
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (f != stdin)
		fclose(f);
	*size = n;
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void *cli_bytes_arg(const char *arg, size_t *size)
{
	size_t len, n = 0;
	uint8_t *out;

	if (arg[0] == '@')
		return cli_read_file(arg + 1, size);
	if (!strncmp(arg, "0x", 2))
		arg += 2;
	len = strlen(arg);
	out = malloc(len / 2 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		int hi, lo;
		if (arg[i] == ' ' || arg[i] == ':') {
			i++;
			continue;
		}
		hi = hexval(arg[i]);
		lo = i + 1 < len ? hexval(arg[i + 1]) : -1;
		if (hi < 0 || lo < 0) {
			fprintf(stderr, "ibpf: '%s' is not hex bytes (at character %zu)\n", arg, i);
			free(out);
			return NULL;
		}
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	*size = n;
	return out;
}
