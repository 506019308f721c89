import AccordCore
import CommandSupport
import EventStore
import Foundation
import NIOCore

enum PeerReply {
    /// A reply to a request (or the greeting).
    case answer
    /// A server keep-alive to answer with these bytes.
    case ping([UInt8])
    /// Something to skip (a notice, a parameter report).
    case ignore
}
