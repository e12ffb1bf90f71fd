/* predstream.c - rnn-predict's rows read one by one: --stream and --state
 * (predstream.h). */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "frame.h"
#include "input.h"
#include "predstate.h"
#include "predstream.h"
#include "series.h"
#include "transform.h"
#include "util.h"

void
rnnm_too_short(const struct rnnm *m, const char *name, size_t rows)
{
	die_at(name, 0, 0, "series has %zu row%s, shorter than the model's "
	       "window of %zu", rows, plural(rows), rnnm_window_rows(m));
}

static void
flush_out(void *o)
{
	rk_out_flush(o);
}

/* The state of --stream and --state: the last W rows the net has seen,
 * the levels (transform.h) of the last d + 1 rows used and the counts, in
 * st (predstate.h), with the fill of missing values and the last time. */
struct ring {
	const struct rnnm *m;
	const struct pstream_print *pr;
	const char *name;
	struct frame f;
	struct frame_online fill;
	struct rnnm_work *work;
	rk_real *x, y[1024];
	/* a sequence model: the net's state, one stream (also in st.h, st.c,
	 * exactly, after every row) */
	struct rnn_state ns;
	double *z;              /* W x nc: the ring in order */
	double base[1024];
	struct pstate st;
	/* --state without --stream: the rows, filled, predicted once every
	 * row is read (cn of them: values, time if chas, line) */
	int collect;
	double *cv;
	struct rk_time *ct;
	unsigned char *chas;
	size_t *cline, cn, ccap;
	/* --state: the file; with --stream, saved: st as of the last whole
	 * input row (what a bad row keeps), started: rows are being read (the
	 * frame is set up, the header out): a stop before that saves nothing */
	const char *state;
	struct pstate saved;
	int started;
	struct rk_out *o;
};

/* The fill of missing values to and from the state (NaN: none known). */
static void
fill_to_state(struct ring *s)
{
	size_t k;

	for (k = 0; k < s->st.ncols; k++)
		s->st.fill[k] = s->fill.have[k] ? s->fill.last[k] : NAN;
}

static void
fill_from_state(struct ring *s)
{
	size_t k;

	for (k = 0; k < s->st.ncols; k++)
		if (!isnan(s->st.fill[k])) {
			s->fill.last[k] = s->st.fill[k];
			s->fill.have[k] = 1;
		}
}

/* A sequence model: one step of the net over the scaled row z (nin), the
 * outputs into s->y, the state into s->st (rnn.h, rnn_state_step). */
static void
seq_step(struct ring *s, const double *z)
{
	const struct rnnm *m = s->m;
	size_t k, n = s->st.nlayers * s->st.nhid;

	for (k = 0; k < (size_t)m->net.cfg.nin; k++)
		s->x[k] = (rk_real)z[k];
	rnn_state_step(&m->net, &s->ns, s->x);
	rnn_state_output(&m->net, &s->ns, s->y);
	for (k = 0; k < n; k++)
		s->st.h[k] = (double)s->ns.h[k];
	for (k = 0; s->st.c && k < n; k++)
		s->st.c[k] = (double)s->ns.c[k];
}

/* The net's state from s->st (a state file's, or zero). */
static void
seq_state_in(struct ring *s)
{
	size_t k, n = s->st.nlayers * s->st.nhid;

	for (k = 0; k < n; k++)
		s->ns.h[k] = (rk_real)s->st.h[k];
	for (k = 0; s->st.c && k < n; k++)
		s->ns.c[k] = (rk_real)s->st.c[k];
}

/* A filled row of values v at time t (NULL: none) into the ring: 1 when
 * it completes a window to predict from (the row H steps after it, at
 * time *pt, or pt NULL), 0 when not (the transform's history, a ring
 * not yet full) or when a sequence model has already predicted from it
 * (a step of its net over the row). */
static int
ring_step(struct ring *s, const double *v, const struct rk_time *t,
          size_t line, struct rk_time **pt, struct rk_time *ptbuf)
{
	const struct rnnm *m = s->m;
	size_t W = m->window, nc = (size_t)m->net.cfg.nin, k;
	size_t d = m->tf.lag;
	double *z = s->st.ring + (s->st.seen % W) * nc;
	double *u = s->st.lev + d * nc;

	memmove(s->st.lev, s->st.lev + nc, d * nc * sizeof *s->st.lev);
	for (k = 0; k < nc; k++)
		if (rk_tf_level(&m->tf, v[k], &u[k]) < 0)
			rk_tf_level_die(&m->tf, s->name, line,
			                s->f.field[k] + 1, s->f.name[k], v[k]);
	if (++s->st.used <= d)
		return 0;       /* history for the transform */
	for (k = 0; k < nc; k++)
		z[k] = rnnm_scale(m, k, rk_tf_apply(&m->tf, u + k, nc));
	s->st.seen++;
	*pt = t && tax_after(&s->f.time, ptbuf, t, (long long)m->horizon) ==
	      0 ? ptbuf : NULL;
	if (m->mode == RNNM_SEQ) {
		seq_step(s, z);
		s->pr->pred(s->pr->ctx, &s->f.time, *pt, s->y, NULL, NULL, nc,
		            NULL);
		return 0;
	}
	return s->st.seen >= W;
}

/* The ring's W rows, oldest first, into z (W x nc). */
static void
ring_window(const struct ring *s, double *z)
{
	size_t W = s->m->window, nc = (size_t)s->m->net.cfg.nin, j;

	for (j = 0; j < W; j++)
		memcpy(z + j * nc, s->st.ring + ((s->st.seen + j) % W) * nc,
		       nc * sizeof *z);
}

/* A row into the ring, and the prediction it completes, at once. */
static void
ring_add(struct ring *s, const double *v, const struct rk_time *t,
         size_t line)
{
	const struct rnnm *m = s->m;
	size_t W = m->window, nc = (size_t)m->net.cfg.nin, k, d = m->tf.lag;
	struct rk_time ptbuf, *pt;

	if (!ring_step(s, v, t, line, &pt, &ptbuf))
		return;
	ring_window(s, s->z);
	rnnm_window_x(m, s->x, s->z, nc);
	rnnm_forward(m, s->work, s->y, s->x, 1, (int)W);
	for (k = 0; k < m->ntargets; k++)
		s->base[k] = rnnm_window_base(m, s->z, nc, k);
	s->pr->pred(s->pr->ctx, &s->f.time, pt, s->y, s->base,
	            d ? s->st.lev + d * nc : NULL, nc, s->z);
}

/* --state without --stream: the rows kept (collect_row) into the ring,
 * the windows they complete predicted PBATCH at a time, as rnn-predict
 * without --state does (the same bits: rnnm_forward's windows are
 * independent); the predictions in order. */
enum { PBATCH = 64 };

static void
ring_add_kept(struct ring *s)
{
	const struct rnnm *m = s->m;
	size_t W = m->window, nc = (size_t)m->net.cfg.nin, d = m->tf.lag;
	size_t nout = (size_t)m->net.cfg.nout, nt = m->ntargets;
	size_t i, b, k, nb = 0;
	struct rnnm_work *work;
	double *zb, *lb, *base;
	rk_real *xb, *yb;
	struct rk_time *tb, ptbuf, *pt;
	unsigned char *hb;

	if (m->mode == RNNM_SEQ) {
		for (i = 0; i < s->cn; i++)
			ring_add(s, s->cv + i * nc, s->chas[i] ? &s->ct[i] :
			         NULL, s->cline[i]);
		return;
	}
	work = rnnm_work_new(m, PBATCH, (int)W, 1);
	if (!work)
		die(EX_SOFTWARE, "out of memory");
	zb = emalloc(emul(PBATCH, emul(W, emul(nc, sizeof *zb))));
	xb = emalloc(emul(PBATCH, emul(W, emul(nc, sizeof *xb))));
	yb = emalloc(emul(PBATCH, emul(nout, sizeof *yb)));
	lb = emalloc(emul(PBATCH, emul(d + 1, emul(nc, sizeof *lb))));
	base = emalloc(emul(nt, sizeof *base));
	tb = emalloc(emul(PBATCH, sizeof *tb));
	hb = emalloc(PBATCH);
	for (i = 0; i <= s->cn; i++) {
		if (i < s->cn && ring_step(s, s->cv + i * nc, s->chas[i] ?
		                           &s->ct[i] : NULL, s->cline[i], &pt,
		                           &ptbuf)) {
			ring_window(s, zb + nb * W * nc);
			memcpy(lb + nb * (d + 1) * nc, s->st.lev,
			       (d + 1) * nc * sizeof *lb);
			hb[nb] = pt != NULL;
			if (pt)
				tb[nb] = *pt;
			nb++;
		}
		if (!nb || (nb < PBATCH && i < s->cn))
			continue;
		for (b = 0; b < nb; b++)
			rnnm_window_x(m, xb + b * W * nc, zb + b * W * nc, nc);
		rnnm_forward(m, work, yb, xb, (int)nb, (int)W);
		for (b = 0; b < nb; b++) {
			for (k = 0; k < nt; k++)
				base[k] = rnnm_window_base(m, zb + b * W * nc,
				                           nc, k);
			s->pr->pred(s->pr->ctx, &s->f.time, hb[b] ? &tb[b] :
			            NULL, yb + b * nout, base, d ? lb + (b *
			            (d + 1) + d) * nc : NULL, nc, zb + b * W * nc);
		}
		nb = 0;
	}
	rnnm_work_free(work);
	free(zb);
	free(xb);
	free(yb);
	free(lb);
	free(base);
	free(tb);
	free(hb);
}

/* --state without --stream: keep the filled row, its levels checked. */
static void
collect_row(struct ring *s, const double *v, const struct rk_time *t,
            size_t line)
{
	const struct rnnm *m = s->m;
	size_t nc = (size_t)m->net.cfg.nin, k;
	double u;

	for (k = 0; k < nc; k++)
		if (rk_tf_level(&m->tf, v[k], &u) < 0)
			rk_tf_level_die(&m->tf, s->name, line,
			                s->f.field[k] + 1, s->f.name[k], v[k]);
	if (s->cn == s->ccap) {
		s->ccap = s->ccap ? 2 * s->ccap : 64;
		s->cv = ereallocarray(s->cv, emul(s->ccap, nc), sizeof *s->cv);
		s->ct = ereallocarray(s->ct, s->ccap, sizeof *s->ct);
		s->chas = ereallocarray(s->chas, s->ccap, sizeof *s->chas);
		s->cline = ereallocarray(s->cline, s->ccap, sizeof *s->cline);
	}
	memcpy(s->cv + s->cn * nc, v, nc * sizeof *v);
	s->chas[s->cn] = t != NULL;
	if (t)
		s->ct[s->cn] = *t;
	s->cline[s->cn++] = line;
}

/* One row of values v (NaN: missing) at time t (NULL: none): filled, into
 * the ring and predicted from, or kept for later (collect). */
static void
ring_push(struct ring *s, double *v, const struct rk_time *t, size_t line)
{
	if (!frame_online_fill(&s->fill, &s->f, v, line))
		return;
	if (s->collect)
		collect_row(s, v, t, line);
	else
		ring_add(s, v, t, line);
}

/* --stream --state: the ring whose state a bad row or a signal saves. */
static struct ring *state_ring;
static volatile sig_atomic_t stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

/* A bad row (die): the predictions before it and the state as of the row
 * before it, so that a restarted stream carries on from there. With -o
 * FILE the dying run removes its unfinished file, so nothing of this run
 * is kept: neither is the state moved on. */
static void
save_before_die(void)
{
	struct ring *s = state_ring;
	int err = errno;

	state_ring = NULL;
	if (!s->o->path) {
		rk_out_flush(s->o);
		pstate_save(&s->saved, s->state);
	}
	errno = err;
}

/* Before a read that may block, and after one a signal interrupted: the
 * output pushed out; after SIGTERM, SIGINT or SIGHUP, every row read is
 * predicted from, so the state is saved, and the signal ends the run. */
static void
stream_pause(void *ctx)
{
	struct ring *s = ctx;
	int sig = stop_sig;

	rk_out_flush(s->o);
	if (!sig)
		return;
	rk_flush_hook = NULL;
	state_ring = NULL;
	rk_out_close(s->o);     /* the output in place before the state says so */
	if (s->started) {
		fill_to_state(s);
		pstate_save(&s->st, s->state);
	}
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* --stream --state: stop at the next pause on these signals (ignored ones
 * stay ignored). */
static void
catch_stop(void)
{
	int sigs[] = { SIGINT, SIGTERM, SIGHUP }, k;
	struct sigaction sa, old;

	for (k = 0; k < 3; k++) {
		sigaction(sigs[k], NULL, &old);
		if (old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop;        /* no SA_RESTART: read stops */
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[k], &sa, NULL);
	}
}

/* The fields the frame reads (predstate.h) into the state. */
static void
fields_to_state(struct ring *s)
{
	const struct frame *f = &s->f;
	size_t k, nc = s->st.ncols;

	s->st.nfields = f->nfields;
	for (k = 0; k < nc; k++)
		s->st.field[k] = f->field[k];
	for (k = 0; k < 2; k++)
		s->st.field[nc + k] = k < f->time.nf ? f->time.field[k] :
		                      SIZE_MAX;
}

/* A state loaded: its fill, its last time and the form of the first go
 * on; an input whose time column comes and goes between runs, or one
 * without a header whose fields are not those of the state's rows, is
 * refused. */
static void
state_resume(struct ring *s, const char *name, int header)
{
	struct time_axis *a = &s->f.time;
	size_t k, nc = s->st.ncols;
	size_t fld;

	fill_from_state(s);
	if (s->st.have_time && !a->nf)
		die_at(name, 0, 0, "no time column, but the state's rows had "
		       "times (--time)");
	if (!s->st.have_time && a->nf && s->st.rows)
		die_at(name, 0, 0, "a time column, but the state's rows had "
		       "none (--time)");
	for (k = 0; k < nc + 2 && s->st.nfields && !header; k++) {
		fld = k < nc ? s->f.field[k] : k - nc < a->nf ?
		      a->field[k - nc] : SIZE_MAX;
		if (fld != s->st.field[k] || s->f.nfields != s->st.nfields)
			die_at(name, 0, 0, "no header, and the model's field "
			       "positions are not the fields the state's rows "
			       "were read from: give each run the header line");
	}
	if (s->st.have_time) {
		a->fmt = s->st.tfmt;
		a->have_last = 1;
		a->last = s->st.last;
		a->last_line = 0;
	}
}

void
pstream_run(const struct rnnm *m, const char *input, const struct cli *cli,
            struct rk_out *o, const struct pstream_print *pr,
            const char *state, int live)
{
	struct rk_in in;
	struct csv_reader r;
	struct csv_opts co;
	struct ring s;
	struct frame *f = &s.f;
	const struct csv_row *row;
	size_t W = m->window, nc = (size_t)m->net.cfg.nin, k;
	double *v = emalloc(emul(nc, sizeof *v));
	double *gv = emalloc(emul(nc, sizeof *gv));     /* a gap's row */
	struct rk_time t, gt;
	long long g, gap;
	int old = 0;    /* the state file was there */

	memset(&s, 0, sizeof s);
	s.m = m;
	s.pr = pr;
	s.state = state;
	s.o = o;
	s.collect = state && !live;
	s.work = rnnm_work_new(m, 1, (int)W, 1);
	s.z = emalloc(emul(W, emul(nc, sizeof *s.z)));
	s.x = emalloc(emul(W, emul(nc, sizeof *s.x)));
	if (!s.work)
		die(EX_SOFTWARE, "out of memory");
	if (m->net.cfg.nout > 1024)
		die(EX_DATAERR, "too many outputs for --stream");
	pstate_init(&s.st, m);
	if (state)
		old = pstate_load(&s.st, state, m);
	if (m->mode == RNNM_SEQ) {
		if (rnn_state_init(&s.ns, &m->net, 1) < 0)
			die(EX_SOFTWARE, "out of memory");
		seq_state_in(&s);
	}
	frame_csv_opts(&co, &cli->csv);
	rk_in_eopen(&in, input);
	s.name = in.name;
	if (live && state) {
		catch_stop();
		in.before_read = stream_pause;
		in.before_read_ctx = &s;
	} else if (live) {
		in.before_read = flush_out;
		in.before_read_ctx = o;
	}
	/* a bad row ends the run, but what came before it is printed */
	if (live)
		rk_out_flush_on_error(o);
	csvr_init(&r, &in, &co);
	row = NULL;
	if (!csvr_start(&r)) {
		if (!old)
			die_at(in.name, 0, 0, "no data (empty input)");
	} else if (!(row = csvr_next_row(&r)) && !old) {
		die_at(in.name, r.header ? 1 : 0, 0, "header but no data rows");
	}
	if (row) {
		frame_init_model(f, &r, row, m, &cli->series);
		frame_online_init(&s.fill, f);
		if (old)
			state_resume(&s, in.name, r.header != NULL);
		else if (!s.collect)
			pr->header(pr->ctx, &f->time);
		fields_to_state(&s);
	}
	if (row && live && state) {
		pstate_init(&s.saved, m);
		fill_to_state(&s);
		pstate_copy(&s.saved, &s.st);
		s.started = 1;
		state_ring = &s;
		rk_flush_hook = save_before_die;
	}
	for (; row; row = csvr_next_row(&r)) {
		s.st.rows++;
		if (!f->time.nf) {
			frame_values(f, &r, row, v);
			ring_push(&s, v, NULL, row->line);
		} else if (row->nf) {   /* else the times show what is missing */
			tax_read(&f->time, &r, row, &t);
			gap = s.st.have_time ? tax_missing(&f->time, in.name,
			      row->line, &s.st.last, &t, s.st.time_rows) : 0;
			s.st.time_rows++;
			if (gap > 0 && f->missing == RK_MISS_ERROR)
				tax_gap_die(&f->time, in.name, row->line,
				            &s.st.last, &t, gap);
			/* the row's values first: a bad one ends the run
			 * before the gap's predictions are out */
			frame_values(f, &r, row, v);
			for (g = 1; g <= gap; g++) {
				for (k = 0; k < nc; k++)
					gv[k] = NAN;
				tax_after(&f->time, &gt, &s.st.last, g);
				ring_push(&s, gv, &gt, row->line);
			}
			ring_push(&s, v, &t, row->line);
			s.st.last = t;
			s.st.tfmt = f->time.fmt;
			s.st.have_time = 1;
		}
		if (state_ring) {       /* what a bad row keeps */
			fill_to_state(&s);
			pstate_copy(&s.saved, &s.st);
		}
	}
	if (f->file)
		frame_online_end(&s.fill, f, cli->quiet);
	if (!state && s.st.used == 0)
		die_at(in.name, r.header ? 1 : 0, 0, "header but no data rows");
	if (!state && s.st.seen < W)
		rnnm_too_short(m, in.name, s.st.used);
	if (s.collect && f->file) {
		if (!old)
			pr->header(pr->ctx, &f->time);
		ring_add_kept(&s);
	}
	if (state_ring) {
		state_ring = NULL;
		rk_flush_hook = NULL;
	}
	rk_out_flush_on_error(NULL);
	if (state) {
		/* the predictions out, and -o's file in place, before the state
		 * says they are */
		rk_out_close(o);
		if (f->file) {
			fill_to_state(&s);
			pstate_save(&s.st, state);
		}
	}
	if (f->file) {
		frame_online_release(&s.fill);
		frame_release(f);
	}
	csvr_release(&r);
	rk_in_close(&in);
	rnnm_work_free(s.work);
	rnn_state_release(&s.ns);
	pstate_release(&s.st);
	if (s.saved.ring)
		pstate_release(&s.saved);
	free(s.z);
	free(s.x);
	free(s.cv);
	free(s.ct);
	free(s.chas);
	free(s.cline);
	free(v);
	free(gv);
}

