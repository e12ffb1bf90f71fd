/* test_labels.c - the classes of a classifier (labels.h): lookup with
 * blanks around, first-appearance indexes, the sorted order (by value
 * when every label is a number, else by bytes) and its map, copies, the
 * refused names, and rk_argmax. */
#include <stdio.h>
#include <string.h>
#include "labels.h"

static int nfail, ncheck;

#define CHECK(c) do { ncheck++; if (!(c)) { nfail++; \
	fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #c); } } while (0)

static void
add_all(struct rk_labels *l, const char *const *s, size_t n, size_t *idx)
{
	const char *why;
	size_t i;

	for (i = 0; i < n; i++)
		CHECK(rk_labels_add(l, s[i], &idx[i], &why) == 0);
}

int
main(void)
{
	static const char *const nums[] = { "10", " 2", "2 ", "1.0", "1", "-3", "2" };
	static const char *const words[] = { "up", "down", "Up", "10", "2", "up" };
	struct rk_labels l, c;
	size_t idx[8], map[8], i;
	const char *why = "";
	char big[1100];
	rk_real p[4] = { 0.2f, 0.5f, 0.5f, 0.1f };

	rk_labels_init(&l);
	add_all(&l, nums, 7, idx);
	/* blanks around are not part of a label: " 2", "2 ", "2" are one */
	CHECK(l.n == 5);
	CHECK(idx[0] == 0 && idx[1] == 1 && idx[2] == 1 && idx[6] == 1);
	CHECK(rk_labels_find(&l, "\t10 ") == 0);
	CHECK(rk_labels_find(&l, "3") == -1);
	rk_labels_sort(&l, map);
	/* by value: -3, 1 = 1.0 (then by bytes: "1" < "1.0"), 2, 10 */
	CHECK(!strcmp(l.name[0], "-3") && !strcmp(l.name[1], "1") &&
	      !strcmp(l.name[2], "1.0") && !strcmp(l.name[3], "2") &&
	      !strcmp(l.name[4], "10"));
	CHECK(map[0] == 4 && map[1] == 3 && map[2] == 2 && map[3] == 1 &&
	      map[4] == 0);
	CHECK(rk_labels_find(&l, "10") == 4 && rk_labels_find(&l, "-3") == 0);
	rk_labels_copy(&c, &l);
	rk_labels_release(&l);
	CHECK(c.n == 5 && rk_labels_find(&c, "1.0") == 2);
	rk_labels_release(&c);

	rk_labels_init(&l);
	add_all(&l, words, 6, idx);
	CHECK(l.n == 5 && idx[5] == 0);
	rk_labels_sort(&l, NULL);
	/* not all numbers: byte order, "10" < "2" < "Up" < "down" < "up" */
	CHECK(!strcmp(l.name[0], "10") && !strcmp(l.name[1], "2") &&
	      !strcmp(l.name[2], "Up") && !strcmp(l.name[3], "down") &&
	      !strcmp(l.name[4], "up"));
	CHECK(rk_labels_add(&l, "a\nb", &i, &why) == -1 &&
	      !strcmp(why, "holds a line break"));
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(rk_labels_add(&l, big, &i, &why) == -1);
	CHECK(l.n == 5);
	/* many labels: the hash grows */
	for (i = 0; i < 1000; i++) {
		char b[16];
		size_t k;

		snprintf(b, sizeof b, "c%zu", i);
		CHECK(rk_labels_add(&l, b, &k, &why) == 0 && k == 5 + i);
	}
	CHECK(rk_labels_find(&l, "c999") == 1004 && rk_labels_find(&l, "up") == 4);
	rk_labels_release(&l);

	/* the first of equal ones */
	CHECK(rk_argmax(p, 4) == 1);
	CHECK(rk_argmax(p, 1) == 0);
	printf("test_labels: %d checks, %d failures\n", ncheck, nfail);
	return nfail != 0;
}
