#ifndef ACCORD_CLMDB_SHIM_H
#define ACCORD_CLMDB_SHIM_H
// The system liblmdb (Debian: liblmdb-dev). Accord's Swift code reaches it
// only through the LMDB module.
#include <lmdb.h>

#ifdef __linux__
#include <sys/types.h>
// glibc declares sync_file_range only under _GNU_SOURCE, which must not be
// defined here: this module's system headers would then differ from Swift's
// Glibc module's. The prototype is glibc's.
int sync_file_range(int fd, __off64_t offset, __off64_t nbytes, unsigned int flags);

// Starts writeback of a file's dirty pages without waiting for it
// (SYNC_FILE_RANGE_WRITE is 2).
static inline int accord_start_writeback(int fd) {
    return sync_file_range(fd, 0, 0, 2);
}
#else
static inline int accord_start_writeback(int fd) { (void)fd; return 0; }
#endif
#endif
