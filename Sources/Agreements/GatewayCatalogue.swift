import AccordCore
import AccordJSON

/// The legal gateways a legal review may cite, loaded once at start.
///
/// Published as `protocol/gateways.json`, which a test keeps equal to `standard`.
///
/// Validation consults it only when an event is appended; replays and
/// rebuilds never do, so changing the catalogue never changes history.
public struct GatewayCatalogue: Sendable, Equatable {
    public let version: Int
    public let reviewed: CalendarDate
    public let gateways: [Gateway]
    private let byId: [String: Gateway]

    /// Parses a catalogue document: `{"version": N, "reviewed": "YYYY-MM-DD", "gateways": [...]}`.
    public init(json: [UInt8]) throws(AgreementError) {
        struct Document: Decodable {
            var version: Int
            var reviewed: CalendarDate
            var gateways: [Gateway]
        }
        let document: Document
        do {
            document = try JSONValueDecoder().decode(Document.self, from: json)
        } catch let error as DecodingError {
            throw .validationFailed("gateway catalogue: \(error.explanation)")
        } catch {
            throw .validationFailed("gateway catalogue: \(error)")
        }
        var byId: [String: Gateway] = [:]
        for gateway in document.gateways {
            guard byId.updateValue(gateway, forKey: gateway.id) == nil else {
                throw .validationFailed("gateway catalogue lists \(gateway.id) twice")
            }
        }
        version = document.version
        reviewed = document.reviewed
        gateways = document.gateways
        self.byId = byId
    }

    /// The catalogue shipped with Accord (`StandardGateways.swift`).
    public static let standard: GatewayCatalogue = {
        do {
            return try GatewayCatalogue(json: Array(standardGatewaysJSON.utf8))
        } catch {
            fatalError("the shipped gateway catalogue is invalid: \(error)")
        }
    }()

    public subscript(id: String) -> Gateway? { byId[id] }
}
