/* sim/version.h — the release of streamlab. */
#ifndef SIM_VERSION_H
#define SIM_VERSION_H
#define STREAMLAB_VERSION "0.1.0"
#endif
