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
 *   same program on the same arguments and data.
 *   rk_dist_bcast(buf, bytes, root) copies bytes from root's buf into
 *   every other rank's buf (MPI_Bcast): bit for bit, so every rank holds
 *   the same values.  Collective: every rank calls it with the same bytes
 *   and root, in the same order.  0, or -1 (never with N == 1).
 *   After rk_dist_init with N > 1, a fatal error (die(), util.h) on any
 *   rank ends the whole job with that rank's exit status (MPI_Abort),
 *   after the message and the removal of temporary files.
 *   rk_dist_finalize() ends MPI (before returning from main); a no-op
 *   when N == 1.
 * How training uses it: rnn_work_set_ranks (rnn.h, "Ranks").
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
void rk_dist_finalize(void);

#endif
