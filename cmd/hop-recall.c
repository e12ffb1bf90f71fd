/* hop-recall - recall stored patterns from noisy probes. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "cli.h"
#include "dense.h"
#include "hopfield.h"
#include "memory.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "util.h"

enum { OPT_MODE = OPT_TOOL, OPT_MAX_ITER, OPT_SEED, OPT_SHOW, OPT_ENCODING, OPT_PRECISION,
       OPT_ENERGY, OPT_BETA, OPT_THREADS };

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
	{ "energy", required_argument, NULL, OPT_ENERGY },
	{ "beta", required_argument, NULL, OPT_BETA },
	{ "threads", required_argument, NULL, OPT_THREADS },
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
"      --max-iter=N     at most N updates (sweeps) per probe (default 100;\n"
"                       1 with --beta)\n"
"      --seed=N         seed of the async update order (default 1)\n"
"  -s, --stats          add columns iters,status,energy[,match,hamming]\n"
"  -t, --trace          print every intermediate state on stderr\n"
"      --show=RxC       draw probe and result as RxC grids on stderr\n"
"      --encoding=E     probe values: auto (default; a file with a -1 is\n"
"                       +-1 with 0 unknown, else 0/1), pm1 (+-1, 0 unknown)\n"
"                       or 01 (0 means -1)\n"
"      --precision=N    print energies with N significant digits\n"
"                       (default: exact)\n"
"      --energy=E       dense memory (hop-store --rule dense), +-1 probes:\n"
"                       E = -sum_mu F(x_mu . s), F(x) = x^K (poly:K, K >= 2)\n"
"                       or e^x (exp, the default)\n"
"      --beta=B         dense memory, real probes: xi <- X^T softmax(B X xi)\n"
"                       (modern Hopfield network); stats end in distance\n"
CLI_THREADS_HELP
CLI_COMMON_HELP
"\n"
"Exit status: 0 ok, 64 usage, 65 bad data, 66 cannot open, 73 cannot\n"
"create output, 74 I/O error. See hop-recall(1).\n", argv0, argv0);
}

struct tracectx {
	size_t n;
	char delim;
	double tol;             /* resolution of the energies */
	const struct dense *d;  /* dense memory, or NULL */
	const struct dense_energy *e;   /* discrete dense energy, or NULL */
};

/* The resolution of a printed energy */
static double
energy_res(const struct tracectx *tc, double energy)
{
	if (!tc->d)
		return tc->tol;
	if (tc->e)
		return dense_energy_tol(tc->d, tc->e, energy);
	return (double)(tc->d->m + tc->d->n) * DBL_EPSILON * (1 + fabs(energy));
}

static void
print_real(FILE *f, const double *s, size_t n, char delim)
{
	char b[32];
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? (char[]){ delim, 0 } : "",
		        rk_fmt_double(b, s[i]));
}

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
	if (tc->d && !tc->e)
		print_real(stderr, s, tc->n, tc->delim);
	else
		print_state(stderr, s, tc->n, tc->delim);
	fprintf(stderr, " energy %s\n",
	        fmt_energy(e, energy, energy_res(tc, energy)));
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

/* --beta: recall the real probes of t and print them, with
 * iters,status,energy,match,distance under --stats */
static void
crecall(const struct cli *cli, const struct dense *d, double beta,
        struct table *t, size_t max_iter, int stats, hop_trace_fn trace,
        struct tracectx *tc)
{
	static const char *extra[] = { "iters", "status", "energy", "match",
	                               "distance" };
	struct dense_cresult *res = ecalloc(t->rows, sizeof *res);
	struct rk_out out;
	char delim = cli->csv.delim, b1[48], b2[32];
	size_t i, j, n = d->n;

	if (!dense_cprobes_ok(d, beta, t->v, t->rows, &i))
		die_at(t->name, t->line[i], 0, "probe too large for "
		       "--beta %g: the recall would overflow (|beta| "
		       "|x| |xi| and |xi|^2 must stay below %g)", beta,
		       DENSE_MAXSQ);
	dense_crecall(d, beta, t->v, t->rows, max_iter, res, trace, tc);
	for (i = 0; i < t->rows; i++) {
		int ok = isfinite(res[i].energy) && isfinite(res[i].distance);

		for (j = 0; j < n; j++)
			ok = ok && isfinite(t->v[i * n + j]);
		if (!ok)
			die_at(t->name, t->line[i], 0, "the --beta recall "
			       "overflowed");
	}
	rk_out_open(&out, cli->output, cli->gzip, cli->force);
	if (t->header)
		out_header(&out, delim, t->header, n, extra, stats ? 5 : 0);
	for (i = 0; i < t->rows; i++) {
		for (j = 0; j < n; j++)
			rk_out_printf(&out, "%s%s", j ? (char[]){ delim, 0 } : "",
			              rk_fmt_double(b2, t->v[i * n + j]));
		if (stats) {
			rk_out_printf(&out, "%c%zu%c%s", delim, res[i].iters,
			              delim, status_word(b1, res[i].status, 1, 0));
			rk_out_printf(&out, "%c%s", delim,
			              fmt_energy(b2, res[i].energy,
			                         energy_res(tc, res[i].energy)));
			rk_out_printf(&out, "%c%s", delim,
			              match_word(b1, res[i].match));
			rk_out_printf(&out, "%c%s", delim,
			              rk_fmt_double(b2, res[i].distance));
		}
		rk_out_write(&out, "\n", 1);
	}
	rk_out_close(&out);
	free(res);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct hopfield h;
	struct dense d;
	struct dense_energy en = { DENSE_EXP, 0 };
	struct table t;
	struct rk_out out;
	struct hop_result *res = NULL;
	struct tracectx tc;
	const char *memfile = NULL, *input, *energy_arg = NULL;
	enum hop_mode mode = HOP_SYNC;
	enum bip_encoding enc = BIP_AUTO;
	long long max_iter = 100;
	unsigned long long seed = 1;
	int c, help = 0, stats = 0, trace = 0, isd, pats, mode_set = 0;
	int iter_set = 0, enc_set = 0, threads = rk_ncpus();
	size_t grows = 0, gcols = 0, i, n, incomplete = 0;
	double *orig = NULL, beta = 0;
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
			mode_set = 1;
			break;
		case OPT_MAX_ITER:
			max_iter = opt_int("--max-iter", optarg, 1, 1000000000);
			iter_set = 1;
			break;
		case OPT_SEED:
			seed = (unsigned long long)opt_int("--seed", optarg, 0,
			                                   9223372036854775807LL);
			break;
		case OPT_THREADS: threads = cli_threads("--threads", optarg); break;
		case 's': stats = 1; break;
		case 't': trace = 1; break;
		case OPT_SHOW: parse_grid(optarg, &grows, &gcols); break;
		case OPT_ENCODING:
			enc = bip_encoding_opt(optarg);
			enc_set = 1;
			break;
		case OPT_ENERGY:
			energy_arg = optarg;
			if (dense_energy_parse(optarg, &en) < 0)
				usage_error("unknown energy '%s' (poly:K with K "
				            "from 2 to %d, or exp)", optarg,
				            DENSE_MAXK);
			break;
		case OPT_BETA:
			beta = opt_real("--beta", optarg, 0, 1e300);
			if (beta == 0)
				usage_error("--beta must be greater than 0");
			break;
		case OPT_PRECISION:
			rk_set_precision((int)opt_int("--precision", optarg, 1, 17));
			break;
		default: cli_bad_usage();
		}
	}
	if (argc - optind > 1)
		usage_error("too many arguments (one PROBES file at most)");
	if (energy_arg && beta > 0)
		usage_error("--energy (+-1 probes) and --beta (real probes) "
		            "exclude each other");
	if (beta > 0 && mode_set && mode != HOP_SYNC)
		usage_error("--mode %s: the --beta update is synchronous",
		            mode == HOP_ASYNC ? "async" : "seq");
	if (beta > 0 && enc_set)
		usage_error("--encoding: --beta reads real-valued probes");
	if (beta > 0 && grows)
		usage_error("--show draws +-1 states, not the real ones of "
		            "--beta");
	if (beta > 0 && !iter_set)
		max_iter = 1;
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

	isd = assoc_load(&h, &d, memfile ? memfile : "-", &cli.csv);
	if (!isd && (energy_arg || beta > 0))
		usage_error("%s needs a dense memory (hop-store --rule dense), "
		            "not a %s one", energy_arg ? "--energy" : "--beta",
		            hop_rule_name(h.rule));
	if (isd && d.real && energy_arg)
		usage_error("--energy needs +-1 patterns, but the memory holds "
		            "real values (use --beta)");
	if (isd && d.real && beta == 0)
		usage_error("a memory of real-valued patterns needs --beta");
	if (isd)
		d.threads = threads;
	else
		h.threads = threads;
	n = isd ? d.n : h.n;
	pats = isd || h.pat;
	if (grows && grows * gcols != n)
		usage_error("--show %zux%zu needs %zu neuron%s, the memory has "
		            "%zu", grows, gcols, grows * gcols,
		            plural(grows * gcols), n);
	table_load(&t, input, &cli.csv);
	if (beta == 0)
		bipolar_table(&t, "probe", enc, 1);
	if (t.cols != n)
		die_at(t.name, t.line[0], 0, "probes have %zu value%s but the "
		       "memory has %zu neuron%s", t.cols, plural(t.cols), n,
		       plural(n));

	if (grows) {
		orig = emalloc(emul(t.rows * n, sizeof *orig));
		memcpy(orig, t.v, t.rows * n * sizeof *orig);
	}
	tc.n = n;
	tc.delim = cli.csv.delim;
	tc.tol = isd ? 0 : hop_energy_tol(&h);
	tc.d = isd ? &d : NULL;
	tc.e = isd && beta == 0 ? &en : NULL;
	if (beta > 0) {
		crecall(&cli, &d, beta, &t, (size_t)max_iter, stats,
		        trace ? trace_cb : NULL, &tc);
		goto done;
	}
	res = ecalloc(t.rows, sizeof *res);
	if (isd)
		dense_recall(&d, &en, t.v, t.rows, mode, (size_t)max_iter,
		             seed, res, trace ? trace_cb : NULL, &tc);
	else
		hop_recall(&h, t.v, t.rows, mode, (size_t)max_iter, seed, res,
		           trace ? trace_cb : NULL, &tc);

	rk_out_open(&out, cli.output, cli.gzip, cli.force);
	if (t.header) {
		static const char *extra[] = { "iters", "status", "energy",
		                               "match", "hamming" };
		out_header(&out, cli.csv.delim, t.header, n, extra,
		           stats ? (pats ? 5 : 3) : 0);
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
			              cli.csv.delim,
			              fmt_energy(b2, res[i].energy,
			                         energy_res(&tc, res[i].energy)));
			if (pats)
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
			result_title(t2, sizeof t2, &res[i], pats);
			show_grids(stderr, grows, gcols, 2, g, titles);
		}
	}
	rk_out_close(&out);
	if (incomplete && !cli.quiet)
		warnf("warning: %zu probe%s ended with unknown neurons (0 in "
		      "the output)", incomplete, plural(incomplete));
	free(res);
done:
	free(orig);
	table_release(&t);
	if (isd)
		dense_release(&d);
	else
		hop_release(&h);
	return 0;
}
