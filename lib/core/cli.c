/* cli.c - shared options. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof *c);
	c->csv.delim = ',';
	c->csv.header = RK_HEADER_AUTO;
}

void
cli_bad_usage(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", argv0);
	exit(EX_USAGE);
}

int
cli_threads(const char *opt, const char *arg)
{
	int n = (int)opt_int(opt, arg, 0, 256);

	return n ? n : rk_ncpus();
}

int
cli_common(struct cli *c, int opt, const char *arg, void (*usage)(FILE *),
           int *help)
{
	switch (opt) {
	case 'd': c->csv.delim = opt_delim("--delimiter", arg); return 1;
	case OPT_HEADER: c->csv.header = RK_HEADER_YES; return 1;
	case OPT_NO_HEADER: c->csv.header = RK_HEADER_NO; return 1;
	case 'o': c->output = arg; return 1;
	case 'z': c->gzip = 1; return 1;
	case 'f': c->force = 1; return 1;
	case 'q': c->quiet = c->series.quiet = c->csv.quiet = 1; return 1;
	case OPT_MISSING:
		if (rk_missing_parse(arg, &c->series.missing) < 0)
			usage_error("unknown --missing '%s' (interpolate, ffill, "
			            "zero, drop or error)", arg);
		c->series.missing_given = 1;
		return 1;
	case OPT_COLUMNS: c->series.columns = arg; return 1;
	case OPT_DECIMAL_COMMA: c->csv.decimal_comma = 1; return 1;
	case OPT_TIME: c->series.time = arg; return 1;
	case 'h':
		usage(stdout);
		*help = 1;
		break;
	case OPT_VERSION:
		print_version();
		break;
	case '?':
		cli_bad_usage();
	default:
		return 0;
	}
	/* --help, --version: stdout must take it (a full disk is an error) */
	if (fflush(stdout) || ferror(stdout))
		die(EX_IOERR, "write error on '<stdout>':");
	exit(0);
}
