/* fuzz_wstream.c - the weight-stream reader and the reader of one kind:
 * built three times, with FUZZ_KIND 0 (hopfield: hop_from_stream), 1 (bam:
 * bam_from_stream) or 2 (rnn: rnnm_from_stream). RNNKIT_MAX_MEMORY is
 * set low, so that an input can make the reader allocate only a little. */
#include "fuzz.h"
#include "bam.h"
#include "hopfield.h"
#include "input.h"
#include "rnnmodel.h"
#include "wstream.h"

#ifndef FUZZ_KIND
#define FUZZ_KIND 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rk_in in;
	static struct rk_wstream w;
	static struct hopfield h;
	static struct bam b;
	static struct rnnm m;

	setenv("RNNKIT_MAX_MEMORY", "16M", 1);
	fuzz_stdin(data, size);
	memset(&in, 0, sizeof in);
	memset(&w, 0, sizeof w);
	memset(&h, 0, sizeof h);
	memset(&b, 0, sizeof b);
	memset(&m, 0, sizeof m);
	if (setjmp(fuzz_jmp) == 0) {
		rk_in_open(&in, "-");
		ws_read(&in, &w);
		switch (FUZZ_KIND) {
		case 0: hop_from_stream(&h, &w); break;
		case 1: bam_from_stream(&b, &w); break;
		default: rnnm_from_stream(&m, &w); break;
		}
	}
	hop_release(&h);
	bam_release(&b);
	rnnm_release(&m);
	ws_release(&w);
	rk_in_close(&in);
	return 0;
}
