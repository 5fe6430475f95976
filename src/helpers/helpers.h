/* helpers.h - the one table of helper functions: for each id its name, the
 * prototype the verifier checks calls against, and the implementation the
 * engines call.  Never two lists that can drift. */
#ifndef IBPF_HELPERS_H
#define IBPF_HELPERS_H

#include <stddef.h>
#include <stdint.h>

struct ibpf_vm;

/* Argument kinds (the kernel's bpf_arg_type, reduced to what ibpf's helpers
 * take). */
enum ibpf_arg {
	IBPF_ARG_NONE = 0,
	IBPF_ARG_ANYTHING,        /* any initialized value */
	IBPF_ARG_MAP,             /* CONST_PTR_TO_MAP */
	IBPF_ARG_MAP_KEY,         /* pointer to key_size readable bytes */
	IBPF_ARG_MAP_VALUE,       /* pointer to value_size readable bytes */
	IBPF_ARG_MEM_RO,          /* pointer to readable memory, size in next arg */
	IBPF_ARG_CONST_SIZE,      /* size of the previous ARG_MEM_RO, > 0 */
	IBPF_ARG_FUNC,            /* callback: PTR_TO_FUNC */
	IBPF_ARG_CB_CTX,          /* passed through to the callback: pointer or NULL */
};

enum ibpf_ret {
	IBPF_RET_INTEGER,
	IBPF_RET_VOID,
	IBPF_RET_MAP_VALUE_OR_NULL, /* for call tables: the function pointer itself */
};

typedef uint64_t (*ibpf_helper_fn)(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				   uint64_t r3, uint64_t r4, uint64_t r5);

struct ibpf_helper {
	int32_t id;               /* the UAPI BPF_FUNC_* number */
	const char *name;         /* "bpf_map_lookup_elem" */
	enum ibpf_ret ret;
	enum ibpf_arg args[5];
	ibpf_helper_fn fn;
	/* bpf_loop style: callback's argument count (index, ctx) */
	int callback_args;
};

/* bpf_trace_printk's format language, as the kernel's bpf_bprintf_prepare
 * reads it: printable ASCII and white space; "%%"; and conversions
 * %[flags 0+- space][width] followed by c; s; p, pK, px, ps, pS (a
 * pointer, printed hashed); pks, pus (a string); or [l|ll] then d i u x X.
 * A %s or bare %p must be followed by the end, white space or punctuation.
 * At most IBPF_FMT_MAX_ARGS conversions.  The verifier (when the format is
 * known) and the helper (always) read it with this one parser. */
#define IBPF_FMT_MAX_ARGS 3

enum ibpf_fmt_kind {
	IBPF_FMT_TEXT,            /* bytes to copy as they are */
	IBPF_FMT_INT,
	IBPF_FMT_CHAR,
	IBPF_FMT_STR,             /* reads a string from its argument */
	IBPF_FMT_PTR,             /* prints its argument hashed */
};

enum ibpf_fmt_err {
	IBPF_FMT_OK = 0,
	IBPF_FMT_E_CHAR,          /* fmt[start] is not printable */
	IBPF_FMT_E_CONV,          /* [start, end) is no conversion we know */
	IBPF_FMT_E_FOLLOW,        /* %s or %p followed by a letter or digit */
	IBPF_FMT_E_MANY,          /* a conversion after IBPF_FMT_MAX_ARGS */
};

struct ibpf_fmt_piece {
	enum ibpf_fmt_kind kind;
	/* TEXT: the bytes to copy; a conversion: its text, '%' to its letter;
	 * an error: where (end > start: the text of the bad conversion). */
	uint32_t start, end;
	char flags[5];            /* of "-+ 0", NUL-terminated */
	int width;                /* -1: none */
	int longs;                /* INT: 0 (32 bits), 1 or 2 (64 bits) */
	char conv;                /* d i u x X c s p */
	int arg;                  /* conversions: 0-based argument index */
	enum ibpf_fmt_err err;
};

struct ibpf_fmt_iter {
	const char *fmt;
	uint32_t len;             /* bytes before the NUL (callers find it within
				   * fmt_size); nothing at or past it is read */
	uint32_t pos;
	int nargs;
};

/* The next piece of the format: 1 with *p filled, 0 at its end (len or a NUL),
 * -EINVAL with p->err and p->start (and p->end) saying what is wrong. */
int ibpf_fmt_next(struct ibpf_fmt_iter *it, struct ibpf_fmt_piece *p);

/* The helper with this id, or NULL. */
const struct ibpf_helper *ibpf_helper_by_id(int32_t id);

#endif
