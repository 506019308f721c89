import AccordCore
import AccordJSON
import Agreements
import EventStore
import Foundation
import Registry
import Transparency
import WireProtocol

/// An answer's bytes and the law-enforcement records they disclose, which
/// must be audited (`ReadAudit`) before the bytes are sent.
struct Answer: Sendable {
    var bytes: [UInt8]
    var disclosed: [ReadAudit.Record]

    init(_ bytes: [UInt8], disclosing disclosed: [ReadAudit.Record] = []) {
        self.bytes = bytes
        self.disclosed = disclosed
    }
}
