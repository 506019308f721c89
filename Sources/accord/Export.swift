import AccordCore
import Agreements
import ArgumentParser
import EventStore
import Registry

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the register or the law-enforcement statistics as CSV, from a data directory.")

    enum Table: String, ExpressibleByArgument, CaseIterable {
        case register
        case statistics
    }

    @Argument(help: "register or statistics") var table: Table
    @OptionGroup var dataDirectory: DataDirectoryOptions
    @OptionGroup var asOf: AsOfOptions

    func run() throws {
        let (store, registry) = try dataDirectory.openRegistryReadOnly()
        let state = try registry.state(asOf: try asOf.point(), in: store)
        switch table {
        case .register: print(CSVExport.register(state.register(on: try asOf.date())), terminator: "")
        case .statistics: print(CSVExport.statistics(state.statistics), terminator: "")
        }
    }
}
