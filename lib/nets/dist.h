/* dist.h - data-parallel training over the processes of an MPI job.
 *
 * Built with MPI (make MPI=1: mpicc, -DRK_MPI) this module is the one
 * place that calls MPI; built without, it is a stub of one process and
 * the program holds no MPI symbol.
 *
 * Contract:
 *   rk_dist_init() starts MPI when the program was started by an MPI
 *   launcher (rk_mpi_size() > 1, util.h), else does nothing; afterwards
 *   rk_dist_rank() is this process's rank r in 0..N-1 and rk_dist_size()
 *   is N (1 without MPI, or not under a launcher).  Every rank runs the
 *   same program on the same arguments; rank 0 alone reads the data
 *   (fit.h, "MPI ranks").
 *   rk_dist_bcast(buf, bytes, root) copies bytes from root's buf into
 *   every other rank's buf (MPI_Bcast): bit for bit, so every rank holds
 *   the same values.  Collective: every rank calls it with the same bytes
 *   and root, in the same order.  0, or -1 (never with N == 1).
 *   The block calls below move blocks of whole units of `unit` bytes
 *   (a window's inputs, a shard's gradient) within one buffer per rank:
 *   rank r's block is count[r] units starting first[r] units into
 *   the buffer where it is laid out whole (count and first: N values,
 *   the same on every rank).  Bytes are copied, never combined, so the
 *   result is the same bits whatever MPI's algorithm.  Collective, as
 *   rk_dist_bcast; 0, or -1.
 *   rk_dist_scatterv(buf, unit, count, first, root): root's buf holds
 *   every block at its place; rank r != root gets its block at the start
 *   of its buf (count[r] units there); root's own block stays in place.
 *   rk_dist_gatherv(buf, unit, count, first, root): the reverse: rank r
 *   != root gives the count[r] units at the start of its buf, root gets
 *   them at first[r]; root's own block is in place already.
 *   rk_dist_allgatherv(buf, unit, count, first): every rank's buf holds
 *   its own block at its place; afterwards every rank's buf holds all
 *   the blocks, each at its place.
 *   After rk_dist_init with N > 1, a fatal error (die(), util.h) on any
 *   rank ends the whole job with that rank's exit status (MPI_Abort),
 *   after the message and the removal of temporary files.
 *   rk_dist_finalize() ends MPI (before returning from main); a no-op
 *   when N == 1.
 * How training uses it: fit.h, "MPI ranks", and rnn.h, "Ranks".
 */
#ifndef RNNKIT_DIST_H
#define RNNKIT_DIST_H

#include <stddef.h>

/* 1 in a build with MPI, else 0 */
int rk_dist_enabled(void);
void rk_dist_init(int *argc, char ***argv);
int rk_dist_rank(void);
int rk_dist_size(void);
int rk_dist_bcast(void *buf, size_t bytes, int root);
int rk_dist_scatterv(void *buf, size_t unit, const int *count,
                     const int *first, int root);
int rk_dist_gatherv(void *buf, size_t unit, const int *count,
                    const int *first, int root);
int rk_dist_allgatherv(void *buf, size_t unit, const int *count,
                       const int *first);
void rk_dist_finalize(void);

#endif
