/* test.h - a tiny test harness.  Each test file defines TEST(name)
 * functions; they register themselves and tests/main.c runs them all, then
 * prints "N passed, N failed, N skipped".  A test fails on the first CHECK
 * that does not hold; SKIP(reason) ends it as skipped. */
#ifndef IBPF_TEST_H
#define IBPF_TEST_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>

struct test_case {
	const char *name;
	const char *file;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *tc);
/* Set by CHECK/SKIP; the runner reads them after each test. */
extern int test_failed, test_skipped;
/* Directory holding compiled test objects (build/tests/progs), from $IBPF_TEST_OBJDIR. */
const char *test_objdir(void);
/* Path of a compiled object: "<objdir>/<name>" in a static buffer. */
const char *test_obj(const char *name);

#define TEST(name)                                                           \
	static void test_##name(void);                                       \
	static struct test_case tc_##name = { #name, __FILE__, test_##name, 0 }; \
	__attribute__((constructor)) static void reg_##name(void)            \
	{ test_register(&tc_##name); }                                       \
	static void test_##name(void)

#define CHECK(cond) do {                                                     \
	if (!(cond)) {                                                       \
		fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		test_failed = 1; return;                                     \
	} } while (0)

#define CHECK_EQ(a, b) do {                                                  \
	long long _a = (long long)(a), _b = (long long)(b);                  \
	if (_a != _b) {                                                      \
		fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld\n",  \
			__FILE__, __LINE__, #a, #b, _a, _b);                 \
		test_failed = 1; return;                                     \
	} } while (0)

#define CHECK_STR_CONTAINS(hay, needle) do {                                 \
	const char *_h = (hay), *_n = (needle);                              \
	if (!_h || !strstr(_h, _n)) {                                        \
		fprintf(stderr, "  %s:%d: expected \"%s\" in:\n%s\n",        \
			__FILE__, __LINE__, _n, _h ? _h : "(null)");         \
		test_failed = 1; return;                                     \
	} } while (0)

#define SKIP(reason) do {                                                    \
	fprintf(stderr, "  skipped: %s\n", reason);                          \
	test_skipped = 1; return; } while (0)

#endif
