/* cmd_map.c - `ibpf map OBJ NAME OP...`: element operations on a map of a
 * freshly opened object (its initial state), chained left to right. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x%s", p[i], i + 1 < n ? " " : "");
}

/* Parse a hex argument of exactly `want` bytes. */
static uint8_t *sized_arg(const char *arg, size_t want, const char *what)
{
	size_t n;
	uint8_t *b = cli_bytes_arg(arg, &n);

	if (b && n != want) {
		fprintf(stderr, "ibpf map: %s '%s' has %zu bytes, the map wants %zu\n", what, arg,
			n, want);
		free(b);
		return NULL;
	}
	return b;
}

static int do_dump(struct ibpf_map *m, size_t ks, size_t vs, uint8_t *key, uint8_t *val)
{
	uint8_t *next = malloc(ks);
	int first = 1, n = 0;

	if (!next)
		return EXIT_BAD_INPUT;
	while (!ibpf_map__get_next_key(m, first ? NULL : key, next, ks)) {
		first = 0;
		memcpy(key, next, ks);
		if (ibpf_map__lookup_elem(m, key, ks, val, vs, 0))
			continue;
		printf("key: ");
		hex(key, ks);
		printf("  value: ");
		hex(val, vs);
		printf("\n");
		n++;
	}
	printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	free(next);
	return 0;
}

int cmd_map(int argc, char **argv)
{
	struct ibpf_object *obj;
	struct ibpf_map *m;
	size_t ks, vs;
	uint8_t *val;
	int ex = EXIT_OK;

	if (argc < 3) {
		fprintf(stderr, "usage: ibpf map OBJ NAME [dump | lookup KEY | update KEY VALUE | "
				"delete KEY | next [KEY]]...\n");
		return EXIT_BAD_INPUT;
	}
	obj = cli_open(argv[1]);
	if (!obj)
		return EXIT_BAD_INPUT;
	m = ibpf_object__find_map_by_name(obj, argv[2]);
	if (!m) {
		fprintf(stderr, "ibpf map: %s: no map named '%s'\n", argv[1], argv[2]);
		ibpf_object__close(obj);
		return EXIT_BAD_INPUT;
	}
	ks = ibpf_map__key_size(m);
	vs = ibpf_map__value_size(m);
	val = calloc(1, vs);
	uint8_t *scratch = calloc(1, ks);
	if (!val || !scratch)
		goto bad;
	if (argc == 3 && do_dump(m, ks, vs, scratch, val))
		goto bad;
	for (int i = 3; i < argc && ex == EXIT_OK; i++) {
		const char *op = argv[i];
		uint8_t *key = NULL, *v = NULL;
		int rc;

		if (!strcmp(op, "dump")) {
			if (do_dump(m, ks, vs, scratch, val))
				goto bad;
			continue;
		}
		if (!strcmp(op, "next") && (i + 1 >= argc || !strchr("0123456789abcdefABCDEF@",
								       argv[i + 1][0]))) {
			rc = ibpf_map__get_next_key(m, NULL, scratch, ks);
		} else {
			if (i + 1 >= argc || !(key = sized_arg(argv[++i], ks, "key")))
				goto bad;
			if (!strcmp(op, "lookup")) {
				rc = ibpf_map__lookup_elem(m, key, ks, val, vs, 0);
			} else if (!strcmp(op, "delete")) {
				rc = ibpf_map__delete_elem(m, key, ks, 0);
			} else if (!strcmp(op, "next")) {
				rc = ibpf_map__get_next_key(m, key, scratch, ks);
			} else if (!strcmp(op, "update")) {
				if (i + 1 >= argc || !(v = sized_arg(argv[++i], vs, "value"))) {
					free(key);
					goto bad;
				}
				rc = ibpf_map__update_elem(m, key, ks, v, vs, 0);
			} else {
				fprintf(stderr, "ibpf map: unknown operation '%s'\n", op);
				free(key);
				goto bad;
			}
		}
		if (rc) {
			fprintf(stderr, "ibpf map: %s: %s\n", op, rc == -EPERM ?
				"the map is read-only (frozen at load)" : strerror(-rc));
			ex = EXIT_REJECTED;
		} else if (!strcmp(op, "lookup")) {
			printf("value: ");
			hex(val, vs);
			printf("\n");
		} else if (!strcmp(op, "next")) {
			printf("next key: ");
			hex(scratch, ks);
			printf("\n");
		} else {
			printf("%s: ok\n", op);
		}
		free(key);
		free(v);
	}
	free(val);
	free(scratch);
	ibpf_object__close(obj);
	return ex;
bad:
	free(val);
	free(scratch);
	ibpf_object__close(obj);
	return EXIT_BAD_INPUT;
}
