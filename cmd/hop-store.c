/* hop-store - store bipolar patterns in a Hopfield memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "cli.h"
#include "hopfield.h"
#include "memory.h"
#include "paths.h"
#include "util.h"
#include "wstream.h"

enum { OPT_NO_PATTERNS = OPT_TOOL, OPT_ENCODING };

static const struct option longopts[] = {
	{ "rule", required_argument, NULL, 'r' },
	{ "memory", required_argument, NULL, 'm' },
	{ "no-patterns", no_argument, NULL, OPT_NO_PATTERNS },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
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
"  -r, --rule=RULE      hebb (default: W = sum x x^T - m I), storkey, pinv\n"
"  -m, --memory=FILE    add the patterns to an existing memory\n"
"      --no-patterns    leave the patterns out of the stream\n"
"      --encoding=E     pattern values: auto (default: +-1, or a file of\n"
"                       only 0/1), pm1 (+-1) or 01 (0 means -1)\n"
CLI_COMMON_HELP
"\n"
"With no PATTERNS, or when PATTERNS is -, read standard input.\n"
"Exit status: 0 ok, 64 usage, 65 bad data, 66 cannot open, 73 cannot\n"
"create output, 74 I/O error. See hop-store(1).\n", argv0);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct hopfield h;
	struct table t;
	struct rk_wstream ws;
	struct rk_out out;
	const char *rule_arg = NULL, *memfile = NULL, *input, *why;
	enum hop_rule rule = HOP_HEBB;
	enum bip_encoding enc = BIP_AUTO;
	int c, help = 0, keep = 1;
	double limit;
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
		case OPT_ENCODING:
			enc = bip_encoding_opt(optarg);
			break;
		default: cli_bad_usage();
		}
	}
	if (argc - optind > 1)
		usage_error("too many arguments (one PATTERNS file at most)");
	input = optind < argc ? argv[optind] : "-";
	if (rule_arg && hop_rule_parse(rule_arg, &rule) < 0)
		usage_error("unknown rule '%s' (hebb, storkey or pinv)", rule_arg);
	if (memfile && !strcmp(memfile, "-") && !strcmp(input, "-"))
		usage_error("the memory and the patterns cannot both come "
		            "from standard input");
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli.output), RK_PATH_MEMORY }),
	               RK_PATHS({ "-m", memfile, RK_PATH_MEMORY },
	                        { NULL, input, 0 }), NULL, 0);
	rk_out_echeck(cli.output, 1, cli.force);

	table_load(&t, input, &cli.csv);
	bipolar_table(&t, "pattern", enc, 0);
	if (memfile) {
		hop_load(&h, memfile, &cli.csv);
		if (h.rule == HOP_MATRIX)
			h.rule = rule_arg ? rule : HOP_HEBB;
		else if (rule_arg && rule != h.rule)
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
	                     keep && (!memfile || h.pat || !h.m), lim,
	                     sizeof lim) < 0)
		die_at(t.name, 0, 0, "the memory would be too large to read "
		       "back: %s (rnnkit-weights(5), LIMITS)", lim);
	if (!memfile)
		hop_init(&h, t.cols, rule);
	if (hop_store(&h, t.v, t.rows) < 0)
		die(EX_DATAERR, "%s: the pinv rule needs the earlier patterns, "
		    "but the memory was stored with --no-patterns", memfile);
	if (!keep)
		hop_drop_patterns(&h);
	if (!cli.quiet && (why = hop_capacity(&h, &limit)))
		warnf("warning: load m/n = %zu/%zu = %.3g passes %s "
		      "(%.3g pattern%s)", h.m, h.n, (double)h.m / (double)h.n,
		      why, limit, limit == 1 ? "" : "s");

	hop_to_stream(&h, &ws);
	ws_set(&ws, "created-by", "hop-store %s", RNNKIT_VERSION);
	ws_set(&ws, "source", "%s%s%s", t.name, memfile ? " added to " : "",
	       memfile ? memfile : "");
	rk_out_open(&out, cli.output, 1, cli.force);
	ws_write(&out, &ws);
	rk_out_close(&out);
	ws_release(&ws);
	hop_release(&h);
	table_release(&t);
	return 0;
}
