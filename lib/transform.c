/* transform.c - logarithms and (seasonal) differences, and back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "transform.h"
#include "util.h"

static const char *const tf_names[] = { "none", "diff", "log", "logdiff" };

const char *
rk_transform_name(enum rk_transform t)
{
	return tf_names[t];
}

int
rk_transform_parse(const char *s, enum rk_transform *t)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, tf_names[i])) {
			*t = (enum rk_transform)i;
			return 0;
		}
	return -1;
}

void
rk_tf_init(struct rk_tf *t, enum rk_transform kind, size_t period)
{
	size_t a = kind == RK_TF_DIFF || kind == RK_TF_LOGDIFF, j;

	t->kind = kind;
	t->period = period;
	t->lag = a + (period > 1 ? period : 0);
	t->c = ecalloc(t->lag + 1, sizeof *t->c);
	/* (1 - B)^a (1 - B^P)^b */
	t->c[0] = 1;
	if (a)
		t->c[1] -= 1;
	if (period > 1)        /* times (1 - B^P), from the top down */
		for (j = t->lag; j >= period; j--)
			t->c[j] -= t->c[j - period];
}

void
rk_tf_release(struct rk_tf *t)
{
	free(t->c);
	t->c = NULL;
}

int
rk_tf_identity(const struct rk_tf *t)
{
	return t->kind == RK_TF_NONE && t->period <= 1;
}

int
rk_tf_is_log(const struct rk_tf *t)
{
	return t->kind == RK_TF_LOG || t->kind == RK_TF_LOGDIFF;
}

int
rk_tf_level(const struct rk_tf *t, double x, double *u)
{
	if (!rk_tf_is_log(t)) {
		*u = x;
		return 0;
	}
	if (!(x > 0))
		return -1;
	*u = log(x);
	return 0;
}

void
rk_tf_level_die(const struct rk_tf *t, const char *file, size_t line,
                size_t col, const char *name, double x)
{
	char b[32];

	die_at(file, line, col, "cannot take the logarithm of %s in column "
	       "'%s': --transform=%s needs every value > 0",
	       rk_fmt_double(b, x), name, rk_transform_name(t->kind));
}

double
rk_tf_unlevel(const struct rk_tf *t, double u)
{
	return rk_tf_is_log(t) ? exp(u) : u;
}

double
rk_tf_apply(const struct rk_tf *t, const double *u, size_t stride)
{
	double y = u[0];
	size_t j;

	for (j = 1; j <= t->lag; j++)
		if (t->c[j] != 0)
			y += t->c[j] * *(u - j * stride);
	return y;
}

double
rk_tf_invert(const struct rk_tf *t, double y, const double *prev,
             size_t stride)
{
	size_t j;

	for (j = 1; j <= t->lag; j++)
		if (t->c[j] != 0)
			y -= t->c[j] * *(prev - (j - 1) * stride);
	return y;
}
