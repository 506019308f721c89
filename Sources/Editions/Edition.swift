import AccordCore
import AccordJSON
import Checkpoints
import Crypto
import Foundation

/// One published edition: every file generated from the log prefix a signed
/// checkpoint covers, byte-identical each time it is generated from that
/// prefix (fixed order, fixed zip timestamps, no clock but the log's).
///
/// The files: the workbooks (`register.ods`, `register.xlsx`), a CSV per
/// sheet, `changes.csv` when a previous edition is given, the static site
/// (`index.html`, `statistics.html`, `agreements/…`, its script and style),
/// and the manifest `edition.json` naming every other file's SHA-256.
public struct Edition: Sendable {
    /// What the edition is made from besides the fold.
    public struct Source: Sendable {
        /// The signed checkpoint the edition covers; its size is the fold's.
        public var checkpoint: SignedCheckpoint
        /// The key the checkpoint verifies with, as the operator publishes it.
        public var verifierKey: NoteVerifierKey
        /// `accord VERSION`.
        public var generator: String
        /// The edition before, when this one is compared with it.
        public var previous: PreviousEdition?

        public init(checkpoint: SignedCheckpoint, verifierKey: NoteVerifierKey, generator: String, previous: PreviousEdition? = nil) {
            self.checkpoint = checkpoint
            self.verifierKey = verifierKey
            self.generator = generator
            self.previous = previous
        }
    }

    public let source: Source
    /// The date of the last event the checkpoint covers: the register is judged on it.
    public let date: CalendarDate
    /// Cover, the seven sheets, and the changes when there is a previous edition.
    public let sheets: [EditionSheet]
    /// Every file but the manifest, by path, in path order.
    public let files: [(path: String, bytes: [UInt8])]
    /// `edition.json`.
    public let manifest: [UInt8]

    /// Generates the edition from `fold`, which must have folded exactly the
    /// checkpoint's events (and, with a previous edition, have been made with it).
    public init(fold: EditionFold, source: Source) throws(EditionError) {
        let checkpoint = source.checkpoint.checkpoint
        guard fold.size == checkpoint.size else {
            throw .mismatch("the fold covers \(fold.size) events but the checkpoint \(checkpoint.size)")
        }
        guard let date = fold.lastDate else { throw .emptyLog }
        if let previous = source.previous {
            guard previous.treeSize <= checkpoint.size else {
                throw .mismatch("the previous edition covers \(previous.treeSize) events, more than this one's \(checkpoint.size)")
            }
            guard fold.previous?.size == previous.treeSize else { throw .mismatch("the fold was not made with the previous edition") }
        }
        self.source = source
        self.date = date
        var sheets = fold.sheets(on: date)
        var changes: EditionSheet?
        if let previousSheets = fold.previousSheets {
            changes = EditionChanges(previous: previousSheets, current: sheets, corrections: fold.corrections).sheet
        }
        let cover = Self.cover(source: source, date: date, sheets: sheets + (changes.map { [$0] } ?? []), fold: fold)
        sheets = [cover] + sheets + (changes.map { [$0] } ?? [])
        self.sheets = sheets
        var files: [(String, [UInt8])] = []
        files.append(("register.ods", try OpenDocumentWriter(sheets: sheets, date: date).bytes()))
        files.append(("register.xlsx", try SpreadsheetMLWriter(sheets: sheets, date: date).bytes()))
        for sheet in sheets { files.append((sheet.file, SheetCSV.bytes(sheet))) }
        // Every file is hashed once: the site lists the downloads' hashes, the manifest every file's.
        var hashes = Dictionary(uniqueKeysWithValues: files.map { ($0.0, Self.sha256Hex($0.1)) })
        let downloads = files.map { (path: $0.0, bytes: $0.1.count, sha256: hashes[$0.0]!) }
        let site = SiteWriter(source: source, date: date, sheets: sheets, fold: fold, downloads: downloads).files()
        for (path, bytes) in site { hashes[path] = Self.sha256Hex(bytes) }
        files += site
        files.sort { $0.0 < $1.0 }
        self.files = files
        manifest =
            EditionManifest(
                source: source, date: date, sheets: sheets, files: files.map { ($0.0, $0.1.count, hashes[$0.0]!) },
                downloads: downloads.map(\.path)
            ).bytes
    }

    /// The manifest's SHA-256 in hex: what `EditionPublished` records.
    public var manifestSHA256: String { Self.sha256Hex(manifest) }

    /// Every file, the manifest included, in path order.
    public var allFiles: [(path: String, bytes: [UInt8])] {
        (files + [("edition.json", manifest)]).sorted { $0.0 < $1.0 }
    }

    /// SHA-256 in lowercase hex, as `edition.json` names every file.
    public static func sha256Hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        SHA256.hash(data: bytes).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
