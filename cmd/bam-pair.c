/* bam-pair - store and recall pattern pairs in a bidirectional associative
 * memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bam.h"
#include "bipolar.h"
#include "cli.h"
#include "memory.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "util.h"

enum { OPT_SPLIT = OPT_TOOL, OPT_FROM, OPT_MAX_ITER, OPT_NO_PATTERNS,
       OPT_ENCODING, OPT_PRECISION };

static const struct option longopts[] = {
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "memory", required_argument, NULL, 'm' },
	{ "max-iter", required_argument, NULL, OPT_MAX_ITER },
	{ "no-patterns", no_argument, NULL, OPT_NO_PATTERNS },
	{ "stats", no_argument, NULL, 's' },
	{ "precision", required_argument, NULL, OPT_PRECISION },
	{ "trace", no_argument, NULL, 't' },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s store --split K [OPTIONS] [PAIRS.csv] > bam.gz\n"
"       %s recall [--from a|b] [OPTIONS] PROBES.csv < bam.gz\n"
"Store pattern pairs (A, B) in a bidirectional associative memory,\n"
"W = sum A B^T, and recall whole pairs from one side.\n"
"\n"
"store:\n"
"      --split=K        the first K columns of each row are A, the rest B\n"
"  -m, --memory=FILE    add the pairs to an existing memory\n"
"      --no-patterns    leave the pairs out of the stream\n"
"recall:\n"
"  -m, --memory=FILE    the memory (weight stream or CSV matrix);\n"
"                       default standard input\n"
"      --from=SIDE      probes are A vectors (a, default) or B vectors (b)\n"
"      --max-iter=N     at most N iterations per probe (default 100)\n"
"  -s, --stats          add columns iters,status,energy[,match]\n"
"  -t, --trace          print every intermediate pair on stderr\n"
"      --precision=N    print energies with N significant digits\n"
"                       (default: exact)\n"
"both:\n"
"      --encoding=E     values: auto (default: +-1, or a file of only 0/1;\n"
"                       a 0 beside -1 in probes is unknown), pm1 (+-1, 0\n"
"                       unknown in probes) or 01 (0 means -1)\n"
CLI_COMMON_HELP
"\n"
"Exit status: 0 ok, 64 usage, 65 bad data, 66 cannot open, 73 cannot\n"
"create output, 74 I/O error. See bam-pair(1).\n", argv0, argv0);
}

static char delim = ',';
static double etol;             /* resolution of the energies */

static void
trace_cb(void *ctx, size_t probe, size_t step, const double *a,
         const double *b, double energy)
{
	const struct bam *bm = ctx;
	char e[32];

	fprintf(stderr, "probe %zu step %zu: A ", probe + 1, step);
	print_state(stderr, a, bm->na, delim);
	fputs(" B ", stderr);
	print_state(stderr, b, bm->nb, delim);
	fprintf(stderr, " energy %s\n", fmt_energy(e, energy, etol));
}

static void
store(struct cli *cli, const char *input, const char *memfile, long long split,
      int keep, enum bip_encoding enc)
{
	struct table t;
	struct bam b;
	struct rk_wstream ws;
	struct rk_out out;
	double *A, *B;
	size_t na, nb, i;
	char lim[256];

	if (split < 0)
		usage_error("store needs --split K (the number of A columns)");
	table_load(&t, input, &cli->csv);
	bipolar_table(&t, "pattern", enc, 0);
	if ((size_t)split >= t.cols)
		die_at(t.name, t.line[0], 0, "--split %lld leaves no B columns "
		       "(rows have %zu value%s)", split, t.cols, plural(t.cols));
	na = (size_t)split;
	nb = t.cols - na;
	if (memfile) {
		bam_load(&b, memfile, &cli->csv);
		if (b.na != na || b.nb != nb)
			die_at(t.name, t.line[0], 0, "pairs are %zu+%zu values "
			       "but the memory is %zu+%zu", na, nb, b.na, b.nb);
	}
	/* what bam-pair writes, every reader reads: checked before the
	 * work */
	if (bam_check_limits(na, nb, (memfile ? b.m : 0) + t.rows,
	                     keep && (!memfile || bam_pairs_complete(&b)), lim,
	                     sizeof lim) < 0)
		die_at(t.name, 0, 0, "the memory would be too large to read "
		       "back: %s (rnnkit-weights(5), LIMITS)", lim);
	if (!memfile)
		bam_init(&b, na, nb);
	A = emalloc(emul(t.rows * na, sizeof *A));
	B = emalloc(emul(t.rows * nb, sizeof *B));
	for (i = 0; i < t.rows; i++) {
		memcpy(A + i * na, t.v + i * t.cols, na * sizeof *A);
		memcpy(B + i * nb, t.v + i * t.cols + na, nb * sizeof *B);
	}
	bam_store(&b, A, B, t.rows);
	if (!keep) {
		free(b.A);
		free(b.B);
		b.A = b.B = NULL;
	}
	bam_to_stream(&b, &ws);
	ws_set(&ws, "created-by", "bam-pair %s", RNNKIT_VERSION);
	ws_set(&ws, "source", "%s", t.name);
	rk_out_open(&out, cli->output, 1, cli->force);
	ws_write(&out, &ws);
	rk_out_close(&out);
	ws_release(&ws);
	free(A);
	free(B);
	bam_release(&b);
	table_release(&t);
}

static void
recall(struct cli *cli, const char *input, const char *memfile, int from_b,
       size_t max_iter, int stats, int trace, enum bip_encoding enc)
{
	struct bam b;
	struct table t;
	struct rk_out out;
	struct bam_result r;
	size_t i, j, nprobe, n, incomplete = 0;
	double *pair, *a, *bv;
	char w1[48], w2[32];

	if (!memfile && !strcmp(input, "-"))
		usage_error("the memory comes on standard input, so give the "
		            "probes as a file (or the memory with -m)");
	if (memfile && !strcmp(memfile, "-") && !strcmp(input, "-"))
		usage_error("the memory and the probes cannot both come from "
		            "standard input");
	bam_load(&b, memfile ? memfile : "-", &cli->csv);
	table_load(&t, input, &cli->csv);
	bipolar_table(&t, "probe", enc, 1);
	etol = bam_energy_tol(&b);
	nprobe = from_b ? b.nb : b.na;
	if (t.cols != nprobe)
		die_at(t.name, t.line[0], 0, "probes have %zu value%s but the "
		       "memory's %s side has %zu neuron%s", t.cols,
		       plural(t.cols), from_b ? "B" : "A", nprobe,
		       plural(nprobe));
	n = b.na + b.nb;
	pair = emalloc(emul(emul(t.rows, n), sizeof *pair));
	rk_out_open(&out, cli->output, cli->gzip, cli->force);
	if (t.header) {
		char **names = emalloc(emul(n, sizeof *names));
		static const char *extra[] = { "iters", "status", "energy",
		                               "match" };

		for (j = 0; j < n; j++) {
			names[j] = emalloc(32);
			snprintf(names[j], 32, "%c%zu", j < b.na ? 'a' : 'b',
			         j < b.na ? j + 1 : j - b.na + 1);
		}
		out_header(&out, cli->csv.delim, names, n, extra,
		           stats ? (b.A ? 4 : 3) : 0);
		for (j = 0; j < n; j++)
			free(names[j]);
		free(names);
	}
	for (i = 0; i < t.rows; i++) {
		a = pair + i * n;
		bv = a + b.na;
		memcpy(from_b ? bv : a, t.v + i * t.cols, t.cols * sizeof *a);
		bam_recall(&b, a, bv, from_b, max_iter, i, &r,
		           trace ? trace_cb : NULL, &b);
		out_state(&out, a, n, cli->csv.delim);
		incomplete += r.unknown > 0;
		if (stats) {
			rk_out_printf(&out, "%c%zu%c%s%c%s", cli->csv.delim,
			              r.iters, cli->csv.delim,
			              status_word(w1, r.status, r.period, r.unknown),
			              cli->csv.delim, fmt_energy(w2, r.energy, etol));
			if (b.A)
				rk_out_printf(&out, "%c%s", cli->csv.delim,
				              match_word(w1, r.match));
		}
		rk_out_write(&out, "\n", 1);
	}
	rk_out_close(&out);
	if (incomplete && !cli->quiet)
		warnf("warning: %zu probe%s ended with unknown neurons (0 in "
		      "the output)", incomplete, plural(incomplete));
	free(pair);
	table_release(&t);
	bam_release(&b);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	const char *memfile = NULL, *input, *cmd;
	long long split = -1, max_iter = 100;
	int c, help = 0, from_b = 0, stats = 0, trace = 0, keep = 1, isstore;
	enum bip_encoding enc = BIP_AUTO;
	const char *recall_only = NULL, *store_only = NULL;

	rk_setprogname(argv);
	cli_init(&cli);
	while ((c = getopt_long(argc, argv, "m:st" CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&cli, c, optarg, usage, &help))
			continue;
		switch (c) {
		case OPT_SPLIT:
			store_only = "--split";
			split = opt_int("--split", optarg, 1, 1 << 15);
			break;
		case OPT_FROM:
			recall_only = "--from";
			if (!strcmp(optarg, "a") || !strcmp(optarg, "A"))
				from_b = 0;
			else if (!strcmp(optarg, "b") || !strcmp(optarg, "B"))
				from_b = 1;
			else
				usage_error("--from takes a or b (got '%s')", optarg);
			break;
		case 'm': memfile = optarg; break;
		case OPT_MAX_ITER:
			recall_only = "--max-iter";
			max_iter = opt_int("--max-iter", optarg, 1, 1000000000);
			break;
		case OPT_NO_PATTERNS: keep = 0; store_only = "--no-patterns"; break;
		case 's': stats = 1; recall_only = "--stats"; break;
		case 't': trace = 1; recall_only = "--trace"; break;
		case OPT_ENCODING:
			enc = bip_encoding_opt(optarg);
			break;
		case OPT_PRECISION:
			recall_only = "--precision";
			rk_set_precision((int)opt_int("--precision", optarg, 1, 17));
			break;
		default: cli_bad_usage();
		}
	}
	if (optind >= argc)
		usage_error("missing command: store or recall");
	cmd = argv[optind++];
	if (!strcmp(cmd, "store"))
		isstore = 1;
	else if (!strcmp(cmd, "recall"))
		isstore = 0;
	else
		usage_error("unknown command '%s' (store or recall)", cmd);
	if (isstore && recall_only)
		usage_error("%s is an option of recall, not store", recall_only);
	if (!isstore && store_only)
		usage_error("%s is an option of store, not recall", store_only);
	if (argc - optind > 1)
		usage_error("too many arguments (one input file at most)");
	input = optind < argc ? argv[optind] : "-";
	delim = cli.csv.delim;
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli.output),
	                          isstore ? RK_PATH_MEMORY : 0 }),
	               RK_PATHS({ "-m", memfile ? memfile : isstore ? NULL : "-",
	                          RK_PATH_MEMORY }, { NULL, input, 0 }), NULL, 0);
	rk_out_echeck(cli.output, isstore || cli.gzip, cli.force);
	if (isstore)
		store(&cli, input, memfile, split, keep, enc);
	else
		recall(&cli, input, memfile, from_b, (size_t)max_iter, stats,
		       trace, enc);
	return 0;
}
