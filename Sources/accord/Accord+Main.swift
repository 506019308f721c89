import AccordClient
import AccordCore
import ArgumentParser
import CommandSupport
import Foundation
import ReportingSink

/// The one way out of every command: a sentence on standard error and an
/// `ExitStatus`, never a Swift or NIO type's own text.
extension Accord {
    static func main() async {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // A mistake on the command line: ArgumentParser's message and the usage it names.
            Foundation.exit(reportUsage(error))
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Prints a command-line mistake with its usage and returns the status to exit with.
    static func reportUsage(_ error: any Error) -> Int32 {
        let full = fullMessage(for: error)
        let status = exitCode(for: error)
        if status == .success {
            print(full)
            return ExitStatus.ok.rawValue
        }
        let text = full.hasPrefix("Error: ") ? "error: " + full.dropFirst(7) : full
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
        return ExitStatus.usage.rawValue
    }

    /// Prints why `error` ended the command and returns the status to exit with.
    static func report(_ error: any Error) -> Int32 {
        let (message, status) = explain(error)
        if let message, !message.isEmpty {
            let stream = status == .ok ? FileHandle.standardOutput : FileHandle.standardError
            stream.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        }
        return (error as? ExitCode).map(\.rawValue) ?? status.rawValue
    }

    static func explain(_ error: any Error) -> (message: String?, status: ExitStatus) {
        switch error {
        case let exit as ExitCode:
            // Thrown after the command printed its own report (a failed check).
            return (nil, exit == .success ? .ok : .checkFailed)
        case let error as CommandError:
            return ("error: \(error.description)", error.status)
        case let error as ClientError:
            return ("error: \(error.description)", error.exitStatus)
        case let error as AuditFailure:
            // Evidence that does not verify: a failed check.
            return ("error: \(error.description)", .checkFailed)
        case let error as SinkError:
            switch error {
            case .mismatchedLog: return ("error: \(error.description)", .checkFailed)
            case .schemaTooNew, .configuration: return ("error: \(error.description)", .usage)
            case .busy, .disconnected: return ("error: \(error.description)", .noAnswer)
            }
        case let error as any CodedError:
            // Damaged storage found by a command that reads it offline is a failed check, not a usage error.
            return ("error: \(error.message)", error.code == .damaged ? .checkFailed : .usage)
        case let error as CocoaError:
            return ("error: \(error.localizedDescription)", .usage)
        case let error as ValidationError:
            // Thrown by a command's run (a setting in a file, a combination of flags): no usage banner.
            return ("error: \(error.message)", .usage)
        case let described as CustomStringConvertible where exitCode(for: error) != .success:
            return ("error: \(described.description)", .usage)
        default:
            let full = fullMessage(for: error)
            return exitCode(for: error) == .success
                ? (full, .ok) : ("error: \(full.hasPrefix("Error: ") ? String(full.dropFirst(7)) : full)", .usage)
        }
    }
}

extension ClientError {
    /// What a failure to get an answer means for the command's exit status.
    var exitStatus: ExitStatus {
        switch self {
        case .server(let code, _, _):
            switch code {
            case .badJSON, .badRequest, .unknownOp: .usage
            case .notFound, .wrongExpectedVersion, .invalidTransition, .eventIdConflict, .validationFailed, .damaged: .checkFailed
            default: .noAnswer
            }
        case .connectFailed, .connectionLost, .timedOut, .unexpectedAnswer: .noAnswer
        case .verificationFailed: .checkFailed
        case .usage: .usage
        }
    }
}
