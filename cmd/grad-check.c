/* grad-check - compare the analytic BPTT gradients with central
 * differences, in double precision. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "paths.h"
#include "rnn.h"
#include "rnnmodel.h"
#include "series.h"
#include "util.h"

enum {
	OPT_CELL = OPT_TOOL, OPT_ACT, OPT_LAYERS, OPT_HIDDEN, OPT_WINDOW,
	OPT_FEATURES, OPT_OUTPUTS, OPT_BATCH, OPT_BPTT, OPT_SEED, OPT_TOL,
	OPT_EPS, OPT_MODE
};

static const struct option longopts[] = {
	{ "cell", required_argument, NULL, OPT_CELL },
	{ "activation", required_argument, NULL, OPT_ACT },
	{ "layers", required_argument, NULL, OPT_LAYERS },
	{ "hidden", required_argument, NULL, OPT_HIDDEN },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "outputs", required_argument, NULL, OPT_OUTPUTS },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "bptt", required_argument, NULL, OPT_BPTT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "tol", required_argument, NULL, OPT_TOL },
	{ "eps", required_argument, NULL, OPT_EPS },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "model", required_argument, NULL, 'm' },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [--cell C] [--layers L] [--hidden H] [--window W] [--features F]\n"
"                  [--mode seq] [--bptt K] [--seed S] [--tol T] [-fqz]\n"
"                  [-o FILE]\n"
"       %s -m MODEL DATA.csv [--bptt K] [--tol T] [-fqz] [-o FILE]\n"
"Compare the analytic BPTT gradient of every parameter tensor with central\n"
"differences (L(p + eps) - L(p - eps)) / 2 eps, in double precision, and\n"
"print tensor, max absolute error, max relative error and pass/fail.\n"
"\n"
"      --cell=C         elman, lstm (default), gru, gru-torch\n"
"      --activation=F   elman: tanh (default), sigmoid, relu\n"
"      --layers=L       stacked layers (default 1)\n"
"      --hidden=H       hidden units (default 5)\n"
"      --window=W       time steps (default 6)\n"
"      --features=F     input features (default 3)\n"
"      --outputs=O      outputs (default 2)\n"
"      --batch=B        windows in the batch (default 3)\n"
"      --mode=M         window (default): one output per window; seq: an\n"
"                       output and a loss at every step of B streams of W\n"
"                       steps, from a random state (rnn-train --mode seq)\n"
"      --bptt=K         truncate backpropagation to the last K steps\n"
"      --seed=S         random weights and data (default 1)\n"
"      --tol=T          fail above this error (default 1e-6; absolute for\n"
"                       gradients below 1, relative above)\n"
"      --eps=E          finite difference step (default 1e-5)\n"
"  -m, --model=FILE     check this model on windows of DATA.csv (a sequence\n"
"                       model: on B streams of W steps of it; an ensemble:\n"
"                       every member, m2.* ...)\n"
CLI_COMMON_HELP_IN
"\n"
"Exit status: 0 all tensors pass, 1 some fail, 64 usage, 65 bad data,\n"
"66 cannot open, 70 internal error, 73 cannot create output, 74 I/O\n"
"error. See grad-check(1).\n", argv0, argv0);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct rnn_config cfg = { RK_LSTM, RK_TANH, 3, 5, 1, 2, RNN_LOSS_MSE };
	struct rnnm m;
	struct rk_out out;
	struct rk_rng rng;
	struct gc_row *rows;
	const char *model = NULL;
	long long W = 6, B = 3, bptt = 0, seed = 1;
	double tol = 1e-6, eps = 1e-5;
	rk_real *x, *tg;
	size_t i, k, nfail, nmem, nrows;
	rk_real *p1;
	int c, help = 0, n, act_set = 0, seq = 0, mode_set = 0;
	rk_real *h0 = NULL, *c0 = NULL;

	rk_setprogname(argv);
	cli_init(&cli);
	while ((c = getopt_long(argc, argv, "m:" CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&cli, c, optarg, usage, &help))
			continue;
		switch (c) {
		case OPT_CELL:
			if (rk_cell_parse(optarg, &cfg.cell) < 0)
				usage_error("unknown cell '%s' (elman, lstm, gru "
				            "or gru-torch)", optarg);
			break;
		case OPT_ACT:
			if (rk_act_parse(optarg, &cfg.act) < 0)
				usage_error("unknown activation '%s'", optarg);
			act_set = 1;
			break;
		case OPT_LAYERS: cfg.nlayers = (int)opt_int("--layers", optarg, 1, 8); break;
		case OPT_HIDDEN: cfg.nhid = (int)opt_int("--hidden", optarg, 1, 256); break;
		case OPT_WINDOW: W = opt_int("--window", optarg, 1, 1000); break;
		case OPT_FEATURES: cfg.nin = (int)opt_int("--features", optarg, 1, 256); break;
		case OPT_OUTPUTS: cfg.nout = (int)opt_int("--outputs", optarg, 1, 256); break;
		case OPT_BATCH: B = opt_int("--batch", optarg, 1, 1000); break;
		case OPT_BPTT: bptt = opt_int("--bptt", optarg, 1, 1000); break;
		case OPT_SEED: seed = opt_int("--seed", optarg, 0, 9223372036854775807LL); break;
		case OPT_TOL: tol = opt_real("--tol", optarg, 0, 1); break;
		case OPT_EPS: eps = opt_real("--eps", optarg, 1e-12, 1); break;
		case 'm': model = optarg; break;
		case OPT_MODE:
			if (strcmp(optarg, "window") && strcmp(optarg, "seq"))
				usage_error("unknown mode '%s' (window or seq)",
				            optarg);
			seq = !strcmp(optarg, "seq");
			mode_set = 1;
			break;
		default: cli_bad_usage();
		}
	}
	if (act_set && cfg.cell != RK_ELMAN)
		usage_error("--activation is for --cell elman");
	if (seq && bptt)
		usage_error("--bptt is for --mode window: a sequence chunk of "
		            "--window steps is truncated at its start");
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli.output), 0 }),
	               RK_PATHS({ "-m", model, RK_PATH_MODEL }),
	               argv + optind, model ? (size_t)(argc - optind) : 0);
	rk_out_echeck(cli.output, cli.gzip, cli.force);
	rk_rng_seed(&rng, (uint64_t)seed);
	if (model) {
		struct series_set ss;
		struct window *tr, *va;
		size_t ntr, nva, *fit;

		if (argc - optind != 1)
			usage_error("-m MODEL needs one DATA.csv");
		rnnm_load(&m, model);
		if (mode_set && seq != (m.mode == RNNM_SEQ))
			usage_error("--mode comes from the model (%s)",
			            m.mode == RNNM_SEQ ? "seq" : "window");
		seq = m.mode == RNNM_SEQ;
		if (seq && bptt)
			usage_error("--bptt is for window models: a sequence "
			            "chunk of --window steps is truncated at its "
			            "start");
		series_load(&ss, argv + optind, 1, &cli.csv, &cli.series);
		series_check_model(&ss, &m);
		series_apply_scaling(&ss, &m);
		series_windows(&ss, m.window, m.horizon, m.steps, m.tf.lag, 0,
		               &tr, &ntr, &va, &nva, &fit);
		if (seq) {
			/* B streams of W steps from a zero state, one after
			 * the other from the first step of the first series */
			size_t k, n = 0;

			while (n < ntr && tr[n].series == tr[0].series)
				n++;
			if ((size_t)W > n)
				W = (long long)n;
			if ((size_t)B > n / (size_t)W)
				B = (long long)(n / (size_t)W);
			for (k = 0; k < (size_t)B; k++)
				tr[k].start = tr[0].start + k * (size_t)W;
		} else {
			if ((size_t)B > ntr)
				B = (long long)ntr;
			W = (long long)m.window;
		}
		x = emalloc(emul(emul(B, W), emul(m.ncols, sizeof *x)));
		tg = emalloc(emul(emul(B, m.net.cfg.nout),
		                  emul(seq ? (size_t)W : 1, sizeof *tg)));
		if (seq)
			series_gather_seq(&ss, &m, tr, (size_t)B, (size_t)W, x,
			                  tg);
		else
			series_gather(&ss, &m, tr, (size_t)B, x, tg);
		free(tr);
		free(va);
		free(fit);
		series_release(&ss);
	} else {
		size_t nx, nt;

		if (optind < argc)
			usage_error("DATA.csv goes with -m MODEL");
		memset(&m, 0, sizeof m);
		if (rnn_model_init(&m.net, &cfg) < 0)
			usage_error("bad model configuration");
		rnn_model_randomize(&m.net, &rng);
		nx = (size_t)(B * W * cfg.nin);
		/* a sequence: a target at every step */
		nt = (size_t)(B * cfg.nout) * (seq ? (size_t)W : 1);
		x = emalloc(emul(nx, sizeof *x));
		tg = emalloc(emul(nt, sizeof *tg));
		for (i = 0; i < nx; i++)
			x[i] = (rk_real)(2 * rk_rng_uniform(&rng) - 1);
		for (i = 0; i < nt; i++)
			tg[i] = (rk_real)(2 * rk_rng_uniform(&rng) - 1);
		if (seq) {
			/* the state carried in from a chunk before: random */
			size_t ns = (size_t)(B * cfg.nhid * cfg.nlayers);

			h0 = emalloc(emul(ns, sizeof *h0));
			c0 = emalloc(emul(ns, sizeof *c0));
			for (i = 0; i < ns; i++)
				h0[i] = (rk_real)(rk_rng_uniform(&rng) - 0.5);
			for (i = 0; i < ns; i++)
				c0[i] = (rk_real)(2 * rk_rng_uniform(&rng) - 1);
		}
	}
	if (bptt > W)
		usage_error("--bptt %lld is longer than the window (%lld)", bptt, W);
	/* an ensemble: every member in turn in net, its tensors named as
	 * the stream names them (m2.weight_ih_l0, ...) */
	nmem = model ? rnnm_nmembers(&m) : 1;
	nrows = emul(nmem, m.net.ntensor);
	rows = ecalloc(nrows, sizeof *rows);
	p1 = emalloc(emul(m.net.nparam, sizeof *p1));
	memcpy(p1, m.net.param, m.net.nparam * sizeof *p1);
	for (k = 0; k < nmem; k++) {
		struct gc_row *r = rows + k * m.net.ntensor;

		memcpy(m.net.param, k ? rnnm_member_param(&m, k) : p1,
		       m.net.nparam * sizeof *p1);
		if (seq)
			n = rnn_seq_gradcheck(&m.net, x, tg, (int)B, (int)W, h0,
			                      c0, eps, tol, r);
		else
			n = rnn_gradcheck(&m.net, x, tg, (int)B, (int)W,
			                  (int)bptt, eps, tol, r);
		if (n < 0)
			die(EX_SOFTWARE, "gradient check failed to run");
		for (i = 0; k && i < m.net.ntensor; i++) {
			char nm[48];

			rnnm_member_name(nm, sizeof nm, k, r[i].name);
			snprintf(r[i].name, sizeof r[i].name, "%.31s", nm);
		}
	}
	memcpy(m.net.param, p1, m.net.nparam * sizeof *p1);
	free(p1);
	rk_out_open(&out, cli.output, cli.gzip, cli.force);
	rk_out_printf(&out, "# %s%s%s, %d layer%s, hidden %d, ",
	       rk_cell_name(m.net.cfg.cell),
	       m.net.cfg.cell == RK_ELMAN ? " " : "",
	       m.net.cfg.cell == RK_ELMAN ? rk_act_name(m.net.cfg.act) : "",
	       m.net.cfg.nlayers, m.net.cfg.nlayers > 1 ? "s" : "",
	       m.net.cfg.nhid);
	if (seq)
		rk_out_printf(&out, "seq: %lld streams of %lld steps from a "
		              "%s state, ", B, W, h0 ? "random" : "zero");
	else
		rk_out_printf(&out, "window %lld, batch %lld, ", W, B);
	if (seq)
		rk_out_printf(&out, "loss at every step, tol %g\n", tol);
	else if (bptt)
		rk_out_printf(&out, "bptt %lld, tol %g\n", bptt, tol);
	else
		rk_out_printf(&out, "full bptt, tol %g\n", tol);
	if (nmem > 1)
		rk_out_printf(&out, "# an ensemble: members 1 to %zu, member k's "
		              "tensors named m<k>. as in the model\n", nmem);
	rk_out_printf(&out, "%-16s %12s %12s  %s\n", "tensor", "max_abs", "max_rel", "result");
	for (i = nfail = 0; i < nrows; i++) {
		rk_out_printf(&out, "%-16s %12.3e %12.3e  %s\n", rows[i].name, rows[i].max_abs,
		       rows[i].max_rel, rows[i].pass ? "pass" : "FAIL");
		nfail += !rows[i].pass;
	}
	if (nfail)
		fprintf(stderr, "%s: %zu of %zu tensors fail%s at tol %g\n",
		        argv0, nfail, nrows, nfail == 1 ? "s" : "", tol);
	rk_out_close(&out);
	free(rows);
	free(x);
	free(tg);
	free(h0);
	free(c0);
	if (model)
		rnnm_release(&m);
	else
		rnn_model_release(&m.net);
	return nfail ? 1 : 0;
}
