import AccordJSON
import Crypto
import Foundation

public struct TokenError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
