/* real.h - the floating point type of the rnnkit numeric core.
 *
 * rk_real is float, or double when RK_REAL_DOUBLE is defined.  The library
 * is compiled twice: librnnkit.a (float) and librnnkit-f64.a
 * (-DRK_REAL_DOUBLE, used by the gradient checker).  Never mix objects of
 * the two builds in one program.
 */
#ifndef RK_REAL_H
#define RK_REAL_H

#ifdef RK_REAL_DOUBLE
typedef double rk_real;
#define RK_REAL_NAME "double"
#define RK_REAL_EPS 2.220446049250313e-16
#else
typedef float rk_real;
#define RK_REAL_NAME "float"
#define RK_REAL_EPS 1.1920928955078125e-07
#endif

#endif
