/* rnn-train - train an Elman RNN, LSTM or GRU on CSV time series by
 * backpropagation through time; write the model to stdout. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "rnn.h"
#include "rnnmodel.h"
#include "series.h"
#include "util.h"

enum {
	OPT_CELL = OPT_TOOL, OPT_ACT, OPT_HIDDEN, OPT_LAYERS, OPT_WINDOW,
	OPT_HORIZON, OPT_TARGET, OPT_EPOCHS, OPT_BATCH, OPT_LR, OPT_OPTIM,
	OPT_MOMENTUM, OPT_SEED, OPT_THREADS, OPT_SCALING, OPT_VAL,
	OPT_PATIENCE, OPT_BPTT, OPT_CLIP_NORM, OPT_CLIP_VALUE, OPT_LOG,
	OPT_CHECKPOINT, OPT_EVERY, OPT_INIT, OPT_IMPORT
};

static const struct option longopts[] = {
	{ "cell", required_argument, NULL, OPT_CELL },
	{ "activation", required_argument, NULL, OPT_ACT },
	{ "hidden", required_argument, NULL, OPT_HIDDEN },
	{ "layers", required_argument, NULL, OPT_LAYERS },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "horizon", required_argument, NULL, OPT_HORIZON },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "epochs", required_argument, NULL, OPT_EPOCHS },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "lr", required_argument, NULL, OPT_LR },
	{ "optimizer", required_argument, NULL, OPT_OPTIM },
	{ "momentum", required_argument, NULL, OPT_MOMENTUM },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "scaling", required_argument, NULL, OPT_SCALING },
	{ "val", required_argument, NULL, OPT_VAL },
	{ "patience", required_argument, NULL, OPT_PATIENCE },
	{ "bptt", required_argument, NULL, OPT_BPTT },
	{ "clip-norm", required_argument, NULL, OPT_CLIP_NORM },
	{ "clip-value", required_argument, NULL, OPT_CLIP_VALUE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "init", required_argument, NULL, OPT_INIT },
	{ "import", required_argument, NULL, OPT_IMPORT },
	CLI_SERIES_LONGOPTS,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTIONS] [SERIES.csv ...] > model.gz\n"
"Train a recurrent net to predict, from each window of W rows, the row H\n"
"steps after it. Each file is one series (one row per time step, one\n"
"column per feature); windows never cross files.\n"
"\n"
"Model:\n"
"      --cell=C         elman, lstm (default), gru (seed form), gru-torch\n"
"      --activation=F   elman: tanh (default), sigmoid, relu\n"
"      --hidden=N       hidden units per layer (default 32)\n"
"      --layers=N       stacked layers (default 1)\n"
"      --init=MODEL     continue training MODEL\n"
"      --import=DIR     start from PyTorch-named CSV tensors in DIR\n"
"Data:\n"
"      --window=W       rows per window (default 12)\n"
"      --horizon=H      predict the row H steps after the window (default 1)\n"
"      --columns=COLS   input columns: names, 1-based numbers, ranges N-M\n"
"                       (default: every numeric column but the time)\n"
"      --target=COLS    predicted columns (default the inputs); one not in\n"
"                       --columns is predicted but not an input\n"
"      --scaling=S      zscore (default), minmax, none\n"
"      --val=FRAC       hold out the last FRAC of each series' windows\n"
CLI_SERIES_HELP
"Training:\n"
"      --epochs=N       passes over the data (default 100)\n"
"      --batch=N        windows per minibatch (default 32)\n"
"      --lr=X           learning rate (default 0.005)\n"
"      --optimizer=O    adam (default) or sgd\n"
"      --momentum=X     sgd momentum (default 0.9)\n"
"      --bptt=K         truncate backpropagation to the last K steps\n"
"      --clip-norm=X    clip the gradient's global norm (default 1; 0: off)\n"
"      --clip-value=X   clip each gradient to [-X, X] (default off)\n"
"      --patience=P     stop after P epochs without a better --val loss\n"
"      --seed=N         random seed (default 1)\n"
"      --threads=N      threads over the batch (default 1)\n"
"Output:\n"
"      --log=FILE       epoch,train_loss,val_loss,grad_norm,seconds as CSV\n"
"      --checkpoint=FILE  write the model every --every epochs and on\n"
"                       SIGINT or SIGTERM\n"
"      --every=N        checkpoint interval in epochs (default 1)\n"
CLI_COMMON_HELP
"\n"
"With no SERIES, or when SERIES is -, read standard input.\n"
"Exit status: 0 ok, 64 usage, 65 bad data or a diverged loss, 66 cannot\n"
"open, 73 cannot create output, 74 I/O error, 130/143 interrupted\n"
"(after writing the checkpoint, if any). See rnn-train(1).\n", argv0);
}

static volatile sig_atomic_t stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct opts {
	struct cli cli;
	struct rnn_config cfg;
	int cell_set, act_set, hidden_set, layers_set;
	long long window, horizon, epochs, batch, seed, threads, patience;
	long long bptt, every;
	double lr, momentum, val, clip_norm, clip_value;
	enum rk_optim_kind optim;
	enum rk_scaling scaling;
	const char *target, *log, *checkpoint, *init, *import;
	int window_set, horizon_set, target_set, scaling_set;
};

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	int c, help = 0;

	memset(o, 0, sizeof *o);
	cli_init(&o->cli);
	o->cfg.cell = RK_LSTM;
	o->cfg.act = RK_TANH;
	o->cfg.nhid = 32;
	o->cfg.nlayers = 1;
	o->window = 12;
	o->horizon = 1;
	o->epochs = 100;
	o->batch = 32;
	o->seed = 1;
	o->threads = 1;
	o->lr = 0.005;
	o->momentum = 0.9;
	o->clip_norm = 1;
	o->every = 1;
	o->optim = RK_ADAM;
	o->scaling = RK_SCALE_ZSCORE;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&o->cli, c, optarg, usage, &help))
			continue;
		switch (c) {
		case OPT_CELL:
			if (rk_cell_parse(optarg, &o->cfg.cell) < 0)
				usage_error("unknown cell '%s' (elman, lstm, gru "
				            "or gru-torch)", optarg);
			o->cell_set = 1;
			break;
		case OPT_ACT:
			if (rk_act_parse(optarg, &o->cfg.act) < 0)
				usage_error("unknown activation '%s' (tanh, "
				            "sigmoid or relu)", optarg);
			o->act_set = 1;
			break;
		case OPT_HIDDEN:
			o->cfg.nhid = (int)opt_int("--hidden", optarg, 1, 65536);
			o->hidden_set = 1;
			break;
		case OPT_LAYERS:
			o->cfg.nlayers = (int)opt_int("--layers", optarg, 1, 64);
			o->layers_set = 1;
			break;
		case OPT_WINDOW:
			o->window = opt_int("--window", optarg, 1, 100000);
			o->window_set = 1;
			break;
		case OPT_HORIZON:
			o->horizon = opt_int("--horizon", optarg, 1, 100000);
			o->horizon_set = 1;
			break;
		case OPT_TARGET:
			o->target = o->cli.series.target = optarg;
			o->target_set = 1;
			break;
		case OPT_EPOCHS:
			o->epochs = opt_int("--epochs", optarg, 0, 100000000);
			break;
		case OPT_BATCH:
			o->batch = opt_int("--batch", optarg, 1, 1000000);
			break;
		case OPT_LR: o->lr = opt_real("--lr", optarg, 1e-12, 1e6); break;
		case OPT_OPTIM:
			if (rk_optim_parse(optarg, &o->optim) < 0)
				usage_error("unknown optimizer '%s' (adam or sgd)",
				            optarg);
			break;
		case OPT_MOMENTUM:
			o->momentum = opt_real("--momentum", optarg, 0, 0.999999);
			break;
		case OPT_SEED:
			o->seed = opt_int("--seed", optarg, 0, 9223372036854775807LL);
			break;
		case OPT_THREADS:
			o->threads = opt_int("--threads", optarg, 1, 256);
			break;
		case OPT_SCALING:
			if (rk_scaling_parse(optarg, &o->scaling) < 0)
				usage_error("unknown scaling '%s' (zscore, minmax "
				            "or none)", optarg);
			o->scaling_set = 1;
			break;
		case OPT_VAL: o->val = opt_real("--val", optarg, 0, 0.9); break;
		case OPT_PATIENCE:
			o->patience = opt_int("--patience", optarg, 1, 100000000);
			break;
		case OPT_BPTT: o->bptt = opt_int("--bptt", optarg, 1, 100000); break;
		case OPT_CLIP_NORM:
			o->clip_norm = opt_real("--clip-norm", optarg, 0, 1e30);
			break;
		case OPT_CLIP_VALUE:
			o->clip_value = opt_real("--clip-value", optarg, 0, 1e30);
			break;
		case OPT_LOG: o->log = optarg; break;
		case OPT_CHECKPOINT: o->checkpoint = optarg; break;
		case OPT_EVERY:
			o->every = opt_int("--every", optarg, 1, 100000000);
			break;
		case OPT_INIT: o->init = optarg; break;
		case OPT_IMPORT: o->import = optarg; break;
		default: cli_bad_usage();
		}
	}
	if (o->patience && o->val == 0)
		usage_error("--patience needs --val (a validation loss to watch)");
	if (o->init && o->import)
		usage_error("--init and --import both give the starting model");
	if ((o->log && !strcmp(o->log, "-")) ||
	    (o->checkpoint && !strcmp(o->checkpoint, "-")))
		usage_error("--log and --checkpoint need a file: standard "
		            "output carries the model");
	if (o->cli.output && ((o->log && !strcmp(o->log, o->cli.output)) ||
	    (o->checkpoint && !strcmp(o->checkpoint, o->cli.output))))
		usage_error("--log and --checkpoint must not be the -o file");
	if (o->act_set && o->cfg.cell != RK_ELMAN)
		usage_error("--activation is for --cell elman");
}

/* Start from --init or --import: the model fixes cell, sizes, window,
 * horizon and targets; options that disagree are errors. */
static void
check_start_model(const struct opts *o, const struct rnnm *m, const char *src)
{
	const struct rnn_config *c = &m->net.cfg;

	if ((o->cell_set && c->cell != o->cfg.cell) ||
	    (o->hidden_set && c->nhid != o->cfg.nhid) ||
	    (o->layers_set && c->nlayers != o->cfg.nlayers) ||
	    (o->window_set && (size_t)o->window != m->window) ||
	    (o->horizon_set && (size_t)o->horizon != m->horizon))
		usage_error("options disagree with the model in '%s' (%s, "
		            "hidden %d, layers %d, window %zu, horizon %zu)",
		            src, rk_cell_name(c->cell), c->nhid, c->nlayers,
		            m->window, m->horizon);
}

static void
progress_bar(int epoch, long long epochs, size_t done, size_t total)
{
	static double last;
	double t = now();
	int i, w = 30, fill = total ? (int)((double)w * done / total) : w;

	if (t - last < 1.0 / 6 && done < total)
		return;
	last = t;
	fprintf(stderr, "\repoch %d/%lld [", epoch, epochs);
	for (i = 0; i < w; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%%", total ? (int)(100.0 * done / total) : 100);
}

static int
params_finite(const rk_real *p, size_t n)
{
	size_t i;
	rk_real acc = 0;

	/* any NaN or Inf makes the product NaN: one branch per call */
	for (i = 0; i < n; i++)
		acc += p[i] * 0;
	return acc == 0;
}

static double
eval_loss(const struct rnnm *m, struct rnn_work *work,
          const struct series_set *ss, const struct window *w, size_t n,
          size_t batch, rk_real *x, rk_real *tg, rk_real *y)
{
	size_t i, k, B, no = m->ntargets;
	double sum = 0, d;

	for (i = 0; i < n; i += B) {
		B = n - i < batch ? n - i : batch;
		series_gather(ss, m, w + i, B, x, tg);
		rnn_forward(&m->net, work, y, x, (int)B, (int)m->window);
		for (k = 0; k < B * no; k++) {
			d = (double)y[k] - (double)tg[k];
			sum += d * d;
		}
	}
	return n ? sum / (double)(n * no) : NAN;
}

static void
set_info(struct rnnm *m, const struct opts *o, const struct series_set *ss,
         long long epochs_done, double train_loss, double val_loss)
{
	char b[32];
	size_t i, len = 0;
	char src[1024] = "";

	for (i = 0; i < ss->n && len + 2 < sizeof src; i++)
		len += (size_t)snprintf(src + len, sizeof src - len, "%s%s",
		                        i ? " " : "", ss->s[i].name);
	ws_set(&m->info, "created-by", "rnn-train %s", RNNKIT_VERSION);
	ws_set(&m->info, "source", "%s", src);
	ws_set(&m->info, "epochs", "%lld", epochs_done);
	ws_set(&m->info, "optimizer", "%s lr %s", rk_optim_name(o->optim),
	       rk_fmt_double(b, o->lr));
	ws_set(&m->info, "batch", "%lld", o->batch);
	ws_set(&m->info, "seed", "%lld", o->seed);
	ws_set(&m->info, "threads", "%lld", o->threads);
	if (o->bptt)
		ws_set(&m->info, "bptt", "%lld", o->bptt);
	if (isfinite(train_loss))
		ws_set(&m->info, "train-loss", "%s", rk_fmt_double(b, train_loss));
	if (isfinite(val_loss))
		ws_set(&m->info, "val-loss", "%s", rk_fmt_double(b, val_loss));
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct series_set ss;
	struct rnnm m;
	struct window *train, *val, *bw;
	size_t ntrain, nval, *fit_rows, *targets, ntargets, i, k, B, W;
	struct rnn_work *work;
	struct rk_optim opt;
	struct rk_rng rng;
	struct rk_out logf;
	rk_real *x, *tg, *y, *grad, *best = NULL, *snap = NULL;
	size_t *order;
	double best_val = INFINITY, t0, train_loss = NAN, val_loss = NAN;
	double best_train = NAN;
	long long epoch, since_best = 0, epochs_done = 0, best_epoch = 0;
	long long e0 = 0, last;
	struct rk_rng erng;
	const char *s;
	int tty = isatty(2), from_model, rc = 0, ckpt_done = 0;
	int improved, stop_early;
	char *stdin_only[] = { "-" };
	struct sigaction sa;

	rk_setprogname(argv);
	parse_args(&o, argc, argv);
	if (o.init && !strcmp(o.init, "-")) {
		for (i = (size_t)optind; i < (size_t)argc; i++)
			if (!strcmp(argv[i], "-"))
				break;
		if (optind == argc || i < (size_t)argc)
			usage_error("--init - and the series cannot both come "
			            "from standard input");
	}
	series_load(&ss, optind < argc ? argv + optind : stdin_only,
	            optind < argc ? (size_t)(argc - optind) : 1, &o.cli.csv,
	            &o.cli.series);

	memset(&m, 0, sizeof m);
	from_model = o.init || o.import;
	if (o.init) {
		rnnm_load(&m, o.init);
		check_start_model(&o, &m, o.init);
	} else if (o.import) {
		rnnm_import_csv(&m, o.import);
		check_start_model(&o, &m, o.import);
	}
	if (from_model) {
		series_check_model(&ss, &m);
		if (o.target_set || o.scaling_set)
			usage_error("--target and --scaling come from the "
			            "starting model");
	} else {
		ntargets = series_targets(&ss, o.target, &targets);
		o.cfg.nin = (int)ss.nin;
		o.cfg.nout = (int)ntargets;
		if (rnn_model_init(&m.net, &o.cfg) < 0)
			usage_error("this model is too large");
		m.window = (size_t)o.window;
		m.horizon = (size_t)o.horizon;
		rnnm_init_meta(&m, ss.ncols, ntargets);
		memcpy(m.targets, targets, ntargets * sizeof *targets);
		free(targets);
		series_to_model(&ss, &m);
		m.scaling = o.scaling;
	}
	W = m.window;
	if (o.bptt && (size_t)o.bptt > W)
		usage_error("--bptt %lld is longer than the window (%zu)",
		            o.bptt, W);
	series_windows(&ss, W, m.horizon, o.val, &train, &ntrain, &val, &nval,
	               &fit_rows);
	if (!from_model)
		series_fit_scaling(&ss, fit_rows, &m);
	series_apply_scaling(&ss, &m);
	rk_rng_seed(&rng, (uint64_t)o.seed);
	if (!from_model)
		rnn_model_randomize(&m.net, &rng);

	/* a batch larger than the data would only waste memory */
	if ((size_t)o.batch > (ntrain > nval ? ntrain : nval))
		o.batch = (long long)(ntrain > nval ? ntrain : nval);
	work = rnn_work_new(&m.net, (int)o.batch, (int)W, (int)o.threads);
	if (!work || rk_optim_init(&opt, o.optim, m.net.nparam, o.lr) < 0)
		die(EX_SOFTWARE, "out of memory for the training buffers");
	if (o.optim == RK_SGD)
		opt.momentum = o.momentum;
	if (o.init && m.optim_t && !rnnm_restore_optim(&m, &opt) &&
	    !o.cli.quiet)
		warnf("warning: '%s' holds %s state; %s starts afresh", o.init,
		      rk_optim_name(m.optim_kind), rk_optim_name(o.optim));
	x = emalloc(emul(emul(o.batch, W), emul(ss.ncols, sizeof *x)));
	tg = emalloc(emul(emul(o.batch, m.ntargets), sizeof *tg));
	y = emalloc(emul(emul(o.batch, m.ntargets), sizeof *y));
	grad = emalloc(emul(m.net.nparam, sizeof *grad));
	order = emalloc(emul(ntrain, sizeof *order));
	bw = emalloc(emul(o.batch, sizeof *bw));
	if (nval)
		best = emalloc(emul(m.net.nparam, sizeof *best));
	else if (o.checkpoint)
		snap = emalloc(emul(m.net.nparam, sizeof *snap));
	if (o.log) {
		rk_out_open(&logf, o.log, 0, 0);
		rk_out_printf(&logf, "epoch,train_loss,val_loss,grad_norm,seconds\n");
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* --init continues the epoch count: epoch e shuffles with a generator
	 * seeded by (--seed, e) alone, so stopping and resuming from a
	 * checkpoint gives the same model as one run */
	if (o.init && (s = ws_get(&m.info, "epochs")))
		e0 = strtoll(s, NULL, 10);
	if (e0 < 0 || e0 > 1000000000)
		e0 = 0;
	last = e0 + o.epochs;
	epochs_done = e0;
	if (snap) {     /* a signal before the first epoch ends keeps these */
		memcpy(snap, m.net.param, m.net.nparam * sizeof *snap);
		rnnm_keep_optim(&m, &opt);
	}
	for (epoch = e0 + 1; epoch <= last && !stop_signal; epoch++) {
		double sum = 0, gsum = 0, loss, gn;
		size_t nb = 0;
		char b1[32], b2[32], b3[32];

		t0 = now();
		for (i = 0; i < ntrain; i++)
			order[i] = i;
		rk_rng_seed(&erng, (uint64_t)o.seed ^
		            ((uint64_t)epoch * 0x9E3779B97F4A7C15ull));
		rk_rng_shuffle(&erng, order, ntrain);
		for (i = 0; i < ntrain && !stop_signal; i += B) {
			B = ntrain - i < (size_t)o.batch ? ntrain - i : (size_t)o.batch;
			for (k = 0; k < B; k++)
				bw[k] = train[order[i + k]];
			series_gather(&ss, &m, bw, B, x, tg);
			loss = rnn_train_step_grad(&m.net, work, grad, x, tg,
			                           (int)B, (int)W, (int)o.bptt);
			gn = rk_grad_norm(grad, m.net.nparam);
			if (!isfinite(loss) || !isfinite(gn)) {
				/* keep the log of the epochs before: it tells
				 * what went wrong */
				if (o.log)
					rk_out_close(&logf);
				if (tty && !o.cli.quiet)
					fputs("\r\033[K", stderr);
				die(EX_DATAERR, "training diverged: the loss is %s "
				    "in epoch %lld (try a smaller --lr or "
				    "--clip-norm)%s", isfinite(loss) ?
				    "finite but the gradient is not" :
				    isnan(loss) ? "NaN" : "infinite", epoch,
				    ckpt_done ? "; the last checkpoint "
				    "is kept" : "");
			}
			rk_clip_norm(grad, m.net.nparam, o.clip_norm);
			rk_clip_value(grad, m.net.nparam, o.clip_value);
			rk_optim_step(&opt, m.net.param, grad);
			if (!params_finite(m.net.param, m.net.nparam)) {
				if (o.log)
					rk_out_close(&logf);
				if (tty && !o.cli.quiet)
					fputs("\r\033[K", stderr);
				die(EX_DATAERR, "training diverged: a weight "
				    "turned %s in epoch %lld (try a smaller --lr "
				    "or --clip-norm)%s", "NaN or infinite", epoch,
				    ckpt_done ? "; the last checkpoint is kept" :
				    "");
			}
			sum += loss * (double)B;
			gsum += gn;
			nb++;
			if (tty && !o.cli.quiet)
				progress_bar((int)epoch, last, i + B, ntrain);
		}
		if (stop_signal)
			break;
		epochs_done = epoch;
		if (snap) {     /* what a signal's checkpoint will hold */
			memcpy(snap, m.net.param, m.net.nparam * sizeof *snap);
			rnnm_keep_optim(&m, &opt);
		}
		train_loss = sum / (double)ntrain;
		val_loss = nval ? eval_loss(&m, work, &ss, val, nval,
		                            (size_t)o.batch, x, tg, y) : NAN;
		if (nval && !isfinite(val_loss)) {
			if (o.log)
				rk_out_close(&logf);
			die(EX_DATAERR, "training diverged: the validation loss "
			    "is not finite in epoch %lld", epoch);
		}
		if (tty && !o.cli.quiet)
			fputs("\r\033[K", stderr);
		if (!o.cli.quiet) {
			fprintf(stderr, "epoch %lld/%lld  train %.4g", epoch,
			        last, train_loss);
			if (nval)
				fprintf(stderr, "  val %.4g", val_loss);
			fprintf(stderr, "  grad %.4g  %.2fs\n", gsum / nb,
			        now() - t0);
		}
		if (o.log) {
			rk_out_printf(&logf, "%lld,%s,%s,%s,%.3f\n", epoch,
			              rk_fmt_double(b1, train_loss),
			              nval ? rk_fmt_double(b2, val_loss) : "",
			              rk_fmt_double(b3, gsum / nb), now() - t0);
			rk_out_flush(&logf);
		}
		improved = nval && val_loss < best_val;
		stop_early = nval && o.patience && !improved &&
		             since_best + 1 >= o.patience;
		if (o.checkpoint &&
		    (epoch % o.every == 0 || epoch == last || stop_early)) {
			set_info(&m, &o, &ss, epochs_done, train_loss, val_loss);
			rnnm_keep_optim(&m, &opt);
			rnnm_save(&m, o.checkpoint, 1);
			ckpt_done = 1;
		}
		if (nval) {
			if (improved) {
				best_val = val_loss;
				best_train = train_loss;
				best_epoch = epoch;
				memcpy(best, m.net.param,
				       m.net.nparam * sizeof *best);
				since_best = 0;
			} else {
				since_best++;
			}
		}
		if (stop_early) {
			if (!o.cli.quiet)
				fprintf(stderr, "early stop: no better validation "
				        "loss in %lld epochs; keeping epoch %lld\n",
				        o.patience, best_epoch);
			break;
		}
	}
	if (stop_signal && snap && epochs_done)
		memcpy(m.net.param, snap, m.net.nparam * sizeof *snap);
	if (nval && best_epoch) {
		/* the optimizer's state belongs to the last weights, not
		 * to the best ones */
		rnnm_keep_optim(&m, NULL);
		memcpy(m.net.param, best, m.net.nparam * sizeof *best);
		train_loss = best_train;
		val_loss = best_val;
		ws_set(&m.info, "best-epoch", "%lld", best_epoch);
	}
	set_info(&m, &o, &ss, epochs_done, train_loss, val_loss);
	if (o.log)
		rk_out_close(&logf);
	if (stop_signal) {
		if (o.checkpoint && epochs_done) {
			rnnm_save(&m, o.checkpoint, 1);
			if (!o.cli.quiet)
				fprintf(stderr, "%s: interrupted; model after %lld "
				        "epochs written to '%s'\n", argv0,
				        epochs_done, o.checkpoint);
		} else if (!o.cli.quiet) {
			fprintf(stderr, "%s: interrupted after %lld epochs%s\n",
			        argv0, epochs_done, o.checkpoint ?
			        "; no checkpoint written" : "");
		}
		rc = 128 + (int)stop_signal;
	} else {
		rnnm_keep_optim(&m, NULL);      /* the model, lean */
		rnnm_save(&m, o.cli.output, o.cli.force);
	}

	rnn_work_free(work);
	rk_optim_release(&opt);
	free(x);
	free(tg);
	free(y);
	free(grad);
	free(best);
	free(snap);
	free(order);
	free(bw);
	free(train);
	free(val);
	free(fit_rows);
	rnnm_release(&m);
	series_release(&ss);
	return rc;
}
