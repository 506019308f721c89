import CLMDB

/// Which way a scan walks the keys.
public enum ScanDirection: Sendable {
    case forward
    case backward
}
