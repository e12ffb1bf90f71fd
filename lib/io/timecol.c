/* timecol.c - ISO 8601 times of a series, their step and their form. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timecol.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* sec and mon from the local fields */
static void
settle(struct rk_time *t)
{
	t->mon = (long long)t->y * 12 + t->mo - 1;
	t->sec = days_from_civil(t->y, t->mo, t->d) * 86400LL +
	         t->hh * 3600LL + t->mi * 60LL + t->ss - t->off * 60LL;
}

/* local fields from sec and off */
static void
unsettle(struct rk_time *t)
{
	long long l = t->sec + t->off * 60LL, days, s;

	days = (l >= 0 ? l : l - 86399) / 86400;
	s = l - days * 86400;
	civil_from_days(days, &t->y, &t->mo, &t->d);
	t->hh = (int)(s / 3600);
	t->mi = (int)(s / 60 % 60);
	t->ss = (int)(s % 60);
	t->mon = (long long)t->y * 12 + t->mo - 1;
}

/* n digits at *p: value, or -1 */
static int
digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + (*p)[i] - '0';
	}
	*p += n;
	return v;
}

static const char *
trim(const char *s, size_t *len)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

int
rk_time_parse(const char *s0, struct rk_tfmt *f, struct rk_time *t)
{
	size_t len;
	const char *s = trim(s0, &len), *p = s, *end = s + len;
	int up = 0;

	memset(f, 0, sizeof *f);
	memset(t, 0, sizeof *t);
	t->mo = t->d = 1;
	if ((t->y = digits(&p, 4)) < 0)
		return -1;
	f->kind = RK_T_YEAR;
	if (p == end)
		goto done;
	if (end - p == 4 && p[0] >= '0' && p[0] <= '9') {      /* YYYYMMDD */
		if ((t->mo = digits(&p, 2)) < 1 || t->mo > 12 ||
		    (t->d = digits(&p, 2)) < 1 || t->d > mdays(t->y, t->mo))
			return -1;
		f->kind = RK_T_DATE;
		f->basic = 1;
		goto done;
	}
	if (*p++ != '-' || (t->mo = digits(&p, 2)) < 1 || t->mo > 12)
		return -1;
	f->kind = RK_T_MONTH;
	if (p == end)
		goto done;
	if (*p++ != '-' || (t->d = digits(&p, 2)) < 1 ||
	    t->d > mdays(t->y, t->mo))
		return -1;
	f->kind = RK_T_DATE;
	if (p == end)
		goto done;
	if (*p != 'T' && *p != ' ')
		return -1;
	f->sep = *p++;
	if ((t->hh = digits(&p, 2)) < 0 || t->hh > 23 || *p++ != ':' ||
	    (t->mi = digits(&p, 2)) < 0 || t->mi > 59)
		return -1;
	f->kind = RK_T_DATETIME;
	if (p < end && *p == ':') {
		p++;
		if ((t->ss = digits(&p, 2)) < 0 || t->ss > 60)
			return -1;
		f->secs = 1;
		/* a fraction: rounded to the second, half up (timecol.h) */
		if (p < end && (*p == '.' || *p == ',')) {
			f->fsep = *p++;
			while (p < end && isdigit((unsigned char)*p) &&
			       f->frac < 9) {
				if (!f->frac)
					up = *p >= '5';
				f->frac++;
				p++;
			}
			if (!f->frac)
				return -1;
		}
	}
	if (p < end && *p == 'Z') {
		p++;
		f->zone = 'Z';
	} else if (p < end && (*p == '+' || *p == '-')) {
		int sign = *p++ == '-' ? -1 : 1, hh, mm;

		if ((hh = digits(&p, 2)) < 0 || hh > 23 || *p++ != ':' ||
		    (mm = digits(&p, 2)) < 0 || mm > 59)
			return -1;
		f->zone = '+';
		t->off = sign * (hh * 60 + mm);
	}
	if (p != end)
		return -1;
done:
	settle(t);
	if (up) {
		t->sec++;
		unsettle(t);
	}
	return 0;
}

int
rk_time_parse_unix(const char *s0, struct rk_time *t)
{
	size_t len;
	const char *s = trim(s0, &len);
	char *e;
	long long v;

	if (!len || (!isdigit((unsigned char)*s) && !(len > 1 && *s == '-')))
		return -1;
	v = strtoll(s, &e, 10);
	if ((size_t)(e - s) != len || v < -62135596800LL || v > 253402300799LL)
		return -1;      /* years 1 to 9999 */
	memset(t, 0, sizeof *t);
	t->sec = v;
	unsettle(t);
	return 0;
}

int
rk_time_parse_ym(const char *year, const char *month, struct rk_tfmt *f,
                 struct rk_time *t)
{
	size_t yl, ml;
	const char *y = trim(year, &yl), *m = trim(month, &ml), *p;

	if (yl != 4 || (ml != 1 && ml != 2))
		return -1;
	memset(t, 0, sizeof *t);
	p = y;
	if ((t->y = digits(&p, 4)) < 0)
		return -1;
	p = m;
	if ((t->mo = digits(&p, (int)ml)) < 1 || t->mo > 12)
		return -1;
	t->d = 1;
	memset(f, 0, sizeof *f);
	f->kind = RK_T_YEAR_MONTH;
	f->mwidth = (int)ml;
	settle(t);
	return 0;
}

int
rk_time_parse_as(const char *s, const struct rk_tfmt *f, struct rk_time *t)
{
	struct rk_tfmt g;

	if (f->kind == RK_T_UNIX)
		return rk_time_parse_unix(s, t);
	if (rk_time_parse(s, &g, t) < 0 || g.kind != f->kind ||
	    g.sep != f->sep || g.secs != f->secs || g.zone != f->zone ||
	    g.basic != f->basic || g.frac != f->frac || g.fsep != f->fsep)
		return -1;
	return 0;
}

char *
rk_time_format(char *b, const struct rk_tfmt *f, const struct rk_time *t,
               char delim)
{
	int n = 0;

	switch (f->kind) {
	case RK_T_UNIX:
		snprintf(b, 48, "%lld", t->sec);
		return b;
	case RK_T_YEAR_MONTH:
		snprintf(b, 48, "%04d%c%0*d", t->y, delim, f->mwidth, t->mo);
		return b;
	case RK_T_NONE:
		b[0] = '\0';
		return b;
	default:
		break;
	}
	n = snprintf(b, 48, "%04d", t->y);
	if (f->basic) {
		snprintf(b + n, 48 - (size_t)n, "%02d%02d", t->mo, t->d);
		return b;
	}
	if (f->kind >= RK_T_MONTH)
		n += snprintf(b + n, 48 - (size_t)n, "-%02d", t->mo);
	if (f->kind >= RK_T_DATE)
		n += snprintf(b + n, 48 - (size_t)n, "-%02d", t->d);
	if (f->kind == RK_T_DATETIME) {
		n += snprintf(b + n, 48 - (size_t)n, "%c%02d:%02d", f->sep,
		              t->hh, t->mi);
		if (f->secs)
			n += snprintf(b + n, 48 - (size_t)n, ":%02d", t->ss);
		if (f->frac)
			n += snprintf(b + n, 48 - (size_t)n, "%c%.*s", f->fsep,
			              f->frac, "000000000");
		if (f->zone == 'Z')
			snprintf(b + n, 48 - (size_t)n, "Z");
		else if (f->zone == '+')
			snprintf(b + n, 48 - (size_t)n, "%c%02d:%02d",
			         t->off < 0 ? '-' : '+', abs(t->off) / 60,
			         abs(t->off) % 60);
	}
	return b;
}

char *
rk_tfmt_name(char *b, const struct rk_tfmt *f)
{
	static const char *base[] = {
		"", "YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYY-MM-DD", "unix", "YYYY,"
	};

	snprintf(b, 48, "%s", f->basic ? "YYYYMMDD" : base[f->kind]);
	if (f->kind == RK_T_YEAR_MONTH)
		strcat(b, f->mwidth == 2 ? "MM" : "M");
	if (f->kind == RK_T_DATETIME) {
		strcat(b, f->sep == 'T' ? "THH:MM" : " HH:MM");
		if (f->secs)
			strcat(b, ":SS");
		if (f->frac) {
			size_t n = strlen(b);

			b[n++] = f->fsep;
			memset(b + n, 's', (size_t)f->frac);
			b[n + (size_t)f->frac] = '\0';
		}
		if (f->zone == 'Z')
			strcat(b, "Z");
		else if (f->zone == '+')
			strcat(b, "+HH:MM");
	}
	return b;
}

int
rk_tfmt_parse(const char *s, struct rk_tfmt *f)
{
	static const struct rk_tfmt all[] = {
		{ RK_T_YEAR, 0, 0, 0, 0, 0, 0, 0 },
		{ RK_T_MONTH, 0, 0, 0, 0, 0, 0, 0 },
		{ RK_T_DATE, 0, 0, 0, 0, 0, 0, 0 },
		{ RK_T_DATE, 0, 0, 0, 0, 1, 0, 0 },
		{ RK_T_UNIX, 0, 0, 0, 0, 0, 0, 0 },
		{ RK_T_YEAR_MONTH, 0, 0, 0, 1, 0, 0, 0 },
		{ RK_T_YEAR_MONTH, 0, 0, 0, 2, 0, 0, 0 },
	};
	char b[48];
	size_t i;
	int sep, secs, zone, frac;

	for (i = 0; i < sizeof all / sizeof *all; i++)
		if (!strcmp(s, rk_tfmt_name(b, &all[i]))) {
			*f = all[i];
			return 0;
		}
	/* a fraction: 1 to 9 digits after '.' or ',' (with seconds);
	 * frac 0 is none, 10 to 18 the ',' forms */
	for (sep = 0; sep < 2; sep++)
		for (secs = 0; secs < 2; secs++)
			for (zone = 0; zone < 3; zone++)
				for (frac = 0; frac < (secs ? 19 : 1); frac++) {
					struct rk_tfmt g = {
						RK_T_DATETIME, sep ? ' ' : 'T',
						secs, "\0Z+"[zone], 0, 0,
						frac > 9 ? frac - 9 : frac,
						frac > 9 ? ',' : frac ? '.' : 0
					};

					if (!strcmp(s, rk_tfmt_name(b, &g))) {
						*f = g;
						return 0;
					}
				}
	return -1;
}

char *
rk_tstep_name(char *b, const struct rk_tstep *s)
{
	if (s->unit == RK_STEP_MONTHS)
		snprintf(b, 32, "%lld month%s%s", s->n, s->eom ? "-end" : "",
		         s->n == 1 || s->eom ? "" : "s");
	else if (s->unit == RK_STEP_SECONDS)
		snprintf(b, 32, "%lld s", s->n);
	else
		b[0] = '\0';
	return b;
}

int
rk_tstep_parse(const char *s, struct rk_tstep *st)
{
	char *e;
	long long n = strtoll(s, &e, 10);

	if (e == s || n < 1)
		return -1;
	st->eom = 0;
	if (!strcmp(e, " month") || !strcmp(e, " months"))
		st->unit = RK_STEP_MONTHS;
	else if (!strcmp(e, " month-end") && (st->eom = 1))
		st->unit = RK_STEP_MONTHS;
	else if (!strcmp(e, " s"))
		st->unit = RK_STEP_SECONDS;
	else
		return -1;
	st->n = n;
	return 0;
}

void
rk_time_add(struct rk_time *t, const struct rk_tstep *s, long long k)
{
	if (s->unit == RK_STEP_MONTHS) {
		long long mon = t->mon + k * s->n;

		t->y = (int)(mon >= 0 ? mon / 12 : (mon - 11) / 12);
		t->mo = (int)(mon - (long long)t->y * 12) + 1;
		if (t->d > mdays(t->y, t->mo) || s->eom)
			t->d = mdays(t->y, t->mo);
		settle(t);
	} else if (s->unit == RK_STEP_SECONDS) {
		t->sec += k * s->n;
		unsettle(t);
	}
}

long long
rk_time_steps(const struct rk_time *a, const struct rk_time *b,
              const struct rk_tstep *s)
{
	long long d;

	switch (s->unit) {
	case RK_STEP_MONTHS:
		if ((s->eom ? a->d != mdays(a->y, a->mo) ||
		              b->d != mdays(b->y, b->mo) : a->d != b->d) ||
		    a->hh != b->hh || a->mi != b->mi || a->ss != b->ss)
			return LLONG_MIN;
		d = b->mon - a->mon;
		break;
	case RK_STEP_SECONDS:
		d = b->sec - a->sec;
		break;
	default:
		return b->sec - a->sec;
	}
	return d % s->n ? LLONG_MIN : d / s->n;
}

void
rk_tstep_detect(struct rk_tstep *st, const struct rk_tfmt *f,
                struct rk_time *const *t, const size_t *n, size_t nseries)
{
	size_t i, r;
	int months = f->kind == RK_T_YEAR || f->kind == RK_T_MONTH ||
	             f->kind == RK_T_YEAR_MONTH;
	int same = f->kind == RK_T_DATE || f->kind == RK_T_DATETIME;
	int eom = same;
	const struct rk_time *t0 = NULL;
	long long d, min = 0;

	/* months: every time on the same day of the month (1-28), or on
	 * the last day of its month, at the same time of day */
	for (i = 0; i < nseries && (same || eom); i++)
		for (r = 0; r < n[i] && (same || eom); r++) {
			if (!t0)
				t0 = &t[i][r];
			if (t[i][r].hh != t0->hh || t[i][r].mi != t0->mi ||
			    t[i][r].ss != t0->ss || t[i][r].off != t0->off)
				same = eom = 0;
			if (t[i][r].d > 28 || t[i][r].d != t0->d)
				same = 0;
			if (t[i][r].d != mdays(t[i][r].y, t[i][r].mo))
				eom = 0;
		}
	/* a month-end series with every time on the 28th or before (all
	 * Februaries) is simply monthly */
	st->eom = eom && !same;
	st->unit = months || same || st->eom ? RK_STEP_MONTHS : RK_STEP_SECONDS;
	for (i = 0; i < nseries; i++)
		for (r = 1; r < n[i]; r++) {
			d = st->unit == RK_STEP_MONTHS ?
			    t[i][r].mon - t[i][r - 1].mon :
			    t[i][r].sec - t[i][r - 1].sec;
			if (d > 0 && (!min || d < min))
				min = d;
		}
	st->n = min;
	if (!min) {
		st->unit = RK_STEP_NONE;
		return;
	}
	for (i = 0; i < nseries; i++)
		for (r = 1; r < n[i]; r++)
			if (rk_time_steps(&t[i][r - 1], &t[i][r], st) == LLONG_MIN) {
				st->unit = RK_STEP_NONE;
				st->n = 0;
				return;
			}
}

int
rk_time_name(const char *name)
{
	static const char *words[] = {
		"year", "month", "date", "time", "day", "period", "timestamp",
		"datetime", "yr", "ts", "t", NULL
	};
	size_t i, len;
	const char *s;

	while (*name == ' ')
		name++;
	len = strlen(name);
	while (len && name[len - 1] == ' ')
		len--;
	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == len && !strncasecmp(name, words[i], len))
			return 1;
	/* "obs_date", "Date (UTC)" and the like */
	for (s = name; *s; s++)
		if (!strncasecmp(s, "date", 4) || !strncasecmp(s, "time", 4) ||
		    !strncasecmp(s, "year", 4))
			return 1;
	return 0;
}

size_t
rk_tstep_period(const struct rk_tstep *st)
{
	if (st->unit == RK_STEP_MONTHS)
		return st->n == 1 ? 12 : st->n == 3 ? 4 : 1;
	if (st->unit == RK_STEP_SECONDS)
		return st->n == 3600 ? 24 : st->n == 86400 ? 7 :
		       st->n == 7 * 86400 ? 52 : 1;
	return 1;
}
