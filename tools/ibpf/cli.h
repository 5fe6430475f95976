/* cli.h - the ibpf command line: one function per subcommand, dispatched by
 * the table in main.c.  Exit codes: 0 success, 1 program rejected or failed at
 * run time, 2 bad usage or bad input. */
#ifndef IBPF_CLI_H
#define IBPF_CLI_H

#include <ibpf/ibpf.h>

enum { EXIT_OK = 0, EXIT_REJECTED = 1, EXIT_BAD_INPUT = 2 };

int cmd_run(int argc, char **argv);   /* ibpf run ... */
int cmd_dump(int argc, char **argv);  /* ibpf dump xlated|... */
int cmd_show(int argc, char **argv);  /* ibpf show OBJ */
int cmd_map(int argc, char **argv);   /* ibpf map ... */
int cmd_verify(int argc, char **argv);/* ibpf verify ... */
int cmd_dump_jited(int argc, char **argv); /* argv[0] = "jited" */

/* Open an object, printing the loader's log to stderr on failure. */
struct ibpf_object *cli_open(const char *path);
/* Open a raw instruction stream (FILE.bin) as a one-program object. */
struct ibpf_object *cli_open_raw(const char *path);
/* Pick the program: by name, or the only/first one when name is NULL. */
struct ibpf_program *cli_pick_prog(struct ibpf_object *obj, const char *name);
/* Read a whole file (or "-" for stdin); returns malloc'd bytes, NULL on error. */
void *cli_read_file(const char *path, size_t *size);
/* Parse "HEX" or "@FILE" into bytes. */
void *cli_bytes_arg(const char *arg, size_t *size);

#endif
