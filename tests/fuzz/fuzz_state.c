/* fuzz_state.c - the reader of rnn-predict's state files (predstate.h):
 * ws_read + pstate_from_stream, for a model of window 3, lag 1 and 2
 * input columns (the corpus's, from mkcorpus.sh), or when the input says
 * mode seq, a sequence model of 2 input columns and 2 lstm layers of 2
 * units (the corpus's seq-*). The model check is
 * taken from the input, so that the reader goes past it. RNNKIT_MAX_MEMORY
 * is set low, as for the other stream targets. */
#include "fuzz.h"
#include "input.h"
#include "predstate.h"
#include "wstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rk_in in;
	static struct rk_wstream w;
	static struct pstate s;
	const char *check;

	setenv("RNNKIT_MAX_MEMORY", "16M", 1);
	fuzz_stdin(data, size);
	memset(&in, 0, sizeof in);
	memset(&w, 0, sizeof w);
	memset(&s, 0, sizeof s);
	if (setjmp(fuzz_jmp) == 0) {
		rk_in_open(&in, "-");
		ws_read(&in, &w);
		if ((check = ws_get(&w, "mode")) && !strcmp(check, "seq")) {
			pstate_alloc(&s, 1, 0, 2);
			pstate_alloc_seq(&s, 2, 2, 1);
		} else {
			pstate_alloc(&s, 3, 1, 2);
		}
		if ((check = ws_get(&w, "model")))
			snprintf(s.model, sizeof s.model, "%s", check);
		pstate_from_stream(&s, &w);
	}
	pstate_release(&s);
	ws_release(&w);
	rk_in_close(&in);
	return 0;
}
