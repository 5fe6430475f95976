/* verify_expect.h - pin a verifier outcome exactly.  A rule test states, for
 * every program, either that it is accepted or the exact error line the
 * verifier logs for the rejection and the instruction that failed
 * (ibpf_verify_opts.err_insn).  One function, used by test_verifier.c and
 * test_callx.c, so both compare the same way. */
#ifndef IBPF_VERIFY_EXPECT_H
#define IBPF_VERIFY_EXPECT_H

#include <ibpf/ibpf.h>

/* What a case expects: msg NULL and insn -1 for an accepted program
 * (VE_ACCEPTED); else the failing instruction and the whole last line of
 * the level-0 log, without its newline (VE_REJECTED).  Both macros are
 * initializers. */
struct verify_want {
	int insn;
	const char *msg;
};

#define VE_ACCEPTED { -1, NULL }
#define VE_REJECTED(INSN, MSG) { (INSN), (MSG) }

/* Verify `prog` at log level 0 and compare with `want`: an accepted program
 * must be accepted with err_insn -1; a rejected one must return -EACCES or
 * -EINVAL, its log's last non-empty line must equal want.msg and err_insn
 * must equal want.insn.  Returns 1 when all of it holds; otherwise prints
 * `what`, the expectation and what the verifier did, and returns 0 (the
 * caller marks the test failed). */
int verify_expect(struct ibpf_program *prog, const char *what, struct verify_want want);

/* A raw instruction stream (r1 = memory of mem_size bytes, r2 = its size)
 * verified against `want`; an accepted one is then handed to `accepted`
 * (NULL: nothing more) for whatever the caller checks next.  Returns 1 when
 * everything held. */
int verify_raw_expect(const struct bpf_insn *insns, size_t n, uint32_t mem_size,
		      const char *what, struct verify_want want,
		      int (*accepted)(struct ibpf_program *p, uint32_t mem_size, const char *what));

/* The last non-empty line of `log` copied into buf (without its newline);
 * "" when the log has none. */
const char *verify_last_line(const char *log, char *buf, size_t size);

#endif
