#ifndef CQRENCODE_SHIM_H
#define CQRENCODE_SHIM_H

// libqrencode has no macros or variadics that Swift needs wrapped; the shim exists so the
// module has one header to name, the same shape as the other C targets.
#include <qrencode.h>

#endif
