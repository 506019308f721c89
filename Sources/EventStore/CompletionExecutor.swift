/// Where a caller wants its append's completion (and commit notifications)
/// to run: an event loop, typically. The writer hands every completion for
/// one executor over in a single `execute` per commit, so a server's event
/// loop is woken once per commit, not once per append.
public protocol CompletionExecutor: AnyObject, Sendable {
    /// Runs `work` on the executor's thread, soon.
    func execute(_ work: @escaping @Sendable () -> Void)
}
