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

/* The helper with this id, or NULL. */
const struct ibpf_helper *ibpf_helper_by_id(int32_t id);

#endif
