import AccordJSON

extension AgreementEvent {
    /// Decodes a stored event from its canonical data. Members its type does
    /// not define (stored before they were refused) are passed over, and
    /// dates are read as written: history is read as it was recorded.
    public init(type: String, canonical data: CanonicalJSON) throws(AgreementError) {
        try self.init(type: type, bytes: data.bytes, strict: false)
    }

    /// Decodes a new event from its canonical data with the rules of
    /// `init(type:data:)`: a member its type does not define is refused.
    public init(validating type: String, canonical data: CanonicalJSON) throws(AgreementError) {
        try self.init(type: type, bytes: data.bytes, strict: true)
    }

    /// The one decoder of every event type: `EventDataReader` over the data's canonical bytes.
    init(type: String, bytes: [UInt8], strict: Bool) throws(AgreementError) {
        guard let index = Self.typeNames.firstIndex(of: type) else {
            throw .validationFailed("unknown event type \(type); an agreement's events are \(Self.typeNames.joined(separator: ", "))")
        }
        let read = bytes.withUnsafeBytes { raw in
            Result { () throws(EventDataReader.Fault) in try Self.read(index, raw, strict: strict) }
        }
        switch read {
        case .success(let event): self = event
        case .failure(let fault): throw .validationFailed("\(type): \(fault.explanation)", field: fault.path)
        }
    }

    /// The event of `typeNames[index]`, read from its data.
    private static func read(_ index: Int, _ bytes: UnsafeRawBufferPointer, strict: Bool) throws(EventDataReader.Fault) -> AgreementEvent {
        func data(_ keys: [[UInt8]]) throws(EventDataReader.Fault) -> EventDataReader {
            try EventDataReader(bytes, keys: keys, strict: strict)
        }
        switch index {
        case 0: return .proposed(try AgreementProposed(data(AgreementProposed.keys)))
        case 1: return .legalReviewCompleted(try LegalReviewCompleted(data(LegalReviewCompleted.keys)))
        case 2: return .approved(try AgreementApproved(data(AgreementApproved.keys)))
        case 3: return .rejected(try AgreementRejected(data(AgreementRejected.keys)))
        case 4: return .withdrawn(try ApplicationWithdrawn(data(ApplicationWithdrawn.keys)))
        case 5: return .renewed(try AgreementRenewed(data(AgreementRenewed.keys)))
        case 6: return .amended(try AgreementAmended(data(AgreementAmended.keys)))
        case 7: return .suspended(try AgreementSuspended(data(AgreementSuspended.keys)))
        case 8: return .reinstated(try AgreementReinstated(data(AgreementReinstated.keys)))
        case 9: return .revoked(try AgreementRevoked(data(AgreementRevoked.keys)))
        default: return .lawEnforcementAccess(try LawEnforcementAccessRecorded(data(LawEnforcementAccessRecorded.keys)))
        }
    }
}
