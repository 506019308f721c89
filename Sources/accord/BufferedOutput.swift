import AccordCore
import AccordJSON
import ArgumentParser
import EventStore
import Glibc
import LMDB

/// Batches stdout writes; printing a million lines one `print` at a time is slow.
struct BufferedOutput {
    private var writer = JSONWriter(capacity: 1 << 16)

    mutating func writeLine(_ event: RecordedEvent) {
        event.writeJSON(into: &writer)
        writer.bytes.append(0x0A)
        if writer.bytes.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        writer.bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        writer.bytes.removeAll(keepingCapacity: true)
    }
}
