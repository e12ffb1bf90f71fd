/* timecol.h - time stamps of a series: ISO 8601 dates and times, a year and
 * a month in two columns, Unix seconds; the step between rows; printing a
 * time in the input's own form.
 *
 * Forms (rk_time_parse): YYYY, YYYY-MM, YYYY-MM-DD, and YYYY-MM-DD then 'T'
 * or ' ' then HH:MM or HH:MM:SS or HH:MM:SS.f (1 to 9 digits of a second
 * after '.' or ',', as JavaScript's toISOString writes .sss), then
 * optionally Z or +HH:MM / -HH:MM; and
 * YYYYMMDD (basic), a date. YYYY and YYYYMMDD are numbers as well.
 * Unix seconds (an integer) only when asked for (rk_time_parse_unix).
 * Years 0000 to 9999. Every time has its broken-down local fields (what
 * the file says) and sec, seconds since 1970-01-01T00:00Z (a time without a
 * zone is taken as UTC), and mon, months since year 0. The axis is in
 * whole seconds: a fraction is rounded to the nearest second (half up),
 * and a time is printed with as many zero digits as its form has.
 */
#ifndef RNNKIT_TIMECOL_H
#define RNNKIT_TIMECOL_H

#include <stddef.h>

enum rk_tkind {
	RK_T_NONE, RK_T_YEAR, RK_T_MONTH, RK_T_DATE, RK_T_DATETIME, RK_T_UNIX,
	RK_T_YEAR_MONTH         /* two columns: year, then month 1-12 */
};

/* The form of a column's times, taken from its first row. */
struct rk_tfmt {
	enum rk_tkind kind;
	char sep;               /* 'T' or ' ' between date and time */
	int secs;               /* HH:MM:SS (else HH:MM) */
	char zone;              /* 0 none, 'Z', or '+': an offset */
	int mwidth;             /* RK_T_YEAR_MONTH: digits of the month, 1 or 2 */
	int basic;              /* RK_T_DATE written YYYYMMDD (ISO 8601's
	                           basic format), a number too */
	int frac;               /* secs: digits of a fraction, 0 to 9 */
	char fsep;              /* before them: '.' or ',' (frac > 0) */
};

struct rk_time {
	long long sec;          /* seconds since 1970-01-01T00:00Z */
	long long mon;          /* y * 12 + m - 1 */
	int y, mo, d, hh, mi, ss;       /* local, as written */
	int off;                /* zone offset, minutes east of UTC */
};

enum rk_stepunit { RK_STEP_NONE, RK_STEP_MONTHS, RK_STEP_SECONDS };

/* RK_STEP_NONE: the times are not a regular grid (or there are too few). */
struct rk_tstep {
	enum rk_stepunit unit;
	long long n;            /* > 0 */
	int eom;                /* months: every time is its month's last day
	                           ("1 month-end"): a step keeps it so */
};

/* 0 and the form in *f, or -1: s is not one of the ISO forms above. */
int rk_time_parse(const char *s, struct rk_tfmt *f, struct rk_time *t);
/* An integer number of seconds since 1970: 0, or -1. */
int rk_time_parse_unix(const char *s, struct rk_time *t);
/* A year cell and a month cell (1-12): 0, or -1. Sets f->mwidth. */
int rk_time_parse_ym(const char *year, const char *month, struct rk_tfmt *f,
                     struct rk_time *t);
/* s in the form f (any zone offset if f has one): 0, or -1. */
int rk_time_parse_as(const char *s, const struct rk_tfmt *f,
                     struct rk_time *t);

/* t in the form f; RK_T_YEAR_MONTH puts delim between year and month.
 * buf needs 48 bytes. Returns buf. */
char *rk_time_format(char *buf, const struct rk_tfmt *f,
                     const struct rk_time *t, char delim);
/* The form's name, as in a model: "YYYY-MM-DDTHH:MM:SSZ",
 * "YYYY-MM-DDTHH:MM:SS.sssZ" (an s a digit of the fraction), "unix",
 * "YYYY,MM" (two columns). buf needs 48 bytes. */
char *rk_tfmt_name(char *buf, const struct rk_tfmt *f);
/* 0, or -1: not a name rk_tfmt_name gives. */
int rk_tfmt_parse(const char *s, struct rk_tfmt *f);
/* "1 month", "12 months", "86400 s"; "" for none. buf needs 32 bytes. */
char *rk_tstep_name(char *buf, const struct rk_tstep *s);
int rk_tstep_parse(const char *s, struct rk_tstep *st);

/* t plus k steps, in the same zone offset. */
void rk_time_add(struct rk_time *t, const struct rk_tstep *s, long long k);
/* (b - a) / step when b lies a whole number of steps from a, else
 * LLONG_MIN. Seconds for RK_STEP_NONE. */
long long rk_time_steps(const struct rk_time *a, const struct rk_time *b,
                        const struct rk_tstep *s);

/* The step of nseries series of times t[i][0..n[i]), each increasing: in
 * months when the form has no day, or when every time is on the same day
 * of the month (1-28) at the same time of day; else in seconds. It is the
 * smallest difference, and there is one only when every difference is a
 * whole multiple of it. */
void rk_tstep_detect(struct rk_tstep *st, const struct rk_tfmt *f,
                     struct rk_time *const *t, const size_t *n,
                     size_t nseries);

/* The seasonal period of a step (rnn-train(1), --period): 12 for 1 month,
 * 4 for 3 months, 24 for 1 hour, 7 for 1 day, 52 for 1 week; else 1. */
size_t rk_tstep_period(const struct rk_tstep *st);

/* Does a header name look like a time axis (year, month, date, time,
 * day, timestamp, period, datetime, any case)? */
int rk_time_name(const char *name);

#endif
