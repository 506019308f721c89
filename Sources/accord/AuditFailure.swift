import AccordClient
import AccordCore
import AccordJSON
import Checkpoints
import Merkle

struct AuditFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
