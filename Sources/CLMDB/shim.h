#ifndef ACCORD_CLMDB_SHIM_H
#define ACCORD_CLMDB_SHIM_H
// The system liblmdb (Debian: liblmdb-dev). Accord's Swift code reaches it
// only through the LMDB module.
#include <lmdb.h>
#endif
