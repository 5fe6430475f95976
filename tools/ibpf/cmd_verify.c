/* cmd_verify.c - `ibpf verify OBJ [--prog NAME] [--log-level 1|2]`: the
 * verifier's verdict and its kernel-format log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define LOG_SIZE (64u << 20)

int cmd_verify(int argc, char **argv)
{
	const char *path = NULL, *prog_name = NULL, *raw = NULL;
	int level = 1, ex = EXIT_BAD_INPUT;
	long mem = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--prog") && i + 1 < argc)
			prog_name = argv[++i];
		else if (!strcmp(argv[i], "--log-level") && i + 1 < argc) {
			char *end;
			level = (int)strtol(argv[++i], &end, 10);
			if (*end || level < 0 || level > 2) {
				fprintf(stderr, "ibpf verify: --log-level takes 0, 1 or 2\n");
				return EXIT_BAD_INPUT;
			}
		} else if (!strcmp(argv[i], "--raw") && i + 1 < argc)
			raw = argv[++i];
		else if (!strcmp(argv[i], "--mem-size") && i + 1 < argc)
			mem = strtol(argv[++i], NULL, 0);
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			fprintf(stderr, "usage: ibpf verify OBJ [--prog NAME] [--log-level 0|1|2]\n"
					"       ibpf verify --raw FILE.bin [--mem-size N] [--log-level 0|1|2]\n");
			return EXIT_BAD_INPUT;
		}
	}
	if (!path == !raw) {
		fprintf(stderr, "usage: ibpf verify OBJ [--prog NAME] [--log-level 0|1|2]\n");
		return EXIT_BAD_INPUT;
	}
	struct ibpf_object *obj = raw ? cli_open_raw(raw) : cli_open(path);
	if (!obj)
		return EXIT_BAD_INPUT;
	struct ibpf_program *prog = cli_pick_prog(obj, prog_name);
	char *log = malloc(LOG_SIZE);
	if (!prog || !log)
		goto out;
	if (raw)
		ibpf_program__set_mem_size(prog, (uint32_t)mem);
	IBPF_OPTS(ibpf_verify_opts, o, .log_level = level, .log_buf = log, .log_size = LOG_SIZE);
	int rc = ibpf_program__verify(prog, &o);
	fputs(log, stdout);
	if (rc == 0) {
		ex = EXIT_OK;
	} else if (rc == -EACCES) {
		ex = EXIT_REJECTED;
	} else {
		fprintf(stderr, "ibpf verify: %s\n", strerror(-rc));
		ex = EXIT_REJECTED;
	}
out:
	free(log);
	ibpf_object__close(obj);
	return ex;
}
