import ArgumentParser

enum AccordVersion {
    static let current = "0.1.0"
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version of accord.")

    func run() {
        print("accord \(AccordVersion.current)")
    }
}
