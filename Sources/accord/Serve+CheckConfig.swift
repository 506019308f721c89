import AccordJSON
import Checkpoints
import CommandSupport
import Foundation
import Replication
import Server

extension Serve {
    /// `accord serve --check-config`: everything `serve` would check before
    /// listening, without creating, locking or changing anything.
    static func check(
        data: String, keyPath: String, origin: String?, follow: String?, followKey: String?, tokens: TokenStore,
        settings: [String: JSONValue]
    ) throws {
        var report = settings
        let marker = try ReplicaMarker.load(from: data)
        if let follow {
            // A replica signs nothing: its key, if any, is for after a promotion.
            report["replicaOf"] = .string(follow)
            let pinned = try followKey.map { try SigningKeyLocation.verifiers([$0], data: nil)[0].text } ?? marker?.key
            report["primaryKey"] = pinned.map { .string($0) } ?? "trusted on first contact, then pinned"
        } else if let marker {
            throw FollowOptions.servedWithoutFollow(data: data, marker: marker)
        } else if FileManager.default.fileExists(atPath: keyPath) {
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
            if follow == nil {
                try SigningKeyLocation.checkContinuity(at: keyPath, store: store, data: data)
            } else if marker == nil, store.head > 0 {
                throw FollowOptions.primaryLog(data: data, head: store.head)
            }
            report["head"] = .integer(Int64(store.head))
        } else {
            report["head"] = "a new data directory will be created"
        }
        print(JSONValue.object(JSONObject(report)).canonicalString)
        print("configuration OK")
    }
}
