import AccordCore
import AccordJSON
import Agreements
import AgreementsTesting
import Checkpoints
import Foundation
import Merkle
import Testing

@testable import Editions

/// Editions as pure functions of events: no storage, no sockets.
@Suite struct EditionTests {
    /// A police agreement with two requests, and a rejected application, as recorded events.
    static func events() throws -> [RecordedEvent] {
        let history: [(String, AgreementEvent)] = [
            ("DSA-1", Samples.proposal()), ("DSA-1", Samples.review()), ("DSA-1", Samples.approval()),
            ("DSA-1", Samples.access(on: "2025-03-10")), ("DSA-1", Samples.access(on: "2025-04-01", requester: .homeOffice)),
            ("DSA-2", Samples.proposal(Samples.university)), ("DSA-2", Samples.rejection),
        ]
        var versions: [String: UInt64] = [:]
        return try history.enumerated().map { position, entry in
            let version = versions[entry.0, default: 0]
            versions[entry.0] = version + 1
            return RecordedEvent(
                position: UInt64(position), stream: try StreamName(entry.0), version: version, eventId: UUID.timeOrdered(),
                type: entry.1.typeName, data: try CanonicalJSON(entry.1.data), metadata: .emptyObject, occurredAt: nil,
                recordedAt: Timestamp(microseconds: 1_767_225_600_000_000 + Int64(position)), principal: "case-system")
        }
    }

    static func edition(_ events: [RecordedEvent], key: NoteSignerKey) throws -> Edition {
        var fold = EditionFold()
        var tree = CompactRange()
        for event in events {
            fold.apply(event)
            tree.append(RFC6962.leafHash(event.jsonBytes)) { _, _, _ in }
        }
        let checkpoint = try SignedCheckpoint(
            signing: Checkpoint(origin: key.name, size: tree.size, root: tree.root, epoch: 1), with: key)
        return try Edition(fold: fold, source: .init(checkpoint: checkpoint, verifierKey: key.verifier, generator: "accord test"))
    }

    @Test func theSameEventsGiveTheSameBytes() throws {
        let (events, key) = (try Self.events(), try NoteSignerKey(name: "test.example/accord"))
        let (a, b) = (try Self.edition(events, key: key), try Self.edition(events, key: key))
        #expect(a.allFiles.map(\.path) == b.allFiles.map(\.path))
        #expect(a.allFiles.map(\.bytes) == b.allFiles.map(\.bytes))
        #expect(a.manifestSHA256 == b.manifestSHA256)
        #expect(a.date == CalendarDate("2026-01-01"))
        #expect(
            a.sheets.map(\.name) == [
                "About this edition", "Classification of data", "DSAP-approved shares", "Regular shares",
                "Pre-2018 NPD shares still held", "Home Office", "Police & criminal investigation", "Court orders",
            ])
    }

    @Test func anEmptySheetKeepsItsHeaderAndSaysSo() throws {
        let edition = try Self.edition(try Self.events(), key: try NoteSignerKey(name: "test.example/accord"))
        let court = try #require(edition.files.first { $0.path == "court-orders.csv" })
        let lines = String(decoding: court.bytes, as: UTF8.self).split(separator: "\r\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("Month,Court,Requests") && lines[1].hasPrefix("none in this period,"))
        let regular = String(decoding: try #require(edition.files.first { $0.path == "regular-shares.csv" }).bytes, as: UTF8.self)
        #expect(regular.contains("DSA-1,") && !regular.contains("DSA-2"), "a rejected application is no share")
    }

    @Test func publishedTextMakesEveryControlVisible() {
        #expect("a\r\nb\rc\td\u{1}e\u{FFFE}".publishedText == "a\nb\nc\u{2409}d\u{2401}e\u{FFFD}")
        #expect("plain é 漢字".publishedText == "plain é 漢字")
    }

    @Test func columnNamesCountLikeASpreadsheet() {
        #expect([0, 25, 26, 51, 701, 702].map(SpreadsheetMLWriter.columnName) == ["A", "Z", "AA", "AZ", "ZZ", "AAA"])
    }

    @Test func pageNamesAreSafeAndDistinct() {
        let references = ["DSA-1", "DSA_1", "DSA 1", "../x", ".hidden", "é", "DSA-1.html", "a/b"]
        let names = references.map(SiteWriter.pageName)
        #expect(Set(names).count == references.count)
        for name in names {
            #expect(!name.hasPrefix(".") && !name.contains("/"))
            #expect(
                name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-._".unicodeScalars.contains($0)) }
            )
        }
    }

    @Test func spacesSurviveOpenDocumentsWhiteSpaceRules() {
        var x = XMLBuffer()
        x.bytes = []
        OpenDocumentWriter.paragraphs("  two  spaces \nnext", into: &x)
        #expect(
            String(decoding: x.bytes, as: UTF8.self)
                == #"<text:p><text:s text:c="2"/>two <text:s/>spaces<text:s/></text:p><text:p>next</text:p>"#)
    }

    @Test func theChartDrawsEveryQuarterBetweenItsFirstAndLastUnlessTheSpanIsAbsurd() {
        func rows(_ days: [String]) -> [AccessRowKey: AccessTally] {
            var rows: [AccessRowKey: AccessTally] = [:]
            for day in days {
                let access = AccessSummary(
                    requestDate: CalendarDate(day)!, requesterType: .court, decision: .disclosed, subjectsRequested: 1, subjectsMatched: 1,
                    subjectsDisclosed: 1)
                rows[AccessRowKey(access, organisation: "Court"), default: AccessTally()].record(access)
            }
            return rows
        }
        #expect(QuarterChart(rows(["2025-02-01", "2025-11-30"])).quarters.map(\.0) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
        #expect(QuarterChart(rows(["0001-01-01", "9999-12-31"])).quarters.map(\.0) == ["0001-Q1", "9999-Q4"])
        #expect(QuarterChart(rows([])).svg(title: "t", value: \.requests).contains(EditionSheet.noneNote))
    }
}
