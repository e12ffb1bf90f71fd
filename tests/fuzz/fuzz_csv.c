/* fuzz_csv.c - the CSV reader, row by row, every cell as a number; the
 * first byte picks the options (delimiter, header, series, decimal
 * comma). */
#include "fuzz.h"
#include "csvread.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rk_in in;
	static struct csv_reader r;
	static const char delims[] = { ',', ';', '\t', '|' };
	struct csv_opts o;
	const struct csv_row *row;
	size_t k;
	double v;

	if (!size)
		return 0;
	memset(&o, 0, sizeof o);
	o.delim = delims[data[0] & 3];
	o.header = (data[0] >> 2 & 3) == 3 ? RK_HEADER_AUTO :
	           (data[0] >> 2 & 3) == 2 ? RK_HEADER_YES :
	           (data[0] >> 2 & 3) == 1 ? RK_HEADER_NO : RK_HEADER_AUTO;
	o.series = data[0] >> 4 & 1;
	o.decimal_comma = data[0] >> 5 & 1;
	fuzz_stdin(data + 1, size - 1);
	memset(&in, 0, sizeof in);
	memset(&r, 0, sizeof r);
	if (setjmp(fuzz_jmp) == 0) {
		rk_in_open(&in, "-");
		csvr_init(&r, &in, &o);
		while ((row = csvr_next_row(&r)))
			for (k = 0; k < row->nf; k++)
				if (rk_parse_cell(csv_cell(row, k), &v,
				                  o.decimal_comma) != 0)
					csvr_bad_number(&r, row->line, k,
					                csv_cell(row, k));
	}
	csvr_release(&r);
	rk_in_close(&in);
	return 0;
}
