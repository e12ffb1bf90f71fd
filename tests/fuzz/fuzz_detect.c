/* fuzz_detect.c - input detection: plain or gzip (several members), the
 * refused compressors, read to the end; then the weight-stream magic. */
#include "fuzz.h"
#include "input.h"
#include "wstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rk_in in;
	static unsigned char buf[4096];
	size_t n, avail;

	fuzz_stdin(data, size);
	memset(&in, 0, sizeof in);
	if (setjmp(fuzz_jmp) == 0) {
		rk_in_open(&in, "-");
		(void)ws_sniff(&in);
		(void)rk_in_peek(&in, 3, &avail);
		while ((n = rk_in_read(&in, buf, size % sizeof buf + 1)))
			;
	}
	rk_in_close(&in);
	return 0;
}
