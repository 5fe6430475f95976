/* main.c - runs every registered test; optional argument: substring filter. */
#include <stdlib.h>
#include "test.h"

static struct test_case *head, **tail = &head;
int test_failed, test_skipped;

void test_register(struct test_case *tc)
{
	*tail = tc;
	tail = &tc->next;
}

const char *test_objdir(void)
{
	const char *d = getenv("IBPF_TEST_OBJDIR");
	return d ? d : "build/tests/progs";
}

const char *test_obj(const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf), "%s/%s", test_objdir(), name);
	return buf;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	for (struct test_case *tc = head; tc; tc = tc->next) {
		if (argc > 1 && !strstr(tc->name, argv[1]))
			continue;
		test_failed = test_skipped = 0;
		tc->fn();
		if (test_failed) {
			failed++;
			fprintf(stderr, "FAIL %s (%s)\n", tc->name, tc->file);
		} else if (test_skipped) {
			skipped++;
			printf("skip %s\n", tc->name);
		} else {
			passed++;
			printf("ok   %s\n", tc->name);
		}
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
