/* hop-store - store bipolar patterns in a Hopfield memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "cli.h"
#include "dense.h"
#include "hopfield.h"
#include "memory.h"
#include "paths.h"
#include "util.h"
#include "wstream.h"

enum { OPT_NO_PATTERNS = OPT_TOOL, OPT_ENCODING, OPT_THREADS };

static const struct option longopts[] = {
	{ "rule", required_argument, NULL, 'r' },
	{ "memory", required_argument, NULL, 'm' },
	{ "no-patterns", no_argument, NULL, OPT_NO_PATTERNS },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "threads", required_argument, NULL, OPT_THREADS },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTIONS] [PATTERNS.csv] > memory.gz\n"
"Store bipolar patterns (one per row, +-1 or 0/1) in a Hopfield memory and\n"
"write it as a gzip-compressed weight stream.\n"
"\n"
"  -r, --rule=RULE      hebb (default: W = sum x x^T - m I), storkey, pinv,\n"
"                       dense (keep the patterns, for hop-recall --energy\n"
"                       or --beta)\n"
"  -m, --memory=FILE    add the patterns to an existing memory\n"
"      --no-patterns    leave the patterns out of the stream\n"
"      --encoding=E     pattern values: auto (default: +-1, or a file of\n"
"                       only 0/1; with --rule dense, real values when any\n"
"                       is not -1, 0 or 1), pm1 (+-1), 01 (0 means -1) or\n"
"                       real (--rule dense: values as written)\n"
CLI_THREADS_HELP
CLI_COMMON_HELP
"\n"
"With no PATTERNS, or when PATTERNS is -, read standard input.\n"
"Exit status: 0 ok, 64 usage, 65 bad data, 66 cannot open, 73 cannot\n"
"create output, 74 I/O error. See hop-store(1).\n", argv0);
}

/* Are the patterns real-valued? (some value not -1, 0 or 1) */
static int
any_real(const struct table *t)
{
	size_t i;

	for (i = 0; i < t->rows * t->cols; i++)
		if (t->v[i] != -1 && t->v[i] != 0 && t->v[i] != 1)
			return 1;
	return 0;
}

/* --rule dense: d is new (d->n == 0) or loaded from memfile. realenc:
 * --encoding real. */
static void
store_dense(struct dense *d, struct table *t, const char *memfile,
            enum bip_encoding enc, int realenc)
{
	int real = realenc || (enc == BIP_AUTO && any_real(t));
	size_t bad;

	if (memfile && d->real)
		real = 1;               /* values as written */
	else if (memfile && real)
		die_at(t->name, t->line[0], 0, "real-valued patterns, but %s "
		       "holds +-1 patterns", memfile);
	if (!real)
		bipolar_table(t, "pattern", enc, 0);
	else if (!dense_norms_ok(t->v, t->rows, t->cols, &bad))
		die_at(t->name, t->line[bad], 0, "pattern too large: its "
		       "squared norm is over %g, where --beta recall would "
		       "overflow", DENSE_MAXSQ);
	if (!memfile)
		dense_init(d, t->cols, real);
	else if (t->cols != d->n)
		die_at(t->name, t->line[0], 0, "patterns have %zu value%s "
		       "but the memory has %zu neuron%s", t->cols,
		       plural(t->cols), d->n, plural(d->n));
	dense_store(d, t->v, t->rows);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct hopfield h;
	struct dense d;
	struct table t;
	struct rk_wstream ws;
	struct rk_out out;
	const char *rule_arg = NULL, *memfile = NULL, *input, *why;
	enum hop_rule rule = HOP_HEBB;
	enum bip_encoding enc = BIP_AUTO;
	int c, help = 0, keep = 1, isdense = 0, realenc = 0, threads = rk_ncpus();
	double limit;
	size_t ndiag;
	char lim[256];

	rk_setprogname(argv);
	cli_init(&cli);
	while ((c = getopt_long(argc, argv, "r:m:" CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&cli, c, optarg, usage, &help))
			continue;
		switch (c) {
		case 'r': rule_arg = optarg; break;
		case 'm': memfile = optarg; break;
		case OPT_NO_PATTERNS: keep = 0; break;
		case OPT_THREADS: threads = cli_threads("--threads", optarg); break;
		case OPT_ENCODING:
			realenc = !strcmp(optarg, "real");
			enc = realenc ? BIP_PM1 : bip_encoding_opt(optarg);
			break;
		default: cli_bad_usage();
		}
	}
	if (argc - optind > 1)
		usage_error("too many arguments (one PATTERNS file at most)");
	input = optind < argc ? argv[optind] : "-";
	isdense = rule_arg && !strcmp(rule_arg, "dense");
	if (rule_arg && !isdense && hop_rule_parse(rule_arg, &rule) < 0)
		usage_error("unknown rule '%s' (hebb, storkey, pinv or dense)",
		            rule_arg);
	if (isdense && !keep)
		usage_error("--no-patterns: a dense memory is its patterns");
	if (realenc && !isdense && !memfile)
		usage_error("--encoding real needs --rule dense");
	if (memfile && !strcmp(memfile, "-") && !strcmp(input, "-"))
		usage_error("the memory and the patterns cannot both come "
		            "from standard input");
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli.output), RK_PATH_MEMORY }),
	               RK_PATHS({ "-m", memfile, RK_PATH_MEMORY },
	                        { NULL, input, 0 }), NULL, 0);
	rk_out_echeck(cli.output, 1, cli.force);

	table_load(&t, input, &cli.csv);
	memset(&d, 0, sizeof d);
	if (memfile && assoc_load(&h, &d, memfile, &cli.csv)) {
		if (rule_arg && !isdense)
			usage_error("the memory was stored with --rule dense, "
			            "not %s", rule_arg);
		if (!keep)
			usage_error("--no-patterns: a dense memory is its "
			            "patterns");
		isdense = 1;
	} else if (memfile && isdense && h.rule == HOP_MATRIX) {
		usage_error("%s is a weight matrix, taken as hebb, not dense",
		            memfile);
	} else if (memfile && isdense) {
		usage_error("the memory was stored with --rule %s, not dense",
		            hop_rule_name(h.rule));
	}
	if (isdense) {
		store_dense(&d, &t, memfile, enc, realenc);
		dense_to_stream(&d, &ws);
		dense_release(&d);
		goto write;
	}
	if (realenc)
		usage_error("--encoding real needs --rule dense");
	bipolar_table(&t, "pattern", enc, 0);
	if (memfile) {
		if (h.rule == HOP_MATRIX && rule_arg && rule != HOP_HEBB)
			usage_error("%s is a weight matrix, taken as hebb, "
			            "not %s", memfile, rule_arg);
		else if (h.rule != HOP_MATRIX && rule_arg && rule != h.rule)
			usage_error("the memory was stored with --rule %s, not %s",
			            hop_rule_name(h.rule), rule_arg);
		if (t.cols != h.n)
			die_at(t.name, t.line[0], 0, "patterns have %zu value%s "
			       "but the memory has %zu neuron%s", t.cols,
			       plural(t.cols), h.n, plural(h.n));
	}
	/* what hop-store writes, every reader reads: checked before the
	 * work (and before W is allocated) */
	if (hop_check_limits(t.cols, (memfile ? h.m : 0) + t.rows,
	                     memfile ? h.rule : rule,
	                     keep && (!memfile || hop_patterns_complete(&h)), lim,
	                     sizeof lim) < 0)
		die_at(t.name, 0, 0, "the memory would be too large to read "
		       "back: %s (rnnkit-weights(5), LIMITS)", lim);
	if (!memfile)
		hop_init(&h, t.cols, rule);
	h.threads = threads;
	if (memfile && h.rule == HOP_MATRIX && !cli.quiet &&
	    (ndiag = hop_diagonal_nonzero(&h)))
		warnf("warning: %s: %zu non-zero diagonal weight%s set to 0 "
		      "(hebb has w_ii = 0)", memfile, ndiag, plural(ndiag));
	if (hop_store(&h, t.v, t.rows) < 0)
		die(EX_DATAERR, "%s: the pinv rule needs the earlier patterns, "
		    "but the memory was stored with --no-patterns", memfile);
	if (!keep)
		hop_drop_patterns(&h);
	if (!cli.quiet && (why = hop_capacity(&h, &limit))) {
		hop_fmt_limit(lim, sizeof lim, limit, h.m);
		warnf("warning: load m/n = %zu/%zu = %.3g passes %s "
		      "(%s pattern%s)", h.m, h.n, (double)h.m / (double)h.n,
		      why, lim, limit == 1 ? "" : "s");
	}

	hop_to_stream(&h, &ws);
	hop_release(&h);
write:
	ws_set(&ws, "created-by", "hop-store %s", RNNKIT_VERSION);
	ws_set(&ws, "source", "%s%s%s", t.name, memfile ? " added to " : "",
	       memfile ? memfile : "");
	rk_out_open(&out, cli.output, 1, cli.force);
	ws_write(&out, &ws);
	rk_out_close(&out);
	ws_release(&ws);
	table_release(&t);
	return 0;
}
