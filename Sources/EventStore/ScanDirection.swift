import LMDB

/// Which way a read walks: re-exported so callers need not import LMDB.
public typealias ScanDirection = LMDB.ScanDirection
