/* memory.c - load Hopfield and BAM memories. */
#include <string.h>

#include "memory.h"
#include "util.h"

/* Either a weight stream (its header in ws, 1: in stays open for
 * ws_load), told by its magic, or a CSV table (t filled, 0: in closed). */
static int
load_any(struct rk_in *in, const char *path, const struct csv_opts *o,
         struct rk_wstream *ws, struct table *t)
{
	size_t avail, i;
	const unsigned char *p;

	rk_in_eopen(in, path);
	(void)rk_in_peek(in, 1, &avail);
	if (!avail)
		die(EX_DATAERR, "%s: no memory (empty input)", in->name);
	/* a stream starts with its magic (after gzip, which rk_in undoes);
	 * other text is CSV, whose first row may be a header */
	if (ws_sniff(in)) {
		ws_read(in, ws);
		return 1;
	}
	p = rk_in_peek(in, 64, &avail);
	for (i = 0; i < avail; i++)
		if (p[i] < 0x20 && !strchr("\t\r\n", p[i]))
			die(EX_DATAERR, "%s: not an rnnkit weight stream (bad "
			    "magic), nor a CSV matrix", in->name);
	table_read(t, in, o);
	rk_in_close(in);
	return 0;
}

/* A square CSV matrix -> rule "matrix"; releases t. */
static void
hop_from_table(struct hopfield *h, struct table *t)
{
	if (t->rows != t->cols)
		die_at(t->name, 0, 0, "a weight matrix must be square "
		       "(found %zu row%s of %zu)", t->rows, plural(t->rows),
		       t->cols);
	hop_init(h, t->cols, HOP_MATRIX);
	memcpy(h->W, t->v, t->rows * t->cols * sizeof *h->W);
	table_release(t);
}

void
hop_load(struct hopfield *h, const char *path, const struct csv_opts *o)
{
	struct rk_in in;
	struct rk_wstream ws;
	struct table t;

	if (load_any(&in, path, o, &ws, &t)) {
		hop_from_stream(h, &ws);
		ws_release(&ws);
		rk_in_close(&in);
		return;
	}
	hop_from_table(h, &t);
}

int
assoc_load(struct hopfield *h, struct dense *d, const char *path,
           const struct csv_opts *o)
{
	struct rk_in in;
	struct rk_wstream ws;
	struct table t;
	const char *kind;
	int dense = 0;

	if (load_any(&in, path, o, &ws, &t)) {
		kind = ws_get(&ws, "kind");
		dense = kind && !strcmp(kind, "dense");
		if (dense)
			dense_from_stream(d, &ws);
		else
			hop_from_stream(h, &ws);
		ws_release(&ws);
		rk_in_close(&in);
		return dense;
	}
	hop_from_table(h, &t);
	return 0;
}

void
bam_load(struct bam *b, const char *path, const struct csv_opts *o)
{
	struct rk_in in;
	struct rk_wstream ws;
	struct table t;

	if (load_any(&in, path, o, &ws, &t)) {
		bam_from_stream(b, &ws);
		ws_release(&ws);
		rk_in_close(&in);
		return;
	}
	bam_init(b, t.rows, t.cols);
	b->matrix = 1;
	memcpy(b->W, t.v, t.rows * t.cols * sizeof *b->W);
	table_release(&t);
}
