/* cli.h - options every tool shares, for getopt_long.
 *
 * A tool lists CLI_COMMON_LONGOPTS in its longopts[] and CLI_COMMON_SHORT in
 * its optstring, and passes each option to cli_common() first. A tool that
 * reads time series also lists CLI_SERIES_LONGOPTS (and CLI_SERIES_HELP);
 * cli_common() fills cli.series and cli.csv for them.
 */
#ifndef RNNKIT_CLI_H
#define RNNKIT_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "csvread.h"
#include "frame.h"

enum {
	OPT_HEADER = 1000, OPT_NO_HEADER, OPT_VERSION,
	OPT_MISSING = 1050, OPT_COLUMNS, OPT_DECIMAL_COMMA, OPT_TIME, /* series */
	OPT_TOOL = 1100         /* tools number their own long options here */
};

#define CLI_COMMON_SHORT "d:o:zfqh"
#define CLI_COMMON_LONGOPTS \
	{ "delimiter", required_argument, NULL, 'd' }, \
	{ "header", no_argument, NULL, OPT_HEADER }, \
	{ "no-header", no_argument, NULL, OPT_NO_HEADER }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "gzip", no_argument, NULL, 'z' }, \
	{ "force", no_argument, NULL, 'f' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, OPT_VERSION }

#define CLI_SERIES_LONGOPTS \
	{ "missing", required_argument, NULL, OPT_MISSING }, \
	{ "columns", required_argument, NULL, OPT_COLUMNS }, \
	{ "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA }, \
	{ "time", required_argument, NULL, OPT_TIME }

/* CLI_SERIES_HELP, or its parts: a tool may add a line after a part. */
#define CLI_TIME_HELP \
"      --time=COL       the time column: a name or number, COL:unix for\n" \
"                       Unix seconds, YEAR,MONTH for two, or none\n" \
"                       (default: a first column of ISO 8601 times)\n"
#define CLI_MISSING_HELP \
"      --missing=HOW    fill missing values (empty, NA, NaN, null, ?, a\n" \
"                       blank line): interpolate, ffill, zero or drop;\n" \
"                       error (the default; rnn-predict: the model's)\n"
#define CLI_DECIMAL_HELP \
"      --decimal-comma  numbers are written 1,5 (needs -d ';' or -d tab)\n"
#define CLI_SERIES_HELP CLI_TIME_HELP CLI_MISSING_HELP CLI_DECIMAL_HELP

/* Help text lines for the shared options, for usage(). */
#define CLI_COMMON_HELP \
"  -d, --delimiter=C    field delimiter of CSV input and output (default ,)\n" \
CLI_COMMON_HELP_REST
/* the same for a tool whose output is not CSV (grad-check) */
#define CLI_COMMON_HELP_IN \
"  -d, --delimiter=C    field delimiter of CSV input (default ,)\n" \
CLI_COMMON_HELP_REST
#define CLI_COMMON_HELP_REST \
"      --header         the first row is a header\n" \
"      --no-header      the first row is data\n" \
"  -o, --output=FILE    write FILE atomically instead of stdout\n" \
"  -z, --gzip           compress the output (an -o FILE ending in .gz and\n" \
"                       weight streams always are)\n" \
"  -f, --force          write compressed data to a terminal\n" \
"  -q, --quiet          errors only on standard error: no warnings or\n" \
"                       progress\n" \
"  -h, --help           show this help and exit\n" \
"      --version        show the version and exit\n"

struct cli {
	struct csv_opts csv;
	const char *output;     /* NULL: stdout */
	int gzip, force, quiet;
	struct series_opts series;      /* CLI_SERIES_LONGOPTS */
};

void cli_init(struct cli *c);
/* 1 if c was a shared option (handled; --version exits), 0 if not. */
int cli_common(struct cli *c, int opt, const char *arg,
               void (*usage)(FILE *), int *help);
/* --threads=N: N in 0..256, 0 for every CPU (rk_ncpus); a bad N is a
 * usage error (64) naming opt. */
int cli_threads(const char *opt, const char *arg);
/* The standard end of a bad option: short usage, exit 64. */
_Noreturn void cli_bad_usage(void);
#define CLI_THREADS_HELP \
"      --threads=N      threads (default 0: every CPU); the output is the\n" \
"                       same for any N\n"

#endif
