/* run.c - ibpf_prog_test_run_opts: the BPF_PROG_TEST_RUN of ibpf.  Prepares
 * the engine's copy of the program once (map and helper references resolved
 * to host addresses), then runs it `repeat` times. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/object.h"
#include "core/opts.h"
#include "helpers/helpers.h"
#include "jit/jit.h"
#include "verifier/verifier.h"
#include "vm/vm.h"

/* Resolve what the engines need at run time into imm64: map pointers, map
 * value addresses, function pointers (byte offsets), helper entries. */
int ibpf_program_prepare_exec(struct ibpf_program *p, char *log, size_t logsz)
{
	const struct ibpf_object *obj = p->obj;
	struct ibpf_insn *x;

	if (p->exec)
		return 0;
	x = malloc((p->insn_cnt + 1) * sizeof(*x));
	if (!x)
		return -ENOMEM;
	memcpy(x, p->decoded, p->insn_cnt * sizeof(*x));
	for (size_t i = 0; i < p->insn_cnt; i++) {
		struct ibpf_insn *in = &x[i];
		if (in->second_half)
			continue;
		if (in->op == IBPF_OP_CALL) {
			in->imm64 = (uint64_t)(uintptr_t)ibpf_helper_by_id(in->imm);
		} else if (in->op == IBPF_OP_LD_IMM64 && in->src) {
			const struct ibpf_map *m = NULL;
			uint32_t off = (uint32_t)(in->imm64 >> 32);

			switch (in->src) {
			case BPF_PSEUDO_FUNC:
				in->imm64 = ((uint64_t)i + 1 + (uint64_t)(int64_t)in->imm) * 8;
				continue;
			case BPF_PSEUDO_MAP_FD: case BPF_PSEUDO_MAP_IDX:
			case BPF_PSEUDO_MAP_VALUE: case BPF_PSEUDO_MAP_IDX_VALUE:
				m = (uint32_t)in->imm < obj->map_cnt ? obj->maps[in->imm] : NULL;
				break;
			}
			if (!m) {
				ibpf_log(log, logsz, "program '%s': insn %zu: map %d does not exist",
					 p->name, i, in->imm);
				free(x);
				return -EINVAL;
			}
			if (in->src == BPF_PSEUDO_MAP_FD || in->src == BPF_PSEUDO_MAP_IDX) {
				in->imm64 = (uint64_t)(uintptr_t)m;
			} else {
				if (!ibpf_map_is_array_like(m) ||
				    off >= (uint64_t)m->max_entries * m->elem_size) {
					ibpf_log(log, logsz, "program '%s': insn %zu: direct value "
						 "offset %u is outside map '%s'", p->name, i, off,
						 m->name);
					free(x);
					return -EINVAL;
				}
				in->imm64 = (uint64_t)(uintptr_t)(ibpf_program_map_data(p, m) + off);
			}
		}
	}
	p->exec = x;
	return 0;
}

static uint64_t jit_call(struct ibpf_vm *vm, uint32_t pc, const uint64_t args[5])
{
	return ibpf_jit_call(vm->jit, vm, pc, args);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The program's lazily built state (engine copy, verdict, JIT code) for a
 * run with options o; called under the object's setup lock, so that threads
 * running programs of one object concurrently build it once.  Sets *fast when
 * the run may use the unchecked engines; may pick o->engine. */
static int setup_run(struct ibpf_program *p, struct ibpf_test_run_opts *o_, int *fast_)
{
	struct ibpf_test_run_opts o = *o_;
	int rc;

	if ((rc = ibpf_program_prepare_exec(p, o.log_buf, o.log_size)))
		return rc;
	/* Nothing runs unchecked unless verified (or vouched for): the JIT's code
	 * has no bounds checks. */
	int fast = (o.flags & IBPF_RUN_TRUSTED) && !(o.flags & IBPF_RUN_CHECKED);
	if (o.flags & IBPF_RUN_SELF_CHECK) {
		/* Verified with facts, run on the checked interpreter or on the
		 * JIT's self-check build. */
		if (o.flags & (IBPF_RUN_TRUSTED | IBPF_RUN_CHECKED)) {
			ibpf_log(o.log_buf, o.log_size, "the self-check verifies the program: it "
				 "does not combine with TRUSTED or CHECKED");
			return -EINVAL;
		}
		if (!p->facts) {
			p->record_facts = 1;
			p->verified = 0;
		}
	}
	if (!(o.flags & (IBPF_RUN_TRUSTED | IBPF_RUN_CHECKED))) {
		if (p->type == IBPF_PROG_TYPE_RAW && p->raw_mem_size != o.ctx_size_in) {
			p->raw_mem_size = o.ctx_size_in;
			p->verified = 0;
		}
		if (!p->verified) {
			rc = ibpf_verify_program(p, 0, o.log_buf, o.log_size, NULL);
			if (rc)
				return rc == -EINVAL || rc == -EACCES || rc == -E2BIG ? -EACCES : rc;
		}
		if (p->type == IBPF_PROG_TYPE_SYSCALL && o.ctx_size_in < p->max_ctx_off) {
			ibpf_log(o.log_buf, o.log_size, "program '%s': ctx of %u bytes is shorter "
				 "than the %u bytes the program may access", p->name, o.ctx_size_in,
				 p->max_ctx_off);
			return -EINVAL;
		}
		fast = 1;
	}
	/* The default engine: the JIT for verified programs where it exists. */
	if (o.engine == IBPF_ENGINE_DEFAULT)
		o.engine = fast && ibpf_jit_available() && !(o.flags & IBPF_RUN_SELF_CHECK)
			? IBPF_ENGINE_JIT : IBPF_ENGINE_INTERP;
	if (o.engine == IBPF_ENGINE_JIT && !fast) {
		ibpf_log(o.log_buf, o.log_size, "the JIT runs verified programs only, not "
			 "in checked mode");
		return -EOPNOTSUPP;
	}
	int sc = !!(o.flags & IBPF_RUN_SELF_CHECK);
	struct ibpf_jit_prog **jit = sc ? &p->jit_selfcheck : &p->jit;
	if (o.engine == IBPF_ENGINE_JIT && !*jit) {
		char err[256] = "";
		if (!ibpf_jit_available()) {
			ibpf_log(o.log_buf, o.log_size, "the JIT is not available on this machine");
			return -EOPNOTSUPP;
		}
		if ((rc = ibpf_jit_compile(p, sc ? IBPF_JIT_SELF_CHECK : 0, jit, err,
					   sizeof(err)))) {
			ibpf_log(o.log_buf, o.log_size, "program '%s': JIT: %s", p->name, err);
			return rc;
		}
	}
	o_->engine = o.engine;
	*fast_ = fast;
	return 0;
}

int ibpf_prog_test_run_opts(struct ibpf_program *p, struct ibpf_test_run_opts *user)
{
	struct ibpf_test_run_opts o;
	struct ibpf_map_domain *maps;
	struct ibpf_map_run run;
	struct ibpf_vm vm;
	uint8_t *ctx = NULL;
	uint64_t start, r0 = 0;
	uint32_t repeat;
	int rc = 0, fast = 0;

	if (!p || !user || !IBPF_OPTS_VALID(user, struct ibpf_test_run_opts))
		return -EINVAL;
	IBPF_OPTS_COPY(o, user);
	if (o.log_buf && o.log_size)
		o.log_buf[0] = 0;
	if (p->decode_failed) {
		ibpf_log(o.log_buf, o.log_size, "program '%s': %s", p->name, p->decode_err);
		return -EINVAL;
	}
	if (!p->type) {
		ibpf_log(o.log_buf, o.log_size, "program '%s': section '%s' is not a program "
			 "type ibpf runs (use SEC(\"syscall\"))", p->name, p->sec_name);
		return -EOPNOTSUPP;
	}
	maps = &p->obj->maps_domain;
	pthread_mutex_lock(&p->obj->setup_lock);
	rc = setup_run(p, &o, &fast);
	pthread_mutex_unlock(&p->obj->setup_lock);
	if (rc)
		return rc;
	if (o.ctx_size_in && !o.ctx_in)
		return -EINVAL;
	memset(&vm, 0, sizeof(vm));
	vm.stack = calloc(IBPF_MAX_FRAMES, IBPF_STACK_SIZE);
	if (o.ctx_size_in)
		ctx = malloc(o.ctx_size_in);
	if (!vm.stack || (o.ctx_size_in && !ctx)) {
		rc = -ENOMEM;
		goto out;
	}
	if (o.ctx_size_in)
		memcpy(ctx, o.ctx_in, o.ctx_size_in);
	vm.prog = p;
	vm.code = p->exec;
	vm.checked = !fast;
	vm.sc_prev_jump = -1;
	if (o.flags & IBPF_RUN_SELF_CHECK) {
		vm.checked = 1;
		vm.facts = p->facts;
	}
	if (o.engine == IBPF_ENGINE_JIT) {
		vm.jit = o.flags & IBPF_RUN_SELF_CHECK ? p->jit_selfcheck : p->jit;
		vm.call = jit_call;
	}
	vm.ctx = ctx;
	vm.ctx_size = o.ctx_size_in;
	vm.trace = o.trace_buf;
	vm.trace_size = o.trace_size;
	if (vm.trace && vm.trace_size)
		vm.trace[0] = 0;
	vm.err = o.log_buf;
	vm.errsz = o.log_size;
	vm.rand_state = now_ns() | 1;
	repeat = o.repeat ? o.repeat : 1;
	/* Map value pointers the program obtains stay valid until it returns,
	 * even if the element is deleted meanwhile (by itself, another run or
	 * user space): between repeats the run holds none. */
	ibpf_map_run_begin(maps, &run);
	start = now_ns();
	for (uint32_t i = 0; i < repeat && !vm.faulted; i++) {
		uint64_t args[5] = { (uint64_t)(uintptr_t)ctx, 0, 0, 0, 0 };
		if (p->type == IBPF_PROG_TYPE_RAW)
			args[1] = o.ctx_size_in;
		vm.insns_left = IBPF_CHECKED_INSN_LIMIT;
		vm.depth = 0;
		vm.sc_prev_jump = -1;
		if (i)
			ibpf_map_run_quiesce(maps, &run);
		r0 = vm.call ? vm.call(&vm, 0, args) : ibpf_interp_call(&vm, 0, args);
	}
	IBPF_OPTS_SET(user, duration, (now_ns() - start) / repeat);
	ibpf_map_run_end(maps, &run);
	if (vm.faulted) {
		rc = -EFAULT;
		goto out;
	}
	IBPF_OPTS_SET(user, retval, r0);
	IBPF_OPTS_SET(user, trace_len, vm.trace_len);
	if (o.ctx_out) {
		uint32_t n = o.ctx_size_out < o.ctx_size_in ? o.ctx_size_out : o.ctx_size_in;
		if (n)
			memcpy(o.ctx_out, ctx, n);
		IBPF_OPTS_SET(user, ctx_size_out, o.ctx_size_in);
	}
out:
	free(ctx);
	free(vm.stack);
	return rc;
}

int ibpf_program__verify(struct ibpf_program *p, struct ibpf_verify_opts *user)
{
	struct ibpf_verify_opts o;
	struct ibpf_verify_result res;
	int rc;

	if (!p || !IBPF_OPTS_VALID(user, struct ibpf_verify_opts))
		return -EINVAL;
	IBPF_OPTS_COPY(o, user);
	pthread_mutex_lock(&p->obj->setup_lock);
	rc = ibpf_verify_program(p, o.log_level, o.log_buf, o.log_size, &res);
	pthread_mutex_unlock(&p->obj->setup_lock);
	if (user) {
		IBPF_OPTS_SET(user, insn_processed, res.insn_processed);
		IBPF_OPTS_SET(user, max_states_per_insn, res.max_states_per_insn);
		IBPF_OPTS_SET(user, total_states, res.total_states);
		IBPF_OPTS_SET(user, peak_states, res.peak_states);
		IBPF_OPTS_SET(user, err_insn, res.err_insn);
	}
	return rc == -EINVAL || rc == -E2BIG ? -EACCES : rc;
}

int ibpf_program__set_mem_size(struct ibpf_program *p, uint32_t size)
{
	if (!p || p->type != IBPF_PROG_TYPE_RAW)
		return -EINVAL;
	pthread_mutex_lock(&p->obj->setup_lock);
	if (p->raw_mem_size != size)
		p->verified = 0;
	p->raw_mem_size = size;
	pthread_mutex_unlock(&p->obj->setup_lock);
	return 0;
}
