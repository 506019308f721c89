import ArgumentParser

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version of accord.")

    func run() {
        print("accord \(AccordVersion.current)")
    }
}
