/* csvread.h - numeric CSV through libcsv, row by row or as a whole table.
 *
 * Accepted: any one-byte delimiter (',' default), CRLF line ends, a UTF-8
 * byte-order mark, quoted numbers, blank lines (skipped). A first row with
 * any non-numeric field is a header unless forced with header = 0 / 1; one
 * of which half the fields or more read as data is a header all the same,
 * with a warning on stderr (unless quiet) naming the first field that
 * does not: a typo in a first data row must not pass unseen.
 * Rejected, with "FILE:LINE:COLUMN: ..." and exit 65: ragged rows, empty or
 * non-numeric cells, NaN or Inf, a cell over RK_CSV_MAXCELL bytes. COLUMN
 * is the 1-based field number; a cell quoted in a message is cut and
 * escaped (rk_quote).
 *
 * Series mode (csv_opts.series) is for time series, read as text rows with
 * csvr_next_row: a blank line between data rows is a row of its own (nf 0,
 * every value missing); blank lines before the first data row and after
 * the last are skipped. Missing values (rk_is_missing) and times
 * (timecol.h) count as data, not as signs of a header, and so do the
 * labels of csv_opts.labels (a classifier's, given by rnn-predict: a
 * headerless chunk of its rows is data).
 */
#ifndef RNNKIT_CSVREAD_H
#define RNNKIT_CSVREAD_H

#include <stddef.h>
#include <csv.h>

#include "input.h"
#include "labels.h"

enum { RK_HEADER_AUTO = -1, RK_HEADER_NO = 0, RK_HEADER_YES = 1 };

struct csv_opts {
	char delim;
	int header;             /* RK_HEADER_* */
	int series;             /* series mode (above) */
	int decimal_comma;      /* numbers may have ',' as decimal mark */
	const struct rk_labels *labels; /* series mode: cells that are data
	                           in the first row (above); NULL: none */
	int quiet;              /* no warning (a first row taken as a
	                           header though half of it reads as data) */
};

/* A row as text: nf fields, NUL-terminated at buf + foff[i]. */
struct csv_row { size_t line, nf; char *buf; size_t *foff; };

/* The longest cell (bytes, quotes removed): a longer one is an error
 * (65) once the reader has that much of it, never a bigger buffer. */
#define RK_CSV_MAXCELL 65536

struct csv_reader {
	struct rk_in *in;
	const char *name;
	struct csv_parser p;
	struct csv_opts opt;
	size_t line;            /* line being parsed, 1-based */
	int started;            /* BOM check done */
	int fed_all;            /* csv_fini done */
	int open_quote;         /* the input ended inside a quoted cell */
	/* the row being built */
	char *buf; size_t blen, bcap;   /* fields, NUL-separated */
	size_t *foff; size_t nf, fcap;
	size_t rowline;
	/* completed rows, FIFO */
	struct csv_row *q;
	size_t qhead, qlen, qcap;
	/* series mode: blank lines held until a data row follows them */
	size_t blanks, blankline;
	struct csv_row held, cur;
	int has_held, has_cur;
	/* header */
	int first_done;
	char *first1;           /* the first row, when it has one field */
	char **header;          /* ncols names, or NULL */
	size_t ncols;           /* 0 until the first row */
	size_t nrows;           /* data rows returned */
	double *vals;           /* the last row's values */
};

void csvr_init(struct csv_reader *r, struct rk_in *in, const struct csv_opts *o);
void csvr_release(struct csv_reader *r);
/* Next data row: returns its number of values (== r->ncols) and sets *vals
 * and *line, or 0 at the end of the data. The first call reads the header,
 * if any. Dies on bad data. */
size_t csvr_next(struct csv_reader *r, const double **vals, size_t *line);
/* Read the header (if any) without consuming data; 0 at empty input. */
int csvr_start(struct csv_reader *r);
/* Next data row as text (series mode: blank lines inside the data come as
 * rows with nf 0), or NULL at the end. Dies on a row whose number of
 * fields differs from the first row's (with the closing-quote hint when
 * a cell of it holds a line end or the input ended inside a quoted
 * cell). Valid until the next call. */
const struct csv_row *csvr_next_row(struct csv_reader *r);
static inline const char *
csv_cell(const struct csv_row *row, size_t i)
{
	return row->buf + row->foff[i];
}
/* Die at row's line and field col (0-based) saying why cell s is not a
 * number (empty, NaN or Inf, a word), with a hint when the file looks
 * like it has another delimiter or a decimal comma. */
_Noreturn void csvr_bad_number(const struct csv_reader *r, size_t line,
                               size_t col, const char *s);
/* A hint for a file read with the wrong delimiter: "... try -d ';'" when
 * rows are one field and the first row or cell holds ';' or a tab (or
 * "looks ','-separated, but -d ... applies to every file read"); "for a
 * decimal comma use --decimal-comma" when cell reads as a number with a
 * decimal comma; "... is a closing quote missing?" when cell holds a line
 * end (a quote left open swallows the lines after it); else "". cell may
 * be NULL. */
const char *csvr_hint_cell(const struct csv_reader *r, const char *cell);
const char *csvr_hint(const struct csv_reader *r);

/* A whole numeric table. */
struct table {
	char *name;             /* file name for messages */
	size_t rows, cols;
	double *v;              /* rows x cols, row-major */
	size_t *line;           /* source line of each row */
	char **header;          /* cols names, or NULL */
};

/* Read all rows; dies on empty input or a header with no data rows. */
void table_read(struct table *t, struct rk_in *in, const struct csv_opts *o);
/* Open path (NULL or "-": stdin), read, close. */
void table_load(struct table *t, const char *path, const struct csv_opts *o);
void table_release(struct table *t);

/* Parse a whole cell as a finite number: 0 ok, -1 not a number,
 * -2 NaN or Inf. Leading and trailing blanks are allowed. Most cells
 * take rk_parse_decimal_fast (util.h), the rest strtod. */
int rk_parse_number(const char *s, double *v);
/* The same; with decimal_comma, "1,5" is 1.5 (and "1.5" is not taken). */
int rk_parse_cell(const char *s, double *v, int decimal_comma);
/* A missing value in a series: an empty cell, NA, NaN, null or ? (any
 * case, blanks around allowed). */
int rk_is_missing(const char *s);

#endif
