/* ibpf.h - the ibpf library: load clang's BPF objects, inspect them, run them.
 *
 * The shape follows libbpf: an object holds programs and maps; options structs
 * start with their own size (use the IBPF_OPTS macro); functions return 0 or a
 * negative errno, constructors return NULL and set errno.  Nothing here prints:
 * failures are explained in a log buffer the caller supplies.
 *
 * Threads.  Once an object is open, several threads may at the same time run
 * its programs (ibpf_prog_test_run_opts, also the same program), verify them
 * (ibpf_program__verify) and use its maps (ibpf_map__lookup_elem,
 * __update_elem, __delete_elem, __get_next_key): a hash map's table is
 * locked per map, and a value pointer a running program obtained from
 * bpf_map_lookup_elem stays valid until that run returns, even when another
 * run or user space deletes or replaces the element meanwhile (memory is
 * reclaimed only when no run that started before the delete is still
 * active, as the kernel's RCU does).  Values themselves are not locked:
 * a program writing a value while another reads it races, as in the kernel
 * (array values, and hash values a program holds).  Opening and closing an
 * object, and ibpf_object__close while anything else uses it, are not
 * thread-safe; getters that return pointers into the object are valid until
 * it is closed.
 */
#ifndef IBPF_IBPF_H
#define IBPF_IBPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the library's public functions.  libibpf is built with
 * -fvisibility=hidden and a version script (src/libibpf.map): only functions
 * declared here with IBPF_API are exported from libibpf.so, and
 * `make install-check` fails when the exported list and the functions
 * declared in include/ibpf/ differ. */
#ifndef IBPF_API
#define IBPF_API __attribute__((visibility("default")))
#endif

/* ---- numbers no UAPI header defines (ibpf's own; see DESIGN.md) -------- */

/* The seed's BPF_MAP_TYPE_INSN_SET: a frozen array of function pointers.
 * Picked far above the kernel's map types so it can never collide. */
#define IBPF_MAP_TYPE_INSN_SET 0x1001
/* map_extra flag of an INSN_SET map: every entry is a function pointer and a
 * lookup yields the pointer itself, not the address of the entry. */
#define IBPF_F_CALL_TABLE (1ULL << 0)

/* Program types ibpf runs. */
enum ibpf_prog_type {
	IBPF_PROG_TYPE_SYSCALL = 1, /* ctx: caller's buffer, read/write */
	IBPF_PROG_TYPE_RAW = 2,     /* uBPF style: r1 = memory, r2 = its length */
};

enum ibpf_engine {
	IBPF_ENGINE_DEFAULT = 0,
	IBPF_ENGINE_INTERP = 1,
	IBPF_ENGINE_JIT = 2,
};

/* Declare and zero an options struct with its size filled in. */
#define IBPF_OPTS(type, name, ...) \
	struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

struct ibpf_object;
struct ibpf_program;
struct ibpf_map;

/* ---- objects ------------------------------------------------------------ */

struct ibpf_object_open_opts {
	size_t sz;
	const char *object_name; /* defaults to the file name */
	char *log_buf;           /* why opening failed, NUL-terminated */
	size_t log_size;
};

IBPF_API struct ibpf_object *ibpf_object__open_file(const char *path,
						    const struct ibpf_object_open_opts *opts);
IBPF_API struct ibpf_object *ibpf_object__open_mem(const void *buf, size_t size,
						   const struct ibpf_object_open_opts *opts);
/* A bare instruction stream as one program of type IBPF_PROG_TYPE_RAW. */
IBPF_API struct ibpf_object *ibpf_object__open_raw(const struct bpf_insn *insns, size_t cnt,
						   const struct ibpf_object_open_opts *opts);
IBPF_API void ibpf_object__close(struct ibpf_object *obj);
IBPF_API const char *ibpf_object__name(const struct ibpf_object *obj);

/* ---- programs ----------------------------------------------------------- */

IBPF_API struct ibpf_program *ibpf_object__next_program(const struct ibpf_object *obj,
							const struct ibpf_program *prev);
IBPF_API struct ibpf_program *ibpf_object__find_program_by_name(const struct ibpf_object *obj,
								const char *name);
IBPF_API const char *ibpf_program__name(const struct ibpf_program *prog);
IBPF_API const char *ibpf_program__section_name(const struct ibpf_program *prog);
IBPF_API enum ibpf_prog_type ibpf_program__type(const struct ibpf_program *prog);
/* The linked program: the entry function followed by every subprogram it
 * reaches, in libbpf's order, relocated (maps as BPF_PSEUDO_MAP_FD/VALUE with
 * imm = map index, functions as BPF_PSEUDO_FUNC). */
IBPF_API size_t ibpf_program__insn_cnt(const struct ibpf_program *prog);
IBPF_API const struct bpf_insn *ibpf_program__insns(const struct ibpf_program *prog);

struct ibpf_subprog_info {
	const char *name;
	uint32_t start;      /* first instruction in the linked program */
	uint32_t insn_cnt;
	int is_global;       /* non-static function */
	uint32_t btf_id;     /* BTF FUNC type id, 0 without BTF */
};
/* Subprogram 0 is the entry program itself. */
IBPF_API size_t ibpf_program__subprog_cnt(const struct ibpf_program *prog);
IBPF_API int ibpf_program__subprog(const struct ibpf_program *prog, size_t idx,
				   struct ibpf_subprog_info *info);
/* Index of the subprogram starting at instruction `insn`, or -ENOENT. */
IBPF_API int ibpf_program__subprog_at(const struct ibpf_program *prog, uint32_t insn);

/* bpftool's signature line: "int simple_test(struct simple_ctx * ctx)".
 * -ENOENT when the object has no BTF for it. */
IBPF_API int ibpf_program__func_signature(const struct ibpf_program *prog, size_t subprog,
					  char *buf, size_t size);

struct ibpf_line_info {
	uint32_t insn;        /* instruction index in the linked program */
	const char *file;
	const char *line;     /* the source line's text */
	uint32_t line_num;
	uint32_t line_col;
};
IBPF_API size_t ibpf_program__line_info_cnt(const struct ibpf_program *prog);
IBPF_API const struct ibpf_line_info *ibpf_program__line_info(const struct ibpf_program *prog,
							      size_t idx);

/* ---- maps ------------------------------------------------------------- */

IBPF_API struct ibpf_map *ibpf_object__next_map(const struct ibpf_object *obj,
						const struct ibpf_map *prev);
IBPF_API struct ibpf_map *ibpf_object__find_map_by_name(const struct ibpf_object *obj,
							const char *name);
/* The map whose linked-program "fd" (ld_imm64 imm) is `idx`. */
IBPF_API struct ibpf_map *ibpf_object__map_by_index(const struct ibpf_object *obj, uint32_t idx);
IBPF_API const char *ibpf_map__name(const struct ibpf_map *map);
IBPF_API uint32_t ibpf_map__index(const struct ibpf_map *map);
IBPF_API uint32_t ibpf_map__type(const struct ibpf_map *map);
IBPF_API uint32_t ibpf_map__key_size(const struct ibpf_map *map);
IBPF_API uint32_t ibpf_map__value_size(const struct ibpf_map *map);
IBPF_API uint32_t ibpf_map__max_entries(const struct ibpf_map *map);
IBPF_API uint32_t ibpf_map__map_flags(const struct ibpf_map *map);
IBPF_API uint64_t ibpf_map__map_extra(const struct ibpf_map *map);
IBPF_API int ibpf_map__is_frozen(const struct ibpf_map *map);
/* Global data map of a section (".data", ".rodata", ".bss", ...), or NULL. */
IBPF_API const char *ibpf_map__section(const struct ibpf_map *map);
/* Byte offsets of the 8-byte slots that hold function pointers (read-only
 * data and call tables); returns how many, fills up to `cap`. */
IBPF_API size_t ibpf_map__func_slots(const struct ibpf_map *map, uint32_t *offsets, size_t cap);

/* Element access, sizes checked like libbpf's bpf_map__*_elem().
 * flags: BPF_ANY / BPF_NOEXIST / BPF_EXIST for update. */
IBPF_API int ibpf_map__lookup_elem(const struct ibpf_map *map, const void *key, size_t key_sz,
				   void *value, size_t value_sz, uint64_t flags);
IBPF_API int ibpf_map__update_elem(struct ibpf_map *map, const void *key, size_t key_sz,
				   const void *value, size_t value_sz, uint64_t flags);
IBPF_API int ibpf_map__delete_elem(struct ibpf_map *map, const void *key, size_t key_sz,
				   uint64_t flags);
/* cur_key NULL gives the first key; -ENOENT after the last. */
IBPF_API int ibpf_map__get_next_key(const struct ibpf_map *map, const void *cur_key,
				    void *next_key, size_t key_sz);

/* ---- verifying ------------------------------------------------------------ */

struct ibpf_verify_opts {
	size_t sz;
	int log_level;            /* 0: errors only, 1: instructions, 2: and states */
	char *log_buf;            /* the kernel-format log */
	size_t log_size;
	/* results */
	uint32_t insn_processed;
	uint32_t max_states_per_insn, total_states, peak_states;
	int err_insn;             /* instruction that failed, -1 if none */
};

/* Verify a program as the kernel would before loading it.  0 when accepted;
 * -EACCES or -EINVAL when rejected (the log says why), other -errno on
 * internal errors.  Runs verify automatically; this is for tools. */
IBPF_API int ibpf_program__verify(struct ibpf_program *prog, struct ibpf_verify_opts *opts);
/* Raw programs: the size of the memory r1 will point to (verification
 * depends on it).  ibpf_prog_test_run_opts sets it from ctx_size_in. */
IBPF_API int ibpf_program__set_mem_size(struct ibpf_program *prog, uint32_t size);

/* ---- running -------------------------------------------------------------- */

/* Runs verify the program first and refuse a rejected one.  CHECKED runs
 * without verification, bounds-checking every memory access: for debugging
 * programs the verifier rejects. */
#define IBPF_RUN_CHECKED (1u << 0)
/* The caller vouches for the program: run it on the fast path (interpreter
 * without checks, or the JIT) without verification.  For tests and trusted
 * code only: a bad program can then corrupt the host process. */
#define IBPF_RUN_TRUSTED (1u << 1)
/* Self-check (state embedding): verify, recording at every instruction what
 * the verifier proved about registers and stack there, then run and compare
 * the concrete state with it before each instruction: on the checked
 * interpreter (the default engine), or with IBPF_ENGINE_JIT on native code
 * compiled with a call to the check before every instruction.  A mismatch
 * is a verifier bug: the run fails with -EFAULT and the log names the
 * instruction, register, concrete value and proved state. */
#define IBPF_RUN_SELF_CHECK (1u << 2)

struct ibpf_test_run_opts {
	size_t sz;
	const void *ctx_in;       /* syscall: ctx buffer; raw: the memory */
	uint32_t ctx_size_in;
	void *ctx_out;            /* receives the ctx after the run (optional) */
	uint32_t ctx_size_out;    /* in: capacity; out: bytes written */
	uint32_t repeat;          /* runs; 0 means 1 */
	uint32_t flags;           /* IBPF_RUN_* */
	int engine;               /* enum ibpf_engine */
	char *log_buf;            /* why the run failed */
	size_t log_size;
	char *trace_buf;          /* bpf_trace_printk output, NUL-terminated */
	size_t trace_size;
	/* results */
	uint64_t retval;          /* r0 of the last run */
	uint64_t duration;        /* average ns per run */
	size_t trace_len;         /* bytes of trace output produced */
};

IBPF_API int ibpf_prog_test_run_opts(struct ibpf_program *prog, struct ibpf_test_run_opts *opts);

/* ---- misc ----------------------------------------------------------------- */

/* Name of a helper function by id ("bpf_map_lookup_elem"), or NULL. */
IBPF_API const char *ibpf_helper_name(int32_t id);

#ifdef __cplusplus
}
#endif
#endif
