#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

// zlib's `deflateInit` and `inflateInit` are macros that pass the library version and
// `sizeof(z_stream)` so zlib can check that header and library agree; Swift cannot import
// function-like macros, so each is wrapped here.

/// Wrapper around the `deflateInit` macro (zlib format, RFC 1950).
static inline int czlib_deflateInit(z_streamp strm, int level) {
    return deflateInit(strm, level);
}

/// Wrapper around the `inflateInit` macro (zlib format, RFC 1950).
static inline int czlib_inflateInit(z_streamp strm) {
    return inflateInit(strm);
}

#endif
