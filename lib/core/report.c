/* report.c - text shown by the recall tools. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

const char *
status_word(char *buf, enum hop_status s, size_t period, size_t unknown)
{
	if (s == HOP_STABLE && unknown) {
		snprintf(buf, 48, "unknown:%zu", unknown);
		return buf;
	}
	switch (s) {
	case HOP_STABLE: strcpy(buf, "stable"); break;
	case HOP_CYCLE: snprintf(buf, 32, "cycle:%zu", period); break;
	default: strcpy(buf, "limit"); break;
	}
	return buf;
}

const char *
match_word(char *buf, long match)
{
	if (match)
		snprintf(buf, 32, "%ld", match);
	else
		strcpy(buf, "spurious");
	return buf;
}

const char *
bit_word(double v)
{
	return v > 0 ? "1" : v < 0 ? "-1" : "0";
}

void
print_state(FILE *f, const double *s, size_t n, char delim)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc(delim, f);
		fputs(bit_word(s[i]), f);
	}
}

void
out_state(struct rk_out *o, const double *s, size_t n, char delim)
{
	/* a line of up to 3 bytes a value, written in pieces of up to
	 * sizeof buf (one rk_out_write each, not one a value) */
	char buf[4096];
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (len > sizeof buf - 3) {
			rk_out_write(o, buf, len);
			len = 0;
		}
		if (i)
			buf[len++] = delim;
		if (s[i] < 0)
			buf[len++] = '-';
		buf[len++] = s[i] == 0 ? '0' : '1';
	}
	rk_out_write(o, buf, len);
}

char *
fmt_energy(char *buf, double e, double tol)
{
	double r = nearbyint(e);

	/* within tol of an integer: the integer ("-40", where %.1g would
	 * give "-4e+01") */
	if (tol > 0 && fabs(r - e) <= tol)
		return rk_fmt_double(buf, r);
	return rk_fmt_within(buf, e, tol);
}

void
parse_grid(const char *arg, size_t *rows, size_t *cols)
{
	char *end;
	unsigned long r, c;

	r = strtoul(arg, &end, 10);
	if (end == arg || (*end != 'x' && *end != 'X'))
		usage_error("--show takes ROWSxCOLS, e.g. 8x8 (got '%s')", arg);
	c = strtoul(end + 1, &end, 10);
	if (*end || r == 0 || c == 0 || r > 4096 || c > 4096)
		usage_error("--show takes ROWSxCOLS, e.g. 8x8 (got '%s')", arg);
	*rows = r;
	*cols = c;
}

void
show_grids(FILE *f, size_t rows, size_t cols, size_t ngrids,
           const double *const *grids, const char *const *titles)
{
	size_t g, r, c, w = cols > 12 ? cols : 12;

	for (g = 0; g < ngrids; g++)
		if (strlen(titles[g]) > w)
			w = strlen(titles[g]);
	/* columns w wide, 3 blanks apart; no blanks at the end of a line */
	for (g = 0; g < ngrids; g++)
		if (g + 1 < ngrids)
			fprintf(f, "%-*s   ", (int)w, titles[g]);
		else
			fprintf(f, "%s\n", titles[g]);
	for (r = 0; r < rows; r++)
		for (g = 0; g < ngrids; g++) {
			for (c = 0; c < cols; c++)
				fputc(grids[g][r * cols + c] > 0 ? '#' :
				      grids[g][r * cols + c] < 0 ? '.' : '?', f);
			if (g + 1 < ngrids)
				fprintf(f, "%*s   ", (int)(w - cols), "");
			else
				fputc('\n', f);
		}
	fputc('\n', f);
}

void
out_header(struct rk_out *o, char delim, char *const *names, size_t n,
           const char *const *extra, size_t nextra)
{
	char **all = emalloc(emul(n + nextra, sizeof *all));

	memcpy(all, names, n * sizeof *all);
	memcpy(all + n, extra, nextra * sizeof *all);
	rk_out_names(o, delim, all, n + nextra);
	free(all);
}

double
energy_tol(const double *W, size_t nn, size_t terms)
{
	size_t i;
	double sum = 0;
	int integral = 1;

	for (i = 0; i < nn; i++) {
		sum += fabs(W[i]);
		integral &= W[i] == floor(W[i]);
	}
	if (integral && sum < 9007199254740992.0)       /* 2^53 */
		return 0;
	return (double)terms * DBL_EPSILON * sum;
}
