/* labels.h - the classes of a classifier (rnn-train --loss ce): a set of
 * label names, each a class index 0..n-1, kept in the model.
 *
 * A label is a cell of the target column with its leading and trailing
 * blanks removed: any text, integers included ("0", "1" are the labels
 * 0 and 1, not numbers). A name is one line of at most RK_LABEL_MAXNAME
 * bytes (a model keeps it on one header line, like a column name).
 *
 * Order: while data are read, a new label takes the next index (order of
 * first appearance); rk_labels_sort then puts them in their final order,
 * the one the model keeps: by value when every label is a number
 * (rk_parse_number: "2" before "10"; equal values, "1" and "1.0", by
 * bytes), else by bytes (strcmp). The order thus depends on the set of
 * labels only, never on the rows' order or the files'.
 *
 * Lookup is by hash; n is at most RK_LABELS_MAX.
 */
#ifndef RNNKIT_LABELS_H
#define RNNKIT_LABELS_H

#include <stddef.h>

#include "real.h"

#define RK_LABEL_MAXNAME 1000
#define RK_LABELS_MAX 100000

struct rk_labels {
	size_t n, cap;
	char **name;            /* n names */
	size_t *hash, hcap;     /* open addressing: index + 1, 0 empty */
};

void rk_labels_init(struct rk_labels *l);
void rk_labels_release(struct rk_labels *l);
/* A copy of src into dst (dst not initialised). */
void rk_labels_copy(struct rk_labels *dst, const struct rk_labels *src);
/* The index of label s (blanks around it ignored), or -1. */
long rk_labels_find(const struct rk_labels *l, const char *s);
/* The index of label s, added at the end if new: 0 and *idx set, or -1
 * when it cannot be a label (a line break, too long, too many labels;
 * *why says which). */
int rk_labels_add(struct rk_labels *l, const char *s, size_t *idx,
                  const char **why);
/* Sort into the final order (above); map (n entries, may be NULL) gets
 * the new index of each old one. */
void rk_labels_sort(struct rk_labels *l, size_t *map);
/* The class of largest p[0..n) (the first of equal ones). */
size_t rk_argmax(const rk_real *p, size_t n);

#endif
