import AccordJSON
import Checkpoints
import CommandSupport
import Foundation
import Server

extension Serve {
    /// `accord serve --check-config`: everything `serve` would check before
    /// listening, without creating, locking or changing anything.
    static func check(data: String, keyPath: String, origin: String?, tokens: TokenStore, settings: [String: JSONValue]) throws {
        var report = settings
        if FileManager.default.fileExists(atPath: keyPath) {
            let key = try SigningKeyFile.load(at: keyPath)
            if let origin, origin != key.name {
                throw CommandError("the signing key \(keyPath) is for origin \(key.name), not \(origin)")
            }
            report["origin"] = .string(key.name)
            report["verifierKey"] = .string(key.verifier.text)
        } else {
            report["origin"] = .string(origin ?? SigningKeyLocation.defaultOrigin)
            report["verifierKey"] = "created on first start"
        }
        report["tokenCount"] = .integer(Int64(tokens.entries.count))
        report["authRequired"] = .bool(!tokens.isEmpty)
        if FileManager.default.fileExists(atPath: data + "/data.mdb") {
            let store = try DataDirectoryOptions.openReadOnly(data)
            defer { store.close() }
            try SigningKeyLocation.checkContinuity(at: keyPath, store: store, data: data)
            report["head"] = .integer(Int64(store.head))
        } else {
            report["head"] = "a new data directory will be created"
        }
        print(JSONValue.object(JSONObject(report)).canonicalString)
        print("configuration OK")
    }
}
