import AccordCore
import Agreements
import ArgumentParser
import EventStore
import Registry

/// `--as-of POSITION|TIME` and `--on DATE`: which history, judged on which day.
struct AsOfOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "What the register said: a position (events before it) or an RFC 3339 recorded time or date.")
    var asOf: String?
    @Option(name: .customLong("effective-at"), help: "What was in force, as known now: events effective by this RFC 3339 time or date.")
    var effectiveAt: String?
    @Option(help: "The date on which to judge whether agreements are in force (YYYY-MM-DD; default today).")
    var on: String?

    func point() throws -> AsOf {
        if let effectiveAt {
            guard asOf == nil else { throw ValidationError("give --as-of or --effective-at, not both") }
            guard let time = Timestamp(upToTimeOrDate: effectiveAt) else {
                throw ValidationError("--effective-at takes an RFC 3339 time or a date, not \(effectiveAt)")
            }
            return .effectiveAt(time)
        }
        guard let asOf else { return .head }
        if let position = UInt64(asOf) { return .position(position) }
        if let time = Timestamp(upToTimeOrDate: asOf) { return .recordedAt(time) }
        throw ValidationError("--as-of takes a position or an RFC 3339 time, not \(asOf)")
    }

    func date() throws -> CalendarDate {
        guard let on else {
            switch try point() {
            case .recordedAt(let time), .effectiveAt(let time): return CalendarDate(time)
            case .head, .position: return CalendarDate(.now())
            }
        }
        guard let date = CalendarDate(on) else { throw ValidationError("--on takes a date as YYYY-MM-DD, not \(on)") }
        return date
    }
}
