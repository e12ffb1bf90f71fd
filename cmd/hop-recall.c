/* hop-recall - recall stored patterns from noisy probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "cli.h"
#include "hopfield.h"
#include "memory.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "util.h"

enum { OPT_MODE = OPT_TOOL, OPT_MAX_ITER, OPT_SEED, OPT_SHOW, OPT_ENCODING, OPT_PRECISION };

static const struct option longopts[] = {
	{ "memory", required_argument, NULL, 'm' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "max-iter", required_argument, NULL, OPT_MAX_ITER },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "stats", no_argument, NULL, 's' },
	{ "trace", no_argument, NULL, 't' },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "precision", required_argument, NULL, OPT_PRECISION },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: hop-store < patterns.csv | %s [OPTIONS] PROBES.csv\n"
"       %s -m MEMORY [OPTIONS] [PROBES.csv]\n"
"Recall stored patterns from probes (one per row) by iterating\n"
"o(t+1) = phi(W o(t)) until the state stops changing; print one recalled\n"
"state per probe.\n"
"\n"
"  -m, --memory=FILE    the memory (weight stream or CSV matrix);\n"
"                       default standard input\n"
"      --mode=MODE      sync (default), async (random order), seq\n"
"      --max-iter=N     at most N updates (sweeps) per probe (default 100)\n"
"      --seed=N         seed of the async update order (default 1)\n"
"  -s, --stats          add columns iters,status,energy[,match,hamming]\n"
"  -t, --trace          print every intermediate state on stderr\n"
"      --show=RxC       draw probe and result as RxC grids on stderr\n"
"      --encoding=E     probe values: auto (default; a file with a -1 is\n"
"                       +-1 with 0 unknown, else 0/1), pm1 (+-1, 0 unknown)\n"
"                       or 01 (0 means -1)\n"
"      --precision=N    print energies with N significant digits\n"
"                       (default: exact)\n"
CLI_COMMON_HELP
"\n"
"Exit status: 0 ok, 64 usage, 65 bad data, 66 cannot open, 73 cannot\n"
"create output, 74 I/O error. See hop-recall(1).\n", argv0, argv0);
}

struct tracectx {
	size_t n;
	char delim;
	double tol;             /* resolution of the energies */
};

static void
trace_cb(void *ctx, size_t probe, size_t step, long neuron, const double *s,
         double energy)
{
	struct tracectx *tc = ctx;
	char e[32];

	if (neuron >= 0)
		fprintf(stderr, "probe %zu step %zu neuron %ld: ", probe + 1,
		        step, neuron + 1);
	else
		fprintf(stderr, "probe %zu step %zu: ", probe + 1, step);
	print_state(stderr, s, tc->n, tc->delim);
	fprintf(stderr, " energy %s\n", fmt_energy(e, energy, tc->tol));
}

/* "stable, pattern 2", "cycle:2, spurious", "stable, pattern 1 negated";
 * without stored patterns only the status */
static void
result_title(char *buf, size_t len, const struct hop_result *r, int patterns)
{
	char st[48];

	status_word(st, r->status, r->period, r->unknown);
	if (!patterns)
		snprintf(buf, len, "%s", st);
	else if (r->match > 0)
		snprintf(buf, len, "%s, pattern %ld", st, r->match);
	else if (r->match < 0)
		snprintf(buf, len, "%s, pattern %ld negated", st, -r->match);
	else
		snprintf(buf, len, "%s, spurious", st);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct hopfield h;
	struct table t;
	struct rk_out out;
	struct hop_result *res;
	struct tracectx tc;
	const char *memfile = NULL, *input;
	enum hop_mode mode = HOP_SYNC;
	enum bip_encoding enc = BIP_AUTO;
	long long max_iter = 100;
	unsigned long long seed = 1;
	int c, help = 0, stats = 0, trace = 0;
	size_t grows = 0, gcols = 0, i, n, incomplete = 0;
	double *orig = NULL, tol;
	char b1[48], b2[32];

	rk_setprogname(argv);
	cli_init(&cli);
	while ((c = getopt_long(argc, argv, "m:st" CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&cli, c, optarg, usage, &help))
			continue;
		switch (c) {
		case 'm': memfile = optarg; break;
		case OPT_MODE:
			if (hop_mode_parse(optarg, &mode) < 0)
				usage_error("unknown mode '%s' (sync, async or "
				            "seq)", optarg);
			break;
		case OPT_MAX_ITER:
			max_iter = opt_int("--max-iter", optarg, 1, 1000000000);
			break;
		case OPT_SEED:
			seed = (unsigned long long)opt_int("--seed", optarg, 0,
			                                   9223372036854775807LL);
			break;
		case 's': stats = 1; break;
		case 't': trace = 1; break;
		case OPT_SHOW: parse_grid(optarg, &grows, &gcols); break;
		case OPT_ENCODING:
			enc = bip_encoding_opt(optarg);
			break;
		case OPT_PRECISION:
			rk_set_precision((int)opt_int("--precision", optarg, 1, 17));
			break;
		default: cli_bad_usage();
		}
	}
	if (argc - optind > 1)
		usage_error("too many arguments (one PROBES file at most)");
	input = optind < argc ? argv[optind] : "-";
	if (!memfile && !strcmp(input, "-"))
		usage_error("the memory comes on standard input, so give the "
		            "probes as a file (or the memory with -m)");
	if (memfile && !strcmp(memfile, "-") && !strcmp(input, "-"))
		usage_error("the memory and the probes cannot both come from "
		            "standard input");
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli.output), 0 }),
	               RK_PATHS({ "-m", memfile ? memfile : "-", RK_PATH_MEMORY },
	                        { NULL, input, 0 }), NULL, 0);
	rk_out_echeck(cli.output, cli.gzip, cli.force);

	hop_load(&h, memfile ? memfile : "-", &cli.csv);
	n = h.n;
	if (grows && grows * gcols != n)
		usage_error("--show %zux%zu needs %zu neuron%s, the memory has "
		            "%zu", grows, gcols, grows * gcols,
		            plural(grows * gcols), n);
	table_load(&t, input, &cli.csv);
	bipolar_table(&t, "probe", enc, 1);
	if (t.cols != n)
		die_at(t.name, t.line[0], 0, "probes have %zu value%s but the "
		       "memory has %zu neuron%s", t.cols, plural(t.cols), n,
		       plural(n));

	if (grows) {
		orig = emalloc(emul(t.rows * n, sizeof *orig));
		memcpy(orig, t.v, t.rows * n * sizeof *orig);
	}
	res = ecalloc(t.rows, sizeof *res);
	tc.n = n;
	tc.delim = cli.csv.delim;
	tc.tol = tol = hop_energy_tol(&h);
	hop_recall(&h, t.v, t.rows, mode, (size_t)max_iter, seed, res,
	           trace ? trace_cb : NULL, &tc);

	rk_out_open(&out, cli.output, cli.gzip, cli.force);
	if (t.header) {
		static const char *extra[] = { "iters", "status", "energy",
		                               "match", "hamming" };
		out_header(&out, cli.csv.delim, t.header, n, extra,
		           stats ? (h.pat ? 5 : 3) : 0);
	}
	for (i = 0; i < t.rows; i++) {
		const double *s = t.v + i * n;

		out_state(&out, s, n, cli.csv.delim);
		incomplete += res[i].unknown > 0;
		if (stats) {
			rk_out_printf(&out, "%c%zu%c%s%c%s", cli.csv.delim,
			              res[i].iters, cli.csv.delim,
			              status_word(b1, res[i].status, res[i].period,
			                          res[i].unknown),
			              cli.csv.delim, fmt_energy(b2, res[i].energy, tol));
			if (h.pat)
				rk_out_printf(&out, "%c%s%c%zu", cli.csv.delim,
				              match_word(b1, res[i].match),
				              cli.csv.delim, res[i].hamming);
		}
		rk_out_write(&out, "\n", 1);
		if (grows) {
			const double *g[2] = { orig + i * n, s };
			char t1[64], t2[96];
			const char *titles[2] = { t1, t2 };

			snprintf(t1, sizeof t1, "probe %zu", i + 1);
			result_title(t2, sizeof t2, &res[i], h.pat != NULL);
			show_grids(stderr, grows, gcols, 2, g, titles);
		}
	}
	rk_out_close(&out);
	if (incomplete && !cli.quiet)
		warnf("warning: %zu probe%s ended with unknown neurons (0 in "
		      "the output)", incomplete, plural(incomplete));
	free(res);
	free(orig);
	table_release(&t);
	hop_release(&h);
	return 0;
}
