import ArgumentParser

enum AccordVersion {
    static let current = "0.1.0"
}
