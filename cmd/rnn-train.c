/* rnn-train - train an Elman RNN, LSTM or GRU on CSV time series by
 * backpropagation through time; write the model to stdout. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arpath.h"
#include "autochoose.h"
#include "cli.h"
#include "conformal.h"
#include "dist.h"
#include "ensemble.h"
#include "fit.h"
#include "output.h"
#include "paths.h"
#include "rnn.h"
#include "rnnmodel.h"
#include "series.h"
#include "text.h"
#include "textdata.h"
#include "util.h"

enum {
	OPT_CELL = OPT_TOOL, OPT_ACT, OPT_HIDDEN, OPT_LAYERS, OPT_WINDOW,
	OPT_HORIZON, OPT_TARGET, OPT_EPOCHS, OPT_BATCH, OPT_LR, OPT_OPTIM,
	OPT_MOMENTUM, OPT_WEIGHT_DECAY, OPT_SEED, OPT_THREADS, OPT_SCALING,
	OPT_VAL, OPT_PATIENCE, OPT_BPTT, OPT_CLIP_NORM, OPT_CLIP_VALUE, OPT_LOG,
	OPT_CHECKPOINT, OPT_EVERY, OPT_TRANSFORM, OPT_PERIOD, OPT_INIT,
	OPT_IMPORT, OPT_NORMALIZE, OPT_DROPOUT, OPT_REFIT, OPT_ENSEMBLE,
	OPT_MODE, OPT_LOSS, OPT_LINEAR, OPT_INTERVAL_SCALE, OPT_TEXT, OPT_BYTES,
	OPT_LR_DECAY, OPT_MAX_TIME, OPT_FORECAST_BLEND, OPT_INTERVAL_WIDEN,
	OPT_LAST                /* after every tool option: o->given's size */
};

/* --interval-scale's default: measured (rnn-predict(1), "Intervals") */
#define INTERVAL_SCALE_DEFAULT 1
/* --interval-widen's default: measured (rnn-predict(1), "Intervals") */
#define INTERVAL_WIDEN_DEFAULT 1

/* --forecast-blend's default: measured (rnn-train(1), "Forecast blend") */
#define FORECAST_BLEND_DEFAULT RNNM_BLEND_AUTO

/* --ensemble's default: measured (rnn-train(1), "Ensembles") */
#define ENSEMBLE_DEFAULT 5

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
	{ "weight-decay", required_argument, NULL, OPT_WEIGHT_DECAY },
	{ "dropout", required_argument, NULL, OPT_DROPOUT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "scaling", required_argument, NULL, OPT_SCALING },
	{ "transform", required_argument, NULL, OPT_TRANSFORM },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ "period", required_argument, NULL, OPT_PERIOD },
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
	{ "refit", no_argument, NULL, OPT_REFIT },
	{ "ensemble", required_argument, NULL, OPT_ENSEMBLE },
	{ "linear", required_argument, NULL, OPT_LINEAR },
	{ "loss", required_argument, NULL, OPT_LOSS },
	{ "interval-scale", required_argument, NULL, OPT_INTERVAL_SCALE },
	{ "interval-widen", required_argument, NULL, OPT_INTERVAL_WIDEN },
	{ "forecast-blend", required_argument, NULL, OPT_FORECAST_BLEND },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "bytes", no_argument, NULL, OPT_BYTES },
	{ "max-time", required_argument, NULL, OPT_MAX_TIME },
	{ "lr-decay", required_argument, NULL, OPT_LR_DECAY },
	CLI_SERIES_LONGOPTS,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTIONS] [SERIES.csv ...] > model.gz\n"
"       %s --text [OPTIONS] [TEXT ...] > model.gz\n"
"Train a recurrent net to predict, from each window of W rows, the row H\n"
"steps after it. Each file is one series (one row per time step, one\n"
"column per feature); windows never cross files.\n"
"With --text, train a character model on raw text: the files joined,\n"
"the next character predicted at every step.\n"
"\n"
"Model:\n"
"      --cell=C         elman, lstm (default), gru (seed form), gru-torch\n"
"      --activation=F   elman: tanh (default), sigmoid, relu\n"
"      --hidden=N       hidden units per layer (default 32)\n"
"      --layers=N       stacked layers (default 1)\n"
"      --init=MODEL     continue training MODEL\n"
"      --import=DIR     start from PyTorch-named CSV tensors in DIR\n"
"Data:\n"
"      --mode=M         window (default): a prediction from each window;\n"
"                       seq: each series is one sequence, the net's state\n"
"                       carried from row to row and a loss at every row,\n"
"                       trained in chunks of --bptt rows (default 50)\n"
"      --window=W       rows per window, or auto (default): 2 periods,\n"
"                       or 12 rows with no season, fewer on short data\n"
"      --horizon=H      predict the row H steps after the window (default 1);\n"
"                       1-K: each of the K rows after it, one output per\n"
"                       step (direct forecasts); 0: a classifier's label\n"
"                       of the window's own last row\n"
"      --columns=COLS   input columns: names, 1-based numbers, ranges N-M\n"
"                       (default: every numeric column but the time)\n"
"      --target=COLS    predicted columns (default the inputs); one not in\n"
"                       --columns is predicted but not an input\n"
"      --loss=L         auto (default), mse or ce: ce trains a classifier\n"
"                       of the --target column's labels (softmax and\n"
"                       cross-entropy); auto: ce when its first cell is\n"
"                       not a number\n"
"      --scaling=S      zscore (default), minmax, none\n"
"      --transform=T    train on auto (default), none, diff, log, logdiff,\n"
"                       diff2 or logdiff2 (a second difference) of every\n"
"                       column; predictions are turned back. auto: diff\n"
"                       when a KPSS test on the training rows finds a\n"
"                       trend (diff2 when a short series' differences\n"
"                       trend too), and a seasonal difference when the\n"
"                       seasonal strength at --period is > 0.64 (see\n"
"                       rnn-train(1))\n"
"      --period=P       the season: auto may difference at lag P; with an\n"
"                       explicit --transform, also difference at lag P,\n"
"                       x[t] - x[t-P] (default from the time column's step:\n"
"                       12 months, 4 quarters, 7 days, 24 hours, 52 weeks;\n"
"                       else the autocorrelation's, or 1: none)\n"
"      --normalize=N    none (default) or window: the net sees each window\n"
"                       of scaled values minus its last row, and predicts\n"
"                       relative to it, so a level never seen in training\n"
"                       carries over (targets must be inputs)\n"
"      --linear=L       auto (default), ar or none: a ridge autoregression\n"
"                       on the window (shrunk toward 0 or the last value)\n"
"                       beside the net, which learns what it leaves\n"
"                       (auto: ar but for --horizon 1-K)\n"
"      --val=FRAC       hold out the last FRAC of each series' windows\n"
"                       (early stopping; rnn-predict --interval); auto\n"
"                       (default): 0.2 when every series has 20 windows\n"
"      --interval-scale=S  diff (default) or none: the one-step errors\n"
"                       kept for --interval are relative to each window's\n"
"                       scale, its mean absolute change plus the\n"
"                       validation windows' mean (none: as they are)\n"
"      --interval-widen=W  auto (default) or none: widen the errors kept\n"
"                       for --interval by how much the series' mean\n"
"                       change differs between the validation windows\n"
"                       and the rows before them\n"
"      --forecast-blend=B  auto (default), none or a weight W in [0,1]: a\n"
"                       recursive forecast's steps 2 on are W times the\n"
"                       net's plus 1-W times the seasonal naive forecast,\n"
"                       auto: W chosen on the validation windows\n"
CLI_SERIES_HELP
"Training:\n"
"      --epochs=N       train to epoch N in all (default 100); with --init,\n"
"                       +N trains N more than the model has\n"
"      --batch=N        windows per minibatch (default 32)\n"
"      --lr=X           learning rate (default 0.001)\n"
"      --optimizer=O    adam (default) or sgd\n"
"      --momentum=X     sgd momentum (default 0.9)\n"
"      --weight-decay=X decay every weight: adam as AdamW, p -= lr*X*p;\n"
"                       sgd adds X*p to the gradient (default 0: off)\n"
"      --dropout=P      drop each output of a layer below the top with\n"
"                       probability P while training (needs --layers 2 or\n"
"                       more; default 0: off)\n"
"      --bptt=K         truncate backpropagation to the last K steps;\n"
"                       --mode seq: the chunk of rows between updates\n"
"      --clip-norm=X    clip the gradient's global norm (default 1; 0: off)\n"
"      --clip-value=X   clip each gradient to [-X, X] (default off)\n"
"      --patience=P     stop after P epochs without a better --val loss\n"
"                       (default 10 with --val; 0: never)\n"
"      --lr-decay=F     multiply --lr by F after each epoch whose --val\n"
"                       loss is not the best so far (default 0: off)\n"
"      --refit          then fit the linear path again and train afresh on\n"
"                       all windows, validation ones too, for the best\n"
"                       epoch count (needs --val)\n"
"      --ensemble=N     train N members, seeds S, S+1, ... (S: --seed), and\n"
"                       predict their median (default 5; 1 with --init,\n"
"                       --import, --log, --checkpoint, --max-time or\n"
"                       under mpirun: one net)\n"
"      --seed=N         random seed (default 1)\n"
"      --max-time=S     stop after the minibatch (chunk) that ends past S\n"
"                       seconds, and write the model as usual (one net:\n"
"                       the default --ensemble is then 1)\n"
"      --threads=N      one net: threads over the batch, one per 16\n"
"                       windows at most (default 1); an ensemble: members\n"
"                       trained at once (default all CPUs); 0: all CPUs.\n"
"                       The model is the same for any N\n"
"Text (see rnn-train(1), \"Text\"):\n"
"      --text           the files are text (UTF-8, or bytes with --bytes):\n"
"                       one-hot characters in, the next one's class out\n"
"                       (softmax, cross-entropy), parallel streams of\n"
"                       --batch (16), chunks of --bptt (64) steps, the\n"
"                       state carried; --val (0.1) holds out the text's\n"
"                       last part, scored in bits per character each\n"
"                       epoch; the model keeps the best epoch's weights.\n"
"                       Defaults: --hidden 128, --lr 0.004, --clip-norm 5,\n"
"                       --epochs 20, --patience 0\n"
"      --bytes          the vocabulary is bytes, not UTF-8 code points\n"
"Output:\n"
"      --log=FILE       epoch,train_loss,val_loss,grad_norm,seconds as CSV\n"
"                       (--text: epoch,train_bpc,val_bpc,grad_norm,\n"
"                       chars_per_s,seconds)\n"
"      --checkpoint=FILE  write the model every --every epochs and on\n"
"                       SIGINT or SIGTERM\n"
"      --every=N        checkpoint interval in epochs (default 1)\n"
CLI_COMMON_HELP
"\n"
"With no SERIES, or when SERIES is -, read standard input.\n"
"Exit status: 0 ok, 64 usage, 65 bad data or a diverged loss, 66 cannot\n"
"open, 73 cannot create output, 74 I/O error, 130/143 interrupted\n"
"(after writing the checkpoint, if any). See rnn-train(1).\n", argv0,
	argv0);
}

struct opts {
	struct cli cli;
	struct rnn_config cfg;
	int cell_set, act_set, hidden_set, layers_set;
	size_t steps;           /* --horizon 1-K: K; else 1 */
	long long window, horizon, epochs, batch, seed, threads, patience;
	long long bptt, every;
	int epochs_more;
	double lr, momentum, weight_decay, val, clip_norm, clip_value, dropout;
	enum rk_optim_kind optim;
	enum rk_scaling scaling;
	enum rk_normalize normalize;
	enum rk_transform transform;
	int transform_auto;
	long long period;
	const char *target, *log, *checkpoint, *init, *import;
	int window_set, horizon_set, target_set, scaling_set, window_auto;
	int val_auto;
	int refit;
	int linear;             /* --linear: ar 1, none 0, auto -1 */
	int loss;               /* --loss: RK_LABELS_NO (mse), _YES (ce),
	                           _AUTO */
	int interval_scale;     /* --interval-scale: diff 1, none 0 */
	int interval_widen;     /* --interval-widen: auto 1, none 0 */
	int blend;              /* --forecast-blend: RNNM_BLEND_* */
	double blend_w;         /* its weight with RNNM_BLEND_FIXED */
	long long ensemble;
	int seq;                /* --mode seq */
	int text, bytes;        /* --text, --bytes */
	double max_time;        /* --max-time; 0: none */
	double lr_decay;        /* --lr-decay; 0: off */
	char given[OPT_LAST - OPT_TOOL];        /* tool options on
	                                                   the line */
};

#define RK_AUTO_PATIENCE 10
/* --mode seq's --bptt: the chunk of char-rnn */
#define RK_SEQ_BPTT 50

#define GIVEN(o, opt) ((o)->given[(opt) - OPT_TOOL])

static void check_seq(struct opts *o);

/* --ensemble: the default, unless an option that goes with one net only
 * is there; an ensemble's --threads */
static void
check_ensemble(struct opts *o)
{
	static const struct { int opt; const char *name; } one[] = {
		{ OPT_INIT, "--init" }, { OPT_IMPORT, "--import" },
		{ OPT_LOG, "--log" }, { OPT_CHECKPOINT, "--checkpoint" },
		{ OPT_MAX_TIME, "--max-time" }
	};
	size_t i, ntensor;

	if (!GIVEN(o, OPT_ENSEMBLE)) {
		/* MPI ranks train one net */
		o->ensemble = rk_mpi_size() > 1 || o->seq ? 1 :
		              ENSEMBLE_DEFAULT;
		for (i = 0; i < sizeof one / sizeof *one; i++)
			if (GIVEN(o, one[i].opt))
				o->ensemble = 1;
	}
	for (i = 0; o->ensemble > 1 && i < sizeof one / sizeof *one; i++)
		if (GIVEN(o, one[i].opt))
			usage_error("--ensemble %lld: %s goes with one net "
			            "only (--ensemble 1)", o->ensemble,
			            one[i].name);
	/* the weight stream's tensors: each member's, and 6 more at most */
	ntensor = 4 * (size_t)o->cfg.nlayers + 2;
	if (o->ensemble * ntensor + 6 > RK_WS_MAXTENSORS)
		usage_error("--ensemble %lld of %d-layer nets needs more than "
		            "the %d tensors a model holds", o->ensemble,
		            o->cfg.nlayers, RK_WS_MAXTENSORS);
	/* members are the same whatever the threads: use the CPUs */
	if (o->ensemble > 1 && !GIVEN(o, OPT_THREADS))
		o->threads = rk_ncpus();
}

/* --text: what goes with it, and its defaults */
static void
text_options(struct opts *o)
{
	static const struct { int opt; const char *name; } no[] = {
		{ OPT_WINDOW, "--window" }, { OPT_HORIZON, "--horizon" },
		{ OPT_TARGET, "--target" }, { OPT_SCALING, "--scaling" },
		{ OPT_TRANSFORM, "--transform" }, { OPT_PERIOD, "--period" },
		{ OPT_NORMALIZE, "--normalize" }, { OPT_LINEAR, "--linear" },
		{ OPT_REFIT, "--refit" }, { OPT_IMPORT, "--import" },
		{ OPT_LOSS, "--loss" },
		{ OPT_INTERVAL_SCALE, "--interval-scale" },
		{ OPT_INTERVAL_WIDEN, "--interval-widen" }
	};
	size_t i;

	for (i = 0; i < sizeof no / sizeof *no; i++)
		if (GIVEN(o, no[i].opt))
			usage_error("%s does not go with --text", no[i].name);
	if (o->cli.series.columns || o->cli.series.time ||
	    o->cli.series.missing_given || o->cli.csv.decimal_comma)
		usage_error("--columns, --time, --missing and --decimal-comma "
		            "are for CSV series, not --text");
	if (GIVEN(o, OPT_ENSEMBLE) && o->ensemble > 1)
		usage_error("--ensemble %lld: --text trains one net",
		            o->ensemble);
	o->ensemble = 1;
	if (o->act_set && o->cfg.cell != RK_ELMAN)
		usage_error("--activation is for --cell elman");
	if (GIVEN(o, OPT_MODE) && !o->seq)
		usage_error("--text trains a model of --mode seq");
	if (!o->hidden_set)
		o->cfg.nhid = 128;
	if (!GIVEN(o, OPT_BPTT))
		o->bptt = 64;
	/* --batch 16, --lr 0.004: measured (rnn-train(1), "Text") */
	if (!GIVEN(o, OPT_BATCH))
		o->batch = 16;
	if (!GIVEN(o, OPT_LR))
		o->lr = 0.004;
	if (!GIVEN(o, OPT_CLIP_NORM))
		o->clip_norm = 5;
	if (!GIVEN(o, OPT_EPOCHS))
		o->epochs = 20;
	if (o->val_auto)
		o->val = 0.1;
	o->val_auto = 0;
	if (!GIVEN(o, OPT_PATIENCE))
		o->patience = 0;
	if ((o->patience > 0 || o->lr_decay > 0) && o->val == 0 && !o->init)
		usage_error("%s needs --val (a held-out part to watch)",
		            o->patience > 0 ? "--patience" : "--lr-decay");
	if (o->dropout && o->cfg.nlayers < 2)
		usage_error("--dropout %g acts between stacked layers: it needs "
		            "--layers 2 or more", o->dropout);
}

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
	o->window = RK_AUTO_WINDOW;
	o->window_auto = 1;
	o->val_auto = 1;
	o->patience = -1;       /* RK_AUTO_PATIENCE with validation */
	o->horizon = 1;
	o->steps = 1;
	o->epochs = 100;
	o->batch = 32;
	o->seed = 1;
	o->threads = 1;
	o->lr = 0.001;
	o->momentum = 0.9;
	o->clip_norm = 1;
	o->every = 1;
	o->optim = RK_ADAM;
	o->scaling = RK_SCALE_ZSCORE;
	o->transform = RK_TF_NONE;
	o->transform_auto = 1;
	o->period = 1;
	o->linear = -1;
	o->loss = o->cli.series.labels = RK_LABELS_AUTO;
	o->interval_scale = INTERVAL_SCALE_DEFAULT;
	o->interval_widen = INTERVAL_WIDEN_DEFAULT;
	o->blend = FORECAST_BLEND_DEFAULT;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&o->cli, c, optarg, usage, &help))
			continue;
		if (c >= OPT_TOOL && c < OPT_LAST)
			o->given[c - OPT_TOOL] = 1;
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
			o->window_auto = !strcmp(optarg, "auto");
			o->window_set = !o->window_auto;
			if (!o->window_auto)
				o->window = opt_int("--window", optarg, 1,
				                    100000);
			break;
		case OPT_HORIZON: {
			size_t H, K;

			if (strchr(optarg, '-') ? rnnm_horizon_parse(optarg, &H,
			    &K) < 0 : (H = (size_t)opt_int("--horizon", optarg,
			    0, 100000), K = 1, 0))
				usage_error("--horizon takes H or 1-K, K from 2 "
				            "to %d (not '%s')", RNNM_MAXSTEPS,
				            optarg);
			o->horizon = (long long)H;
			o->steps = K;
			o->horizon_set = 1;
			break;
		}
		case OPT_TARGET:
			o->target = o->cli.series.target = optarg;
			o->target_set = 1;
			break;
		case OPT_EPOCHS:
			/* the total; +N: N more than the --init model has */
			o->epochs_more = optarg[0] == '+';
			o->epochs = opt_int("--epochs", optarg + o->epochs_more,
			                    0, 100000000);
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
		case OPT_WEIGHT_DECAY:
			o->weight_decay = opt_real("--weight-decay", optarg, 0,
			                           1e6);
			break;
		case OPT_DROPOUT:
			o->dropout = opt_real("--dropout", optarg, 0, 0.9);
			break;
		case OPT_SEED:
			o->seed = opt_int("--seed", optarg, 0, 9223372036854775807LL);
			break;
		case OPT_THREADS:
			o->threads = cli_threads("--threads", optarg);
			break;
		case OPT_SCALING:
			if (rk_scaling_parse(optarg, &o->scaling) < 0)
				usage_error("unknown scaling '%s' (zscore, minmax "
				            "or none)", optarg);
			o->scaling_set = 1;
			break;
		case OPT_VAL:
			o->val_auto = !strcmp(optarg, "auto");
			o->val = o->val_auto ? 0 : opt_real("--val", optarg, 0,
			                                    0.9);
			break;
		case OPT_PATIENCE:
			o->patience = opt_int("--patience", optarg, 0, 100000000);
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
		case OPT_TRANSFORM:
			o->transform_auto = !strcmp(optarg, "auto");
			o->transform = RK_TF_NONE;
			if (!o->transform_auto &&
			    rk_transform_parse(optarg, &o->transform) < 0)
				usage_error("unknown transform '%s' (auto, none, "
				            "diff, log, logdiff, diff2, logdiff2)",
				            optarg);
			break;
		case OPT_PERIOD:
			o->period = opt_int("--period", optarg, 1,
			                    RK_TF_MAXPERIOD);
			break;
		case OPT_LINEAR:
			if (!strcmp(optarg, "ar"))
				o->linear = 1;
			else if (!strcmp(optarg, "auto"))
				o->linear = -1;
			else if (!strcmp(optarg, "none"))
				o->linear = 0;
			else
				usage_error("unknown linear '%s' (auto, ar or "
				            "none)",
				            optarg);
			break;
		case OPT_LOSS:
			if (!strcmp(optarg, "mse"))
				o->loss = RK_LABELS_NO;
			else if (!strcmp(optarg, "ce"))
				o->loss = RK_LABELS_YES;
			else if (!strcmp(optarg, "auto"))
				o->loss = RK_LABELS_AUTO;
			else
				usage_error("unknown loss '%s' (auto, mse or ce)",
				            optarg);
			o->cli.series.labels = o->loss;
			break;
		case OPT_INTERVAL_SCALE:
			if (!strcmp(optarg, "diff"))
				o->interval_scale = 1;
			else if (!strcmp(optarg, "none"))
				o->interval_scale = 0;
			else
				usage_error("unknown interval-scale '%s' (diff "
				            "or none)", optarg);
			break;
		case OPT_INTERVAL_WIDEN:
			if (!strcmp(optarg, "auto"))
				o->interval_widen = 1;
			else if (!strcmp(optarg, "none"))
				o->interval_widen = 0;
			else
				usage_error("unknown interval-widen '%s' (auto "
				            "or none)", optarg);
			break;
		case OPT_FORECAST_BLEND:
			if (!strcmp(optarg, "auto")) {
				o->blend = RNNM_BLEND_AUTO;
			} else if (!strcmp(optarg, "none")) {
				o->blend = RNNM_BLEND_NONE;
			} else {
				o->blend = RNNM_BLEND_FIXED;
				o->blend_w = opt_real("--forecast-blend", optarg,
				                     0, 1);
			}
			break;
		case OPT_NORMALIZE:
			if (rk_normalize_parse(optarg, &o->normalize) < 0)
				usage_error("unknown normalize '%s' (none or "
				            "window)", optarg);
			break;
		case OPT_INIT: o->init = optarg; break;
		case OPT_IMPORT: o->import = optarg; break;
		case OPT_REFIT: o->refit = 1; break;
		case OPT_ENSEMBLE:
			o->ensemble = opt_int("--ensemble", optarg, 1,
			                      RNNM_MAXMEMBERS);
			break;
		case OPT_MODE:
			if (strcmp(optarg, "window") && strcmp(optarg, "seq"))
				usage_error("unknown mode '%s' (window or seq)",
				            optarg);
			o->seq = !strcmp(optarg, "seq");
			break;
		case OPT_TEXT: o->text = 1; break;
		case OPT_BYTES: o->bytes = 1; break;
		case OPT_LR_DECAY:
			o->lr_decay = opt_real("--lr-decay", optarg, 0, 1);
			break;
		case OPT_MAX_TIME:
			o->max_time = opt_real("--max-time", optarg, 1e-3, 1e9);
			break;
		default: cli_bad_usage();
		}
	}
	if ((o->log && !strcmp(o->log, "-")) ||
	    (o->checkpoint && !strcmp(o->checkpoint, "-")))
		usage_error("--log and --checkpoint need a file: standard "
		            "output carries the model");
	if (o->text) {
		text_options(o);
		return;
	}
	if (o->bytes)
		usage_error("--bytes goes with --text");
	if (o->patience > 0 && !o->val_auto && o->val == 0 && !o->init)
		usage_error("--patience needs --val (a validation loss to watch)");
	if (o->lr_decay > 0 && !o->val_auto && o->val == 0 && !o->init)
		usage_error("--lr-decay needs --val (a validation loss to "
		            "watch)");
	if (o->refit && o->max_time)
		usage_error("--max-time does not go with --refit: the refit "
		            "trains the validation run's epoch count");
	if (o->init && o->import)
		usage_error("--init and --import both give the starting model");
	if (o->refit && !o->val_auto && o->val == 0)
		usage_error("--refit needs --val (the best epoch count comes "
		            "from the validation loss)");
	if (o->refit && (o->init || o->import))
		usage_error("--refit trains afresh from random weights: not "
		            "with %s", o->init ? "--init" : "--import");
	if (o->seq)
		check_seq(o);
	check_ensemble(o);
	if (o->loss == RK_LABELS_YES && !o->target && !o->init && !o->import)
		usage_error("--loss ce needs --target: the column of labels");
	if (o->act_set && o->cfg.cell != RK_ELMAN)
		usage_error("--activation is for --cell elman");
	if (o->horizon > 1 && !o->transform_auto &&
	    (o->period > 1 || rk_tf_diffs(o->transform)))
		usage_error("--horizon %lld with a difference (--transform=%s, "
		            "--period %lld): differences go with --horizon 1 or 1-K",
		            o->horizon, rk_transform_name(o->transform),
		            o->period);
}

/* --mode seq (rnnmodel.h, RNNM_SEQ): the options of window models that
 * have no meaning for a sequence are errors; the defaults that differ */
static void
check_seq(struct opts *o)
{
	static const struct { int opt; const char *name, *why; } win[] = {
		{ OPT_WINDOW, "--window", "--bptt K sets the rows of a chunk" },
		{ OPT_PERIOD, "--period", "it sets a seasonal difference" },
		{ OPT_REFIT, "--refit", "" },
		{ OPT_IMPORT, "--import", "" },
	};
	size_t i;

	for (i = 0; i < sizeof win / sizeof *win; i++)
		if (GIVEN(o, win[i].opt))
			usage_error("%s is for --mode window%s%s", win[i].name,
			            *win[i].why ? ": " : "", win[i].why);
	if (GIVEN(o, OPT_TRANSFORM) && !o->transform_auto &&
	    o->transform != RK_TF_NONE)
		usage_error("--transform=%s is for --mode window: a sequence "
		            "model sees the scaled values", rk_transform_name(
		            o->transform));
	if (o->normalize != RK_NORM_NONE)
		usage_error("--normalize=window is for --mode window");
	if (o->linear > 0)
		usage_error("--linear=ar is for --mode window");
	if (o->steps > 1)
		usage_error("--horizon 1-%zu is for --mode window: a sequence "
		            "model predicts at every row", o->steps);
	if (GIVEN(o, OPT_ENSEMBLE) && o->ensemble > 1)
		usage_error("--ensemble %lld is for --mode window", o->ensemble);
	o->ensemble = 1;
	o->linear = 0;
	o->transform_auto = 0;
	o->transform = RK_TF_NONE;
	if (!GIVEN(o, OPT_BPTT))
		o->bptt = RK_SEQ_BPTT;
}

/* The target column holds labels (frame.h): o->cfg becomes a classifier
 * of them (rnnmodel.h, "Classifiers"); options that go with numbers only
 * are usage errors. */
static void
classifier(struct opts *o, const struct series_set *ss)
{
	const struct rk_labels *l = &ss->labels;
	const char *name = ss->names[ss->frame.label];
	char list[512], q[RK_QUOTE_BUF];
	size_t k, len = 0;

	for (k = 0; k < l->n && k < 5; k++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'",
		                        k ? ", " : "", rk_quote(q, l->name[k],
		                        40));
	if (k < l->n)
		snprintf(list + len, sizeof list - len, ", ...");
	if (l->n < 2)
		die_at(ss->s[0].name, 0, 0, "--loss ce needs 2 classes or more, "
		       "and column '%s' holds one label only (%s)", name, list);
	if (o->steps > 1)
		usage_error("--horizon 1-%zu: a classifier predicts one label "
		            "(--horizon H, or 0 for the window's last row)",
		            o->steps);
	if (!o->transform_auto && o->transform != RK_TF_NONE)
		usage_error("--transform=%s: labels are not transformed (a "
		            "classifier takes --transform none or auto)",
		            rk_transform_name(o->transform));
	if (!o->transform_auto && GIVEN(o, OPT_PERIOD))
		usage_error("--transform=none --period %lld: labels are not "
		            "differenced (--period alone sets the season)",
		            o->period);
	if (o->linear > 0)
		usage_error("--linear=ar: a classifier has no linear path");
	if (o->normalize != RK_NORM_NONE)
		usage_error("--normalize=%s: labels are not normalised",
		            rk_normalize_name(o->normalize));
	o->linear = 0;
	o->cfg.loss = RNN_LOSS_CE;
	o->cfg.nout = (int)l->n;
	if (!o->cli.quiet)
		fprintf(stderr, "loss: ce (column '%s' %s: %zu classes, %s)\n",
		        name, o->loss == RK_LABELS_YES ? "read as labels by "
		        "--loss ce" : "holds labels, not numbers", l->n, list);
}

/* --val=auto with --mode seq: the windows of one row are the steps
 * (series_auto_val), said so */
static void
seq_auto_val(struct opts *o, const struct series_set *ss, size_t H,
             char *why, size_t n)
{
	size_t i, least = (size_t)-1, k;

	o->val = series_auto_val(ss, 1, H, 0, why, n);
	for (i = 0; i < ss->n; i++) {
		k = ss->s[i].rows > H ? ss->s[i].rows - H : 0;
		least = k < least ? k : least;
	}
	if (o->val > 0)
		snprintf(why, n, "the last %g%% of each series' steps",
		         o->val * 100);
	else
		snprintf(why, n, "none (%s%zu step%s; a validation part needs "
		         "%d)", ss->n > 1 ? "a series has " : "", least,
		         plural(least), RK_AUTO_VAL_MIN);
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
	    (o->window_set && (size_t)o->window != rnnm_window_rows(m)) ||
	    (o->horizon_set && ((size_t)o->horizon != m->horizon ||
	                        o->steps != m->steps))) {
		char hb[32];

		usage_error("options disagree with the model in '%s' (%s, "
		            "hidden %d, layers %d, window %zu, horizon %s)",
		            src, rk_cell_name(c->cell), c->nhid, c->nlayers,
		            rnnm_window_rows(m), rnnm_horizon_name(m, hb, sizeof hb));
	}
}

/* Resuming: options not on the command line take the values the model
 * was trained with, so `rnn-train --init ck.gz --epochs N data.csv` goes
 * on exactly as the interrupted run would have. */
static void
resume_defaults(struct opts *o, const struct rnnm *m)
{
	const struct rk_wstream *in = &m->info;
	const char *s;
	char name[16], lr[40];

	if (!GIVEN(o, OPT_SEED) && (s = ws_get(in, "seed")))
		o->seed = opt_int("the model's seed", s, 0, 9223372036854775807LL);
	if (!GIVEN(o, OPT_BATCH) && (s = ws_get(in, "batch")))
		o->batch = opt_int("the model's batch", s, 1, 1000000);
	if (!GIVEN(o, OPT_BPTT) && (s = ws_get(in, "bptt")))
		o->bptt = opt_int("the model's bptt", s, 1, 100000);
	if ((s = ws_get(in, "optimizer")) &&
	    sscanf(s, "%15s lr %39s", name, lr) == 2) {
		if (!GIVEN(o, OPT_OPTIM) && rk_optim_parse(name, &o->optim) < 0)
			die(EX_DATAERR, "%s: unknown optimizer '%s'", o->init, name);
		if (!GIVEN(o, OPT_LR))
			o->lr = opt_real("the model's lr", lr, 1e-12, 1e6);
	}
	if (!GIVEN(o, OPT_MOMENTUM) && (s = ws_get(in, "momentum")))
		o->momentum = opt_real("the model's momentum", s, 0, 0.999999);
	if (!GIVEN(o, OPT_WEIGHT_DECAY) && (s = ws_get(in, "weight-decay")))
		o->weight_decay = opt_real("the model's weight-decay", s, 0,
		                           1e6);
	if (!GIVEN(o, OPT_DROPOUT) && (s = ws_get(in, "dropout")))
		o->dropout = opt_real("the model's dropout", s, 0, 0.9);
	if (!GIVEN(o, OPT_CLIP_NORM) && (s = ws_get(in, "clip-norm")))
		o->clip_norm = opt_real("the model's clip-norm", s, 0, 1e30);
	if (!GIVEN(o, OPT_CLIP_VALUE) && (s = ws_get(in, "clip-value")))
		o->clip_value = opt_real("the model's clip-value", s, 0, 1e30);
	if (!GIVEN(o, OPT_VAL)) {
		/* the model's: none when it has no key */
		o->val_auto = 0;
		o->val = (s = ws_get(in, "val")) ?
		         opt_real("the model's val", s, 0, 0.9) : 0;
	}
	if (!GIVEN(o, OPT_PATIENCE))
		o->patience = (s = ws_get(in, "patience")) ?
		              opt_int("the model's patience", s, 0, 100000000) :
		              0;
	if (!GIVEN(o, OPT_LR_DECAY) && (s = ws_get(in, "lr-decay")))
		o->lr_decay = opt_real("the model's lr-decay", s, 0, 1);
}

/* The model's source key: the files' names, space-separated, cut at
 * n - 1 bytes; *len (0 at first) is src's length. */
static void
source_add(char *src, size_t n, size_t *len, const char *name)
{
	if (*len + 2 >= n)
		return;
	*len += (size_t)snprintf(src + *len, n - *len, "%s%s", *len ? " " : "",
	                         name);
	if (*len >= n)
		*len = n - 1;
}

/* The training keys of m's info (src: source_names()), before fit(). */
static void
set_info(struct rnnm *m, const struct opts *o, const char *src)
{
	char b[32];
	size_t i;

	static const char *const kept[] = { "epochs", "train-loss",
	                                    "val-loss" };
	char *val[3];

	/* the same keys in the same order for a run and its resume: the
	 * training keys, then the state fit() updates */
	for (i = 0; i < 3; i++) {
		const char *v = ws_get(&m->info, kept[i]);

		val[i] = v ? estrdup(v) : NULL;
		ws_unset(&m->info, kept[i]);
	}
	ws_set(&m->info, "created-by", "rnn-train %s", RNNKIT_VERSION);
	ws_set(&m->info, "source", "%s", src);
	ws_set(&m->info, "optimizer", "%s lr %s", rk_optim_name(o->optim),
	       rk_fmt_double(b, o->lr));
	ws_set(&m->info, "batch", "%lld", o->batch);
	ws_set(&m->info, "seed", "%lld", o->seed);
	/* a model is the same for any --threads (rnn.h, "Shards"): not
	 * recorded, and an old model's key goes */
	ws_unset(&m->info, "threads");
	/* but the MPI processes are: the model says how it was made */
	ws_unset(&m->info, "ranks");
	if (rk_dist_size() > 1)
		ws_set(&m->info, "ranks", "%d", rk_dist_size());
	/* what a resume needs to go on alike (resume_defaults); unset and
	 * set again so that a resume writes them in a first run's order */
	ws_unset(&m->info, "bptt");
	ws_unset(&m->info, "momentum");
	ws_unset(&m->info, "weight-decay");
	ws_unset(&m->info, "dropout");
	ws_unset(&m->info, "clip-norm");
	ws_unset(&m->info, "clip-value");
	ws_unset(&m->info, "val");
	ws_unset(&m->info, "patience");
	ws_unset(&m->info, "lr-decay");
	if (o->bptt)
		ws_set(&m->info, "bptt", "%lld", o->bptt);
	if (o->optim == RK_SGD)
		ws_set(&m->info, "momentum", "%s", rk_fmt_double(b, o->momentum));
	if (o->weight_decay)
		ws_set(&m->info, "weight-decay", "%s",
		       rk_fmt_double(b, o->weight_decay));
	if (o->dropout)
		ws_set(&m->info, "dropout", "%s", rk_fmt_double(b, o->dropout));
	ws_set(&m->info, "clip-norm", "%s", rk_fmt_double(b, o->clip_norm));
	if (o->clip_value)
		ws_set(&m->info, "clip-value", "%s",
		       rk_fmt_double(b, o->clip_value));
	if (o->val)
		ws_set(&m->info, "val", "%s", rk_fmt_double(b, o->val));
	if (o->val && o->patience > 0)
		ws_set(&m->info, "patience", "%lld", o->patience);
	if (o->val && o->lr_decay > 0)
		ws_set(&m->info, "lr-decay", "%s", rk_fmt_double(b, o->lr_decay));
	for (i = 0; i < 3; i++) {
		if (val[i])
			ws_set(&m->info, kept[i], "%s", val[i]);
		free(val[i]);
	}
	ws_unset(&m->info, "best-epoch");
}

/* What --interval-widen did (conformal.h, "Widening"), on stderr */
static void
report_widen(const struct opts *o, const struct rnnm *m)
{
	size_t k;

	if (o->cli.quiet || !m->conf_wf)
		return;
	fprintf(stderr, "intervals: errors widened by");
	for (k = 0; k < m->ntargets; k++)
		fprintf(stderr, "%s %.3g", k ? "," : "", m->conf_wf[k]);
	fprintf(stderr, " (the square root of how many times the mean "
	        "absolute change on the validation windows differs from that "
	        "before them)\n");
}

/* A model written whole keeps a blend's season only with the blend
 * (a checkpoint keeps it for its resume: rnnmodel.h) */
static void
settle_blend(struct rnnm *m)
{
	if (!m->fc_blend)
		m->fc_mode = RNNM_BLEND_NONE;
}

/* What --forecast-blend chose (auto), on stderr, before the line that
 * says which weights were kept (the last); fr: nothing trained (a start
 * that has its epochs already) says nothing */
static void
report_blend(const struct opts *o, const struct rnnm *m,
             const struct fit_result *fr)
{
	size_t k;

	if (o->cli.quiet || m->fc_mode != RNNM_BLEND_AUTO ||
	    (fr && o->init && fr->epochs == fr->first))
		return;
	if (!m->fc_blend) {
		fprintf(stderr, "forecast blend: none (only a recursive "
		        "forecast from validation windows that reach step 2 "
		        "has one)\n");
		return;
	}
	fprintf(stderr, "forecast blend: steps 2 on");
	for (k = 0; k < m->ntargets; k++)
		fprintf(stderr, "%s %g net + %g seasonal naive (period %zu)",
		        k ? "," : "", m->fc_blend[k], 1 - m->fc_blend[k],
		        m->fc_period);
	fprintf(stderr, ": the least squared error of the validation "
	        "windows' forecasts\n");
}
/* Which epoch the validation run keeps, and why: the last line of its
 * progress. held: a text model's held-out characters scored (its score
 * is said in bits per character), else 0. */
static void
report_kept(const struct opts *o, const struct fit_result *fr, size_t held)
{
	char b[32];

	if (o->cli.quiet)
		return;
	if (o->init && fr->epochs == fr->first)
		fprintf(stderr, "%s: '%s' has %lld epoch%s already; "
		        "nothing to train (--epochs is the total; "
		        "--epochs +N trains N more)\n", argv0, o->init,
		        fr->epochs, plural((size_t)fr->epochs));
	if (fr->end == FIT_TIME)
		fprintf(stderr, "--max-time %s: stopped in epoch %lld after "
		        "%.1f s of training\n", rk_fmt_double(b, o->max_time),
		        fr->epochs, fr->seconds);
	if (fr->end == FIT_EARLY)
		fprintf(stderr, "early stop: no better validation "
		        "loss in %lld epoch%s; keeping epoch %lld\n",
		        o->patience, plural((size_t)o->patience),
		        fr->best_epoch);
	if (held && fr->best_epoch)
		fprintf(stderr, "held-out: %zu characters, %.4f bits per "
		        "character (epoch %lld's weights, kept)\n", held,
		        fr->val_loss / M_LN2, fr->best_epoch);
	else if (fr->best_epoch && fr->end != FIT_EARLY)
		fprintf(stderr, "keeping epoch %lld of %lld: the best "
		        "validation loss (%s)\n", fr->best_epoch,
		        fr->epochs, rk_fmt_within(b, fr->val_loss,
		        fabs(fr->val_loss) * 1e-4));
	if (fr->best_epoch && !isnan(fr->val_accuracy))
		fprintf(stderr, "validation accuracy of epoch %lld: %.2f%%\n",
		        fr->best_epoch, 100 * fr->val_accuracy);
}

/* --refit: m is the validation run's kept model (fr). Keep its residuals
 * on the validation windows (the refit model has seen them), fit the
 * linear path again on every window (rnnm_ar_refit()), then train init
 * afresh on every window for fr->best_epoch epochs (fit_refit()).
 * Returns 1 when the refit ran (rr: its result), 0 when there was
 * nothing to refit. */
static int
refit(const struct opts *o, struct rnnm *m, struct rk_optim *opt,
      const rk_real *init, const struct series_set *ss,
      const struct window *val, size_t nval, const struct fit_opts *fo,
      const struct fit_result *fr, struct fit_result *rr)
{
	struct window *all, *none;
	size_t nall, nnone, *rows;
	double *kept_ar = NULL;

	memset(rr, 0, sizeof *rr);
	if (fr->end == FIT_SIGNAL || !fr->best_epoch)
		return 0;
	conformal_fit(m, ss, val, nval);
	report_blend(o, m, fr);
	report_kept(o, fr, 0);
	/* the windows of --val 0, in its order */
	series_windows(ss, m->window, m->horizon, m->steps, m->tf.lag, 0,
	               &all, &nall, &none, &nnone, &rows);
	/* the linear path too, with its ridge weight, before the net that
	 * learns what it leaves; a signal in the refit gives the validation
	 * run's back */
	if (m->ar_n) {
		kept_ar = emalloc(emul(m->ntargets, emul(m->ar_n,
		                  sizeof *kept_ar)));
		memcpy(kept_ar, m->ar, m->ntargets * m->ar_n * sizeof *kept_ar);
		rnnm_ar_refit(m, ss, all, nall);
	}
	/* nall == ntrain + nval: MPI ranks > 0 count them so (follow()) */
	fit_refit(m, opt, init, ss, all, nall, fo, fr, rr);
	if (kept_ar && rr->end == FIT_SIGNAL)
		memcpy(m->ar, kept_ar, m->ntargets * m->ar_n * sizeof *kept_ar);
	free(kept_ar);

	if (rr->end != FIT_SIGNAL && !o->cli.quiet)
		fprintf(stderr, "refit: %lld epoch%s on all %zu windows; "
		        "--interval residuals from the validation run\n",
		        rr->epochs, plural((size_t)rr->epochs), nall);
	free(all);
	free(none);
	free(rows);
	return 1;
}

/* Where the model went, for messages: 'FILE' or standard output. */
static const char *
model_dest(const struct opts *o, char *buf, size_t n)
{
	if (!o->cli.output || !strcmp(o->cli.output, "-"))
		return "standard output";
	snprintf(buf, n, "'%s'", o->cli.output);
	return buf;
}

/* After fit(), when the run leaves no model (SIGTERM: the checkpoint,
 * not the model, keeps the work; a signal before any epoch ended):
 * out discarded, the reason said (even with -q: it explains the status),
 * the exit status returned; else 0. */
static int
no_model(const struct opts *o, struct rk_out *out, const struct fit_result *fr)
{
	if (fr->end != FIT_SIGNAL)
		return 0;
	if (fr->signal != SIGINT) {
		rk_out_abort(out);
		if (o->checkpoint && fr->epochs > fr->first)
			fprintf(stderr, "%s: interrupted; model after %lld "
			        "epoch%s written to '%s'\n", argv0, fr->epochs,
			        plural((size_t)fr->epochs), o->checkpoint);
		else
			fprintf(stderr, "%s: interrupted after %lld epoch%s%s\n",
			        argv0, fr->epochs, plural((size_t)fr->epochs),
			        o->checkpoint ? "; no checkpoint written" : "");
		return 128 + fr->signal;
	}
	if (fr->epochs == fr->first) {
		rk_out_abort(out);
		fprintf(stderr, "%s: interrupted in epoch %lld, before it "
		        "ended; no model written\n", argv0, fr->epochs + 1);
		return 128 + fr->signal;
	}
	return 0;
}

/* After the model is written: a signal's exit status, said even with
 * -q; else 0. */
static int
written(const struct opts *o, const struct fit_result *fr)
{
	char dest[1024];

	if (fr->end != FIT_SIGNAL)
		return 0;
	fprintf(stderr, "%s: interrupted; model after %lld epoch%s written to "
	        "%s%s\n", argv0, fr->epochs, plural((size_t)fr->epochs),
	        model_dest(o, dest, sizeof dest), o->checkpoint ?
	        " and to the checkpoint" : "");
	return 128 + fr->signal;
}

/* The fit() options of o (out: the open log, or NULL). */
static void
fit_options(struct fit_opts *fo, const struct opts *o, struct rk_out *log)
{
	memset(fo, 0, sizeof *fo);
	fo->epochs = o->epochs;
	fo->epochs_more = o->epochs_more;
	fo->batch = (size_t)o->batch;
	fo->bptt = (int)o->bptt;
	fo->threads = (int)o->threads;
	fo->clip_norm = o->clip_norm;
	fo->clip_value = o->clip_value;
	fo->dropout = o->dropout;
	fo->patience = o->patience;
	fo->seed = (uint64_t)o->seed;
	fo->checkpoint = o->checkpoint;
	fo->every = o->every;
	fo->log = log;
	fo->verbose = !o->cli.quiet;
	fo->progress = !o->cli.quiet && isatty(2);
	fo->max_time = o->max_time;
	fo->lr_decay = o->lr_decay;
}

/* --ensemble N > 1 (ensemble.h): train, report, write the model to out.
 * Returns the exit status. */
static int
train_ensemble(const struct opts *o, struct rnnm *m,
               const struct series_set *ss, const struct window *train,
               size_t ntrain, const struct window *val, size_t nval,
               const struct fit_opts *fo, struct rk_out *out)
{
	struct ens_opts eo;
	struct ens_result er;
	struct window *all = NULL, *none = NULL;
	size_t nall = 0, nnone = 0, *rows = NULL, N = (size_t)o->ensemble;
	char b[32], dest[1024];
	int rc = 0;

	memset(&eo, 0, sizeof eo);
	eo.members = N;
	eo.threads = (int)o->threads;
	eo.refit = o->refit;
	eo.report = !o->cli.quiet;
	eo.optim = o->optim;
	eo.lr = o->lr;
	eo.momentum = o->momentum;
	eo.weight_decay = o->weight_decay;
	if (o->refit)   /* the windows of --val 0, in its order */
		series_windows(ss, m->window, m->horizon, m->steps, m->tf.lag,
		               0, &all, &nall, &none, &nnone, &rows);
	ensemble_fit(m, ss, train, ntrain, val, nval, all, nall, fo, &eo, &er);
	if (er.end == FIT_DIVERGED)
		die(EX_DATAERR, "member %zu of %zu (seed %lld): %s",
		    er.diverged + 1, N, o->seed + (long long)er.diverged,
		    er.fr[er.diverged].why);
	if (er.end == FIT_SIGNAL && (er.signal != SIGINT || !er.kept)) {
		/* SIGTERM, or nothing to keep: no model */
		rk_out_abort(out);
		fprintf(stderr, "%s: interrupted%s; no model written\n", argv0,
		        er.kept ? "" : " before any member ended an epoch");
		rc = 128 + er.signal;
	} else {
		report_blend(o, m, NULL);
		if (nval && !o->cli.quiet)
			fprintf(stderr, "ensemble of %zu: validation loss %s "
			        "(the %s)\n", er.kept, rk_fmt_within(b,
			        er.val_loss, fabs(er.val_loss) * 1e-4),
			        m->net.cfg.loss == RNN_LOSS_CE ? "mean of the "
			        "members' probabilities" : "median of the "
			        "members' predictions");
		if (er.refitted && !o->cli.quiet)
			fprintf(stderr, "refit: each member on all %zu windows "
			        "for its best epoch count; --interval residuals "
			        "from the validation runs\n", nall);
		settle_blend(m);
		rnnm_write(m, out);
		rk_out_close(out);
		if (er.end == FIT_SIGNAL) {
			/* reported even with -q: it explains the status */
			fprintf(stderr, "%s: interrupted%s; ensemble of %zu "
			        "member%s written to %s\n", argv0,
			        er.refit_stopped ? " in the refit; the "
			        "validation runs'" : "", er.kept,
			        plural(er.kept), model_dest(o, dest, sizeof dest));
			rc = 128 + er.signal;
		}
	}
	ens_result_release(&er);
	free(all);
	free(none);
	free(rows);
	return rc;
}

/* A rank > 0 of an MPI job (fit.h, "MPI ranks"): it opens no file; rank
 * 0 gives it the start and, batch by batch, its windows.  Returns the
 * exit status rank 0 has, after the same training. */
static int
follow(const struct opts *o)
{
	struct rnnm m;
	struct rk_optim opt;
	struct fit_opts fo;
	struct fit_result fr, rr;
	size_t ntrain = 0, nval = 0;
	rk_real *init = NULL;
	int rc = 0;

	fit_catch_signals();
	memset(&m, 0, sizeof m);
	memset(&opt, 0, sizeof opt);
	memset(&fo, 0, sizeof fo);
	fit_share_start(&m, &opt, &fo, &ntrain, &nval);
	if (o->refit) {
		init = emalloc(emul(m.net.nparam, sizeof *init));
		memcpy(init, m.net.param, m.net.nparam * sizeof *init);
	}
	fit(&m, &opt, NULL, NULL, ntrain, NULL, nval, &fo, &fr);
	if (fr.end == FIT_SIGNAL)
		rc = 128 + fr.signal;
	else if (o->refit && fr.best_epoch) {
		/* refit(): every window, the training ones and the others */
		fit_refit(&m, &opt, init, NULL, NULL, ntrain + nval, &fo, &fr,
		          &rr);
		if (rr.end == FIT_SIGNAL)
			rc = 128 + rr.signal;
	}
	rk_optim_release(&opt);
	free(init);
	rnnm_release(&m);
	rk_dist_finalize();
	return rc;
}

/* --text: read the files, split off the held-out part, train (fit() on
 * the text's classes, textdata.h) and write the model; returns the exit
 * status. */
static int
train_text(struct opts *o, char **files, size_t nfiles)
{
	struct rk_text *t = ecalloc(nfiles, sizeof *t);
	struct rk_vocab v;
	struct rnnm m;
	struct rk_optim opt;
	struct rk_rng rng;
	struct rk_out out, logf;
	struct rk_textdata td;
	struct fit_opts fo;
	struct fit_result fr;
	size_t i, N = 0, nval, ntrain, len = 0, nsteps, nheld;
	int32_t *cls;
	char src[1024] = "", dest[1024];
	int rc;

	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(o->cli.output), RK_PATH_MODEL },
	                        { "--checkpoint", o->checkpoint, RK_PATH_MODEL },
	                        { "--log", o->log, 0 }),
	               RK_PATHS({ "--init", o->init, RK_PATH_MODEL }),
	               files, nfiles);
	rk_out_echeck(o->cli.output, 1, o->cli.force);
	rk_out_echeck(o->checkpoint, 1, 1);
	rk_out_echeck(o->log, 0, 0);
	if (o->init && !strcmp(o->init, "-"))
		for (i = 0; i < nfiles; i++)
			if (!strcmp(files[i], "-"))
				usage_error("--init - and the text cannot both "
				            "come from standard input");
	fit_catch_signals();
	memset(&m, 0, sizeof m);
	if (o->init) {
		rnnm_load(&m, o->init);
		if (!m.vocab.n)
			die(EX_DATAERR, "%s: not a text model (rnn-train "
			    "--text): --init continues one", o->init);
		if (m.vocab.bytes != o->bytes)
			usage_error("'%s' is a model of %s: %s", o->init,
			            m.vocab.bytes ? "bytes" : "UTF-8 code points",
			            m.vocab.bytes ? "add --bytes" :
			            "drop --bytes");
		if ((o->cell_set && m.net.cfg.cell != o->cfg.cell) ||
		    (o->hidden_set && m.net.cfg.nhid != o->cfg.nhid) ||
		    (o->layers_set && m.net.cfg.nlayers != o->cfg.nlayers))
			usage_error("options disagree with the model in '%s' "
			            "(%s, hidden %d, layers %d)", o->init,
			            rk_cell_name(m.net.cfg.cell),
			            m.net.cfg.nhid, m.net.cfg.nlayers);
		resume_defaults(o, &m);
		if ((o->patience > 0 || o->lr_decay > 0) && o->val == 0)
			usage_error("%s needs --val (a held-out part to watch)",
			            o->patience > 0 ? "--patience" :
			            "--lr-decay");
	}
	for (i = 0; i < nfiles; i++) {
		rk_text_read(&t[i], files[i], o->bytes);
		N += t[i].n;
		source_add(src, sizeof src, &len, t[i].name);
	}
	nval = (size_t)floor((double)N * o->val);
	ntrain = N - nval;
	if (ntrain < 2)
		die(EX_DATAERR, "%s: %zu character%s, too few to train on%s",
		    nfiles == 1 ? t[0].name : "the texts", N, plural(N),
		    nval ? " after --val's held-out part" : "");
	if (o->init) {
		memcpy(&v, &m.vocab, sizeof v);
	} else {
		rk_vocab_build(&v, o->bytes, t, nfiles);
		if (v.n < 2)
			die(EX_DATAERR, "%s: one distinct character: nothing to "
			    "predict", nfiles == 1 ? t[0].name : "the texts");
		o->cfg.nin = o->cfg.nout = (int)v.n;
		o->cfg.loss = RNN_LOSS_CE;
		if (v.n > 100000 || rnnm_check_limits(&o->cfg, v.n, 1, 1, dest,
		                                      sizeof dest) < 0)
			die(EX_DATAERR, "a model of %zu characters would be too "
			    "large to read back%s%s (rnnkit-weights(5), LIMITS)",
			    v.n, v.n > 100000 ? "" : ": ", v.n > 100000 ? "" :
			    dest);
	}
	/* the files joined, as classes */
	cls = emalloc(emul(N ? N : 1, sizeof *cls));
	for (i = 0, len = 0; i < nfiles; len += t[i].n, i++) {
		rk_vocab_emap(&v, &t[i], cls + len);
		rk_text_release(&t[i]);
	}
	free(t);
	if (!o->init) {
		rnnm_text_init(&m, &o->cfg, &v);
		rk_vocab_release(&v);
		rk_rng_seed(&rng, (uint64_t)o->seed);
		rnn_model_randomize(&m.net, &rng);
	}
	if (rk_optim_init(&opt, o->optim, m.net.nparam, o->lr) < 0)
		die(EX_SOFTWARE, "out of memory for the optimizer");
	if (o->optim == RK_SGD)
		opt.momentum = o->momentum;
	opt.weight_decay = o->weight_decay;
	/* a checkpoint's Adam moments: the run goes on as one */
	if (o->init && m.optim_t && !rnnm_restore_optim(&m, &opt) &&
	    !o->cli.quiet)
		warnf("warning: '%s' holds %s state; %s starts afresh", o->init,
		      rk_optim_name(m.optim_kind), rk_optim_name(o->optim));
	rk_out_open(&out, o->cli.output, 1, o->cli.force);
	if (o->log)
		rk_out_open_log(&logf, o->log);
	if (!o->cli.quiet)
		fprintf(stderr, "text: %zu character%s, %zu distinct%s; "
		        "training on %zu, held out %zu (--val %s)\n", N,
		        plural(N), m.vocab.n, m.vocab.bytes ? " bytes" : "",
		        ntrain, nval, rk_fmt_double(dest, o->val));
	set_info(&m, o, src);
	/* the steps: ntrain - 1 inputs, each with the next as its target;
	 * the held-out part's nval - 1 predicted symbols */
	rk_textdata_init(&td, cls, ntrain, cls + ntrain, nval);
	fit_options(&fo, o, o->log ? &logf : NULL);
	fo.source = &td.src;
	fo.bpc = 1;
	nsteps = ntrain - 1;
	nheld = nval >= 2 ? nval - 1 : 0;
	/* MPI ranks > 0 (follow()): the net, the options and the counts;
	 * rank 0 deals out the chunks and scores the held-out part */
	fit_share_start(&m, &opt, &fo, &nsteps, &nheld);
	fit(&m, &opt, NULL, NULL, nsteps, NULL, nheld, &fo, &fr);
	if (o->log)
		rk_out_close(&logf);
	/* a text model says its losses in bits per character */
	ws_unset(&m.info, "train-loss");
	ws_unset(&m.info, "val-loss");
	ws_unset(&m.info, "train-bpc");
	ws_unset(&m.info, "val-bpc");
	if (!isnan(fr.train_loss))
		ws_set(&m.info, "train-bpc", "%.4f", fr.train_loss / M_LN2);
	if (!isnan(fr.val_loss))
		ws_set(&m.info, "val-bpc", "%.4f", fr.val_loss / M_LN2);
	if (!(rc = no_model(o, &out, &fr))) {
		report_kept(o, &fr, nval >= 2 ? nval - 1 : 0);
		rnnm_write(&m, &out);
		rk_out_close(&out);
		if (!o->cli.quiet && fr.seconds > 0)
			fprintf(stderr, "trained on %.0f characters in %.1f s: "
			        "%.0f characters/s\n", fr.steps, fr.seconds,
			        fr.steps / fr.seconds);
		rc = written(o, &fr);
	}
	rk_optim_release(&opt);
	rnnm_release(&m);
	free(cls);
	rk_dist_finalize();
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct series_set ss;
	struct rnnm m;
	struct window *train, *val;
	size_t ntrain, nval, *fit_rows, *targets, ntargets, i, W;
	struct rk_optim opt;
	struct rk_rng rng;
	struct rk_out out, logf;
	struct fit_opts fo;
	struct fit_result fr, rr;
	rk_real *init = NULL;
	int from_model, refitted = 0, rc = 0;
	char *stdin_only[] = { "-" };
	char dest[1024], whyv[256] = "", src[1024] = "";
	size_t len;
	struct rk_auto au;

	memset(&au, 0, sizeof au);
	rk_setprogname(argv);
	parse_args(&o, argc, argv);
	if (rk_mpi_size() > 1 && !rk_dist_enabled())
		die(EX_USAGE, "refusing to train as one of %d MPI processes: "
		    "this rnn-train has no MPI support, so each would train "
		    "the whole model alone (run one rnn-train, without mpirun)",
		    rk_mpi_size());
	if (rk_mpi_size() > 1 && o.ensemble > 1)
		usage_error("--ensemble %lld: MPI processes train one net "
		            "together (--ensemble 1); train an ensemble with "
		            "one rnn-train", o.ensemble);
	if (rk_mpi_size() > 1 && !strcmp(rk_stdout_or(o.cli.output), "-"))
		usage_error("MPI processes write the model with -o FILE "
		            "(mpirun passes standard output through a "
		            "terminal)");
	/* N > 1 ranks: rank 0 alone reads the data, speaks and writes; the
	 * others compute their shards of each batch (fit.h, "MPI ranks") */
	rk_dist_init(&argc, &argv);
	if (rk_dist_rank() > 0)
		return follow(&o);
	if (o.text)
		return train_text(&o, optind < argc ? argv + optind :
		                  stdin_only, optind < argc ?
		                  (size_t)(argc - optind) : 1);
	if (!o.init && !o.import) {
		/* every limit a reader applies, before anything is read: the
		 * data's sizes are checked again when known */
		struct rnn_config c1 = o.cfg;

		c1.nin = c1.nout = 1;
		if (rnnm_check_limits(&c1, 1, (size_t)o.window,
		                      (size_t)o.horizon, dest, sizeof dest) < 0)
			usage_error("this model would be too large to read "
			            "back: %s (rnnkit-weights(5), LIMITS)", dest);
	}
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(o.cli.output), RK_PATH_MODEL },
	                        { "--checkpoint", o.checkpoint, RK_PATH_MODEL },
	                        { "--log", o.log, 0 }),
	               RK_PATHS({ "--init", o.init, RK_PATH_MODEL },
	                        { "--import", o.import, RK_PATH_DIR }),
	               optind < argc ? argv + optind : stdin_only,
	               optind < argc ? (size_t)(argc - optind) : 1);
	/* every output is checked before anything is read or trained */
	rk_out_echeck(o.cli.output, 1, o.cli.force);
	rk_out_echeck(o.checkpoint, 1, 1);
	rk_out_echeck(o.log, 0, 0);
	if (o.init && !strcmp(o.init, "-")) {
		for (i = (size_t)optind; i < (size_t)argc; i++)
			if (!strcmp(argv[i], "-"))
				break;
		if (optind == argc || i < (size_t)argc)
			usage_error("--init - and the series cannot both come "
			            "from standard input");
	}
	fit_catch_signals();

	memset(&m, 0, sizeof m);
	from_model = o.init || o.import;
	if (o.init) {
		rnnm_load(&m, o.init);
		if (rnnm_nmembers(&m) > 1)
			usage_error("--init continues one net, and '%s' is an "
			            "ensemble of %zu", o.init, m.nmembers);
		check_start_model(&o, &m, o.init);
		if (GIVEN(&o, OPT_MODE) && o.seq != (m.mode == RNNM_SEQ))
			usage_error("--mode comes from the starting model (%s)",
			            m.mode == RNNM_SEQ ? "seq" : "window");
		if (m.mode == RNNM_SEQ && !o.seq) {
			o.seq = 1;
			check_seq(&o);
		}
		resume_defaults(&o, &m);
		if (!GIVEN(&o, OPT_PATIENCE) && o.val == 0)
			o.patience = 0;
		if (o.patience > 0 && o.val == 0)
			usage_error("--patience needs --val (a validation loss "
			            "to watch)");
	} else if (o.import) {
		rnnm_import_csv(&m, o.import);
		if (m.mode == RNNM_SEQ)
			usage_error("--import starts a window model, and '%s' "
			            "holds a sequence model (mode=seq)", o.import);
		check_start_model(&o, &m, o.import);
	}
	/* a start's --missing, unless given */
	if (from_model)
		frame_missing_from_model(&o.cli.series, &m);
	/* a start's checkpoints add the optimizer state: within limits? */
	if (from_model && rnnm_check_limits(&m.net.cfg, m.ncols, m.window,
	                                    m.horizon, dest, sizeof dest) < 0)
		die(EX_DATAERR, "%s: this model would be too large to read back "
		    "after training: %s (rnnkit-weights(5), LIMITS)",
		    o.init ? o.init : o.import, dest);
	if (from_model && o.loss != RK_LABELS_AUTO &&
	    (o.loss == RK_LABELS_YES) != (m.net.cfg.loss == RNN_LOSS_CE))
		usage_error("--loss comes from the starting model (%s)",
		            rnn_loss_name(m.net.cfg.loss));
	if ((o.init || (o.import && m.net.cfg.loss == RNN_LOSS_CE)) &&
	    o.cli.series.columns && m.net.cfg.loss == RNN_LOSS_CE)
		usage_error("--columns: a classifier takes the model's columns "
		            "and labels");
	if ((o.init || (o.import && m.net.cfg.loss == RNN_LOSS_CE)) &&
	    !o.cli.series.columns) {
		/* a resume takes the model's columns and time column, as
		 * rnn-predict does */
		o.cli.series.model_targets = 1;
		series_load_model(&ss, optind < argc ? argv + optind :
		                  stdin_only, optind < argc ?
		                  (size_t)(argc - optind) : 1, &o.cli.csv,
		                  &o.cli.series, &m);
	} else {
		series_load(&ss, optind < argc ? argv + optind : stdin_only,
		            optind < argc ? (size_t)(argc - optind) : 1,
		            &o.cli.csv, &o.cli.series);
	}
	if (from_model) {
		series_check_model(&ss, &m);
		tax_to_model(&ss.frame.time, &m);
		if (o.target_set || o.scaling_set)
			usage_error("--target and --scaling come from the "
			            "starting model");
		if ((GIVEN(&o, OPT_TRANSFORM) && !o.transform_auto &&
		     o.transform != m.tf.kind) ||
		    (GIVEN(&o, OPT_PERIOD) && !o.transform_auto &&
		     (size_t)o.period != m.tf.period))
			usage_error("--transform and --period come from the "
			            "starting model (%s, period %zu)",
			            rk_transform_name(m.tf.kind), m.tf.period);
		if (GIVEN(&o, OPT_LINEAR) && o.linear >= 0 &&
		    o.linear != (m.ar_n > 0))
			usage_error("--linear comes from the starting model "
			            "(%s)", m.ar_n ? "ar" : "none");
		if (GIVEN(&o, OPT_NORMALIZE) && o.normalize != m.normalize)
			usage_error("--normalize comes from the starting model "
			            "(%s)", rk_normalize_name(m.normalize));
	} else {
		ntargets = series_targets(&ss, o.target, &targets);
		o.cfg.nin = (int)ss.nin;
		if (ntargets * o.steps > 100000)
			usage_error("this model is too large (%zu outputs)",
			            ntargets * o.steps);
		o.cfg.nout = (int)(ntargets * o.steps);
		if (ss.frame.labelled)
			classifier(&o, &ss);
		else if (o.horizon == 0)
			usage_error("--horizon 0 (the window's own last row) is "
			            "for a classifier's labels (--loss ce)");
		if (rnnm_check_limits(&o.cfg, ss.ncols, (size_t)o.window,
		                      (size_t)o.horizon, dest, sizeof dest) < 0)
			die(EX_DATAERR, "this model would be too large to read "
			    "back: %s (rnnkit-weights(5), LIMITS)", dest);
		if (rnn_model_init(&m.net, &o.cfg) < 0)
			usage_error("this model is too large");
		m.horizon = (size_t)o.horizon;
		m.steps = o.steps;
		rnnm_init_meta(&m, ss.ncols, ntargets);
		memcpy(m.targets, targets, ntargets * sizeof *targets);
		free(targets);
		if (ss.frame.labelled)
			rk_labels_copy(&m.labels, &ss.labels);
		series_to_model(&ss, &m);
		m.scaling = o.scaling;
		if (o.seq) {
			/* a step reads one row; no transform */
			m.mode = RNNM_SEQ;
			m.window = 1;
			if (o.val_auto)
				seq_auto_val(&o, &ss, m.horizon, whyv, sizeof whyv);
			o.val_auto = 0;
			goto chosen;
		}
		au.period = GIVEN(&o, OPT_PERIOD) ? (size_t)o.period : 0;
		au.window = o.window_auto ? 0 : (size_t)o.window;
		au.val_auto = o.val_auto;
		au.val = o.val;
		au.transform_auto = o.transform_auto && !ss.frame.labelled;
		au.transform = o.transform;
		rk_auto_choose(&m, &ss, &au);
		o.val = au.val;
		o.val_auto = 0;
		o.transform = au.transform;
		o.period = (long long)au.period;
		snprintf(whyv, sizeof whyv, "%s", au.why_val);
		for (i = 0; !rk_tf_identity(&m.tf) && i < ntargets; i++)
			if (m.targets[i] >= ss.nin)
				usage_error("--transform=%s --period %zu turns "
				            "the inputs, so every target must be "
				            "one ('%s' is not)",
				            rk_transform_name(m.tf.kind),
				            m.tf.period,
				            ss.names[m.targets[i]]);
		if (o.linear > 0 && m.steps > 1)
			usage_error("--linear=ar goes with --horizon H, not a "
			            "direct --horizon 1-%zu", m.steps);
		if (o.linear < 0)
			o.linear = m.steps == 1 && !ss.frame.labelled;
		m.normalize = o.normalize;
		if (m.normalize && m.steps > 1)
			usage_error("--normalize=window goes with --horizon H, "
			            "not a direct --horizon 1-%zu", m.steps);
		for (i = 0; m.normalize && i < ntargets; i++)
			if (m.targets[i] >= ss.nin)
				usage_error("--normalize=window predicts each "
				            "target relative to its last input "
				            "value, so every target must be an "
				            "input ('%s' is not)",
				            ss.names[m.targets[i]]);
chosen:
		;
	}
	if (o.val_auto)         /* --import */
		o.val = series_auto_val(&ss, m.window, m.horizon, m.tf.lag,
		                        whyv, sizeof whyv);
	if (o.dropout && m.net.cfg.nlayers < 2)
		usage_error("--dropout %g acts between stacked layers: it needs "
		            "--layers 2 or more", o.dropout);
	if (!o.init)
		ws_unset(&m.info, "epochs");
	m.conf_scale = o.interval_scale;
	m.conf_widen = o.interval_widen;
	/* a blend only where a recursive forecast is (conformal.h) */
	m.fc_mode = !o.seq && m.steps == 1 && m.horizon == 1 &&
	            rnnm_autoregressive(&m) && m.net.cfg.loss != RNN_LOSS_CE ?
	            o.blend : RNNM_BLEND_NONE;
	m.fc_fixed = o.blend_w;
	if (!m.fc_period)       /* a starting model's, else the season */
		m.fc_period = au.season ? au.season : m.tf.period;
	conformal_fit(&m, &ss, NULL, 0);        /* a start's are stale */
	W = m.window;
	if (o.bptt && (size_t)o.bptt > W && !o.seq)
		usage_error("--bptt %lld is longer than the %zu steps the net "
		            "takes a window%s", o.bptt, W, m.tf.lag ?
		            " (the window's first rows are the transform's "
		            "history)" : "");
	for (i = 0; o.seq && i < ss.n; i++)
		if (ss.s[i].rows <= m.horizon)
			die_at(ss.s[i].name, 0, 0, "series has %zu row%s, too "
			       "short for a step with --horizon %zu (needs %zu)",
			       ss.s[i].rows, plural(ss.s[i].rows), m.horizon,
			       m.horizon + 1);
	/* a sequence model's steps are the windows of one row */
	series_windows(&ss, W, m.horizon, m.steps, m.tf.lag, o.val, &train,
	               &ntrain, &val, &nval, &fit_rows);
	/* after the errors about the data, before training */
	if (*au.why_period && !o.cli.quiet)
		fprintf(stderr, "period: %s\n", au.why_period);
	if (*au.why_window && !o.cli.quiet && !au.window)
		fprintf(stderr, "window: %zu rows (%s)\n", rnnm_window_rows(&m),
		        au.why_window);
	else if (*au.why_window && !o.cli.quiet)
		fprintf(stderr, "window: %s\n", au.why_window);
	if (*au.why_transform && !o.cli.quiet)
		fprintf(stderr, "transform: %s\n", au.why_transform);
	if (o.patience < 0)
		o.patience = o.val ? RK_AUTO_PATIENCE : 0;
	if (o.refit && o.val == 0)
		usage_error("--refit needs validation windows: %s",
		            whyv);
	if (o.lr_decay > 0 && o.val == 0)
		usage_error("--lr-decay needs validation windows%s%s",
		            *whyv ? ": " : " (--val)", whyv);
	if (*whyv && !o.cli.quiet) {
		if (o.val && o.patience)
			fprintf(stderr, "validation: %s; early stop after %lld "
			        "epoch%s without a better loss\n", whyv,
			        o.patience, plural((size_t)o.patience));
		else
			fprintf(stderr, "validation: %s\n", whyv);
	}
	if (!from_model)
		series_fit_scaling(&ss, fit_rows, &m);
	series_apply_scaling(&ss, &m);
	/* the factor the --interval residuals will be widened by: of the
	 * data alone, said with the choices (conformal_fit sets it again) */
	if (!o.seq) {
		conformal_widen(&m, &ss, val, nval);
		report_widen(&o, &m);
	}
	if (!from_model && o.linear) {
		char why[256];

		rnnm_ar_fit(&m, &ss, train, ntrain, why, sizeof why);
		if (!o.cli.quiet)
			fprintf(stderr, "linear: %s\n", why);
	}
	rk_rng_seed(&rng, (uint64_t)o.seed);
	if (!from_model)
		rnn_model_randomize(&m.net, &rng);
	if (o.refit) {
		/* where the refit starts again */
		init = emalloc(emul(m.net.nparam, sizeof *init));
		memcpy(init, m.net.param, m.net.nparam * sizeof *init);
	}
	if (rk_optim_init(&opt, o.optim, m.net.nparam, o.lr) < 0)
		die(EX_SOFTWARE, "out of memory for the optimizer");
	if (o.optim == RK_SGD)
		opt.momentum = o.momentum;
	opt.weight_decay = o.weight_decay;
	if (o.init && m.optim_t && !rnnm_restore_optim(&m, &opt) &&
	    !o.cli.quiet)
		warnf("warning: '%s' holds %s state; %s starts afresh", o.init,
		      rk_optim_name(m.optim_kind), rk_optim_name(o.optim));

	for (i = 0, len = 0; i < ss.n; i++)
		source_add(src, sizeof src, &len, ss.s[i].name);
	set_info(&m, &o, src);
	frame_missing_to_model(&o.cli.series, &m);
	/* the header as training will write it: readable? */
	if (rnnm_check_header(&m, o.ensemble > 1 ? (size_t)o.ensemble : 1,
	                      dest, sizeof dest) < 0)
		die(EX_DATAERR, "this model would be too large to read back: "
		    "%s (rnnkit-weights(5), LIMITS)", dest);

	/* and made before the first epoch: the model's temporary file, the
	 * log (followed with tail -f) */
	memset(&out, 0, sizeof out);
	rk_out_open(&out, o.cli.output, 1, o.cli.force);
	if (o.log)
		rk_out_open_log(&logf, o.log);

	fit_options(&fo, &o, o.log ? &logf : NULL);
	if (o.ensemble > 1) {
		rc = train_ensemble(&o, &m, &ss, train, ntrain, val, nval, &fo,
		                    &out);
		goto done;
	}
	fit_share_start(&m, &opt, &fo, &ntrain, &nval);
	fit(&m, &opt, &ss, train, ntrain, val, nval, &fo, &fr);
	/* the log holds the validation run only */
	if (o.log)
		rk_out_close(&logf);
	if (o.refit)
		refitted = refit(&o, &m, &opt, init, &ss, val, nval, &fo, &fr,
		                 &rr);

	if (refitted && rr.end == FIT_SIGNAL && rr.signal != SIGINT) {
		rk_out_abort(&out);
		fprintf(stderr, "%s: interrupted in the refit; no model "
		        "written%s\n", argv0, o.checkpoint ? " (the checkpoint "
		        "holds the validation run)" : "");
		rc = 128 + rr.signal;
	} else if (refitted && rr.end == FIT_SIGNAL) {
		/* fit_refit() gave back the validation run's model */
		rnnm_write(&m, &out);
		rk_out_close(&out);
		fprintf(stderr, "%s: interrupted in the refit; the validation "
		        "run's model (epoch %lld of %lld) written to %s\n",
		        argv0, fr.best_epoch, fr.epochs,
		        model_dest(&o, dest, sizeof dest));
		rc = 128 + rr.signal;
	} else if (!(rc = no_model(&o, &out, &fr))) {
		if (!refitted) {
			/* the kept weights' residuals, for rnn-predict
			 * --interval (a refit keeps the validation run's);
			 * none for a sequence model */
			if (!o.seq)
				conformal_fit(&m, &ss, val, nval);
			report_blend(&o, &m, &fr);
			report_kept(&o, &fr, 0);
		}
		settle_blend(&m);
		rnnm_write(&m, &out);
		rk_out_close(&out);
		rc = written(&o, &fr);
	}

done:
	rk_optim_release(&opt);
	free(init);
	free(train);
	free(val);
	free(fit_rows);
	rnnm_release(&m);
	series_release(&ss);
	rk_dist_finalize();
	return rc;
}
