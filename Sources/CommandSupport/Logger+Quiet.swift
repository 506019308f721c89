import Logging

extension Logger {
    /// A logger that drops everything, for one-shot commands whose output is data.
    public static var quiet: Logger {
        Logger(label: "accord.quiet", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
