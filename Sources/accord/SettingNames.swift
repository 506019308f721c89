import Foundation

/// How a message names a setting of `accord serve`: by its flag when the
/// flag gave it, by the config file and key when the file did, so that an
/// operator knows which of the two to fix.
struct SettingNames {
    /// The config file, when one was given.
    let path: String?
    /// The keys that file sets.
    let keys: Set<String>

    init(path: String?) {
        self.path = path
        guard let path, let bytes = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any]
        else {
            keys = []
            return
        }
        keys = Set(object.keys)
    }

    /// `--scrub-rate` for a flag, `FILE: scrubRate` for the file's key.
    func name(_ key: String, flagGiven: Bool) -> String {
        if !flagGiven, let path, keys.contains(key) { return "\(path): \(key)" }
        // A capital starts a word when a small letter follows it: maxMapSizeGiB is --max-map-size-gib.
        let characters = Array(key)
        var flag = "-"
        for (index, character) in characters.enumerated() {
            let startsWord = character.isUppercase && index + 1 < characters.count && characters[index + 1].isLowercase
            flag += (startsWord ? "-" : "") + character.lowercased()
        }
        return "-" + flag
    }
}
